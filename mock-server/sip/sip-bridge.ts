import {
  DataPacket,
  DataPacket_Kind,
  DisconnectReason,
  ParticipantInfo_Kind,
  ParticipantPermission,
  SIPParticipantInfo,
  SipDTMF,
  TrackInfo,
  TrackSource,
  TrackType,
  type CreateSIPParticipantRequest,
  type SIPOutboundTrunkInfo,
} from '@livekit/protocol';
import type { AgentCoreContext } from '../agent/agent-context.ts';
import type { TimerHandle } from '../core/clock.ts';
import type { TwirpError } from '../core/errors.ts';
import type { Participant } from '../rooms/participant.ts';
import type { RoomEvent } from '../rooms/room-events.ts';
import type { RoomManager } from '../rooms/room-manager.ts';
import type { Room } from '../rooms/room.ts';
import type { TraceEventOf } from '../trace/events.ts';
import { noRpcResponse, psrpcError } from '../twirp/psrpc-error.ts';
import { normalizeNumber } from './sip-numbers.ts';
import { dtmfCode, type PhoneScript } from './sip-phones.ts';
import { failureLeaveReason, sipPhrase, sipStatusError } from './sip-status.ts';

export type CallStatus = 'dialing' | 'ringing' | 'automation' | 'active' | 'hangup' | 'ended';
type EndedBy = TraceEventOf<'sip.call.ended'>['by'];

/** One call through the simulated bridge, as the control API shows it. */
export interface SipCallView {
  callId: string;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  room: string;
  identity: string;
  trunkId: string;
  ruleId: string;
  status: CallStatus;
  statusHistory: { status: CallStatus; atMs: number }[];
  /** Digits the room sent to the phone (SipDTMF packets addressed to the SIP participant). */
  dtmfReceived: string;
  /** Digits the phone sent into the room. */
  dtmfSent: string;
  transferTo?: string;
  ended?: { by: EndedBy; reason: string; sipCode?: number };
}

interface CallState extends SipCallView {
  participant?: Participant;
  roomRef?: Room;
  script: PhoneScript;
  timers: TimerHandle[];
  /** The bridge itself is taking the participant out (not LiveKit). */
  leaving: boolean;
}

/** What the bridge needs to join a room: the participant it creates, as livekit-sip's token and join describe it. */
export interface SipJoin {
  room: Room;
  identity: string;
  name: string;
  metadata: string;
  attributes: Record<string, string>;
}

// livekit-sip's token (pkg/sip/room.go): publish, subscribe, data, own metadata
const sipPermission = () => new ParticipantPermission({ canSubscribe: true, canPublish: true, canPublishData: true, canUpdateMetadata: true });

/**
 * The simulated livekit-sip: SIP participants join rooms through RoomManager exactly as a client would (kind
 * SIP, the bridge's attributes, an audio track), and phones are scripts. Every transition is a trace event.
 */
export class SipBridge {
  readonly #calls = new Map<string, CallState>();

