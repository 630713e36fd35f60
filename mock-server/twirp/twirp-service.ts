import type { Message, MessageType } from '@bufbuild/protobuf';
import type { AuthContext } from '../auth/claims.ts';

/** One Twirp method: how to decode its input and what it does. */
export interface TwirpMethod<Req extends Message<Req> = any, Res extends Message<Res> = any> {
  input: MessageType<Req>;
  handle(req: Req, auth: AuthContext | undefined): Promise<Res> | Res;
  /** The room a call is about, for the trace. */
  roomOf?(req: Req): string;
}

export type TwirpService = Record<string, TwirpMethod>;

export function method<Req extends Message<Req>, Res extends Message<Res>>(m: TwirpMethod<Req, Res>): TwirpMethod<Req, Res> {
  return m;
}
