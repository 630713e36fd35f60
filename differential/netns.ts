import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * A private network namespace for differential runs that need WebRTC (libwebrtc gathers no loopback ICE
 * candidates): lo plus a veth pair and nothing else, so nothing sent inside can leave it. For the binary it is a
 * fresh `unshare -n`; for the container it is the namespace of a holder container started with --network none
 * (Docker can only join a container's namespace), which the lab enters with nsenter and the livekit-server
 * container joins with --network container:<id>.
 */
export const DIFF_NETNS_SERVER = '10.203.8.1';
const DIFF_NETNS_CLIENT = '10.203.8.2';

const SETUP = [
  'ip link set lo up',
  'ip link add lkd0 type veth peer name lkd1',
  `ip addr add ${DIFF_NETNS_SERVER}/24 dev lkd0`,
  `ip addr add ${DIFF_NETNS_CLIENT}/24 dev lkd1`,
  'ip link set lkd0 up',
  'ip link set lkd1 up',
].join(' && ');

export const NETNS_RESULT_MARK = '@@diff-result ';

let cached: string | undefined | null = null;

/** Why a differential cannot run inside a network namespace here (root, Linux, iproute2, util-linux), or undefined. */
export function diffNetnsUnavailableReason(): string | undefined {
  if (cached !== null) return cached;
  cached = (() => {
    if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
    if (process.getuid?.() !== 0) return 'a private network namespace (unshare -n + a veth pair) needs root';
    for (const tool of ['ip', 'unshare', 'nsenter']) {
      if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `\`${tool}\` (iproute2 / util-linux) is not on PATH`;
    }
    const probe = spawnSync('unshare', ['-n', 'sh', '-c', SETUP], { encoding: 'utf8' });
    if (probe.status !== 0) return `cannot create a network namespace with a veth pair: ${(probe.stderr || probe.error?.message || '').trim()}`;
    return undefined;
  })();
  return cached;
}

/**
 * Runs a TypeScript script (through tsx) inside a namespace: a fresh one, or the one of process `netnsPid` (a
 * holder container). Resolves with the JSON it printed after NETNS_RESULT_MARK; its whole process group is
 * killed when it ends or times out.
 */
export function runScriptInNetns(script: URL, opts: { env?: Record<string, string>; netnsPid?: number; timeoutMs?: number } = {}): Promise<unknown> {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const enter = opts.netnsPid ? ['nsenter', `--net=/proc/${opts.netnsPid}/ns/net`, '--'] : ['unshare', '-n'];
  const [cmd, ...args] = [...enter, 'sh', '-c', `${SETUP} && exec "$0" "$@"`, process.execPath, '--import', tsx, fileURLToPath(script)];
  const child = spawn(cmd!, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LAB_DIFF_NETNS_SERVER: DIFF_NETNS_SERVER, ...opts.env } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // the group is already empty
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup();
      reject(new Error(`${script.pathname} did not finish in its namespace within ${opts.timeoutMs} ms; output:\n${out}`));
    }, opts.timeoutMs ?? 300_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      killGroup(); // workers and clients it started share its group; none may outlive it
      const line = out.split('\n').find((l) => l.startsWith(NETNS_RESULT_MARK));
      if (code === 0 && line) resolve(JSON.parse(line.slice(NETNS_RESULT_MARK.length)));
      else reject(new Error(`${script.pathname} exited with ${code ?? signal} in its namespace; output:\n${out.slice(-4000)}`));
    });
  });
}
