// A second network namespace for clients, inside the test namespace (test/support/netns.ts): the server keeps lkt0,
// the clients' namespace gets lkt1, so every client<->server packet crosses the veth once and nothing else does (the
// mock's relay hops stay on the server side's loopback). Loss set in the clients' namespace (udpLoss) hits exactly
// the client<->server leg, on the mock as on livekit-server. tc netem is not in this kernel; iptables' statistic is.
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../../agent-runtime/wait-for.ts';
import { setupCommand } from '../../../differential/netns.ts';
import { NETNS_CLIENT_ADDRESS, NETNS_LAYOUT, RESULT_MARK } from '../../support/netns.ts';

const [SERVER_LINK, CLIENT_LINK] = NETNS_LAYOUT.veth;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/**
 * Runs a client script (through tsx) in a namespace of its own holding lkt1, in this driver's process group, and
 * resolves with what it reports (reportResult). The veth pair goes with that namespace, so it is made again after.
 */
export async function runInClientNamespace(script: URL, env: Record<string, string>, timeoutMs = 90_000): Promise<unknown> {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const child = spawn('unshare', ['-n', '--', process.execPath, '--import', tsx, fileURLToPath(script)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    await waitFor(
      () => {
        try {
          ip('link', 'set', CLIENT_LINK, 'netns', String(child.pid));
          return true;
        } catch {
          return false; // unshare has not made the namespace yet
        }
      },
      { reason: `${CLIENT_LINK} to move into the clients' namespace`, timeoutMs: 5_000 },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    const line = out.split('\n').find((l) => l.startsWith(RESULT_MARK));
    if (code !== 0 || !line) throw new Error(`${fileURLToPath(script)} exited with ${code} in the clients' namespace; output:\n${out.slice(-3_000)}`);
    return JSON.parse(line.slice(RESULT_MARK.length));
  } finally {
    child.kill('SIGKILL');
    await exited;
    remakeVethPair();
  }
}

/** The test namespace's own veth pair, as runInNetns made it (the old end, if still there, goes first). */
function remakeVethPair(): void {
  execFileSync('sh', ['-c', `ip link del ${SERVER_LINK} 2>/dev/null; ${setupCommand(NETNS_LAYOUT)}`]);
}

/** In the client script: waits for lkt1 to arrive and gives it the client address. */
export async function enterClientNamespace(): Promise<void> {
  await waitFor(
    () => {
      try {
        ip('link', 'show', CLIENT_LINK);
        return true;
      } catch {
        return false;
      }
    },
    { reason: `${CLIENT_LINK} to arrive in this namespace`, timeoutMs: 5_000 },
  );
  ip('link', 'set', 'lo', 'up');
  ip('addr', 'add', `${NETNS_CLIENT_ADDRESS}/24`, 'dev', CLIENT_LINK);
  ip('link', 'set', CLIENT_LINK, 'up');
}

/** In the client script: drops each UDP packet in and out of this namespace with this probability (0: none). */
export function udpLoss(probability: number): void {
  execFileSync('iptables', ['-F']);
  if (probability <= 0) return;
  for (const chain of ['INPUT', 'OUTPUT']) {
    execFileSync('iptables', ['-A', chain, '-p', 'udp', '-m', 'statistic', '--mode', 'random', '--probability', String(probability), '-j', 'DROP']);
  }
}
