import type { ServerResponse } from 'node:http';
import { LabError } from '../core/errors.ts';
import { parseSipMode } from './sip-mode.ts';
import { parseDtmfScript, parsePhoneScript } from './sip-phones.ts';
import type { InboundCallSpec, Telephony } from './telephony.ts';

const json = (res: ServerResponse, status: number, value: unknown) => {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
};

/** An inbound call from the control API's JSON: the call, plus the caller's script (dtmf, hangupAfterMs, transfer). */
export function inboundSpecFrom(input: Record<string, any>): InboundCallSpec {
  const { from, to, sourceIp, fromHost, auth, pin, ...script } = input;
  return {
    from,
    to,
    sourceIp,
    fromHost,
    auth,
    pin: pin === undefined ? undefined : String(pin),
    script: Object.keys(script).length ? parsePhoneScript(script) : undefined,
  };
}

/**
 * The telephony routes of the control API (under /_lab/sip/): the mode switch, callee scripts, inbound calls
 * and acting on live calls. Returns false for a route that is not one of these.
 */
export function serveSipControl(method: string, path: string, input: Record<string, any>, res: ServerResponse, telephony: Telephony): boolean {
  if (!path.startsWith('/sip/')) return false;
  const reply = (status: number, body: unknown): true => {
    json(res, status, body);
    return true;
  };
  try {
    const route = `${method} ${path}`;
    if (route === 'GET /sip/mode') return reply(200, telephony.mode);
    if (route === 'POST /sip/mode') {
      telephony.setMode(parseSipMode(input, telephony.mode));
      return reply(200, telephony.mode);
    }
    if (route === 'DELETE /sip/phones') {
      telephony.clearPhones();
      return reply(200, {});
    }
    const phone = /^\/sip\/phones\/([^/]+)$/.exec(path);
    if (phone && method === 'PUT') {
      const script = parsePhoneScript(typeof input.behavior === 'string' && Object.keys(input).length === 1 ? input.behavior : input);
      telephony.setPhone(decodeURIComponent(phone[1]!), script);
      return reply(200, script);
    }
    if (route === 'POST /sip/calls') {
      const result = telephony.placeInboundCall(inboundSpecFrom(input));
      return reply(result.result === 'accepted' ? 201 : 200, result);
    }
    if (route === 'GET /sip/calls') return reply(200, telephony.calls());
    const call = /^\/sip\/calls\/([^/]+)(\/dtmf|\/hangup)?$/.exec(path);
    if (call) {
      const id = decodeURIComponent(call[1]!);
      if (method === 'GET' && !call[2]) {
        const c = telephony.bridge.call(id);
        return c ? reply(200, c) : reply(404, { error: `no call "${id}"` });
      }
      if (method === 'POST' && call[2] === '/dtmf') {
        const digits = parseDtmfScript([{ digits: input.digits }])[0]?.digits;
        return telephony.bridge.phoneSendsDtmf(id, digits!) ? reply(200, {}) : reply(404, { error: `no live call "${id}"` });
      }
      if (method === 'POST' && call[2] === '/hangup') {
        return telephony.bridge.phoneHangsUp(id) ? reply(200, {}) : reply(404, { error: `no live call "${id}"` });
      }
    }
    return reply(404, { error: `no control route ${route}` });
  } catch (e) {
    if (e instanceof LabError) return reply(400, { error: e.message, code: e.code });
    throw e;
  }
}
