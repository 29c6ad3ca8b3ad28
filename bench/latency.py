"""Single-user latency of the REST endpoint: `python -m bench.latency` (make latency).

Starts the action server and the Rasa server on free ports as `make bench` does (or uses
--url), warms up, then sends the mixed message set sequentially as one user after another
and prints p50 / p95 / max and the mean, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from bench import assistants
from bench.load import percentile
from bench.messages import MESSAGES
from bot.ops.processes import DEFAULT_MODEL


def send(url: str, sender: str, message: str) -> float:
    """POST one message; return the seconds until the full answer arrived."""
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        url + assistants.WEBHOOK_PATH, data=body, headers={"Content-Type": "application/json"}
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return time.perf_counter() - start


def measure(url: str, rounds: int) -> list[float]:
    """Latencies of `rounds` passes over the message set, one new user per pass."""
    for message in MESSAGES[:4]:  # warm-up: first calls load lazily
        send(url, "warm-up", message)
    timings = []
    for _ in range(rounds):
        sender = f"bench-{uuid.uuid4().hex[:8]}"
        timings += [send(url, sender, message) for message in MESSAGES]
    return timings


def report(timings: list[float]) -> None:
    """Print the figures."""
    ms = [t * 1000 for t in timings]
    p50, p95, mean = percentile(ms, 50), percentile(ms, 95), statistics.mean(ms)
    print(f"REST single-user latency over {len(ms)} messages (mixed ja/en):")
    print(f"  p50 {p50:.0f} ms   p95 {p95:.0f} ms   max {max(ms):.0f} ms   mean {mean:.0f} ms")


def main() -> None:
    """Run the measurement against a running server or servers started here."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="a running Rasa server, e.g. http://localhost:5005")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.url:
        report(measure(args.url, args.rounds))
        return
    with tempfile.TemporaryDirectory(prefix="latency-") as tmp:
        workdir = Path(tmp)
        with assistants.ours(DEFAULT_MODEL, workdir, workdir / "servers.log") as running:
            report(measure(running.base_url, args.rounds))


if __name__ == "__main__":
    main()
