/**
 * What livekit-server v1.13.5 says about SCTP in its SDP answers, whatever WebRTC stack the mock runs.
 *
 * The server is pion/webrtc v4.2.17 with a SettingEngine that never calls `EnableSctpSnap`
 * (pkg/rtc/transport.go), so its answers carry no `a=sctp-init` (pion peerconnection.go: the local
 * sctp-init is only generated when `enableSnap`). Confirmed on the real binary's answers inside the test namespace.
 *
 * Known difference left as is: the real server advertises `a=max-message-size:65535` (pion's unset value,
 * constants.go), the mock libdatachannel's 262144. Rewriting it to 65535 made the Node agent's second job in
 * test/rtc/agent-lifecycle.test.ts fail to connect in most runs (cause not yet found), and the Rust SDK caps
 * its sends at min(answer, 64000) either way.
 */
const SCTP_INIT_LINE = /^a=sctp-init:[^\r\n]*(?:\r?\n|$)/gm;

/**
 * Removes SNAP (`a=sctp-init`, SCTP negotiation in the SDP) from a description.
 *
 * Why: newer libwebrtc clients (the Rust SDK in livekit rtc 1.1.x for Python) offer their SCTP INIT in
 * the SDP. libdatachannel does not implement SNAP but copies unknown attributes of the remote
 * application section into its answer, so the answer echoed the client's own INIT back. The client then
 * took the association as already up, sent its DCEP OPENs for `_reliable`/`_lossy`/`_data_track` at once,
 * and lost them when the server's ordinary INIT restarted the association. The server never knew those
 * channels, reset stream 1 on the first DataPacket ("Got unexpected message on stream 1"), and the client
 * reported "publisher data channel '_reliable' closed unexpectedly" and, for send_text, "unable to send
 * packet" after its 15 s reconnect wait. Stripping it from the offer keeps any stack from acting on SNAP;
 * stripping it from the answer keeps the client on the ordinary SCTP handshake, as with the real server.
 */
export function withoutSctpInit(sdp: string): string {
  return sdp.replace(SCTP_INIT_LINE, '');
}

/** The answer as livekit-server would word it: no SNAP. */
export function answerAsLiveKitServer(answerSdp: string): string {
  return withoutSctpInit(answerSdp);
}

const RID_EXTENSIONS = ['urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id', 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id'];

/** The m-sections of an SDP as line lists (the session part is section 0). */
const sectionsOf = (sdp: string): string[][] => sdp.split(/\r\n(?=m=)/).map((s) => s.split('\r\n'));

/**
 * The rid header extensions of each simulcast section the client offered, kept in the answer's section.
 *
 * Why: libdatachannel answers only the extensions it knows, and its answer drops `sdes:rtp-stream-id`. libwebrtc
 * (the Rust SDK in Python livekit 1.1.21) then refuses its own next offer: "The media section with MID='7'
 * negotiates simulcast but does not negotiate the RID RTP header extension", so one simulcast publish broke
 * every later negotiation of that PeerConnection (found by the SDK's own test_video). livekit-server answers them.
 */
export function withOfferedRidExtensions(offerSdp: string, answerSdp: string): string {
  const wanted = new Map<string, string[]>();
  for (const lines of sectionsOf(offerSdp).slice(1)) {
    const mid = lines.find((l) => l.startsWith('a=mid:'))?.slice(6);
    if (!mid || !lines.some((l) => l.startsWith('a=simulcast:'))) continue;
    wanted.set(mid, lines.filter((l) => l.startsWith('a=extmap:') && RID_EXTENSIONS.some((uri) => l.endsWith(` ${uri}`))));
  }
  if (!wanted.size) return answerSdp;
  return sectionsOf(answerSdp)
    .map((lines, i) => {
      const at = lines.findIndex((l) => l.startsWith('a=mid:'));
      const add = i > 0 && at >= 0 ? (wanted.get(lines[at]!.slice(6)) ?? []).filter((l) => !lines.includes(l)) : [];
      return add.length ? [...lines.slice(0, at + 1), ...add, ...lines.slice(at + 1)] : lines;
    })
    .map((lines) => lines.join('\r\n'))
    .join('\r\n');
}

/**
 * A stack's answer to a client's offer, as livekit-server sends it: the stack sees the offer without SNAP (it must
 * neither act on nor echo the client's sctp-init), and its answer gets the server's SCTP lines and keeps the rid
 * extensions of simulcast sections.
 */
export async function answerOffer(offerSdp: string, stackAnswer: (offerSdp: string) => Promise<string>): Promise<string> {
  return withOfferedRidExtensions(offerSdp, answerAsLiveKitServer(await stackAnswer(withoutSctpInit(offerSdp))));
}
