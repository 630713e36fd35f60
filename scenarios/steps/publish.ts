import { ScenarioStepError } from '../errors.ts';
import { roomAndIdentity } from '../schema/field-specs.ts';
import { defineStep } from './step-kind.ts';

export interface PublishStep {
  room: string;
  identity: string;
  track?: 'audio' | 'video';
  /** Audio: a 440 Hz tone instead of silence (what a listener's `withEnergy` counts); the publisher is a WebRTC client. */
  tone?: boolean;
  /** The tone's frequency in Hz (default 440, the scripted agents' own tone): another one tells an echo from a tone. */
  toneHz?: number;
  /** Video: a moving gradient at 15 fps instead of black frames (what a listener's video frame count sees); the publisher is a WebRTC client. */
  pattern?: boolean;
}

/** A joined participant publishes a track (the trigger of JT_PUBLISHER jobs). */
export const publishStep = defineStep<'publish', PublishStep>({
  name: 'publish',
  fields: { ...roomAndIdentity, track: { t: 'enum', values: ['audio', 'video'] }, tone: { t: 'boolean' }, toneHz: { t: 'number', min: 100, max: 4000, integer: true }, pattern: { t: 'boolean' } },
  check(body, at, v) {
    const track = body.track ?? 'audio';
    if (body.tone && track !== 'audio') v.issue([...at, 'tone'], 'tone is for audio tracks (video: pattern)');
    if (body.toneHz !== undefined && !body.tone) v.issue([...at, 'toneHz'], 'toneHz needs tone: true');
    if (body.pattern && track !== 'video') v.issue([...at, 'pattern'], 'pattern is for video tracks (audio: tone)');
  },
  needs: (p) => (p.tone || p.pattern ? ['media', 'media-clients'] : ['media']),
  async run(p, env) {
    if (!env.participants.canPublish) throw new ScenarioStepError(`the ${env.participants.name} participant driver cannot publish`);
    await env.participants.publish(p.room, p.identity, p.track ?? 'audio', { tone: p.tone, toneHz: p.toneHz, pattern: p.pattern });
  },
});
