import { TwirpError } from '../core/errors.ts';
import { attributesSize, byteLength, LIMITS } from '../config/limits.ts';
import { psrpcError } from './psrpc-error.ts';

// twirp.InvalidArgumentError(argument, validationMsg): msg "<argument> <validationMsg>", meta {argument}
const invalid = (argument: string, limit: number) => new TwirpError('invalid_argument', `${argument} ${limit}`, { argument });

export function checkMetadata(metadata: string): void {
  if (byteLength(metadata) > LIMITS.maxMetadataSize) throw invalid('metadata size exceeds limits', LIMITS.maxMetadataSize);
}

export function checkAttributes(attributes: Record<string, string>): void {
  if (attributesSize(attributes) > LIMITS.maxAttributesSize) throw invalid('attribute size exceeds limits', LIMITS.maxAttributesSize);
}

export function checkParticipantName(name: string): void {
  if (byteLength(name) > LIMITS.maxParticipantNameLength) throw invalid('name length exceeds limits', LIMITS.maxParticipantNameLength);
}

// fmt.Errorf("%w: max length %d", ErrRoomNameExceedsLimits, ...): a psrpc error on the wire
export function checkRoomName(name: string): void {
  if (byteLength(name) > LIMITS.maxRoomNameLength) {
    throw psrpcError('invalid_argument', `room name length exceeds limits: max length ${LIMITS.maxRoomNameLength}`);
  }
}

/** CreateDispatch returns the bare psrpc errors ErrMetadataExceedsLimits / ErrAttributeExceedsLimits (no size, no meta). */
export function checkDispatchMetadata(metadata: string): void {
  if (byteLength(metadata) > LIMITS.maxMetadataSize) throw psrpcError('invalid_argument', 'metadata size exceeds limits');
}

export function checkDispatchAttributes(attributes: Record<string, string>): void {
  if (attributesSize(attributes) > LIMITS.maxAttributesSize) throw psrpcError('invalid_argument', 'attribute size exceeds limits');
}
