"""Typed one-line errors: a test run that cannot start the lab should say what is missing, not print a stack trace.

Every error carries a stable `code` (like the lab's own LabError codes) so callers can branch on it.
"""

from __future__ import annotations


class DispatchLabError(Exception):
    """Base class; `str(err)` is one line that names what is missing and how to get it."""

    code = "dispatch_lab_error"

    def __init__(self, message: str) -> None:
        # one line: multi-line output (a process's log) is squeezed so pytest shows it as a single failure line
        super().__init__(" ".join(message.split()))


class NodeNotFoundError(DispatchLabError):
    code = "node_not_found"


class CliNotFoundError(DispatchLabError):
    code = "cli_not_found"


class ContainerUnavailableError(DispatchLabError):
    code = "container_unavailable"


class LabExitedError(DispatchLabError):
    code = "lab_exited"


class PortNeverAnsweredError(DispatchLabError):
    code = "port_never_answered"


class LabRequestError(DispatchLabError):
    code = "lab_request_failed"


class WaitTimeoutError(DispatchLabError, AssertionError):
    """An awaited trace event never came; an AssertionError too, so pytest reports it as a test failure."""

    code = "wait_timeout"
