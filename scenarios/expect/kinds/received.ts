import { str } from '../../schema/field-specs.ts';
import type { Count } from '../count.ts';
import { countEvents, describe } from '../event-count.ts';
import { defineExpectKind } from '../expect-kind.ts';

/** What a listening participant (`join: {listen: true}`) decoded: counts the tracks that reached `frames`. */
export interface ReceivedExpectation {
  received: Count;
  room?: string;
  /** The listener. */
  identity?: string;
  /** The publisher; a trailing `*` matches a prefix (an agent's identity is `agent-<job id>`). */
  from?: string;
  track?: 'audio' | 'video';
  /** At least this many frames (default 1). */
  frames?: number;
  /** Audio frames with energy only (not silence). */
  withEnergy?: boolean;
  /**
   * Audio with energy whose pitch is this many Hz (±5 %): a participant's tone published with `toneHz` heard back
   * from an agent is its echo, not the agent's own 440 Hz tone. Implies withEnergy.
   */
  toneHz?: number;
}

export const receivedExpectation = defineExpectKind<'received', ReceivedExpectation>({
  name: 'received',
  fields: {
    received: { t: 'count', required: true },
    room: str,
    identity: str,
    from: str,
    track: { t: 'enum', values: ['audio', 'video'] },
    frames: { t: 'number', min: 1, integer: true },
    withEnergy: { t: 'boolean' },
    toneHz: { t: 'number', min: 100, max: 4000 },
  },
  evaluate(e, rule, input) {
    const wanted = e.frames ?? 1;
    const from = (who: string) => e.from === undefined || (e.from.endsWith('*') ? who.startsWith(e.from.slice(0, -1)) : who === e.from);
    const context = input.events.filter((x) => x.kind === 'media.received');
    const matches = context.filter(
      (x) =>
        x.kind === 'media.received' &&
        x.frames >= wanted &&
        (e.room === undefined || x.room === e.room) &&
        (e.identity === undefined || x.identity === e.identity) &&
        (e.track === undefined || x.track === e.track) &&
        (!(e.withEnergy || e.toneHz !== undefined) || x.withEnergy) &&
        (e.toneHz === undefined || (x.hz !== undefined && Math.abs(x.hz - e.toneHz) <= e.toneHz * 0.05)) &&
        from(x.from),
    );
    // one listener's track counts once, however many milestones it passed
    const tracks = new Set(matches.map((x) => (x.kind === 'media.received' ? `${x.room}/${x.identity}/${x.from}/${x.track}` : '')));
    const what = describe('track(s) received', { room: e.room, identity: e.identity, from: e.from, track: e.track, frames: wanted, withEnergy: e.withEnergy, toneHz: e.toneHz });
    return countEvents(rule, what, matches, context, input, tracks.size);
  },
});
