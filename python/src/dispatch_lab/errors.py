"""Typed one-line errors: a test run that cannot start the lab should say what is missing, not print a stack trace.

Every error carries a stable `code` (like the lab's own LabError codes) so callers can branch on it; a subclass
names its code in its class line (`class X(DispatchLabError, code="x")`), so each error below is its name, its
code and when it is raised.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DispatchLabError(Exception):
    """Base class; `str(err)` is one line that names what is missing and how to get it."""

    code: ClassVar[str] = "dispatch_lab_error"

    def __init_subclass__(cls, *, code: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code = code

    def __init__(self, message: str) -> None:
        # one line: multi-line output (a process's log) is squeezed so pytest shows it as a single failure line
        super().__init__(" ".join(message.split()))


class NodeNotFoundError(DispatchLabError, code="node_not_found"):
    """No Node.js on PATH (nor at $DISPATCH_LAB_NODE) to run the CLI with."""


class CliNotFoundError(DispatchLabError, code="cli_not_found"):
    """The lab's CLI is neither installed in the project (node_modules/.bin), nor a checkout, nor on PATH; or
    DISPATCH_LAB_CLI / --dispatch-lab-cli names a file that does not exist."""


class ContainerUnavailableError(DispatchLabError, code="container_unavailable"):
    """The container backend cannot run: no docker, no daemon, or no image."""


class LabExitedError(DispatchLabError, code="lab_exited"):
    """`dispatch-lab serve` exited before it answered on its port; the message carries its last output line."""


class PortNeverAnsweredError(DispatchLabError, code="port_never_answered"):
    """`dispatch-lab serve` kept running but did not answer HTTP on its port within the start timeout."""


class LabRequestError(DispatchLabError, code="lab_request_failed"):
    """A request to the running lab's HTTP API failed or was refused."""


class WaitTimeoutError(DispatchLabError, AssertionError, code="wait_timeout"):
    """An awaited trace event never came; an AssertionError too, so pytest reports it as a test failure."""
