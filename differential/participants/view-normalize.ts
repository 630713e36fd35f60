import type { Message } from '@bufbuild/protobuf';
import { ParticipantInfo, Room as RoomProto, type SignalResponse } from '@livekit/protocol';
import type { ViewSession } from './view-session.ts';

/** The signal messages that make up what a participant sees of the room (transport and token messages are not). */
export const VIEW_CASES = ['join', 'update', 'roomUpdate', 'leave', 'requestResponse'] as const;

const TIME_FIELDS = new Set(['joinedAt', 'joinedAtMs', 'creationTime', 'creationTimeMs', 'createdAt']);

/**
 * Run-specific values replaced by stable ones: participant sids by `PA(identity)`, room sids by `RM(name)`,
 * times by `T` (after checking seconds and milliseconds agree), secrets by their shape; map keys sorted.
 */
export class ViewNormalizer {
  readonly #names = new Map<string, string>();

  constructor(session: ViewSession) {
    for (const c of session.clients.values()) for (const m of c.received) this.#learn(m.message);
    for (const o of session.observations) this.#learnValue(o.value);
  }

  value(v: unknown): unknown {
    if (v && typeof v === 'object' && 'toJson' in v) return this.#json((v as Message).toJson({ emitDefaultValues: false }));
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    return v;
  }

  /** One received signal message as compared: JoinResponse reduced to room and participants; batched infos sorted by identity. */
  message(m: SignalResponse['message']): unknown {
    switch (m.case) {
      case 'join':
        return { room: this.value(m.value.room), participant: this.value(m.value.participant), otherParticipants: this.#infos(m.value.otherParticipants) };
      case 'update':
        return this.#infos(m.value.participants);
      case 'roomUpdate':
        return this.value(m.value.room);
      default:
        return this.value(m.value);
    }
  }

  #infos(list: ParticipantInfo[]): unknown[] {
    return [...list].sort((a, b) => a.identity.localeCompare(b.identity) || a.state - b.state).map((p) => this.value(p));
  }

  #json(j: unknown, key = ''): unknown {
    if (Array.isArray(j)) return j.map((x) => this.#json(x));
    if (j && typeof j === 'object') {
      const o = j as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o).sort()) out[k] = this.#json(o[k], k);
      if ('joinedAt' in o && 'joinedAtMs' in o && Math.floor(Number(o.joinedAtMs) / 1000) !== Number(o.joinedAt)) out.joinedAt = 'T(seconds and ms disagree)';
      return out;
    }
    if (typeof j === 'string' && this.#names.has(j)) return this.#names.get(j);
    if (TIME_FIELDS.has(key)) return 'T';
    // utils.RandomSecret: 32 random bytes in base62 (42-44 characters)
    if (key === 'turnPassword' && typeof j === 'string') return /^[A-Za-z0-9]{42,44}$/.test(j) ? 'secret(32 bytes, base62)' : `secret(unlike RandomSecret: ${j.length} characters)`;
    return j;
  }

  #learn(m: SignalResponse['message']): void {
    if (m.case === 'join') [m.value.room, m.value.participant, ...m.value.otherParticipants].forEach((x) => this.#learnValue(x));
    else if (m.case === 'update') m.value.participants.forEach((x) => this.#learnValue(x));
    else if (m.case === 'roomUpdate') this.#learnValue(m.value.room);
  }

  #learnValue(v: unknown): void {
    if (Array.isArray(v)) return v.forEach((x) => this.#learnValue(x));
    if (v instanceof ParticipantInfo) this.#names.set(v.sid, `PA(${v.identity})`);
    if (v instanceof RoomProto) this.#names.set(v.sid, `RM(${v.name})`);
  }
}
