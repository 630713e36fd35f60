import { readdirSync, readFileSync } from 'node:fs';
import { DisconnectReason } from '@livekit/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchNodeWorker } from '../../agent-runtime/node-launcher.ts';
import type { StartedWorker } from '../../agent-runtime/started-worker.ts';
import { waitFor } from '../../agent-runtime/wait-for.ts';
import { startMockServer, type StartedMockServer } from '../../mock-server/index.ts';
import { createRoom, dispatchAgent } from '../support/runtime/rooms.ts';

/** Every process whose process group is `pgid` (field 5 of /proc/<pid>/stat, after the parenthesised name). */
function processesInGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] = state, [1] = ppid, [2] = pgrp; a zombie is already dead (only its parent's wait is missing)
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(entry));
    } catch {
      /* exited while listing */
    }
  }
  return pids;
}

const AGENT = 'churn';
const WORKERS = 3;
// one of each stop: the workers are heavy (~0.5 GB each with their inference process), and the suite shares 2 cores
const CYCLES = 3;
type Stop = 'kill -9' | 'SIGTERM' | 'server restart';
const STOPS: readonly Stop[] = ['kill -9', 'SIGTERM', 'server restart'];

/**
 * Official @livekit/agents workers (3 processes, each with its job processes and inference process) under
 * churn: rooms are created and jobs dispatched while workers are killed (SIGKILL of the group), stopped
 * (SIGTERM, drain) or see the server restart. After each stop: the worker's process group is empty and no
 * registration outlives its socket; at the end every job has exactly one recorded end.
 */
describe('Node workers under churn', () => {
  let server: StartedMockServer;
  const workers: StartedWorker[] = [];
  const stopped: { pid: number; how: Stop }[] = [];
  let dispatched = 0;

  const launch = async (): Promise<StartedWorker> => {
    const w = await launchNodeWorker({ target: server, script: {}, agentName: AGENT, numIdleProcesses: 1, drainTimeoutMs: 5_000, shutdownProcessTimeoutMs: 3_000 });
    workers.push(w);
    await w.waitReady(60_000);
    return w;
  };
  const registeredIds = () => new Set(server.core.sessions().map((s) => s.workerId).filter((id): id is string => !!id));
  const live = () => workers.filter((w) => !w.exit);

  beforeAll(async () => {
    server = await startMockServer({ port: 0, timing: 'fast', seed: 11 });
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.dispose()));
    // whatever happened in the test, no process of any worker group is left
    for (const w of workers) expect(processesInGroup(w.pid)).toEqual([]);
    await server?.close();
  }, 60_000);

  it(`${WORKERS} workers, ${CYCLES} stop cycles (kill -9, SIGTERM, server restart) while rooms are created: no job lost, no process or registration left`, async () => {
    for (let i = 0; i < WORKERS; i++) await launch();
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      // two rooms per cycle, each with an explicit dispatch, while the stop below is under way
      const rooms = [0, 1].map((k) => `churn-${cycle}-${k}`);
      const dispatches = rooms.map(async (room) => {
        await createRoom(server, room);
        await dispatchAgent(server, room, AGENT);
        dispatched++;
      });
      const how = STOPS[cycle % STOPS.length];
      if (how === 'server restart') {
        const before = new Set(live().map((w) => w.workerId));
        await Promise.all(dispatches);
        server.core.restart();
        // the runtime reconnects and registers again with a new worker id
        await waitFor(() => registeredIds().size === live().length && ![...registeredIds()].some((id) => before.has(id)), { timeoutMs: 60_000, reason: 'every worker registered again after the restart' });
      } else {
        const victim = live()[cycle % live().length];
        const id = victim.workerId!;
        if (how === 'kill -9') await victim.kill();
        else await victim.stop(15_000);
        await Promise.all(dispatches);
        stopped.push({ pid: victim.pid, how });
        await waitFor(() => processesInGroup(victim.pid).length === 0 || undefined, { timeoutMs: 20_000, reason: `the process group of ${victim.describe()} (${how}) to be empty` });
        await waitFor(() => !registeredIds().has(id), { timeoutMs: 10_000, reason: `worker ${id} to leave the registry after ${how}` });
        await launch();
      }
    }

    // wind down: stop every worker, close every room; then each job must have ended exactly once
    for (const w of live()) {
      await w.stop(15_000);
      stopped.push({ pid: w.pid, how: 'SIGTERM' });
    }
    for (const room of server.core.rooms.list()) server.core.rooms.close(room, DisconnectReason.ROOM_DELETED);
    await waitFor(() => server.core.ledger.openJobs().length === 0 || undefined, { timeoutMs: 20_000, reason: 'every job to end' });
    for (const { pid } of stopped) expect(processesInGroup(pid)).toEqual([]);
    expect(server.core.registry().workers).toBe(0);

    const events = server.trace.events();
    const created = events.filter((e) => e.kind === 'job.created').map((e) => (e as { jobId: string }).jobId);
    const ends = new Map<string, string[]>();
    const reasons: Record<string, number> = {};
    for (const e of events) {
      if (e.kind !== 'job.ended') continue;
      ends.set(e.jobId, [...(ends.get(e.jobId) ?? []), e.outcome]);
      const r = `${e.outcome}: ${e.reason.replace(/[A-Z]{2}_\w+/g, '…')}`;
      reasons[r] = (reasons[r] ?? 0) + 1;
    }
    console.log(`node churn job ends by reason: ${JSON.stringify(reasons, null, 1)}`);
    const lost = created.filter((id) => (ends.get(id)?.length ?? 0) !== 1);
    const outcomes: Record<string, number> = {};
    for (const o of [...ends.values()].flat()) outcomes[o] = (outcomes[o] ?? 0) + 1;
    console.log(`node churn: ${dispatched} dispatches, ${created.length} jobs, outcomes ${JSON.stringify(outcomes)}, ${stopped.length} worker stops (${stopped.map((s) => s.how).join(', ')}), jobs without exactly one end: ${lost.length}`);
    expect(created.length).toBeGreaterThanOrEqual(dispatched);
    // the churn hit running jobs, not only offers
    expect(events.filter((e) => e.kind === 'job.assigned').length).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(events.filter((e) => e.kind === 'log' && /ended twice/.test(e.message))).toEqual([]);
  }, 240_000);
});
