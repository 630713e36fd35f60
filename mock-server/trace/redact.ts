/**
 * Tokens never reach the trace (which is streamed, written to files and printed): a JWT keeps only its
 * first characters and its length, enough to tell tokens apart in a trace, useless to anyone reading it.
 */
export function redactToken(token: string): string {
  if (!token) return token;
  return `${token.slice(0, 8)}…(redacted, ${token.length} chars)`;
}

/** Message JSON as traced: any `token` field (JobAssignment.token) is redacted. */
export function redactMessageJson<T extends Record<string, unknown>>(json: T): T {
  if (typeof json.token === 'string') return { ...json, token: redactToken(json.token) };
  return json;
}
