import { token, type Credentials } from '../../fuzz/tokens.ts';
import type { VideoGrant } from '../../mock-server/auth/claims.ts';

export interface TwirpAnswer {
  status: number;
  code?: string;
  msg?: string;
  meta?: Record<string, string>;
  body: Record<string, unknown>;
  ms: number;
}

/** A raw Twirp JSON call (the shape both servers must agree on), with exactly the grants given. */
export async function twirpCall(
  target: Credentials & { httpUrl: string },
  service: string,
  method: string,
  body: unknown,
  grants: { video?: VideoGrant; sip?: { admin?: boolean; call?: boolean } },
): Promise<TwirpAnswer> {
  const tok = token(target, grants.video ?? {}, grants.sip ? { sip: grants.sip } : {});
  const started = Date.now();
  const res = await fetch(`${target.httpUrl}/twirp/livekit.${service}/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tok}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  const json = (() => {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return { text };
    }
  })();
  const ms = Date.now() - started;
  if (res.status === 200) return { status: 200, body: json, ms };
  return { status: res.status, code: json.code as string, msg: json.msg as string, meta: json.meta as Record<string, string> | undefined, body: json, ms };
}

/** What two servers must agree on for an error: status, code, message, meta. */
export const errorShape = (a: TwirpAnswer) => ({ status: a.status, code: a.code, msg: a.msg, meta: a.meta });
