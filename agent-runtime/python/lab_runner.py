"""Runs a Python agent file as a production worker (`start`) with the lab's options.

usage: python lab_runner.py <agent_file.py>
env:   LAB_WORKER_OPTIONS (JSON), LIVEKIT_URL / LIVEKIT_API_KEY / LIVEKIT_API_SECRET (read by livekit-agents).

The agent file runs as __main__ (runpy), so its own `if __name__ == "__main__": cli.run_app(server)` starts the
worker, and multiprocessing's job processes re-import the agent file itself (sys.modules["__main__"].__file__
points at it while run_app runs). The lab's options are applied when the server starts: AgentServer.run is
wrapped to set host/port/agent name/type and the pool settings (private fields of livekit-agents 1.8.x,
pinned by scripts/setup-python.sh).
"""

import json
import os
import runpy
import sys

from livekit.agents import AgentServer
from livekit.agents.worker import ServerType

_FIELDS = {
    "host": "_host",
    "port": "_port",
    "num_idle_processes": "_num_idle_processes",
    "load_threshold": "_load_threshold",
    "drain_timeout": "_drain_timeout",
    "shutdown_process_timeout": "_shutdown_process_timeout",
}


def _apply(server: AgentServer, options: dict) -> None:
    for key, attr in _FIELDS.items():
        if key in options:
            setattr(server, attr, options[key])
    if "agent_name" in options and not os.environ.get("LIVEKIT_AGENT_NAME_OVERRIDE"):
        server._agent_name = options["agent_name"]
    if "worker_type" in options:
        server._server_type = ServerType[options["worker_type"]]


def main() -> None:
    if len(sys.argv) < 2:
        print("lab_runner: usage: lab_runner.py <agent_file.py>", file=sys.stderr)
        sys.exit(2)
    agent_file = os.path.abspath(sys.argv[1])
    options = json.loads(os.environ.get("LAB_WORKER_OPTIONS") or "{}")
    original_run = AgentServer.run

    async def run(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        _apply(self, options)
        return await original_run(self, *args, **kwargs)

    AgentServer.run = run  # type: ignore[method-assign]
    sys.argv = [agent_file, "start"]
    sys.path.insert(0, os.path.dirname(agent_file))
    runpy.run_path(agent_file, run_name="__main__")


if __name__ == "__main__":
    main()
