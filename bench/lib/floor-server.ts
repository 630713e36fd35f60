import { AvailabilityRequest, Job, JobAssignment, RegisterWorkerResponse, Room, ServerMessage, WorkerMessage } from '@livekit/protocol';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * The transport floor: a bare `ws` server on /agent that only decodes each protobuf frame and answers with
 * a protobuf frame of the same kind and size class as the mock's, with no dispatch logic, no auth, no trace.
 * A worker's `simulateJob{room}` stands in for CreateRoom (the trigger), so one dispatch is the same
 * frame sequence as on the mock: trigger → AvailabilityRequest → AvailabilityResponse → JobAssignment.
 */
export async function startFloorServer(): Promise<{ url: string; close(): Promise<void> }> {
  const token = 'x'.repeat(420); // the size of a real JobAssignment token
  let seq = 0;
  const server: Server = createServer((_req, res) => res.writeHead(200).end('OK'));
  const wss = new WebSocketServer({ server, path: '/agent', perMessageDeflate: false });
  const jobs = new Map<string, Job>();
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const m = WorkerMessage.fromBinary(data as Buffer).message;
      if (m.case === 'register') {
        ws.send(new ServerMessage({ message: { case: 'register', value: new RegisterWorkerResponse({ workerId: `AW_floor${++seq}` }) } }).toBinary());
      } else if (m.case === 'simulateJob') {
        const job = new Job({ id: `AJ_floor${++seq}`, room: new Room({ name: m.value.room?.name ?? '', sid: `RM_floor${seq}` }), dispatchId: `AD_floor${seq}` });
        jobs.set(job.id, job);
        ws.send(new ServerMessage({ message: { case: 'availability', value: new AvailabilityRequest({ job }) } }).toBinary());
      } else if (m.case === 'availability') {
        const job = jobs.get(m.value.jobId);
        jobs.delete(m.value.jobId);
        if (job) ws.send(new ServerMessage({ message: { case: 'assignment', value: new JobAssignment({ job, token }) } }).toBinary());
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
