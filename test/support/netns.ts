import { netnsUnavailableReasonFor, startInNetns, type NetnsLayout, type NetnsRun } from '../../differential/netns.ts';

/**
 * WebRTC between local processes needs a non-loopback interface: libwebrtc gathers no loopback
 * candidates. So ICE tests run inside a private network namespace (root + `unshare -n`) holding a veth
 * pair and nothing else; nothing they send can leave it. The namespace itself is differential/netns.ts's;
 * this is the tests' own layout (lkt0/lkt1), result mark and the set of runs afterEach kills.
 */
export const NETNS_SERVER_ADDRESS = '10.203.0.1';
export const NETNS_CLIENT_ADDRESS = '10.203.0.2';
export const NETNS_LAYOUT: NetnsLayout = { veth: ['lkt0', 'lkt1'], server: NETNS_SERVER_ADDRESS, client: NETNS_CLIENT_ADDRESS };
const RESULT_MARK = '@@result ';

export type { NetnsRun };

/** Why this machine cannot run the namespace tests, or undefined when it can. */
export const netnsUnavailableReason = (): string | undefined => netnsUnavailableReasonFor(NETNS_LAYOUT);

const running = new Set<NetnsRun>();

/**
 * Runs a TypeScript script (through tsx) in a fresh namespace, in its own process group. Everything it
 * starts (mock server, rtc-node clients, agent workers and their job processes) lives in that namespace.
 * The script reports its result with `reportResult` (test/rtc/drivers/driver-kit.ts).
 */
export function runInNetns(script: string | URL, options: { env?: Record<string, string>; timeoutMs?: number } = {}): NetnsRun {
  const reason = netnsUnavailableReason();
  if (reason) throw new Error(reason);
  const run = startInNetns(script, {
    layout: NETNS_LAYOUT,
    resultMark: RESULT_MARK,
    env: { LAB_NETNS_SERVER: NETNS_SERVER_ADDRESS, LAB_NETNS_CLIENT: NETNS_CLIENT_ADDRESS, ...options.env },
    timeoutMs: options.timeoutMs ?? 120_000,
  });
  running.add(run);
  run.child.on('exit', () => running.delete(run));
  return run;
}

/** For afterEach: kills the process group of every script still running. */
export function killNetnsRuns(): void {
  for (const run of running) run.kill();
  running.clear();
}

export { RESULT_MARK };
