import { createHash } from 'node:crypto';
import { AgentDispatch, AgentDispatchState, Room as RoomProto, protoInt64, type Job, type RoomAgentDispatch } from '@livekit/protocol';
import { DEFAULT_ENABLED_CODECS } from '../config/room-defaults.ts';
import type { Participant } from './participant.ts';
import { ParticipantUpdateQueue } from './participant-update-queue.ts';
import type { RoomSnapshot } from './room-snapshot.ts';

export interface RoomSettings {
  name: string;
  emptyTimeoutSec: number;
  departureTimeoutSec: number;
  maxParticipants: number;
  metadata: string;
}

/** A dispatch with the launches still in flight (DeleteDispatch waits for them before terminating). */
export interface DispatchRecord {
  dispatch: AgentDispatch;
  inFlight: Set<Promise<unknown>>;
}

/** One live room: settings, participants, dispatches and the agent identities of its jobs. */
export class Room {
  readonly participants = new Map<string, Participant>();
  readonly dispatches = new Map<string, DispatchRecord>();
  /** Agent participant identity → job id (room.go agentParticipants), for termination when that agent leaves. */
  readonly agentJobs = new Map<string, string>();
  /** First non-dependent join and last departure (any participant), in ms; 0 = never. */
  firstJoinedAtMs = 0;
  lastLeftAtMs = 0;
  closed = false;
  version = 0;
  /** Updates about participants that publish nothing, waiting for the room's participant-update ticker. */
  readonly updateQueue = new ParticipantUpdateQueue();
  /** The cached Room proto every reader gets; set by RoomManager right after construction. */
  snapshot?: RoomSnapshot;
  /**
   * roomallocator.go gives each room a random TURN password (utils.RandomSecret: 32 bytes in base62, 43 or 44
   * characters). Derived from the sid here, so a seeded mock stays reproducible without drawing from its random source.
   */
  readonly turnPassword: string;

  constructor(
    readonly sid: string,
    readonly settings: RoomSettings,
    readonly creationTimeMs: number,
  ) {
    this.turnPassword = base62(createHash('sha256').update(`turn:${sid}`).digest());
  }

  get name(): string {
    return this.settings.name;
  }

  /** Participants that count: not agents, not egress. */
  get humanCount(): number {
    let n = 0;
    for (const p of this.participants.values()) if (!p.isDependent) n++;
    return n;
  }

  addDispatch(id: string, ad: RoomAgentDispatch | { agentName: string; metadata: string; deployment?: string; attributes?: Record<string, string>; restartPolicy?: number }, nowMs: number): DispatchRecord {
    const dispatch = new AgentDispatch({
      id,
      agentName: ad.agentName,
      room: this.name,
      metadata: ad.metadata,
      deployment: ad.deployment ?? '',
      attributes: { ...(ad.attributes ?? {}) },
      restartPolicy: ad.restartPolicy ?? 0,
      state: new AgentDispatchState({ jobs: [], createdAt: protoInt64.parse(BigInt(nowMs) * 1_000_000n) }),
    });
    const record = { dispatch, inFlight: new Set<Promise<unknown>>() };
    this.dispatches.set(id, record);
    return record;
  }

  /**
   * handleNewJobs: the job joins its dispatch's state even when the dispatch was deleted meanwhile
   * (DeleteDispatch then terminates it), and its agent identity is remembered for agentLeft.
   */
  storeJob(dispatch: AgentDispatch, job: Job): void {
    dispatch.state?.jobs.push(job);
    const identity = job.state?.participantIdentity;
    if (identity) this.agentJobs.set(identity, job.id);
  }

  /** What readers see: the cached copy (RoomSnapshot), whose counts lag behind as on livekit-server. */
  toProto(): RoomProto {
    return this.snapshot?.get() ?? this.liveProto();
  }

  /** room.go updateProto: participants count without agents and egress; publishers count everyone publishing, agents too. */
  liveProto(): RoomProto {
    let publishers = 0;
    for (const p of this.participants.values()) if (p.isPublisher) publishers++;
    return new RoomProto({
      sid: this.sid,
      name: this.name,
      emptyTimeout: this.settings.emptyTimeoutSec,
      departureTimeout: this.settings.departureTimeoutSec,
      maxParticipants: this.settings.maxParticipants,
      creationTime: protoInt64.parse(Math.floor(this.creationTimeMs / 1000)),
      creationTimeMs: protoInt64.parse(this.creationTimeMs),
      metadata: this.settings.metadata,
      numParticipants: this.humanCount,
      numPublishers: publishers,
      turnPassword: this.turnPassword,
      enabledCodecs: [...DEFAULT_ENABLED_CODECS],
      version: undefined,
    });
  }
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out || '0';
}
