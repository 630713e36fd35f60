import type { AuthContext } from '../auth/claims.ts';
import { TwirpError } from '../core/errors.ts';

// twirpAuthError(ErrPermissionDenied): the Ensure*Permission helpers return pkg/service's ErrPermissionDenied
// ("permissions denied", auth.go), not rtc.ErrPermissionDenied ("no permissions to access the room", used by /agent and /rtc)
const denied = () => new TwirpError('unauthenticated', 'permissions denied');

export function ensureCreate(auth: AuthContext | undefined): void {
  if (!auth?.grants.video?.roomCreate) throw denied();
}

export function ensureList(auth: AuthContext | undefined): void {
  if (!auth?.grants.video?.roomList) throw denied();
}

/** roomAdmin and a `room` claim equal to the request's room. */
export function ensureAdmin(auth: AuthContext | undefined, room: string): void {
  const video = auth?.grants.video;
  if (!video?.roomAdmin || (video.room ?? '') !== room) throw denied();
}
