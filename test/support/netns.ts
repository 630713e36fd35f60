import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * WebRTC between local processes needs a non-loopback interface: libwebrtc gathers no loopback
 * candidates. So ICE tests run inside a private network namespace (root + `unshare -n`) holding a veth
 * pair and nothing else; nothing they send can leave it. The veth ends are named lkt0/lkt1 because
 * werift skips interfaces whose names start with `veth`.
 */
export const NETNS_SERVER_ADDRESS = '10.203.0.1';
export const NETNS_CLIENT_ADDRESS = '10.203.0.2';

const SETUP = [
  'ip link set lo up',
  'ip link add lkt0 type veth peer name lkt1',
  `ip addr add ${NETNS_SERVER_ADDRESS}/24 dev lkt0`,
  `ip addr add ${NETNS_CLIENT_ADDRESS}/24 dev lkt1`,
  'ip link set lkt0 up',
  'ip link set lkt1 up',
].join(' && ');

let cachedReason: string | undefined | null = null;

/** Why this machine cannot run the namespace tests, or undefined when it can. */
export function netnsUnavailableReason(): string | undefined {
  if (cachedReason !== null) return cachedReason;
  const why = (() => {
    if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
    if (process.getuid?.() !== 0) return 'the WebRTC tests create a private network namespace (unshare -n + a veth pair) and must run as root';
    for (const tool of ['ip', 'unshare']) {
      if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `the WebRTC tests need \`${tool}\` (iproute2 / util-linux) on PATH`;
    }
    const probe = spawnSync('unshare', ['-n', 'sh', '-c', SETUP], { encoding: 'utf8' });
    if (probe.status !== 0) return `cannot create a network namespace with a veth pair here: ${(probe.stderr || probe.error?.message || '').trim()}`;
    return undefined;
  })();
  cachedReason = why;
  return why;
}

export interface NetnsRun {
  readonly child: ChildProcess;
  /** Resolves with the value the script passed to `reportResult` (see netns-driver.ts), or rejects with its output. */
  readonly result: Promise<unknown>;
  readonly output: () => string;
  kill(): void;
}

const running = new Set<NetnsRun>();
const RESULT_MARK = '@@result ';

/**
 * Runs a TypeScript script (through tsx) in a fresh namespace, in its own process group. Everything it
 * starts (mock server, rtc-node clients, agent workers and their job processes) lives in that namespace.
 */
export function runInNetns(script: string | URL, options: { env?: Record<string, string>; timeoutMs?: number } = {}): NetnsRun {
  const reason = netnsUnavailableReason();
  if (reason) throw new Error(reason);
  const path = script instanceof URL ? fileURLToPath(script) : script;
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const child = spawn('unshare', ['-n', 'sh', '-c', `${SETUP} && exec "$0" "$@"`, process.execPath, '--import', tsx, path], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LAB_NETNS_SERVER: NETNS_SERVER_ADDRESS, LAB_NETNS_CLIENT: NETNS_CLIENT_ADDRESS, ...options.env },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const timeoutMs = options.timeoutMs ?? 120_000;
  const run: NetnsRun = {
    child,
    output: () => out,
    kill() {
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
    result: new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        run.kill();
        reject(new Error(`netns script ${path} did not finish within ${timeoutMs} ms; output:\n${out}`));
      }, timeoutMs);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        running.delete(run);
        // the script's children (worker jobs) share its process group; make sure none outlive it
        if (child.pid) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // group already empty
          }
        }
        const line = out.split('\n').find((l) => l.startsWith(RESULT_MARK));
        if (code === 0 && line) resolve(JSON.parse(line.slice(RESULT_MARK.length)));
        else reject(new Error(`netns script ${path} exited with ${code ?? signal}; output:\n${out}`));
      });
    }),
  };
  running.add(run);
  return run;
}

/** For afterEach: kills the process group of every script still running. */
export function killNetnsRuns(): void {
  for (const run of running) run.kill();
  running.clear();
}

export { RESULT_MARK };
