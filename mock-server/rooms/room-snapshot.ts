import type { Room as RoomProto } from '@livekit/protocol';
import type { Clock, TimerHandle } from '../core/clock.ts';
import { PhasedTicker } from '../core/phased-ticker.ts';

/**
 * utils.ProtoProxy as livekit-server's Room uses it (roomUpdateInterval): the Room proto every reader gets
 * (Twirp, JoinResponse, jobs, RoomUpdate) is a cached copy. A change marked non-immediate (a join, a leave,
 * a participant update) is picked up on the next interval tick from room creation, unless the copy is older
 * than an interval; an immediate one (room metadata) at once. A recomputed copy equal to the cached one
 * notifies nobody.
 *
 * The ticker is armed only while a change waits (PhasedTicker). The cached copy is frozen and shared by every
 * reader, and its bytes are encoded once: with its ten enabled codecs, cloning and encoding the Room for each
 * job, JoinResponse and Twirp answer had tripled the mock's CPU per dispatch.
 */
/**
 * A timer set for one interval can fire a little before one interval has passed by the wall clock (Node schedules
 * on its cached loop time, which lags under load): the tick's "older than an interval" test allows for that.
 */
const TIMER_SLACK_MS = 100;

export class RoomSnapshot {
  #message: RoomProto;
  #refreshedAtMs: number;
  #dirty = false;
  readonly #ticker: PhasedTicker;
  #queued?: TimerHandle;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly compute: () => RoomProto,
    private readonly onChange: () => void,
  ) {
    this.#message = frozen(compute());
    this.#refreshedAtMs = clock.now();
    this.#ticker = new PhasedTicker(clock, intervalMs, () => this.#tick());
  }

  get(): RoomProto {
    return this.#message;
  }

  markDirty(immediate: boolean): void {
    this.#dirty = true;
    // Room.SetMetadata waits for the refresh, so its answer carries the change
    if (immediate) return this.#refresh();
    if (this.clock.now() - this.#refreshedAtMs <= this.intervalMs) return this.#ticker.arm();
    // the proxy's worker goroutine runs the update: after the caller's own sends (a JoinResponse first)
    this.#queued ??= this.clock.setTimer(0, () => {
      this.#queued = undefined;
      this.#refresh();
    });
  }

  stop(): void {
    this.#ticker.stop();
    this.#queued?.cancel();
  }

  #tick(): void {
    if (!this.#dirty) return;
    if (this.clock.now() - this.#refreshedAtMs >= this.intervalMs - TIMER_SLACK_MS) this.#refresh();
    else this.#ticker.arm();
  }

  #refresh(): void {
    this.#dirty = false;
    const next = this.compute();
    if (next.equals(this.#message)) return;
    this.#message = frozen(next);
    this.#refreshedAtMs = this.clock.now();
    this.onChange();
  }
}

/**
 * Frozen, with toBinary computed once. protobuf-es encodes a nested message with its own toBinary, so a Job or
 * JoinResponse that embeds this Room reuses the bytes too. The options cannot change them: the Room is built
 * here, so it has no unknown fields to write or leave out.
 */
function frozen(room: RoomProto): RoomProto {
  const encode = room.toBinary.bind(room);
  let bytes: Uint8Array | undefined;
  Object.defineProperty(room, 'toBinary', { value: () => (bytes ??= encode()) });
  return Object.freeze(room) as RoomProto;
}
