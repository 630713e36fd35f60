import { ClientInfo_SDK, ParticipantPermission, RoomConfiguration, type AddTrackRequest, type JoinRequest, type SessionDescription } from '@livekit/protocol';
import type { AuthContext, VideoGrant } from '../auth/claims.ts';
import { byteLength, LIMITS } from '../config/limits.ts';
import type { JoinSpec } from '../rooms/participant.ts';
import type { RoomCreateSpec } from '../rooms/room-manager.ts';
import { decodeGoBase64Url } from './go-base64.ts';
import { decodeJoinRequest } from './join-request.ts';
import { permissionDenied, RtcJoinError } from './rtc-errors.ts';

/** Everything a validated join needs, whichever of /rtc or /rtc/v1 it came through. */
export interface JoinPlan {
  roomName: string;
  spec: JoinSpec;
  /** Used only if this join creates the room (the token's roomConfig, agents included). */
  createRoom: RoomCreateSpec;
  singlePeerConnection: boolean;
  /** clientinfo.go FireTrackByRTPPacket: a Go (pion) client, whose OnTrack waits for the first RTP packet. */
  firesTrackByRtp: boolean;
  publisherOffer?: SessionDescription;
  /** Tracks announced in the v1 JoinRequest (server-sdk-go's pre-publish): answered like AddTrackRequests after the JoinResponse. */
  addTrackRequests: AddTrackRequest[];
  reconnect: boolean;
  autoSubscribe: boolean;
  canUpdateOwnMetadata: boolean;
}

const boolValue = (s: string | null) => s === '1' || s === 'true';

/** auth.VideoGrant.ToPermission, with the Get* defaults (publish/subscribe on unless false). */
export function grantPermission(v: VideoGrant): ParticipantPermission {
  const canPublish = v.canPublish ?? true;
  return new ParticipantPermission({
    canPublish,
    canPublishData: v.canPublishData ?? canPublish,
    canSubscribe: v.canSubscribe ?? true,
    canUpdateMetadata: v.canUpdateOwnMetadata ?? false,
    hidden: !!v.hidden,
    recorder: !!v.recorder,
    agent: !!v.agent,
    canSubscribeMetrics: !!v.canSubscribeMetrics,
  });
}

/**
 * rtcservice.go decodeAttributes: Go's base64.URLEncoding (padded), then json.Unmarshal into map[string]string.
 * JSON null is an empty map and a null value an empty string (Go's zero values); any other non-string value
 * is an error. (Node's lenient base64 and no value check let `{"a":1}` through; found by /rtc fuzzing.)
 */
function decodeAttributesParam(param: string): Record<string, string> {
  const raw = decodeGoBase64Url(param);
  if (!raw) throw new Error('illegal base64 data');
  const value = JSON.parse(raw.toString('utf8')) as unknown;
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== null && typeof v !== 'string') throw new Error(`attribute ${k} is not a string`);
    out[k] = v ?? '';
  }
  return out;
}

function roomConfigOf(claim: unknown): RoomConfiguration | undefined {
  if (!claim || typeof claim !== 'object') return undefined;
  try {
    return RoomConfiguration.fromJson(claim as never, { ignoreUnknownFields: true });
  } catch {
    return undefined; // the real server would have refused the token; be lenient
  }
}

/**
 * rtcservice.go validateInternal + utils.go ValidateConnectRequest, in their order and wording.
 * `strict` is the /validate flavour (undecodable attributes are an error there, ignored on join).
 */
