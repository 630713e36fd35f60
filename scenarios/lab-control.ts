import { AccessToken } from 'livekit-server-sdk';
import type { LiveKitTarget } from '../targets/livekit-target.ts';
import { ScenarioStepError } from './errors.ts';

/** A call to the mock's /_lab control API (needs a token signed with the server's key, like every endpoint). */
export async function labRequest(target: LiveKitTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  const at = new AccessToken(target.apiKey, target.apiSecret, { identity: 'dispatch-lab' });
  at.addGrant({ roomAdmin: true, roomCreate: true });
  const res = await fetch(`${target.httpUrl}/_lab${path}`, {
    method,
    headers: { Authorization: `Bearer ${await at.toJwt()}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new ScenarioStepError(`control API ${method} /_lab${path} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** True when the target answers the lab's control API (the mock, in process or behind a URL). */
export async function hasLabControl(target: LiveKitTarget): Promise<boolean> {
  if (target.kind === 'mock') return true;
  try {
    await labRequest(target, 'GET', '/faults');
    return true;
  } catch {
    return false;
  }
}
