import type { JoinSpec } from '../model.ts';
import { roomAndIdentity, str } from '../schema/field-specs.ts';
import { defineStep } from './step-kind.ts';

/** A participant joins, with a token the step describes (attributes, kind, token `roomConfig.agents`). */
export const joinStep = defineStep<'join', JoinSpec>({
  name: 'join',
  fields: {
    ...roomAndIdentity,
    name: str,
    metadata: str,
    attributes: { t: 'stringMap' },
    agents: { t: 'agents' },
    kind: { t: 'enum', values: ['standard', 'agent', 'sip', 'egress', 'ingress'] },
    listen: { t: 'boolean' },
  },
  needs: (join) => (join.listen ? ['media-clients'] : []),
  run: (join, env) => env.participants.join(join),
});
