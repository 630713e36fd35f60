import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AuthContext } from '../auth/claims.ts';

/** A feature mounted on the mock's HTTP server (the /rtc signalling is one). Each returns true when it took the request. */
export interface ServerExtension {
  handleRequest?(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, auth: AuthContext | undefined): boolean;
  handleUpgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, path: string, query: URLSearchParams, auth: AuthContext | undefined): boolean;
  close?(): Promise<void> | void;
}
