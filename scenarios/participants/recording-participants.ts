import { ParticipantInfo_Kind } from '@livekit/protocol';
import type { TargetTrace } from '../../targets/livekit-target.ts';
import type { ParticipantDriver, ParticipantJoin, PublishOptions } from './participant-driver.ts';

/**
 * Records participant events on targets that cannot report them (a real server: the wire tap sees only
 * workers). Every join goes through here, so agents joined by workers are recorded like scenario joins,
 * and departures the server caused (DeleteRoom, RemoveParticipant, room close) are recorded when the
 * driver reports them. A participant is recorded as left once, whichever side noticed first.
 */
export class RecordingParticipants implements ParticipantDriver {
  readonly #present = new Set<string>();
  /** Who has published in their current session: the server launches JT_PUBLISHER for the first track only. */
  readonly #published = new Set<string>();

  constructor(
    private readonly inner: ParticipantDriver,
    private readonly trace: TargetTrace,
  ) {
    inner.onDeparted?.((room, identity, reason) => this.#left(room, identity, reason));
  }

  get name(): string {
    return this.inner.name;
  }

  get canPublish(): boolean {
    return this.inner.canPublish;
  }

  async join(p: ParticipantJoin): Promise<void> {
    await this.inner.join(p);
    this.#present.add(key(p.room, p.identity));
    const kind = ParticipantInfo_Kind[(p.kind ?? 'standard').toUpperCase() as keyof typeof ParticipantInfo_Kind] ?? 0;
    this.trace.record({ kind: 'participant.joined', room: p.room, identity: p.identity, participantSid: '', participantKind: String(kind), virtual: false });
  }

  async publish(room: string, identity: string, track: 'audio' | 'video', options?: PublishOptions): Promise<void> {
    await this.inner.publish(room, identity, track, options);
    const k = key(room, identity);
    const first = !this.#published.has(k);
    this.#published.add(k);
    this.trace.record({ kind: 'participant.published', room, identity, trackSid: '', first });
  }

  async leave(room: string, identity: string): Promise<void> {
    await this.inner.leave(room, identity);
    this.#left(room, identity, 'CLIENT_INITIATED');
  }

  async close(): Promise<void> {
    this.#published.clear();
    this.#present.clear(); // the run is over: sockets closed now are not departures
    await this.inner.close();
  }

  #left(room: string, identity: string, reason: string): void {
    this.#published.delete(key(room, identity)); // a new session publishes a first track again
    if (!this.#present.delete(key(room, identity))) return;
    this.trace.record({ kind: 'participant.left', room, identity, participantSid: '', reason });
  }
}

const key = (room: string, identity: string) => `${room}\u0000${identity}`;
