"""The pure parts of the load generator: percentiles, outcomes, counting, conversations."""

from __future__ import annotations

import itertools
import json

import pytest

from bench.load import LevelResult, LoadSpec, Outcome, classify, conversations, percentile


def body(value: object) -> bytes:
    return json.dumps(value).encode()


def test_percentile_interpolates_like_numpy() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 0) == 10.0
    assert percentile(values, 100) == 40.0
    assert percentile(values, 50) == pytest.approx(25.0)
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile(list(reversed(values)), 50) == pytest.approx(25.0)


def test_percentile_of_one_value_and_of_none() -> None:
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) is None


@pytest.mark.parametrize(
    ("status", "raw", "expected"),
    [
        (200, body([{"text": "hi"}]), (Outcome.ANSWER, None)),
        (200, body([{"image": "x.png"}]), (Outcome.ANSWER, None)),
        (200, body([]), (Outcome.EMPTY, None)),
        (500, body([{"text": "hi"}]), (Outcome.ERROR, "status 500")),
        (429, body([{"text": "slow down"}]), (Outcome.ERROR, "status 429")),
        (200, b"<html>", (Outcome.ERROR, "not JSON")),
        (200, b"", (Outcome.ERROR, "not JSON")),
        (200, body({"text": "hi"}), (Outcome.ERROR, "not a list")),
        (None, None, (Outcome.ERROR, "exception")),
    ],
)
def test_classify(status: int | None, raw: bytes | None, expected: tuple) -> None:
    assert classify(status, raw) == expected


def test_classify_flags_an_apology_anywhere_in_the_answer() -> None:
    sorry = "Sorry, I can't answer right now."
    answer = body([{"text": "Hello"}, {"text": f"申し訳ありません。\n\n{sorry}"}])
    assert classify(200, answer, [sorry]) == (Outcome.ERROR, "apology")
    assert classify(200, body([{"text": "Hello"}]), [sorry]) == (Outcome.ANSWER, None)


def spec(empty_is_error: bool) -> LoadSpec:
    return LoadSpec(
        url="http://x", users=1, duration=1, messages=["a"], empty_is_error=empty_is_error
    )


def test_record_counts_answers_errors_and_empty_answers_apart() -> None:
    result = LevelResult(users=1, wall_seconds=2.0)
    result.record("a", Outcome.ANSWER, None, 10.0, spec(False))
    result.record("b", Outcome.EMPTY, None, 20.0, spec(False))
    result.record("c", Outcome.ERROR, "status 500", 30.0, spec(False))
    assert result.requests == 3
    assert result.answered == 2
    assert result.latencies_ms == [10.0, 20.0]
    assert (result.errors, result.empty) == (1, 1)
    assert result.error_reasons == {"status 500": 1}
    assert result.empty_messages == {"b": 1}
    assert result.messages_per_second == 1.0
    assert result.latency(50) == 15.0


def test_record_counts_an_empty_answer_as_an_error_when_told() -> None:
    result = LevelResult(users=1)
    result.record("b", Outcome.EMPTY, None, 20.0, spec(True))
    assert (result.errors, result.empty, result.answered) == (1, 0, 0)
    assert result.error_reasons == {"empty answer": 1}
    assert result.empty_messages == {"b": 1}
    assert result.messages_per_second == 0.0


def test_conversations_go_through_the_set_in_order_then_start_anew() -> None:
    pairs = list(itertools.islice(conversations(["one", "two", "three"], "p"), 7))
    assert [message for _, message in pairs] == ["one", "two", "three"] * 2 + ["one"]
    senders = [sender for sender, _ in pairs]
    assert senders[0] == senders[1] == senders[2] != senders[3] == senders[4] == senders[5]
    assert senders[6] not in (senders[0], senders[3])
    assert all(sender.startswith("p-") for sender in senders)
