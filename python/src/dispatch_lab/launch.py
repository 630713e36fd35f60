"""Starting the mock: through the CLI (`dispatch-lab serve`) or the mock's container image, on a free port.

The port is chosen here and passed explicitly (rather than `--port 0` and reading the ready line), so the plugin does
not depend on the wording of the CLI's output; readiness is `GET /` answering 200, as for livekit-server.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Literal

from .errors import ContainerUnavailableError, LabExitedError, PortNeverAnsweredError
from .locate import locate_cli
from .process import GroupProcess

Backend = Literal["cli", "container"]
DEFAULT_IMAGE = "dispatch-lab/mock"
_PORT_TAKEN = ("EADDRINUSE", "address already in use")


@dataclass(frozen=True)
class LabOptions:
    """How to start the lab. Defaults match `livekit-server --dev` keys and the CLI's `run` timing (fast)."""

    backend: Backend = "cli"
    project_dir: str | None = None
    cli: str | None = None
    image: str = DEFAULT_IMAGE
    timing: str = "fast"
    api_key: str = "devkey"
    api_secret: str = "secret"
    host: str = "127.0.0.1"
    start_timeout: float = 60.0
    extra_args: tuple[str, ...] = field(default=())


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def answers(url: str, timeout: float = 1.0) -> bool:
    """True once `GET url` returns 200."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as res:
            return int(res.status) == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _serve_args(opts: LabOptions, port: int) -> list[str]:
    keys = f"{opts.api_key}:{opts.api_secret}"
    return ["serve", "--host", opts.host, "--port", str(port), "--keys", keys, "--timing", opts.timing, *opts.extra_args]


def _docker() -> str:
    docker = shutil.which("docker")
    if not docker:
        raise ContainerUnavailableError("docker not found on PATH: the container backend runs the lab's image with docker")
    return docker


def _check_image(docker: str, image: str) -> None:
    probe = subprocess.run([docker, "image", "inspect", image], capture_output=True, text=True, timeout=30)
    if probe.returncode == 0:
        return
    detail = (probe.stderr or probe.stdout).strip()
    # "Error response from daemon: No such image" also names the daemon: the image test comes first
    if "no such image" not in detail.lower():
        first = detail.splitlines()[0] if detail else f"docker image inspect exited with {probe.returncode}"
        raise ContainerUnavailableError(f"the Docker daemon is not reachable ({first}); is DOCKER_HOST set?")
    raise ContainerUnavailableError(
        f"image {image} not found: build the mock's image from the repo's Dockerfile (docker build -t {image} .), "
        "or name another with --dispatch-lab-image / DISPATCH_LAB_IMAGE"
    )


@dataclass
class StartedLab:
    """A running lab process (or the `docker run` attached to its container) and the port it answers on."""

    process: GroupProcess
    port: int
    container: str | None = None

    def stop(self) -> None:
        if self.container:
            # `docker run` only proxies signals; removing the container is what really stops it
            docker = self.process.command[0]
            subprocess.run([docker, "rm", "-f", self.container], capture_output=True, timeout=60, check=False)
        self.process.stop()


def _command(opts: LabOptions, port: int) -> tuple[list[str], str | None, str | None]:
    """The command to run, its working directory and the container name (container backend)."""
    if opts.backend == "container":
        docker = _docker()
        _check_image(docker, opts.image)
        name = f"dispatch-lab-{os.getpid()}-{port}"
        return [docker, "run", "--rm", "--name", name, "--network", "host", opts.image, *_serve_args(opts, port)], None, name
    cli = locate_cli(opts.project_dir, opts.cli)
    return [*cli, *_serve_args(opts, port)], opts.project_dir, None


def start_lab(opts: LabOptions, attempts: int = 3) -> StartedLab:
    """Starts the lab and waits for `GET /` 200; a port taken between choosing and binding it is retried."""
    for attempt in range(attempts):
        port = free_port(opts.host)
        command, cwd, container = _command(opts, port)
        lab = StartedLab(GroupProcess(command, cwd=cwd, name="serve"), port, container)
        try:
            _wait_ready(lab, opts)
            return lab
        except LabExitedError as err:
            lab.stop()
            if attempt + 1 == attempts or not any(s in str(err) for s in _PORT_TAKEN):
                raise
        except BaseException:
            lab.stop()
            raise
    raise AssertionError("unreachable")


def _wait_ready(lab: StartedLab, opts: LabOptions) -> None:
    url = f"http://{opts.host}:{lab.port}/"
    deadline = time.monotonic() + opts.start_timeout
    while time.monotonic() < deadline:
        if answers(url):
            return
        code = lab.process.exited()
        if code is not None:
            raise LabExitedError(f"dispatch-lab serve exited with code {code} before answering: {lab.process.last_line()}")
        time.sleep(0.05)
    raise PortNeverAnsweredError(
        f"dispatch-lab serve never answered GET {url} within {opts.start_timeout:g} s "
        f"(last output: {lab.process.last_line()})"
    )
