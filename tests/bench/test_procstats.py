"""Memory and CPU time from /proc."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.procstats import cpu_seconds, memory, parse_cpu_seconds, parse_status, tree

STATUS = """Name:\tpython
VmPeak:\t 3060000 kB
VmHWM:\t 1536000 kB
VmRSS:\t 1024000 kB
RssAnon:\t 112 kB
"""

STAT = "4242 (rasa run (x)) S 1 4242 4242 0 -1 4194304 101 0 0 0 250 50 0 0 20 0 9 0 1895147"


def test_parse_status_reads_rss_and_its_peak_in_mib() -> None:
    figures = parse_status(STATUS)
    assert figures.rss_mb == 1000.0
    assert figures.peak_mb == 1500.0


def test_parse_cpu_seconds_adds_user_and_system_time() -> None:
    assert parse_cpu_seconds(STAT, ticks=100) == pytest.approx(3.0)


def test_this_process() -> None:
    figures = memory(os.getpid())
    assert 0 < figures.rss_mb <= figures.peak_mb
    assert cpu_seconds(os.getpid()) > 0


def test_a_server_with_workers_counts_them_too() -> None:
    # A parent and two forked "workers", each holding 64 MiB that the parent does not.
    script = (
        "import os, sys, time\n"
        "for _ in range(2):\n"
        "    if os.fork() == 0:\n"
        "        ballast = b'x' * (64 * 2**20); os.write(1, b'up\\n'); time.sleep(30)\n"
        "        os._exit(0)\n"
        "time.sleep(30)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert [process.stdout.readline().strip() for _ in range(2)] == ["up", "up"]
        assert len(tree(process.pid)) == 3
        own = parse_status(Path(f"/proc/{process.pid}/status").read_text())
        assert memory(process.pid).rss_mb >= own.rss_mb + 2 * 64
    finally:
        process.kill()
        process.wait()
