// Runs a Node agent file (default export = defineAgent({...})) as a production worker with the lab's options.
// argv: node node-runner.mjs start ; env: LAB_AGENT_FILE (absolute path), LAB_WORKER_OPTIONS (JSON ServerOptions subset),
// LIVEKIT_URL / LIVEKIT_API_KEY / LIVEKIT_API_SECRET (read by the agents CLI).
// The agent file's own `cli.runApp` is guarded by `process.argv[1] === fileURLToPath(import.meta.url)`, so it stays idle
// here (argv[1] is this runner); the job children import the agent file again and use its default export.
// If the agent module exports `labServerOptions` (requestFunc, loadFunc: functions that cannot travel as JSON),
// they are merged in: that is how the scripted agent scripts request handling and load.
import { cli, ServerOptions } from '@livekit/agents';
import { pathToFileURL } from 'node:url';

const agentFile = process.env.LAB_AGENT_FILE;
if (!agentFile) {
  console.error('node-runner: LAB_AGENT_FILE is not set');
  process.exit(2);
}
const mod = await import(pathToFileURL(agentFile).href);
const hooks = mod.labServerOptions ?? {};
const options = JSON.parse(process.env.LAB_WORKER_OPTIONS || '{}');
cli.runApp(new ServerOptions({ ...options, ...hooks, agent: agentFile }));
