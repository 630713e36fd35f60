"""Joins a room with livekit rtc (Python, the Rust SDK through FFI) and sends data and text to the receiver.

Used by test/rtc/python-data.test.ts inside the test network namespace. argv: url token receiver_identity.
Prints one `@@py <json>` line per step; stays connected until stdin says `done`, so nothing it sent can be cut
off by its own disconnect.
"""
import asyncio
import json
import sys
import time

from livekit import rtc

LONG_TEXT = "0123456789" * 4000  # 40 000 bytes: more than one 15 000-byte stream chunk


def report(step: str, **fields) -> None:
    print("@@py " + json.dumps({"step": step, **fields}), flush=True)


async def main() -> None:
    url, token, receiver = sys.argv[1], sys.argv[2], sys.argv[3]
    room = rtc.Room()
    await room.connect(url, token)
    report("connected")
    seen = asyncio.Event()
    room.on("participant_connected", lambda p: seen.set() if p.identity == receiver else None)
    if not any(p.identity == receiver for p in room.remote_participants.values()):
        await asyncio.wait_for(seen.wait(), 10)
    lp = room.local_participant
    for step, send in (
        ("publish_data", lambda: lp.publish_data(b"hello-data", reliable=True, topic="lab")),
        ("send_text", lambda: lp.send_text("hello-text", topic="lab")),
        ("send_text_long", lambda: lp.send_text(LONG_TEXT, topic="lab")),
    ):
        started = time.monotonic()
        try:
            await send()
            report(step, ok=True, ms=round((time.monotonic() - started) * 1000))
        except Exception as e:  # the error text is what the test reports
            report(step, ok=False, error=f"{type(e).__name__}: {e}", ms=round((time.monotonic() - started) * 1000))
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    await room.disconnect()


asyncio.run(main())
