import type { Clock } from '../core/clock.ts';
import { TwirpError, type TwirpCode } from '../core/errors.ts';

/**
 * An error that livekit-server returns as a psrpc error (ErrRoomNotFound, ErrParticipantNotFound, RPC
 * failures, CreateDispatch's checks...). xtwirp.ToError wraps it as twirp.NewError(Unknown, err.Error()),
 * then re-creates it with the psrpc code from `dst.Error()`, which is Twirp's own "twirp error unknown: <msg>".
 * So the wire message carries that prefix, and there is no meta (checked against the v1.13.5 binary).
 */
export function psrpcError(code: TwirpCode, msg: string): TwirpError {
  return new TwirpError(code, `twirp error unknown: ${msg}`);
}

/** What a psrpc call to a room no node serves ends with: the retries run out after `unavailableMs`, then `unavailable`. */
export async function noRpcResponse(clock: Clock, unavailableMs: number): Promise<never> {
  await clock.sleep(unavailableMs);
  throw psrpcError('unavailable', 'no response from servers');
}
