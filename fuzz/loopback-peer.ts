import { defaultPeerFactory } from '../mock-server/rtc/peer/node-datachannel-peer.ts';
import type { RtcPeerFactory } from '../mock-server/rtc/peer/rtc-peer.ts';

/** The address of an ICE candidate line ("candidate:f c proto prio ADDRESS port typ …"), or undefined. */
const candidateAddress = (line: string): string | undefined => line.replace(/^a=/, '').split(/\s+/)[4];
const isLoopback = (addr: string | undefined) => !!addr && (/^127\.\d+\.\d+\.\d+$/.test(addr) || addr === '::1');

/**
 * The mock's peer for fuzzing: mutated SDP and trickle messages could name any address (or an mDNS name), and
 * the peer would then send connectivity checks there. This wrapper lets only loopback candidates through,
 * so nothing the fuzzer invents leaves the machine; everything else reaches the real peer unchanged.
 */
export function loopbackOnlyPeerFactory(inner: RtcPeerFactory = defaultPeerFactory()): RtcPeerFactory {
  return (events) => {
    const peer = inner(events);
    return {
      answer: (sdp) => peer.answer(sdp.split(/\r?\n/).filter((l) => !l.startsWith('a=candidate') || isLoopback(candidateAddress(l))).join('\r\n')),
      addRemoteCandidate: async (c) => {
        if (isLoopback(candidateAddress(String(c?.candidate ?? '')))) await peer.addRemoteCandidate(c);
      },
      openChannel: (label, o) => peer.openChannel(label, o),
      close: () => peer.close(),
    };
  };
}
