import {
  CreateIngressRequest,
  DeleteIngressRequest,
  ListEgressRequest,
  ListIngressRequest,
  ParticipantEgressRequest,
  RoomCompositeEgressRequest,
  StartEgressRequest,
  StopEgressRequest,
  TrackCompositeEgressRequest,
  TrackEgressRequest,
  UpdateIngressRequest,
  UpdateLayoutRequest,
  UpdateStreamRequest,
  WebEgressRequest,
} from '@livekit/protocol';
import type { MessageType } from '@bufbuild/protobuf';
import type { AuthContext } from '../auth/claims.ts';
import type { TimingSettings } from '../config/timing.ts';
import type { Clock } from '../core/clock.ts';
import { TwirpError } from '../core/errors.ts';
import { noRpcResponse, psrpcError } from './psrpc-error.ts';
import { method, type TwirpService } from './twirp-service.ts';

/**
 * livekit.Egress and livekit.Ingress as `livekit-server --dev` answers them without Redis (egress.go,
 * ingress.go, ioservice.go): the permission check, then ErrEgressNotConnected / ErrIngressNotConnected.
 * The lab has no egress or ingress workers, so this is the only behaviour it can be faithful to.
 * Timings and messages were checked against the v1.13.5 binary.
 */
const denied = () => new TwirpError('unauthenticated', 'permissions denied');
const egressNotConnected = () => psrpcError('internal', 'egress not connected (redis required)');
const ingressNotConnected = () => psrpcError('internal', 'ingress not connected (redis required)');

/**
 * The methods' one shape: the grant the service checks first, then the answer of a server with no worker and no
 * store behind it (an error, after the wait it takes).
 */
const unserved =
  (granted: (auth: AuthContext | undefined) => boolean | undefined, answer: () => Promise<never>) =>
  (input: MessageType) =>
    method({
      input,
      async handle(_req, auth) {
        if (!granted(auth)) throw denied();
        return answer();
      },
    });

export function egressService(clock: Clock, timing: TimingSettings): TwirpService {
  const record = (auth: AuthContext | undefined) => auth?.grants.video?.roomRecord;
  // ListEgress and UpdateLayout read the egress store (IOInfoService) first: nil without Redis, at once
  const atOnce = unserved(record, async () => {
    throw egressNotConnected();
  });
  // StopEgress and UpdateStream first ask an egress worker over psrpc (no answer after the retries), then the store
  const afterRpc = unserved(record, async () => {
    await clock.sleep(timing.roomRpcUnavailableMs);
    throw egressNotConnected();
  });
  // Start*: the launcher waits for an egress worker to claim the request (about 20 s on the binary), then unavailable
  const startWaitMs = timing.roomRpcUnavailableMs >= 3_000 ? 20_000 : timing.roomRpcUnavailableMs;
  const start = unserved(record, () => noRpcResponse(clock, startWaitMs));
  return {
    ListEgress: atOnce(ListEgressRequest),
    UpdateLayout: atOnce(UpdateLayoutRequest),
    StopEgress: afterRpc(StopEgressRequest),
    UpdateStream: afterRpc(UpdateStreamRequest),
    StartEgress: start(StartEgressRequest),
    StartRoomCompositeEgress: start(RoomCompositeEgressRequest),
    StartWebEgress: start(WebEgressRequest),
    StartParticipantEgress: start(ParticipantEgressRequest),
    StartTrackCompositeEgress: start(TrackCompositeEgressRequest),
    StartTrackEgress: start(TrackEgressRequest),
  };
}

export function ingressService(): TwirpService {
  const admin = (auth: AuthContext | undefined) => auth?.grants.video?.ingressAdmin;
  const notConnected = unserved(admin, async () => {
    throw ingressNotConnected();
  });
  // UpdateIngress/DeleteIngress dereference the nil store in v1.13.5; Twirp's recover answers this
  const panics = unserved(admin, async () => {
    throw new TwirpError('internal', 'Internal service panic');
  });
  return {
    CreateIngress: notConnected(CreateIngressRequest),
    ListIngress: notConnected(ListIngressRequest),
    UpdateIngress: panics(UpdateIngressRequest),
    DeleteIngress: panics(DeleteIngressRequest),
  };
}
