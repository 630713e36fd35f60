import { LabError } from '../core/errors.ts';

/**
 * A join refused before the WebSocket upgrade. livekit-server answers with HandleError: the status and
 * err.Error() as a plain-text body (rtcservice.go validateInternal / utils.go ValidateConnectRequest).
 */
export class RtcJoinError extends LabError {
  constructor(
    code: RtcJoinErrorCode,
    readonly status: number,
    readonly body: string,
  ) {
    super(code, body);
  }
}

export type RtcJoinErrorCode =
  | 'rtc_permission_denied'
  | 'rtc_identity_empty'
  | 'rtc_identity_too_long'
  | 'rtc_no_room_name'
  | 'rtc_room_name_too_long'
  | 'rtc_join_request_required'
  | 'rtc_join_request_invalid'
  | 'rtc_attributes_invalid'
  | 'rtc_session_start_failed';

export const permissionDenied = () => new RtcJoinError('rtc_permission_denied', 401, 'no permissions to access the room');
