"""Child processes in their own process group, with their output in a file.

A process group, because the CLI's `node` may start children (and a Python worker forks job processes): stopping
only the leader would leave them holding ports. Output goes to a file, not a pipe, so a chatty child can never block
on a full pipe nobody reads, and an error can quote its last line.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


class GroupProcess:
    """A started command; `stop()` ends its whole process group (SIGTERM, then SIGKILL after `grace` seconds)."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        cwd: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        name: str = "process",
    ) -> None:
        self.command = list(command)
        fd, log = tempfile.mkstemp(prefix=f"dispatch-lab-{name}-", suffix=".log")
        self.log_path = Path(log)
        self._final_output: str | None = None
        with os.fdopen(fd, "wb") as out:
            self.popen = subprocess.Popen(
                self.command,
                cwd=cwd,
                env=dict(env) if env is not None else None,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def exited(self) -> int | None:
        """The exit code once the leader has exited, else None."""
        return self.popen.poll()

    def output(self) -> str:
        """Everything it printed so far (kept after `stop()`, when the file is gone)."""
        if self._final_output is not None:
            return self._final_output
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def last_line(self) -> str:
        lines = [line for line in self.output().splitlines() if line.strip()]
        return lines[-1].strip() if lines else "(no output)"

    def _signal_group(self, sig: signal.Signals) -> bool:
        try:
            os.killpg(self.popen.pid, sig)
            return True
        except ProcessLookupError:
            return False

    def _group_alive(self) -> bool:
        try:
            os.killpg(self.popen.pid, 0)
            return True
        except ProcessLookupError:
            return False
        except PermissionError:
            return True

    def stop(self, grace: float = 5.0) -> int | None:
        """Ends the group; returns the leader's exit code. Safe to call twice."""
        self._signal_group(signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            self.popen.poll()
            if not self._group_alive():
                break
            time.sleep(0.05)
        else:
            self._signal_group(signal.SIGKILL)
        try:
            return self.popen.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            return None
        finally:
            if self._final_output is None:
                self._final_output = self.output()
                self.log_path.unlink(missing_ok=True)
