"""A real livekit-agents worker against the fixture: registration, an explicit dispatch reaching its entrypoint,
and the two silent drops of LiveKit (a named agent with only the default dispatch; a job-type mismatch) explained."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINIMAL_AGENT, eventually

from dispatch_lab import AgentWorker, DispatchLab, locate_cli
from dispatch_lab.trace import Event


@pytest.fixture(scope="module")
def support(dispatch_lab: DispatchLab) -> Iterator[tuple[AgentWorker, Event]]:
    """One named JT_ROOM worker ("support") for the module: a Python worker takes seconds to start."""
    worker = dispatch_lab.start_worker(MINIMAL_AGENT, env={"AGENT_NAME": "support", "AGENT_TYPE": "ROOM"})
    registered = worker.wait_registered("support", timeout=90)
    yield worker, registered
    worker.stop()


def test_worker_registers_with_its_name_and_type(support: tuple[AgentWorker, Event]) -> None:
    _worker, registered = support
    assert registered["agentName"] == "support"
    assert registered["jobType"] == "JT_ROOM"
    assert registered["workerId"].startswith("AW_")


def test_explicit_dispatch_reaches_the_worker(dispatch_lab: DispatchLab, support: tuple[AgentWorker, Event]) -> None:
    worker, registered = support
    since = dispatch_lab.last_seq()
    dispatch_lab.create_room("support-room")
    dispatch = dispatch_lab.create_dispatch("support-room", "support", metadata="ticket-42")
    assigned = dispatch_lab.wait_for("job.assigned", since=since, workerId=registered["workerId"])
    job = next(j for j in dispatch_lab.trace(since).jobs() if j.job_id == assigned["jobId"])
    assert (job.dispatch_id, job.agent_name, job.job_type, job.room) == (dispatch.id, "support", "JT_ROOM", "support-room")
    assert dispatch.id in [d.id for d in dispatch_lab.list_dispatches("support-room") if d.agent_name == "support"]
    # the job reached the worker's own entrypoint, in its job process
    line = f"JOB {job.job_id} room=support-room metadata=ticket-42"
    eventually(lambda: line in worker.output(), lambda: f"worker output ends with: {worker.output()[-800:]}", timeout=90)


def test_named_agent_without_dispatch_is_explained(dispatch_lab: DispatchLab, support: tuple[AgentWorker, Event]) -> None:
    since = dispatch_lab.last_seq()
    dispatch_lab.create_room("no-dispatch-room")  # only the default dispatch (agent ""): a named worker never matches
    dispatch_lab.wait_for("job.ended", since=since, outcome="dropped")
    lines = [line for line in dispatch_lab.explain(since) if "room no-dispatch-room" in line]
    assert len(lines) == 1, dispatch_lab.explain(since)
    assert 'JT_ROOM room no-dispatch-room agent "": never offered → DROPPED: no worker for agent "" with type JT_ROOM' in lines[0]
    assert '"support" as JT_ROOM' in lines[0]


def test_job_type_mismatch_is_explained(dispatch_lab: DispatchLab, support: tuple[AgentWorker, Event]) -> None:
    _worker, registered = support
    since = dispatch_lab.last_seq()
    # alice's token would carry roomConfig.agents: the room job goes to the JT_ROOM worker, alice's JT_PARTICIPANT
    # job has no worker of that type; livekit-server drops it without a word
    dispatch_lab.join("mismatch-room", "alice", agents=["support"])
    dispatch_lab.wait_for("job.assigned", since=since, workerId=registered["workerId"])
    dropped = dispatch_lab.wait_for("job.ended", since=since, outcome="dropped")
    jobs = {j.job_type: j for j in dispatch_lab.trace(since).jobs()}
    assert jobs["JT_ROOM"].assigned_to == registered["workerId"]
    assert jobs["JT_PARTICIPANT"].job_id == dropped["jobId"]
    [line] = dispatch_lab.explain(since)
    assert line.startswith(f'{dropped["jobId"]} JT_PARTICIPANT room mismatch-room agent "support" for alice: never offered → DROPPED: ')
    assert 'no worker for agent "support" with type JT_PARTICIPANT; registered: ' in line and '"support" as JT_ROOM' in line


def test_explain_reads_like_the_cli(dispatch_lab: DispatchLab, support: tuple[AgentWorker, Event], tmp_path: Path) -> None:
    """The Python `explain` folds the trace itself (no Node with the container backend); it must say what the CLI says."""
    events = tmp_path / "trace.jsonl"
    events.write_text("".join(json.dumps(e) + "\n" for e in dispatch_lab.events()))
    mine = dispatch_lab.explain(all_jobs=True)
    assert len(mine) >= 3
    cli = locate_cli(dispatch_lab.options.project_dir)
    out = subprocess.run([*cli, "explain", "--all", "--events", str(events)], capture_output=True, text=True, timeout=120, check=True)
    theirs = [line.strip() for line in out.stdout.splitlines() if line.startswith("  AJ_")]
    assert mine == theirs
