import { createRequire } from 'node:module';
import type { Audio, DataChannel, RtcConfig, Track, Video } from 'node-datachannel';
import { pictureLossIndication } from '../media/rtp-packet.ts';
import type { SdpCodec } from '../media/sdp-sections.ts';
import { closeStackPeer, type PeerDataChannel, type RtcPeer, type RtcPeerEvents, type RtcPeerFactory, type RtcPeerOptions, type SectionPlan } from './rtc-peer.ts';
import { answerAsLiveKitServer, answerOffer, withoutSctpInit } from './sdp-policy.ts';
import { ReceiverFeedback } from './receiver-feedback.ts';
import { SimulcastLearning } from './simulcast-learning.ts';

type NodeDataChannel = typeof import('node-datachannel');
const require = createRequire(import.meta.url);
let loaded: NodeDataChannel | undefined;
/** The native module loads at the first peer, not at import: it is a large part of a process's start-up. */
const ndc = (): NodeDataChannel => (loaded ??= require('node-datachannel') as NodeDataChannel);

/** libdatachannel builds its answer right after setRemoteDescription; a stack that never answers fails the offer, not the session. */
const ANSWER_TIMEOUT_MS = 10_000;

function wrapChannel(dc: DataChannel): PeerDataChannel {
  const pending: Buffer[] = [];
  const write = (b: Buffer) => {
    try {
      dc.sendMessageBinary(b);
    } catch {
      // the channel closed under us; the packet is lost as it would be on a real SFU
    }
  };
  dc.onOpen(() => {
    for (const b of pending.splice(0)) write(b);
  });
  return {
    label: dc.getLabel(),
    send(data) {
      const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      if (dc.isOpen() && pending.length === 0) write(b);
      else pending.push(b);
    },
    onMessage(listener) {
      dc.onMessage((msg) => {
        if (typeof msg === 'string') return; // text frames are not DataPackets; the client rejects them too
        listener(msg instanceof ArrayBuffer ? new Uint8Array(msg) : new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength));
      });
    },
  };
}

const DIRECTION = { receive: 'RecvOnly', send: 'SendOnly', inactive: 'Inactive' } as const;
const DEFAULT_CODEC: Record<'audio' | 'video', SdpCodec> = { audio: { pt: 111, name: 'opus', clockRate: 48_000, channels: 2 }, video: { pt: 96, name: 'VP8', clockRate: 90_000 } };

/** A libdatachannel media description for one planned section: one codec, the direction, and for a send section its SSRC and msid. */
function describe(mid: string, plan: SectionPlan): Audio | Video {
  const codec = plan.codec ?? DEFAULT_CODEC[plan.kind];
  const name = codec.name.toLowerCase();
  // the native binding refuses an explicit undefined ("profile (String) expected"): no fmtp, no argument
  const fmtp = codec.fmtp === undefined ? [] : [codec.fmtp];
  let desc: Audio | Video;
  if (plan.kind === 'audio') {
    const audio = new (ndc().Audio)(mid, DIRECTION[plan.mode]);
    if (name === 'opus') audio.addOpusCodec(codec.pt, ...fmtp);
    else audio.addAudioCodec(codec.pt, `${codec.name}/${codec.clockRate}${codec.channels ? `/${codec.channels}` : ''}`, ...fmtp);
    desc = audio;
  } else {
    const video = new (ndc().Video)(mid, DIRECTION[plan.mode]);
    if (name === 'vp8') video.addVP8Codec(codec.pt);
    else if (name === 'h264') video.addH264Codec(codec.pt, ...fmtp);
    else video.addVideoCodec(codec.pt, codec.name, ...fmtp);
    desc = video;
  }
  if (plan.mode === 'send') desc.addSSRC(plan.ssrc, 'livekit-mock', plan.streamId, plan.trackId);
  return desc;
}

