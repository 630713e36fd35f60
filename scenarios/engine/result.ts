import type { TraceEvent } from '../../mock-server/trace/events.ts';

export type ScenarioStatus = 'passed' | 'failed' | 'needs' | 'invalid';

/** Everything a report needs about one scenario run. */
export interface ScenarioResult {
  name: string;
  description: string;
  reproduces: string;
  file?: string;
  status: ScenarioStatus;
  /** For failed/invalid/needs: the whole message (what was expected, seen, and trace lines). */
  message?: string;
  /** The step that failed: its index, its line in the file and its kind. */
  failedStep?: { index: number; line?: number; kind: string };
  /** What is missing, for `needs`. */
  missing?: string[];
  durationMs: number;
  /** The target it ran against (mock, livekit-binary, external). */
  against: string;
  /** The trace of this scenario only. */
  events: TraceEvent[];
  /** workerId → scenario alias (w1, old, new…). */
  workerAliases: Record<string, string>;
}
