import type { SIPDispatchRuleInfo, SIPInboundTrunkInfo, SIPOutboundTrunkInfo } from '@livekit/protocol';

const byId = <T>(m: Map<string, T>): T[] => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);

/**
 * Trunks and dispatch rules, as livekit-server keeps them in the Redis hashes sip_inbound_trunk,
 * sip_outbound_trunk and sip_dispatch_rule (redisstore_sip.go). Lists come sorted by id (sortPage).
 * Values are stored as copies, so a caller's later edits never reach the store.
 */
export class SipStore {
  readonly #inbound = new Map<string, SIPInboundTrunkInfo>();
  readonly #outbound = new Map<string, SIPOutboundTrunkInfo>();
  readonly #rules = new Map<string, SIPDispatchRuleInfo>();

  storeInbound(t: SIPInboundTrunkInfo): void {
    this.#inbound.set(t.sipTrunkId, t.clone());
  }
  storeOutbound(t: SIPOutboundTrunkInfo): void {
    this.#outbound.set(t.sipTrunkId, t.clone());
  }
  storeRule(r: SIPDispatchRuleInfo): void {
    this.#rules.set(r.sipDispatchRuleId, r.clone());
  }

  inbound(id: string): SIPInboundTrunkInfo | undefined {
    return this.#inbound.get(id)?.clone();
  }
  outbound(id: string): SIPOutboundTrunkInfo | undefined {
    return this.#outbound.get(id)?.clone();
  }
  rule(id: string): SIPDispatchRuleInfo | undefined {
    return this.#rules.get(id)?.clone();
  }

  inboundTrunks(): SIPInboundTrunkInfo[] {
    return byId(this.#inbound).map((t) => t.clone());
  }
  outboundTrunks(): SIPOutboundTrunkInfo[] {
    return byId(this.#outbound).map((t) => t.clone());
  }
  rules(): SIPDispatchRuleInfo[] {
    return byId(this.#rules).map((r) => r.clone());
  }

  /** DeleteSIPTrunk removes the id from every trunk hash; an unknown id is no error. */
  deleteTrunk(id: string): void {
    this.#inbound.delete(id);
    this.#outbound.delete(id);
  }
  deleteRule(id: string): void {
    this.#rules.delete(id);
  }

  clear(): void {
    this.#inbound.clear();
    this.#outbound.clear();
    this.#rules.clear();
  }
}
