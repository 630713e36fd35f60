import { ConfigError } from '../core/errors.ts';

/**
 * A scripted remote party (a callee for outbound calls, the caller's side for inbound ones). Times are in ms
 * from the INVITE (ring, answer, reject) or from the answer (hangup, dtmf).
 */
export interface PhoneScript {
  /** 180 Ringing after this long (default 0). */
  ringAfterMs?: number;
  /** 200 OK after this long (default: at once). */
  answerAfterMs?: number;
  /** A final failure instead of an answer, sent at answerAfterMs (486 busy, 603 decline, 480, 404 ...). */
  reject?: { code: number; reason?: string };
  /** Rings until the ringing timeout: the call is cancelled. */
  noAnswer?: boolean;
  /** BYE this long after the answer. */
  hangupAfterMs?: number;
  /** Digits the phone sends after the answer, as SipDTMF packets in the room. */
  dtmf?: { afterMs: number; digits: string }[];
  /** How the phone's carrier answers a REFER (TransferSIPParticipant): accept (default) or a SIP failure code. */
  transfer?: 'accept' | { code: number; reason?: string };
}

const SHORTHANDS: Record<string, PhoneScript> = {
  answer: {},
  busy: { reject: { code: 486, reason: 'Busy Here' } },
  decline: { reject: { code: 603, reason: 'Decline' } },
  unavailable: { reject: { code: 480, reason: 'Temporarily Unavailable' } },
  notFound: { reject: { code: 404, reason: 'Not Found' } },
  noAnswer: { noAnswer: true },
};

const num = (v: unknown, field: string): number | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(`phone script: "${field}" must be a number of ms >= 0`);
  return v;
};

/** A script from JSON (control API, scenarios): an object, or one of the shorthands, optionally merged with fields. */
export function parsePhoneScript(input: unknown): PhoneScript {
  if (typeof input === 'string') {
    const s = SHORTHANDS[input];
    if (!s) throw new ConfigError(`phone script: unknown shorthand "${input}" (use ${Object.keys(SHORTHANDS).join(', ')})`);
    return { ...s };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ConfigError('phone script must be an object or a shorthand string');
  const o = input as Record<string, unknown>;
  const base = typeof o.behavior === 'string' ? parsePhoneScript(o.behavior) : {};
  const script: PhoneScript = { ...base };
  script.ringAfterMs = num(o.ringAfterMs, 'ringAfterMs') ?? base.ringAfterMs;
  script.answerAfterMs = num(o.answerAfterMs, 'answerAfterMs') ?? base.answerAfterMs;
  script.hangupAfterMs = num(o.hangupAfterMs, 'hangupAfterMs') ?? base.hangupAfterMs;
  if (o.reject !== undefined) {
    const r = o.reject as { code?: unknown; reason?: unknown };
    if (typeof r?.code !== 'number' || r.code < 300 || r.code > 699) throw new ConfigError('phone script: "reject.code" must be a SIP failure code (300-699)');
    script.reject = { code: r.code, reason: typeof r.reason === 'string' ? r.reason : undefined };
  }
  if (o.noAnswer !== undefined) script.noAnswer = !!o.noAnswer;
  if (o.dtmf !== undefined) script.dtmf = parseDtmfScript(o.dtmf);
  if (o.transfer !== undefined) {
    if (o.transfer === 'accept') script.transfer = 'accept';
    else {
      const t = o.transfer as { code?: unknown; reason?: unknown };
      if (typeof t?.code !== 'number') throw new ConfigError('phone script: "transfer" must be "accept" or {code}');
      script.transfer = { code: t.code, reason: typeof t.reason === 'string' ? t.reason : undefined };
    }
  }
  return script;
}

export function parseDtmfScript(input: unknown): { afterMs: number; digits: string }[] {
  if (!Array.isArray(input)) throw new ConfigError('"dtmf" must be a list of {afterMs, digits}');
  return input.map((d: { afterMs?: unknown; digits?: unknown }) => {
    if (typeof d?.digits !== 'string' || !/^[0-9*#A-Da-dw]*$/.test(d.digits)) throw new ConfigError('dtmf "digits" must use 0-9 * # A-D (and w for a pause)');
    return { afterMs: num(d.afterMs, 'dtmf.afterMs') ?? 0, digits: d.digits };
  });
}

/** SipDTMF codes: 0-9, * = 10, # = 11, A-D = 12-15. */
export function dtmfCode(digit: string): number {
  if (/^[0-9]$/.test(digit)) return Number(digit);
  return { '*': 10, '#': 11, A: 12, B: 13, C: 14, D: 15 }[digit.toUpperCase()] ?? -1;
}
