"""Rasa's own starter assistant (what `rasa init` creates), for comparison.

Copied from the installed Rasa package (`rasa/cli/initial_project`, the directory
`rasa.cli.scaffold.create_initial_project` copies) without importing Rasa, and not trained:
the benchmark times its training itself. It has no custom actions, an in-memory tracker
store and the plain `rest` channel.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path


def scaffold_source() -> Path:
    """The starter project inside the installed Rasa package."""
    spec = importlib.util.find_spec("rasa")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Rasa is not installed in this environment")
    return Path(next(iter(spec.submodule_search_locations))) / "cli" / "initial_project"


def scaffold(path: Path) -> Path:
    """Create the starter project in `path` (which must not exist yet); return `path`."""
    shutil.copytree(scaffold_source(), path)
    return path


def rasa_bin() -> str:
    """The `rasa` executable of this environment."""
    return str(Path(sys.executable).parent / "rasa")


def server_command(project: Path, model: Path, port: int) -> list[str]:
    """`rasa run` for the starter project: its REST channel and endpoints, like ours."""
    return [
        rasa_bin(),
        "run",
        "--model",
        str(model),
        "--port",
        str(port),
        "--credentials",
        str(project / "credentials.yml"),
        "--endpoints",
        str(project / "endpoints.yml"),
    ]
