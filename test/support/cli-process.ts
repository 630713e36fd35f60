import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '../..');
const BIN = join(REPO_ROOT, 'bin/dispatch-lab.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `dispatch-lab` process in `cwd`; `stopAll` kills what is still running (for afterAll). */
export function cliRunner(cwd: string): { cli: (args: string[]) => Promise<CliResult>; stopAll: () => void } {
  const children = new Set<ChildProcess>();
  const cli = (args: string[]) =>
    new Promise<CliResult>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
      children.add(child);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => {
        children.delete(child);
        resolve({ code, stdout, stderr });
      });
    });
  return { cli, stopAll: () => children.forEach((c) => c.kill('SIGKILL')) };
}
