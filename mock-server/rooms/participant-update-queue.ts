import { DisconnectReason, ParticipantInfo_State, type ParticipantInfo } from '@livekit/protocol';

interface QueuedUpdate {
  info: ParticipantInfo;
  /** A DISCONNECTED made up for an older session when a newer one of the same identity appears. */
  synthesized: boolean;
  reason: DisconnectReason;
}

/**
 * room.go PushAndDequeueUpdates: updates about a participant that publishes nothing wait (one per identity,
 * the newest) for the room's subscriberUpdateInterval ticker; an update about a publisher, or an immediate
 * one (metadata, name, attributes, permission), goes out at once together with whatever was queued for
 * that identity. Socket-free: the caller sends what `push` and `flush` return.
 */
export class ParticipantUpdateQueue {
  readonly #queued = new Map<string, QueuedUpdate>();

  /** `current` reads the participant now in the room under this identity (possibly a newer session). */
  push(info: ParticipantInfo, opts: { immediate: boolean; reason?: DisconnectReason; current?: () => ParticipantInfo }): ParticipantInfo[] {
    const reason = opts.reason ?? DisconnectReason.UNKNOWN_REASON;
    const out: QueuedUpdate[] = [];
    const existing = this.#queued.get(info.identity);
    let send = opts.immediate || info.isPublisher;
    if (existing) {
      if (existing.info.sid === info.sid) {
        if (info.version < existing.info.version) return []; // out of order
      } else if (compareParticipant(existing.info, info) < 0) {
        // a newer session: the older one is sent as DISCONNECTED right away, with the newer
        send = true;
        existing.info.state = ParticipantInfo_State.DISCONNECTED;
        existing.synthesized = true;
        out.push(existing);
      } else {
        return []; // an older session's update, the newer is already known
      }
    } else if (opts.current && compareParticipant(opts.current(), info) > 0) {
      return [];
    }
    if (send) {
      this.#queued.delete(info.identity);
      out.push({ info, synthesized: false, reason });
    } else {
      this.#queued.set(info.identity, { info, synthesized: false, reason });
    }
    return visible(out);
  }

  /** The room's ticker: everything queued, in queueing order (Go iterates a map; the order is not an outcome). */
  flush(): ParticipantInfo[] {
    const all = [...this.#queued.values()];
    this.#queued.clear();
    return visible(all);
  }

  get size(): number {
    return this.#queued.size;
  }
}

/**
 * SendParticipantUpdates' filtered list (every client with protocol > 11): synthesized disconnects and
 * DUPLICATE_IDENTITY departures are left out, as such clients follow the identity.
 */
function visible(updates: QueuedUpdate[]): ParticipantInfo[] {
  return updates.filter((u) => !u.synthesized && u.reason !== DisconnectReason.DUPLICATE_IDENTITY).map((u) => u.info);
}

/** room.go CompareParticipant: by join time (s, then ms), then sid. */
export function compareParticipant(a: ParticipantInfo, b: ParticipantInfo): number {
  if (a.joinedAt !== b.joinedAt) return a.joinedAt < b.joinedAt ? -1 : 1;
  if (a.joinedAtMs !== 0n && b.joinedAtMs !== 0n && a.joinedAtMs !== b.joinedAtMs) return a.joinedAtMs < b.joinedAtMs ? -1 : 1;
  if (a.sid !== b.sid) return a.sid < b.sid ? -1 : 1;
  return 0;
}
