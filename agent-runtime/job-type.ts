import type { JobTypeName } from '../mock-server/trace/events.ts';

/** Numeric JobType values (livekit_agent.proto) for the Node runtime's `serverType`. */
export const JOB_TYPE_NUMBER: Record<JobTypeName, number> = { JT_ROOM: 0, JT_PUBLISHER: 1, JT_PARTICIPANT: 2 };

/** Python's WorkerType/ServerType has ROOM and PUBLISHER only; PARTICIPANT does not exist there. */
export const PYTHON_WORKER_TYPE: Partial<Record<JobTypeName, string>> = { JT_ROOM: 'ROOM', JT_PUBLISHER: 'PUBLISHER' };
