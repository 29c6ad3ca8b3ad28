"""Memory and CPU time of a running process, from /proc (Linux)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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


def memory(pid: int) -> Memory:
    """The memory of process `pid`."""
    return parse_status(Path(f"/proc/{pid}/status").read_text())


def cpu_seconds(pid: int) -> float:
    """The CPU time process `pid` has used so far."""
    return parse_cpu_seconds(Path(f"/proc/{pid}/stat").read_text())
