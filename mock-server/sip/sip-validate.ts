import type {
  CreateSIPParticipantRequest,
  ListSIPDispatchRuleRequest,
  ListSIPInboundTrunkRequest,
  ListSIPOutboundTrunkRequest,
  SIPDispatchRuleInfo,
  SIPInboundTrunkInfo,
  SIPOutboundTrunkInfo,
  TransferSIPParticipantRequest,
} from '@livekit/protocol';
import { TwirpError } from '../core/errors.ts';
import { normalizeNumber } from './sip-numbers.ts';

/** Ports of the protocol's validators (livekit/sip.go, sip/sip.go at the commit v1.13.5 pins), with their exact messages. */

const invalid = (msg: string) => new TwirpError('invalid_argument', msg);

function hostnameFormat(value: string, field: string): string | undefined {
  if (value.includes('transport=')) return `${field} should not contain transport parameter`;
  if (/[@;]/.test(value) || value.startsWith('sip:') || value.startsWith('sips:')) return `${field} should be a hostname or IP, not SIP URI`;
  return undefined;
}

export function inboundTrunkError(t: SIPInboundTrunkInfo): string | undefined {
  const hasAuth = t.authUsername !== '' || t.authPassword !== '';
  if (!hasAuth && t.allowedAddresses.length === 0 && t.numbers.length === 0) {
    return 'for security, one of the fields must be set: AuthUsername+AuthPassword, AllowedAddresses or Numbers';
  }
  return undefined;
}

export function outboundTrunkError(t: SIPOutboundTrunkInfo): string | undefined {
  if (t.numbers.length === 0) return 'no trunk numbers specified';
  if (t.address === '') return 'no outbound address specified';
  return hostnameFormat(t.address, 'trunk address') ?? hostnameFormat(t.fromHost, 'from_host');
}

export function ruleError(r: SIPDispatchRuleInfo): string | undefined {
  return r.rule?.rule.case === undefined ? 'missing rule' : undefined;
}

export function createParticipantError(req: CreateSIPParticipantRequest): string | undefined {
  if (req.sipTrunkId === '' && !req.trunk && req.sipNumber === '') return 'missing sip trunk id and sip number';
  if (req.trunk) {
    if (req.trunk.hostname === '') return 'no outbound hostname specified';
    const bad = hostnameFormat(req.trunk.hostname, 'trunk hostname') ?? hostnameFormat(req.trunk.fromHost, 'from_host');
    if (bad) return bad;
  }
  if (req.sipCallTo === '') return 'missing sip callee number';
  if (req.sipCallTo.includes('@')) return 'SipCallTo should be a phone number or SIP user, not a full SIP URI';
  if (req.roomName === '') return 'missing room name';
  if (req.displayName !== undefined && Buffer.byteLength(req.displayName) > 128) return 'DisplayName too long (max 128 characters)';
  const d = req.destination;
  if (d) {
    if (d.city !== '' && d.country === '' && d.region === '') return 'if city is specified, country or region must also be specified';
    if (d.country !== '' && !/^[A-Z]{2}$/.test(d.country)) return "country must be a valid ISO 3166-1 alpha-2 code (2-letter like 'US', 'IN', 'UK')";
  }
  return undefined;
}

/** TransferSIPParticipantRequest.ValidateResult; also rewrites a sip(s): target to name-addr form, as the server does. */
export function transferError(req: TransferSIPParticipantRequest): string | undefined {
  if (req.roomName === '') return 'missing room name';
  if (req.participantIdentity === '') return 'missing participant identity';
  if (req.transferTo === '') return 'missing transfer to';
  const inner = req.transferTo.startsWith('<') && req.transferTo.endsWith('>') ? req.transferTo.slice(1, -1) : req.transferTo;
  const sip = inner.startsWith('sip:') || inner.startsWith('sips:');
  if (!sip && !inner.startsWith('tel:')) return 'transfer_to must be a valid SIP(s) or TEL URI (sip:, sips: or tel:)';
  req.transferTo = sip ? `<${inner}>` : inner;
  return undefined;
}

export function throwIf(msg: string | undefined): void {
  if (msg !== undefined) throw invalid(msg);
}

const printId = (id: string) => (id === '' ? '<new>' : id);
const printName = (name: string) => (name === '' ? '<blank name>' : name);
const printNumbers = (nums: readonly string[]) => (nums.length === 0 ? '<any>' : `[${nums.map((n) => JSON.stringify(n)).join(' ')}]`);

