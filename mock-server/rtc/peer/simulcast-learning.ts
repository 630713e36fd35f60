import { RtpHeaderRelay, type SdesExtensionIds } from './rtp-header-relay.ts';
import { sdesExtensionIds, withSsrcs } from './sdp-policy.ts';

/** What the learning needs of its PeerConnection. */
export interface SimulcastLearningHost {
  /** Applies this offer again (in the peer's operation order), taking libdatachannel's answer so it is never sent. */
  reapply(offerSdp: string): Promise<void>;
  /** A layer is now routed to its section's track. */
  onLayer(mid: string, ssrc: number, rid: string): void;
}

/**
 * How a libdatachannel PeerConnection the client offers on gets its simulcast layers (PEER-CHOICE.md, session 5):
 * the relay reads each layer's SSRC, the last offer is applied again with `a=ssrc` lines for them (libdatachannel
 * routes by SSRC). Their receiver reports and REMB are ReceiverFeedback's, as for every received video section.
 */
export class SimulcastLearning {
  readonly relay: RtpHeaderRelay;
  #lastOffer?: string;
  #ids: SdesExtensionIds = {};
  readonly #ssrcs = new Map<string, number[]>();

  constructor(private readonly host: SimulcastLearningHost) {
    this.relay = new RtpHeaderRelay(
      () => this.#ids,
      (seen) => {
        // RTX (a repaired rid) is not routed: NACK is not answered either
        if (seen.mid && seen.rid && this.#lastOffer) this.#learn(seen.mid, seen.ssrc, seen.rid);
      },
    );
  }

  /** The client's offer as the stack gets it: with the SSRCs already learned (a renegotiation keeps them routed). */
  offered(offerSdp: string): string {
    this.#lastOffer = offerSdp;
    this.#ids = sdesExtensionIds(offerSdp);
    return this.#ssrcs.size ? withSsrcs(offerSdp, this.#ssrcs) : offerSdp;
  }

  close(): void {
    this.relay.close();
  }

  #learn(mid: string, ssrc: number, rid: string): void {
    this.#ssrcs.set(mid, [...(this.#ssrcs.get(mid) ?? []), ssrc]);
    void this.host
      .reapply(withSsrcs(this.#lastOffer!, this.#ssrcs))
      .then(() => this.host.onLayer(mid, ssrc, rid))
      .catch(() => undefined);
  }
}
