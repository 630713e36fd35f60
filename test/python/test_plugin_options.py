"""The plugin as a user's pytest run sees it: a one-line failure when the lab cannot start, and the scope option."""

from __future__ import annotations

import re

import pytest
from conftest import REPO

PORT_TEST = """
def test_a(dispatch_lab):
    print("PORT", dispatch_lab.port)

def test_b(dispatch_lab):
    print("PORT", dispatch_lab.port)
"""


def test_missing_cli_fails_with_one_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_uses_lab(dispatch_lab):\n    pass\n")
    result = pytester.runpytest_subprocess("--dispatch-lab-cli=/nowhere/dispatch-lab.js")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*dispatch_lab: DISPATCH_LAB_CLI / --dispatch-lab-cli points at /nowhere/dispatch-lab.js, which does not exist*"])
    assert "Traceback" not in result.stdout.str()


@pytest.mark.parametrize(("scope", "distinct_ports"), [("session", 1), ("function", 2)])
def test_scope_option(pytester: pytest.Pytester, scope: str, distinct_ports: int) -> None:
    pytester.makepyfile(PORT_TEST)
    result = pytester.runpytest_subprocess(f"--dispatch-lab-project={REPO}", f"--dispatch-lab-scope={scope}", "-s")
    result.assert_outcomes(passed=2)
    ports = set(re.findall(r"PORT (\d+)", result.stdout.str()))
    assert len(ports) == distinct_ports, result.stdout.str()


def test_failing_test_gets_an_explain_section(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        "def test_expects_an_agent(dispatch_lab):\n"
        "    dispatch_lab.create_room('lonely')\n"
        "    dispatch_lab.wait_for('job.assigned', timeout=1)\n"
    )
    result = pytester.runpytest_subprocess(f"--dispatch-lab-project={REPO}")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*expected job.assigned within 1 s; timed out; seen: AJ_* JT_ROOM room lonely agent \"\": never offered*",
        "*- dispatch-lab explain -*",
        "AJ_* JT_ROOM room lonely agent \"\": never offered → DROPPED: no worker for agent \"\" with type JT_ROOM; registered: none",
    ])
