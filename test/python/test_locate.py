"""Where the plugin finds the CLI: an explicit path, then node_modules/.bin or a checkout, searched upwards."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from dispatch_lab import locate_cli

NODE = shutil.which("node")


def test_installed_package_is_found_from_a_subdirectory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPATCH_LAB_CLI", raising=False)
    shim = tmp_path / "node_modules" / ".bin" / "dispatch-lab"
    shim.parent.mkdir(parents=True)
    shim.symlink_to(REPO / "bin" / "dispatch-lab.js")  # what npm install makes
    (tmp_path / "tests" / "agents").mkdir(parents=True)
    assert locate_cli(tmp_path / "tests" / "agents") == [NODE, str(shim)]


def test_checkout_bin_is_read_from_package_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPATCH_LAB_CLI", raising=False)
    (tmp_path / "dist" / "cli").mkdir(parents=True)
    (tmp_path / "dist" / "cli" / "bin.js").write_text("#!/usr/bin/env node\n")
    pkg = {"name": "livekit-dispatch-lab", "bin": {"dispatch-lab": "./dist/cli/bin.js"}}
    (tmp_path / "package.json").write_text(json.dumps(pkg))
    assert locate_cli(tmp_path) == [NODE, str(tmp_path / "dist" / "cli" / "bin.js")]


def test_explicit_cli_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wrapper = tmp_path / "my-wrapper"
    wrapper.write_text("#!/bin/sh\nexec docker run --rm --network host my/lab \"$@\"\n")
    monkeypatch.setenv("DISPATCH_LAB_CLI", str(wrapper))
    assert locate_cli(REPO) == [str(wrapper)]  # not a Node script: run as it is
