import type { WebSocket } from 'ws';
import type { SignalConnection, SignalConnectionListener } from './signal-connection.ts';

/** The thin ws shell around a SignalSession: frames in, frames out, close. */
export class RtcSocket implements SignalConnection {
  constructor(private readonly ws: WebSocket) {}

  attach(listener: SignalConnectionListener): void {
    this.ws.on('message', (data, isBinary) => listener.receive(data as Buffer, isBinary));
    this.ws.on('close', () => listener.connectionClosed());
    this.ws.on('error', () => undefined);
  }

  get isOpen(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  send(frame: Uint8Array | string): void {
    this.ws.send(frame);
  }

  close(): void {
    this.ws.close(1000);
  }

  terminate(): void {
    this.ws.terminate();
  }
}
