import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioFileError } from '../scenarios/errors.ts';
import { parseScenario } from '../scenarios/load.ts';
import { REPO_ROOT } from '../targets/livekit-server-binary-path.ts';
import { inputSeed, Rng } from './rng.ts';

/** The scenario library, the seed corpus for scenario-file fuzzing. */
export function scenarioCorpus(): string[] {
  const dir = join(REPO_ROOT, 'scenarios', 'library');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

const SNIPPETS = ['', ':', '- ', '{', '}', '[', ']', '"', "'", '&a', '*a', '!!binary', '~', 'null', '-1', '1e999', '0x1F', 'true', '<<: *a', '? ', '|', '>', '#', '\t', '\u0000', '\u{1F600}', 'steps:', '  - expect: {}', 'jobs: -3', 'for: -1', 'wait: 10y'];

/** A mutated scenario file: lines dropped, duplicated, swapped or cut, YAML syntax and odd values injected. */
export function scenarioInputAt(runSeed: number, index: number, corpus: string[]): { label: string; text: string } {
  const rng = new Rng(inputSeed(runSeed ^ 0x5ce4, index));
  const base = rng.pick(corpus);
  const lines = base.split('\n');
  const ops: string[] = [];
  const n = rng.range(1, 5);
  for (let i = 0; i < n; i++) {
    const at = rng.int(Math.max(1, lines.length));
    switch (rng.int(7)) {
      case 0:
        lines.splice(at, 1);
        ops.push('drop line');
        break;
      case 1:
        lines.splice(at, 0, lines[rng.int(lines.length)] ?? '');
        ops.push('duplicate line');
        break;
      case 2: {
        const l = lines[at] ?? '';
        lines[at] = l.slice(0, rng.int(l.length + 1)) + rng.pick(SNIPPETS) + l.slice(rng.int(l.length + 1));
        ops.push('inject');
        break;
      }
      case 3:
        lines[at] = (lines[at] ?? '').replace(/: ([^,}]+)/, `: ${rng.pick(SNIPPETS)}`);
        ops.push('replace value');
        break;
      case 4:
        lines[at] = ' '.repeat(rng.int(6)) + (lines[at] ?? '').trimStart();
        ops.push('reindent');
        break;
      case 5:
        lines.length = Math.max(0, at);
        ops.push('truncate');
        break;
      default:
        lines.splice(at, 0, rng.text(40));
        ops.push('random text');
    }
  }
  return { label: ops.join(', '), text: lines.join('\n') };
}

/** A scenario file either parses or throws ScenarioFileError, quickly; anything else is a failure. */
export function checkScenarioInput(text: string): { ok: boolean; problem?: string; ms: number } {
  const t0 = Date.now();
  try {
    parseScenario(text, 'fuzz.yaml');
    return { ok: true, ms: Date.now() - t0 };
  } catch (e) {
    const ms = Date.now() - t0;
    if (e instanceof ScenarioFileError) return ms > 2_000 ? { ok: false, problem: `took ${ms} ms`, ms } : { ok: true, ms };
    return { ok: false, problem: `threw ${(e as Error)?.constructor?.name ?? typeof e}: ${(e as Error)?.message ?? String(e)}`.slice(0, 300), ms };
  }
}
