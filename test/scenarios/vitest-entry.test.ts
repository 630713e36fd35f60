import { describe, expect, it } from 'vitest';
import { defineScenario, expectScenario, scenarioTest, useMockServer } from '../../scenarios/vitest.ts';

// What a user writes in their own suite: one mock for the file, scenarios in TypeScript.
describe('livekit-dispatch-lab/vitest', () => {
  const mock = useMockServer();

  it('runs a TypeScript scenario on the file-wide mock', async () => {
    const r = await expectScenario(
      defineScenario({
        name: 'ts-mismatch',
        description: 'a JT_PARTICIPANT worker gets no job from an empty room',
        reproduces: 'https://github.com/livekit/livekit/issues/4060',
        steps: [
          { worker: { id: 'pw', kind: 'protocol', jobType: 'JT_PARTICIPANT' } },
          { room: { name: 'ts-room' } },
          { expect: { jobs: 1, type: 'JT_ROOM', room: 'ts-room', outcome: 'dropped', reason: 'with type JT_ROOM' } },
          { join: { room: 'ts-room', identity: 'alice' } },
          { expect: { jobs: 1, participant: 'alice', worker: 'pw', outcome: 'assigned' } },
        ],
      }),
      mock.target,
    );
    expect(r.status).toBe('passed');
    expect(mock.target.trace.events('job.assigned')).toHaveLength(1);
  });

  it('fails with what was expected and seen', async () => {
    const wrong = defineScenario({
      name: 'ts-wrong',
      description: 'expects a job that never comes',
      reproduces: 'this test',
      steps: [{ worker: { id: 'w', kind: 'protocol', agentName: 'named' } }, { room: { name: 'ts-other' } }, { expect: { jobs: 1, worker: 'w', within: 300 } }],
    });
    await expect(expectScenario(wrong, mock.target)).rejects.toThrow(/expected exactly 1 job\(s\) offered with worker=w within 300 ms\n\s+seen: 0 matching/);
  });

  scenarioTest('scenarios/library/06-repeated-create-dispatch.yaml');
});
