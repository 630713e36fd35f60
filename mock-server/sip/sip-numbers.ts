/** livekit.NormalizeNumber (protocol livekit/sip.go): drop spaces, dashes and brackets, add "+", for number-like strings only. */
export function normalizeNumber(num: string): string {
  if (num === '') return '';
  if (!/^\+?[\d\- ()]+$/.test(num)) return num;
  const n = num.replace(/[ \-()]/g, '');
  return n.startsWith('+') ? n : `+${n}`;
}

/** matchNumbers (protocol sip/sip.go): an empty list allows all; otherwise exact or normalized equality. */
export function numberAllowed(num: string, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  const norm = normalizeNumber(num);
  return allowed.some((a) => a === num || normalizeNumber(a) === norm);
}
