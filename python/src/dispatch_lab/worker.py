"""A real agent worker (your `livekit-agents` file) pointed at the lab.

It is started the way a deployment starts it (`python my_agent.py start`) with LIVEKIT_URL / LIVEKIT_API_KEY /
LIVEKIT_API_SECRET set, in its own process group: livekit-agents forks job processes, and stopping only the worker
would leave them behind.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DispatchLabError
from .process import GroupProcess
from .trace import Event

if TYPE_CHECKING:
    from .lab import DispatchLab


class AgentWorker:
    """A started worker process; `wait_registered()` waits for its registration in the lab's trace."""

    def __init__(
        self,
        lab: DispatchLab,
        agent_file: str | os.PathLike[str],
        *,
        args: Sequence[str] = ("start",),
        python: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        path = Path(agent_file).resolve()
        if not path.is_file():
            raise DispatchLabError(f"agent file {agent_file} not found")
        # DISPATCH_LAB_AGENT_PYTHON: the interpreter with livekit-agents, when the tests run in another venv
        interpreter = python or os.environ.get("DISPATCH_LAB_AGENT_PYTHON") or sys.executable
        self.lab = lab
        self.since = lab.last_seq()
        full_env = {
            **os.environ,
            "LIVEKIT_URL": lab.ws_url,
            "LIVEKIT_API_KEY": lab.api_key,
            "LIVEKIT_API_SECRET": lab.api_secret,
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.process = GroupProcess([interpreter, str(path), *args], cwd=path.parent, env=full_env, name="worker")

    def _exited(self) -> str | None:
        code = self.process.exited()
        return None if code is None else f"the worker exited with code {code}: {self.process.last_line()}"

    def wait_registered(self, agent_name: str | None = None, timeout: float = 60.0) -> Event:
        """The `worker.registered` event of a worker started after this one (with that agent name, if given)."""
        def named(e: Event) -> bool:
            return agent_name is None or e.get("agentName") == agent_name

        return self.lab.wait_for("worker.registered", since=self.since, timeout=timeout, where=named, abort=self._exited)

    def output(self) -> str:
        return self.process.output()

    def stop(self, grace: float = 10.0) -> int | None:
        """SIGTERM (livekit-agents drains), then SIGKILL for the whole group after `grace` seconds."""
        return self.process.stop(grace)
