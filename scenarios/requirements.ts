import { existsSync } from 'node:fs';
import type { LiveKitTarget } from '../targets/livekit-target.ts';
import { hasLabControl } from './lab-control.ts';
import { LOOPBACK_HOST, mediaUnavailableReason } from './participants/media-availability.ts';
import type { Scenario } from './model.ts';
import { stepKind, stepParts } from './steps/registry.ts';
import { loadAgentRuntime } from './workers/runtime-worker.ts';

/**
 * What a scenario needs beyond a server: its `requires:` plus what its steps imply, each step kind saying what
 * it needs (a node worker needs the Node runtime; faults and drop reasons need the lab's control API, which only
 * the mock has).
 */
export function requirementsOf(s: Scenario): string[] {
  const need = new Set(s.requires ?? []);
  for (const step of s.steps) {
    const [name, body] = stepParts(step);
    for (const n of stepKind(name)?.needs?.(body) ?? []) need.add(n);
  }
  return [...need];
}

/** The requirements this machine and target do not meet, each with a short hint. */
export async function missingRequirements(needs: string[], target: LiveKitTarget): Promise<string[]> {
  const missing: string[] = [];
  for (const n of needs) {
    if (n === 'node-runtime' || n === 'python-runtime') {
      const rt = await loadAgentRuntime();
      if (!rt) missing.push(`${n} (agent-runtime/ is not available)`);
      else if (n === 'python-runtime' && !existsSync(rt.venvPython())) missing.push(`python-runtime (no ${rt.venvPython()}; run npm run setup:python)`);
    } else if (n === 'lab-control') {
      if (!(await hasLabControl(target))) missing.push(`lab-control (the ${target.kind} target has no /_lab control API; run against the mock)`);
    } else if (n === 'rtc') {
      const host = new URL(target.wsUrl).hostname;
      if (LOOPBACK_HOST.test(host)) {
        missing.push(`rtc (agents join rooms over WebRTC, and libwebrtc gathers no loopback candidates: serve on a non-loopback address, e.g. inside a network namespace as test/scenarios/runtime-rtc-scenarios.test.ts does; the target is ${host})`);
      }
    } else if (n === 'media-clients') {
      // listening, tone-playing or pattern-sending participants are real WebRTC clients on every target, the mock too
      const why = await mediaUnavailableReason(target);
      if (why) missing.push(`media-clients (participants that listen, play a tone or send a video pattern are WebRTC clients: ${why.replace(/^publishing on a real server needs media, and /, '')})`);
    } else if (n === 'media') {
      if (target.kind === 'mock' || (await hasLabControl(target))) continue; // virtual participants publish
      const why = await mediaUnavailableReason(target);
      if (why) missing.push(`media (${why})`);
    }
  }
  return missing;
}
