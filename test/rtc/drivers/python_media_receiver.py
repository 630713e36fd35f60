"""Joins a room with livekit rtc (Python, the Rust SDK through FFI) and reports the data and audio it receives.

Used by test/rtc/python-media.test.ts inside the test network namespace. argv: url token.
Prints `@@py <json>` lines: `data` per packet, `track` per subscription, `frames` every 50 frames with energy.
Stays connected until stdin says `done`.
"""
import asyncio
import json
import sys

from livekit import rtc


def report(step: str, **fields) -> None:
    print("@@py " + json.dumps({"step": step, **fields}), flush=True)


async def count_frames(track: rtc.Track) -> None:
    with_energy = 0
    async for event in rtc.AudioStream(track, sample_rate=48000, num_channels=1):
        samples = event.frame.data
        if any(samples[i] != 0 for i in range(0, len(samples), 7)):
            with_energy += 1
            if with_energy % 50 == 0:
                report("frames", with_energy=with_energy)


async def main() -> None:
    url, token = sys.argv[1], sys.argv[2]
    room = rtc.Room()
    tasks = set()
    room.on("data_received", lambda p: report("data", payload=p.data.decode(), kind=int(p.kind), sender=p.participant.identity if p.participant else ""))

    def on_track(track: rtc.Track, pub: rtc.RemoteTrackPublication, participant: rtc.RemoteParticipant) -> None:
        report("track", sid=pub.sid, participant=participant.identity, kind=int(track.kind))
        if track.kind == rtc.TrackKind.KIND_AUDIO:
            t = asyncio.ensure_future(count_frames(track))
            tasks.add(t)

    room.on("track_subscribed", on_track)
    await room.connect(url, token)
    report("connected")
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    await room.disconnect()


asyncio.run(main())
