// Runs one differential inside a network namespace (differential/netns.ts): both servers bind the namespace's
// veth address, where WebRTC media participants can reach them. Prints the result (without the raw traces) as
// one JSON line after NETNS_RESULT_MARK.
import { releaseMediaClients } from '../scenarios/participants/media-availability.ts';
import { NETNS_RESULT_MARK } from './netns.ts';
import { runDifferential, type RealBackend } from './run-differential.ts';

const file = process.env.LAB_DIFF_FILE;
const host = process.env.LAB_DIFF_NETNS_SERVER;
if (!file || !host) throw new Error('differential/netns-driver.ts runs through runScriptInNetns (LAB_DIFF_FILE, LAB_DIFF_NETNS_SERVER)');
const r = await runDifferential(file, {
  host,
  real: (process.env.LAB_DIFF_REAL as RealBackend | undefined) ?? 'livekit',
  containerNetworkMode: process.env.LAB_DIFF_CONTAINER_NETWORK || undefined,
});
await releaseMediaClients();
const slim = { ...r, mock: { ...r.mock, events: [] }, real: { ...r.real, events: [] } };
process.stdout.write(`${NETNS_RESULT_MARK}${JSON.stringify(slim)}\n`);
process.exit(0);
