"""Targets, Markdown tables and JSON of the benchmark report."""

from __future__ import annotations

import json

from bench.load import LevelResult, LoadSpec, Outcome
from bench.procstats import Memory
from bench.report import (
    ONE_WORKER,
    AssistantFigures,
    LevelFigures,
    Target,
    load_table,
    markdown,
    notes,
    summary_table,
    targets,
    to_json,
)


def level(users: int, p50: float, per_second: float, errors: int = 0) -> LevelFigures:
    return LevelFigures(
        users=users,
        requests=100 + errors,
        answered=100,
        p50_ms=p50,
        p95_ms=p50 * 2,
        p99_ms=p50 * 3,
        messages_per_second=per_second,
        errors=errors,
        empty_answers=0,
        rasa_rss_mb=1000.0,
        rasa_peak_mb=1100.0,
    )


def figures(name: str, levels: list[LevelFigures]) -> AssistantFigures:
    return AssistantFigures(name, None, 30.0, 900.0, levels=levels)


def test_from_result() -> None:
    result = LevelResult(users=2, wall_seconds=2.0)
    spec = LoadSpec(url="u", users=2, duration=2, messages=["a"], empty_is_error=False)
    for ms in (10.0, 20.0, 30.0):
        result.record("a", Outcome.ANSWER, None, ms, spec)
    result.record("b", Outcome.EMPTY, None, 40.0, spec)
    result.record("c", Outcome.ERROR, "timeout", 30000.0, spec)
    figures = LevelFigures.from_result(result, Memory(500.0, 600.0), Memory(50.0, 60.0), 0.2)
    assert (figures.requests, figures.answered, figures.errors, figures.empty_answers) == (
        5,
        4,
        1,
        1,
    )
    assert figures.p50_ms == 25.0
    assert figures.messages_per_second == 2.0
    assert figures.cpu_ms_per_message == 50.0
    assert (figures.action_rss_mb, figures.action_peak_mb) == (50.0, 60.0)
    assert figures.error_reasons == {"timeout": 1}
    assert figures.empty_messages == {"b": 1}


def named(items: list[Target], start: str) -> Target:
    """The one target whose name starts with `start`."""
    (found,) = [t for t in items if t.name.startswith(start)]
    return found


def test_targets_pass() -> None:
    ours = figures("ours", [level(1, 45, 15), level(16, 900, 30)])
    ours.training_seconds, ours.retrain_seconds = 70.0, [25.0, 29.0, 24.0]
    template = figures("template", [level(1, 50, 14), level(16, 1000, 20)])
    template.training_seconds = 73.0
    items = targets(ours, template)
    assert [t.passed for t in items] == [True] * 6
    assert named(items, "training").value == "70 / 73 s (0.96x)"
    assert named(items, "retraining").value.startswith("25.0 s (25.0, 29.0, 24.0 s")
    assert named(items, "throughput").value == "1.50x"
    assert named(items, "p99").value == "2,700 / 3,000 ms"
    assert named(items, "single-user p50").value == "45 / 50 ms (0.90x)"
    assert named(items, "errors").value == "0 / 0"


def test_targets_fail() -> None:
    ours = figures("ours", [level(1, 70, 15), level(16, 1100, 29, errors=3)])
    ours.training_seconds, ours.retrain_seconds = 80.0, [31.0, 29.0, 33.0]
    template = figures("template", [level(1, 50, 14), level(16, 1000, 20)])
    template.training_seconds = 73.0
    items = targets(ours, template)
    assert not any(t.passed for t in items)
    assert named(items, "throughput").value == "1.45x"  # under the 1.5x target
    assert named(items, "single-user p50").value == "70 / 50 ms (1.40x)"
    assert named(items, "retraining").value.startswith("31.0 s")
    assert named(items, "errors").value == "0 / 3"


def test_the_gain_of_more_workers_is_a_target() -> None:
    ours = figures("ours", [level(1, 45, 15), level(16, 900, 40), level(32, 1800, 44)])
    ours.workers = 2
    one = figures(ONE_WORKER, [level(16, 1500, 22), level(32, 3000, 22)])
    gain = named(targets(ours, None, one), "throughput of 2 workers")
    assert (gain.value, gain.passed) == ("1.82x at 16 users, 2.00x at 32 users", True)
    one.levels[1].messages_per_second = 45
    assert named(targets(ours, None, one), "throughput of 2 workers").passed is False


def test_targets_not_measured() -> None:
    ours = figures("ours", [level(8, 70, 15)])
    items = targets(ours, None)
    throughput = named(items, "throughput")
    assert throughput.passed is None and throughput.value == "not measured"
    assert named(items, "single-user p50").passed is None
    assert named(items, "p99").passed is None
    assert named(items, "errors").passed is True
    assert not any(t.name.startswith(("training", "retraining")) for t in items)
    assert all(t.passed is None for t in targets(None, None))


