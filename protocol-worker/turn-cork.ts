import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/**
 * Frames written to a ws socket in one turn of the event loop are held (net.Socket cork) and leave in one writev
 * when the turn ends; order is unchanged. ws corks only a frame's header with its payload, so otherwise every frame
 * is its own syscall: the largest single cost in the profile of the dispatch path. Both ends of /agent use it, the
 * mock's AgentSocket and the protocol-level worker; it lives here because this folder imports nothing of the mock
 * (bench, which measures the mock, stays independent of it).
 */
export class TurnCork {
  #held?: Socket;

  /** Before a send: holds the socket's writes until this turn ends (once per turn). */
  hold(ws: WebSocket): void {
    if (this.#held) return;
    // ws does not expose its socket; _socket is its net.Socket (undefined before open / after close)
    const socket = (ws as unknown as { _socket?: Socket })._socket;
    if (!socket) return;
    this.#held = socket;
    socket.cork();
    setImmediate(() => this.flush());
  }

  /** Lets what is held leave now: before a drop or a close, frames sent earlier still reach the peer. */
  flush(): void {
    const socket = this.#held;
    this.#held = undefined;
    socket?.uncork();
  }
}
