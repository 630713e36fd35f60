"""`run_scenario`: a scenario file (or folder) through the CLI's `run`, its verdict, output and trace.

The CLI is the one scenario engine; the plugin only runs it and reads back the events file it writes (a header line
per scenario, then its events), so `ScenarioRun.explain()` names the workers by their scenario ids as the CLI does.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DispatchLabError
from .process import GroupProcess
from .trace import Event, fold_jobs


@dataclass(frozen=True)
class ScenarioTrace:
    name: str
    status: str | None
    worker_aliases: dict[str, str]
    events: list[Event] = field(default_factory=list)

    def explain(self, all_jobs: bool = False) -> list[str]:
        def alias(worker_id: str) -> str:
            return self.worker_aliases.get(worker_id, worker_id)

        return [j.describe(alias) for j in fold_jobs(self.events) if all_jobs or not j.ran_normally]


@dataclass(frozen=True)
class ScenarioRun:
    """`passed` is the CLI's verdict (exit code 0: every scenario passed); `output` is what it printed."""

    passed: bool
    returncode: int
    output: str
    traces: list[ScenarioTrace]

    def explain(self, all_jobs: bool = False) -> list[str]:
        return [f"{t.name}: {line}" for t in self.traces for line in t.explain(all_jobs)]


def read_events_file(path: Path) -> list[ScenarioTrace]:
    traces: list[ScenarioTrace] = []
    if not path.exists():
        return traces
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        obj: dict[str, Any] = json.loads(line)
        if isinstance(obj.get("scenario"), str):
            traces.append(ScenarioTrace(obj["scenario"], obj.get("status"), dict(obj.get("workerAliases") or {})))
        elif isinstance(obj.get("kind"), str):
            if not traces:
                traces.append(ScenarioTrace(str(path), None, {}))
            traces[-1].events.append(obj)
    return traces


def run_scenario(
    cli: Sequence[str],
    path: str | os.PathLike[str],
    *,
    cwd: str | None = None,
    args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    timeout: float = 600.0,
) -> ScenarioRun:
    """Runs `dispatch-lab run <path> [args]`; a relative path is taken from the caller's working directory."""
    target = Path(path).expanduser().resolve()
    if not target.exists():
        raise DispatchLabError(f"scenario {path} not found (looked at {target})")
    with tempfile.TemporaryDirectory(prefix="dispatch-lab-run-") as tmp:
        events = Path(tmp) / "events.jsonl"
        command = [*cli, "run", str(target), "--events", str(events), *args]
        run = GroupProcess(command, cwd=cwd, env=env, name="run")
        try:
            code = run.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired as err:
            raise DispatchLabError(f"dispatch-lab run {path} did not finish within {timeout:g} s") from err
        finally:
            run.stop()  # also ends whatever the run left behind in its process group (workers it started)
        return ScenarioRun(code == 0, code, run.output(), read_events_file(events))
