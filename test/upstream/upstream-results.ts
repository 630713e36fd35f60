// What an upstream suite run reports, and how the mock's run is judged against the real server's.
export interface TestStatus {
  status: 'passed' | 'failed' | 'skipped';
  message?: string;
}

export interface SuiteRun {
  tests: Record<string, TestStatus>;
  durationMs: number;
}

export interface KnownGap {
  /** The test's full name as the upstream suite reports it. */
  test: string;
  /** Why the mock fails it today (the missing feature), so a fix shows up as an unexpected pass. */
  reason: string;
}

export interface SuiteVerdict {
  realPassed: number;
  mockPassed: number;
  total: number;
  /** Passed on the real server, failed on the mock, and not a known gap: each fails CI. */
  regressions: { test: string; message?: string }[];
  /** Known gaps that now pass on the mock: the list should shrink. */
  fixedGaps: string[];
}

export function judgeSuite(mock: SuiteRun, real: SuiteRun, gaps: readonly KnownGap[]): SuiteVerdict {
  const known = new Set(gaps.map((g) => g.test));
  const names = [...new Set([...Object.keys(mock.tests), ...Object.keys(real.tests)])].sort();
  const passed = (run: SuiteRun, t: string) => run.tests[t]?.status === 'passed';
  return {
    realPassed: names.filter((t) => passed(real, t)).length,
    mockPassed: names.filter((t) => passed(mock, t)).length,
    total: names.length,
    regressions: names.filter((t) => passed(real, t) && !passed(mock, t) && !known.has(t)).map((t) => ({ test: t, message: mock.tests[t]?.message ?? 'not run on the mock' })),
    fixedGaps: names.filter((t) => known.has(t) && passed(mock, t)),
  };
}

export function verdictLine(suite: string, v: SuiteVerdict): string {
  return `${suite}: real server ${v.realPassed}/${v.total} passed, mock ${v.mockPassed}/${v.total} passed; ${v.regressions.length} unexpected failure(s) on the mock`;
}
