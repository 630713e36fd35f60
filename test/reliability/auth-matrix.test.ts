import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type StartedMockServer } from '../../mock-server/index.ts';
import { startLiveKitServer, type StartedLiveKitServer } from '../../targets/livekit-binary.ts';
import { AUTH_CASES, runAuthMatrix, TWIRP_METHODS, type MatrixRow } from '../../fuzz/auth-matrix.ts';

/**
 * The auth matrix as a differential test: every credential case on /agent, /rtc and every Twirp method of
 * RoomService and AgentDispatchService, against the mock and livekit-server v1.13.5 in the same run.
 * Status and body class must agree: plain-text 401 from the middleware (same text, token scrubbed),
 * Twirp JSON with the same code and message from the handlers, or an accepted upgrade.
 */
describe('auth matrix: mock vs livekit-server v1.13.5', () => {
  let mock: StartedMockServer;
  let real: StartedLiveKitServer;

  beforeAll(async () => {
    [mock, real] = await Promise.all([startMockServer({ port: 0, timing: 'fast', seed: 8 }), startLiveKitServer()]);
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled([mock?.close(), real?.dispose()]);
  }, 60_000);

  it('gives the same status and body class for every case on every endpoint', async () => {
    const room = `auth-${Date.now()}`;
    const [m, r] = await Promise.all([runAuthMatrix(mock, room, { rtc: true }), runAuthMatrix(real, room, { rtc: true })]);
    expect(m.length).toBe(AUTH_CASES.length * (2 + TWIRP_METHODS.length));
    const key = (row: MatrixRow) => `${row.endpoint} | ${row.authCase}`;
    const realByKey = new Map(r.map((row) => [key(row), row.answer]));
    const differences = m
      .filter((row) => JSON.stringify(row.answer) !== JSON.stringify(realByKey.get(key(row))))
      .map((row) => `${key(row)}: mock ${JSON.stringify(row.answer)}, livekit-server ${JSON.stringify(realByKey.get(key(row)))}`);
    expect(differences).toEqual([]);

    // the shape of the answers, so a regression in both at once is caught too
    const at = (endpoint: string, authCase: string) => m.find((row) => row.endpoint === endpoint && row.authCase === authCase)!.answer;
    expect(at('/agent', 'expired')).toMatchObject({ status: 401, body: expect.stringMatching(/^text\/plain: invalid token: <token>, error: token has invalid claims: token is expired/) });
    expect(at('/agent', 'no token')).toEqual({ status: 401, body: 'text/plain: no permissions to access the room' });
    expect(at('/agent', 'wrong room')).toEqual({ status: 101, body: 'upgraded' });
    expect(at('RoomService/ListParticipants', 'wrong room')).toEqual({ status: 401, body: 'twirp: unauthenticated: permissions denied' });
    expect(at('AgentDispatchService/CreateDispatch', 'bad signature')).toMatchObject({ status: 401, body: expect.stringMatching(/^text\/plain: invalid token: <token>, error: token signature is invalid/) });
    expect(at('RoomService/CreateRoom', 'wrong API key')).toEqual({ status: 401, body: 'text/plain: invalid API key: nosuchkey' });
  }, 240_000);
});