export function validateJoin(auth: AuthContext | undefined, query: URLSearchParams, needsJoinRequest: boolean, strict: boolean): JoinPlan {
  const grants = auth?.grants;
  if (!grants?.video) throw permissionDenied();

  let joinRequest: JoinRequest | undefined;
  let metadata = '';
  let attributes: Record<string, string> = {};
  let publish = '';
  const wrapped = query.get('join_request') ?? '';
  if (!wrapped) {
    if (needsJoinRequest) throw new RtcJoinError('rtc_join_request_required', 400, 'join_request is required');
    publish = query.get('publish') ?? '';
    const attrParam = query.get('attributes');
    if (attrParam) {
      try {
        attributes = decodeAttributesParam(attrParam);
      } catch {
        if (strict) throw new RtcJoinError('rtc_attributes_invalid', 400, 'cannot decode attributes');
      }
    }
  } else {
    joinRequest = decodeJoinRequest(wrapped);
    metadata = joinRequest.metadata;
    attributes = { ...joinRequest.participantAttributes };
  }

  const video = grants.video;
  // EnsureJoinPermission fails with pkg/service's ErrPermissionDenied ("permissions denied"), unlike the missing
  // video grant above (rtc.ErrPermissionDenied); found by the auth matrix against livekit-server v1.13.5
  if (!video.roomJoin) throw new RtcJoinError('rtc_permission_denied', 401, 'permissions denied');
  const identity = auth!.identity;
  if (!identity) throw new RtcJoinError('rtc_identity_empty', 400, 'identity cannot be empty');
  if (byteLength(identity) > LIMITS.maxParticipantIdentityLength) {
    throw new RtcJoinError('rtc_identity_too_long', 400, `participant identity length exceeds limits: max length ${LIMITS.maxParticipantIdentityLength}`);
  }
  const roomName = video.room ?? '';
  if (!roomName) throw new RtcJoinError('rtc_no_room_name', 400, 'no room name');
  if (byteLength(roomName) > LIMITS.maxRoomNameLength) {
    throw new RtcJoinError('rtc_room_name_too_long', 400, `room name length exceeds limits: max length ${LIMITS.maxRoomNameLength}`);
  }

  // `publish` (v0): a publish-only second connection of an existing participant, "<identity>#<publish>"
  let canSubscribe = video.canSubscribe;
  let joinIdentity = identity;
  if (publish) {
    if (!(video.canPublish ?? true)) throw permissionDenied();
    canSubscribe = false;
    joinIdentity = `${identity}#${publish}`;
  }

  const canUpdateOwnMetadata = video.canUpdateOwnMetadata ?? false;
  let participantMetadata = grants.metadata ?? '';
  if (metadata) {
    if (!canUpdateOwnMetadata) throw permissionDenied();
    participantMetadata = metadata;
  }
  const participantAttributes = { ...(grants.attributes ?? {}) };
  if (Object.keys(attributes).length) {
    if (!canUpdateOwnMetadata) throw permissionDenied();
    for (const [k, v] of Object.entries(attributes)) if (v !== '') participantAttributes[k] = v; // no deleting token attributes
  }

  // The real server accepts the upgrade request, then its participant refuses the metadata and the session
  // start fails with this 500 (checked against v1.13.5 with 600 KB of join-request metadata).
  if (!strict && byteLength(participantMetadata) > LIMITS.maxMetadataSize) throw new RtcJoinError('rtc_session_start_failed', 500, 'connection closed by media');

  const config = roomConfigOf(grants.roomConfig);
  return {
    roomName,
    spec: {
      identity: joinIdentity,
      name: grants.name ?? '',
      metadata: participantMetadata,
      attributes: participantAttributes,
      kind: grants.kind ?? '',
      agentGrant: !!video.agent,
      recorderGrant: !!video.recorder,
      permission: grantPermission({ ...video, canSubscribe }),
      clientProtocol: joinRequest?.clientInfo?.clientProtocol,
      capabilities: joinRequest?.clientInfo?.capabilities,
    },
    createRoom: {
      name: roomName,
      emptyTimeout: config?.emptyTimeout ?? 0,
      departureTimeout: config?.departureTimeout ?? 0,
      maxParticipants: config?.maxParticipants ?? 0,
      metadata: config?.metadata ?? '',
      agents: config?.agents ?? [],
    },
    singlePeerConnection: !!joinRequest,
    // v0: ParseClientInfo reads the `sdk` query parameter (ClientInfo_SDK by upper-cased name)
    firesTrackByRtp: (joinRequest ? joinRequest.clientInfo?.sdk : ClientInfo_SDK[(query.get('sdk') ?? '').toUpperCase() as keyof typeof ClientInfo_SDK]) === ClientInfo_SDK.GO,
    publisherOffer: joinRequest?.publisherOffer,
    addTrackRequests: joinRequest?.addTrackRequests ?? [],
    reconnect: joinRequest ? joinRequest.reconnect : boolValue(query.get('reconnect')),
    autoSubscribe: joinRequest ? !!joinRequest.connectionSettings?.autoSubscribe : query.get('auto_subscribe') ? boolValue(query.get('auto_subscribe')) : true,
    canUpdateOwnMetadata,
  };
}
