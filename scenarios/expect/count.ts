/** `N` exactly, or ">=N" / "<=N" / ">N" / "<N". */
export type Count = number | string;

export const COUNT_RE = /^(>=|<=|>|<)?\s*(\d+)$/;

export interface CountRule {
  op: '=' | '>=' | '<=' | '>' | '<';
  n: number;
}

export function parseCount(c: Count): CountRule {
  if (typeof c === 'number') return { op: '=', n: c };
  const m = COUNT_RE.exec(c.trim())!;
  return { op: (m[1] ?? '=') as CountRule['op'], n: Number(m[2]) };
}

export const holds = (r: CountRule, count: number) =>
  r.op === '=' ? count === r.n : r.op === '>=' ? count >= r.n : r.op === '<=' ? count <= r.n : r.op === '>' ? count > r.n : count < r.n;

/** An upper bound (0, ≤N, <N) can only be shown by waiting; everything else is shown once it holds. */
export const isUpperBound = (r: CountRule) => (r.op === '=' && r.n === 0) || r.op === '<=' || r.op === '<';

export const countText = (r: CountRule) => (r.op === '=' ? `exactly ${r.n}` : `${r.op} ${r.n}`);
