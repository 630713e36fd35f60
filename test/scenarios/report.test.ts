import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { htmlReport } from '../../scenarios/report/html-report.ts';
import { junitXml } from '../../scenarios/report/junit.ts';
import { runScenarios, type RunSummary } from '../../scenarios/runner.ts';

const ROOT = join(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const dir = mkdtempSync(join(tmpdir(), 'dispatch-lab-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let run: RunSummary;

describe('reports', () => {
  it('renders a self-contained HTML page with a sequence diagram per scenario, and JUnit XML', async () => {
    const failing = join(dir, 'fails.yaml');
    writeFileSync(failing, 'name: fails\ndescription: a JT_ROOM worker never gets JT_PARTICIPANT jobs\nreproduces: https://github.com/livekit/livekit/issues/4259\nsteps:\n  - worker: { id: w1 }\n  - join: { room: r1, identity: alice }\n  - expect: { jobs: 2, worker: w1, within: 300 }\n');
    run = await runScenarios([join(ROOT, 'scenarios/library/09-job-type-mismatch-room-worker.yaml'), join(ROOT, 'scenarios/library/12-reject-then-another-worker.yaml'), failing]);
    expect(run.results.map((r) => r.status)).toEqual(['passed', 'passed', 'failed']);
    const html = htmlReport(run);
    expect(html.match(/<svg /g)?.length).toBe(3);
    expect(html).not.toMatch(/<script|<link |src="http/); // readable offline
    expect(html).toContain('JobAssignment');
    expect(html).toContain('no worker for agent &quot;my-agent&quot; with type JT_PARTICIPANT');
    expect(html).toContain('<a href="https://github.com/livekit/livekit/issues/4259">');
    writeFileSync(join(dir, 'report.html'), html);
    const xml = junitXml(run);
    expect(xml).toContain('tests="3" failures="1" errors="0"');
    expect(xml).toMatch(/<testcase classname="dispatch-lab.mock" name="fails"[^>]*>\s*<failure message="/);
  }, 60_000);

  it('is readable in headless Chromium (screenshot)', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_BIN)`);
    const shot = join(dir, 'report.png');
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${join(dir, 'profile')}`,
      '--window-size=1400,1800',
      `--screenshot=${shot}`,
      `file://${join(dir, 'report.html')}`,
    ];
    const child = spawn(CHROMIUM, args, { stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(0);
    expect(existsSync(shot)).toBe(true);
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // A blank 1400x1800 page compresses to a few KB; tables, diagrams and text make it far larger.
    expect(statSync(shot).size).toBeGreaterThan(60_000);
  }, 90_000);
});
