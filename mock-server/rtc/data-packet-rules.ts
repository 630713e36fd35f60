import { DataPacket, DataPacket_Kind, ParticipantInfo_Kind } from '@livekit/protocol';
import type { Participant } from '../rooms/participant.ts';

/** The data channel labels LiveKit clients use, and the packet kind each carries. */
export const DATA_CHANNEL_KINDS: Readonly<Record<string, DataPacket_Kind>> = {
  _reliable: DataPacket_Kind.RELIABLE,
  _lossy: DataPacket_Kind.LOSSY,
};

export const labelOfKind = (kind: DataPacket_Kind): string => (kind === DataPacket_Kind.RELIABLE ? '_reliable' : '_lossy');

/**
 * participant.go handleReceivedDataMessage: what the server stamps on a packet before forwarding it,
 * or undefined when it is not forwarded (metrics, transcriptions from non-agents, empty payloads).
 */
export function stampForForwarding(sender: Participant, kind: DataPacket_Kind, bytes: Uint8Array): DataPacket | undefined {
  if (!sender.permission.canPublishData) return undefined;
  let dp: DataPacket;
  try {
    dp = DataPacket.fromBinary(bytes);
  } catch {
    return undefined; // "could not parse data packet"
  }
  dp.participantSid = sender.sid;
  dp.kind = kind; // the channel it came in on is the truth
  const hidden = sender.permission.hidden;
  const isAgent = sender.kind === ParticipantInfo_Kind.AGENT;
  let overrideIdentity = true;
  const v = dp.value;
  switch (v.case) {
    case 'user':
      v.value.participantSid = hidden ? '' : sender.sid;
      v.value.participantIdentity = hidden ? '' : sender.identity;
      if (dp.destinationIdentities.length) v.value.destinationIdentities = dp.destinationIdentities;
      else dp.destinationIdentities = v.value.destinationIdentities;
      break;
    case 'transcription':
      if (!isAgent) return undefined;
      break;
    case 'chatMessage':
      // agents may speak on behalf of a user (transcripts of what the user said)
      if (isAgent && dp.participantIdentity && dp.participantIdentity !== sender.identity) {
        overrideIdentity = false;
        v.value.generated = true;
      }
      break;
    case 'metrics':
      return undefined;
    case 'streamHeader':
      if (isAgent && dp.participantIdentity && dp.participantIdentity !== sender.identity && v.value.contentHeader.case === 'textHeader') {
        v.value.contentHeader.value.generated = true;
        overrideIdentity = false;
      }
      break;
    case undefined:
      return undefined;
    default:
      break;
  }
  if (overrideIdentity) dp.participantIdentity = hidden ? '' : sender.identity;
  return dp;
}

/** Room.onDataPacket: everyone but the sender, or only the named identities. */
export function isDestination(dp: DataPacket, sender: Participant | undefined, candidate: Participant): boolean {
  if (candidate === sender) return false;
  return dp.destinationIdentities.length === 0 || dp.destinationIdentities.includes(candidate.identity);
}
