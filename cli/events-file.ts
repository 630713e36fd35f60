import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TraceEvent } from '../mock-server/trace/events.ts';
import type { ScenarioResult } from '../scenarios/engine/result.ts';
import { UsageError } from '../scenarios/errors.ts';

export const DEFAULT_EVENTS_FILE = '.dispatch-lab/last-run.jsonl';

export interface ScenarioTrace {
  name: string;
  status?: string;
  workerAliases: Record<string, string>;
  events: TraceEvent[];
}

/** One header line per scenario (`{"scenario": …}`) followed by its trace events, one per line. */
export async function writeEventsFile(file: string, results: ScenarioResult[]): Promise<void> {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(JSON.stringify({ scenario: r.name, status: r.status, workerAliases: r.workerAliases }));
    for (const e of r.events) lines.push(JSON.stringify(e));
  }
  await mkdir(dirname(file), { recursive: true });
  // The default folder ignores itself, so a run inside a git checkout leaves nothing to commit.
  if (file === DEFAULT_EVENTS_FILE) await writeFile(`${dirname(file)}/.gitignore`, '*\n');
  await writeFile(file, `${lines.join('\n')}\n`);
}

/** Reads our own run files and plain trace JSONL (events with no scenario headers become one unnamed trace). */
export async function readEventsFile(file: string, parts: string[] = [file]): Promise<ScenarioTrace[]> {
  let text = '';
  for (const part of parts) {
    try {
      text += `${await readFile(part, 'utf8')}\n`;
    } catch {
      throw new UsageError(`cannot read ${part}; run "dispatch-lab run" first or pass --events <file.jsonl>`);
    }
  }
  return parseEventsText(text, file);
}

/** The same from text: a file's, or GET /_lab/events of a running server. */
export function parseEventsText(text: string, file: string): ScenarioTrace[] {
  const traces: ScenarioTrace[] = [];
  let current: ScenarioTrace | undefined;
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line);
    } catch {
      throw new UsageError(`${file}:${i + 1}: not a JSON line`);
    }
    if (typeof obj.scenario === 'string') {
      current = { name: obj.scenario, status: obj.status as string, workerAliases: (obj.workerAliases as Record<string, string>) ?? {}, events: [] };
      traces.push(current);
    } else if (typeof obj.kind === 'string') {
      if (!current) traces.push((current = { name: file, workerAliases: {}, events: [] }));
      current.events.push(obj as unknown as TraceEvent);
    }
  }
  return traces;
}
