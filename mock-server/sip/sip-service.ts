import {
  CreateSIPDispatchRuleRequest,
  CreateSIPInboundTrunkRequest,
  CreateSIPOutboundTrunkRequest,
  CreateSIPParticipantRequest,
  DeleteSIPDispatchRuleRequest,
  DeleteSIPTrunkRequest,
  GetSIPInboundTrunkRequest,
  GetSIPInboundTrunkResponse,
  GetSIPOutboundTrunkRequest,
  GetSIPOutboundTrunkResponse,
  ListSIPDispatchRuleRequest,
  ListSIPDispatchRuleResponse,
  ListSIPInboundTrunkRequest,
  ListSIPInboundTrunkResponse,
  ListSIPOutboundTrunkRequest,
  ListSIPOutboundTrunkResponse,
  ListSIPTrunkRequest,
  ListSIPTrunkResponse,
  type ListUpdate,
  SIPDispatchRuleInfo,
  type SIPDispatchRuleUpdate,
  type SIPInboundTrunkInfo,
  type SIPInboundTrunkUpdate,
  SIPMediaConfig,
  SIPMediaEncryption,
  type SIPOutboundTrunkInfo,
  type SIPOutboundTrunkUpdate,
  SIPTrunkInfo,
  SIPTrunkInfo_TrunkKind,
  TransferSIPParticipantRequest,
  UpdateSIPDispatchRuleRequest,
  UpdateSIPInboundTrunkRequest,
  UpdateSIPOutboundTrunkRequest,
} from '@livekit/protocol';
import { Empty, type Message, type MessageType, type PartialMessage } from '@bufbuild/protobuf';
import type { Clock } from '../core/clock.ts';
import { TwirpError } from '../core/errors.ts';
import type { RoomManager } from '../rooms/room-manager.ts';
import { ensureAdmin } from '../twirp/permissions.ts';
import { noRpcResponse, psrpcError } from '../twirp/psrpc-error.ts';
import { method, type TwirpService } from '../twirp/twirp-service.ts';
import {
  createParticipantError,
  inboundListed,
  inboundTrunkError,
  outboundListed,
  outboundTrunkError,
  ruleError,
  ruleListed,
  throwIf,
  transferError,
  validateRules,
  validateTrunks,
} from './sip-validate.ts';
import type { Telephony } from './telephony.ts';

/** psrpc's DefaultAffinityTimeout: a request nobody claims fails after this (no livekit-sip running). */
export const SIP_NO_BRIDGE_MS = 1_000;

const denied = () => new TwirpError('unauthenticated', 'permissions denied');
const notConnected = () => psrpcError('internal', 'sip not connected (redis required)');
const invalid = (msg: string) => new TwirpError('invalid_argument', msg);
const trunkNotFound = () => new TwirpError('not_found', 'requested sip trunk does not exist');
const ruleNotFound = () => new TwirpError('not_found', 'requested sip dispatch rule does not exist');

/** SIPMediaConfig.UpgradeWith: a missing media config becomes an empty one, taking the legacy encryption if set. */
function upgradeMedia(info: { media?: SIPMediaConfig; mediaEncryption: SIPMediaEncryption }): void {
  info.media ??= new SIPMediaConfig();
  if (info.media.encryption === undefined && info.mediaEncryption !== SIPMediaEncryption.SIP_MEDIA_ENCRYPT_DISABLE) info.media.encryption = info.mediaEncryption;
}

/** iters.MultiIter round-robin: the first stored item, then the new one, then the other stored ones. */
function interleave<T>(stored: T[], added: T): T[] {
  return stored.length ? [stored[0]!, added, ...stored.slice(1)] : [added];
}

function applyList(list: string[], u: ListUpdate | undefined): string[] {
  if (!u) return list;
  if (u.clear) return [];
  if (u.set.length) return [...u.set];
  const out = list.filter((v) => !u.remove.includes(v));
  for (const v of u.add) if (!out.includes(v)) out.push(v);
  return out;
}