/**
 * The server half of a client PeerConnection on node-datachannel's native API (the W3C polyfill has no media,
 * sfu-media.md §2.1). Before each offer is applied, every planned m-section gets its own track description
 * (libdatachannel then answers with it instead of echoing the offer); 'receive' tracks hand RTP/RTCP to
 * onMedia, 'send' tracks take forwarded RTP through sendMedia. SDP and candidate operations run in arrival order.
 * A PC the client offers on sits behind an RtpHeaderRelay, which learns its simulcast layers (SimulcastLearning).
 */
export function nativePeerFactory(extraConfig: Partial<RtcConfig> = {}): RtcPeerFactory {
  return (events: RtcPeerEvents, options: RtcPeerOptions = {}): RtcPeer => {
    const offerer = options.role === 'subscriber';
    // No ICE servers: a STUN query would leave the machine. The offering side negotiates only when told to.
    // forceMediaTransport: a PC whose first negotiation had only the data section (a subscriber PC's first offer,
    // a client that joins without media sections) otherwise gets no SRTP transport, and later tracks never open.
    const pc = new (ndc().PeerConnection)('livekit-mock', {
      iceServers: [],
      forceMediaTransport: true,
      ...extraConfig,
      ...(offerer ? { disableAutoNegotiation: true } : {}),
    });
    const tracks = new Map<string, { track: Track; key: string }>();
    const feedback = new ReceiverFeedback((mid, packet) => {
      const track = tracks.get(mid)?.track;
      try {
        return !closed && !!track?.isOpen() && track.sendMessageBinary(packet);
      } catch {
        return false; // closed under us
      }
    });
    // libdatachannel wrappers reset the shared track's callbacks when collected; a replaced wrapper is kept until close
    const retired: Track[] = [];
    let queue: Promise<unknown> = Promise.resolve();
    let connected = false;
    let closed = false;
    let awaitingAnswer: ((sdp: string) => void) | undefined;
    let awaitingOffer: ((sdp: string) => void) | undefined;
    let channelsMade = false;
    const local = (type: 'answer' | 'offer') =>
      new Promise<string>((resolve, reject) => {
        if (type === 'answer') awaitingAnswer = resolve;
        else awaitingOffer = resolve;
        setTimeout(() => reject(new Error(`no ${type} from libdatachannel`)), ANSWER_TIMEOUT_MS).unref();
      });
    const serial = <T>(op: () => Promise<T>): Promise<T> => {
      const next = queue.then(op);
      queue = next.catch(() => undefined);
      return next;
    };
    pc.onLocalDescription((sdp, type) => {
      if (type === 'answer') {
        awaitingAnswer?.(sdp);
        awaitingAnswer = undefined;
      } else if (type === 'offer') {
        awaitingOffer?.(sdp);
        awaitingOffer = undefined;
      }
    });
    // The client offers on this PC: its simulcast layers are learned on the path (the relay fronts every candidate).
    const simulcast = offerer
      ? undefined
      : new SimulcastLearning({
          reapply: (offerSdp) =>
            serial(async () => {
              if (closed) return;
              const answered = local('answer'); // taken here, so it never reaches an answer() waiting for the client's offer
              pc.setRemoteDescription(offerSdp, 'offer');
              await answered;
            }),
          onLayer: (mid, ssrc, rid) => events.onLayer?.(mid, ssrc, rid),
        });
    const relay = simulcast?.relay;
    let candidates: Promise<unknown> = Promise.resolve();
    pc.onLocalCandidate((candidate, mid) => {
      if (closed || !candidate) return;
      if (!relay) return events.onLocalCandidate({ candidate, sdpMid: mid || null, sdpMLineIndex: null });
      candidates = candidates.then(async () => {
        const fronted = await relay.front(candidate);
        if (!closed && fronted) events.onLocalCandidate({ candidate: fronted, sdpMid: mid || null, sdpMLineIndex: null });
      });
    });
    pc.onStateChange((state) => {
      if (state === 'connected' && !connected) {
        connected = true;
        events.onConnected();
      } else if ((state === 'failed' || state === 'closed') && !closed) {
        events.onDisconnected();
      }
    });
    pc.onDataChannel((dc) => events.onDataChannel(wrapChannel(dc)));

    const applyPlan = (mid: string, plan: SectionPlan) => {
      const key = JSON.stringify(plan);
      const current = tracks.get(mid);
      if (current?.key === key) return;
      const track = pc.addTrack(describe(mid, plan));
      // Video is repaired as livekit-server repairs it: ReceiverFeedback NACKs what a publisher's stream misses (the
      // publisher resends on the media SSRC: the answer has no RTX), and libdatachannel answers a subscriber's NACKs
      // from its cache of what it sent. Without them, 5 % loss froze forwarded video for seconds.
      const receivesVideo = plan.mode === 'receive' && plan.kind === 'video';
      if (plan.mode === 'send' && plan.kind === 'video') track.setMediaHandler(new (ndc().RtcpNackResponder)());
      feedback.forget(mid);
      track.onMessage((buf) => {
        if (closed) return;
        if (receivesVideo) feedback.received(mid, buf, performance.now());
        events.onMedia?.(mid, buf);
      });
      if (current) retired.push(current.track);
      tracks.set(mid, { track, key });
    };

    return {
      carriesMedia: true,
      receivesSimulcast: !offerer,
      answer: (offerSdp, plan) =>
        serial(() =>
          answerOffer(offerSdp, (offer) => {
            if (simulcast) offer = simulcast.offered(offer);
            for (const [mid, p] of plan ?? []) applyPlan(mid, p);
            const answered = local('answer').then((a) => relay?.frontSdp(a) ?? a);
            pc.setRemoteDescription(offer, 'offer');
            return answered;
          }),
        ),
      offer: (plan, channels) =>
        serial(async () => {
          for (const [mid, p] of plan) applyPlan(mid, p);
          if (!channelsMade) {
            channelsMade = true;
            for (const c of channels) events.onDataChannel(wrapChannel(pc.createDataChannel(c.label, { unordered: !c.ordered, maxRetransmits: c.maxRetransmits })));
          }
          const offered = local('offer');
          pc.setLocalDescription('offer');
          return answerAsLiveKitServer(await offered);
        }),
      acceptAnswer: (sdp) => serial(async () => pc.setRemoteDescription(withoutSctpInit(sdp), 'answer')),
      // behind the relay the stack gets the client's candidates as the relay's back sockets (RtpHeaderRelay.backs)
      addRemoteCandidate: (c) =>
        serial(async () => {
          for (const candidate of relay ? await relay.backs(c.candidate) : [c.candidate]) if (!closed) pc.addRemoteCandidate(candidate, c.sdpMid ?? '0');
        }),
      openChannel: (label, options) => wrapChannel(pc.createDataChannel(label, { unordered: !options.ordered, maxRetransmits: options.maxRetransmits })),
      requestKeyframe(mid, ssrc) {
        const track = tracks.get(mid)?.track;
        if (closed || !track?.isOpen()) return false;
        try {
          const layers = ssrc === undefined ? feedback.ssrcsOf(mid) : [ssrc];
          if (layers.length) return layers.map((s) => track.sendMessageBinary(pictureLossIndication(s))).some(Boolean);
          return track.requestKeyframe();
        } catch {
          return false;
        }
      },
      sendMedia(mid, packet) {
        const track = tracks.get(mid)?.track;
        if (closed || !track?.isOpen()) return false;
        try {
          return track.sendMessageBinary(packet);
        } catch {
          return false;
        }
      },
      close() {
        if (closed) return;
        closed = true;
        simulcast?.close();
        feedback.close();
        closeStackPeer(pc);
        retired.length = 0;
        tracks.clear();
      },
    };
  };
}
