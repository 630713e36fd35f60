import { sipCallId } from '../../steps/sip-names.ts';
import { str } from '../../schema/field-specs.ts';
import type { Count } from '../count.ts';
import { countEvents, describe } from '../event-count.ts';
import { defineExpectKind } from '../expect-kind.ts';
import { textMatches } from './sip-text.ts';

/**
 * Why an inbound call got (no) agent: `sip.call.agents` (dispatched, default_dispatch, none) for calls that joined a
 * room, `rejected` for calls that never did (`sip.call.rejected`: no trunk or rule, PIN, no SIP bridge).
 */
export interface SipAgentsExpectation {
  sipAgents: Count;
  call?: string;
  outcome?: 'dispatched' | 'default_dispatch' | 'none' | 'rejected';
  /** An agent name the rule's room_config.agents dispatched. */
  agentName?: string;
  room?: string;
  /** `/re/` or a substring of the explanation. */
  reason?: string;
}

export const sipAgentsExpectation = defineExpectKind<'sipAgents', SipAgentsExpectation>({
  name: 'sipAgents',
  fields: {
    sipAgents: { t: 'count', required: true },
    call: str,
    outcome: { t: 'enum', values: ['dispatched', 'default_dispatch', 'none', 'rejected'] },
    agentName: str,
    room: str,
    reason: str,
  },
  needsServerInsight: () => true,
  evaluate(e, rule, input) {
    const wanted = e.call === undefined ? undefined : sipCallId(input.names, e.call);
    const context = input.events.filter((x) => x.kind === 'sip.call.agents' || x.kind === 'sip.call.rejected');
    const matches = context.filter((x) => {
      if (wanted !== undefined && 'callId' in x && x.callId !== wanted) return false;
      if (x.kind === 'sip.call.rejected') return (e.outcome === undefined || e.outcome === 'rejected') && e.room === undefined && e.agentName === undefined && textMatches(e.reason, x.reason);
      if (x.kind !== 'sip.call.agents') return false;
      return (
        (e.outcome === undefined || x.outcome === e.outcome) &&
        (e.room === undefined || x.room === e.room) &&
        (e.agentName === undefined || x.agents.includes(e.agentName)) &&
        textMatches(e.reason, x.reason)
      );
    });
    return countEvents(rule, describe('SIP call agent decision(s)', { call: e.call, outcome: e.outcome, agentName: e.agentName, room: e.room, reason: e.reason }), matches, context, input);
  },
});
