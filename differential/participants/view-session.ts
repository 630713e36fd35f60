import type { Room as RoomProto } from '@livekit/protocol';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { LiveKitTarget } from '../../targets/livekit-target.ts';
import { WaitTimeoutError } from '../../agent-runtime/errors.ts';
import { waitFor } from '../../agent-runtime/wait-for.ts';
import { ViewClient, type ViewJoin } from './view-client.ts';

/** Something the script read or waited for: a Twirp answer, or the moment a condition first held. */
export interface ViewObservation {
  label: string;
  /** The room whose creation is the time origin of `at`. */
  room: string;
  at: number;
  value: unknown;
}

export class ViewTimeoutError extends Error {
  readonly code = 'VIEW_TIMEOUT';
}

/**
 * One run of a participant-view script on one target: its signalling clients, its Twirp client, and what
 * it observed. The script only uses this API, so the same script runs unchanged on the mock and on
 * livekit-server.
 */
export class ViewSession {
  readonly clients = new Map<string, ViewClient>();
  readonly observations: ViewObservation[] = [];
  /** Each room's creationTimeMs as the server reported it: the origin of every time compared. */
  readonly roomCreatedAt = new Map<string, number>();
  readonly twirp: RoomServiceClient;

  constructor(readonly target: LiveKitTarget) {
    this.twirp = new RoomServiceClient(target.httpUrl, target.apiKey, target.apiSecret);
  }

  /** A participant joins over /rtc and its JoinResponse arrives. */
  async join(join: ViewJoin): Promise<ViewClient> {
    const client = await ViewClient.open(this.target, join);
    this.clients.set(join.identity, client);
    await this.until(`${join.identity} join response`, join.room, () => client.of('join')[0]?.value, (j) => !!j, { record: false });
    this.#noteRoom(client.of('join')[0]!.value.room);
    return client;
  }

  client(identity: string): ViewClient {
    const c = this.clients.get(identity);
    if (!c) throw new Error(`participant-view script: no participant "${identity}" joined`);
    return c;
  }

  async createRoom(label: string, name: string): Promise<RoomProto> {
    const room = await this.twirp.createRoom({ name });
    this.#noteRoom(room);
    this.observations.push({ label, room: name, at: Date.now(), value: room });
    return room;
  }

  async listRooms(label: string, name: string): Promise<RoomProto | undefined> {
    const room = (await this.twirp.listRooms([name]))[0];
    this.#noteRoom(room);
    this.observations.push({ label, room: name, at: Date.now(), value: room });
    return room;
  }

  async listParticipants(label: string, room: string): Promise<void> {
    const ps = await this.twirp.listParticipants(room);
    this.observations.push({ label, room, at: Date.now(), value: [...ps].sort((a, b) => a.identity.localeCompare(b.identity)) });
  }

  /**
   * Polls `probe` until `done` holds (eventually, with a reason) and records when it first held and what
   * it returned: that time is what the comparison checks, within its tolerance.
   */
  async until<T>(label: string, room: string, probe: () => T | Promise<T>, done: (v: T) => boolean, opts: { timeoutMs?: number; record?: boolean } = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? 15_000;
    // a short interval: the moment it holds is the observation compared between the servers
    const { v } = await waitFor(
      async () => {
        const v = await probe();
        return done(v) ? { v } : undefined;
      },
      { timeoutMs, intervalMs: 25, reason: label },
    ).catch((e: unknown) => {
      throw e instanceof WaitTimeoutError ? new ViewTimeoutError(`${this.target.kind}: "${label}" did not happen within ${timeoutMs} ms`) : e;
    });
    if (opts.record !== false) this.observations.push({ label, room, at: Date.now(), value: v });
    return v;
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
  }

  #noteRoom(room: RoomProto | undefined): void {
    if (room && !this.roomCreatedAt.has(room.name)) this.roomCreatedAt.set(room.name, Number(room.creationTimeMs));
  }
}

/** A participant-view script: the same steps for both servers. */
export type ViewScript = (session: ViewSession) => Promise<void>;
