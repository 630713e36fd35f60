import { DELIBERATE_DIFFERENCES, deliberateReason, type DeliberateDifference } from '../deliberate-differences.ts';
import type { Difference } from '../outcome.ts';
import { VIEW_CASES, ViewNormalizer } from './view-normalize.ts';
import type { ViewSession } from './view-session.ts';

/** One observer's view: its messages in order, each with its time since its room was created. */
export interface ViewLine {
  case: string;
  afterCreationMs: number;
  content: unknown;
}

export interface NormalizedView {
  /** Per participant (by identity): what it received, in order. */
  seen: Record<string, ViewLine[]>;
  /** Signal messages outside the view, by observer: counted, not compared one by one. */
  otherMessages: Record<string, Record<string, number>>;
  /** Twirp answers and awaited conditions, by label. */
  observations: Record<string, { afterCreationMs: number; value: unknown }>;
}

/** Ignored message kinds: transport (SDP, ICE, pings) belongs to the media comparison. */
const TRANSPORT = new Set(['offer', 'answer', 'trickle', 'pong', 'pongResp']);

export function normalizeView(session: ViewSession): NormalizedView {
  const n = new ViewNormalizer(session);
  const origin = (room: string) => session.roomCreatedAt.get(room) ?? 0;
  const seen: NormalizedView['seen'] = {};
  const otherMessages: NormalizedView['otherMessages'] = {};
  for (const [identity, c] of session.clients) {
    const t0 = origin(c.join.room);
    seen[identity] = [];
    otherMessages[identity] = {};
    for (const m of c.received) {
      const kase = m.message.case ?? '';
      if ((VIEW_CASES as readonly string[]).includes(kase)) seen[identity].push({ case: kase, afterCreationMs: m.at - t0, content: n.message(m.message) });
      else if (!TRANSPORT.has(kase)) otherMessages[identity][kase] = (otherMessages[identity][kase] ?? 0) + 1;
    }
  }
  const observations: NormalizedView['observations'] = {};
  for (const o of session.observations) observations[o.label] = { afterCreationMs: o.at - origin(o.room), value: n.value(o.value) };
  return { seen, otherMessages, observations };
}

export interface ViewCompareOptions {
  /** How far apart the same message may arrive on the two servers (default 750 ms: a loaded 2-core machine). */
  toleranceMs?: number;
  /** Observation labels whose time is not compared (a Twirp read right after a step, whose time is the script's). */
  untimed?: (label: string) => boolean;
  deliberate?: readonly DeliberateDifference[];
}

/**
 * What participants saw on the mock vs on livekit-server: every message's content and order per observer,
 * its arrival time since room creation within the tolerance, and every Twirp answer / awaited condition.
 */
export function compareViews(mock: NormalizedView, real: NormalizedView, opts: ViewCompareOptions = {}): Difference[] {
  const tolerance = opts.toleranceMs ?? 750;
  const diffs: Difference[] = [];
  const add = (path: string, m: unknown, r: unknown) => {
    if (JSON.stringify(m) === JSON.stringify(r)) return;
    const d: Difference = { path, mock: m, real: r };
    const id = deliberateReason(d, opts.deliberate ?? DELIBERATE_DIFFERENCES);
    diffs.push(id ? { ...d, deliberate: id } : d);
  };
  const late = (m: number, r: number) => Math.abs(m - r) > tolerance;

  for (const who of new Set([...Object.keys(mock.seen), ...Object.keys(real.seen)])) {
    const ms = mock.seen[who] ?? [];
    const rs = real.seen[who] ?? [];
    add(`view ${who} › messages`, ms.map((l) => l.case), rs.map((l) => l.case));
    for (let i = 0; i < Math.min(ms.length, rs.length); i++) {
      if (ms[i]!.case !== rs[i]!.case) break;
      add(`view ${who} › #${i + 1} ${ms[i]!.case}`, ms[i]!.content, rs[i]!.content);
      if (late(ms[i]!.afterCreationMs, rs[i]!.afterCreationMs)) add(`view ${who} › #${i + 1} ${ms[i]!.case} › ms after room creation`, ms[i]!.afterCreationMs, rs[i]!.afterCreationMs);
    }
    add(`view ${who} › other messages`, mock.otherMessages[who] ?? {}, real.otherMessages[who] ?? {});
  }
  for (const label of new Set([...Object.keys(mock.observations), ...Object.keys(real.observations)])) {
    const m = mock.observations[label];
    const r = real.observations[label];
    add(`observed ${label}`, m?.value, r?.value);
    if (m && r && !opts.untimed?.(label) && late(m.afterCreationMs, r.afterCreationMs)) add(`observed ${label} › ms after room creation`, m.afterCreationMs, r.afterCreationMs);
  }
  return diffs;
}
