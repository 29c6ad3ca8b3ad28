"""`python -m bench` (make bench): our assistant against Rasa's starter assistant.

Training time (from scratch), start-up time, and REST latency, throughput, errors and
memory under closed-loop load at several numbers of concurrent users. Both assistants are
served the same way (`rasa run`, REST channel, free ports, telemetry off), one at a time.
Our served model is then scored on the held-out NLU sets and the conversation sets, so a
faster setting that loses answers shows beside its speed.
Prints a Markdown report, writes it and JSON to --out, and checks our targets; exits 0
whatever the figures (non-zero only when something crashed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from bench import assistants, quality, report, retrain, template, training
from bench.load import LoadSpec, run_level
from bench.messages import MESSAGES
from bot.ops.processes import DEFAULT_MODEL, PROJECT_ROOT
from bot.ops.serve import default_workers

ASSISTANTS = ("template", "ours")  # the order they are served in


def levels(text: str) -> list[int]:
    """Comma-separated numbers of concurrent users, e.g. "1,8,16,32"."""
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not values or any(value < 1 for value in values):
        raise argparse.ArgumentTypeError(f"need numbers of users >= 1: {text!r}")
    return values


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--assistant", choices=("ours", "template", "both"), default="both")
    parser.add_argument("--levels", type=levels, default=[1, 8, 16, 32], help="default 1,8,16,32")
    parser.add_argument(
        "--duration", type=float, default=30.0, help="measured seconds per level (30)"
    )
    parser.add_argument(
        "--warmup", type=int, default=2, help="uncounted messages per user before a level (2)"
    )
    parser.add_argument(
        "--skip-training",
        action="store_true",
        help=f"use {DEFAULT_MODEL.relative_to(PROJECT_ROOT)} instead of training ours (~6 min); "
        "the template is still trained, untimed",
    )
    parser.add_argument(
        "--skip-quality",
        action="store_true",
        help="do not score our model on the held-out NLU sets and the conversation sets "
        "(about 4 minutes)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(default_workers()),
        help="Sanic workers of our Rasa server (RASA_WORKERS; > 1 starts a private Redis); "
        "default as `make run` serves: one per core, at most 4, 1 without redis-server. With "
        "more than one, ours is measured with one worker too at 16 users and more",
    )
    parser.add_argument(
        "--training-rounds",
        type=int,
        default=2,
        help="paired trainings from scratch (ours, then the template); the report gives each "
        "side's median (2)",
    )
    parser.add_argument(
        "--retrain-rounds",
        type=int,
        default=3,
        help="after training ours from scratch, time this many fine-tunes after one NLU "
        "example is added (`make train`); the last one's model is served and scored (3)",
    )
    parser.add_argument(
        "--sample-every",
        type=float,
        default=60.0,
        help="seconds between memory samples during a level (60); a level of 600 s or more "
        "at 16 users shows whether memory grows",
    )
    parser.add_argument(
        "--training-only",
        type=int,
        metavar="ROUNDS",
        help="only time training from scratch: ours, then the template, ROUNDS times",
    )
    parser.add_argument(
        "--retrain-only",
        type=int,
        metavar="ROUNDS",
        help="only time `make train` after one NLU example is added (a fine-tune), ROUNDS "
        "times, and score the fine-tuned model (NLU gates, conversation sets)",
    )
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "bench")
    return parser.parse_args(argv)


def log(message: str) -> None:
    """Progress, on stderr (the report goes to stdout)."""
    print(message, file=sys.stderr, flush=True)


class MemorySampler:
    """Samples the servers' RSS every `every` seconds in a thread while a level runs, and
    once more when it ends."""

    def __init__(self, running: assistants.Running, every: float) -> None:
        self.running, self.every = running, every
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = 0.0

    def _sample(self) -> None:
        rasa, action = self.running.memory()
        total = rasa.rss_mb + (action.rss_mb if action else 0.0)
        self.samples.append((round(time.monotonic() - self._started, 1), round(total, 1)))

    def _run(self) -> None:
        while True:
            self._sample()
            if self._stop.wait(self.every):
                return

    def start(self) -> None:
        """Take the first sample now and go on in the background."""
        self._started = time.monotonic()
        self._thread.start()

    def stop(self) -> list[tuple[float, float]]:
        """Stop sampling; take the last sample; return them all."""
        if self._thread.is_alive():
            self._stop.set()
            self._thread.join()
            self._sample()
        return self.samples


def measure(
    server: AbstractContextManager[assistants.Running],
    model: Path,
    training_seconds: float | None,
    args: argparse.Namespace,
) -> report.AssistantFigures:
    """Start one assistant, put each load level on it, stop it."""
    with server as running:
        log(f"{running.name}: up in {running.startup_seconds:.1f} s")
        rasa, action = running.memory()
        figures = report.AssistantFigures(
            running.name,
            training_seconds,
            running.startup_seconds,
            rasa.rss_mb,
            action.rss_mb if action else None,
            model.stat().st_size / 2**20,
        )
        flagged = assistants.apology_texts() if running.name == "ours" else ()
        for users in args.levels:
            spec = LoadSpec(
                url=running.webhook,
                users=users,
                duration=args.duration,
                messages=MESSAGES,
                warmup=args.warmup,
                empty_is_error=running.name == "ours",
                flagged_texts=flagged,
                sender_prefix=f"bench-{users}",
            )
            cpu_at_start: list[float] = []
            sampler = MemorySampler(running, args.sample_every)

            def window_starts(mark=cpu_at_start, sampler=sampler) -> None:
                mark.append(running.cpu_seconds())
                sampler.start()

            result = asyncio.run(run_level(spec, window_starts))
            samples = sampler.stop()
            running.check_alive()
            rasa, action = running.memory()
            level = report.LevelFigures.from_result(
                result, rasa, action, running.cpu_seconds() - cpu_at_start[0]
            )
            level.memory_samples = samples
            figures.levels.append(level)
            log(
                f"{running.name}: {users} users: {level.requests} requests, "
                f"p50 {level.p50_ms or 0:.0f} ms, {level.messages_per_second:.1f} msg/s, "
                f"{level.errors} errors, {level.empty_answers} empty"
            )
        if running.name == "ours" and not args.skip_quality:
            log("ours: held-out NLU sets and conversation sets ...")
            figures.quality = quality.measure(model, running.base_url, args.out / "quality")
            log(
                f"ours: {figures.quality.conversations_passed} / "
                f"{figures.quality.conversations_total} conversations passed"
            )
    return figures


def run(args: argparse.Namespace, workdir: Path) -> list[report.AssistantFigures]:
    """Train (or not), then serve and measure each chosen assistant in turn."""
    chosen = [name for name in ASSISTANTS if args.assistant in (name, "both")]
    logs = args.out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    models = workdir / "models"
    trained: dict[str, tuple[Path, float | None]] = {}
    retrain_seconds: list[float] = []
    training_rounds: dict[str, list[float]] = {}
    if "ours" in chosen:
        if args.skip_training:
            trained["ours"] = (DEFAULT_MODEL, None)
        else:
            # As `make train` on a fresh clone: from scratch with an empty cache, recording
            # what it trained from, so that the next `make train` can fine-tune.
            log("ours: training from scratch (about 1 to 2 minutes) ...")
            project = retrain.scratch_project(workdir)
            seconds, _ = retrain.train(project, logs / "train-ours.log")
            trained["ours"] = (project / "models" / "iclei.tar.gz", seconds)
            log(f"ours: trained in {seconds:.0f} s")
            if args.retrain_rounds:
                log(f"ours: {args.retrain_rounds} fine-tunes after one NLU example ...")
                retrain_seconds = retrain.fine_tunes(project, args.retrain_rounds, logs)
                log("ours: retrained in " + ", ".join(f"{t:.1f} s" for t in retrain_seconds))
    if "template" in chosen:
        project = template.scaffold(workdir / "template")
        log("template: training ...")
        model, seconds = training.train(project, "template", models, logs / "train-template.log")
        trained["template"] = (model, None if args.skip_training else seconds)
        log(
            f"template: trained in {seconds:.0f} s"
            + (" (not reported)" if args.skip_training else "")
        )
        if "ours" in chosen and not args.skip_training and args.training_rounds > 1:
            # One training each varies by 10 s on a shared machine: more paired rounds (ours,
            # then the template, each from an empty cache), and each side's median.
            mine, theirs = [trained["ours"][1] or 0.0], [seconds]
            pairs = training.compare(
                args.training_rounds - 1, PROJECT_ROOT, project, workdir / "rounds", logs
            )
            mine += [a for a, _ in pairs]
            theirs += [b for _, b in pairs]
            log(
                "training rounds, ours / template: "
                + ", ".join(f"{a:.0f} / {b:.0f} s" for a, b in zip(mine, theirs, strict=True))
            )
            trained["ours"] = (trained["ours"][0], statistics.median(mine))
            trained["template"] = (model, statistics.median(theirs))
            training_rounds = {"ours": mine, "template": theirs}
    results = []
    for name in chosen:
        model, seconds = trained[name]
        server_log = logs / f"serve-{name}.log"
        server_log.unlink(missing_ok=True)
        if name == "ours":
            server = assistants.ours(model, workdir, server_log, args.workers)
        else:
            server = assistants.starter(workdir / "template", model, server_log)
        log(f"{name}: starting ...")
        figures = measure(server, model, seconds, args)
        figures.training_rounds = training_rounds.get(name, [])
        if name == "ours":
            figures.workers, figures.retrain_seconds = args.workers, retrain_seconds
        results.append(figures)
    heavy = [users for users in args.levels if users >= report.THROUGHPUT_USERS]
    if "ours" in chosen and args.workers > 1 and heavy:
        # The gain of the extra workers: the same model served by one, at the heavy levels.
        model = trained["ours"][0]
        server_log = logs / "serve-ours-1-worker.log"
        server_log.unlink(missing_ok=True)
        log("ours, one worker: starting ...")
        one = argparse.Namespace(**{**vars(args), "levels": heavy, "skip_quality": True})
        figures = measure(assistants.ours(model, workdir, server_log, 1), model, None, one)
        figures.name = report.ONE_WORKER
        results.append(figures)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; print and write the report."""
    args = parse_args(argv)
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    args.out.mkdir(parents=True, exist_ok=True)
    load_average = os.getloadavg()[0]
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    if args.retrain_only:
        try:
            text = retrain.measure(args.retrain_only, workdir, args.out)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        print(f"Retraining after an NLU change, {started}, load average {load_average:.2f}")
        print(text)
        (args.out / "retrain.md").write_text(text + "\n")
        return 0
    if args.training_only:
        try:
            project = template.scaffold(workdir / "template")
            pairs = training.compare(
                args.training_only, PROJECT_ROOT, project, workdir / "models", args.out / "logs"
            )
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        print(f"Training from scratch, {started}, load average {load_average:.2f} at the start")
        print(training.comparison_table(pairs))
        return 0
    try:
        figures = run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    by_name = {f.name: f for f in figures}
    items = report.targets(
        by_name.get("ours"), by_name.get("template"), by_name.get(report.ONE_WORKER)
    )
    note_lines = report.notes(figures, args.duration, args.warmup)
    note_lines.append(
        f"Machine: {os.cpu_count()} CPUs, load average {load_average:.2f} at the start "
        f"(shared machines make the figures noisy); started {started}."
    )
    text = report.markdown(figures, items, note_lines)
    settings = {
        "levels": args.levels,
        "duration_seconds": args.duration,
        "warmup_messages_per_user": args.warmup,
        "skip_training": args.skip_training,
        "skip_quality": args.skip_quality,
        "workers": args.workers,
        "retrain_rounds": 0 if args.skip_training else args.retrain_rounds,
        "training_rounds": 0 if args.skip_training else args.training_rounds,
        "messages": list(MESSAGES),
        "cpus": os.cpu_count(),
        "load_average_at_start": load_average,
        "started": started,
    }
    (args.out / "bench.md").write_text(text)
    (args.out / "bench.json").write_text(
        json.dumps(
            report.to_json(figures, items, note_lines, settings), indent=2, ensure_ascii=False
        )
        + "\n"
    )
    print(text)
    print(f"Written to {args.out / 'bench.md'} and {args.out / 'bench.json'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
