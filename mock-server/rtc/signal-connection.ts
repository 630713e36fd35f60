/**
 * The transport under a SignalSession (as WorkerConnection is for /agent). The ws adapter (rtc-socket.ts)
 * implements it and feeds frames to SignalSession.receive / connectionClosed; unit tests use an in-memory one.
 */
export interface SignalConnection {
  /** Frames can still be written. */
  readonly isOpen: boolean;
  /** One encoded SignalResponse: protobuf bytes, or protojson text. */
  send(frame: Uint8Array | string): void;
  /** A clean close with a 1000 close frame (rtcservice.go's CloseNormalClosure). */
  close(): void;
  /** Drops the connection without a close frame (an abrupt close fault). */
  terminate(): void;
}

/** What a SignalConnection tells its session. */
export interface SignalConnectionListener {
  receive(data: Buffer, isBinary: boolean): void;
  connectionClosed(): void;
}
