import type { Agg } from './lib/stats.ts';
import { SERVER_VERSION } from '../mock-server/config/server-version.ts';

export type ColumnKey = 'mockFast' | 'mockReal' | 'real' | 'floor';
export interface Column {
  key: ColumnKey;
  title: string;
}

export interface Row {
  section: string;
  metric: string;
  unit: string;
  values: Partial<Record<ColumnKey, Agg>>;
  /** Show mock/real (fast preset, and real timing when measured). */
  ratio?: boolean;
  /** Show how close the mock (fast preset) is to the ws floor: floor/mock for times, mock/floor for rates. */
  floorRatio?: boolean;
  higherIsBetter?: boolean;
  /** A goal for the mock (fast preset) median. */
  /** A goal for the mock (fast preset) median, or with `on: 'ratio'` for mock/real. */
  target?: { op: '<' | '≤' | '≥'; value: number; on?: 'ratio' };
  notMeasured?: string;
}

const num = (v: number): string => {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toFixed(3);
};

const cell = (a?: Agg): string => {
  if (!a || !Number.isFinite(a.median)) return '';
  return a.runs.length > 1 ? `${num(a.median)} (${num(a.min)}–${num(a.max)})` : num(a.median);
};

const ratio = (x?: Agg, y?: Agg): string => (x && y && Number.isFinite(x.median) && Number.isFinite(y.median) && y.median !== 0 ? `${num(x.median / y.median)}×` : '');

function targetCell(row: Row): string {
  const t = row.target;
  if (!t) return '';
  const v = t.on === 'ratio' ? (row.values.mockFast?.median ?? NaN) / (row.values.real?.median ?? NaN) : row.values.mockFast?.median;
  const label = t.on === 'ratio' ? `mock/real ${t.op} ${t.value}` : `${t.op} ${t.value}`;
  if (v === undefined || !Number.isFinite(v)) return label;
  const ok = t.op === '<' ? v < t.value : t.op === '≤' ? v <= t.value : v >= t.value;
  return `${label}: ${ok ? 'met' : '**not met**'}`;
}

export function renderMarkdown(result: { started: string; durationSec: number; mode: string; repeats: number; machine: Record<string, unknown>; rows: Row[] }, columns: Column[]): string {
  const m = result.machine;
  const out: string[] = [];
  out.push(`# Benchmark: the mock vs livekit-server v${SERVER_VERSION}`, '');
  out.push(
    `Output of \`npm run bench\` (${result.mode} mode, ${result.repeats} repeats per measurement), started ${result.started}, took ${result.durationSec} s.`,
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memGB} GB RAM, Linux ${m.kernel} ${m.arch}, Node ${m.node}. **Shared machine:** ${m.shared}.`,
    '',
    'Cells: median over repeated runs (min–max). "mock/real" is the ratio of medians (below 1× the mock takes less time, or for rates is slower); ' +
      'for latency "of floor" is floor time / mock time and for throughput and CPU it is mock rate / floor rate and floor CPU / mock CPU (1.0 = as fast as the bare transport). ' +
      'Targets apply to the mock (fast preset, or the only mock column).',
    '',
  );
  for (const section of [...new Set(result.rows.map((r) => r.section))]) {
    const rows = result.rows.filter((r) => r.section === section);
    out.push(`## ${section}`, '');
    out.push(`| metric | unit | ${columns.map((c) => c.title).join(' | ')} | mock/real | of floor | target |`);
    out.push(`|---|---|${columns.map(() => '---:').join('|')}|---:|---:|---|`);
    for (const r of rows) {
      if (r.notMeasured) {
        out.push(`| ${r.metric} | ${r.unit} | ${columns.map(() => '').join(' | ')} | | | not measured: ${r.notMeasured} |`);
        continue;
      }
      const rr = r.ratio
        ? [ratio(r.values.mockFast, r.values.real), r.values.mockReal ? `real timing ${ratio(r.values.mockReal, r.values.real)}` : ''].filter(Boolean).join(', ')
        : '';
      const time = !r.higherIsBetter && r.unit !== '/s';
      const fr = r.floorRatio ? (time ? ratio(r.values.floor, r.values.mockFast) : ratio(r.values.mockFast, r.values.floor)) : '';
      out.push(`| ${r.metric} | ${r.unit} | ${columns.map((c) => cell(r.values[c.key])).join(' | ')} | ${rr} | ${fr.replace('×', '')} | ${targetCell(r)} |`);
    }
    out.push('');
  }
  out.push(
    '## What was measured',
    '',
    '- The load generator (protocol-level workers and the Twirp client) is a separate Node process (`bench/loadgen.ts`), so the in-process mock\'s CPU (`process.cpuUsage`) and RSS are the server\'s; ' +
      'the real server\'s are read from `/proc/<pid>/stat` and `/proc/<pid>/status`. Everything runs on 127.0.0.1.',
    '- Workers are lean protocol-level workers (`bench/lib/lean-worker.ts` over `protocol-worker/`: `ws` client defaults, binary protobuf, JT_ROOM, accept at once). On the real server they connect straight to its `/agent` (not through the wire tap); ' +
      'on the mock every message and decision is recorded in the mock\'s trace (checked: one `job.assigned` per dispatch).',
    '- Latency: CreateRoom (Twirp, protobuf) is sent at a fixed rate; times are from just before the request is written to the worker\'s receipt of the frame. The real server\'s and the mock\'s real-timing ' +
      'psrpc claim delay (~200 ms) dominate their numbers by design.',
    '- Throughput: closed loop, a fixed number of dispatches in flight (CreateRoom sent, JobAssignment not yet received), counted over a window after a warm-up. ' +
      'The mock (one thread) and the load generator share the 2 cores, so the rate is bounded by their sum of CPU per dispatch and by whatever else runs; ' +
      'server CPU per dispatch and its inverse (dispatches/s per core) are the machine-independent figures. The load generator sends the answers that arrive in one read in one writev, for every column.',
    '- The ws floor (`bench/lib/floor-server.ts`) is a bare `ws` server that decodes each protobuf frame and answers with a protobuf frame: a worker\'s `simulateJob` frame stands in for CreateRoom, ' +
      'then AvailabilityRequest, AvailabilityResponse and JobAssignment, so it has the same number of protobuf frames per dispatch, without HTTP, auth, dispatch logic or trace.',
    '- Memory per worker: RSS delta of the server after the workers registered (mock: the bench process after a forced GC); the real server\'s is Go RSS, not collected on demand.',
    '- Scenario library: the mock runs it as users do (`dispatch-lab run`, fast preset); the real server performs every step, as the differential runner does (`continueOnFailure`), ' +
      'so both totals cover the same steps. An expectation the real server cannot meet (a mock-only fact such as a drop reason, or a real timer longer than its `within`, e.g. the 20 s departure timeout) fails there only after waiting out its `within`; ' +
      'that waiting is shown apart. Times include starting and stopping each scenario\'s target.',
    '- The real server runs with `log_level: warn` (its logs are piped into the bench process); the mock records its full trace.',
    '',
  );
  return `${out.join('\n')}\n`;
}
