import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runExplain } from '../../cli/explain-command.ts';
import { startSipLab, type SipLab } from './sip-lab.ts';

describe('explain: why an inbound call got no agent', () => {
  let lab: SipLab;
  let dir: string;
  beforeEach(async () => {
    lab = await startSipLab();
    dir = await mkdtemp(join(tmpdir(), 'sip-explain-'));
  });
  afterEach(async () => {
    await lab.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the reason for each call that brought no agent, from the trace the control API streams', async () => {
    const t = await lab.sip.createSipInboundTrunk('main', ['+18885550100']);
    await lab.sip.createSipDispatchRule({ type: 'direct', roomName: 'desk' }, { trunkIds: [t.sipTrunkId] });
    await lab.sip.createSipDispatchRule({ type: 'direct', roomName: 'vault', pin: '42' }, { trunkIds: [(await lab.sip.createSipInboundTrunk('pin', ['+18885550199'])).sipTrunkId] });
    for (const to of ['+18885550100', '+18885550100', '+18885550199', '+17770000000']) {
      expect((await lab.control('POST', '/sip/calls', { from: '+15550001111', to })).status).toBeLessThan(300);
    }
    const res = await fetch(`${lab.server.httpUrl}/_lab/events`, { headers: { Authorization: `Bearer ${(await import('../../fuzz/tokens.ts')).token(lab.server, {})}` } });
    const file = join(dir, 'events.jsonl');
    await writeFile(file, await res.text());
    let text = '';
    expect(await runExplain(['--events', file], (s) => (text += s))).toBe(0);
    const lines = text.split('\n').filter((l) => l.startsWith('  sip '));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/room desk: NO AGENT: rule SDR_\w+ names no agent/);
    expect(lines[1]).toMatch(/room desk: NO AGENT: room desk already existed/);
    expect(lines[2]).toMatch(/PIN_REQUIRED: rule SDR_\w+ requires a PIN/);
    expect(lines[3]).toMatch(/DROPPED: no trunk or dispatch rule matched: no inbound trunk matched/);
  }, 30_000);
});
