import { RequestResponse, RequestResponse_Reason, type UpdateParticipantMetadata } from '@livekit/protocol';
import { attributesSize, byteLength, LIMITS } from '../config/limits.ts';

/**
 * participant.go UpdateMetadata: the RequestResponse for a client's own update_metadata, and whether
 * the change may be applied (permission first, then the size limits, with the real server's texts).
 */
export function judgeMetadataUpdate(update: UpdateParticipantMetadata, canUpdateOwnMetadata: boolean): { response: RequestResponse; apply: boolean } {
  const response = new RequestResponse({
    requestId: update.requestId,
    reason: RequestResponse_Reason.OK,
    request: { case: 'updateMetadata', value: update.clone() },
  });
  const refuse = (reason: RequestResponse_Reason, message: string) => {
    response.reason = reason;
    response.message = message;
    return { response, apply: false };
  };
  if (!canUpdateOwnMetadata) return refuse(RequestResponse_Reason.NOT_ALLOWED, 'does not have permission to update own metadata');
  if (byteLength(update.name) > LIMITS.maxParticipantNameLength) return refuse(RequestResponse_Reason.LIMIT_EXCEEDED, 'exceeds name length limit');
  if (byteLength(update.metadata) > LIMITS.maxMetadataSize) return refuse(RequestResponse_Reason.LIMIT_EXCEEDED, 'exceeds metadata size limit');
  if (attributesSize(update.attributes) > LIMITS.maxAttributesSize) return refuse(RequestResponse_Reason.LIMIT_EXCEEDED, 'exceeds attributes size limit');
  return { response, apply: true };
}
