import { ScenarioStepError } from '../errors.ts';
import { roomAndIdentity } from '../schema/field-specs.ts';
import { defineStep } from './step-kind.ts';

export interface PublishStep {
  room: string;
  identity: string;
  track?: 'audio' | 'video';
}

/** A joined participant publishes a track (the trigger of JT_PUBLISHER jobs). */
export const publishStep = defineStep<'publish', PublishStep>({
  name: 'publish',
  fields: { ...roomAndIdentity, track: { t: 'enum', values: ['audio', 'video'] } },
  needs: () => ['media'],
  async run(p, env) {
    if (!env.participants.canPublish) throw new ScenarioStepError(`the ${env.participants.name} participant driver cannot publish`);
    await env.participants.publish(p.room, p.identity, p.track ?? 'audio');
  },
});
