"""The Python scripted agent: behaviour from the JSON script in $LAB_AGENT_SCRIPT (schema: script-schema.ts);
every step posts a mark to $LAB_MARKS_URL. Run it like any agent: `python python_scripted_agent.py start`
(the lab runs it through agent-runtime/python/lab_runner.py to set host/port/name/type)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import urllib.request
import weakref
from typing import Callable

from google.protobuf.duration_pb2 import Duration
from livekit import api, rtc
from livekit.agents import AgentServer, JobContext, JobProcess, JobRequest, cli
from livekit.protocol import agent as agent_proto

SCRIPT: dict = json.loads(os.environ.get("LAB_AGENT_SCRIPT") or "{}")
MARKS_URL = os.environ.get("LAB_MARKS_URL", "")
MARKS_TOKEN = os.environ.get("LAB_MARKS_TOKEN", "")
SOURCE = "scripted-agent:python"
STARTED_AT = time.monotonic()
# The worker's main process runs this module first; job processes (forkserver children) inherit the
# environment and re-import it, so in a job this is the worker's pid and `ownProcess` says the job runs elsewhere.
os.environ.setdefault("LAB_WORKER_PID", str(os.getpid()))
WORKER_PID = int(os.environ["LAB_WORKER_PID"])
ROOM_STEPS = {"connect", "waitForParticipant", "participantEntrypoint", "sendData", "sendText", "publishDtmf", "waitForDtmf", "publishTone", "listen", "echo", "publishVideo"}
# SipDTMF codes: 0-9, * = 10, # = 11, A-D = 12-15 (livekit-sip's table)
DTMF_CODES = {**{str(d): d for d in range(10)}, "*": 10, "#": 11, "A": 12, "B": 13, "C": 14, "D": 15}
KINDS = {"standard": rtc.ParticipantKind.PARTICIPANT_KIND_STANDARD, "sip": rtc.ParticipantKind.PARTICIPANT_KIND_SIP, "agent": rtc.ParticipantKind.PARTICIPANT_KIND_AGENT}
STOP = object()  # a step that ends the entry without an error (the job was shut down after a handled failure)


def kind_name(kind: int) -> str:
    return rtc.ParticipantKind.Name(kind).removeprefix("PARTICIPANT_KIND_").lower()


def _post_mark(name: str, data: dict, ids: dict) -> None:
    if not MARKS_URL:
        return
    body = {"name": name, "source": SOURCE, **ids, "data": {"pid": os.getpid(), "runtime": "python", **data}}
    req = urllib.request.Request(
        MARKS_URL,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"content-type": "application/json", "authorization": f"Bearer {MARKS_TOKEN}"},
    )
    try:
        urllib.request.urlopen(req, timeout=5).read()
    except Exception as err:  # a lost mark must not change the job's behaviour
        print(f"scripted-agent: mark {name} failed: {err}", file=sys.stderr)


async def mark(name: str, data: dict | None = None, ids: dict | None = None) -> None:
    await asyncio.to_thread(_post_mark, name, data or {}, ids or {})


_request_count = 0


async def on_request(req: JobRequest) -> None:
    global _request_count
    index = _request_count
    _request_count += 1
    actions = SCRIPT.get("requests") or []
    action = actions[min(index, len(actions) - 1)] if actions else {"action": "accept"}
    ids = {"jobId": req.id}
    await mark("request.received", {"index": index, "room": req.room.name, "action": action["action"]}, ids)
    if action["action"] == "ignore":
        await asyncio.Future()  # never answers (returning would make the runtime reject)
    if action.get("delayMs"):
        await asyncio.sleep(action["delayMs"] / 1000)
    if action["action"] == "reject":
        if "terminate" in action:
            await req.reject(terminate=bool(action["terminate"]))
        else:
            await req.reject()
    else:
        await req.accept(
            name=action.get("name", ""),
            identity=action.get("identity", ""),
            metadata=action.get("metadata", ""),
            attributes=action.get("attributes") or {},
        )
    await mark("request.answered", {"index": index, "action": action["action"]}, ids)


def load_fnc() -> float:
    load = SCRIPT.get("load")
    if load is None:
        return 0.0
    if isinstance(load, (int, float)):
        return float(load)
    elapsed_ms = (time.monotonic() - STARTED_AT) * 1000
    value = 0.0
    for step in load["steps"]:
        if step["atMs"] <= elapsed_ms:
            value = float(step["value"])
    return value


async def outbound_trunk_id(ctx: JobContext, ref: str) -> str:
    """An outbound trunk by its name (scenarios name trunks after their alias) or its ST_ id."""
    if ref.startswith("ST_"):
        return ref
    trunks = (await ctx.api.sip.list_outbound_trunk(api.ListSIPOutboundTrunkRequest())).items
    for t in trunks:
        if t.name == ref:
            return t.sip_trunk_id
    raise RuntimeError(f"no outbound trunk named {ref!r}")


async def create_sip_participant(step: dict, ctx: JobContext, ids: dict) -> object:
    """create_sip_participant as an outbound agent does it; a failed call (SipCallError or another TwirpError) is marked and the job shut down."""
    req = api.CreateSIPParticipantRequest(
        sip_trunk_id=await outbound_trunk_id(ctx, step["trunk"]),
        sip_call_to=step["to"],
        room_name=ctx.job.room.name,
        participant_identity=step.get("identity") or "",
        participant_name=step.get("name") or "",
        sip_number=step.get("from") or "",
        dtmf=step.get("dtmf") or "",
        wait_until_answered=bool(step.get("waitUntilAnswered")),
    )
    if step.get("ringingTimeout") is not None:
        req.ringing_timeout.CopyFrom(Duration(seconds=int(step["ringingTimeout"])))
    try:
        info = await ctx.api.sip.create_sip_participant(req)
    except api.TwirpError as err:
        sip_code = err.sip_status_code if isinstance(err, api.SipCallError) else None
        data = {"error": type(err).__name__, "code": err.code, "status": err.status, "message": str(err)}
        if sip_code is not None:
            data.update(sipStatusCode=sip_code, sipStatus=err.sip_status)
        await mark("sip.call.failed", data, ids)
        if step.get("onFailure") == "continue":
            return None
        ctx.shutdown(reason="sip call failed")
        return STOP
    await mark("sip.call.created", {"identity": info.participant_identity, "sipCallId": info.sip_call_id, "room": info.room_name}, ids)
    return None


class DtmfInbox:
    """SipDTMF digits the room delivered since connect: a phone may type before the step that waits for them
    starts listening, and a listener added only then would miss those digits."""

    def __init__(self, room: rtc.Room) -> None:
        self.heard = ""
        self.identity = ""
        self.changed = asyncio.Event()
        room.on("sip_dtmf_received", self._on_dtmf)

    def _on_dtmf(self, ev: rtc.SipDTMF) -> None:
        self.heard += ev.digit
        self.identity = ev.participant.identity if ev.participant else ""
        self.changed.set()


DTMF_INBOXES: "weakref.WeakKeyDictionary[rtc.Room, DtmfInbox]" = weakref.WeakKeyDictionary()


async def wait_for_dtmf(step: dict, ctx: JobContext, ids: dict) -> None:
    """Returns once the digits have arrived in order; what it waited for is consumed."""
    inbox = DTMF_INBOXES.get(ctx.room)
    if inbox is None:
        raise RuntimeError("waitForDtmf needs a connect step before it")
    while step["digits"] not in inbox.heard:
        inbox.changed.clear()
        await inbox.changed.wait()
    end = inbox.heard.index(step["digits"]) + len(step["digits"])
    got, inbox.heard = inbox.heard[:end], inbox.heard[end:]
    await mark(step.get("mark") or "dtmf.received", {"digits": got, "identity": inbox.identity}, ids)


async def publish_tone(ctx: JobContext, ids: dict) -> None:
    """A 440 Hz microphone track playing until the job ends; marks tone.published, then tone.subscribed."""
    import math

    source = rtc.AudioSource(48000, 1)
    track = rtc.LocalAudioTrack.create_audio_track("agent-tone", source)
    publication = await ctx.room.local_participant.publish_track(track, rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE))

    async def play() -> None:
        phase = 0
        while True:
            frame = rtc.AudioFrame.create(48000, 1, 480)
            samples = frame.data  # int16 samples
            for i in range(480):
                samples[i] = int(8000 * math.sin(2 * math.pi * 440 * (phase + i) / 48000))
            phase += 480
            await source.capture_frame(frame)

    player = asyncio.create_task(play())

    async def stop_playing() -> None:
        player.cancel()

    ctx.add_shutdown_callback(stop_playing)

    async def subscribed() -> None:
        await publication.wait_for_subscription()
        await mark("tone.subscribed", {"trackSid": publication.sid}, ids)

    asyncio.create_task(subscribed())
    await mark("tone.published", {"trackSid": publication.sid}, ids)


def on_tracks(ctx: JobContext, kind: int, from_identity: str | None, use: Callable[[rtc.Track, rtc.RemoteParticipant], None]) -> Callable[[], None]:
    """Calls use(track, participant) with each subscribed track of `kind` (of `from`, or anyone), present and to come; returns the stop function."""

    def on_track(track: rtc.Track, _pub: rtc.RemoteTrackPublication, participant: rtc.RemoteParticipant) -> None:
        if track.kind == kind and (not from_identity or participant.identity == from_identity):
            use(track, participant)

    ctx.room.on("track_subscribed", on_track)
    for p in ctx.room.remote_participants.values():
        for pub in p.track_publications.values():
            if pub.track is not None:
                on_track(pub.track, pub, p)  # type: ignore[arg-type]
    return lambda: ctx.room.off("track_subscribed", on_track)


async def listen(step: dict, ctx: JobContext, ids: dict) -> None:
    """Returns once `frames` frames arrived from a subscribed track (of `from`, or anyone): audio frames with energy,
    or (kind: video) decoded video frames; marks heard."""
    video = step.get("kind") == "video"
    done: asyncio.Future = asyncio.get_running_loop().create_future()
    tasks: list[asyncio.Task] = []

    async def count(track: rtc.Track, identity: str) -> None:
        counted = 0
        stream = rtc.VideoStream(track) if video else rtc.AudioStream(track, sample_rate=48000, num_channels=1)
        async for ev in stream:
            if not video and not any(abs(s) > 1000 for s in ev.frame.data):
                continue
            counted += 1
            if counted >= step["frames"] and not done.done():
                done.set_result((counted, identity))
                return

    kind = rtc.TrackKind.KIND_VIDEO if video else rtc.TrackKind.KIND_AUDIO
    stop = on_tracks(ctx, kind, step.get("from"), lambda track, p: tasks.append(asyncio.create_task(count(track, p.identity))))
    try:
        frames, identity = await done
    finally:
        stop()
        for t in tasks:
            t.cancel()
    await mark(step.get("mark") or "heard", {"frames": frames, "from": identity, "kind": "video" if video else "audio"}, ids)


async def echo(step: dict, ctx: JobContext, ids: dict) -> None:
    """As LiveKit's echo-agent.py: publishes the agent's microphone track (LocalAudioTrack "agent-echo" on an
    AudioSource; marks echo.published), then plays into it the frames of the first audio track of `from` (or anyone)
    (AudioStream) until the job ends. Returns once echoing starts (echo.started); echo.subscribed when someone
    subscribes."""
    source = rtc.AudioSource(48000, 1)
    echo_track = rtc.LocalAudioTrack.create_audio_track("agent-echo", source)
    publication = await ctx.room.local_participant.publish_track(echo_track, rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE))

    async def subscribed() -> None:
        await publication.wait_for_subscription()
        await mark("echo.subscribed", {"trackSid": publication.sid}, ids)

    asyncio.create_task(subscribed())
    await mark("echo.published", {"trackSid": publication.sid}, ids)
    found: asyncio.Future = asyncio.get_running_loop().create_future()

    def use(track: rtc.Track, participant: rtc.RemoteParticipant) -> None:
        if not found.done():
            found.set_result((track, participant.identity))

    stop = on_tracks(ctx, rtc.TrackKind.KIND_AUDIO, step.get("from"), use)
    try:
        track, identity = await found
    finally:
        stop()
    stream = rtc.AudioStream(track, sample_rate=48000, num_channels=1)

    async def play() -> None:
        async for ev in stream:
            await source.capture_frame(ev.frame)

    player = asyncio.create_task(play())

    async def stop_playing() -> None:
        player.cancel()
        await stream.aclose()

    ctx.add_shutdown_callback(stop_playing)
    await mark("echo.started", {"from": identity, "trackSid": publication.sid}, ids)


VIDEO_WIDTH = 64
VIDEO_HEIGHT = 64
# a diagonal gradient: row y of frame t is RAMP[(y + t) % 256 :][:VIDEO_WIDTH]
_RAMP = bytes(((i * 4) & 0xFF) for i in range(256 + VIDEO_WIDTH))
_CHROMA = bytes([128]) * (VIDEO_WIDTH * VIDEO_HEIGHT // 2)


def gradient_frame(t: int) -> rtc.VideoFrame:
    """One I420 frame of a gradient shifted by t (consecutive frames differ), neutral chroma."""
    luma = b"".join(_RAMP[(y + t) % 256 : (y + t) % 256 + VIDEO_WIDTH] for y in range(VIDEO_HEIGHT))
    return rtc.VideoFrame(VIDEO_WIDTH, VIDEO_HEIGHT, rtc.VideoBufferType.I420, luma + _CHROMA)


async def publish_video(step: dict, ctx: JobContext, ids: dict) -> None:
    """As LiveKit's video-publisher.py: a camera track of generated frames until the job ends. Simulcast is off:
    the mock forwards single-layer video only (deliberate difference rtc-media-scope). Marks video.published,
    then video.subscribed."""
    source = rtc.VideoSource(VIDEO_WIDTH, VIDEO_HEIGHT)
    track = rtc.LocalVideoTrack.create_video_track("agent-video", source)
    options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_CAMERA, simulcast=False)
    publication = await ctx.room.local_participant.publish_track(track, options)
    interval = 1 / (step.get("fps") or 15)

    async def feed() -> None:
        t = 0
        while True:
            source.capture_frame(gradient_frame(t))
            t += 1
            await asyncio.sleep(interval)  # the frame rate: frames keep coming while the track is published

    feeder = asyncio.create_task(feed())

    async def stop_feeding() -> None:
        feeder.cancel()

    ctx.add_shutdown_callback(stop_feeding)

    async def subscribed() -> None:
        await publication.wait_for_subscription()
        await mark("video.subscribed", {"trackSid": publication.sid}, ids)

    asyncio.create_task(subscribed())
    await mark("video.published", {"trackSid": publication.sid}, ids)


async def run_step(step: dict, ctx: JobContext, ids: dict) -> object:
    kind = step["do"]
    if kind == "connect":
        DTMF_INBOXES[ctx.room] = DtmfInbox(ctx.room)
        await ctx.connect()
        await mark("connected", {"room": ctx.room.name}, ids)
    elif kind == "waitForParticipant":
        if step.get("kind"):
            p = await ctx.wait_for_participant(identity=step.get("identity"), kind=KINDS[step["kind"]])
        else:
            p = await ctx.wait_for_participant(identity=step.get("identity"))
        await mark("participant.seen", {"identity": p.identity, "kind": kind_name(p.kind)}, ids)
    elif kind == "createSipParticipant":
        return await create_sip_participant(step, ctx, ids)
    elif kind == "transferSipParticipant":
        identity = step.get("identity") or next((p.identity for p in ctx.room.remote_participants.values() if p.kind == rtc.ParticipantKind.PARTICIPANT_KIND_SIP), None)
        if not identity:
            raise RuntimeError("no SIP participant to transfer")
        try:
            await ctx.api.sip.transfer_sip_participant(api.TransferSIPParticipantRequest(room_name=ctx.job.room.name, participant_identity=identity, transfer_to=step["to"]))
        except api.TwirpError as err:
            sip_code = err.sip_status_code if isinstance(err, api.SipCallError) else None
            await mark("sip.transfer.failed", {"code": err.code, "sipStatusCode": sip_code, "message": str(err)}, ids)
            raise
        await mark("sip.transferred", {"identity": identity, "to": step["to"]}, ids)
    elif kind == "publishDtmf":
        for digit in step["digits"]:
            await ctx.room.local_participant.publish_dtmf(code=DTMF_CODES[digit.upper()], digit=digit)
        await mark("dtmf.published", {"digits": step["digits"]}, ids)
    elif kind == "waitForDtmf":
        await wait_for_dtmf(step, ctx, ids)
    elif kind == "publishTone":
        await publish_tone(ctx, ids)
    elif kind == "listen":
        await listen(step, ctx, ids)
    elif kind == "echo":
        await echo(step, ctx, ids)
    elif kind == "publishVideo":
        await publish_video(step, ctx, ids)
    elif kind == "participantEntrypoint":

        async def on_participant(_ctx: JobContext, p) -> None:  # type: ignore[no-untyped-def]
            await mark("participant.entry", {"identity": p.identity}, ids)

        ctx.add_participant_entrypoint(on_participant)
    elif kind == "sendData":
        await ctx.room.local_participant.publish_data(step["payload"], reliable=True, topic=step.get("topic") or "")
    elif kind == "sendText":
        await ctx.room.local_participant.send_text(step["text"], topic=step.get("topic") or "")
    elif kind == "sleep":
        await asyncio.sleep(step["ms"] / 1000)
    elif kind == "throw":
        raise RuntimeError(step.get("message") or "scripted failure")
    elif kind == "exit":
        await mark("process.exiting", {"code": step.get("code", 1)}, ids)
        os._exit(step.get("code", 1))
    elif kind == "shutdown":
        ctx.shutdown(reason=step.get("reason") or "scripted shutdown")
    elif kind == "deleteRoom":
        await ctx.delete_room()
    elif kind == "mark":
        await mark(step["name"], step.get("data") or {}, ids)
    else:
        raise RuntimeError(f"unknown step {kind!r}")
    return None


async def run_steps(steps: list, ctx: JobContext, ids: dict, phase: str) -> None:
    for index, step in enumerate(steps or []):
        await mark("step.started", {"phase": phase, "index": index, "step": step["do"]}, ids)
        try:
            if await run_step(step, ctx, ids) is STOP:
                return
        except Exception as err:
            data = {"phase": phase, "index": index, "step": step["do"], "needsRoom": step["do"] in ROOM_STEPS, "error": str(err)}
            await mark("step.failed", data, ids)
            raise


def prewarm(proc: JobProcess) -> None:
    # setup_fnc is synchronous: only sleep/mark/throw/exit make sense before a job exists.
    _post_mark("prewarm.started", {}, {})
    for index, step in enumerate(SCRIPT.get("prewarm") or []):
        _post_mark("step.started", {"phase": "prewarm", "index": index, "step": step["do"]}, {})
        kind = step["do"]
        if kind == "sleep":
            time.sleep(step["ms"] / 1000)
        elif kind == "mark":
            _post_mark(step["name"], step.get("data") or {}, {})
        elif kind == "exit":
            _post_mark("process.exiting", {"code": step.get("code", 1)}, {})
            os._exit(step.get("code", 1))
        else:
            _post_mark("step.failed", {"phase": "prewarm", "index": index, "step": kind, "error": "not possible in prewarm" if kind != "throw" else step.get("message") or "scripted failure"}, {})
            raise RuntimeError(step.get("message") or f"step {kind} failed in prewarm")
    _post_mark("prewarm.finished", {}, {})


server = AgentServer(setup_fnc=prewarm, load_fnc=load_fnc)


@server.rtc_session(agent_name=os.environ.get("LAB_AGENT_NAME", ""), on_request=on_request)
async def entry(ctx: JobContext) -> None:
    ids = {"jobId": ctx.job.id, "workerId": ctx.worker_id}
    for index, cb in enumerate(SCRIPT.get("shutdownCallbacks") or []):

        def make(index: int = index, cb: dict = cb):  # type: ignore[no-untyped-def]
            async def callback(reason: str) -> None:
                data = {"index": index, "name": cb.get("name") or f"callback-{index}", "durationMs": cb["durationMs"], "reason": reason}
                await mark("shutdown.callback.started", data, ids)
                await asyncio.sleep(cb["durationMs"] / 1000)
                await mark("shutdown.callback.finished", data, ids)

            return callback

        ctx.add_shutdown_callback(make())
    await mark(
        "entry.started",
        {
            "room": ctx.job.room.name,
            "metadata": ctx.job.metadata,
            "agentName": ctx.job.agent_name,
            # the name, as the Node agent reports it ("JT_ROOM"), so scenarios compare one value for both runtimes
            "jobType": agent_proto.JobType.Name(ctx.job.type),
            "dispatchId": ctx.job.dispatch_id,
            "workerPid": WORKER_PID,
            "ownProcess": os.getpid() != WORKER_PID,
        },
        ids,
    )
    steps = (SCRIPT.get("entryByMetadata") or {}).get(ctx.job.metadata, SCRIPT.get("entry") or [])
    await run_steps(steps, ctx, ids, "entry")
    await mark("entry.finished", {}, ids)


if __name__ == "__main__":
    cli.run_app(server)
