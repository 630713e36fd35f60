"""`DispatchLab`: one running mock livekit-server, its addresses and keys, its trace, and what tests do with it.

Usable without pytest (`with DispatchLab() as lab: ...`); the pytest plugin wraps it in the `dispatch_lab` fixture.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any

import jwt

from .errors import DispatchLabError, LabRequestError, WaitTimeoutError
from .launch import LabOptions, StartedLab, start_lab
from .locate import locate_cli
from .rooms import RoomHelpers
from .scenario import ScenarioRun, run_scenario
from .trace import Event, Trace
from .worker import AgentWorker

_TOKEN_TTL_SEC = 600
_POLL_SEC = 0.05


class DispatchLab(RoomHelpers):
    """A lab started with `start()` (or `with`), stopped with `stop()`; workers it started stop with it."""

    def __init__(self, options: LabOptions | None = None, **overrides: Any) -> None:
        self.options = dataclasses.replace(options or LabOptions(), **overrides)
        self._started: StartedLab | None = None
        self._workers: list[AgentWorker] = []

    # -- life cycle -------------------------------------------------------------------------------------------------

    def start(self) -> DispatchLab:
        if self._started is None:
            self._started = start_lab(self.options)
        return self

    def stop(self) -> None:
        """Workers first (a worker whose server vanished would keep reconnecting), then the lab's process group."""
        for worker in reversed(self._workers):
            worker.stop()
        self._workers.clear()
        if self._started is not None:
            self._started.stop()
            self._started = None

    def __enter__(self) -> DispatchLab:
        return self.start()

    def __exit__(self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None) -> None:
        self.stop()

    @property
    def _lab(self) -> StartedLab:
        if self._started is None:
            raise DispatchLabError("the lab is not running: call start() first")
        return self._started

    # -- where it is ----------------------------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._lab.port

    @property
    def http_url(self) -> str:
        """For Twirp (livekit-api) and the control API."""
        return f"http://{self.options.host}:{self.port}"

    url = http_url

    @property
    def ws_url(self) -> str:
        """LIVEKIT_URL for workers and clients (they append /agent or /rtc)."""
        return f"ws://{self.options.host}:{self.port}"

    @property
    def api_key(self) -> str:
        return self.options.api_key

    @property
    def api_secret(self) -> str:
        return self.options.api_secret

    def _credentials(self) -> tuple[str, str, str]:
        return self.http_url, self.api_key, self.api_secret

    def output(self) -> str:
        """What `dispatch-lab serve` printed so far: one readable line per trace event."""
        return self._lab.process.output()

    # -- the control API ------------------------------------------------------------------------------------------------

    def token(self, identity: str = "dispatch-lab-pytest", ttl: int = _TOKEN_TTL_SEC) -> str:
        """An HS256 token signed with the lab's key: the control API, like every endpoint, wants one."""
        now = int(time.time())
        claims = {"iss": self.api_key, "sub": identity, "nbf": now, "exp": now + ttl, "video": {}}
        with warnings.catch_warnings():
            # the dev secret ("secret", as in livekit-server --dev) is short on purpose; PyJWT warns about it
            warnings.filterwarnings("ignore", message="The HMAC key")
            return jwt.encode(claims, self.api_secret, algorithm="HS256")

    def _request(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> bytes:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.http_url}{path}", data=data, method=method)
        req.add_header("Authorization", f"Bearer {self.token()}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                return bytes(res.read())
        except urllib.error.HTTPError as err:
            raise LabRequestError(f"{method} {path}: {err.code} {err.read().decode(errors='replace')}") from err
        except (urllib.error.URLError, OSError) as err:
            raise LabRequestError(f"{method} {path}: the lab did not answer ({err})") from err

    def events(self, since: int = 0) -> list[Event]:
        """Trace events after `since` (a seq), as the lab serves them at GET /_lab/events (JSON lines)."""
        raw = self._request("GET", f"/_lab/events?since={since}").decode()
        return [json.loads(line) for line in raw.splitlines() if line.strip()]

    def last_seq(self) -> int:
        """The newest event's seq: pass it as `since` to look only at what happens next."""
        events = self.events()
        return int(events[-1]["seq"]) if events else 0

    def trace(self, since: int = 0) -> Trace:
        return Trace(self.events(since))

    def explain(self, since: int = 0, all_jobs: bool = False) -> list[str]:
        """Why each job was dropped, rejected, timed out or failed, one line per job (like `dispatch-lab explain`)."""
        return self.trace(since).explain(all_jobs)

    def wait_for(
        self,
        kind: str,
        *,
        since: int = 0,
        timeout: float = 30.0,
        where: Callable[[Event], bool] | None = None,
        abort: Callable[[], str | None] | None = None,
        **fields: Any,
    ) -> Event:
        """The first event of `kind` after `since` whose fields match; otherwise fails with what was seen.

        `abort` returns a reason to stop waiting early (a worker process that died).
        """
        deadline = time.monotonic() + timeout
        while True:
            trace = self.trace(since)
            for e in trace.of_kind(kind, **fields):
                if where is None or where(e):
                    return e
            reason = abort() if abort else None
            if reason is None and self._lab.process.exited() is not None:
                reason = f"the lab exited: {self._lab.process.last_line()}"
            if reason is not None or time.monotonic() >= deadline:
                want = " ".join([kind, *(f"{k}={v!r}" for k, v in fields.items())])
                seen = "; ".join(trace.explain()) or f"{len(trace.events)} event(s), no job in trouble"
                raise WaitTimeoutError(f"expected {want} within {timeout:g} s; {reason or 'timed out'}; seen: {seen}")
            time.sleep(_POLL_SEC)

    def join(self, room: str, identity: str, agents: Sequence[str] = (), **fields: Any) -> dict[str, Any]:
        """A virtual participant (no WebRTC) joins `room`; `agents` act like a token's roomConfig.agents."""
        body = {"identity": identity, **fields}
        if agents:
            body["roomAgents"] = [{"agentName": a, "metadata": ""} for a in agents]
        room_path = urllib.parse.quote(room, safe="")
        result: dict[str, Any] = json.loads(self._request("POST", f"/_lab/rooms/{room_path}/participants", body))
        return result

    def leave(self, room: str, identity: str) -> None:
        path = f"/_lab/rooms/{urllib.parse.quote(room, safe='')}/participants/{urllib.parse.quote(identity, safe='')}"
        self._request("DELETE", path)

    # -- workers and scenarios ------------------------------------------------------------------------------------------

    def start_worker(self, agent_file: str | os.PathLike[str], **kwargs: Any) -> AgentWorker:
        """Runs your agent file as a production worker against this lab; it stops with the lab (or `.stop()`)."""
        worker = AgentWorker(self, agent_file, **kwargs)
        self._workers.append(worker)
        return worker

    def run_scenario(self, path: str | os.PathLike[str], *args: str, timeout: float = 600.0) -> ScenarioRun:
        """`dispatch-lab run <path> [args]` on a fresh mock of the CLI's own (scenarios expect a fresh server);
        pass `"--against", lab.ws_url` to run it on this one instead."""
        cli = locate_cli(self.options.project_dir, self.options.cli)
        env = {**os.environ, "LIVEKIT_API_KEY": self.api_key, "LIVEKIT_API_SECRET": self.api_secret}
        return run_scenario(cli, path, cwd=self.options.project_dir, args=args, env=env, timeout=timeout)
