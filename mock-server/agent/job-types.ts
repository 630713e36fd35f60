import { JobStatus, JobType, WorkerStatus } from '@livekit/protocol';
import type { JobStatusName, JobTypeName } from '../trace/events.ts';

export const jobTypeName = (t: JobType): JobTypeName => (JobType[t] ?? `JT_${t}`) as JobTypeName;
export const jobStatusName = (s: JobStatus): JobStatusName => (JobStatus[s] ?? `JS_${s}`) as JobStatusName;
export const workerStatusName = (s: WorkerStatus): 'WS_FULL' | 'WS_AVAILABLE' => (s === WorkerStatus.WS_FULL ? 'WS_FULL' : 'WS_AVAILABLE');
