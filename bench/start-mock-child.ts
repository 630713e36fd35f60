/** The mock as its own process (cold start, media CPU): what `dispatch-lab serve` does, minus the CLI. Usage: tsx bench/start-mock-child.ts <port> [host] */
import { startMockServer } from '../mock-server/index.ts';

const port = Number(process.argv[2] ?? 0);
const server = await startMockServer({ port, host: process.argv[3] ?? '127.0.0.1', timing: 'fast' });
process.stdout.write(`ready ${server.port}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
