/** Typed errors with stable codes; `code` is what callers and tests match on, never the message. */
export class LabError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** An HTTP-middleware auth failure: the real server answers these with a plain-text body. */
export class AuthError extends LabError {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super('auth_failed', body);
  }
}

/** A Twirp error as livekit-server returns it: `{code, msg, meta}` with an HTTP status from the code. */
export class TwirpError extends LabError {
  constructor(
    code: TwirpCode,
    msg: string,
    readonly meta?: Record<string, string>,
  ) {
    super(code, msg);
  }

  get status(): number {
    return TWIRP_STATUS[this.code as TwirpCode] ?? 500;
  }

  toJSON(): { code: string; msg: string; meta?: Record<string, string> } {
    return this.meta ? { code: this.code, msg: this.message, meta: this.meta } : { code: this.code, msg: this.message };
  }
}

export type TwirpCode =
  | 'canceled'
  | 'unknown'
  | 'invalid_argument'
  | 'malformed'
  | 'deadline_exceeded'
  | 'not_found'
  | 'bad_route'
  | 'already_exists'
  | 'permission_denied'
  | 'unauthenticated'
  | 'resource_exhausted'
  | 'failed_precondition'
  | 'aborted'
  | 'out_of_range'
  | 'unimplemented'
  | 'internal'
  | 'unavailable'
  | 'dataloss';

// twitchtv/twirp ServerHTTPStatusFromErrorCode
const TWIRP_STATUS: Record<TwirpCode, number> = {
  canceled: 408,
  unknown: 500,
  invalid_argument: 400,
  malformed: 400,
  deadline_exceeded: 408,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  permission_denied: 403,
  unauthenticated: 401,
  resource_exhausted: 429,
  failed_precondition: 412,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  dataloss: 500,
};

/** Invalid options given to the lab itself (CLI flags, startMockServer options). */
export class ConfigError extends LabError {
  constructor(message: string) {
    super('config_error', message);
  }
}
