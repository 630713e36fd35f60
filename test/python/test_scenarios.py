"""run_scenario: the CLI's `run` on a library scenario (passes) and on a file whose expectation is wrong (fails)."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO

from dispatch_lab import DispatchLab

MISMATCH = REPO / "scenarios" / "library" / "09-job-type-mismatch-room-worker.yaml"


def test_library_scenario_passes(dispatch_lab: DispatchLab) -> None:
    run = dispatch_lab.run_scenario(MISMATCH)
    assert run.passed and run.returncode == 0, run.output
    assert "job-type-mismatch-room-worker" in run.output
    [trace] = run.traces
    assert trace.name == "job-type-mismatch-room-worker" and trace.status == "passed"
    # workers are named by their scenario ids, as `dispatch-lab explain` names them
    lines = run.explain()
    assert any("JT_PARTICIPANT room m1" in line and "for alice: never offered → DROPPED" in line for line in lines), lines
    assert all(line.startswith("job-type-mismatch-room-worker: AJ_") for line in lines), lines


def test_failing_scenario_reports_failure(dispatch_lab: DispatchLab, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        "name: expects-the-impossible\n"
        "description: A named worker never gets the default dispatch's job; this file expects it does.\n"
        "reproduces: https://github.com/livekit/agents/issues/646\n"
        "steps:\n"
        "  - worker: { id: w, agentName: my-agent, jobType: JT_ROOM }\n"
        "  - join: { room: m1, identity: alice }\n"
        "  - expect: { jobs: 1, type: JT_ROOM, worker: w, outcome: assigned, within: 500 }\n"
    )
    run = dispatch_lab.run_scenario(wrong)
    assert not run.passed and run.returncode == 1, run.output
    assert "expects-the-impossible" in run.output
    [trace] = run.traces
    assert trace.status == "failed"
    assert any('agent "": never offered → DROPPED' in line for line in trace.explain()), trace.explain()


def test_invalid_scenario_says_what_is_wrong(dispatch_lab: DispatchLab, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: no-steps\n")
    run = dispatch_lab.run_scenario(bad)
    assert not run.passed and run.returncode == 1
    assert f"{bad}:1: missing required field" in run.output, run.output
