/**
 * Go's base64.URLEncoding.DecodeString, which livekit-server uses for `join_request` and `attributes`:
 * padding is required, '\r' and '\n' anywhere are skipped, any other character outside the URL alphabet
 * (including '+' and '/', or '=' before the end) is an error. Node's decoder accepts all of these, so the
 * mock checks the form first. Returns undefined where Go returns an error.
 */
const GO_URL_BASE64 = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;

export function decodeGoBase64Url(s: string): Buffer | undefined {
  const clean = s.replace(/[\r\n]/g, '');
  if (!GO_URL_BASE64.test(clean)) return undefined;
  return Buffer.from(clean, 'base64url');
}
