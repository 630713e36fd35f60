// The files of the smoke test's fresh consumer project: what a new user writes against the installed package.

export const CONSUMER_PACKAGE_JSON = JSON.stringify({ name: 'lab-consumer', private: true, type: 'module' }, null, 2);

/** Strict, agents-js-style settings: a consumer with these must see 0 errors from the package's declarations. */
export const CONSUMER_TSCONFIG = JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      exactOptionalPropertyTypes: false,
      verbatimModuleSyntax: true,
      noEmit: true,
      skipLibCheck: false,
      types: ['node'],
      lib: ['ES2023', 'ESNext.Disposable'],
    },
    include: ['consumer.ts'],
  },
  null,
  2,
);

/** Every entry, through the names the README documents; type-checked only. */
export const CONSUMER_TS = `import { startMockServer, SERVER_VERSION, LabError, type StartedMockServer, type TraceEvent } from 'livekit-dispatch-lab';
import { launchNodeWorker, launchPythonWorker, launchCommandWorker, type StartedWorker } from 'livekit-dispatch-lab/agent-runtime';
import {
  startLiveKitServer,
  LiveKitContainer,
  connectExternalTarget,
  startLiveKitCluster,
  LiveKitServerMissingError,
  type LiveKitTarget,
} from 'livekit-dispatch-lab/targets';
import { loadScenarioFile, runScenarios, ScenarioFileError, type ScenarioResult } from 'livekit-dispatch-lab/scenarios';
import { useMockServer, scenarioTest, expectScenario, defineScenario } from 'livekit-dispatch-lab/vitest';

export async function consume(): Promise<string> {
  await using server: StartedMockServer = await startMockServer({ port: 0, timing: 'fast' });
  const target: LiveKitTarget = server;
  const worker: StartedWorker = await launchNodeWorker({ target, script: {}, agentName: 'support' });
  await worker.waitReady();
  await worker.stop();
  const events: TraceEvent[] = server.trace.events();
  const first = events[0]?.kind ?? 'none';
  const summary = await runScenarios(['my-bug.yaml'], { against: 'mock' });
  const results: ScenarioResult[] = summary.results;
  const s = await loadScenarioFile('my-bug.yaml');
  const isLab = (e: unknown) => e instanceof LabError || e instanceof ScenarioFileError || e instanceof LiveKitServerMissingError;
  void [launchPythonWorker, launchCommandWorker, startLiveKitServer, connectExternalTarget, startLiveKitCluster, isLab];
  void [useMockServer, scenarioTest, expectScenario, defineScenario, new LiveKitContainer().withKeys('k', 's')];
  return \`\${SERVER_VERSION} \${first} \${results.length} \${s.name}\`;
}
`;

/** Plain JavaScript, no TypeScript anywhere: the mock and the runtime launchers from the package entries. */
export const CONSUMER_MJS = `import { startMockServer } from 'livekit-dispatch-lab';
import { launchNodeWorker, launchPythonWorker, launchCommandWorker } from 'livekit-dispatch-lab/agent-runtime';

for (const [name, fn] of Object.entries({ launchNodeWorker, launchPythonWorker, launchCommandWorker })) {
  if (typeof fn !== 'function') throw new Error(name + ' is not exported');
}
const server = await startMockServer({ port: 0, timing: 'fast' });
const res = await fetch(server.httpUrl + '/');
const worker = await launchNodeWorker({ target: server, script: {}, agentName: 'smoke' });
const registered = await worker.waitReady(60_000);
await worker.stop();
await server.close();
console.log(JSON.stringify({ status: res.status, body: await res.text(), agentName: registered.agentName }));
`;

/** A Vitest suite in the consumer, through the \`/vitest\` entry. */
export const CONSUMER_VITEST = `import { describe, it, expect } from 'vitest';
import { useMockServer, expectScenario, defineScenario, scenarioTest } from 'livekit-dispatch-lab/vitest';

scenarioTest('my-bug.yaml');

describe('a scenario written in TypeScript', () => {
  const mock = useMockServer();
  it('an unnamed JT_ROOM worker gets the room job', async () => {
    const r = await expectScenario(
      defineScenario({
        name: 'consumer-auto-dispatch',
        description: 'An unnamed JT_ROOM worker gets the job of a new room.',
        reproduces: 'https://docs.livekit.io/agents/server/lifecycle.md',
        steps: [
          { worker: { id: 'w1', jobType: 'JT_ROOM' } },
          { room: { name: 'consumer-room' } },
          { expect: { jobs: 1, type: 'JT_ROOM', room: 'consumer-room', worker: 'w1', outcome: 'assigned' } },
        ],
      }),
      mock.target,
    );
    expect(r.status).toBe('passed');
  });
});
`;
