"""A minimal livekit-agents worker, written as a user writes one, for the plugin's tests.

AGENT_NAME / AGENT_TYPE (ROOM or PUBLISHER) pick the registration. The entrypoint prints the job it got (the test
reads the worker's output to see the job really reached it) and does not connect: a WebRTC connection needs a
non-loopback address, and the dispatch path is what these tests are about.
"""

from __future__ import annotations

import math
import os

from livekit.agents import AgentServer, JobContext, cli
from livekit.agents.worker import ServerType


def zero_load() -> float:
    # The default load is the machine's CPU: on a busy CI runner it crosses 0.7 and the lab (faithfully, like
    # livekit-server) stops offering jobs to the worker.
    return 0.0


# A free health port (production binds 8081, which a second worker would find taken) and no idle job processes.
# No load threshold either: with no idle process each accepted job counts 0.7 until its process has started
# (seconds, cold), so the worker would report WS_FULL meanwhile and the next job would be dropped.
server = AgentServer(host="127.0.0.1", port=0, num_idle_processes=0, load_fnc=zero_load, load_threshold=math.inf)


@server.rtc_session(agent_name=os.environ.get("AGENT_NAME", ""), type=ServerType[os.environ.get("AGENT_TYPE", "ROOM")])
async def entrypoint(ctx: JobContext) -> None:
    print(f"JOB {ctx.job.id} room={ctx.job.room.name} metadata={ctx.job.metadata}", flush=True)
    ctx.shutdown(reason="done")  # ends the job (JS_SUCCESS) without a room connection


if __name__ == "__main__":
    cli.run_app(server)
