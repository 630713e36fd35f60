import { CreateRoomRequest } from '@livekit/protocol';
import { Agent, request } from 'node:http';
import { AccessToken } from 'livekit-server-sdk';

export async function adminToken(apiKey: string, apiSecret: string): Promise<string> {
  const at = new AccessToken(apiKey, apiSecret);
  at.addGrant({ roomCreate: true, roomAdmin: true, roomList: true });
  return at.toJwt();
}

/** A lean Twirp client (protobuf bodies, one keep-alive agent): CreateRoom and a generic POST. */
export class TwirpClient {
  readonly agent: Agent;
  readonly #host: string;
  readonly #port: number;

  constructor(
    httpUrl: string,
    readonly token: string,
    maxSockets = 64,
  ) {
    const u = new URL(httpUrl);
    this.#host = u.hostname;
    this.#port = Number(u.port);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  post(path: string, body: Buffer | Uint8Array | string, contentType: string): Promise<{ status: number; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.#host,
          port: this.#port,
          path,
          method: 'POST',
          agent: this.agent,
          headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body as Buffer) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** CreateRoom; resolves when the response arrives (rejects on non-200). */
  async createRoom(name: string, emptyTimeout = 0): Promise<void> {
    const res = await this.post('/twirp/livekit.RoomService/CreateRoom', new CreateRoomRequest({ name, emptyTimeout }).toBinary(), 'application/protobuf');
    if (res.status !== 200) throw new Error(`CreateRoom ${name}: HTTP ${res.status} ${res.body.toString().slice(0, 200)}`);
  }

  close(): void {
    this.agent.destroy();
  }
}
