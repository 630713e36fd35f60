"""The lab's trace as Python objects: events (dicts, the JSON the lab serves), each job's story, and `explain`.

The folding and the wording follow the CLI's `explain` (scenarios/expect/job-facts.ts and trace-lines.ts) line for
line, so a pytest failure reads exactly like `dispatch-lab explain`; test/python checks the two agree. It is done here
rather than by calling the CLI so that it also works with the container backend, where no Node may be installed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Event = Mapping[str, Any]
_JOB_STEPS = {"job.offered", "job.rejected", "job.assigned", "job.ended", "job.status"}


@dataclass
class Job:
    """One job's whole story, folded from its trace events (`job.created` starts it)."""

    job_id: str
    room: str
    job_type: str
    agent_name: str
    namespace: str
    dispatch_id: str
    participant_identity: str | None = None
    offered_to: list[str] = field(default_factory=list)
    rejected_by: list[str] = field(default_factory=list)
    assigned_to: str | None = None
    agent_identity: str | None = None
    outcome: str | None = None
    reason: str | None = None
    status: str | None = None
    worker_id: str | None = None

    @property
    def ran_normally(self) -> bool:
        """Assigned and did not end badly: the jobs `explain` leaves out."""
        if self.assigned_to is None:
            return False
        return self.outcome is None or (self.outcome in ("completed", "terminated") and self.status == "JS_SUCCESS")

    def describe(self, alias: Callable[[str], str] = lambda w: w) -> str:
        """The job on one line, as `dispatch-lab explain` prints it."""
        who = f" for {self.participant_identity}" if self.participant_identity else ""
        offered = f" offered to {', '.join(map(alias, self.offered_to))}" if self.offered_to else " never offered"
        rejected = f", rejected by {', '.join(map(alias, self.rejected_by))}" if self.rejected_by else ""
        assigned = f", assigned to {alias(self.assigned_to)}" if self.assigned_to else ""
        if self.outcome:
            end = f" → {self.outcome.upper()}{' ' + self.status if self.status else ''}: {self.reason}"
        else:
            end = " → running" if self.assigned_to else " → pending"
        return (
            f'{self.job_id} {self.job_type} room {self.room} agent "{self.agent_name}"{who}:'
            f"{offered}{rejected}{assigned}{end}"
        )


def fold_jobs(events: Iterable[Event]) -> list[Job]:
    """Every job of the events, in creation order; steps of jobs created before the window are ignored."""
    jobs: dict[str, Job] = {}
    for e in events:
        kind = e.get("kind")
        if kind == "job.created":
            jobs[e["jobId"]] = Job(
                job_id=e["jobId"],
                room=e["room"],
                job_type=e["jobType"],
                agent_name=e["agentName"],
                namespace=e.get("namespace", ""),
                dispatch_id=e.get("dispatchId", ""),
                participant_identity=e.get("participantIdentity") or None,
            )
            continue
        if kind not in _JOB_STEPS:
            continue
        job = jobs.get(e["jobId"])
        if job is None:
            continue
        if kind == "job.offered":
            job.offered_to.append(e["workerId"])
        elif kind == "job.rejected":
            job.rejected_by.append(e["workerId"])
        elif kind == "job.assigned":
            job.assigned_to = job.worker_id = e["workerId"]
            job.agent_identity = e.get("participantIdentity")
        elif kind == "job.ended":
            job.outcome, job.reason, job.status = e["outcome"], e.get("reason"), e.get("status")
            if e.get("workerId"):
                job.worker_id = e["workerId"]
    return list(jobs.values())


@dataclass(frozen=True)
class Trace:
    """A window of the lab's trace (events after `since`), with the questions tests ask of it."""

    events: Sequence[Event]

    def of_kind(self, kind: str, **fields: Any) -> list[Event]:
        """Events of one kind whose fields equal the given ones (camelCase, as the lab writes them)."""
        return [e for e in self.events if e.get("kind") == kind and all(e.get(k) == v for k, v in fields.items())]

    def jobs(self) -> list[Job]:
        return fold_jobs(self.events)

    def explain(self, all_jobs: bool = False) -> list[str]:
        """One readable line per job that was dropped, rejected, timed out or failed (every job with `all_jobs`)."""
        return [j.describe() for j in self.jobs() if all_jobs or not j.ran_normally]