def test_load_table_has_a_row_per_level_and_aligned_columns() -> None:
    ours = figures("ours", [level(1, 55.4, 15.25), level(16, 1234.5, 30)])
    ours.levels[0].action_rss_mb, ours.levels[0].action_peak_mb = 55.0, 56.0
    table = load_table([ours]).splitlines()
    assert len(table) == 4
    assert len({line.count("|") for line in table}) == 1
    assert table[2] == (
        "| ours | 1 | 100 | 55 | 111 | 166 | 15.2 | 0 | 0 | 1,000 / 1,100 | 55 / 56 | – |"
    )
    assert "| 1,234 | 2,469 | 3,704 |" in table[3]


def test_summary_table_one_column_per_assistant() -> None:
    ours = AssistantFigures("ours", 362.0, 25.5, 1287.0, 54.0, model_mb=59.4)
    template = AssistantFigures("template", 94.0, 12.0, 1120.0, model_mb=23.8)
    table = summary_table([ours, template]).splitlines()
    assert "ICLEI assistant" in table[0] and "rasa init" in table[0]
    assert table[2] == "| training time (empty cache) | 362 s (6.0 min) | 94 s (1.6 min) |"
    assert table[3] == "| retraining after one NLU example (`make train`, median) | – | – |"
    assert table[4] == "| Rasa server workers | 1 | 1 |"
    assert table[5] == "| start-up (spawn to first REST answer) | 25.5 s | 12.0 s |"
    assert table[6] == "| model file (MB) | 59 | 24 |"
    assert table[8] == "| action server RSS after start-up (MB) | 54 | – |"
    assert "not measured" in summary_table([AssistantFigures("ours", None, 1.0, 1.0)])


def test_notes_name_the_messages_with_empty_answers_and_the_errors() -> None:
    template = figures("template", [level(1, 50, 14), level(8, 50, 14)])
    template.levels[0].empty_messages = {"Kenya?": 2}
    template.levels[1].empty_messages = {"Kenya?": 3, "Brazil?": 1}
    ours = figures("ours", [level(1, 50, 14, errors=1)])
    ours.levels[0].error_reasons = {"timeout": 1}
    lines = notes([ours, template], duration=20, warmup=2)
    assert "template: empty answers to 'Kenya?' (5), 'Brazil?' (1)." in lines
    assert "ours: errors by kind: timeout (1)." in lines
    assert any("20 s measured per level" in line for line in lines)


def test_markdown_and_json() -> None:
    ours = figures("ours", [level(1, 45, 15), level(16, 900, 30)])
    template = figures("template", [level(1, 50, 14), level(16, 1000, 20)])
    items = targets(ours, template)
    text = markdown([ours, template], items, ["a note"])
    assert "### REST load" in text and "**PASS**" in text and "- a note" in text
    data = json.loads(json.dumps(to_json([ours, template], items, ["a note"], {"levels": [1, 16]})))
    assert data["assistants"]["ours"]["levels"][1]["messages_per_second"] == 30
    assert data["targets"][0]["passed"] is True
    assert data["settings"] == {"levels": [1, 16]}


def test_memory_growth_over_a_long_level_is_a_target() -> None:
    soak = level(16, 900, 30)
    soak.memory_samples = [(0.0, 2300.0), (60.0, 2350.0), (300.0, 2360.0), (600.0, 2380.0)]
    short = level(8, 500, 20)
    short.memory_samples = [(0.0, 2000.0), (30.0, 2600.0)]  # too short to count
    growth = named(targets(figures("ours", [short, soak]), None), "memory")
    assert growth.name.startswith("memory growth over 10 min at 16 users")
    assert (growth.value.split()[0], growth.passed) == ("+80", True)
    soak.memory_samples.append((660.0, 2450.0))
    assert named(targets(figures("ours", [short, soak]), None), "memory").passed is False
    assert "2,450 MB at 660 s" in " ".join(notes([figures("ours", [soak])], 600, 2))


def test_no_memory_target_without_a_long_level() -> None:
    short = level(16, 900, 30)
    short.memory_samples = [(0.0, 2000.0), (30.0, 2100.0)]
    assert not any(t.name.startswith("memory") for t in targets(figures("ours", [short]), None))


def test_the_sampler_samples_at_start_every_interval_and_at_the_end() -> None:
    import time

    from bench.__main__ import MemorySampler

    class Servers:
        calls = 0

        def memory(self):
            Servers.calls += 1
            return Memory(100.0 * Servers.calls, 0.0), Memory(1.0, 0.0)

    sampler = MemorySampler(Servers(), every=0.05)
    sampler.start()
    time.sleep(0.18)
    samples = sampler.stop()
    assert 4 <= len(samples) <= 7
    assert [mb for _, mb in samples[:2]] == [101.0, 201.0]
    assert samples[-1][0] >= 0.15 and samples == sorted(samples)


def test_paired_training_rounds_show_their_median_and_name_it() -> None:
    ours = AssistantFigures("ours", 77.0, 11.0, 1400.0, training_rounds=[77.0, 66.0, 82.0])
    template = AssistantFigures("template", 80.0, 38.0, 1100.0, training_rounds=[71, 80, 80])
    assert "77 s (1.3 min) (median of 77, 66, 82 s)" in summary_table([ours, template])
    training = named(targets(ours, template), "training")
    assert training.name.endswith("(medians of paired rounds)")
    assert (training.value, training.passed) == ("77 / 80 s (0.96x)", True)
