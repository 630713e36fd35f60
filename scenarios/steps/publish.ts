import { ScenarioStepError } from '../errors.ts';
import { roomAndIdentity } from '../schema/field-specs.ts';
import { defineStep } from './step-kind.ts';

export interface PublishStep {
  room: string;
  identity: string;
  track?: 'audio' | 'video';
  /** Audio: a 440 Hz tone instead of silence (what a listener's `withEnergy` counts); the publisher is a WebRTC client. */
  tone?: boolean;
}

/** A joined participant publishes a track (the trigger of JT_PUBLISHER jobs). */
export const publishStep = defineStep<'publish', PublishStep>({
  name: 'publish',
  fields: { ...roomAndIdentity, track: { t: 'enum', values: ['audio', 'video'] }, tone: { t: 'boolean' } },
  needs: (p) => (p.tone ? ['media', 'media-clients'] : ['media']),
  async run(p, env) {
    if (!env.participants.canPublish) throw new ScenarioStepError(`the ${env.participants.name} participant driver cannot publish`);
    await env.participants.publish(p.room, p.identity, p.track ?? 'audio', { tone: p.tone });
  },
});
