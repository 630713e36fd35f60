import { signHs256 } from '../mock-server/auth/jwt.ts';
import type { LiveKitTarget } from '../targets/livekit-target.ts';
import { MARKS_PATH, startMarkCollector } from './mark-collector.ts';

/** Where agents post marks, the token they send, and how to release the endpoint. */
export interface MarksEndpoint {
  url: string;
  token: string;
  close(): Promise<void>;
}

/**
 * - `target`: the target's own `POST /_lab/marks` (the mock).
 * - `collector`: a private mark collector recording into the target's trace (real servers).
 * - `auto`: the target's endpoint when it answers anything but 404, else a collector.
 */
export type MarksMode = 'auto' | 'target' | 'collector';

/** A long-lived token (24 h) signed with the target's key; the endpoint only checks the signature. */
export function marksToken(apiKey: string, apiSecret: string): string {
  const now = Math.floor(Date.now() / 1000);
  return signHs256({ iss: apiKey, sub: 'lab-marks', nbf: now, exp: now + 86_400 }, apiSecret);
}

async function targetHasMarks(target: LiveKitTarget, token: string): Promise<boolean> {
  try {
    // An empty body is invalid: a present endpoint answers 400 and records nothing.
    const res = await fetch(new URL(MARKS_PATH, target.httpUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    await res.arrayBuffer();
    return res.status !== 404;
  } catch {
    return false;
  }
}

export async function resolveMarksEndpoint(target: LiveKitTarget, mode: MarksMode = 'auto'): Promise<MarksEndpoint> {
  const token = marksToken(target.apiKey, target.apiSecret);
  const useTarget = mode === 'target' || (mode === 'auto' && target.kind === 'mock' && (await targetHasMarks(target, token)));
  if (useTarget) return { url: new URL(MARKS_PATH, target.httpUrl).toString(), token, close: async () => {} };
  const collector = await startMarkCollector({ trace: target.trace, apiKey: target.apiKey, apiSecret: target.apiSecret });
  return { url: collector.url, token, close: () => collector.close() };
}
