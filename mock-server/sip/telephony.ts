import type { AgentCoreContext } from '../agent/agent-context.ts';
import { ConfigError } from '../core/errors.ts';
import type { RoomManager } from '../rooms/room-manager.ts';
import { SipBridge, scriptFor, type SipCallView } from './sip-bridge.ts';
import { evaluateRule, matchRule, matchTrunk, type Evaluation, type InboundCall, type TrunkSkip } from './sip-match.ts';
import { DEFAULT_SIP_MODE, type SipMode } from './sip-mode.ts';
import { normalizeNumber } from './sip-numbers.ts';
import type { PhoneScript } from './sip-phones.ts';
import { SipStore } from './sip-store.ts';

/** An inbound call to simulate: who calls which number, and what the caller does. */
export interface InboundCallSpec {
  from: string;
  to: string;
  /** The INVITE's source address (default 127.0.0.1) and From host (default the source address). */
  sourceIp?: string;
  fromHost?: string;
  /** Digit credentials for trunks with auth_username/auth_password. */
  auth?: { username: string; password: string };
  /** Digits the caller types at the PIN prompt (a trailing `#` is the terminator; `#` alone means "no PIN"). */
  pin?: string;
  /** The caller's side after the call is in the room: DTMF, hang-up, how a transfer is answered. */
  script?: PhoneScript;
}

export type SipEvaluation =
  | { result: 'error'; error: string }
  | { result: 'drop'; trunkId: string }
  | { result: 'request_pin'; trunkId: string; ruleId: string }
  | ({ result: 'accept' } & Omit<Extract<Evaluation, { result: 'accept' }>, 'result'>);

export type InboundCallResult =
  | { result: 'accepted'; callId: string; room: string; identity: string; trunkId: string; ruleId: string; participantSid: string }
  | { result: 'dropped' | 'pin_required' | 'error' | 'unavailable'; callId: string; reason: string; trunkId?: string; ruleId?: string };

/**
 * Telephony offline: the SIP store the Twirp service edits, the simulated bridge, the scripted phones, and the
 * mode switch (Redis or not, bridge or not). One per MockCore; scenario steps and the control API call these.
 */
export class Telephony {
  mode: SipMode = { ...DEFAULT_SIP_MODE };
  readonly store = new SipStore();
  readonly bridge: SipBridge;
  readonly #phones = new Map<string, PhoneScript>();
  #defaultPhone: PhoneScript = {};

  constructor(
    private readonly ctx: AgentCoreContext,
    private readonly rooms: RoomManager,
  ) {
    this.bridge = new SipBridge(ctx, rooms);
  }

  newTrunkId(): string {
    return this.ctx.ids.next('ST_');
  }
  newRuleId(): string {
    return this.ctx.ids.next('SDR_');
  }
  newCallId(): string {
    return this.ctx.ids.next('SCL_');
  }
  random(): number {
    return this.ctx.random.next();
  }

  setMode(mode: SipMode): void {
    this.mode = { ...mode };
  }

  /** The script of the phone at `number` (outbound callee); `default` sets the one for unscripted numbers. */
  setPhone(number: string, script: PhoneScript): void {
    if (number === 'default') this.#defaultPhone = script;
    else this.#phones.set(normalizeNumber(number), script);
  }

  clearPhones(): void {
    this.#phones.clear();
    this.#defaultPhone = {};
  }

