import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/**
 * A TCP port that is free right now. `host` undefined checks all interfaces, which is what a listener
 * that ignores the bind address (livekit's ICE/TCP mux) needs. The port is released before returning,
 * so a tiny race remains; callers retry a failed start with new ports.
 */
export function freeTcpPort(host?: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ port: 0, host }, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolvePort(port));
    });
  });
}

/** A UDP port that is free right now on `host`. */
export function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const sock = createSocket('udp4');
    sock.once('error', reject);
    sock.bind(0, host, () => {
      const port = sock.address().port;
      sock.close(() => resolvePort(port));
    });
  });
}
