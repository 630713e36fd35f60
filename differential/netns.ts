import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Private network namespaces for runs that need WebRTC (libwebrtc gathers no loopback ICE candidates): lo plus a
 * veth pair and nothing else, so nothing sent inside can leave it. The one implementation behind the differential
 * (this file's DIFF_NETNS layout) and the WebRTC tests (test/support/netns.ts, their own layout). A namespace is a
 * fresh `unshare -n`, or the namespace of a process entered with nsenter: for the container differential, a holder
 * container started with --network none (Docker can only join a container's namespace), which the livekit-server
 * container joins with --network container:<id>.
 */
export interface NetnsLayout {
  /** The veth ends; not named veth*, because werift skips interfaces whose names start with `veth`. */
  readonly veth: readonly [server: string, client: string];
  readonly server: string;
  readonly client: string;
}

export const setupCommand = ({ veth: [a, b], server, client }: NetnsLayout): string =>
  [
    'ip link set lo up',
    `ip link add ${a} type veth peer name ${b}`,
    `ip addr add ${server}/24 dev ${a}`,
    `ip addr add ${client}/24 dev ${b}`,
    `ip link set ${a} up`,
    `ip link set ${b} up`,
  ].join(' && ');

const reasons = new Map<string, string | undefined>();

/** Why a namespace of this layout cannot be made here (root, Linux, the tools, a probe), or undefined. Cached. */
export function netnsUnavailableReasonFor(layout: NetnsLayout, tools: readonly string[] = ['ip', 'unshare']): string | undefined {
  const key = `${layout.veth.join('/')} ${tools.join(',')}`;
  if (reasons.has(key)) return reasons.get(key);
  const why = (() => {
    if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
    if (process.getuid?.() !== 0) return 'a private network namespace (unshare -n + a veth pair) needs root';
    for (const tool of tools) {
      if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `\`${tool}\` (iproute2 / util-linux) is not on PATH`;
    }
    const probe = spawnSync('unshare', ['-n', 'sh', '-c', setupCommand(layout)], { encoding: 'utf8' });
    if (probe.status !== 0) return `cannot create a network namespace with a veth pair: ${(probe.stderr || probe.error?.message || '').trim()}`;
    return undefined;
  })();
  reasons.set(key, why);
  return why;
}

export interface NetnsRun {
  readonly child: ChildProcess;
  /** Resolves with the JSON the script printed after the result mark, or rejects with the end of its output. */
  readonly result: Promise<unknown>;
  readonly output: () => string;
  /** Kills the script's whole process group. */
  kill(): void;
}

export interface NetnsStart {
  layout: NetnsLayout;
  /** The line prefix the script prints its JSON result after. */
  resultMark: string;
  env?: Record<string, string>;
  /** Enter the namespace of this process (nsenter) instead of a fresh one; the layout is set up in it. */
  netnsPid?: number;
  timeoutMs: number;
}

/** How much of a failed script's output its error carries: the end, where the failure is. */
const OUTPUT_TAIL = 8000;

/**
 * Runs a TypeScript script (through tsx) inside a namespace, in its own process group: everything it starts
 * (servers, clients, workers and their job processes) lives there, and the whole group is killed when it ends or
 * times out.
 */
export function startInNetns(script: string | URL, opts: NetnsStart): NetnsRun {
  const path = script instanceof URL ? fileURLToPath(script) : script;
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const enter = opts.netnsPid ? ['nsenter', `--net=/proc/${opts.netnsPid}/ns/net`, '--'] : ['unshare', '-n'];
  const [cmd, ...args] = [...enter, 'sh', '-c', `${setupCommand(opts.layout)} && exec "$0" "$@"`, process.execPath, '--import', tsx, path];
  const child = spawn(cmd!, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const kill = () => {
    if (!child.pid) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the group is already empty
    }
  };
  const result = new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`${path} did not finish in its namespace within ${opts.timeoutMs} ms; output:\n${out.slice(-OUTPUT_TAIL)}`));
    }, opts.timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      kill(); // workers and clients it started share its group; none may outlive it
      const line = out.split('\n').find((l) => l.startsWith(opts.resultMark));
      if (code === 0 && line) resolve(JSON.parse(line.slice(opts.resultMark.length)));
      else reject(new Error(`${path} exited with ${code ?? signal} in its namespace; output:\n${out.slice(-OUTPUT_TAIL)}`));
    });
  });
  return { child, result, output: () => out, kill };
}

/** The differential's namespace; the lab's side of the run finds its address in LAB_DIFF_NETNS_SERVER. */
const DIFF_NETNS: NetnsLayout = { veth: ['lkd0', 'lkd1'], server: '10.203.8.1', client: '10.203.8.2' };
export const DIFF_NETNS_SERVER = DIFF_NETNS.server;
export const NETNS_RESULT_MARK = '@@diff-result ';

/** Why a differential cannot run inside a network namespace here (root, Linux, iproute2, util-linux), or undefined. */
export const diffNetnsUnavailableReason = (): string | undefined => netnsUnavailableReasonFor(DIFF_NETNS, ['ip', 'unshare', 'nsenter']);

/**
 * Runs a differential script inside a namespace: a fresh one, or the one of process `netnsPid` (a holder
 * container). Resolves with the JSON it printed after NETNS_RESULT_MARK.
 */
export function runScriptInNetns(script: URL, opts: { env?: Record<string, string>; netnsPid?: number; timeoutMs?: number } = {}): Promise<unknown> {
  return startInNetns(script, {
    layout: DIFF_NETNS,
    resultMark: NETNS_RESULT_MARK,
    env: { LAB_DIFF_NETNS_SERVER: DIFF_NETNS_SERVER, ...opts.env },
    netnsPid: opts.netnsPid,
    timeoutMs: opts.timeoutMs ?? 300_000,
  }).result;
}
