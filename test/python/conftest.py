"""Shared helpers for the plugin's own tests (the plugin itself is loaded through its pytest11 entry point)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AGENTS = Path(__file__).resolve().parent / "agents"
MINIMAL_AGENT = AGENTS / "minimal_agent.py"


def eventually(check: Callable[[], bool], reason: Callable[[], str], timeout: float = 30.0) -> None:
    """Polls `check` until it holds; fails with `reason()` (what was seen) when it never does."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() >= deadline:
            raise AssertionError(f"not true within {timeout:g} s: {reason()}")
        time.sleep(0.05)
