import { isRtcp, receiverFeedback, rtpSeq, rtpSsrc } from '../media/rtp-packet.ts';
import { RtpHeaderRelay, type SdesExtensionIds } from './rtp-header-relay.ts';
import { sdesExtensionIds, withSsrcs } from './sdp-policy.ts';

/** What the mock's REMB allows a video publisher (enough for LiveKit's three layers at 720p), and how often it says so. */
export const PUBLISHER_REMB_BPS = 5_000_000;
const FEEDBACK_INTERVAL_MS = 500;

/** What the learning needs of its PeerConnection. */
export interface SimulcastLearningHost {
  /** Applies this offer again (in the peer's operation order), taking libdatachannel's answer so it is never sent. */
  reapply(offerSdp: string): Promise<void>;
  /** Writes RTCP on a section's track (false when it is not open). */
  sendRtcp(mid: string, packet: Buffer): boolean;
  /** A layer is now routed to its section's track. */
  onLayer(mid: string, ssrc: number, rid: string): void;
}

/**
 * How a libdatachannel PeerConnection the client offers on gets its simulcast layers (PEER-CHOICE.md, session 5):
 * the relay reads each layer's SSRC, the last offer is applied again with `a=ssrc` lines for them (libdatachannel
 * routes by SSRC), and, as simulcast sections have no libdatachannel RTCP session, receiver reports and a REMB
 * go out from here so the publisher's bandwidth estimate grows and its upper layers start.
 */
export class SimulcastLearning {
  readonly relay: RtpHeaderRelay;
  #lastOffer?: string;
  #ids: SdesExtensionIds = {};
  readonly #ssrcs = new Map<string, number[]>();
  readonly #highestSeq = new Map<number, number>();
  readonly #feedback: ReturnType<typeof setInterval>;

  constructor(private readonly host: SimulcastLearningHost) {
    this.relay = new RtpHeaderRelay(
      () => this.#ids,
      (seen) => {
        // RTX (a repaired rid) is not routed: NACK is not answered either
        if (seen.mid && seen.rid && this.#lastOffer) this.#learn(seen.mid, seen.ssrc, seen.rid);
      },
    );
    this.#feedback = setInterval(() => this.#sendFeedback(), FEEDBACK_INTERVAL_MS);
    this.#feedback.unref();
  }

  /** The client's offer as the stack gets it: with the SSRCs already learned (a renegotiation keeps them routed). */
  offered(offerSdp: string): string {
    this.#lastOffer = offerSdp;
    this.#ids = sdesExtensionIds(offerSdp);
    return this.#ssrcs.size ? withSsrcs(offerSdp, this.#ssrcs) : offerSdp;
  }

  /** The layers learned on a section (their SSRCs). */
  ssrcsOf(mid: string): readonly number[] {
    return this.#ssrcs.get(mid) ?? [];
  }

  /** An RTP packet on a simulcast section: its sequence number goes into the next receiver report. */
  received(packet: Buffer): void {
    if (packet.length >= 12 && !isRtcp(packet)) this.#highestSeq.set(rtpSsrc(packet), rtpSeq(packet));
  }

  close(): void {
    this.relay.close();
    clearInterval(this.#feedback);
  }

  #learn(mid: string, ssrc: number, rid: string): void {
    this.#ssrcs.set(mid, [...this.ssrcsOf(mid), ssrc]);
    void this.host
      .reapply(withSsrcs(this.#lastOffer!, this.#ssrcs))
      .then(() => this.host.onLayer(mid, ssrc, rid))
      .catch(() => undefined);
  }

  #sendFeedback(): void {
    for (const [mid, ssrcs] of this.#ssrcs) {
      this.host.sendRtcp(mid, receiverFeedback(ssrcs.map((ssrc) => ({ ssrc, highestSeq: this.#highestSeq.get(ssrc) ?? 0 })), PUBLISHER_REMB_BPS));
    }
  }
}
