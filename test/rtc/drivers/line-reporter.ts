// A client in another language (the Go client, the Python SDK scripts) that a driver starts: it reports on stdout
// in `<prefix>{json}` lines, logs on stderr, and leaves when it reads `done` on stdin.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { waitFor } from '../../../agent-runtime/wait-for.ts';

export interface LineReporter<L> {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every report so far, in order. */
  readonly lines: L[];
  log(): string;
  exited(): boolean;
  /** Says `done` and waits for the exit (`what` names the client in the timeout); SIGKILL after 10 s. */
  stop(what: string): Promise<void>;
}

export function startLineReporter<L>(command: string, args: string[], prefix: string): LineReporter<L> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: L[] = [];
  let log = '';
  let exited = false;
  child.on('exit', () => (exited = true));
  child.stdout.on('data', (d: Buffer) => {
    for (const line of d.toString().split('\n')) if (line.startsWith(prefix)) lines.push(JSON.parse(line.slice(prefix.length)) as L);
  });
  child.stderr.on('data', (d: Buffer) => void (log += d.toString()));
  return {
    child,
    lines,
    log: () => log,
    exited: () => exited,
    async stop(what) {
      if (!exited) child.stdin.end('done\n');
      await waitFor(() => exited, { reason: `${what} to exit`, timeoutMs: 10_000 }).catch(() => child.kill('SIGKILL'));
    },
  };
}
