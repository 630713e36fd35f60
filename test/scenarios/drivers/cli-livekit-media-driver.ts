// Inside the test network namespace: `dispatch-lab run <publishing scenario> --against livekit --host <veth>`
// as a user would type it. Reports the exit code and output; the command must also exit by itself (rtc-node's
// native runtime would otherwise keep it alive).
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runDriver, serverAddress } from '../../rtc/drivers/driver-kit.ts';

export interface CliRunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const ROOT = join(import.meta.dirname, '../../..');

runDriver(
  () =>
    new Promise<CliRunResult>((resolve) => {
      const scenario = join(ROOT, 'scenarios/library/08-publisher-first-publish-only.yaml');
      const events = join(process.env.TMPDIR ?? '/tmp', `lab-media-${process.pid}.jsonl`);
      const args = [join(ROOT, 'bin/dispatch-lab.js'), 'run', scenario, '--against', 'livekit', '--host', serverAddress(), '--events', events];
      const child = spawn(process.execPath, args, { env: { ...process.env, NO_COLOR: '1' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => {
        rmSync(events, { force: true });
        resolve({ code, stdout, stderr });
      });
    }),
);