  constructor(
    private readonly ctx: AgentCoreContext,
    private readonly rooms: RoomManager,
  ) {
    rooms.onEvent((e) => this.#onRoomEvent(e));
  }

  calls(): SipCallView[] {
    return [...this.#calls.values()].map(view);
  }

  call(callId: string): SipCallView | undefined {
    const c = this.#calls.get(callId);
    return c && view(c);
  }

  /** A live call by its participant (TransferSIPParticipant finds the call through `sip.callID`). */
  liveCall(callId: string): boolean {
    const c = this.#calls.get(callId);
    return !!c && !c.ended;
  }

  /** The SIP participant of an accepted inbound call joins; `active` says a PIN call joins already answered. */
  joinInbound(call: Omit<SipCallView, 'status' | 'statusHistory' | 'dtmfReceived' | 'dtmfSent' | 'room' | 'identity'>, join: SipJoin, opts: { active: boolean; ringingTimeoutMs: number; script: PhoneScript }): SipCallView {
    const c = this.#newCall({ ...call, room: join.room.name, identity: join.identity }, opts.script, opts.active ? 'active' : 'ringing');
    this.#join(c, join);
    if (c.status === 'ringing') {
      if (this.#hasOtherAudio(join.room, c.participant!)) this.#setStatus(c, 'active');
      else c.timers.push(this.ctx.clock.setTimer(opts.ringingTimeoutMs, () => c.status === 'ringing' && this.#end(c, 'timeout', 'room subscription timed out: nobody published audio within the ringing timeout', DisconnectReason.CLIENT_INITIATED, { hangup: false })));
    }
    this.#runRemoteScript(c, 0);
    return view(c);
  }

  /**
   * CreateSIPParticipant on the SIP side (pkg/sip/client.go): the participant joins (auto-creating the room, with
   * no room_config, so only the default dispatch), then the INVITE runs against the callee's script. Without
   * wait_until_answered the answer comes once the participant is in the room; with it, after 200 OK and DTMF.
   */
  async dial(req: CreateSIPParticipantRequest, trunk: SIPOutboundTrunkInfo | undefined, from: string, callId: string, script: PhoneScript, deadlineMs: number): Promise<SIPParticipantInfo> {
    const identity = req.participantIdentity || `sip_${req.sipCallTo}`;
    const attributes: Record<string, string> = { ...req.participantAttributes, 'sip.callID': callId, 'sip.trunkID': trunk?.sipTrunkId ?? '' };
    if (!req.hidePhoneNumber) {
      attributes['sip.phoneNumber'] = req.sipCallTo;
      attributes['sip.hostname'] = trunk?.address ?? req.trunk?.hostname ?? '';
      attributes['sip.trunkPhoneNumber'] = from;
    }
    const { room } = this.rooms.getOrCreate({ name: req.roomName, emptyTimeout: 0, departureTimeout: 0, maxParticipants: 0, metadata: '', agents: [] }, 'default');
    const c = this.#newCall(
      { callId, direction: 'outbound', from, to: req.sipCallTo, room: room.name, identity, trunkId: trunk?.sipTrunkId ?? '', ruleId: '' },
      script,
      'dialing',
    );
    this.#join(c, { room, identity, name: req.participantName, metadata: req.participantMetadata, attributes });
    const info = new SIPParticipantInfo({ participantId: c.participant!.sid, participantIdentity: identity, roomName: room.name, sipCallId: callId });

    const ringingTimeoutMs = req.ringingTimeout ? Number(req.ringingTimeout.seconds) * 1000 + Math.floor(req.ringingTimeout.nanos / 1e6) : 180_000;
    const answered = new Promise<void>((resolve, reject) => {
      const at = (ms: number, fn: () => void) => c.timers.push(this.ctx.clock.setTimer(ms, () => !c.ended && fn()));
      const ringAt = script.ringAfterMs ?? 0;
      const decideAt = script.answerAfterMs ?? (script.reject ? ringAt : 0);
      if (ringAt < Math.min(decideAt, ringingTimeoutMs) || (script.noAnswer && ringAt < ringingTimeoutMs)) at(ringAt, () => this.#setStatus(c, 'ringing'));
      const timeout = () => {
        // the SIP side CANCELs: a psrpc error without SIP meta, so not a SipCallError for the SDKs
        this.#end(c, 'timeout', `no answer within the ringing timeout (${ringingTimeoutMs} ms)`, DisconnectReason.USER_UNAVAILABLE, { hangup: false });
        reject(psrpcError('canceled', 'sip request timed out'));
      };
      if (script.noAnswer || decideAt >= ringingTimeoutMs) return void at(ringingTimeoutMs, timeout);
      if (script.reject) {
        const { code } = script.reject;
        const phrase = script.reject.reason ?? sipPhrase(code);
        return void at(decideAt, () => {
          // the participant leaves before the RPC error returns
          this.#end(c, 'failure', `callee answered ${code} ${phrase}`, failureLeaveReason(code), { hangup: false, sipCode: code });
          reject(sipStatusError(code, phrase));
        });
      }
      at(decideAt, () => {
        const digits = req.dtmf;
        if (!digits) {
          this.#setStatus(c, 'active');
          this.#runRemoteScript(c, 0);
          return resolve();
        }
        this.#setStatus(c, 'automation');
        this.#sendToPhone(c, digits, () => {
          this.#setStatus(c, 'active');
          this.#runRemoteScript(c, 0);
          resolve();
        });
      });
    });
    if (!req.waitUntilAnswered) {
      answered.catch(() => undefined); // the failure shows only as the participant leaving
      return info;
    }
    let deadline: TimerHandle | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      deadline = this.ctx.clock.setTimer(deadlineMs, () => reject(psrpcError('deadline_exceeded', 'request timed out')));
    });
    try {
      await Promise.race([answered, timedOut]);
      return info;
    } finally {
      deadline?.cancel();
    }
  }

  /** TransferSIPParticipant on the SIP side (REFER): the phone's carrier answers; on success the call ends ~1 s later with hangup. */
  async transfer(callId: string, transferTo: string, unavailableMs: number): Promise<void> {
    const c = this.#calls.get(callId);
    if (!c || c.ended) return noRpcResponse(this.ctx.clock, unavailableMs);
    const answer = c.script.transfer ?? 'accept';
    await this.ctx.clock.sleep(100); // REFER, 202 Accepted, NOTIFY 200
    const record = (result: 'accepted' | 'failed', sipCode?: number) =>
      this.ctx.trace.record({ kind: 'sip.transfer', callId, room: c.room, identity: c.identity, transferTo, result, ...(sipCode ? { sipCode } : {}) });
    if (answer !== 'accept') {
      record('failed', answer.code);
      throw sipStatusError(answer.code, answer.reason ?? sipPhrase(answer.code)) as TwirpError;
    }
    record('accepted');
    c.transferTo = transferTo;
    c.timers.push(this.ctx.clock.setTimer(1_000, () => this.#end(c, 'transfer', `transferred to ${transferTo}`, DisconnectReason.CLIENT_INITIATED, { hangup: true })));
  }

  /** The phone sends digits now (control API / scenario step). */
  phoneSendsDtmf(callId: string, digits: string): boolean {
    const c = this.#calls.get(callId);
    if (!c || c.ended || !c.participant) return false;
    this.#sendFromPhone(c, digits);
    return true;
  }

  /** The phone hangs up now (BYE). */
  phoneHangsUp(callId: string): boolean {
    const c = this.#calls.get(callId);
    if (!c || c.ended) return false;
    this.#end(c, 'remote', 'the phone hung up (BYE)', DisconnectReason.CLIENT_INITIATED, { hangup: true });
    return true;
  }

  /** Forget ended calls and stop the live ones' timers (restart, stop). */
  stop(): void {
    for (const c of this.#calls.values()) for (const t of c.timers) t.cancel();
    this.#calls.clear();
  }

  #newCall(base: Pick<SipCallView, 'callId' | 'direction' | 'from' | 'to' | 'room' | 'identity' | 'trunkId' | 'ruleId'>, script: PhoneScript, status: CallStatus): CallState {
    const c: CallState = { ...base, status, statusHistory: [{ status, atMs: this.ctx.clock.now() }], dtmfReceived: '', dtmfSent: '', script, timers: [], leaving: false };
    this.#calls.set(c.callId, c);
    this.ctx.trace.record({ kind: 'sip.call.created', callId: c.callId, direction: c.direction, from: c.from, to: c.to, room: c.room, identity: c.identity, trunkId: c.trunkId, ruleId: c.ruleId });
    this.ctx.trace.record({ kind: 'sip.call.status', callId: c.callId, room: c.room, identity: c.identity, status });
    return c;
  }

  /** Join with the bridge's attributes and sip.callStatus, then publish the call's audio track (JT_PUBLISHER). */
  #join(c: CallState, join: SipJoin): void {
    const attributes = { ...join.attributes, 'sip.callStatus': c.status, 'sip.callIDFull': `${c.callId.slice(4)}@lab.invalid`, 'sip.callTag': c.callId.slice(4, 12) };
    const p = this.rooms.join(join.room, { identity: join.identity, name: join.name, metadata: join.metadata, attributes, kind: 'sip', virtual: true, permission: sipPermission() });
    c.participant = p;
    c.roomRef = join.room;
    this.rooms.markActive(join.room, p);
    const track = new TrackInfo({ sid: this.ctx.ids.next('TR_'), type: TrackType.AUDIO, source: TrackSource.MICROPHONE, name: 'phone' });
    this.rooms.publishTrack(join.room, p, track);
  }

  #setStatus(c: CallState, status: CallStatus): void {
    if (c.ended || c.status === status) return;
    c.status = status;
    c.statusHistory.push({ status, atMs: this.ctx.clock.now() });
    if (c.participant && c.roomRef && c.roomRef.participants.get(c.identity) === c.participant) {
      this.rooms.updateParticipant(c.roomRef, c.participant, { attributes: { 'sip.callStatus': status } });
    }
    this.ctx.trace.record({ kind: 'sip.call.status', callId: c.callId, room: c.room, identity: c.identity, status });
  }

  /** The remote party's script from the answer: DTMF and hang-up. */
  #runRemoteScript(c: CallState, offsetMs: number): void {
    for (const d of c.script.dtmf ?? []) c.timers.push(this.ctx.clock.setTimer(offsetMs + d.afterMs, () => !c.ended && this.#sendFromPhone(c, d.digits)));
    if (c.script.hangupAfterMs !== undefined) {
      c.timers.push(this.ctx.clock.setTimer(offsetMs + c.script.hangupAfterMs, () => this.#end(c, 'remote', 'the phone hung up (BYE)', DisconnectReason.CLIENT_INITIATED, { hangup: true })));
    }
  }

  /** Digits from the phone become reliable SipDTMF packets from the SIP participant (inbound.go). */
  #sendFromPhone(c: CallState, digits: string): void {
    const p = c.participant;
    const room = c.roomRef;
    if (!p || !room) return;
    let delay = 0;
    for (const digit of digits) {
      if (digit === 'w') {
        delay += 500;
        continue;
      }
      c.timers.push(
        this.ctx.clock.setTimer(delay, () => {
          if (c.ended || room.participants.get(c.identity) !== p) return;
          const code = dtmfCode(digit);
          const packet = new DataPacket({ kind: DataPacket_Kind.RELIABLE, participantIdentity: p.identity, participantSid: p.sid, value: { case: 'sipDtmf', value: new SipDTMF({ code, digit }) } });
          c.dtmfSent += digit;
          this.ctx.trace.record({ kind: 'sip.dtmf', callId: c.callId, room: room.name, identity: p.identity, direction: 'from_phone', digit, code });
          this.rooms.publishData(room, p, DataPacket_Kind.RELIABLE, packet);
        }),
      );
      delay += 100;
    }
  }

  /** CreateSIPParticipant's `dtmf`, played to the callee after the answer: `w` is a 0.5 s pause. */
  #sendToPhone(c: CallState, digits: string, done: () => void): void {
    let delay = 0;
    for (const d of digits) delay += d === 'w' ? 500 : 100;
    c.timers.push(
      this.ctx.clock.setTimer(delay, () => {
        if (c.ended) return;
        c.dtmfReceived += digits.replace(/w/g, '');
        done();
      }),
    );
  }

  #hasOtherAudio(room: Room, self: Participant): boolean {
    for (const p of room.participants.values()) if (p !== self && p.tracks.some((t) => t.type === TrackType.AUDIO)) return true;
    return false;
  }

  #end(c: CallState, by: EndedBy, reason: string, leave: DisconnectReason, opts: { hangup: boolean; sipCode?: number; leaves?: boolean }): void {
    if (c.ended) return;
    if (opts.hangup) this.#setStatus(c, 'hangup');
    for (const t of c.timers) t.cancel();
    c.timers = [];
    c.ended = { by, reason, ...(opts.sipCode ? { sipCode: opts.sipCode } : {}) };
    c.status = 'ended';
    c.statusHistory.push({ status: 'ended', atMs: this.ctx.clock.now() });
    this.ctx.trace.record({ kind: 'sip.call.ended', callId: c.callId, room: c.room, identity: c.identity, by, reason, ...(opts.sipCode ? { sipCode: opts.sipCode } : {}) });
    const room = c.roomRef;
    if (opts.leaves !== false && room && c.participant && room.participants.get(c.identity) === c.participant) {
      c.leaving = true;
      this.rooms.participantLeft(room, c.identity, leave);
    }
  }

