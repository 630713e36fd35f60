/** Predicates for the participant-view entries of the deliberate-differences list. */

/** Both values are equal once every `version` is removed, and each real version is the mock's or one more. */
export function differsOnlyByVersionRace(mock: unknown, real: unknown): boolean {
  const mv: number[] = [];
  const rv: number[] = [];
  const a = JSON.stringify(stripVersions(mock, mv));
  const b = JSON.stringify(stripVersions(real, rv));
  return a === b && mv.length === rv.length && mv.every((v, i) => rv[i]! - v === 0 || rv[i]! - v === 1);
}

/**
 * A batched update in which the real server left out some participants the mock sent, the rest differing only by
 * the version race: participant_signal.go skips an info older than the version the recipient already has (from
 * its JoinResponse), which happens when the race made that version one higher.
 */
export function differsByOutdatedSkip(mock: unknown, real: unknown): boolean {
  if (!Array.isArray(mock) || !Array.isArray(real) || real.length >= mock.length) return false;
  const key = (x: unknown) => (x as { sid?: string }).sid;
  const kept = mock.filter((m) => real.some((r) => key(r) === key(m)));
  return kept.length === real.length && differsOnlyByVersionRace(kept, real);
}

/** `other messages` counts equal once refreshToken is left out. */
export function differsOnlyByRefreshToken(mock: unknown, real: unknown): boolean {
  const drop = (v: unknown) => JSON.stringify(Object.fromEntries(Object.entries((v ?? {}) as Record<string, number>).filter(([k]) => k !== 'refreshToken')));
  return drop(mock) === drop(real);
}

function stripVersions(v: unknown, versions: number[]): unknown {
  if (Array.isArray(v)) return v.map((x) => stripVersions(x, versions));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'version' && typeof x === 'number') versions.push(x);
      else out[k] = stripVersions(x, versions);
    }
    return out;
  }
  return v;
}
