"""Finds the lab's CLI the way `npx dispatch-lab` would, without npx.

npx costs a few hundred milliseconds per call and, when the package is missing, may try the registry; the plugin
only ever runs a CLI that is already installed. Order: an explicit path (option or DISPATCH_LAB_CLI), then from the
project directory upwards `node_modules/.bin/dispatch-lab` or a livekit-dispatch-lab checkout (its package.json
`bin`, so a compiled or a tsx bin both work), then `dispatch-lab` on PATH.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from .errors import CliNotFoundError, NodeNotFoundError

PACKAGE_NAME = "livekit-dispatch-lab"
BIN_NAME = "dispatch-lab"
_JS_SUFFIXES = (".js", ".mjs", ".cjs")


def node_executable() -> str:
    """The `node` on PATH (or $DISPATCH_LAB_NODE); the CLI needs Node >= 20."""
    node = os.environ.get("DISPATCH_LAB_NODE") or shutil.which("node")
    if not node or not Path(node).exists():
        raise NodeNotFoundError(
            "Node.js not found on PATH: livekit-dispatch-lab's CLI needs Node >= 20 (https://nodejs.org), "
            "or run the lab's container image (--dispatch-lab-backend=container)"
        )
    return node


def _runs_on_node(path: Path) -> bool:
    if path.suffix in _JS_SUFFIXES:
        return True
    try:
        with path.open("rb") as f:
            return b"node" in f.readline()
    except OSError:
        return False


def _command_for(path: Path) -> list[str]:
    """JS files run with an explicit `node`, so a missing Node is reported as such and not as a failed exec."""
    if _runs_on_node(path):
        return [node_executable(), str(path)]
    return [str(path)]


def _checkout_bin(directory: Path) -> Path | None:
    """The `bin` of a livekit-dispatch-lab checkout in `directory`, read from its package.json."""
    manifest = directory / "package.json"
    if not manifest.is_file():
        return None
    try:
        pkg = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(pkg, dict) or pkg.get("name") != PACKAGE_NAME:
        return None
    bins = pkg.get("bin")
    rel = bins if isinstance(bins, str) else bins.get(BIN_NAME) if isinstance(bins, dict) else None
    if not isinstance(rel, str):
        return None
    path = directory / rel
    return path if path.is_file() else None


def locate_cli(project_dir: str | os.PathLike[str] | None = None, cli: str | None = None) -> list[str]:
    """The command prefix that runs the CLI (`[node, .../dispatch-lab.js]` or `[.../dispatch-lab]`)."""
    explicit = cli or os.environ.get("DISPATCH_LAB_CLI")
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise CliNotFoundError(f"DISPATCH_LAB_CLI / --dispatch-lab-cli points at {explicit}, which does not exist")
        return _command_for(path.resolve())
    start = Path(project_dir or os.environ.get("DISPATCH_LAB_PROJECT") or os.getcwd()).resolve()
    for directory in (start, *start.parents):
        shim = directory / "node_modules" / ".bin" / BIN_NAME
        if shim.is_file():
            return _command_for(shim)
        checkout = _checkout_bin(directory)
        if checkout:
            return _command_for(checkout)
    on_path = shutil.which(BIN_NAME)
    if on_path:
        return _command_for(Path(on_path))
    raise CliNotFoundError(
        f"livekit-dispatch-lab's CLI not found from {start}: run `npm install --save-dev {PACKAGE_NAME}` in your "
        "project, or point DISPATCH_LAB_PROJECT at that project (DISPATCH_LAB_CLI at bin/dispatch-lab.js)"
    )
