/** `/…/` is a regular expression, anything else a substring: how the SIP expectations match reasons. */
export function textMatches(want: string | undefined, text: string): boolean {
  if (want === undefined) return true;
  const re = /^\/(.*)\/([a-z]*)$/.exec(want);
  return re ? new RegExp(re[1]!, re[2]).test(text) : text.includes(want);
}
