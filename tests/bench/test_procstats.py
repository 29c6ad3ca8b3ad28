"""Memory and CPU time from /proc."""

from __future__ import annotations

import os

import pytest

from bench.procstats import cpu_seconds, memory, parse_cpu_seconds, parse_status

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
