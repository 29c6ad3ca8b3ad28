"""Memory and CPU time of a running server, its forked workers included, from /proc (Linux)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import psutil

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class Memory:
    """Resident set size now (VmRSS) and its peak so far (VmHWM), in MiB."""

    rss_mb: float
    peak_mb: float


def parse_status(text: str) -> Memory:
    """VmRSS and VmHWM from the text of /proc/<pid>/status (values in kB)."""
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return Memory(rss_mb=fields["VmRSS"], peak_mb=fields["VmHWM"])


def parse_cpu_seconds(text: str, ticks: int = CLOCK_TICKS) -> float:
    """User + system CPU time in seconds from the text of /proc/<pid>/stat."""
    # The command name (field 2) is in parentheses and may hold spaces: split after it.
    rest = text[text.rindex(")") + 2 :].split()
    utime, stime = int(rest[11]), int(rest[12])  # fields 14 and 15 of the whole line
    return (utime + stime) / ticks


def tree(pid: int) -> list[int]:
    """`pid` and every process it forked (a Rasa server with several Sanic workers is a
    parent and its workers), leaving out those that have just ended."""
    try:
        return [pid] + [child.pid for child in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return [pid]


def _each(pid: int, read) -> list:
    figures = []
    for member in tree(pid):
        try:
            figures.append(read(member))
        except (FileNotFoundError, ProcessLookupError):
            if member == pid:
                raise
    return figures


def memory(pid: int) -> Memory:
    """The memory of process `pid` and its workers, added up (shared pages count once per
    process, so this is an upper bound)."""
    parts = _each(pid, lambda member: parse_status(Path(f"/proc/{member}/status").read_text()))
    return Memory(rss_mb=sum(m.rss_mb for m in parts), peak_mb=sum(m.peak_mb for m in parts))


def cpu_seconds(pid: int) -> float:
    """The CPU time process `pid` and its workers have used so far."""
    return sum(
        _each(pid, lambda member: parse_cpu_seconds(Path(f"/proc/{member}/stat").read_text()))
    )
