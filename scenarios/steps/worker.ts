import type { WorkerSpec } from '../model.ts';
import { JOB_TYPES, ms, reqStr, str, type Section } from '../schema/field-specs.ts';
import { ProtocolWorker } from '../workers/protocol-worker.ts';
import { RuntimeWorker } from '../workers/runtime-worker.ts';
import { defineStep } from './step-kind.ts';

const PROTOCOL_REGISTER_TIMEOUT_MS = 5_000;

const workerCommon: Section = {
  id: reqStr,
  kind: { t: 'enum', values: ['protocol', 'node', 'python', 'command', 'runtime'] },
  agentName: str,
  jobType: { t: 'enum', values: JOB_TYPES },
};

const PROTOCOL_WORKER: Section = {
  ...workerCommon,
  namespace: str,
  deployment: str,
  load: { t: 'number', min: 0, max: 1 },
  status: { t: 'enum', values: ['available', 'full'] },
  answer: { t: 'answer' },
  joinRoom: { t: 'boolean' },
  completeAfterMs: ms,
};

const RUNTIME_WORKER: Section = {
  ...workerCommon,
  script: { t: 'object' },
  agentFile: str,
  command: { t: 'stringList' },
  drainTimeoutMs: ms,
  shutdownProcessTimeoutMs: ms,
  loadThreshold: { t: 'number', min: 0 },
  idleProcesses: { t: 'number', min: 0, integer: true },
};

/** Starts a worker: the built-in protocol worker (default) or a real agent runtime (node, python, command). */
export const workerStep = defineStep<'worker', WorkerSpec>({
  name: 'worker',
  fields: (body) => ((body.kind ?? 'protocol') === 'protocol' ? PROTOCOL_WORKER : RUNTIME_WORKER),
  check(body, at, v) {
    const k = body.kind ?? 'protocol';
    if (k === 'runtime' && v.runtimes.length === 0) {
      v.issue([...at, 'kind'], 'kind runtime takes the runtime of the matrix: list them at the top, e.g. runtimes: [node, python]');
    }
    if (typeof body.id === 'string') {
      if (v.workers.has(body.id)) v.issue([...at, 'id'], `worker "${body.id}" is already started; use restart or a new id`);
      v.workers.add(body.id);
    }
    if ((k === 'node' || k === 'python' || k === 'runtime') && !!body.script === !!body.agentFile) v.issue(at, `a ${k} worker needs exactly one of script or agentFile`);
    if (k === 'command' && !body.command) v.issue([...at, 'command'], 'a command worker needs command (a list: program and arguments)');
  },
  needs(spec) {
    if (spec.kind === 'node' || spec.kind === 'python') return [`${spec.kind}-runtime`];
    return spec.kind === 'command' ? ['node-runtime'] : []; // the command launcher lives in agent-runtime/
  },
  run(spec, env) {
    const workerEnv = { target: env.target, participants: env.participants, baseDir: env.baseDir, registerTimeoutMs: PROTOCOL_REGISTER_TIMEOUT_MS };
    const w = spec.kind === undefined || spec.kind === 'protocol' ? new ProtocolWorker({ ...spec, kind: 'protocol' }, workerEnv) : new RuntimeWorker(spec, workerEnv);
    env.addWorker(spec.id, w);
    return w.start();
  },
});
