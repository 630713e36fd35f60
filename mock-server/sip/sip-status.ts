import { DisconnectReason } from '@livekit/protocol';
import { TwirpError, type TwirpCode } from '../core/errors.ts';
import { psrpcError } from '../twirp/psrpc-error.ts';

/** Reason phrases for the SIP codes scripts use most (RFC 3261 §21). */
const PHRASES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  480: 'Temporarily Unavailable',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  500: 'Server Internal Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  600: 'Busy Everywhere',
  603: 'Decline',
  604: 'Does Not Exist Anywhere',
  606: 'Not Acceptable',
};

export const sipPhrase = (code: number): string => PHRASES[code] ?? '';

/** sipCodeToGRPCCode (protocol livekit/sip.go) for the codes above, with its fallbacks by class. */
const CODES: Record<number, TwirpCode> = {
  400: 'invalid_argument',
  401: 'permission_denied',
  403: 'permission_denied',
  404: 'not_found',
  407: 'unauthenticated',
  408: 'deadline_exceeded',
  480: 'resource_exhausted',
  486: 'resource_exhausted',
  487: 'aborted',
  488: 'invalid_argument',
  500: 'failed_precondition',
  502: 'failed_precondition',
  503: 'failed_precondition',
  504: 'deadline_exceeded',
  600: 'resource_exhausted',
  603: 'permission_denied',
  604: 'not_found',
  606: 'invalid_argument',
};

export function sipTwirpCode(code: number): TwirpCode {
  return CODES[code] ?? (code < 500 ? 'invalid_argument' : code < 600 ? 'failed_precondition' : 'invalid_argument');
}

/**
 * The error CreateSIPParticipant / TransferSIPParticipant return for a SIP failure: the psrpc error of the SIP
 * side (msg prefixed by xtwirp), with SIPStatus.TwirpErrorMeta. The meta's `error_details` (a base64
 * google.rpc.Status) is left out: see differential/deliberate-differences.ts.
 */
export function sipStatusError(code: number, phrase = sipPhrase(code)): TwirpError {
  const e = psrpcError(sipTwirpCode(code), `sip status: ${code}: ${phrase}`);
  return new TwirpError(e.code as TwirpCode, e.message, { sip_status_code: String(code), sip_status: phrase || `SIP_STATUS_${code}` });
}

/** CallStatus.DisconnectReason on the SIP side, after v1.13.5 keeps only four reasons from a LeaveRequest. */
export function failureLeaveReason(code: number): DisconnectReason {
  if (code === 480 || code === 404 || code === 408) return DisconnectReason.USER_UNAVAILABLE;
  if (code >= 500 && code < 600) return DisconnectReason.CLIENT_INITIATED;
  return DisconnectReason.USER_REJECTED;
}
