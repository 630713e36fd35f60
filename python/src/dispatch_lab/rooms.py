"""Synchronous wrappers over livekit-api (the official Python server SDK), bound to one lab.

livekit-api is async (aiohttp); most pytest suites are not, so each call opens a LiveKitAPI, runs one request and
closes it. Inside a running event loop (pytest-asyncio) the request runs on a private loop in a thread, since
`asyncio.run` cannot nest; async tests can also use `lab.api()` directly.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import warnings
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    # imported where used: livekit-api (aiohttp, protobuf) would otherwise slow down every pytest start
    from livekit.api import LiveKitAPI
    from livekit.protocol import agent_dispatch, models

T = TypeVar("T")


class RoomHelpers:
    """RoomService and AgentDispatchService calls; the class mixing it in says where and with which key."""

    def _credentials(self) -> tuple[str, str, str]:
        """(http url, api key, api secret)."""
        raise NotImplementedError

    def api(self) -> LiveKitAPI:
        """A new LiveKitAPI for this lab; use it as `async with lab.api() as lk:` in async tests."""
        from livekit.api import LiveKitAPI

        url, key, secret = self._credentials()
        return LiveKitAPI(url, key, secret)

    def _call(self, fn: Callable[[LiveKitAPI], Awaitable[T]]) -> T:
        async def run() -> T:
            async with self.api() as lk:
                return await fn(lk)

        with warnings.catch_warnings():
            # livekit-api signs with the lab's secret; the dev one ("secret") is short on purpose and PyJWT warns
            warnings.filterwarnings("ignore", message="The HMAC key")
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                return asyncio.run(run())
            with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
                return pool.submit(asyncio.run, run()).result()

    def create_room(self, name: str, **fields: object) -> models.Room:
        """CreateRoom; `fields` are CreateRoomRequest fields (empty_timeout, metadata, agents, …)."""
        from livekit.protocol.room import CreateRoomRequest

        return self._call(lambda lk: lk.room.create_room(CreateRoomRequest(name=name, **fields)))  # type: ignore[arg-type]

    def delete_room(self, name: str) -> None:
        from livekit.protocol.room import DeleteRoomRequest

        self._call(lambda lk: lk.room.delete_room(DeleteRoomRequest(room=name)))

    def list_participants(self, room: str) -> list[models.ParticipantInfo]:
        from livekit.protocol.room import ListParticipantsRequest

        res = self._call(lambda lk: lk.room.list_participants(ListParticipantsRequest(room=room)))
        return list(res.participants)

    def create_dispatch(self, room: str, agent_name: str, metadata: str = "") -> agent_dispatch.AgentDispatch:
        """AgentDispatchService.CreateDispatch: the explicit dispatch a named agent needs."""
        from livekit.protocol.agent_dispatch import CreateAgentDispatchRequest

        req = CreateAgentDispatchRequest(room=room, agent_name=agent_name, metadata=metadata)
        return self._call(lambda lk: lk.agent_dispatch.create_dispatch(req))

    def list_dispatches(self, room: str) -> list[agent_dispatch.AgentDispatch]:
        return self._call(lambda lk: lk.agent_dispatch.list_dispatch(room))
