import { gzipSync } from 'node:zlib';
import {
  ClientInfo,
  ClientInfo_SDK,
  ConnectionSettings,
  JoinRequest,
  SessionDescription,
  SignalRequest,
  SignalResponse,
  WrappedJoinRequest,
  WrappedJoinRequest_Compression,
} from '@livekit/protocol';
import { AccessToken, type VideoGrant } from 'livekit-server-sdk';
import { RTCPeerConnection } from 'node-datachannel/polyfill';
import WebSocket from 'ws';
import { signHs256 } from '../../mock-server/auth/jwt.ts';
import { eventually } from '../support/eventually.ts';
import { upgradeStatus } from '../support/upgrade.ts';

/** A real publisher offer (one data channel), as a LiveKit client would put in its JoinRequest. */
export async function makeOffer(): Promise<{ sdp: string; close: () => void }> {
  const pc = new RTCPeerConnection({ iceServers: [] } as never); // no STUN: nothing leaves the machine
  pc.createDataChannel('_reliable');
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  return { sdp: offer.sdp ?? '', close: () => pc.close() };
}

export function wrapJoinRequest(jr: JoinRequest): string {
  const wrapped = new WrappedJoinRequest({ compression: WrappedJoinRequest_Compression.GZIP, joinRequest: gzipSync(jr.toBinary()) });
  // padded, as Go's base64.URLEncoding in livekit-server requires (and the Rust SDK sends)
  const b64 = Buffer.from(wrapped.toBinary()).toString('base64url');
  return b64 + '='.repeat((4 - (b64.length % 4)) % 4);
}

export function joinRequestWithOffer(sdp: string, extra: Partial<JoinRequest> = {}): JoinRequest {
  return new JoinRequest({
    clientInfo: new ClientInfo({ sdk: ClientInfo_SDK.NODE, version: 'signal-client', protocol: 17 }),
    connectionSettings: new ConnectionSettings({ autoSubscribe: true }),
    publisherOffer: new SessionDescription({ type: 'offer', sdp, id: 0 }),
    ...extra,
  });
}

export async function roomToken(apiKey: string, apiSecret: string, identity: string, grant: VideoGrant, claims: { attributes?: Record<string, string>; kind?: string; roomConfig?: unknown } = {}): Promise<string> {
  // the SDK refuses to mint a join token without identity; the server's answer to one is under test
  if (!identity) return signHs256({ iss: apiKey, nbf: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600, video: grant }, apiSecret);
  const at = new AccessToken(apiKey, apiSecret, { identity, attributes: claims.attributes });
  at.addGrant(grant);
  if (claims.kind) (at as unknown as { kind: string }).kind = claims.kind;
  if (claims.roomConfig) (at as unknown as { roomConfig: unknown }).roomConfig = claims.roomConfig;
  return at.toJwt();
}

/** A protocol-level signal client: SignalRequests out, SignalResponses in, nothing else. */
export class SignalClient {
  readonly received: SignalResponse[] = [];
  closed = false;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d, isBinary) => this.received.push(isBinary ? SignalResponse.fromBinary(d as Buffer) : SignalResponse.fromJsonString(d.toString())));
    ws.on('close', () => (this.closed = true));
  }

  static open(url: string, token: string): Promise<SignalClient> {
    const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new SignalClient(ws)));
      ws.once('error', reject);
    });
  }

  send(message: SignalRequest['message']): void {
    this.ws.send(new SignalRequest({ message }).toBinary());
  }

  of<C extends NonNullable<SignalResponse['message']['case']>>(kase: C): Extract<SignalResponse['message'], { case: C }>['value'][] {
    return this.received.filter((m) => m.message.case === kase).map((m) => m.message.value) as never;
  }

  async next<C extends NonNullable<SignalResponse['message']['case']>>(kase: C, count = 1): Promise<Extract<SignalResponse['message'], { case: C }>['value']> {
    await eventually(() => (this.of(kase).length >= count ? '' : `no ${kase} #${count} yet (got ${this.received.map((m) => m.message.case).join(',')})`), { timeoutMs: 10_000 });
    return this.of(kase)[count - 1]! as never;
  }

  close(): void {
    this.ws.terminate();
  }
}

/** An HTTP upgrade that is refused: status and body. */
export const refusedUpgrade = (url: string, token?: string) => upgradeStatus(url, token ? { Authorization: `Bearer ${token}` } : {});
