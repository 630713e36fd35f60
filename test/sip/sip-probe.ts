import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const LIVEKIT_MODULE = 'github.com/livekit/livekit-server@v1.13.5';

/**
 * Builds test/sip/go-probe against livekit-server v1.13.5's own dependency set: its go.mod and go.sum are read
 * from the Go module cache (filled by `npm run setup:livekit`; downloaded from the Go proxy otherwise), so the
 * probe speaks the exact psrpc and protocol versions the server does. Nothing of livekit's is committed.
 */
export function buildSipProbe(): { bin: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sip-probe-'));
  const env = { ...process.env, GOFLAGS: '-mod=mod' };
  const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const moduleDir = join(modCache, LIVEKIT_MODULE);
  if (!existsSync(join(moduleDir, 'go.mod'))) execFileSync('go', ['mod', 'download', LIVEKIT_MODULE], { env, cwd: dir });
  writeFileSync(join(dir, 'go.mod'), readFileSync(join(moduleDir, 'go.mod'), 'utf8').replace(/^module .*$/m, 'module dispatchlab/sipprobe'));
  copyFileSync(join(moduleDir, 'go.sum'), join(dir, 'go.sum'));
  copyFileSync(new URL('./go-probe/main.go', import.meta.url), join(dir, 'main.go'));
  execFileSync('go', ['build', '-o', 'sip-match-probe', '.'], { env, cwd: dir, stdio: 'pipe' });
  return { bin: join(dir, 'sip-match-probe'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The running probe: one EvaluateSIPDispatchRules request per call, answers in order. */
export class SipProbe {
  readonly #proc: ChildProcessWithoutNullStreams;
  readonly #waiting: ((line: string) => void)[] = [];

  constructor(bin: string, redisAddress: string) {
    this.#proc = spawn(bin, [redisAddress], { stdio: 'pipe' });
    createInterface({ input: this.#proc.stdout }).on('line', (line) => this.#waiting.shift()?.(line));
  }

  evaluate(req: Record<string, unknown>): Promise<Record<string, any>> {
    return new Promise((resolve) => {
      this.#waiting.push((line) => resolve(JSON.parse(line)));
      this.#proc.stdin.write(`${JSON.stringify(req)}\n`);
    });
  }

  close(): void {
    this.#proc.kill();
  }
}
