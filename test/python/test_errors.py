"""What a user sees when the lab cannot start: one line naming what is missing, and no process left behind."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

from dispatch_lab import (
    CliNotFoundError,
    ContainerUnavailableError,
    DispatchLab,
    DispatchLabError,
    LabExitedError,
    NodeNotFoundError,
    PortNeverAnsweredError,
)


def _script(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "fake-cli"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def _one_line(err: DispatchLabError) -> str:
    text = str(err)
    assert "\n" not in text and text
    return text


def test_node_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no node on it
    monkeypatch.delenv("DISPATCH_LAB_NODE", raising=False)
    with pytest.raises(NodeNotFoundError) as err:
        DispatchLab(project_dir=str(REPO)).start()
    assert _one_line(err.value).startswith("Node.js not found on PATH")
    assert err.value.code == "node_not_found"


def test_cli_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DISPATCH_LAB_CLI", raising=False)
    monkeypatch.setenv("PATH", os.path.dirname(shutil.which("node") or "/usr/bin"))
    project = tmp_path / "my-agent-project"
    project.mkdir()
    with pytest.raises(CliNotFoundError) as err:
        DispatchLab(project_dir=str(project)).start()
    assert _one_line(err.value).startswith(f"livekit-dispatch-lab's CLI not found from {project}: run `npm install")


def test_cli_path_missing(tmp_path: Path) -> None:
    with pytest.raises(CliNotFoundError) as err:
        DispatchLab(cli=str(tmp_path / "nope.js")).start()
    assert "nope.js, which does not exist" in _one_line(err.value)


def test_port_never_answers_and_the_process_group_is_stopped(tmp_path: Path) -> None:
    pidfile = tmp_path / "pids"
    # a "CLI" that starts a child and never listens: both must be gone after the failure
    cli = _script(tmp_path, f"sleep 300 & echo $! > {pidfile}; echo still starting; wait")
    with pytest.raises(PortNeverAnsweredError) as err:
        DispatchLab(cli=str(cli), start_timeout=1.0).start()
    text = _one_line(err.value)
    assert "never answered GET http://127.0.0.1:" in text and "within 1 s (last output: still starting)" in text
    child = int(pidfile.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


def test_lab_exits_early(tmp_path: Path) -> None:
    cli = _script(tmp_path, "echo 'serve: --keys: expected key:secret pairs' >&2; exit 3")
    with pytest.raises(LabExitedError) as err:
        DispatchLab(cli=str(cli)).start()
    assert _one_line(err.value) == (
        "dispatch-lab serve exited with code 3 before answering: serve: --keys: expected key:secret pairs"
    )


def _docker_state(image: str) -> str:
    docker = shutil.which("docker")
    if not docker:
        return "no docker"
    if subprocess.run([docker, "version", "--format", "{{.Server.Version}}"], capture_output=True, timeout=30).returncode:
        return "no daemon"
    if subprocess.run([docker, "image", "inspect", image], capture_output=True, timeout=30).returncode:
        return "no image"
    return "ready"


def test_container_backend() -> None:
    """With the image built, the lab runs from it; without Docker, its daemon or the image, the error says which."""
    image = os.environ.get("DISPATCH_LAB_IMAGE", "dispatch-lab/mock")
    lab = DispatchLab(backend="container", image=image)
    state = _docker_state(image)
    if state == "ready":
        with lab:
            assert lab.create_room("in-container").name == "in-container"
            assert lab.trace().of_kind("room.created", room="in-container")
        return
    with pytest.raises(ContainerUnavailableError) as err:
        lab.start()
    expected = {
        "no docker": "docker not found on PATH",
        "no daemon": "the Docker daemon is not reachable (",
        "no image": f"image {image} not found: build the mock's image",
    }[state]
    assert _one_line(err.value).startswith(expected), (state, str(err.value))
