"""Joins a room with livekit rtc (Python, the Rust SDK through FFI), publishes a 440 Hz microphone and changes who
may subscribe to it when told on stdin.

Used by test/rtc/track-permissions.test.ts inside the test network namespace. argv: url token.
stdin lines: `only <identity>` (set_track_subscription_permissions: that identity only), `all` (everyone again),
`done` (leave). Prints one `@@py <json>` line per step.
"""
import asyncio
import json
import math
import sys

from livekit import rtc

RATE = 48000
SAMPLES = 480  # 10 ms


def report(step: str, **fields) -> None:
    print("@@py " + json.dumps({"step": step, **fields}), flush=True)


async def play(source: rtc.AudioSource) -> None:
    phase = 0
    while True:
        frame = rtc.AudioFrame.create(RATE, 1, SAMPLES)
        samples = frame.data
        for i in range(SAMPLES):
            samples[i] = int(8000 * math.sin(2 * math.pi * 440 * (phase + i) / RATE))
        phase += SAMPLES
        await source.capture_frame(frame)


async def main() -> None:
    url, token = sys.argv[1], sys.argv[2]
    room = rtc.Room()
    await room.connect(url, token)
    source = rtc.AudioSource(RATE, 1)
    options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_MICROPHONE)
    pub = await room.local_participant.publish_track(rtc.LocalAudioTrack.create_audio_track("mic", source), options)
    player = asyncio.ensure_future(play(source))
    report("published", sid=pub.sid)
    loop = asyncio.get_running_loop()
    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if line.startswith("only "):
            who = rtc.ParticipantTrackPermission(participant_identity=line[5:], allow_all=True)
            room.local_participant.set_track_subscription_permissions(allow_all_participants=False, participant_permissions=[who])
            report("permissions", only=line[5:])
        elif line == "all":
            room.local_participant.set_track_subscription_permissions(allow_all_participants=True)
            report("permissions", only="")
        else:
            break
    player.cancel()
    await room.disconnect()


asyncio.run(main())
