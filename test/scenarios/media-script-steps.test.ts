import { describe, expect, it } from 'vitest';
import { validateScript } from '../../agent-runtime/scripted/script-schema.ts';
import { ScenarioFileError } from '../../scenarios/errors.ts';
import { parseScenario } from '../../scenarios/load.ts';

const head = 'name: x\ndescription: shows x\nreproduces: nowhere\nsteps:\n';

function errorOf(steps: string): string {
  try {
    parseScenario(head + steps, 'bad.yaml');
  } catch (e) {
    if (e instanceof ScenarioFileError) return e.message;
    throw e;
  }
  throw new Error('expected a ScenarioFileError');
}

describe('scripted agents: media steps are checked before a worker starts', () => {
  it('listen: frames, kind and from', () => {
    expect(() => validateScript({ entry: [{ do: 'listen', frames: 0 }] })).toThrow('entry[0]: listen needs frames, a whole number > 0');
    expect(() => validateScript({ entry: [{ do: 'listen', frames: 5, kind: 'screen' as 'video' }] })).toThrow('entry[0]: listen kind must be audio or video');
    expect(() => validateScript({ entry: [{ do: 'listen', frames: 5, from: '' }] })).toThrow('entry[0]: listen from must be a participant identity (a non-empty string)');
    expect(validateScript({ entry: [{ do: 'listen', frames: 5, kind: 'video', from: 'user' }] }).entry).toHaveLength(1);
  });

  it('echo: an optional from identity', () => {
    expect(() => validateScript({ entry: [{ do: 'connect' }, { do: 'echo', from: 7 as unknown as string }] })).toThrow('entry[1]: echo from must be a participant identity (a non-empty string)');
    expect(validateScript({ entry: [{ do: 'echo' }, { do: 'echo', from: 'user' }] }).entry).toHaveLength(2);
  });

  it('publishVideo: fps within 1..60', () => {
    expect(() => validateScript({ entry: [{ do: 'publishVideo', fps: 0 }] })).toThrow('entry[0]: publishVideo fps must be a whole number within 1..60');
    expect(() => validateScript({ entryByMetadata: { cam: [{ do: 'publishVideo', fps: 12.5 }] } })).toThrow('entryByMetadata["cam"][0]: publishVideo fps must be a whole number within 1..60');
    expect(validateScript({ entry: [{ do: 'publishVideo' }, { do: 'publishVideo', fps: 30 }] }).entry).toHaveLength(2);
  });

  it('a misspelt step is one line naming it', () => {
    expect(() => validateScript({ entry: [{ do: 'ecoh' } as never] })).toThrow('entry[0]: unknown step "ecoh"');
  });
});

describe('publish: generated media goes with its track kind', () => {
  it('tone is for audio, pattern for video', () => {
    const join = '  - join: { room: r, identity: u }\n';
    expect(errorOf(join + '  - publish: { room: r, identity: u, track: video, tone: true }\n')).toContain('bad.yaml:6: steps[1].publish.tone: tone is for audio tracks (video: pattern)');
    expect(errorOf(join + '  - publish: { room: r, identity: u, pattern: true }\n')).toContain('bad.yaml:6: steps[1].publish.pattern: pattern is for video tracks (audio: tone)');
    expect(parseScenario(head + join + '  - publish: { room: r, identity: u, track: video, pattern: true }\n', 'ok.yaml').steps).toHaveLength(2);
  });
});
