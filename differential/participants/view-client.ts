import { AddTrackRequest, DisconnectReason, LeaveRequest, LeaveRequest_Action, SignalRequest, SignalResponse, TrackSource, TrackType, UpdateParticipantMetadata } from '@livekit/protocol';
import { AccessToken } from 'livekit-server-sdk';
import WebSocket from 'ws';
import type { LiveKitTarget } from '../../targets/livekit-target.ts';

/** One SignalResponse as a participant received it, with its arrival time (epoch ms, this machine's clock). */
export interface ReceivedSignal {
  at: number;
  message: SignalResponse['message'];
}

export interface ViewJoin {
  room: string;
  identity: string;
  /** The token's kind claim ("agent", …); standard when absent. */
  kind?: string;
  name?: string;
  metadata?: string;
  attributes?: Record<string, string>;
  /** video.canUpdateOwnMetadata, needed for setAttributes over the signal connection. */
  canUpdateOwnMetadata?: boolean;
}

/**
 * What one participant sees: a signalling-only /rtc client (no PeerConnection, so it stays JOINED on both
 * servers) recording every SignalResponse with its time. It is the participant-side twin of the wire tap.
 */
export class ViewClient {
  readonly received: ReceivedSignal[] = [];
  #requestId = 0;

  private constructor(
    readonly join: ViewJoin,
    private readonly ws: WebSocket,
  ) {
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      this.received.push({ at: Date.now(), message: SignalResponse.fromBinary(data as Buffer).message });
    });
    ws.on('error', () => undefined);
  }

  static async open(target: Pick<LiveKitTarget, 'wsUrl' | 'apiKey' | 'apiSecret'>, join: ViewJoin): Promise<ViewClient> {
    const at = new AccessToken(target.apiKey, target.apiSecret, { identity: join.identity, name: join.name, metadata: join.metadata, attributes: join.attributes });
    at.addGrant({ roomJoin: true, room: join.room, canPublish: true, canSubscribe: true, canUpdateOwnMetadata: join.canUpdateOwnMetadata ?? false });
    if (join.kind) at.kind = join.kind as never;
    const token = await at.toJwt();
    const url = `${target.wsUrl}/rtc?access_token=${encodeURIComponent(token)}&auto_subscribe=0&sdk=js&version=2.9.0&protocol=16`;
    const ws = new WebSocket(url);
    const client = new ViewClient(join, ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`${join.identity}: /rtc refused with ${res.statusCode}`)));
    });
    return client;
  }

  of<C extends NonNullable<SignalResponse['message']['case']>>(kase: C): { at: number; value: Extract<SignalResponse['message'], { case: C }>['value'] }[] {
    return this.received.filter((m) => m.message.case === kase).map((m) => ({ at: m.at, value: m.message.value as never }));
  }

  /** UpdateParticipantMetadata over the signal connection, as agents' set_attributes does. */
  setAttributes(attributes: Record<string, string>): void {
    this.#send({ case: 'updateMetadata', value: new UpdateParticipantMetadata({ attributes, requestId: ++this.#requestId }) });
  }

  /** AddTrackRequest with no offer after it: a track its client never sends. */
  addTrack(cid: string, type: TrackType): void {
    this.#send({ case: 'addTrack', value: new AddTrackRequest({ cid, name: cid, type, source: type === TrackType.AUDIO ? TrackSource.MICROPHONE : TrackSource.CAMERA }) });
  }

  leave(): void {
    this.#send({ case: 'leave', value: new LeaveRequest({ reason: DisconnectReason.CLIENT_INITIATED, action: LeaveRequest_Action.DISCONNECT }) });
  }

  close(): void {
    this.ws.terminate();
  }

  #send(message: SignalRequest['message']): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(new SignalRequest({ message }).toBinary());
  }
}
