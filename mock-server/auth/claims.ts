/** The JWT claims livekit-server reads (protocol auth.ClaimGrants + registered claims). */
export interface VideoGrant {
  roomCreate?: boolean;
  roomList?: boolean;
  roomRecord?: boolean;
  roomAdmin?: boolean;
  roomJoin?: boolean;
  room?: string;
  canPublish?: boolean;
  canSubscribe?: boolean;
  canPublishData?: boolean;
  canPublishSources?: string[];
  canUpdateOwnMetadata?: boolean;
  ingressAdmin?: boolean;
  hidden?: boolean;
  recorder?: boolean;
  agent?: boolean;
  canSubscribeMetrics?: boolean;
  destinationRoom?: string;
}

export interface ClaimGrants {
  iss: string;
  sub?: string;
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  identity?: string;
  name?: string;
  kind?: string;
  video?: VideoGrant;
  /** protocol auth.SIPGrant: `admin` for trunk and rule CRUD, `call` for CreateSIPParticipant / TransferSIPParticipant. */
  sip?: { admin?: boolean; call?: boolean };
  roomConfig?: Record<string, unknown>;
  metadata?: string;
  attributes?: Record<string, string>;
}

/** What a request was authenticated as: the grants and the key that signed them. */
export interface AuthContext {
  apiKey: string;
  apiSecret: string;
  grants: ClaimGrants;
  /** The identity as the server derives it: `sub`, or `jti` when there is no subject. */
  identity: string;
}
