import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { RoomConfiguration, SIPDispatchRuleInfo, SIPInboundTrunkInfo } from '@livekit/protocol';
import { normalizeNumber, numberAllowed } from './sip-numbers.ts';
import { pinAndRoom } from './sip-validate.ts';

/**
 * The inbound side of livekit-server's IOInfo (ioservice_sip.go) with the protocol's matcher (sip/sip.go):
 * which trunk takes a call, which dispatch rule, and what the rule makes of it. Pure functions.
 */
export interface InboundCall {
  from: string;
  to: string;
  /** The INVITE's source address; trunks with allowed_addresses check it. */
  sourceIp: string;
  /** The From header's host. */
  fromHost: string;
  pin?: string;
  /** The caller typed only `#` at the PIN prompt. */
  noPin?: boolean;
}

/** Why a trunk did not take a call, for explanations. */
export interface TrunkSkip {
  trunkId: string;
  reason: 'calling number not allowed' | 'source address not allowed' | 'called number not on trunk';
}

export type TrunkMatch = { trunk?: SIPInboundTrunkInfo; skipped: TrunkSkip[] } | { error: string; skipped: TrunkSkip[] };

function addrAllowed(addr: string, host: string, masks: readonly string[]): boolean {
  if (!isIP(addr)) return true;
  const valid = masks.filter((m) => !/[()+*;, \t\n\r]/.test(m) && !m.includes('://'));
  if (valid.length === 0) return true;
  return valid.some((m) => m === host || cidrContains(m, addr));
}

function cidrContains(mask: string, addr: string): boolean {
  const [base = '', bitsText] = mask.split('/');
  if (bitsText === undefined) return base === addr;
  if (isIP(base) !== 4 || isIP(addr) !== 4) return false;
  const bits = Number(bitsText);
  const toInt = (ip: string) => ip.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
  const maskBits = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (toInt(base) & maskBits) === (toInt(addr) & maskBits);
}

/** MatchTrunkDetailed: a trunk naming the called number beats a number-less one; two of a kind is an error. */
export function matchTrunk(trunks: readonly SIPInboundTrunkInfo[], call: InboundCall): TrunkMatch {
  const skipped: TrunkSkip[] = [];
  const calledNorm = normalizeNumber(call.to);
  let selected: SIPInboundTrunkInfo | undefined;
  const defaults: SIPInboundTrunkInfo[] = [];
  for (const t of trunks) {
    if (!numberAllowed(call.from, t.allowedNumbers)) {
      skipped.push({ trunkId: t.sipTrunkId, reason: 'calling number not allowed' });
      continue;
    }
    if (!addrAllowed(call.sourceIp, call.fromHost, t.allowedAddresses)) {
      skipped.push({ trunkId: t.sipTrunkId, reason: 'source address not allowed' });
      continue;
    }
    if (t.numbers.length === 0) {
      defaults.push(t);
      continue;
    }
    if (t.numbers.some((n) => n === call.to || normalizeNumber(n) === calledNorm)) {
      if (selected) return { error: `Multiple SIP Trunks matched for ${JSON.stringify(call.to)}`, skipped };
      selected = t;
    } else skipped.push({ trunkId: t.sipTrunkId, reason: 'called number not on trunk' });
  }
  if (selected) return { trunk: selected, skipped };
  if (defaults.length > 1) return { error: `Multiple default SIP Trunks matched for ${JSON.stringify(call.to)}`, skipped };
  return { trunk: defaults[0], skipped };
}

/** DispatchRulePriority: lower wins. PIN rules first, then direct < individual < callee; +1000 per unset number list. */
export function rulePriority(r: SIPDispatchRuleInfo): number {
  const rule = r.rule?.rule;
  let p: number;
  switch (rule?.case) {
    case 'dispatchRuleDirect':
      p = rule.value.pin ? 0 : 100;
      break;
    case 'dispatchRuleIndividual':
      p = rule.value.pin ? 1 : 101;
      break;
    case 'dispatchRuleCallee':
      p = rule.value.pin ? 2 : 102;
      break;
    default:
      return 2 ** 31 - 1;
  }
  if (r.inboundNumbers.length === 0) p += 1000;
  if (r.numbers.length === 0) p += 1000;
  return p;
}

const higher = (a: SIPDispatchRuleInfo, b: SIPDispatchRuleInfo) => {
  const pa = rulePriority(a);
  const pb = rulePriority(b);
  return pa !== pb ? pa < pb : pinAndRoom(a).room < pinAndRoom(b).room;
};

