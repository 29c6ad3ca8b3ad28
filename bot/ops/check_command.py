"""`python -m bot check FILE...`: run dialogue checks, print the table, fail below the bar."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import urllib.error
from pathlib import Path

from bot.checks.run import below, failure_report, rest_sender, run_files, table
from bot.checks.spec import CheckFileError, load
from bot.ops.processes import DEFAULT_MODEL, Ports, free_port, start_servers


def _files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        files.extend(sorted(path.rglob("*.yml")) if path.is_dir() else [path])
    return files


def check(paths: list[str], url: str | None, min_pass: float, quiet: bool = False) -> int:
    """Run the check files; 0 when every category/language reaches `min_pass` (0-1)."""
    try:
        checks = [load(path) for path in _files(paths)]
    except CheckFileError as error:
        print(error, file=sys.stderr)
        return 2
    if not checks:
        print("No check files found.", file=sys.stderr)
        return 2
    if url:
        try:
            results = run_files(checks, rest_sender(url))
        except urllib.error.URLError as error:
            print(f"The assistant at {url} did not answer: {error.reason}", file=sys.stderr)
            return 2
    else:
        if not DEFAULT_MODEL.exists():
            print(f"No trained model at {DEFAULT_MODEL}: run `make train` first.", file=sys.stderr)
            return 2
        with tempfile.TemporaryDirectory() as scratch:
            ports = Ports(rasa=free_port(), action=free_port())
            env = {
                "DATABASE_URL": f"sqlite:///{scratch}/enquiries.db",
                "ENQUIRY_SPOOL_DIR": f"{scratch}/spool",
                "RATE_LIMIT_MESSAGES": "0",
            }
            group = start_servers(
                ports, extra_env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            try:
                results = run_files(checks, rest_sender(f"http://localhost:{ports.rasa}"))
            finally:
                group.stop()
    if not quiet:
        report = failure_report(results)
        if report:
            print(report, end="\n\n")
    print(table(results))
    failing = below(results, min_pass)
    if failing:
        print(f"\nUnder {min_pass:.0%}: " + ", ".join(failing))
        return 1
    return 0
