// The tests' protocol-level worker is the shipped one (protocol-worker/); the tests keep calling it RawWorker.
export { AgentProtocolClient as RawWorker, type AgentProtocolClientOptions as RawWorkerOptions } from '../../protocol-worker/agent-protocol-client.ts';
