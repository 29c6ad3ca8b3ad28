"""The benchmark's figures: per level and assistant, the targets, a Markdown table and JSON."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from bench.load import LevelResult
from bench.procstats import Memory
from bench.quality import MIN_CONVERSATION_PASS, Quality
from bot.ops.nlu_evaluation import MIN_ENTITY_F1, MIN_INTENT_F1

# Ours served by one Sanic worker, beside the served default (bench/__main__.py).
ONE_WORKER = "ours-1-worker"
NAMES = {
    "ours": "ICLEI assistant (ours)",
    "template": "Rasa starter (`rasa init`)",
    ONE_WORKER: "ours, one worker",
}
THROUGHPUT_USERS = 16
# Issue 11's targets: 1.5x the template's throughput at 16 users with a p99 no worse, a
# single-user p50 no worse, training from scratch no slower, an NLU change retrained in
# under 30 s.
THROUGHPUT_TARGET = 1.5
P50_TARGET = 1.0
RETRAIN_TARGET_SECONDS = 30.0
MEMORY_GROWTH_TARGET_MB = 100.0
MEMORY_GROWTH_MIN_SECONDS = 300.0  # shorter levels say little about a leak


@dataclass
class LevelFigures:
    """One load level of one assistant."""

    users: int
    requests: int
    answered: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    messages_per_second: float
    errors: int
    empty_answers: int
    rasa_rss_mb: float
    rasa_peak_mb: float
    action_rss_mb: float | None = None
    action_peak_mb: float | None = None
    cpu_ms_per_message: float | None = None
    error_reasons: dict[str, int] = field(default_factory=dict)
    empty_messages: dict[str, int] = field(default_factory=dict)
    # (seconds into the level, Rasa + action server RSS in MB), sampled while it ran
    memory_samples: list[tuple[float, float]] = field(default_factory=list)

    @property
    def memory_growth_mb(self) -> float | None:
        """RSS at the last sample minus RSS at the first (None with fewer than two)."""
        if len(self.memory_samples) < 2:
            return None
        return self.memory_samples[-1][1] - self.memory_samples[0][1]

    @classmethod
    def from_result(
        cls,
        result: LevelResult,
        rasa: Memory,
        action: Memory | None = None,
        cpu_seconds: float | None = None,
    ) -> LevelFigures:
        """The figures of a measured level, with the servers' memory after it and the CPU
        time they used during it."""
        return cls(
            users=result.users,
            requests=result.requests,
            answered=result.answered,
            p50_ms=result.latency(50),
            p95_ms=result.latency(95),
            p99_ms=result.latency(99),
            messages_per_second=result.messages_per_second,
            errors=result.errors,
            empty_answers=result.empty,
            rasa_rss_mb=rasa.rss_mb,
            rasa_peak_mb=rasa.peak_mb,
            action_rss_mb=action.rss_mb if action else None,
            action_peak_mb=action.peak_mb if action else None,
            cpu_ms_per_message=(
                cpu_seconds * 1000 / result.answered
                if cpu_seconds is not None and result.answered
                else None
            ),
            error_reasons=dict(result.error_reasons),
            empty_messages=dict(result.empty_messages),
        )


@dataclass
class AssistantFigures:
    """Everything measured for one assistant."""

    name: str
    training_seconds: float | None  # None: not measured (--skip-training)
    startup_seconds: float
    idle_rasa_mb: float  # RSS after start-up, before any load
    idle_action_mb: float | None = None
    model_mb: float | None = None
    levels: list[LevelFigures] = field(default_factory=list)
    workers: int = 1
    # each training from scratch when there were several rounds (training_seconds: median)
    training_rounds: list[float] = field(default_factory=list)
    # `make train` after one NLU example was added (a fine-tune), each round
    retrain_seconds: list[float] = field(default_factory=list)
    quality: Quality | None = None  # ours only; None: not measured (--skip-quality)

    def level(self, users: int) -> LevelFigures | None:
        """The figures at `users` concurrent users, if measured."""
        return next((level for level in self.levels if level.users == users), None)


@dataclass
class Target:
    """One goal for our assistant; `passed` is None when it could not be measured."""

    name: str
    value: str
    goal: str
    passed: bool | None


def _ratio(ours: float | None, template: float | None) -> float | None:
    return ours / template if ours is not None and template else None


def _times(ratio: float | None) -> str:
    return f"{ratio:.2f}x" if ratio is not None else "not measured"


def targets(
    ours: AssistantFigures | None,
    template: AssistantFigures | None,
    one_worker: AssistantFigures | None = None,
) -> list[Target]:
    """Issue 11's targets for ours against the template (and against ours on one worker),
    the memory, the quality gates of the served model, and no errors at any level."""
    result = []
    if ours is not None and template is not None and ours.training_seconds is not None:
        mine, theirs = ours.training_seconds, template.training_seconds
        ratio = _ratio(mine, theirs)
        result.append(
            Target(
                "training from scratch, ours / template"
                + (" (medians of paired rounds)" if len(ours.training_rounds) > 1 else ""),
                f"{mine:.0f} / {theirs:.0f} s ({_times(ratio)})" if theirs else _times(ratio),
                "<= 1.00x",
                None if ratio is None else ratio <= 1.0,
            )
        )
    if ours is not None and ours.retrain_seconds:
        median = statistics.median(ours.retrain_seconds)
        result.append(
            Target(
                "retraining after one NLU example (`make train`, a fine-tune), median",
                f"{median:.1f} s ("
                + ", ".join(f"{t:.1f}" for t in ours.retrain_seconds)
                + " s; the served model is the last one)",
                f"< {RETRAIN_TARGET_SECONDS:.0f} s",
                median < RETRAIN_TARGET_SECONDS,
            )
        )
    ours16 = ours.level(THROUGHPUT_USERS) if ours else None
    template16 = template.level(THROUGHPUT_USERS) if template else None
    ratio = _ratio(
        ours16.messages_per_second if ours16 else None,
        template16.messages_per_second if template16 else None,
    )
    result.append(
        Target(
            f"throughput at {THROUGHPUT_USERS} users, ours / template",
            _times(ratio),
            f">= {THROUGHPUT_TARGET:.1f}x",
            None if ratio is None else ratio >= THROUGHPUT_TARGET,
        )
    )
    mine99 = ours16.p99_ms if ours16 else None
    theirs99 = template16.p99_ms if template16 else None
    result.append(
        Target(
            f"p99 latency at {THROUGHPUT_USERS} users, ours / template",
            f"{mine99:,.0f} / {theirs99:,.0f} ms"
            if mine99 is not None and theirs99 is not None
            else "not measured",
            "ours <= template's",
            None if mine99 is None or theirs99 is None else mine99 <= theirs99,
        )
    )
    ours1 = ours.level(1) if ours else None
    template1 = template.level(1) if template else None
    ratio = _ratio(ours1.p50_ms if ours1 else None, template1.p50_ms if template1 else None)
    result.append(
        Target(
            "single-user p50 latency, ours / template",
            f"{ours1.p50_ms:.0f} / {template1.p50_ms:.0f} ms ({_times(ratio)})"
            if ratio is not None and ours1 and template1
            else "not measured",
            f"<= {P50_TARGET:.2f}x",
            None if ratio is None else ratio <= P50_TARGET,
        )
    )
    if ours is not None and one_worker is not None:
        gains = [
            (level.users, _ratio(mine.messages_per_second, level.messages_per_second))
            for level in one_worker.levels
            if (mine := ours.level(level.users)) is not None
        ]
        result.append(
            Target(
                f"throughput of {ours.workers} workers / one worker (ours)",
                ", ".join(f"{_times(g)} at {users} users" for users, g in gains),
                "> 1.00x at every level",
                bool(gains) and all(g is not None and g > 1.0 for _, g in gains),
            )
        )
    long_levels = [
        level
        for level in (ours.levels if ours else [])
        if level.memory_growth_mb is not None
        and level.memory_samples[-1][0] >= MEMORY_GROWTH_MIN_SECONDS
    ]
    if long_levels:
        longest = max(long_levels, key=lambda level: level.memory_samples[-1][0])
        growth = longest.memory_growth_mb or 0.0
        result.append(
            Target(
                f"memory growth over {longest.memory_samples[-1][0] / 60:.0f} min at "
                f"{longest.users} users (ours, Rasa + action server RSS)",
                f"{growth:+,.0f} MB ({longest.memory_samples[0][1]:,.0f} -> "
                f"{longest.memory_samples[-1][1]:,.0f} MB)",
                f"<= {MEMORY_GROWTH_TARGET_MB:.0f} MB",
                growth <= MEMORY_GROWTH_TARGET_MB,
            )
        )
    if ours is not None and ours.quality is not None:
        result += quality_targets(ours.quality)
    errors = [level.errors for level in ours.levels] if ours else []
    result.append(
        Target(
            "errors at every level (ours)",
            " / ".join(str(e) for e in errors) if errors else "not measured",
            "0",
            None if not errors else not any(errors),
        )
    )
    return result


def quality_targets(quality: Quality) -> list[Target]:
    """The model the bench served still passes `make test-nlu` and `make test-conversations`."""
    nlu = ", ".join(
        f"{s.name} {s.intent_macro_f1:.3f} / "
        + ("–" if s.entity_f1 is None else f"{s.entity_f1:.3f}")
        for s in quality.nlu
    )
    under = quality.nlu_below_gates()
    cells = quality.conversation_cells_below()
    return [
        Target(
            "held-out NLU, intent macro-F1 / entity F1 per language (ours)",
            nlu + (f"; under: {', '.join(under)}" if under else ""),
            f">= {MIN_INTENT_F1:.2f} / >= {MIN_ENTITY_F1:.2f}",
            not under,
        ),
        Target(
            "conversation sets, every category and language (ours)",
            f"{quality.conversations_passed} / {quality.conversations_total} passed"
            + (f"; under: {', '.join(cells)}" if cells else ""),
            f">= {MIN_CONVERSATION_PASS:.0%} per cell",
            not cells,
        ),
    ]


def _num(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _mb(rss: float | None, peak: float | None) -> str:
    return "–" if rss is None else f"{rss:,.0f} / {_num(peak)}"


def _seconds(value: float | None) -> str:
    if value is None:
        return "not measured"
    return f"{value:.0f} s ({value / 60:.1f} min)" if value >= 60 else f"{value:.1f} s"


def summary_table(assistants: Sequence[AssistantFigures]) -> str:
    """Training, start-up and idle memory, one column per assistant."""
    rows = [
        (
            "training time (empty cache)",
            [
                _seconds(a.training_seconds)
                + (
                    " (median of " + ", ".join(f"{t:.0f}" for t in a.training_rounds) + " s)"
                    if len(a.training_rounds) > 1
                    else ""
                )
                for a in assistants
            ],
        ),
        (
            "retraining after one NLU example (`make train`, median)",
            [
                _seconds(statistics.median(a.retrain_seconds)) if a.retrain_seconds else "–"
                for a in assistants
            ],
        ),
        ("Rasa server workers", [str(a.workers) for a in assistants]),
        (
            "start-up (spawn to first REST answer)",
            [f"{a.startup_seconds:.1f} s" for a in assistants],
        ),
        ("model file (MB)", [_num(a.model_mb) for a in assistants]),
        ("Rasa server RSS after start-up (MB)", [_num(a.idle_rasa_mb) for a in assistants]),
        ("action server RSS after start-up (MB)", [_num(a.idle_action_mb) for a in assistants]),
    ]
    lines = [
        "| | " + " | ".join(NAMES.get(a.name, a.name) for a in assistants) + " |",
        "|---|" + "---:|" * len(assistants),
    ]
    lines += [f"| {label} | " + " | ".join(values) + " |" for label, values in rows]
    return "\n".join(lines)


LOAD_HEADER = (
    "| assistant | users | requests | p50 ms | p95 ms | p99 ms | msg/s | errors | empty answers "
    "| Rasa RSS / peak MB | action server RSS / peak MB | server CPU ms/msg |"
)


def load_table(assistants: Sequence[AssistantFigures]) -> str:
    """One row per assistant and load level."""
    lines = [LOAD_HEADER, "|---|" + "---:|" * (LOAD_HEADER.count("|") - 2)]
    for a in assistants:
        for level in a.levels:
            cells = [
                a.name,
                str(level.users),
                f"{level.requests:,}",
                _num(level.p50_ms),
                _num(level.p95_ms),
                _num(level.p99_ms),
                _num(level.messages_per_second, 1),
                str(level.errors),
                str(level.empty_answers),
                _mb(level.rasa_rss_mb, level.rasa_peak_mb),
                _mb(level.action_rss_mb, level.action_peak_mb),
                _num(level.cpu_ms_per_message),
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets_list(items: Sequence[Target]) -> str:
    """The targets as a Markdown list with PASS / FAIL."""
    verdict = {True: "PASS", False: "FAIL", None: "n/a"}
    return "\n".join(
        f"- {t.name}: {t.value} (target {t.goal}) **{verdict[t.passed]}**" for t in items
    )


def notes(assistants: Sequence[AssistantFigures], duration: float, warmup: int) -> list[str]:
    """What the figures mean, and anything unusual seen during the run."""
    lines = [
        f"Closed loop: each user sends the mixed Japanese/English message set in order, one "
        f"message at a time, with a new sender id per pass; {warmup} warm-up message(s) per "
        f"user, then {duration:g} s measured per level. One assistant runs at a time.",
        "Latency percentiles are over answered requests; msg/s = answered requests / wall "
        "time of the level; server CPU = Rasa (+ action) server CPU time per answered request.",
        "Errors: exceptions, timeouts (30 s), non-200 status, a body that is not a JSON list, "
        "an empty list (ours), or our channel's \"can't answer right now\" apology.",
        "Empty answers (200 with an empty list) are counted apart for the template: its starter "
        "model may have nothing to say to a message outside its few intents.",
    ]
    for a in assistants:
        empty: dict[str, int] = {}
        reasons: dict[str, int] = {}
        for level in a.levels:
            for message, count in level.empty_messages.items():
                empty[message] = empty.get(message, 0) + count
            for reason, count in level.error_reasons.items():
                reasons[reason] = reasons.get(reason, 0) + count
        if empty:
            listed = ", ".join(
                f"{m!r} ({n})" for m, n in sorted(empty.items(), key=lambda i: -i[1])
            )
            lines.append(f"{a.name}: empty answers to {listed}.")
        if reasons:
            listed = ", ".join(
                f"{r} ({n})" for r, n in sorted(reasons.items(), key=lambda i: -i[1])
            )
            lines.append(f"{a.name}: errors by kind: {listed}.")
        for level in a.levels:
            if len(level.memory_samples) > 2:
                listed = ", ".join(f"{mb:,.0f} MB at {t:.0f} s" for t, mb in level.memory_samples)
                lines.append(f"{a.name}, {level.users} users: Rasa + action server RSS {listed}.")
    return lines


def markdown(
    assistants: Sequence[AssistantFigures], items: Sequence[Target], note_lines: Sequence[str]
) -> str:
    """The whole report in Markdown."""
    parts = [
        "### Start-up and training\n\n" + summary_table(assistants),
        "### REST load\n\n" + load_table(assistants),
        *(
            f"### What the served model gets right ({a.name})\n\n" + a.quality.markdown()
            for a in assistants
            if a.quality is not None
        ),
        "### Targets\n\n" + targets_list(items),
        "### Notes\n\n" + "\n".join(f"- {line}" for line in note_lines),
    ]
    return "\n\n".join(parts) + "\n"


def to_json(
    assistants: Sequence[AssistantFigures],
    items: Sequence[Target],
    note_lines: Sequence[str],
    settings: dict[str, Any],
) -> dict[str, Any]:
    """Everything as a JSON-ready dict."""
    return {
        "settings": settings,
        "assistants": {
            a.name: {
                **asdict(replace(a, quality=None)),
                "quality": a.quality.to_json() if a.quality else None,
            }
            for a in assistants
        },
        "targets": [asdict(t) for t in items],
        "notes": list(note_lines),
    }
