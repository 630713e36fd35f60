import type { ServerInfo } from '@livekit/protocol';
import type { Clock } from '../core/clock.ts';
import type { IdGenerator } from '../core/ids.ts';
import type { Random } from '../core/random.ts';
import type { TimingSettings } from '../config/timing.ts';
import type { Trace } from '../trace/trace.ts';
import type { JobLedger } from './job-ledger.ts';

/** What the socket-free agent core needs from its host: time, randomness, ids, and where to record. */
export interface AgentCoreContext {
  clock: Clock;
  random: Random;
  ids: IdGenerator;
  trace: Trace;
  ledger: JobLedger;
  timing: TimingSettings;
  targetLoad: number;
  serverInfo: ServerInfo;
}