/** sip.ValidateTrunksIter: two trunks on the same (normalized) number need distinct AllowedNumbers. */
export function validateTrunks(trunks: readonly SIPInboundTrunkInfo[]): void {
  const byNumber = new Map<string, Map<string, SIPInboundTrunkInfo>>();
  for (const t of trunks) {
    const keys = t.numbers.length === 0 ? [''] : [...new Set(t.numbers.map(normalizeNumber))];
    for (const key of keys) {
      let byInbound = byNumber.get(key);
      if (!byInbound) byNumber.set(key, (byInbound = new Map()));
      if (t.allowedNumbers.length === 0) {
        const t2 = byInbound.get('');
        if (t2 && t2.sipTrunkId !== t.sipTrunkId) {
          throw invalid(`Conflicting inbound SIP Trunks: ${JSON.stringify(printId(t.sipTrunkId))} and ${JSON.stringify(printId(t2.sipTrunkId))}, using the same number(s) ${printNumbers(t.numbers)} without AllowedNumbers set`);
        }
        byInbound.set('', t);
      } else {
        const seen = new Set<string>();
        for (const num of t.allowedNumbers) {
          const k = normalizeNumber(num);
          if (seen.has(k)) continue;
          seen.add(k);
          const t2 = byInbound.get(k);
          if (t2 && t2.sipTrunkId !== t.sipTrunkId) {
            throw invalid(`Conflicting inbound SIP Trunks: ${JSON.stringify(printId(t.sipTrunkId))} and ${JSON.stringify(printId(t2.sipTrunkId))}, using the same number(s) ${printNumbers(t.numbers)} and AllowedNumber ${JSON.stringify(num)}`);
          }
          byInbound.set(k, t);
        }
      }
    }
  }
}

export function pinAndRoom(r: SIPDispatchRuleInfo): { room: string; pin: string } {
  const rule = r.rule?.rule;
  switch (rule?.case) {
    case 'dispatchRuleDirect':
      return { room: rule.value.roomName, pin: rule.value.pin };
    case 'dispatchRuleIndividual':
    case 'dispatchRuleCallee':
      return { room: rule.value.roomPrefix, pin: rule.value.pin };
    default:
      return { room: '', pin: '' };
  }
}

/** sip.ValidateDispatchRulesIter: one rule per trunk × inbound number × number × PIN. */
export function validateRules(rules: readonly SIPDispatchRuleInfo[]): void {
  const seen = new Map<string, SIPDispatchRuleInfo>();
  for (const r of rules) {
    const { pin } = pinAndRoom(r);
    for (const trunk of r.trunkIds.length ? r.trunkIds : ['']) {
      for (const inbound of r.inboundNumbers.length ? r.inboundNumbers : ['']) {
        for (const number of r.numbers.length ? r.numbers : ['']) {
          const key = JSON.stringify([pin, trunk, normalizeNumber(inbound), normalizeNumber(number)]);
          const r2 = seen.get(key);
          if (r2) {
            throw invalid(
              `Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule ${JSON.stringify(printId(r2.sipDispatchRuleId))} ${JSON.stringify(printName(r2.name))}`,
            );
          }
          seen.set(key, r);
        }
      }
    }
  }
}

/** ListSIPInboundTrunkRequest.Filter: trunk ids, then numbers (normalized); number-less trunks always pass. */
export function inboundListed(req: Pick<ListSIPInboundTrunkRequest, 'trunkIds' | 'numbers'>, t: SIPInboundTrunkInfo): boolean {
  if (req.trunkIds.length && !req.trunkIds.includes(t.sipTrunkId)) return false;
  if (req.numbers.length && t.numbers.length) {
    const wanted = new Set(req.numbers.map(normalizeNumber));
    return t.numbers.some((n) => req.numbers.includes(n) || wanted.has(normalizeNumber(n)));
  }
  return true;
}

/** ListSIPOutboundTrunkRequest.Filter: numbers compare exactly. */
export function outboundListed(req: Pick<ListSIPOutboundTrunkRequest, 'trunkIds' | 'numbers'>, t: SIPOutboundTrunkInfo): boolean {
  if (req.trunkIds.length && !req.trunkIds.includes(t.sipTrunkId)) return false;
  if (req.numbers.length && t.numbers.length) return t.numbers.some((n) => req.numbers.includes(n));
  return true;
}

/** ListSIPDispatchRuleRequest.Filter: trunk-less rules always pass a trunk filter. */
export function ruleListed(req: Pick<ListSIPDispatchRuleRequest, 'dispatchRuleIds' | 'trunkIds'>, r: SIPDispatchRuleInfo): boolean {
  if (req.dispatchRuleIds.length && !req.dispatchRuleIds.includes(r.sipDispatchRuleId)) return false;
  if (req.trunkIds.length && r.trunkIds.length) return r.trunkIds.some((id) => req.trunkIds.includes(id));
  return true;
}
