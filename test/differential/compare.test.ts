import { describe, expect, it } from 'vitest';
import type { TraceEvent, TraceEventBody } from '../../mock-server/trace/events.ts';
import { compareOutcomes, formatDiff, normalizeTrace, unexpectedDifferences } from '../../differential/index.ts';

/** A trace from bodies: seq in order, times from `t0` so two traces never share ids or times by accident. */
function trace(bodies: TraceEventBody[], t0 = 1_000): TraceEvent[] {
  return bodies.map((b, i) => ({ ...b, seq: i + 1, at: t0 + i * 7 }) as TraceEvent);
}

const reg = (workerId: string, agentName = '', jobType: 'JT_ROOM' | 'JT_PUBLISHER' | 'JT_PARTICIPANT' = 'JT_ROOM'): TraceEventBody => ({
  kind: 'worker.registered',
  socketId: `s-${workerId}`,
  workerId,
  agentName,
  namespace: '',
  jobType,
  deployment: '',
  version: 'test',
});
const created = (jobId: string, room: string, agentName = '', jobType: 'JT_ROOM' | 'JT_PUBLISHER' | 'JT_PARTICIPANT' = 'JT_ROOM'): TraceEventBody => ({
  kind: 'job.created',
  jobId,
  room,
  jobType,
  agentName,
  namespace: '',
  dispatchId: `AD_${jobId}`,
});
const assignmentMsg = (jobId: string, workerId: string): TraceEventBody => ({
  kind: 'worker.message',
  socketId: `s-${workerId}`,
  workerId,
  direction: 'out',
  case: 'assignment',
  message: { job: { id: jobId, state: { status: 'JS_RUNNING', workerId } }, token: 'x' },
});

/** One room job assigned to the first of two unnamed room workers, with run-specific ids. */
function assignedRun(p: string): TraceEventBody[] {
  return [
    reg(`AW_${p}1`),
    reg(`AW_${p}2`),
    created(`AJ_${p}`, 'r1'),
    { kind: 'job.offered', jobId: `AJ_${p}`, workerId: `AW_${p}1` },
    assignmentMsg(`AJ_${p}`, `AW_${p}1`),
    { kind: 'job.assigned', jobId: `AJ_${p}`, workerId: `AW_${p}1`, participantIdentity: `agent-AJ_${p}` },
  ];
}

describe('normalizeTrace', () => {
  it('removes ids and times: the same outcomes with different ids compare equal', () => {
    const mock = normalizeTrace(trace(assignedRun('mock'), 5));
    const real = normalizeTrace(trace(assignedRun('real'), 99_999));
    expect(compareOutcomes(mock, real)).toEqual([]);
    expect(mock.jobs).toEqual([
      expect.objectContaining({ key: 'room="r1" JT_ROOM agent="" #1', assignedTo: '""/JT_ROOM#1', assignedState: 'JS_RUNNING', outcome: 'running' }),
    ]);
    expect(mock.workers.map((w) => w.label)).toEqual(['""/JT_ROOM#1', '""/JT_ROOM#2']);
  });

  it('labels workers by registration order within their agent name and type', () => {
    const n = normalizeTrace(trace([reg('a', 'x', 'JT_PUBLISHER'), reg('b'), reg('c', 'x', 'JT_PUBLISHER'), reg('d', 'x')]));
    expect(n.workers.map((w) => w.label)).toEqual(['"x"/JT_PUBLISHER#1', '""/JT_ROOM#1', '"x"/JT_PUBLISHER#2', '"x"/JT_ROOM#1']);
  });

  it('ignores jobs the mock dropped, and log events', () => {
    const mockRun = trace([
      ...assignedRun('m'),
      created('AJ_drop', 'r2', 'nobody'),
      { kind: 'job.ended', jobId: 'AJ_drop', outcome: 'dropped', reason: 'no worker for agent "nobody"' },
      { kind: 'log', level: 'warn', message: 'job AJ_drop dropped' },
    ]);
    expect(normalizeTrace(mockRun).jobs).toHaveLength(1);
    expect(compareOutcomes(normalizeTrace(mockRun), normalizeTrace(trace(assignedRun('r'))))).toEqual([]);
  });

  it('derives "rejected" on the real side, where no job.ended says so', () => {
    const offers = (p: string): TraceEventBody[] => [
      reg(`W${p}`, 'picky'),
      created(`J${p}`, 'r', 'picky'),
      { kind: 'job.offered', jobId: `J${p}`, workerId: `W${p}` },
      { kind: 'job.rejected', jobId: `J${p}`, workerId: `W${p}` },
    ];
    const mock = normalizeTrace(trace([...offers('m'), { kind: 'job.ended', jobId: 'Jm', outcome: 'rejected', reason: 'all 1 eligible worker answered available: false' }]));
    const real = normalizeTrace(trace(offers('r')));
    expect(real.jobs[0]?.outcome).toBe('rejected');
    expect(compareOutcomes(mock, real)).toEqual([]);
  });

  it('derives "timed_out" for an offer never answered, and reads "abandoned" as running', () => {
    const unanswered = normalizeTrace(trace([reg('W'), created('J', 'r'), { kind: 'job.offered', jobId: 'J', workerId: 'W' }]));
    expect(unanswered.jobs[0]?.outcome).toBe('timed_out');
    const abandoned = normalizeTrace(trace([...assignedRun('a'), { kind: 'job.ended', jobId: 'AJ_a', outcome: 'abandoned', reason: 'room closed' }]));
    expect(abandoned.jobs[0]?.outcome).toBe('running');
  });

  it('counts terminations but does not compare the termination status the wire cannot show', () => {
    const end = (p: string, status?: 'JS_FAILED'): TraceEventBody[] => [
      ...assignedRun(p),
      { kind: 'worker.message', socketId: 's', workerId: `AW_${p}1`, direction: 'out', case: 'termination', message: { jobId: `AJ_${p}` } },
      { kind: 'job.ended', jobId: `AJ_${p}`, workerId: `AW_${p}1`, outcome: 'terminated', reason: 'x', ...(status ? { status } : {}) },
    ];
    const mock = normalizeTrace(trace(end('m', 'JS_FAILED')));
    expect(mock.jobs[0]).toMatchObject({ outcome: 'terminated', terminations: 1 });
    expect(compareOutcomes(mock, normalizeTrace(trace(end('r'))))).toEqual([]);
  });
});

