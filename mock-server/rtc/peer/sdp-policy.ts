/**
 * What livekit-server v1.13.5 says about SCTP in its SDP answers, whatever WebRTC stack the mock runs.
 *
 * The server is pion/webrtc v4.2.17 with a SettingEngine that never calls `EnableSctpSnap`
 * (pkg/rtc/transport.go), so its answers carry no `a=sctp-init` (pion peerconnection.go: the local
 * sctp-init is only generated when `enableSnap`), and it never calls `SetSCTPMaxMessageSize`, so it
 * advertises `a=max-message-size:65535` (`sctpMaxMessageSizeUnsetValue = math.MaxUint16`, constants.go).
 * Both were confirmed on the real binary's answers inside the test namespace.
 */
export const LIVEKIT_SCTP_MAX_MESSAGE_SIZE = 65_535;

const SCTP_INIT_LINE = /^a=sctp-init:[^\r\n]*(?:\r?\n|$)/gm;
const MAX_MESSAGE_SIZE_LINE = /^a=max-message-size:[^\r\n]*$/gm;

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

/** The answer as livekit-server would word it: no SNAP, and its own max-message-size. */
export function answerAsLiveKitServer(answerSdp: string): string {
  return withoutSctpInit(answerSdp).replace(MAX_MESSAGE_SIZE_LINE, `a=max-message-size:${LIVEKIT_SCTP_MAX_MESSAGE_SIZE}`);
}
