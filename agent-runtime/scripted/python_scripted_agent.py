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
ROOM_STEPS = {"connect", "waitForParticipant", "participantEntrypoint", "sendData", "sendText"}


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


async def run_step(step: dict, ctx: JobContext, ids: dict) -> None:
    kind = step["do"]
    if kind == "connect":
        await ctx.connect()
        await mark("connected", {"room": ctx.room.name}, ids)
    elif kind == "waitForParticipant":
        p = await ctx.wait_for_participant(identity=step.get("identity"))
        await mark("participant.seen", {"identity": p.identity}, ids)
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


async def run_steps(steps: list, ctx: JobContext, ids: dict, phase: str) -> None:
    for index, step in enumerate(steps or []):
        await mark("step.started", {"phase": phase, "index": index, "step": step["do"]}, ids)
        try:
            await run_step(step, ctx, ids)
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
