"""livekit-dispatch-lab for Python: start the lab (a local, explaining fake of livekit-server) from tests.

`DispatchLab` runs it; the pytest plugin (`dispatch_lab.plugin`, loaded through the `pytest11` entry point) gives it
to tests as the `dispatch_lab` fixture.
"""

from .errors import (
    CliNotFoundError,
    ContainerUnavailableError,
    DispatchLabError,
    LabExitedError,
    LabRequestError,
    NodeNotFoundError,
    PortNeverAnsweredError,
    WaitTimeoutError,
)
from .lab import DispatchLab
from .launch import DEFAULT_IMAGE, LabOptions
from .locate import locate_cli
from .scenario import ScenarioRun, ScenarioTrace
from .trace import Job, Trace
from .worker import AgentWorker

__all__ = [
    "DEFAULT_IMAGE",
    "AgentWorker",
    "CliNotFoundError",
    "ContainerUnavailableError",
    "DispatchLab",
    "DispatchLabError",
    "Job",
    "LabExitedError",
    "LabOptions",
    "LabRequestError",
    "NodeNotFoundError",
    "PortNeverAnsweredError",
    "ScenarioRun",
    "ScenarioTrace",
    "Trace",
    "WaitTimeoutError",
    "locate_cli",
]
