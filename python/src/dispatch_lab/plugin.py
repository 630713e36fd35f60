"""The pytest plugin (entry point `pytest11`): the `dispatch_lab` fixture and its options.

Each setting is read from the command line, then an environment variable, then the ini file, so CI can set it
without touching the project's configuration. A lab that cannot start fails the test with one line (no traceback):
what is missing is the whole story. A failing test that used the lab gets a "dispatch-lab explain" section.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from typing import cast

import pytest

from .errors import DispatchLabError
from .lab import DispatchLab
from .launch import DEFAULT_IMAGE, Backend, LabOptions

FIXTURE = "dispatch_lab"
# name: (env var, default, help)
_SETTINGS: dict[str, tuple[str, str, str]] = {
    "backend": ("DISPATCH_LAB_BACKEND", "cli", "cli (dispatch-lab serve through Node) or container (the mock's image)"),
    "project": ("DISPATCH_LAB_PROJECT", "", "the Node project with livekit-dispatch-lab installed (default: rootdir)"),
    "cli": ("DISPATCH_LAB_CLI", "", "the CLI to run (e.g. path/to/bin/dispatch-lab.js); overrides the project lookup"),
    "image": ("DISPATCH_LAB_IMAGE", DEFAULT_IMAGE, "the container image for --dispatch-lab-backend=container"),
    "timing": ("DISPATCH_LAB_TIMING", "fast", "the mock's timing preset: fast (short waits) or real (livekit-server's)"),
    "scope": ("DISPATCH_LAB_SCOPE", "session", "the fixture's scope: session, package, module, class or function"),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dispatch-lab", "livekit-dispatch-lab (the `dispatch_lab` fixture)")
    for name, (env, default, help_text) in _SETTINGS.items():
        group.addoption(f"--dispatch-lab-{name}", dest=f"dispatch_lab_{name}", default=None, help=f"{help_text}; env {env}")
        parser.addini(f"dispatch_lab_{name}", help_text, default=default)


def _setting(config: pytest.Config, name: str) -> str:
    env, _default, _help = _SETTINGS[name]
    value = config.getoption(f"dispatch_lab_{name}") or os.environ.get(env) or config.getini(f"dispatch_lab_{name}")
    return str(value)


def options_from_config(config: pytest.Config) -> LabOptions:
    backend = _setting(config, "backend")
    if backend not in ("cli", "container"):
        raise pytest.UsageError(f"--dispatch-lab-backend: expected cli or container, got {backend!r}")
    project = _setting(config, "project")
    return LabOptions(
        backend=cast(Backend, backend),
        project_dir=str((config.rootpath / project) if project else config.rootpath),
        cli=_setting(config, "cli") or None,
        image=_setting(config, "image"),
        timing=_setting(config, "timing"),
    )


def _scope(fixture_name: str, config: pytest.Config) -> str:
    scope = _setting(config, "scope")
    if scope not in ("session", "package", "module", "class", "function"):
        raise pytest.UsageError(f"--dispatch-lab-scope: expected session, package, module, class or function, got {scope!r}")
    return scope


@pytest.fixture(scope=_scope)  # type: ignore[arg-type]
def dispatch_lab(request: pytest.FixtureRequest) -> Iterator[DispatchLab]:
    """A running lab: `.ws_url`, `.api_key`, `.api_secret`, `.trace()`, `.explain()`, `.create_dispatch()`, …"""
    lab = DispatchLab(options_from_config(request.config))
    try:
        lab.start()
    except DispatchLabError as err:
        pytest.fail(f"dispatch_lab: {err}", pytrace=False)
    try:
        yield lab
    finally:
        lab.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, None, None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    lab = getattr(item, "funcargs", {}).get(FIXTURE)
    if report.when != "call" or not report.failed or not isinstance(lab, DispatchLab):
        return
    try:
        lines = lab.explain(all_jobs=True)
    except DispatchLabError as err:
        lines = [f"(trace unavailable: {err})"]
    report.sections.append(("dispatch-lab explain", "\n".join(lines) or "no jobs in the trace"))

