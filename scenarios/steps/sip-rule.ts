import { RoomAgentDispatch, RoomConfiguration } from '@livekit/protocol';
import type { AgentDispatchSpec } from '../model.ts';
import { reqStr, str, type Section } from '../schema/field-specs.ts';
import { checkTrunkRef, sipApi, sipClient, sipNames, trunkId } from './sip-names.ts';
import { defineStep } from './step-kind.ts';

export interface SipRuleStep {
  id: string;
  type: 'individual' | 'direct' | 'callee';
  /** individual and callee rules: the room name's prefix. */
  roomPrefix?: string;
  /** direct rules: the room every call joins. */
  roomName?: string;
  pin?: string;
  /** callee rules: a random suffix on the room name. */
  randomize?: boolean;
  /** Trunk aliases (or ST_ ids); none: the rule applies to every trunk. */
  trunks?: string[];
  /** `room_config.agents`: dispatched only when the call's join creates the room. */
  agents?: AgentDispatchSpec[];
  attributes?: Record<string, string>;
  metadata?: string;
  hidePhoneNumber?: boolean;
}

const common: Section = { id: reqStr, type: { t: 'enum', values: ['individual', 'direct', 'callee'], required: true }, pin: str, trunks: { t: 'stringList' }, agents: { t: 'agents' }, attributes: { t: 'stringMap' }, metadata: str, hidePhoneNumber: { t: 'boolean' } };

/** SIP CreateSIPDispatchRule (livekit-server-sdk SipClient); `agents` become the rule's room_config.agents. */
export const sipRuleStep = defineStep<'sip.rule', SipRuleStep>({
  name: 'sip.rule',
  fields: (body) =>
    body.type === 'direct' ? { ...common, roomName: reqStr } : body.type === 'callee' ? { ...common, roomPrefix: str, randomize: { t: 'boolean' } } : { ...common, roomPrefix: str },
  check(body, at, v) {
    if (Array.isArray(body.trunks)) body.trunks.forEach((t, i) => checkTrunkRef(v, t, [...at, 'trunks', i]));
  },
  async run(r, env) {
    const rule =
      r.type === 'direct'
        ? { type: 'direct' as const, roomName: r.roomName ?? '', pin: r.pin }
        : r.type === 'callee'
          ? { type: 'callee' as const, roomPrefix: r.roomPrefix ?? '', pin: r.pin, randomize: r.randomize }
          : { type: 'individual' as const, roomPrefix: r.roomPrefix ?? '', pin: r.pin };
    const roomConfig = r.agents?.length ? new RoomConfiguration({ agents: r.agents.map((a) => new RoomAgentDispatch({ agentName: a.agentName, metadata: a.metadata ?? '' })) }) : undefined;
    const info = await sipApi(env.target, 'sip.rule (CreateSIPDispatchRule)', () =>
      sipClient(env.target).createSipDispatchRule(rule, {
        name: r.id,
        trunkIds: r.trunks?.map((t) => trunkId(env.names, t)),
        attributes: r.attributes,
        metadata: r.metadata,
        hidePhoneNumber: r.hidePhoneNumber,
        roomConfig,
      }),
    );
    sipNames(env.names).rules.set(r.id, info.sipDispatchRuleId);
  },
});
