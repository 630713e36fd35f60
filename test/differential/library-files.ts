import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenarioFile } from '../../scenarios/load.ts';
import { requirementsOf } from '../../scenarios/requirements.ts';

export const LIBRARY = join(import.meta.dirname, '../../scenarios/library');

/**
 * The library split by what a differential run needs. Scenarios that publish need media participants
 * (livekit-server counts a track only once media flows), and those need WebRTC inside a network namespace;
 * the rest run with signalling-only participants on 127.0.0.1.
 */
export async function libraryByMedia(): Promise<{ signalling: string[]; publishing: string[] }> {
  const files = readdirSync(LIBRARY).filter((f) => f.endsWith('.yaml')).sort();
  const signalling: string[] = [];
  const publishing: string[] = [];
  for (const f of files) {
    const s = await loadScenarioFile(join(LIBRARY, f));
    (requirementsOf(s).includes('media') ? publishing : signalling).push(f);
  }
  return { signalling, publishing };
}
