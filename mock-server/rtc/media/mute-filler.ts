import { randomInt } from 'node:crypto';
import type { Clock, TimerHandle } from '../../core/clock.ts';
import type { MediaKind } from './sdp-sections.ts';

/** downtrack.go: wait 100 ms for the up track's own packets, then fill for at most 5 s. */
const WAIT_BEFORE_MS = 100;
const MAX_FILL_MS = 5_000;
/** Audio: one Opus silence frame every 20 ms (50 fps); video: one padding-only packet every 100 ms. */
const INTERVAL_MS: Record<MediaKind, number> = { audio: 20, video: 100 };
const TIMESTAMP_STEP: Record<MediaKind, number> = { audio: 960, video: 9_000 };
/** downtrack.go OpusSilenceFrame: TOC 0xf8 (CELT FB 20 ms), then silence. */
const OPUS_SILENCE = Buffer.from([0xf8, 0xff, 0xfe, ...new Array<number>(77).fill(0)]);
/** RTPPaddingMaxPayloadSize: a padding packet carries 255 padding bytes, the last one its count. */
const PADDING = 255;

/**
 * What livekit-server sends on a new down track of a muted (or still silent) publication to a Go client
 * (clientinfo.go FireTrackByRTPPacket: pion fires OnTrack only when the first RTP packet arrives):
 * downtrack.go sendSilentFrameOnMuteForAudio / sendPaddingOnMuteForVideo, until the publisher's own media flows.
 */
export class MuteFiller {
  #timer?: TimerHandle;
  #seq = randomInt(0, 0xffff);
  #timestamp = randomInt(0, 0xffff_ffff);
  #sent = 0;
  #stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly kind: MediaKind,
    private readonly write: (packet: Buffer) => void,
    private readonly ssrc: number,
    private readonly payloadType: number,
  ) {}

  start(): void {
    if (!this.#stopped) this.#timer ??= this.clock.setTimer(WAIT_BEFORE_MS, () => this.#tick());
  }

  /** The publisher's media flows (or the down track went): no more filler. */
  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#stopped = true;
  }

  #tick(): void {
    if (this.#sent * INTERVAL_MS[this.kind] >= MAX_FILL_MS) return this.stop();
    this.write(this.#packet());
    this.#sent++;
    this.#timer = this.clock.setTimer(INTERVAL_MS[this.kind], () => this.#tick());
  }

  #packet(): Buffer {
    const body = this.kind === 'audio' ? OPUS_SILENCE : Buffer.concat([Buffer.alloc(PADDING - 1), Buffer.from([PADDING])]);
    const header = Buffer.alloc(12);
    header[0] = this.kind === 'audio' ? 0x80 : 0xa0; // version 2; the padding bit on video
    header[1] = (this.kind === 'audio' ? 0x80 : 0) | (this.payloadType & 0x7f); // audio frames carry the marker
    header.writeUInt16BE(this.#seq, 2);
    header.writeUInt32BE(this.#timestamp >>> 0, 4);
    header.writeUInt32BE(this.ssrc >>> 0, 8);
    this.#seq = (this.#seq + 1) & 0xffff;
    this.#timestamp = (this.#timestamp + TIMESTAMP_STEP[this.kind]) >>> 0;
    return Buffer.concat([header, body]);
  }
}