export type RuleMatch = { rule: SIPDispatchRuleInfo } | { error: string; noRules: boolean };

/** MatchDispatchRuleIter: filters by numbers (exact) and PIN; rules naming the trunk beat trunk-less ones. */
export function matchRule(trunk: SIPInboundTrunkInfo | undefined, rules: readonly SIPDispatchRuleInfo[], call: InboundCall): RuleMatch {
  let specific: SIPDispatchRuleInfo | undefined;
  let fallback: SIPDispatchRuleInfo | undefined;
  let candidates = 0;
  for (const r of rules) {
    if (r.inboundNumbers.length && !r.inboundNumbers.includes(call.from)) continue;
    if (r.numbers.length && !r.numbers.includes(call.to)) continue;
    const { pin } = pinAndRoom(r);
    if (call.noPin) {
      if (pin) continue;
    } else if (call.pin) {
      if (!pin || pin !== call.pin) continue;
    }
    if (r.trunkIds.length === 0) {
      candidates++;
      if (!fallback || higher(r, fallback)) fallback = r;
      continue;
    }
    if (!trunk || !r.trunkIds.includes(trunk.sipTrunkId)) continue;
    candidates++;
    if (!specific || higher(r, specific)) specific = r;
  }
  const best = specific ?? fallback;
  if (best) return { rule: best };
  // ErrNoDispatchMatched: NoRules is set whenever nothing matched at all, as in the source
  const noTrunk = trunk === undefined;
  void candidates;
  return { error: noTrunk ? `No SIP Trunk or Dispatch Rules matched for ${JSON.stringify(call.to)}` : 'No SIP Dispatch Rules defined', noRules: true };
}

export type Evaluation =
  | { result: 'request_pin'; trunkId: string; ruleId: string }
  | {
      result: 'accept';
      trunkId: string;
      ruleId: string;
      room: string;
      identity: string;
      name: string;
      metadata: string;
      attributes: Record<string, string>;
      roomConfig?: RoomConfiguration;
      ringingTimeoutMs?: number;
      maxCallDurationMs?: number;
    };

/** EvaluateDispatchRule: room naming, identity and the sip.* attributes of the participant the bridge creates. */
export function evaluateRule(
  trunk: SIPInboundTrunkInfo | undefined,
  rule: SIPDispatchRuleInfo,
  call: InboundCall,
  callId: string,
  randomSuffix: () => string,
): Evaluation {
  const trunkId = trunk?.sipTrunkId ?? '';
  const attributes: Record<string, string> = { ...rule.attributes, 'sip.callID': callId, 'sip.trunkID': trunkId };
  let from = call.from;
  let identity = `sip_${from}`;
  if (rule.hidePhoneNumber) {
    identity = `sip_${createHash('sha256').update(call.from).digest('hex').slice(0, 16)}`;
    from = from.slice(from.length - (from.length <= 4 ? 1 : 4));
  } else {
    attributes['sip.phoneNumber'] = call.from;
    attributes['sip.hostname'] = call.fromHost;
    attributes['sip.trunkPhoneNumber'] = call.to;
  }
  const { room: roomOrPrefix, pin } = pinAndRoom(rule);
  if (pin && !call.pin) return { result: 'request_pin', trunkId, ruleId: rule.sipDispatchRuleId };
  let room = roomOrPrefix;
  const r = rule.rule?.rule;
  if (r?.case === 'dispatchRuleIndividual') {
    room = r.value.roomPrefix ? `${r.value.roomPrefix}_${from}` : from;
    if (!r.value.noRandomness) room += `_${randomSuffix()}`;
  } else if (r?.case === 'dispatchRuleCallee') {
    room = r.value.roomPrefix ? `${r.value.roomPrefix}_${call.to}` : call.to;
    if (r.value.randomize) room += `_${randomSuffix()}`;
  }
  attributes['sip.ruleID'] = rule.sipDispatchRuleId;
  const dur = (d?: { seconds: bigint; nanos: number }) => (d ? Number(d.seconds) * 1000 + Math.floor(d.nanos / 1e6) : undefined);
  return {
    result: 'accept',
    trunkId,
    ruleId: rule.sipDispatchRuleId,
    room,
    identity,
    name: `Phone ${from}`,
    metadata: rule.metadata,
    attributes,
    roomConfig: rule.roomConfig,
    ringingTimeoutMs: dur(trunk?.ringingTimeout),
    maxCallDurationMs: dur(trunk?.maxCallDuration),
  };
}
