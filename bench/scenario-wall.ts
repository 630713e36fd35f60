/**
 * Item 6 probe, run as a child of bench/run.ts: `tsx bench/scenario-wall.ts mock|livekit`. Runs the whole
 * scenario library (scenarios/library) with the scenario runner, one fresh target per scenario, and prints
 * one JSON line: the wall time and each scenario's status and duration.
 */
import { join } from 'node:path';
import { REPO_ROOT } from '../targets/livekit-server-binary-path.ts';
import { collectScenarioFiles, runScenarios } from '../scenarios/runner.ts';

const against = process.argv[2] ?? 'mock';
const files = await collectScenarioFiles([join(REPO_ROOT, 'scenarios', 'library')]);
const t0 = performance.now();
const summary = await runScenarios(files, { against });
const wallMs = performance.now() - t0;
const scenarios = summary.results.map((r) => ({ name: r.name, status: r.status, durationMs: r.durationMs }));
process.stdout.write(`@@bench ${JSON.stringify({ against, wallMs, scenarios })}\n`);
process.exit(0);
