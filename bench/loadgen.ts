/**
 * The load generator, a child process of bench/run.ts (forked with IPC), so that the in-process mock's
 * CPU and memory are measured without the clients' share. Commands arrive as IPC messages; each gets one
 * `{id, result}` or `{id, error}` reply. Timestamps are performance.now() of this process.
 */
import { Room, SimulateJobRequest, WorkerMessage } from '@livekit/protocol';
import { type LeanWorker, startWorkers, workerToken } from './lib/lean-worker.ts';
import { sleep, summarize } from './lib/stats.ts';
import { adminToken, TwirpClient } from './lib/twirp.ts';

export interface TargetRef {
  wsUrl: string;
  httpUrl: string;
  apiKey: string;
  apiSecret: string;
  /** 'twirp': CreateRoom triggers the job; 'floor': a simulateJob frame on a worker socket does. */
  trigger: 'twirp' | 'floor';
}

type Command =
  | { op: 'latency'; target: TargetRef; rooms: number; ratePerSec: number; warmup: number; prefix: string }
  | { op: 'throughput'; target: TargetRef; workers: number; window: number; warmupMs: number; measureMs: number; prefix: string }
  | { op: 'idle-workers'; target: TargetRef; count: number }
  | { op: 'release' }
  | { op: 'rooms'; target: TargetRef; count: number; mode: 'twirp' | 'virtual'; prefix: string }
  | { op: 'exit' };

const send = (m: unknown) => process.send!(m);
let idle: LeanWorker[] = [];

async function triggerFor(target: TargetRef, workers: () => LeanWorker[]): Promise<{ fire(name: string): Promise<void>; close(): void }> {
  if (target.trigger === 'twirp') {
    const client = new TwirpClient(target.httpUrl, await adminToken(target.apiKey, target.apiSecret));
    return { fire: (name) => client.createRoom(name), close: () => client.close() };
  }
  let rr = 0;
  return {
    fire: async (name) => {
      const ws = workers();
      ws[rr++ % ws.length].ws.send(new WorkerMessage({ message: { case: 'simulateJob', value: new SimulateJobRequest({ room: new Room({ name }) }) } }).toBinary());
    },
    close: () => undefined,
  };
}

async function latency(c: Extract<Command, { op: 'latency' }>) {
  const sentAt = new Map<string, number>();
  const avail: number[] = [];
  const assign: number[] = [];
  let measuring = false;
  const token = await workerToken(c.target.apiKey, c.target.apiSecret);
  const workers = await startWorkers(c.target.wsUrl, token, 1, {
    onAvailability: (room, _j, at) => {
      const t0 = sentAt.get(room);
      if (t0 !== undefined && measuring) avail.push(at - t0);
    },
    onAssignment: (room, _j, at) => {
      const t0 = sentAt.get(room);
      if (t0 !== undefined && measuring) assign.push(at - t0);
      sentAt.delete(room);
    },
  });
  const trig = await triggerFor(c.target, () => workers);
  let errors = 0;
  const run = async (n: number, tag: string) => {
    const interval = 1000 / c.ratePerSec;
    const start = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const due = start + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const name = `${c.prefix}-${tag}-${i}`;
      sentAt.set(name, performance.now());
      pending.push(trig.fire(name).catch(() => void errors++));
    }
    await Promise.all(pending);
    const deadline = performance.now() + 10_000;
    while (sentAt.size > 0 && performance.now() < deadline) await sleep(20);
  };
  await run(c.warmup, 'warm');
  sentAt.clear();
  measuring = true;
  await run(c.rooms, 'm');
  const missing = sentAt.size;
  trig.close();
  for (const w of workers) w.close();
  return { availability: summarize(avail), assignment: summarize(assign), missing, errors };
}

async function throughput(c: Extract<Command, { op: 'throughput' }>) {
  let outstanding = 0;
  let completed = 0;
  let errors = 0;
  let pumping = true;
  let i = 0;
  const sentAt = new Map<string, number>();
  const lat: number[] = [];
  let inWindow = false;
  const token = await workerToken(c.target.apiKey, c.target.apiSecret);
  let trig: Awaited<ReturnType<typeof triggerFor>> | undefined;
  const pump = () => {
    while (pumping && trig && outstanding < c.window) {
      outstanding++;
      const name = `${c.prefix}-${i++}`;
      sentAt.set(name, performance.now());
      trig.fire(name).catch(() => {
        errors++;
        outstanding--;
        sentAt.delete(name);
      });
    }
  };
  const workers = await startWorkers(c.target.wsUrl, token, c.workers, {
    onAssignment: (room, _j, at) => {
      const t0 = sentAt.get(room);
      if (t0 === undefined) return;
      sentAt.delete(room);
      outstanding--;
      if (inWindow) {
        completed++;
        lat.push(at - t0);
      }
      pump();
    },
  });
  trig = await triggerFor(c.target, () => workers);
  pump();
  await sleep(c.warmupMs);
  send({ event: 'window-start' });
  inWindow = true;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(c.measureMs);
  inWindow = false;
  const windowMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  send({ event: 'window-end' });
  pumping = false;
  const deadline = performance.now() + 15_000;
  while (outstanding > 0 && performance.now() < deadline) await sleep(20);
  trig.close();
  for (const w of workers) w.close();
  return { dispatchesPerSec: (completed * 1000) / windowMs, completed, windowMs, errors, leftOutstanding: outstanding, started: i, assignment: summarize(lat), clientCpuPerDispatchUs: (cpu.user + cpu.system) / Math.max(1, completed) };
}

async function rooms(c: Extract<Command, { op: 'rooms' }>) {
  const client = new TwirpClient(c.target.httpUrl, await adminToken(c.target.apiKey, c.target.apiSecret), 16);
  let next = 0;
  const one = async () => {
    for (;;) {
      const i = next++;
      if (i >= c.count) return;
      const name = `${c.prefix}-${i}`;
      if (c.mode === 'twirp') await client.createRoom(name);
      else {
        const res = await client.post(`/_lab/rooms/${encodeURIComponent(name)}/participants`, JSON.stringify({ identity: `user-${i}` }), 'application/json');
        if (res.status !== 201) throw new Error(`virtual participant: HTTP ${res.status} ${res.body.toString().slice(0, 200)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, one));
  client.close();
  return { created: c.count };
}

process.on('message', async (msg: { id: number; cmd: Command }) => {
  const { id, cmd } = msg;
  try {
    let result: unknown;
    switch (cmd.op) {
      case 'latency':
        result = await latency(cmd);
        break;
      case 'throughput':
        result = await throughput(cmd);
        break;
      case 'idle-workers':
        idle = await startWorkers(cmd.target.wsUrl, await workerToken(cmd.target.apiKey, cmd.target.apiSecret), cmd.count, {}, 100);
        result = { connected: idle.length };
        break;
      case 'release':
        for (const w of idle) w.close();
        idle = [];
        result = {};
        break;
      case 'rooms':
        result = await rooms(cmd);
        break;
      case 'exit':
        send({ id, result: {} });
        process.exit(0);
    }
    send({ id, result });
  } catch (e) {
    send({ id, error: (e as Error).stack ?? String(e) });
  }
});
process.on('disconnect', () => process.exit(0));
send({ event: 'ready' });