describe('compareOutcomes and formatDiff', () => {
  it('reports a job that went to a different worker, readably', () => {
    const realRun = assignedRun('r').map((e) =>
      e.kind === 'job.assigned' || e.kind === 'job.offered' ? { ...e, workerId: 'AW_r2' } : e,
    );
    const diffs = compareOutcomes(normalizeTrace(trace(assignedRun('m'))), normalizeTrace(trace(realRun)));
    expect(diffs.map((d) => d.path)).toEqual(['job room="r1" JT_ROOM agent="" #1 › offeredTo', 'job room="r1" JT_ROOM agent="" #1 › assignedTo']);
    // which worker was offered first is random on both servers (deliberate); who runs the job is not
    expect(unexpectedDifferences(diffs).map((d) => d.path)).toEqual(['job room="r1" JT_ROOM agent="" #1 › assignedTo']);
    const text = formatDiff(diffs, { title: 'scenario S1' });
    expect(text).toContain('scenario S1: 1 unexpected difference, 1 deliberate');
    expect(text).toContain('✗ job room="r1" JT_ROOM agent="" #1 › assignedTo');
    expect(text).toContain('mock: ""/JT_ROOM#1');
    expect(text).toContain('real: ""/JT_ROOM#2');
  });

  it('reports jobs present on one side only', () => {
    const real = trace([...assignedRun('r'), created('AJ_x', 'r9'), { kind: 'job.offered', jobId: 'AJ_x', workerId: 'AW_r1' }]);
    const diffs = compareOutcomes(normalizeTrace(trace(assignedRun('m'))), normalizeTrace(real));
    expect(diffs).toEqual([{ path: 'job room="r9" JT_ROOM agent="" #1', mock: undefined, real: 'timed_out, offered to ""/JT_ROOM#1' }]);
    expect(formatDiff(diffs)).toContain('mock: (absent)');
  });

  it('tags participant events seen on one side only as deliberate, so they do not fail the check', () => {
    const mock = trace([
      ...assignedRun('m'),
      { kind: 'participant.joined', room: 'r1', identity: 'u1', participantSid: 'PA_1', participantKind: 'STANDARD', virtual: true },
    ]);
    const diffs = compareOutcomes(normalizeTrace(mock), normalizeTrace(trace(assignedRun('r'))));
    expect(diffs).toEqual([{ path: 'participants', mock: ['room=r1 identity=u1 kind=STANDARD: joined'], real: [], deliberate: 'observed-on-one-side' }]);
    expect(unexpectedDifferences(diffs)).toEqual([]);
    expect(formatDiff(diffs)).toContain('~ participants [deliberate: observed-on-one-side]');
  });

  it('compares participant events when both sides recorded them', () => {
    const joined = (identity: string): TraceEventBody => ({ kind: 'participant.joined', room: 'r1', identity, participantSid: 'PA_x', participantKind: 'STANDARD', virtual: false });
    const diffs = compareOutcomes(normalizeTrace(trace([joined('u1')])), normalizeTrace(trace([joined('u2')])));
    expect(unexpectedDifferences(diffs).map((d) => d.path)).toEqual(['participants']);
  });

  it('compares each participant\'s own history, and names agents by their order of joining, not their random identity', () => {
    const ev = (identity: string, kind: 'joined' | 'left', pk = '0'): TraceEventBody =>
      kind === 'joined'
        ? { kind: 'participant.joined', room: 'r1', identity, participantSid: '', participantKind: pk, virtual: false }
        : { kind: 'participant.left', room: 'r1', identity, participantSid: '', reason: '' };
    const mock = normalizeTrace(trace([ev('alice', 'joined'), ev('agent-w1-AbCd', 'joined', '4'), ev('alice', 'left'), ev('agent-w1-AbCd', 'left')]));
    const real = normalizeTrace(trace([ev('alice', 'joined'), ev('agent-w1-XyZw', 'joined', '4'), ev('agent-w1-XyZw', 'left'), ev('alice', 'left')]));
    expect(mock.participants).toEqual(['room=r1 agent#1 kind=4: joined → left', 'room=r1 identity=alice kind=0: joined → left']);
    expect(compareOutcomes(mock, real)).toEqual([]);
  });

  it('says so when there is nothing to report', () => {
    expect(formatDiff([])).toBe('no differences between mock and real server');
  });
});