  #onRoomEvent(e: RoomEvent): void {
    if (this.#calls.size === 0) return;
    for (const c of this.#calls.values()) {
      if (c.ended || c.roomRef !== e.room || !c.participant) continue;
      switch (e.type) {
        case 'participant_removed':
        case 'participant_left':
          if (e.participant === c.participant && !c.leaving) {
            // LiveKit ended the call (RemoveParticipant, DeleteRoom, a duplicate identity): the bridge sends BYE
            this.#end(c, 'livekit', `the participant was removed from the room (${e.type === 'participant_removed' ? DisconnectReason[e.reason] : 'left'}); the bridge sent BYE`, DisconnectReason.CLIENT_INITIATED, { hangup: false, leaves: false });
          }
          break;
        case 'participant_updated':
        case 'participant_joined':
          // ringing → active once the SIP side can subscribe to someone's audio, or a second SIP participant joins
          if (c.direction === 'inbound' && c.status === 'ringing' && e.participant !== c.participant) {
            const otherSip = e.type === 'participant_joined' && e.participant.kind === ParticipantInfo_Kind.SIP;
            if (otherSip || e.participant.tracks.some((t) => t.type === TrackType.AUDIO)) this.#setStatus(c, 'active');
          }
          break;
        case 'data': {
          const v = e.packet.value;
          if (v.case !== 'sipDtmf' || e.from === c.participant) break;
          if (e.packet.destinationIdentities.length && !e.packet.destinationIdentities.includes(c.identity)) break;
          c.dtmfReceived += v.value.digit;
          this.ctx.trace.record({ kind: 'sip.dtmf', callId: c.callId, room: c.room, identity: c.identity, direction: 'to_phone', digit: v.value.digit, code: v.value.code });
          break;
        }
        default:
          break;
      }
    }
  }
}

function view(c: CallState): SipCallView {
  const { participant: _p, roomRef: _r, script: _s, timers: _t, leaving: _l, ...rest } = c;
  return { ...rest, statusHistory: [...c.statusHistory] };
}

/** The callee script for a number: exact, then normalized, then the default. */
export function scriptFor(phones: ReadonlyMap<string, PhoneScript>, number: string, fallback: PhoneScript): PhoneScript {
  return phones.get(number) ?? phones.get(normalizeNumber(number)) ?? fallback;
}
