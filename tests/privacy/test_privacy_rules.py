"""The retention setting and how an address is recognised in stored text."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from bot.privacy.addresses import json_mentions, like_patterns, mentions
from bot.privacy.retention import RetentionError, cutoff, parse_age, retention
from bot.privacy.spool_lines import spooled_at


@pytest.mark.parametrize(
    ("text", "age"),
    [("30d", timedelta(days=30)), ("12h", timedelta(hours=12)), ("90m", timedelta(minutes=90)),
     (" 7D ", timedelta(days=7))],
)  # fmt: skip
def test_ages(text, age):
    assert parse_age(text) == age


def test_the_command_line_overrides_the_environment():
    env = {"PRIVACY_RETENTION_DAYS": "7"}
    assert retention(None, env) == timedelta(days=7)
    assert retention("12h", env) == timedelta(hours=12)
    assert retention(None, {}) == timedelta(days=30)
    with pytest.raises(RetentionError):
        retention(None, {"PRIVACY_RETENTION_DAYS": "7d"})


def test_cutoff():
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    assert cutoff(timedelta(days=30), now) == datetime(2026, 11, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ann@example.org", True),
        ("Mail: ANN@Example.Org.", True),
        ("メールはann@example.orgです", True),
        ("<ann@example.org>", True),
        ("jo.ann@example.org", False),
        ("joann@example.org", False),
        ("ann@example.org.uk", False),
        ("ann@example.organic.com", False),
        ("ann@example.orgs", False),
        ("ann at example.org", False),
    ],
)
def test_mentions(text, expected):
    assert mentions(text, "Ann@example.org ") is expected


def test_json_text_is_searched_as_written_and_as_parsed():
    stored = json.dumps({"text": "メールはann@example.orgです"})  # \u escapes around it
    assert json_mentions(stored, "ann@example.org")
    assert not json_mentions(json.dumps({"text": "jo.ann@example.org"}), "ann@example.org")


def test_like_patterns_escape_wildcards():
    assert like_patterns("A_B%c@example.org") == ["%a\\_b\\%c@example.org%"]


def test_a_spool_line_without_a_time_is_as_old_as_its_file():
    written = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert spooled_at("garbage", written) == written
    line = json.dumps({"spooled_at": "2025-06-01T00:00:00+00:00"})
    assert spooled_at(line, written) == datetime(2025, 6, 1, tzinfo=timezone.utc)
    rejected = json.dumps({"reason": "DataError", "rejected_at": "2025-07-01T00:00:00+00:00"})
    assert spooled_at(rejected, written) == datetime(2025, 7, 1, tzinfo=timezone.utc)
