import type { TraceEvent } from '../../../mock-server/trace/events.ts';
import { sipCallId } from '../../steps/sip-names.ts';
import { str } from '../../schema/field-specs.ts';
import type { Count } from '../count.ts';
import { countEvents, describe } from '../event-count.ts';
import { defineExpectKind } from '../expect-kind.ts';
import { textMatches } from './sip-text.ts';

type EndedBy = 'remote' | 'livekit' | 'timeout' | 'failure' | 'transfer';

/** SIP calls through the (simulated) bridge, inbound and outbound, from the trace events sip.call.* and sip.dtmf. */
export interface SipCallsExpectation {
  sipCalls: Count;
  /** A `sip.call` alias or an SCL_ id. */
  call?: string;
  direction?: 'inbound' | 'outbound';
  room?: string;
  identity?: string;
  /** The call's `sip.callStatus` history starts with these, in order (e.g. [ringing, active, hangup]). */
  status?: string[];
  /** How it ended: who ended it (remote, livekit, timeout, failure, transfer), the SIP code, the reason (`/re/` or a substring). */
  ended?: { by?: EndedBy; sipCode?: number; reason?: string };
  /** Digits the phone received from the room (SipDTMF the agent published), in order. */
  dtmfReceived?: string;
  /** Digits the phone sent into the room. */
  dtmfSent?: string;
}

const SIP_KINDS = new Set(['sip.call.created', 'sip.call.status', 'sip.call.ended', 'sip.dtmf', 'sip.transfer']);

export const sipCallsExpectation = defineExpectKind<'sipCalls', SipCallsExpectation>({
  name: 'sipCalls',
  fields: {
    sipCalls: { t: 'count', required: true },
    call: str,
    direction: { t: 'enum', values: ['inbound', 'outbound'] },
    room: str,
    identity: str,
    status: { t: 'stringList', values: ['dialing', 'ringing', 'automation', 'active', 'hangup'] },
    ended: { t: 'object' },
    dtmfReceived: str,
    dtmfSent: str,
  },
  // only the mock's bridge reports calls
  needsServerInsight: () => true,
  evaluate(e, rule, input) {
    const context = input.events.filter((x) => SIP_KINDS.has(x.kind));
    const wanted = e.call === undefined ? undefined : sipCallId(input.names, e.call);
    const created = context.filter((x): x is Extract<TraceEvent, { kind: 'sip.call.created' }> => x.kind === 'sip.call.created');
    const matches = created.filter((c) => (wanted === undefined || c.callId === wanted) && callMatches(e, c, context));
    const what = describe('SIP call(s)', { call: e.call, direction: e.direction, room: e.room, identity: e.identity, status: e.status?.join('→'), ended: e.ended && JSON.stringify(e.ended), dtmfReceived: e.dtmfReceived, dtmfSent: e.dtmfSent });
    return countEvents(rule, what, matches, context, input);
  },
});

function callMatches(e: SipCallsExpectation, c: Extract<TraceEvent, { kind: 'sip.call.created' }>, events: TraceEvent[]): boolean {
  const mine = events.filter((x) => 'callId' in x && x.callId === c.callId);
  if (e.direction !== undefined && c.direction !== e.direction) return false;
  if (e.room !== undefined && c.room !== e.room) return false;
  if (e.identity !== undefined && c.identity !== e.identity) return false;
  if (e.status) {
    const history: string[] = [];
    for (const x of mine) if (x.kind === 'sip.call.status' && history.at(-1) !== x.status) history.push(x.status);
    if (e.status.some((s, i) => history[i] !== s)) return false;
  }
  if (e.ended) {
    const end = mine.find((x) => x.kind === 'sip.call.ended');
    if (!end || end.kind !== 'sip.call.ended') return false;
    if (e.ended.by !== undefined && end.by !== e.ended.by) return false;
    if (e.ended.sipCode !== undefined && end.sipCode !== e.ended.sipCode) return false;
    if (!textMatches(e.ended.reason, end.reason)) return false;
  }
  const digits = (dir: 'to_phone' | 'from_phone') => mine.map((x) => (x.kind === 'sip.dtmf' && x.direction === dir ? x.digit : '')).join('');
  if (e.dtmfReceived !== undefined && !digits('to_phone').startsWith(e.dtmfReceived)) return false;
  if (e.dtmfSent !== undefined && !digits('from_phone').startsWith(e.dtmfSent)) return false;
  return true;
}
