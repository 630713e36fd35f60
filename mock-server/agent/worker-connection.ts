import type { ServerMessage } from '@livekit/protocol';

/** The transport under a worker session. The ws adapter implements it; unit tests use an in-memory one. */
export interface WorkerConnection {
  /** `encoded` is `message.toBinary()` taken when it was sent (the session encodes once, for the trace too). */
  send(message: ServerMessage, encoded?: Uint8Array): void;
  /** Drops the connection without a close frame, as livekit-server's conn.Close() does. */
  terminate(): void;
  /** A clean close with a 1000 close frame (a fault; livekit-server itself never closes this way). */
  closeClean?(reason: string): void;
}
