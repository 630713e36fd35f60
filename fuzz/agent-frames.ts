import {
  AvailabilityResponse,
  JobStatus,
  JobType,
  MigrateJobRequest,
  ParticipantInfo,
  RegisterWorkerRequest,
  Room,
  SimulateJobRequest,
  UpdateJobStatus,
  UpdateWorkerStatus,
  WorkerMessage,
  WorkerPing,
  WorkerStatus,
  protoInt64,
} from '@livekit/protocol';
import { mutate, unknownField } from './mutate.ts';
import type { Rng } from './rng.ts';

/** One frame a fuzzed client sends on `/agent`. */
export interface Frame {
  data: Buffer | string;
  binary: boolean;
}

export const AGENT_CATEGORIES = ['random', 'truncated', 'mutated', 'unknown_oneof', 'huge', 'json', 'order'] as const;
export type AgentCategory = (typeof AGENT_CATEGORIES)[number];

/**
 * One fuzz input for `/agent`: optionally register first (so the frames reach a registered worker), then
 * send the frames. `expect` is the real server's reaction where it follows from the input alone
 * ('closed' for anything livekit-server cannot decode or dispatch, 'open' for what it accepts);
 * undefined where only the differential run against the real server can tell.
 */
export interface AgentInput {
  category: AgentCategory;
  label: string;
  register: boolean;
  frames: Frame[];
  expect?: 'open' | 'closed';
}

const bin = (m: WorkerMessage): Frame => ({ data: Buffer.from(m.toBinary()), binary: true });
const msg = (message: WorkerMessage['message']) => new WorkerMessage({ message });

/** A random well-formed WorkerMessage of any case. */
export function validMessage(rng: Rng): WorkerMessage {
  switch (rng.int(7)) {
    case 0:
      return msg({
        case: 'register',
        value: new RegisterWorkerRequest({ type: rng.pick([JobType.JT_ROOM, JobType.JT_PUBLISHER, JobType.JT_PARTICIPANT]), agentName: rng.text(12), version: rng.text(6) }),
      });
    case 1:
      return msg({ case: 'ping', value: new WorkerPing({ timestamp: protoInt64.parse(rng.int(2 ** 31)) }) });
    case 2:
      return msg({ case: 'updateWorker', value: new UpdateWorkerStatus({ load: rng.next(), status: rng.pick([WorkerStatus.WS_AVAILABLE, WorkerStatus.WS_FULL]), jobCount: rng.int(5) }) });
    case 3:
      return msg({ case: 'availability', value: new AvailabilityResponse({ jobId: `AJ_${rng.text(8)}`, available: rng.chance(0.5), participantIdentity: rng.text(10) }) });
    case 4:
      return msg({ case: 'updateJob', value: new UpdateJobStatus({ jobId: `AJ_${rng.text(8)}`, status: rng.pick([JobStatus.JS_RUNNING, JobStatus.JS_SUCCESS, JobStatus.JS_FAILED]), error: rng.text(8) }) });
    case 5:
      return msg({
        case: 'simulateJob',
        value: new SimulateJobRequest({ type: JobType.JT_ROOM, room: new Room({ sid: `RM_${rng.text(6)}`, name: `fuzz-${rng.text(6)}` }), participant: rng.chance(0.3) ? new ParticipantInfo({ identity: rng.text(6) }) : undefined }),
      });
    default:
      return msg({ case: 'migrateJob', value: new MigrateJobRequest({ jobIds: [rng.text(6)] }) });
  }
}

/** Field numbers WorkerMessage does not define. */
const UNKNOWN_FIELD_NOS = [9, 10, 11, 12, 15, 16, 100, 2047, 536870911];

