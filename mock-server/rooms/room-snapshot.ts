import type { Room as RoomProto } from '@livekit/protocol';
import type { Clock, TimerHandle } from '../core/clock.ts';

/**
 * utils.ProtoProxy as livekit-server's Room uses it (roomUpdateInterval): the Room proto every reader gets
 * (Twirp, JoinResponse, jobs, RoomUpdate) is a cached copy. A change marked non-immediate (a join, a leave,
 * a participant update) is picked up on the next interval tick from room creation, unless the copy is older
 * than an interval; an immediate one (room metadata) at once. A recomputed copy equal to the cached one
 * notifies nobody and does not restart the interval.
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
  #ticker?: TimerHandle;
  #queued?: TimerHandle;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly compute: () => RoomProto,
    private readonly onChange: () => void,
  ) {
    this.#message = compute();
    this.#refreshedAtMs = clock.now();
    if (intervalMs > 0) this.#scheduleTick();
  }

  get(): RoomProto {
    return this.#message.clone();
  }

  markDirty(immediate: boolean): void {
    this.#dirty = true;
    // Room.SetMetadata waits for the refresh, so its answer carries the change
    if (immediate) return this.#refresh();
    if (this.clock.now() - this.#refreshedAtMs <= this.intervalMs) return;
    // the proxy's worker goroutine runs the update: after the caller's own sends (a JoinResponse first)
    this.#queued ??= this.clock.setTimer(0, () => {
      this.#queued = undefined;
      this.#refresh();
    });
  }

  stop(): void {
    this.#ticker?.cancel();
    this.#queued?.cancel();
  }

  #scheduleTick(): void {
    this.#ticker = this.clock.setTimer(this.intervalMs, () => {
      if (this.#dirty && this.clock.now() - this.#refreshedAtMs >= this.intervalMs - TIMER_SLACK_MS) this.#refresh();
      this.#scheduleTick();
    });
  }

  #refresh(): void {
    this.#dirty = false;
    const next = this.compute();
    if (next.equals(this.#message)) return;
    this.#message = next;
    this.#refreshedAtMs = this.clock.now();
    this.onChange();
  }
}
