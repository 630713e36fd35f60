import { RoomServiceClient, SipClient } from 'livekit-server-sdk';
import { startMockServer, type StartedMockServer } from '../../mock-server/index.ts';
import type { TraceEvent, TraceEventOf } from '../../mock-server/trace/events.ts';
import { RawWorker } from '../support/raw-worker.ts';
import { roomToken } from '../rtc/signal-client.ts';

/** A mock with the SIP API, its control API and helpers; everything over real sockets. */
export interface SipLab {
  server: StartedMockServer;
  sip: SipClient;
  rooms: RoomServiceClient;
  control(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  worker(agentName?: string): Promise<RawWorker>;
  events<K extends TraceEvent['kind']>(kind: K): TraceEventOf<K>[];
  close(): Promise<void>;
}

export async function startSipLab(): Promise<SipLab> {
  const server = await startMockServer({ port: 0, timing: 'fast', rtc: false });
  const workers: RawWorker[] = [];
  const token = await roomToken(server.apiKey, server.apiSecret, 'lab-admin', { roomAdmin: true });
  return {
    server,
    sip: new SipClient(server.httpUrl, server.apiKey, server.apiSecret),
    rooms: new RoomServiceClient(server.httpUrl, server.apiKey, server.apiSecret),
    async control(method, path, body) {
      const res = await fetch(`${server.httpUrl}/_lab${path}`, { method, headers: { Authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, json: await res.json() };
    },
    async worker(agentName) {
      const w = await new RawWorker({ url: server.wsUrl, apiKey: server.apiKey, apiSecret: server.apiSecret, agentName }).connect();
      workers.push(w);
      return w.register();
    },
    events: (kind) => server.trace.events().filter((e) => e.kind === kind) as never,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await server.close();
    },
  };
}

/** The sip.callStatus values a call went through, from the trace. */
export const statusesOf = (lab: SipLab, callId: string) => lab.events('sip.call.status').filter((e) => e.callId === callId).map((e) => e.status);