const ORDER_CASES: { label: string; register: boolean; frames: (rng: Rng) => Frame[]; expect: 'open' | 'closed' }[] = [
  { label: 'availability before register', register: false, frames: (r) => [bin(msg({ case: 'availability', value: new AvailabilityResponse({ jobId: `AJ_${r.text(5)}`, available: true }) }))], expect: 'closed' },
  { label: 'update_worker before register', register: false, frames: () => [bin(msg({ case: 'updateWorker', value: new UpdateWorkerStatus({ load: 0.5 }) }))], expect: 'closed' },
  { label: 'update_job before register', register: false, frames: () => [bin(msg({ case: 'updateJob', value: new UpdateJobStatus({ jobId: 'AJ_x', status: JobStatus.JS_SUCCESS }) }))], expect: 'closed' },
  { label: 'migrate_job before register', register: false, frames: () => [bin(msg({ case: 'migrateJob', value: new MigrateJobRequest({ jobIds: ['AJ_x'] }) }))], expect: 'closed' },
  { label: 'second register', register: true, frames: () => [bin(msg({ case: 'register', value: new RegisterWorkerRequest({ type: JobType.JT_ROOM }) }))], expect: 'closed' },
  { label: 'register with unknown job type', register: false, frames: () => [bin(msg({ case: 'register', value: new RegisterWorkerRequest({ type: 7 as JobType }) }))], expect: 'closed' },
  { label: 'register with invalid deployment', register: false, frames: () => [bin(msg({ case: 'register', value: new RegisterWorkerRequest({ type: JobType.JT_ROOM, deployment: 'a_b' }) }))], expect: 'closed' },
  { label: 'availability for a job never offered', register: true, frames: (r) => [bin(msg({ case: 'availability', value: new AvailabilityResponse({ jobId: `AJ_${r.text(5)}`, available: true }) }))], expect: 'open' },
  { label: 'update_job for an unknown job', register: true, frames: () => [bin(msg({ case: 'updateJob', value: new UpdateJobStatus({ jobId: 'AJ_unknown', status: JobStatus.JS_FAILED }) }))], expect: 'open' },
  { label: 'migrate_job after register', register: true, frames: () => [bin(msg({ case: 'migrateJob', value: new MigrateJobRequest({ jobIds: ['AJ_x'] }) }))], expect: 'open' },
  { label: 'ping before register', register: false, frames: () => [bin(msg({ case: 'ping', value: new WorkerPing({ timestamp: protoInt64.parse(1) }) }))], expect: 'open' },
  { label: 'update_worker with out-of-range load', register: true, frames: (r) => [bin(msg({ case: 'updateWorker', value: new UpdateWorkerStatus({ load: r.pick([-1, 1e9, Number.NaN, Infinity]) }) }))], expect: 'open' },
  { label: 'update_worker with unknown status enum', register: true, frames: () => [bin(msg({ case: 'updateWorker', value: new UpdateWorkerStatus({ load: 0.1, status: 9 as WorkerStatus }) }))], expect: 'open' },
  { label: 'empty binary frame (no oneof case)', register: true, frames: () => [{ data: Buffer.alloc(0), binary: true }], expect: 'closed' },
];

const JSON_CASES: { label: string; frame: (rng: Rng) => string; expect?: 'open' | 'closed'; register: boolean }[] = [
  { label: 'valid ping as JSON', register: false, frame: () => JSON.stringify(msg({ case: 'ping', value: new WorkerPing({ timestamp: protoInt64.parse(5) }) }).toJson()), expect: 'open' },
  { label: 'valid update_worker as JSON', register: true, frame: (r) => JSON.stringify({ updateWorker: { load: r.next(), status: 'WS_FULL' } }), expect: 'open' },
  { label: 'snake_case field names', register: true, frame: () => JSON.stringify({ update_worker: { load: 0.2, job_count: 1 } }), expect: 'open' },
  { label: 'not JSON', register: false, frame: (r) => `{${r.text(20)}`, expect: 'closed' },
  { label: 'JSON scalar', register: false, frame: (r) => r.pick(['1', '"x"', 'null', 'true', '[]']), expect: 'closed' },
  { label: 'empty JSON object (no case)', register: true, frame: () => '{}', expect: 'closed' },
  // livekit-server's protojson discards unknown fields and enum names (checked against the binary)
  { label: 'unknown top-level field', register: true, frame: (r) => JSON.stringify({ [`x${r.text(5)}`]: 1, ping: { timestamp: '1' } }), expect: 'open' },
  { label: 'unknown nested field', register: true, frame: () => JSON.stringify({ updateWorker: { load: 0.1, bogus: true } }), expect: 'open' },
  { label: 'wrong type', register: true, frame: (r) => `{"updateWorker":{"load":${r.pick(['"high"', '{}', '[1]', 'true'])}}}`, expect: 'closed' },
  { label: 'two oneof cases', register: true, frame: () => JSON.stringify({ ping: { timestamp: '1' }, updateWorker: { load: 0.1 } }), expect: 'closed' },
  { label: 'unknown enum name', register: true, frame: () => JSON.stringify({ updateWorker: { load: 0.1, status: 'WS_SLEEPY' } }), expect: 'open' },
  { label: 'trailing garbage after the object', register: true, frame: () => '{"ping":{"timestamp":"1"}}}', expect: 'closed' },
  { label: 'invalid UTF-8 in a text frame', register: true, frame: () => Buffer.concat([Buffer.from('{"updateWorker":{"metadata":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}')]) as unknown as string, expect: 'closed' },
  { label: 'random text', register: false, frame: (r) => r.text(64) },
];

