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

const SDES_URIS = {
  mid: 'urn:ietf:params:rtp-hdrext:sdes:mid',
  rid: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  repairedRid: 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
} as const;
const SDES_EXTENSIONS: readonly string[] = Object.values(SDES_URIS);

/** The m-sections of an SDP as line lists (the session part is section 0). */
const sectionsOf = (sdp: string): string[][] => sdp.split(/\r\n(?=m=)/).map((s) => s.split('\r\n'));

/** What the answer's section says back to an offered one: the sdes extensions, and for simulcast each rid and the layer list, received. */
function sdesAnswerLines(offered: readonly string[]): string[] {
  return offered.flatMap((l) => {
    if (l.startsWith('a=extmap:')) return SDES_EXTENSIONS.some((uri) => l.endsWith(` ${uri}`)) ? [l] : [];
    const rid = /^a=rid:(\S+) send/.exec(l);
    if (rid) return [`a=rid:${rid[1]} recv`];
    if (l.startsWith('a=simulcast:send ')) return [`a=simulcast:recv ${l.slice('a=simulcast:send '.length)}`];
    return [];
  });
}

/**
 * The answer takes the offered sdes header extensions (mid, rid, repaired rid) in every media section, and accepts
 * each simulcast section as offered (`a=rid:… recv`, `a=simulcast:recv` with the offered layers), as
 * livekit-server answers them.
 *
 * Why: libdatachannel answers neither the rid lines nor the extensions it does not know. Without `a=simulcast`
 * libwebrtc sends one layer. Without the rid extension negotiated libwebrtc refuses its own next offer with a
 * simulcast section ("The media section with MID='7' negotiates simulcast but does not negotiate the RID RTP header
 * extension"), so one simulcast publish broke every later negotiation of that PeerConnection (found by the Python
 * SDK's own test_video); a new section in the BUNDLE offers only what earlier answers took, so every section takes
 * them. Without the mid extension a layer's first packets do not say which section they belong to (RtpHeaderRelay).
 */
export function withOfferedSimulcast(offerSdp: string, answerSdp: string): string {
  const wanted = new Map<string, string[]>();
  for (const lines of sectionsOf(offerSdp).slice(1)) {
    const mid = lines.find((l) => l.startsWith('a=mid:'))?.slice(6);
    if (mid && !lines[0]!.startsWith('m=application')) wanted.set(mid, sdesAnswerLines(lines));
  }
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
 * neither act on nor echo the client's sctp-init), and its answer gets the server's SCTP lines and accepts simulcast
 * sections as offered.
 */
export async function answerOffer(offerSdp: string, stackAnswer: (offerSdp: string) => Promise<string>): Promise<string> {
  return withOfferedSimulcast(offerSdp, answerAsLiveKitServer(await stackAnswer(withoutSctpInit(offerSdp))));
}

/** The ids an offer gives the mid/rid header extensions (one BUNDLE group: the same ids in every section). */
export function sdesExtensionIds(sdp: string): { mid?: number; rid?: number; repairedRid?: number } {
  const ids: { mid?: number; rid?: number; repairedRid?: number } = {};
  for (const m of sdp.matchAll(/^a=extmap:(\d+)(?:\/\w+)? (\S+)/gm)) {
    for (const [name, uri] of Object.entries(SDES_URIS)) if (m[2] === uri) ids[name as keyof typeof ids] ??= Number(m[1]);
  }
  return ids;
}

/** The offer with `a=ssrc` lines for SSRCs learned per mid, so a stack that routes by SSRC delivers them. */
export function withSsrcs(offerSdp: string, ssrcsByMid: ReadonlyMap<string, readonly number[]>): string {
  return sectionsOf(offerSdp)
    .map((lines) => {
      const mid = lines.find((l) => l.startsWith('a=mid:'))?.slice(6);
      const ssrcs = mid ? (ssrcsByMid.get(mid) ?? []) : [];
      const add = ssrcs.filter((ssrc) => !lines.some((l) => l.startsWith(`a=ssrc:${ssrc} `))).map((ssrc) => `a=ssrc:${ssrc} cname:simulcast-${mid}`);
      if (!add.length) return lines;
      const tail = lines[lines.length - 1] === '' ? 1 : 0;
      return [...lines.slice(0, lines.length - tail), ...add, ...lines.slice(lines.length - tail)];
    })
    .map((lines) => lines.join('\r\n'))
    .join('\r\n');
}