  phoneFor(number: string): PhoneScript {
    return scriptFor(this.#phones, number, this.#defaultPhone);
  }

  calls(): SipCallView[] {
    return this.bridge.calls();
  }

  /**
   * An INVITE reaches livekit-sip: trunk (GetSIPTrunkAuthentication), rule (EvaluateSIPDispatchRules), the PIN
   * prompt if the rule has one, then the SIP participant joins the rule's room. Every refusal is explained.
   */
  placeInboundCall(spec: InboundCallSpec): InboundCallResult {
    if (typeof spec.from !== 'string' || !spec.from || typeof spec.to !== 'string' || !spec.to) throw new ConfigError('an inbound call needs "from" and "to" numbers');
    const callId = this.ctx.ids.next('SCL_');
    const call: InboundCall = { from: spec.from, to: spec.to, sourceIp: spec.sourceIp ?? '127.0.0.1', fromHost: spec.fromHost ?? spec.sourceIp ?? '127.0.0.1' };
    const refuse = (result: Exclude<InboundCallResult['result'], 'accepted'>, reason: string, ids: { trunkId?: string; ruleId?: string } = {}): InboundCallResult => {
      this.ctx.trace.record({ kind: 'sip.call.rejected', callId, from: spec.from, to: spec.to, result, reason });
      return { result, callId, reason, ...ids };
    };
    if (this.mode.store === 'none') return refuse('unavailable', 'livekit-server runs without Redis, so no livekit-sip can reach it ("sip not connected (redis required)")');
    if (this.mode.bridge === 'absent') return refuse('unavailable', 'no SIP bridge runs (bridge mode "absent"): nobody answers the INVITE');

    const trunks = this.store.inboundTrunks();
    const tm = matchTrunk(trunks, call);
    if ('error' in tm) return refuse('error', `${tm.error}: two trunks take this call; livekit-sip rejects it`);
    const trunk = tm.trunk;
    if (trunk && (trunk.authUsername || trunk.authPassword) && (spec.auth?.username !== trunk.authUsername || spec.auth?.password !== trunk.authPassword)) {
      return refuse('error', `trunk ${trunk.sipTrunkId} requires digest authentication and the caller's credentials do not match: 401/407, the call never reaches a rule`, { trunkId: trunk.sipTrunkId });
    }
    const rules = this.store.rules();
    const explainNoRule = (what: string) => {
      const trunkPart = trunk ? `trunk ${trunk.sipTrunkId} took the call` : `no inbound trunk matched (${describeSkips(tm.skipped, trunks.length)}), so only rules without trunk_ids could apply`;
      return `${what}: ${trunkPart}; ${rules.length} rule(s) exist, none with matching trunk_ids, numbers, inbound_numbers and PIN. livekit-sip drops the INVITE silently`;
    };
    const first = matchRule(trunk, rules, call);
    if ('error' in first) return refuse('dropped', explainNoRule('no trunk or dispatch rule matched'), { trunkId: trunk?.sipTrunkId });
    const randomSuffix = () => this.ctx.ids.next('');
    let ev: Evaluation = evaluateRule(trunk, first.rule, call, callId, randomSuffix);
    let pinEntered = false;
    if (ev.result === 'request_pin') {
      const ruleId = ev.ruleId;
      if (spec.pin === undefined) {
        return refuse('pin_required', `rule ${ruleId} requires a PIN and the caller entered none: the caller hears the PIN prompt and no participant joins`, { trunkId: ev.trunkId, ruleId });
      }
      const digits = spec.pin.endsWith('#') ? spec.pin.slice(0, -1) : spec.pin;
      if (digits.length > 16) return refuse('error', 'the caller typed more than 16 PIN digits: livekit-sip ends the call', { trunkId: ev.trunkId, ruleId });
      const withPin: InboundCall = digits === '' ? { ...call, noPin: true } : { ...call, pin: digits };
      const second = matchRule(trunk, rules, withPin);
      if ('error' in second) {
        return refuse('dropped', digits === '' ? explainNoRule('the caller skipped the PIN (#) and no open rule matched') : `wrong PIN "${digits}": no rule on this trunk has it; the caller hears "wrong PIN" and the call ends`, { trunkId: ev.trunkId, ruleId });
      }
      ev = evaluateRule(trunk, second.rule, withPin, callId, randomSuffix);
      pinEntered = digits !== '';
    }
    if (ev.result !== 'accept') return refuse('error', 'the rule still asks for a PIN');

    const rc = ev.roomConfig;
    const agents = rc?.agents ?? [];
    const { room, created } = this.rooms.getOrCreate(
      { name: ev.room, emptyTimeout: rc?.emptyTimeout ?? 0, departureTimeout: rc?.departureTimeout ?? 0, maxParticipants: rc?.maxParticipants ?? 0, metadata: rc?.metadata ?? '', agents },
      agents.length ? 'token' : 'default',
    );
    this.#explainAgents(callId, ev.ruleId, room.name, agents.map((a) => a.agentName), created);
    const joined = this.bridge.joinInbound(
      { callId, direction: 'inbound', from: spec.from, to: spec.to, trunkId: ev.trunkId, ruleId: ev.ruleId },
      { room, identity: ev.identity, name: ev.name, metadata: ev.metadata, attributes: ev.attributes },
      { active: pinEntered, ringingTimeoutMs: ev.ringingTimeoutMs ?? 180_000, script: spec.script ?? {} },
    );
    const p = room.participants.get(joined.identity);
    return { result: 'accepted', callId, room: room.name, identity: joined.identity, trunkId: ev.trunkId, ruleId: ev.ruleId, participantSid: p?.sid ?? '' };
  }

  /**
   * EvaluateSIPDispatchRules as livekit-server answers livekit-sip (ioservice_sip.go), without joining anything:
   * for comparing the matcher with the real one, and for "what would this call do?".
   */
  evaluateCall(call: InboundCall): SipEvaluation {
    const tm = matchTrunk(this.store.inboundTrunks(), call);
    if ('error' in tm) return { result: 'error', error: tm.error };
    const trunkId = tm.trunk?.sipTrunkId ?? '';
    const m = matchRule(tm.trunk, this.store.rules(), call);
    if ('error' in m) return { result: 'drop', trunkId };
    const ev = evaluateRule(tm.trunk, m.rule, call, this.newCallId(), () => this.ctx.ids.next(''));
    if (ev.result === 'request_pin') return { result: 'request_pin', trunkId: ev.trunkId, ruleId: ev.ruleId };
    return { ...ev, result: 'accept' };
  }

  stop(): void {
    this.bridge.stop();
  }

  /** Why the call's room got (or did not get) agents: room_config.agents counts only when this join creates the room. */
  #explainAgents(callId: string, ruleId: string, room: string, agents: string[], created: boolean): void {
    const named = agents.map((a) => `"${a}"`).join(', ');
    let outcome: 'dispatched' | 'default_dispatch' | 'none';
    let reason: string;
    if (!created) {
      outcome = 'none';
      reason = `room ${room} already existed: a rule's room_config.agents apply only when the call's join creates the room${agents.length ? ` (${named} not dispatched)` : ''}; only the room's own dispatches see the SIP participant`;
    } else if (agents.length === 0) {
      outcome = 'default_dispatch';
      reason = `rule ${ruleId} names no agent (no room_config.agents): room ${room} gets the default dispatch, which only workers registered without an agent name take`;
    } else {
      outcome = 'dispatched';
      reason = `the call's join created room ${room}, so rule ${ruleId}'s room_config.agents (${named}) were dispatched`;
    }
    this.ctx.trace.record({ kind: 'sip.call.agents', callId, room, agents, roomCreated: created, outcome, reason });
  }
}

function describeSkips(skipped: TrunkSkip[], total: number): string {
  if (total === 0) return 'there are no inbound trunks';
  if (skipped.length === 0) return `none of the ${total} trunk(s) lists this number`;
  return skipped.map((s) => `${s.trunkId}: ${s.reason}`).join('; ');
}
