import { afterEach, describe, expect, it } from 'vitest';
import { startMarkCollector, type MarkCollector } from '../../agent-runtime/mark-collector.ts';
import { marksToken } from '../../agent-runtime/marks-endpoint.ts';
import { systemClock } from '../../mock-server/core/clock.ts';
import { Trace } from '../../mock-server/trace/trace.ts';

describe('mark collector (the /_lab/marks contract for real-server targets)', () => {
  let collector: MarkCollector | undefined;
  afterEach(async () => {
    await collector?.close();
  });

  it('records a signed mark as a trace event and refuses bad tokens and bodies', async () => {
    const trace = new Trace(systemClock);
    collector = await startMarkCollector({ trace, apiKey: 'devkey', apiSecret: 'secret' });
    expect(collector.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_lab\/marks$/);
    const post = (token: string, body: unknown) =>
      fetch(collector!.url, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const good = marksToken('devkey', 'secret');
    expect((await post(good, { name: 'entry.started', source: 't', jobId: 'AJ_1', data: { pid: 7 } })).status).toBe(204);
    expect((await post(marksToken('devkey', 'wrong'), { name: 'x', source: 't' })).status).toBe(401);
    expect((await post(good, { source: 't' })).status).toBe(400);
    expect(trace.events('mark')).toEqual([
      expect.objectContaining({ kind: 'mark', name: 'entry.started', source: 't', jobId: 'AJ_1', data: { pid: 7 } }),
    ]);
  });
});
