"""The fixture gives a running lab: addresses, keys, a token the control API accepts, livekit-api against it."""

from __future__ import annotations

import asyncio
import urllib.request

from dispatch_lab import DispatchLab


def test_lab_answers_and_names_its_addresses(dispatch_lab: DispatchLab) -> None:
    with urllib.request.urlopen(f"{dispatch_lab.url}/", timeout=10) as res:
        assert res.status == 200
    assert dispatch_lab.ws_url == f"ws://127.0.0.1:{dispatch_lab.port}"
    assert (dispatch_lab.api_key, dispatch_lab.api_secret) == ("devkey", "secret")


def test_rooms_through_livekit_api_show_in_the_trace(dispatch_lab: DispatchLab) -> None:
    since = dispatch_lab.last_seq()
    room = dispatch_lab.create_room("fixture-room", metadata="m")
    assert room.name == "fixture-room" and room.sid.startswith("RM_")
    dispatch_lab.join("fixture-room", "alice")
    assert [p.identity for p in dispatch_lab.list_participants("fixture-room")] == ["alice"]
    created = dispatch_lab.trace(since).of_kind("room.created", room="fixture-room")
    assert len(created) == 1 and created[0]["roomSid"] == room.sid
    dispatch_lab.delete_room("fixture-room")
    dispatch_lab.wait_for("room.closed", since=since, room="fixture-room", timeout=10)


def test_helpers_inside_an_event_loop(dispatch_lab: DispatchLab) -> None:
    """Async tests (pytest-asyncio) call the same helpers from a running loop, or use `lab.api()` directly."""
    from livekit.protocol.room import ListRoomsRequest

    async def scenario() -> list[str]:
        dispatch_lab.create_room("loop-room")  # sync helper inside a running loop: runs on its own loop in a thread
        async with dispatch_lab.api() as lk:
            rooms = await lk.room.list_rooms(ListRoomsRequest(names=["loop-room"]))
        return [r.name for r in rooms.rooms]

    assert asyncio.run(scenario()) == ["loop-room"]
