import { NackQueue } from '../media/nack-queue.ts';
import { genericNack, isRtcp, receiverFeedback, rtpSeq, rtpSsrc } from '../media/rtp-packet.ts';

/** What the mock's REMB allows a video publisher (enough for LiveKit's three layers at 720p), and how often it says so. */
const PUBLISHER_REMB_BPS = 5_000_000;
const FEEDBACK_INTERVAL_MS = 500;

/**
 * The RTCP a receiving SFU sends a video publisher, for every video section the mock receives: NACKs for what a
 * stream misses (a NackQueue per SSRC, run on each arriving packet), and every 500 ms a receiver report per SSRC and a REMB, so
 * the publisher's bandwidth estimate grows (simulcast upper layers and SVC upper spatial layers start). The
 * sections carry no libdatachannel media handler: on a recvonly track, RTCP written beside a handler is dropped.
 */
export class ReceiverFeedback {
  /** mid → SSRC → its queue (a simulcast section has one SSRC per layer) */
  readonly #sections = new Map<string, Map<number, NackQueue>>();
  /** Started by the first packet: a PeerConnection that receives no video holds no timer. */
  #timer?: ReturnType<typeof setInterval>;

  constructor(private readonly sendRtcp: (mid: string, packet: Buffer) => boolean) {}

  /** A packet on a received video section; answers at once with a NACK when its stream has one due. */
  received(mid: string, packet: Buffer, nowMs: number): void {
    if (packet.length < 12 || isRtcp(packet)) return;
    this.#timer ??= setInterval(() => this.#report(), FEEDBACK_INTERVAL_MS).unref();
    let section = this.#sections.get(mid);
    if (!section) this.#sections.set(mid, (section = new Map()));
    const ssrc = rtpSsrc(packet);
    let queue = section.get(ssrc);
    if (!queue) section.set(ssrc, (queue = new NackQueue()));
    const lost = queue.received(rtpSeq(packet), nowMs);
    if (lost.length) this.sendRtcp(mid, genericNack(ssrc, lost));
  }

  /** The SSRCs a section's packets came on (a simulcast section's layers): where its keyframe requests go. */
  ssrcsOf(mid: string): number[] {
    return [...(this.#sections.get(mid)?.keys() ?? [])];
  }

  /** The section's track was replaced or stopped. */
  forget(mid: string): void {
    this.#sections.delete(mid);
  }

  close(): void {
    clearInterval(this.#timer);
    this.#sections.clear();
  }

  #report(): void {
    for (const [mid, queues] of this.#sections) {
      this.sendRtcp(mid, receiverFeedback([...queues].map(([ssrc, queue]) => ({ ssrc, highestSeq: queue.highest ?? 0 })), PUBLISHER_REMB_BPS));
    }
  }
}
