import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { SoakResult } from '../../fuzz/soak.ts';
import { eventually } from '../support/eventually.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Short form: 500 workers and 8,000 dispatches (the long form, `npm run soak`, is 1,000 and 20,000). */
const WORKERS = Number(process.env.SOAK_WORKERS ?? 500);
const DISPATCHES = Number(process.env.SOAK_DISPATCHES ?? 8000);

describe('soak (short form)', () => {
  let child: ChildProcess | undefined;

  afterAll(async () => {
    // the soak runs in its own process group: end the whole group, whatever it started
    if (child?.pid && child.exitCode === null) {
      process.kill(-child.pid, 'SIGKILL');
      await eventually(() => (child!.exitCode !== null || child!.signalCode !== null ? '' : 'soak process still running'), { timeoutMs: 10_000 });
    }
  });

  it(`${WORKERS} churning workers and ${DISPATCHES} dispatches: every job has exactly one end, nothing left behind`, async () => {
    const out: string[] = [];
    child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'fuzz', 'soak-cli.ts'), '--workers', String(WORKERS), '--dispatches', String(DISPATCHES), '--seed', '4242', '--max-seconds', '150'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c: Buffer) => out.push(c.toString()));
    child.stderr!.on('data', (c: Buffer) => out.push(c.toString()));
    await eventually(() => (child!.exitCode !== null || child!.signalCode !== null ? '' : 'soak still running'), { timeoutMs: 170_000, intervalMs: 200 });
    const text = out.join('');
    const line = text.split('\n').find((l) => l.startsWith('SOAK_RESULT '));
    expect(line, text.slice(-3000)).toBeDefined();
    const r = JSON.parse(line!.slice('SOAK_RESULT '.length)) as SoakResult;
    console.log(text.split('\n').filter((l) => l.startsWith('soak:')).join('\n'));
    expect(r.failures).toEqual([]);
    expect(r.dispatchesAccepted).toBe(DISPATCHES);
    expect(r.jobsCreated).toBeGreaterThanOrEqual(DISPATCHES);
    expect(r.jobsEnded).toBe(r.jobsCreated);
    expect(r.jobsLost).toBe(0);
    expect(r.jobsEndedTwice).toBe(0);
    expect(r.openJobsAfterWorkersLeft).toBe(0);
    expect(r.registryAfterClose).toEqual({ sessions: 0, workers: 0, rooms: 0, openJobs: 0 });
    expect(r.connections).toBeGreaterThan(WORKERS); // workers did reconnect
    expect(r.handlesAfter).toBeLessThanOrEqual(r.handlesBaseline);
    expect(r.heapAfterMb).toBeLessThan(r.heapBaselineMb + Math.max(30, r.heapBaselineMb * 0.5));
    expect(child.exitCode).toBe(0);
  }, 200_000);
});
