import { FAULT_TYPES, type FaultType } from '../../mock-server/faults/fault.ts';
import { ScenarioStepError } from '../errors.ts';
import { labRequest } from '../lab-control.ts';
import { ms, str } from '../schema/field-specs.ts';
import { checkWorkerField, defineStep } from './step-kind.ts';

/** The mock's faults a scenario sets; a server restart is not one of them (the mock's control API has it). */
type ScenarioFaultType = Exclude<FaultType, 'restart'>;
const SCENARIO_FAULT_TYPES = FAULT_TYPES.filter((t): t is ScenarioFaultType => t !== 'restart');

export interface FaultStep {
  name?: string;
  type: ScenarioFaultType;
  worker?: string;
  agentName?: string;
  /** A participant target: the signal connection of this identity (in `room`, if given). */
  participant?: string;
  room?: string;
  direction?: 'in' | 'out' | 'both';
  messages?: string[];
  ms?: number;
  abrupt?: boolean;
}

/** Sets a fault through the mock's control API (POST /_lab/faults), aimed at a worker, an agent name, or a participant's signal connection. */
export const faultStep = defineStep<'fault', FaultStep>({
  name: 'fault',
  fields: {
    name: str,
    type: { t: 'enum', values: SCENARIO_FAULT_TYPES, required: true },
    worker: str,
    agentName: str,
    participant: str,
    room: str,
    direction: { t: 'enum', values: ['in', 'out', 'both'] },
    messages: { t: 'stringList' },
    ms,
    abrupt: { t: 'boolean' },
  },
  check(body, at, v) {
    checkWorkerField(body, at, v);
    if (body.type === 'delay' && typeof body.ms !== 'number') v.issue(at, 'a delay fault needs ms');
    const atParticipant = typeof body.participant === 'string' || typeof body.room === 'string';
    if (atParticipant && (body.worker !== undefined || body.agentName !== undefined)) v.issue(at, 'a fault targets a worker (worker, agentName) or a participant (participant, room), not both');
    if (body.type === 'close' && typeof body.worker !== 'string' && !atParticipant) v.issue(at, 'a close fault needs worker, or participant for a signal connection');
  },
  needs: () => ['lab-control'],
  async run(f, env) {
    const workerId = f.worker ? env.worker(f.worker).workerIds.at(-1) : undefined;
    if (f.worker && !workerId) throw new ScenarioStepError(`worker "${f.worker}" has not registered, so it cannot be a fault target`);
    const target =
      f.participant !== undefined || f.room !== undefined
        ? { participant: f.participant, room: f.room }
        : workerId || f.agentName !== undefined
          ? { workerId, agentName: f.agentName }
          : undefined;
    const name = f.name ?? `${f.type}-${f.worker ?? f.agentName ?? f.participant ?? f.room ?? 'all'}`;
    const body =
      f.type === 'close'
        ? { name, type: 'close', abrupt: f.abrupt ?? true, target }
        : f.type === 'stall_availability'
          ? { name, type: f.type, target }
          : { name, type: f.type, direction: f.direction ?? 'both', ms: f.ms, messages: f.messages, target };
    await labRequest(env.target, 'POST', '/faults', body);
  },
});
