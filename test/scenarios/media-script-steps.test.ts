import { describe, expect, it } from 'vitest';
import { validateScript } from '../../agent-runtime/scripted/script-schema.ts';
import type { TraceEvent } from '../../mock-server/trace/events.ts';
import { evaluate } from '../../scenarios/expect/evaluate.ts';
import { parseScenario } from '../../scenarios/load.ts';
import { STEPS_HEAD, stepsError } from '../support/scenario-errors.ts';

const head = STEPS_HEAD;
const errorOf = stepsError;

describe('scripted agents: media steps are checked before a worker starts', () => {
  it('listen: frames, kind and from', () => {
    expect(() => validateScript({ entry: [{ do: 'listen', frames: 0 }] })).toThrow(
      'entry[0]: listen needs frames, a whole number > 0',
    );
    expect(() => validateScript({ entry: [{ do: 'listen', frames: 5, kind: 'screen' as 'video' }] })).toThrow(
      'entry[0]: listen kind must be audio or video',
    );
    expect(() => validateScript({ entry: [{ do: 'listen', frames: 5, from: '' }] })).toThrow(
      'entry[0]: listen from must be a participant identity (a non-empty string)',
    );
    expect(validateScript({ entry: [{ do: 'listen', frames: 5, kind: 'video', from: 'user' }] }).entry).toHaveLength(1);
  });

  it('echo: an optional from identity', () => {
    expect(() => validateScript({ entry: [{ do: 'connect' }, { do: 'echo', from: 7 as unknown as string }] })).toThrow(
      'entry[1]: echo from must be a participant identity (a non-empty string)',
    );
    expect(validateScript({ entry: [{ do: 'echo' }, { do: 'echo', from: 'user' }] }).entry).toHaveLength(2);
  });

  it('publishVideo: fps within 1..60', () => {
    expect(() => validateScript({ entry: [{ do: 'publishVideo', fps: 0 }] })).toThrow(
      'entry[0]: publishVideo fps must be a whole number within 1..60',
    );
    expect(() => validateScript({ entryByMetadata: { cam: [{ do: 'publishVideo', fps: 12.5 }] } })).toThrow(
      'entryByMetadata["cam"][0]: publishVideo fps must be a whole number within 1..60',
    );
    expect(validateScript({ entry: [{ do: 'publishVideo' }, { do: 'publishVideo', fps: 30 }] }).entry).toHaveLength(2);
  });

  it('a misspelt step is one line naming it', () => {
    expect(() => validateScript({ entry: [{ do: 'ecoh' } as never] })).toThrow('entry[0]: unknown step "ecoh"');
  });
});

describe('publish: generated media goes with its track kind', () => {
  it('tone is for audio, pattern for video', () => {
    const join = '  - join: { room: r, identity: u }\n';
    expect(errorOf(join + '  - publish: { room: r, identity: u, track: video, tone: true }\n')).toContain(
      'bad.yaml:6: steps[1].publish.tone: tone is for audio tracks (video: pattern)',
    );
    expect(errorOf(join + '  - publish: { room: r, identity: u, pattern: true }\n')).toContain(
      'bad.yaml:6: steps[1].publish.pattern: pattern is for video tracks (audio: tone)',
    );
    expect(
      parseScenario(head + join + '  - publish: { room: r, identity: u, track: video, pattern: true }\n', 'ok.yaml')
        .steps,
    ).toHaveLength(2);
  });
});

describe("received toneHz: an echo of the user's tone is told from an agent's own 440 Hz tone", () => {
  const names = { workerIds: () => [], aliasOf: (id: string | undefined) => id ?? '', dispatchId: (r: string) => r };
  const heard = (seq: number, from: string, hz: number | undefined): TraceEvent => ({
    seq,
    at: seq,
    kind: 'media.received',
    room: 'call',
    identity: 'user',
    from,
    track: 'audio',
    frames: 50,
    withEnergy: hz !== undefined,
    ...(hz === undefined ? {} : { hz }),
  });
  const events = [heard(1, 'agent-AJ_1', 441), heard(2, 'agent-AJ_2', 652), heard(3, 'agent-AJ_3', undefined)];
  const count = (toneHz: number) =>
    evaluate({ received: '>=0', identity: 'user', from: 'agent-*', frames: 50, toneHz }, events, names).count;

  it('counts only the tracks whose pitch is within 5 % (silence has none)', () => {
    expect(count(660)).toBe(1);
    expect(count(440)).toBe(1);
    expect(count(550)).toBe(0);
  });

  it('publish toneHz goes with tone: true and a frequency within 100..4000 Hz', () => {
    const join = '  - join: { room: r, identity: u }\n';
    expect(errorOf(join + '  - publish: { room: r, identity: u, toneHz: 660 }\n')).toContain(
      'bad.yaml:6: steps[1].publish.toneHz: toneHz needs tone: true',
    );
    expect(errorOf(join + '  - publish: { room: r, identity: u, tone: true, toneHz: 20 }\n')).toMatch(
      /bad\.yaml:6: steps\[1\]\.publish\.toneHz: .*100/,
    );
  });
});
