import type { TraceEvent } from '../trace/events.ts';

export type SipTraceEvent = Extract<TraceEvent, { kind: `sip.${string}` }>;

/** One readable line per SIP trace event, for reports, failure messages and `explain`. */
export function describeSipEvent(e: SipTraceEvent): string {
  switch (e.kind) {
    case 'sip.call.created':
      return `${e.callId} ${e.direction} ${e.from} → ${e.to}: ${e.identity} in ${e.room}${e.ruleId ? ` (rule ${e.ruleId})` : ''}`;
    case 'sip.call.rejected':
      return `${e.callId} ${e.from} → ${e.to} ${e.result.toUpperCase()}: ${e.reason}`;
    case 'sip.call.status':
      return `${e.callId} ${e.identity} in ${e.room}: ${e.status}`;
    case 'sip.call.agents':
      return `${e.callId} room ${e.room}: ${e.outcome === 'dispatched' ? `agents ${e.agents.map((a) => `"${a}"`).join(', ')}` : 'NO AGENT'}: ${e.reason}`;
    case 'sip.call.ended':
      return `${e.callId} ${e.identity} in ${e.room} by ${e.by}${e.sipCode ? ` (${e.sipCode})` : ''}: ${e.reason}`;
    case 'sip.dtmf':
      return `${e.callId} ${e.direction === 'from_phone' ? 'phone → room' : 'room → phone'} "${e.digit}"`;
    case 'sip.transfer':
      return `${e.callId} ${e.identity} → ${e.transferTo}: ${e.result}${e.sipCode ? ` (${e.sipCode})` : ''}`;
  }
}

/** The events that say why a call got no agent (or no participant at all), for `explain`. */
export function sipNoAgentEvents(events: readonly TraceEvent[]): SipTraceEvent[] {
  return events.filter(
    (e): e is SipTraceEvent => e.kind === 'sip.call.rejected' || (e.kind === 'sip.call.agents' && e.outcome !== 'dispatched'),
  );
}
