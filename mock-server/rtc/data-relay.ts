import type { DataPacket, DataPacket_Kind } from '@livekit/protocol';
import { isDestination, stampForForwarding } from './data-packet-rules.ts';
import type { SignalSession } from './signal-session.ts';

/** Room.onDataPacket on the mock: stamp the sender's packet, then hand it to every destination session in the room. */
export function relayData(from: SignalSession, kind: DataPacket_Kind, bytes: Uint8Array, sessionsInRoom: readonly SignalSession[]): DataPacket | undefined {
  const dp = stampForForwarding(from.participant, kind, bytes);
  if (!dp) return undefined;
  for (const s of sessionsInRoom) if (isDestination(dp, from.participant, s.participant)) s.deliverData(kind, dp);
  return dp;
}
