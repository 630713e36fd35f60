import { LeaveRequest, LeaveRequest_Action, DisconnectReason, SignalRequest, SignalResponse } from '@livekit/protocol';
import WebSocket from 'ws';
import type { LiveKitTarget } from '../../targets/livekit-target.ts';
import { ScenarioStepError } from '../errors.ts';
import type { ParticipantDriver, ParticipantJoin } from './participant-driver.ts';
import { participantToken } from './participant-token.ts';

/**
 * Participants on a real server without media: the /rtc signalling socket alone. livekit-server makes the
 * participant join (and fires JT_PARTICIPANT) when the socket opens, so join and leave work; publishing
 * needs a media client (a track only counts once media flows).
 */
export class SignallingParticipants implements ParticipantDriver {
  readonly name = 'signalling-only (/rtc)';
  readonly canPublish = false;
  readonly #sockets = new Map<string, WebSocket>();
  #departed: (room: string, identity: string, reason: string) => void = () => {};

  constructor(private readonly target: LiveKitTarget) {}

  async join(p: ParticipantJoin): Promise<void> {
    const token = p.token ?? (await participantToken(this.target, p));
    const url = `${this.target.wsUrl}/rtc?access_token=${encodeURIComponent(token)}&auto_subscribe=0&sdk=js&version=2.9.0&protocol=15`;
    const ws = new WebSocket(url);
    ws.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ScenarioStepError(`participant ${p.identity}: no join response from ${this.target.wsUrl}/rtc within 10 s`)), 10_000);
      ws.once('message', (data) => {
        clearTimeout(timer);
        const msg = SignalResponse.fromBinary(data as Buffer);
        if (msg.message.case === 'join') resolve();
        else reject(new ScenarioStepError(`participant ${p.identity}: expected a join response, got ${msg.message.case}`));
      });
      ws.once('unexpected-response', (_req, res) => reject(new ScenarioStepError(`participant ${p.identity}: /rtc refused with ${res.statusCode}`)));
    });
    const key = `${p.room}/${p.identity}`;
    this.#sockets.set(key, ws);
    // The server ends a participant with a Leave (DeleteRoom, RemoveParticipant, room close) and closes the socket.
    let reason = 'UNKNOWN_REASON';
    ws.on('message', (data) => {
      const msg = SignalResponse.fromBinary(data as Buffer);
      if (msg.message.case === 'leave') reason = DisconnectReason[msg.message.value.reason] ?? reason;
    });
    ws.once('close', () => {
      if (this.#sockets.get(key) !== ws) return; // left or closed by us
      this.#sockets.delete(key);
      this.#departed(p.room, p.identity, reason);
    });
  }

  onDeparted(listener: (room: string, identity: string, reason: string) => void): void {
    this.#departed = listener;
  }

  async publish(): Promise<void> {
    throw new ScenarioStepError('publishing on a real server needs a media client; the signalling-only participant cannot publish (requires: [media])');
  }

  async leave(room: string, identity: string): Promise<void> {
    const ws = this.#sockets.get(`${room}/${identity}`);
    if (!ws) return;
    this.#sockets.delete(`${room}/${identity}`);
    const leave = new SignalRequest({ message: { case: 'leave', value: new LeaveRequest({ reason: DisconnectReason.CLIENT_INITIATED, action: LeaveRequest_Action.DISCONNECT }) } });
    if (ws.readyState === WebSocket.OPEN) ws.send(leave.toBinary());
    ws.close();
  }

  async close(): Promise<void> {
    for (const ws of this.#sockets.values()) ws.terminate();
    this.#sockets.clear();
  }
}
