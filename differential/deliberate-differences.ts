import type { Difference } from './outcome.ts';
import { differsByOutdatedSkip, differsOnlyByRefreshToken, differsOnlyByVersionRace } from './participants/view-matchers.ts';

/**
 * Every way the mock's trace knowingly differs from what the wire tap sees on the real server, with the
 * reason. Entries with `matches` tag differences that compareOutcomes still reports (shown, not failing);
 * entries without it are absorbed by normalizeTrace and listed here so the one list stays complete.
 */
export interface DeliberateDifference {
  id: string;
  summary: string;
  reason: string;
  matches?: (d: Difference) => boolean;
}

export const DELIBERATE_DIFFERENCES: readonly DeliberateDifference[] = [
  {
    id: 'mock-records-dropped-jobs',
    summary: 'The mock records jobs it could not place (job.created + job.ended "dropped", with a reason).',
    reason:
      'Explaining silent drops (type or name mismatch, no capacity) is the point of the lab; the real server creates no job or only logs, so nothing reaches the wire. normalizeTrace ignores jobs that were never offered.',
  },
  {
    id: 'fast-timing-preset',
    summary: 'The mock can run with the fast timing preset (short register/assignment timeouts, no claim delay).',
    reason: 'Tests should not wait for real-server timeouts. normalizeTrace removes every time and id, so only outcomes are compared.',
  },
  {
    id: 'mock-explains-abandoned-jobs',
    summary: 'The mock ends a job as "abandoned" when its room closes or the server stops and nobody tells the worker.',
    reason: 'The real server sends nothing in that case, so on the wire the job simply stays running; normalizeTrace reads "abandoned" as running.',
  },
  {
    id: 'termination-status-not-on-wire',
    summary: 'The termination status (JS_SUCCESS for DeleteDispatch, JS_FAILED when the agent left) is not compared.',
    reason: 'JobTermination carries only the job id; the wire tap cannot see which reason the server had.',
  },
  {
    id: 'mock-only-diagnostics',
    summary: 'The mock records protocol violations, ignored messages, log lines, room and dispatch events.',
    reason: 'The real server only logs these (or keeps them internal); normalizeTrace does not compare them.',
  },
  {
    id: 'participant-interleaving',
    summary: 'Participant events are compared per participant (joined → published → left), not in their order across participants; agents are named agent#n by order of joining their room.',
    reason:
      'On a real server the harness sees each participant through its own socket, and Room.Close disconnects participants in Go map order, so the interleaving across participants is not an outcome. Agent identities carry random job-id suffixes chosen by the worker.',
  },
  {
    id: 'polled-reads-not-compared',
    summary: 'ListDispatch calls (the listDispatch step) are not compared as api calls.',
    reason: 'The step polls until the room has recorded its jobs; how many polls that took depends on timing, not on the server.',
  },
  {
    id: 'random-selection-order',
    summary: 'Which eligible worker is offered a job first (and so which ones rejected it before) may differ.',
    reason:
      'Both servers draw among available workers at random, weighted by 1 - load; the outcome (who finally runs the job) is still compared.',
    matches: (d) => / › (offeredTo|rejectedBy)$/.test(d.path),
  },
  {
    id: 'repeated-termination',
    summary: 'The real server may send a job a second JobTermination; the mock sends one. Compared: at least one on both.',
    reason:
      'Seen once in CI on a loaded machine (22-delete-dispatch-terminates: 2 on livekit-server, 1 on the mock; every other run 1 and 1): the second one comes when the agent leaves the room while its termination is still in flight. A worker handles a repeated termination as a no-op; the outcome (terminated, JS_SUCCESS) is compared as before.',
    matches: (d) => d.path.endsWith(' › terminations') && typeof d.mock === 'number' && typeof d.real === 'number' && d.mock >= 1 && d.real > d.mock,
  },
  {
    id: 'observed-on-one-side',
    summary: 'Participant events and Twirp calls are compared only when both runs recorded some.',
    reason: 'The mock records them itself; on the real server only the harness can add them, and a run may not.',
    matches: (d) =>
      (d.path === 'participants' || d.path === 'apiCalls') && (isEmptyList(d.mock) || isEmptyList(d.real)),
  },
  {
    id: 'rtc-media-scope',
    summary:
      'Media: the mock forwards Opus audio to /rtc/v1 (single PeerConnection) subscribers and to /rtc (v0) subscribers on the server-offered subscriber PeerConnection. Single-layer VP8/H264 video is forwarded in the codec the publisher sends, with keyframe requests (PLI) passed to the publisher; simulcast (rid) video is forwarded one layer per subscriber: the highest layer the publisher is sending at or under the subscriber\'s UpdateTrackSettings cap, switched at keyframes; there is no bandwidth allocation, no dynacast (SubscribedQualityUpdate) and no backup codecs, and the publisher\'s bandwidth estimate is fed with receiver reports and a fixed 5 Mbps REMB instead of transport-cc; VP9 and AV1 SVC are forwarded up to the subscriber\'s spatial layer (read from the VP9 payload descriptor and the AV1 OBU extension headers; the dependency descriptor is neither read nor forwarded, and every temporal layer goes); H265 sections are not received. Video is repaired with NACK as on the real server: the mock NACKs what a publisher\'s video misses (the publisher resends on the media SSRC, as RTX is not negotiated) and answers a subscriber\'s NACKs from the packets it sent; audio gets no NACK either way, and a retransmission reaching a subscriber whose SVC layers are being cut is numbered as a new packet. No receiver-report relay, no data tracks.',
    reason:
      'Raw RTP forwarding over libdatachannel covers what agents need first (the agent hears the user, the user hears the agent, waitForSubscription resolves). A simulcast publication says how its layers are chosen in the trace when it is published. Each gap is a trace warning naming the track or section and the reason ("… is not forwarded: …", "… is not received: …", "… does not receive track …"). Downstream data reaches v0 clients on the channels they opened.',
  },
  {
    id: 'rtc-resume-grace',
    summary: 'A participant whose signal socket was lost without a leave stays 2 s for a resume (reconnect=1), then leaves with SIGNAL_CLOSE.',
    reason:
      'The real server keeps it as long as its PeerConnection is up. The SDKs resume within a few hundred ms (Rust: 0-300 ms for the first attempt), and a client that is gone should leave the room in a test without waiting for ICE timeouts; rtc.signalLossGraceMs sets it.',
  },
  {
    id: 'rtc-ice-restart-kept',
    summary: "An ICE restart (a resume's offer) is answered with the ICE credentials the session already has, not new ones.",
    reason:
      'libdatachannel cannot restart ICE ("Invalid ICE settings"), and a new server PeerConnection would restart DTLS and lose the SCTP association (the data channels). libwebrtc clients (rtc-node, Python, browsers) keep their candidate pair: publications keep their SIDs, media and data go on, as test/rtc/session-resume.test.ts shows against livekit-server. A trace line says so.',
  },
  {
    id: 'rtc-resume-pion',
    summary: 'A Go (pion) client\'s resume is answered Leave{RECONNECT}, so it does a full reconnect (new SIDs).',
    reason:
      "pion drops its ICE state when it offers an ICE restart and needs the answer's new credentials, which libdatachannel cannot give; a resumed session would have no media. The refusal is a trace warning naming the client (server-sdk-go TestResume is a known gap).",
  },
  {
    id: 'egress-ingress-without-redis',
    summary: 'Egress and Ingress always answer as the dev server without Redis ("… not connected (redis required)"), even when the SIP switch simulates Redis.',
    reason: 'The lab has no egress or ingress workers; with Redis the real server would list nothing and time out on starts, which tests nothing more.',
  },
  {
    id: 'sip-simulated-bridge',
    summary: 'CreateSIPParticipant / TransferSIPParticipant reach a simulated livekit-sip with scripted phones; the real server needs a livekit-sip process and a carrier.',
    reason:
      'livekit/sip cannot be fetched from the Go module proxy and CI has no Docker; the SIP API (CRUD, validation, grants, no-bridge and no-Redis answers) is compared exactly in test/differential/sip-api.test.ts; calls follow the livekit-sip source (research note sip-telephony.md).',
  },
  {
    id: 'sip-error-details-meta',
    summary: "A SIP-status error's Twirp meta has sip_status_code and sip_status but no error_details (the base64 google.rpc.Status).",
    reason: 'google.rpc.Status is not in @livekit/protocol, and no SDK reads it (Node and Python SipCallError use sip_status_code / sip_status).',
  },
  {
    id: 'sip-no-media',
    summary: 'SIP calls carry no audio: an inbound call becomes active when someone in the room publishes an audio track, not when media flows.',
    reason: 'The simulated bridge has no phone audio to send or hear; livekit-sip answers once it can subscribe to remote audio, which a published track stands for.',
  },
  // what participants see (differential/participants, test/differential/participant-view-*.test.ts)
  {
    id: 'participant-version-race',
    summary:
      "A participant's version may be one higher on the real server from its JOINED update on; a batched update then leaves out an info older than the one the recipient's JoinResponse carried.",
    reason:
      'room.go Join marks the participant dirty twice (JOINED, then SetMigrateState) while the JOINED broadcast runs in its own goroutine; the version counts one or two steps depending on which runs first, and participant_signal.go drops updates older than what a recipient has. The mock counts one step.',
    matches: (d) =>
      (/^view .* › #\d+ (join|update|requestResponse)$/.test(d.path) || d.path.startsWith('observed ')) &&
      (differsOnlyByVersionRace(d.mock, d.real) || (/ update$/.test(d.path) && differsByOutdatedSkip(d.mock, d.real))),
  },
  {
    id: 'refresh-token-not-sent',
    summary: 'The mock sends no refreshToken messages (the real server sends one after the join and after each change of the claims).',
    reason:
      'Refreshed tokens are for resuming or rejoining with current claims; a resume or a full rejoin with the original token works on the mock. Not modelled yet: a client that rejoins with the refreshed token gets its attributes back on the real server.',
    matches: (d) => d.path.endsWith(' › other messages') && differsOnlyByRefreshToken(d.mock, d.real),
  },
  {
    id: 'batch-order',
    summary: 'Participants inside one batched ParticipantUpdate are compared sorted by identity.',
    reason: 'room.go flushes its batch from a Go map, so the order inside one update is random on the real server and not an outcome.',
  },
];

function isEmptyList(v: unknown): boolean {
  return Array.isArray(v) && v.length === 0;
}

/** The id of the first deliberate difference that covers `d`, if any. */
export function deliberateReason(d: Difference, list: readonly DeliberateDifference[] = DELIBERATE_DIFFERENCES): string | undefined {
  return list.find((x) => x.matches?.(d))?.id;
}