/** Draws one `/agent` input of the given category (or any category). */
export function agentInput(rng: Rng, category?: AgentCategory): AgentInput {
  const cat = category ?? rng.pick(AGENT_CATEGORIES);
  const register = rng.chance(0.5);
  switch (cat) {
    case 'random': {
      const data = rng.bytes(rng.pick([1, 2, 3, 8, 32, 200, 512]));
      return { category: cat, label: `random ${data.length} bytes`, register, frames: [{ data, binary: true }] };
    }
    case 'truncated': {
      const full = Buffer.from(validMessage(rng).toBinary());
      const cut = rng.int(Math.max(1, full.length));
      return { category: cat, label: `valid message cut at ${cut}/${full.length}`, register, frames: [{ data: full.subarray(0, cut), binary: true }], expect: cut === 0 ? 'closed' : undefined };
    }
    case 'mutated': {
      const full = Buffer.from(validMessage(rng).toBinary());
      return { category: cat, label: `valid message with byte mutations`, register, frames: [{ data: mutate(rng, full), binary: true }] };
    }
    case 'unknown_oneof': {
      const withKnown = rng.chance(0.3);
      const data = withKnown
        ? Buffer.concat([unknownField(rng, UNKNOWN_FIELD_NOS), Buffer.from(msg({ case: 'ping', value: new WorkerPing({ timestamp: protoInt64.parse(1) }) }).toBinary())])
        : unknownField(rng, UNKNOWN_FIELD_NOS);
      // An unknown field alone leaves the oneof unset (ErrUnknownWorkerSignal); next to a known case it is skipped.
      return { category: cat, label: withKnown ? 'unknown field next to a ping' : 'only an unknown field', register, frames: [{ data, binary: true }], expect: withKnown ? 'open' : 'closed' };
    }
    case 'huge': {
      const size = rng.pick([256 * 1024, 1024 * 1024, 3 * 1024 * 1024]);
      if (rng.chance(0.5)) {
        return { category: cat, label: `${size} random bytes`, register, frames: [{ data: rng.bytes(size), binary: true }] };
      }
      const m = msg({ case: 'availability', value: new AvailabilityResponse({ jobId: 'AJ_unknown', available: true, participantMetadata: 'm'.repeat(size) }) });
      return { category: cat, label: `availability with ${size} bytes of metadata`, register: true, frames: [bin(m)], expect: 'open' };
    }
    case 'json': {
      const c = rng.pick(JSON_CASES);
      return { category: cat, label: `JSON: ${c.label}`, register: c.register, frames: [{ data: c.frame(rng), binary: false }], expect: c.expect };
    }
    case 'order': {
      const c = rng.pick(ORDER_CASES);
      return { category: cat, label: `order: ${c.label}`, register: c.register, frames: c.frames(rng), expect: c.expect };
    }
  }
}