function listUpdateError(u: ListUpdate | undefined): string | undefined {
  if (!u) return undefined;
  const change = u.set.length + u.add.length + u.remove.length > 0;
  if (!u.clear && !change) return 'unsupported list update operation';
  if (u.clear && change) return 'cannot clear and change the list at the same time';
  if (u.set.length && u.add.length + u.remove.length) return 'cannot set and change the list at the same time';
  if ([...u.set, ...u.add, ...u.remove].some((v) => v === '')) return 'empty element in the list';
  return undefined;
}

/**
 * livekit.SIP as livekit-server v1.13.5 answers it (pkg/service/sip.go), with the store in memory: grants first,
 * then the store (nil without Redis), then validation, with the protocol's exact messages. Calls go to the
 * simulated bridge, or time out as with no livekit-sip running.
 */
type UpdateAction<I, U> = { case: 'replace'; value: I } | { case: 'update'; value: U } | { case: undefined; value?: undefined };

/**
 * The UpdateSIP* RPCs' shared order of checks (livekit-server's service/sip.go): the id is set, the action is known,
 * a replacement is valid and names no other id, an update's list edits are valid, the object exists; then a
 * replacement takes the stored id and an update is applied (and validated) onto the stored object.
 */
function replaceOrUpdate<I extends { clone(): I }, U>(
  what: 'trunk' | 'rule',
  id: string,
  action: UpdateAction<I, U>,
  rules: {
    idOf: (info: I) => string;
    setId: (info: I, id: string) => void;
    replaceError: (info: I) => string | undefined;
    updateError: (update: U) => string | undefined;
    stored: (id: string) => I | undefined;
    notFound: () => TwirpError;
    apply: (stored: I, update: U) => void;
  },
): I {
  if (!id) throw invalid(`${what} id must be set`);
  if (action.case === undefined) throw invalid('missing or unsupported update action');
  if (action.case === 'replace') {
    const given = rules.idOf(action.value);
    if (given && given !== id) throw invalid(`${what} id in the info must be empty or match the id in the update`);
    throwIf(rules.replaceError(action.value));
  } else throwIf(rules.updateError(action.value));
  const current = rules.stored(id);
  if (!current) throw rules.notFound();
  if (action.case === 'update') {
    rules.apply(current, action.value);
    return current;
  }
  const info = action.value.clone();
  rules.setId(info, rules.idOf(current));
  return info;
}

/** Copies the fields an update sets (optional fields left unset keep the stored value). */
function assignSet<I, K extends keyof I>(info: I, update: { [k in K]?: I[k] }, keys: readonly K[]): void {
  for (const k of keys) {
    const v = update[k];
    if (v !== undefined) info[k] = v as I[K];
  }
}

/** A trunk's id, for replaceOrUpdate: both trunk kinds keep it in sipTrunkId. */
const trunkId = {
  idOf: (t: { sipTrunkId: string }) => t.sipTrunkId,
  setId: (t: { sipTrunkId: string }, id: string) => (t.sipTrunkId = id),
  notFound: trunkNotFound,
};

/** The stored objects a new or changed one is validated against, with it in place of its stored self. */
function withChanged<T>(stored: T[], changed: T, idOf: (t: T) => string): T[] {
  return stored.map((t) => (idOf(t) === idOf(changed) ? changed : t));
}

export function sipService(telephony: Telephony, rooms: RoomManager, clock: Clock): TwirpService {
  const store = telephony.store;
  /** The trunk and dispatch-rule RPCs: sip.admin, then the store (nil without Redis), then the method's own checks. */
  const adminMethod = <Req extends Message<Req>, Res extends Message<Res>>(input: MessageType<Req>, handle: (req: Req) => Res) =>
    method({
      input,
      handle(req: Req, auth) {
        if (!auth?.grants.sip?.admin) throw denied();
        if (telephony.mode.store === 'none') throw notConnected();
        return handle(req);
      },
    });
  /** CreateSIP*Trunk: a trunk without an id, valid on its own (and against `others`), stored under a new id. */
  const createTrunk = <T extends { sipTrunkId: string }>(trunk: T | undefined, error: (t: T) => string | undefined, save: (t: T) => void, others?: (t: T) => void): T => {
    if (!trunk) throw invalid('missing trunk');
    if (trunk.sipTrunkId) throw invalid('trunk id must not be set');
    throwIf(error(trunk));
    others?.(trunk);
    trunk.sipTrunkId = telephony.newTrunkId();
    save(trunk);
    return trunk;
  };
  /** GetSIP*Trunk: the id is required and must be stored. */
  const storedTrunk = <T>(id: string, lookup: (id: string) => T | undefined): T => {
    if (!id) throw invalid('trunk ID is required');
    const trunk = lookup(id);
    if (!trunk) throw trunkNotFound();
    return trunk;
  };
  const inboundOn = (numbers: string[]) => store.inboundTrunks().filter((t) => inboundListed({ trunkIds: [], numbers }, t));
  const rulesOn = (trunkIds: string[]) => store.rules().filter((r) => ruleListed({ dispatchRuleIds: [], trunkIds }, r));

  return {
    CreateSIPInboundTrunk: adminMethod(CreateSIPInboundTrunkRequest, (req) =>
      createTrunk(req.trunk, inboundTrunkError, (t) => store.storeInbound(t), (info) =>
        // iters.MultiIter(true, …) yields the new trunk first, then the stored ones on those numbers (and number-less ones)
        validateTrunks(interleave(inboundOn(info.numbers), info)),
      ),
    ),
    CreateSIPOutboundTrunk: adminMethod(CreateSIPOutboundTrunkRequest, (req) => createTrunk(req.trunk, outboundTrunkError, (t) => store.storeOutbound(t))),
    UpdateSIPInboundTrunk: adminMethod(UpdateSIPInboundTrunkRequest, (req) => {
      const info = replaceOrUpdate<SIPInboundTrunkInfo, SIPInboundTrunkUpdate>('trunk', req.sipTrunkId, req.action, {
        ...trunkId,
        replaceError: inboundTrunkError,
        updateError: (u) => listUpdateError(u.numbers) ?? listUpdateError(u.allowedAddresses) ?? listUpdateError(u.allowedNumbers),
        stored: (id) => store.inbound(id),
        apply: (info, u) => {
          info.numbers = applyList(info.numbers, u.numbers);
          info.allowedAddresses = applyList(info.allowedAddresses, u.allowedAddresses);
          info.allowedNumbers = applyList(info.allowedNumbers, u.allowedNumbers);
          assignSet(info, u, ['authUsername', 'authPassword', 'name', 'metadata']);
          upgradeMedia(info);
          // ApplyResult validates the result; a plain error there is code unknown in v1.13.5
          const bad = inboundTrunkError(info);
          if (bad) throw psrpcError('invalid_argument', bad);
        },
      });
      validateTrunks(withChanged(inboundOn(info.numbers), info, trunkId.idOf));
      store.storeInbound(info);
      return info;
    }),
    UpdateSIPOutboundTrunk: adminMethod(UpdateSIPOutboundTrunkRequest, (req) => {
      const info = replaceOrUpdate<SIPOutboundTrunkInfo, SIPOutboundTrunkUpdate>('trunk', req.sipTrunkId, req.action, {
        ...trunkId,
        replaceError: outboundTrunkError,
        updateError: (u) => listUpdateError(u.numbers),
        stored: (id) => store.outbound(id),
        apply: (info, u) => {
          info.numbers = applyList(info.numbers, u.numbers);
          assignSet(info, u, ['address', 'transport', 'destinationCountry', 'authUsername', 'authPassword', 'name', 'metadata', 'fromHost']);
          upgradeMedia(info);
          const bad = outboundTrunkError(info);
          if (bad) throw psrpcError('unknown', bad);
        },
      });
      store.storeOutbound(info);
      return info;
    }),
    GetSIPInboundTrunk: adminMethod(GetSIPInboundTrunkRequest, (req) => new GetSIPInboundTrunkResponse({ trunk: storedTrunk(req.sipTrunkId, (id) => store.inbound(id)) })),
    GetSIPOutboundTrunk: adminMethod(GetSIPOutboundTrunkRequest, (req) => new GetSIPOutboundTrunkResponse({ trunk: storedTrunk(req.sipTrunkId, (id) => store.outbound(id)) })),
    ListSIPTrunk: adminMethod(ListSIPTrunkRequest, () => {
      const items = [...store.inboundTrunks().map(inboundAsLegacy), ...store.outboundTrunks().map(outboundAsLegacy)].sort((a, b) => (a.sipTrunkId < b.sipTrunkId ? -1 : 1));
      return new ListSIPTrunkResponse({ items });
    }),
    ListSIPInboundTrunk: adminMethod(ListSIPInboundTrunkRequest, (req) => new ListSIPInboundTrunkResponse({ items: store.inboundTrunks().filter((t) => inboundListed(req, t)) })),
    ListSIPOutboundTrunk: adminMethod(ListSIPOutboundTrunkRequest, (req) => new ListSIPOutboundTrunkResponse({ items: store.outboundTrunks().filter((t) => outboundListed(req, t)) })),
    DeleteSIPTrunk: adminMethod(DeleteSIPTrunkRequest, (req) => {
      if (!req.sipTrunkId) throw invalid('trunk ID is required');
      store.deleteTrunk(req.sipTrunkId);
      // an unknown id is no error: the hash deletes find nothing
      return new SIPTrunkInfo({ sipTrunkId: req.sipTrunkId });
    }),
    CreateSIPDispatchRule: adminMethod(CreateSIPDispatchRuleRequest, (req) => {
      // both shapes: `dispatch_rule` (newer clients), or the legacy top-level fields the Node SDK sends
      if (req.dispatchRule?.sipDispatchRuleId) throw invalid('rule id must not be set');
      if (req.dispatchRule) upgradeMedia(req.dispatchRule);
      const info =
        req.dispatchRule?.clone() ??
        new SIPDispatchRuleInfo({
          rule: req.rule,
          trunkIds: req.trunkIds,
          inboundNumbers: req.inboundNumbers,
          hidePhoneNumber: req.hidePhoneNumber,
          name: req.name,
          metadata: req.metadata,
          attributes: req.attributes,
          roomPreset: req.roomPreset,
          roomConfig: req.roomConfig,
        });
      throwIf(ruleError(info));
      validateRules(interleave(rulesOn(req.trunkIds), info));
      info.sipDispatchRuleId = telephony.newRuleId();
      store.storeRule(info);
      return info;
    }),
    UpdateSIPDispatchRule: adminMethod(UpdateSIPDispatchRuleRequest, (req) => {
      const info = replaceOrUpdate<SIPDispatchRuleInfo, SIPDispatchRuleUpdate>('rule', req.sipDispatchRuleId, req.action, {
        idOf: (r) => r.sipDispatchRuleId,
        setId: (r, id) => (r.sipDispatchRuleId = id),
        replaceError: ruleError,
        updateError: (u) => listUpdateError(u.trunkIds),
        stored: (id) => store.rule(id),
        notFound: ruleNotFound,
        apply: (info, u) => {
          info.trunkIds = applyList(info.trunkIds, u.trunkIds);
          if (u.rule) info.rule = u.rule;
          assignSet(info, u, ['name', 'metadata']);
          for (const [k, v] of Object.entries(u.attributes)) {
            if (v === '') delete info.attributes[k];
            else info.attributes[k] = v;
          }
          upgradeMedia(info);
        },
      });
      validateRules(withChanged(rulesOn(info.trunkIds), info, (r) => r.sipDispatchRuleId));
      store.storeRule(info);
      return info;
    }),
    ListSIPDispatchRule: adminMethod(ListSIPDispatchRuleRequest, (req) => new ListSIPDispatchRuleResponse({ items: store.rules().filter((r) => ruleListed(req, r)) })),
    DeleteSIPDispatchRule: adminMethod(DeleteSIPDispatchRuleRequest, (req) => {
      if (!req.sipDispatchRuleId) throw invalid('dispatch rule ID is required');
      const info = store.rule(req.sipDispatchRuleId);
      if (!info) throw ruleNotFound();
      store.deleteRule(info.sipDispatchRuleId);
      return info;
    }),
    CreateSIPParticipant: method({
      input: CreateSIPParticipantRequest,
      roomOf: (req) => req.roomName,
      async handle(req, auth) {
        if (!auth?.grants.sip?.call) throw denied();
        if (telephony.mode.store === 'none') throw notConnected();
        throwIf(createParticipantError(req));
        let trunk: SIPOutboundTrunkInfo | undefined;
        if (req.sipTrunkId) {
          trunk = store.outbound(req.sipTrunkId);
          if (!trunk) throw trunkNotFound();
        }
        // rpc.NewCreateSIPParticipantRequest: From is sip_number, else one of the trunk's numbers
        const numbers = trunk?.numbers ?? [];
        const from = req.sipNumber || numbers[Math.floor(telephony.random() * numbers.length)] || '';
        if (!from) throw psrpcError('failed_precondition', 'no numbers on outbound trunk');
        const callId = telephony.newCallId();
        if (telephony.mode.bridge === 'absent') return noRpcResponse(clock, SIP_NO_BRIDGE_MS);
        // the server's own deadline for the RPC: 30 s, or 80 s when waiting for the answer (sip.go)
        const deadlineMs = req.waitUntilAnswered ? 80_000 : 30_000;
        return telephony.bridge.dial(req, trunk, from, callId, telephony.phoneFor(req.sipCallTo), deadlineMs);
      },
    }),
    TransferSIPParticipant: method({
      input: TransferSIPParticipantRequest,
      roomOf: (req) => req.roomName,
      async handle(req, auth) {
        if (!req.roomName) throw psrpcError('invalid_argument', 'Missing room name');
        if (!req.participantIdentity) throw psrpcError('invalid_argument', 'Missing participant identity');
        if (!auth?.grants.sip?.call) throw denied();
        ensureAdmin(auth, req.roomName);
        throwIf(transferError(req));
        const p = rooms.get(req.roomName)?.participants.get(req.participantIdentity);
        if (!p) throw psrpcError('not_found', 'participant does not exist');
        const callId = p.attributes['sip.callID'];
        if (callId === undefined) throw psrpcError('invalid_argument', 'no SIP session associated with participant');
        // psrpc to the SIP node owning the call (topic = call id); nobody owns it without a bridge
        if (telephony.mode.store === 'none' || telephony.mode.bridge === 'absent' || !telephony.bridge.liveCall(callId)) return noRpcResponse(clock, SIP_NO_BRIDGE_MS);
        await telephony.bridge.transfer(callId, req.transferTo, SIP_NO_BRIDGE_MS);
        return new Empty();
      },
    }),
  };
}

/** ListSIPTrunk's legacy SIPTrunkInfo: what both trunk kinds have, then the kind's own fields under their legacy names. */
function asLegacy(t: SIPInboundTrunkInfo | SIPOutboundTrunkInfo, kind: SIPTrunkInfo_TrunkKind, own: PartialMessage<SIPTrunkInfo>): SIPTrunkInfo {
  return new SIPTrunkInfo({ sipTrunkId: t.sipTrunkId, kind, name: t.name, metadata: t.metadata, outboundNumber: t.numbers[0] ?? '', ...own });
}

const inboundAsLegacy = (t: SIPInboundTrunkInfo): SIPTrunkInfo =>
  asLegacy(t, SIPTrunkInfo_TrunkKind.TRUNK_INBOUND, { inboundAddresses: t.allowedAddresses, inboundNumbers: t.allowedNumbers, inboundUsername: t.authUsername, inboundPassword: t.authPassword });

const outboundAsLegacy = (t: SIPOutboundTrunkInfo): SIPTrunkInfo =>
  asLegacy(t, SIPTrunkInfo_TrunkKind.TRUNK_OUTBOUND, { outboundAddress: t.address, transport: t.transport, outboundUsername: t.authUsername, outboundPassword: t.authPassword });
