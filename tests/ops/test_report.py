"""`python -m bot report`: figures from a tracker store written by Rasa's own SQLTrackerStore."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.__main__ import main
from bot.ops.report import (
    Report,
    ReportError,
    make_report,
    normalise,
    resolve_tracker_url,
    tracker_url_from_endpoints,
)


def at(day: int, hour: int = 9, minute: int = 0, month: int = 4) -> float:
    """Epoch seconds of a time in 2026 (UTC)."""
    return datetime(2026, month, day, hour, minute, tzinfo=timezone.utc).timestamp()


def user(
    text: str, intent: str, stamp: float, language: str | None, channel: str | None
) -> UserUttered:
    """A user message as the Rasa server stores it, with LanguageDetector's entity."""
    entities = []
    if language:
        entities.append({"entity": "language", "value": language, "start": 0, "end": len(text)})
    return UserUttered(
        text,
        intent={"name": intent, "confidence": 0.9},
        entities=entities,
        timestamp=stamp,
        input_channel=channel,
    )


def bot(utter_action: str, text: str, stamp: float) -> list[Event]:
    """The action and the message it sends."""
    return [
        ActionExecuted(utter_action, timestamp=stamp),
        BotUttered(text, metadata={"utter_action": utter_action}, timestamp=stamp),
    ]


def default_fallback(stamp: float) -> list[Event]:
    """What Rasa's action_default_fallback leaves in the tracker."""
    return [
        ActionExecuted("action_default_fallback", timestamp=stamp),
        BotUttered("Sorry?", metadata={"utter_action": "utter_default"}, timestamp=stamp),
    ]


def conversations() -> dict[str, list[Event]]:
    """A few conversations in both languages and several channels, 2026-03-31 to 04-03."""
    return {
        # LINE, Japanese, 1 April: the same question twice, spelled differently (NFKC).
        "line-ja": [
            SessionStarted(timestamp=at(1, 8)),
            user("こんにちは", "greet", at(1, 8), "ja", "line"),
            *bot("utter_greet", "こんにちは！", at(1, 8)),
            user("会員に　なるには？", "nlu_fallback", at(1, 8, 1), "ja", "line"),
            *default_fallback(at(1, 8, 1)),
            user("会員に  なるには?", "nlu_fallback", at(1, 8, 2), "ja", "line"),
            *default_fallback(at(1, 8, 2)),
            user("おすすめのラーメン屋", "out_of_scope", at(1, 8, 3), "ja", "line"),
            *bot("utter_out_of_scope", "ごめんなさい", at(1, 8, 3)),
        ],
        # Website, English, 2 April: out of scope, a core fallback, then the enquiry form.
        "web-en": [
            SessionStarted(timestamp=at(2, 10)),
            user("Hello", "greet", at(2, 10), "en", "webchat"),
            *bot("utter_greet", "Hello!", at(2, 10)),
            user("Weather in Bonn?", "out_of_scope", at(2, 10, 1), "en", "webchat"),
            *bot("utter_out_of_scope", "Sorry", at(2, 10, 1)),
            user("ICLEI Africa events", "ask_other_iclei_topic", at(2, 10, 2), "en", "webchat"),
            *bot("utter_other_topic", "See iclei.org", at(2, 10, 2)),
            # Confident NLU, but the policies fell back (core fallback).
            user("WHEN was ICLEI founded", "ask_founding", at(2, 10, 3), "en", "webchat"),
            *default_fallback(at(2, 10, 3)),
            user("I have a question", "make_enquiry", at(2, 10, 4), "en", "webchat"),
            ActionExecuted("enquiry_form", timestamp=at(2, 10, 4)),
            ActiveLoop("enquiry_form", timestamp=at(2, 10, 4)),
            # Form answers: personal data, never listed, even when they fell back.
            user("Taro Yamada taro@example.jp", "nlu_fallback", at(2, 10, 5), "en", "webchat"),
            user("Sapporo City", "inform", at(2, 10, 6), "en", "webchat"),
            *default_fallback(at(2, 10, 6)),
            ActiveLoop(None, timestamp=at(2, 10, 7)),
            *bot("utter_enquiry_sent", "Thank you", at(2, 10, 7)),
            user("asdfgh", "nlu_fallback", at(2, 10, 8), "en", "webchat"),
            *default_fallback(at(2, 10, 8)),
        ],
        # The form was opened on 31 March and is still open on 1 April.
        "web-ja-form": [
            user("問い合わせ", "make_enquiry", at(31, 23, month=3), "ja", "webchat"),
            ActiveLoop("enquiry_form", timestamp=at(31, 23, month=3)),
            user("090-1234-5678", "nlu_fallback", at(1, 0, 5), "ja", "webchat"),
            *default_fallback(at(1, 0, 5)),
        ],
        # March, through the REST channel without a language entity.
        "rest-old": [
            user("old question", "nlu_fallback", at(15, month=3), None, "rest"),
            *default_fallback(at(15, month=3)),
        ],
        # 3 April, English: the core fallback question again, spelled differently.
        "web-en-2": [
            SessionStarted(timestamp=at(3, 12)),
            user("Hi", "greet", at(3, 12), "en", "webchat"),
            *bot("utter_greet", "Hello!", at(3, 12)),
            user("  when was iclei   founded ", "ask_founding", at(3, 12, 1), "en", "webchat"),
            *default_fallback(at(3, 12, 1)),
        ],
    }


def save(url: str, trackers: dict[str, list[Event]]) -> None:
    """Store the conversations through Rasa's SQLTrackerStore, as the server does."""
    store = SQLTrackerStore(Domain.empty(), host=url)
    try:
        for sender, events in trackers.items():
            asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
    finally:
        store.engine.dispose()


@pytest.fixture
def tracker_db(tmp_path: Path) -> Iterator[Path]:
    """A SQLite tracker store with the conversations above, plus a malformed row."""
    path = tmp_path / "tracker.db"
    save(f"sqlite:///{path}", conversations())
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, data) "
            "VALUES ('broken', 'user', ?, 'greet', '{not json')",
            (at(2, 15),),
        )
        connection.execute(
            "INSERT INTO events (sender_id, type_name, timestamp, data) "
            "VALUES ('broken', 'bot', ?, '[1, 2]')",
            (at(2, 15),),
        )
    yield path


def url_of(path: Path) -> str:
    """SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path}"


def test_normalise_nfkc_casefold_whitespace() -> None:
    assert normalise("  会員に　なるには？ ") == normalise("会員に なるには?") == "会員に なるには?"
    assert normalise("ＩＣＬＥＩ\tTokyo\n") == "iclei tokyo"


def test_figures_for_april(tracker_db: Path) -> None:
    report = make_report(url_of(tracker_db), date(2026, 4, 1), date(2026, 4, 3))
    assert report.conversations == 5  # line-ja, web-en, web-ja-form, web-en-2, broken
    assert report.messages == 4 + 8 + 1 + 2 + 1
    assert report.languages == {"ja": 5, "en": 10, "unknown": 1}
    assert report.channels == {"line": 4, "webchat": 11, "unknown": 1}
    assert report.intents["nlu_fallback"] == 5
    assert report.intents["greet"] == 4  # the malformed row's intent comes from its column
    assert report.fallbacks == {
        "会員に なるには?": 2,
        "when was iclei founded": 2,
        "asdfgh": 1,
    }
    assert report.out_of_scope == {
        "おすすめのラーメン屋": 1,
        "weather in bonn?": 1,
        "iclei africa events": 1,
    }
    # Two answers in the 2 April form, one in the form opened on 31 March.
    assert report.withheld == 3


def test_form_answers_never_printed(tracker_db: Path, capsys: pytest.CaptureFixture) -> None:
    for output_format in ("text", "json"):
        assert main(["report", "--tracker-url", url_of(tracker_db), "--format", output_format]) == 0
        out = capsys.readouterr().out
        for secret in ("taro", "Taro", "example.jp", "sapporo", "Sapporo", "090-1234"):
            assert secret not in out
        assert "asdfgh" in out  # after the form closed, messages are listed again


def test_date_filtering(tracker_db: Path) -> None:
    url = url_of(tracker_db)
    first = make_report(url, date(2026, 4, 1), date(2026, 4, 1))
    assert first.conversations == 2  # line-ja, web-ja-form
    assert first.messages == 5
    assert first.fallbacks == {"会員に なるには?": 2}
    assert first.withheld == 1  # the form opened the day before is still known to be open

    march = make_report(url, until=date(2026, 3, 31))
    assert march.conversations == 2
    assert march.messages == 2
    assert march.languages == {"ja": 1, "unknown": 1}
    assert march.channels == {"webchat": 1, "rest": 1}
    assert march.fallbacks == {"old question": 1}

    everything = make_report(url)
    assert everything.conversations == 6
    assert everything.messages == 18

    assert make_report(url, since=date(2026, 5, 1)).messages == 0


def test_text_output(tracker_db: Path, capsys: pytest.CaptureFixture) -> None:
    argv = ["report", "--tracker-url", url_of(tracker_db), "--since", "2026-04-01"]
    assert main([*argv, "--until", "2026-04-03", "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert "2026-04-01 to 2026-04-03 (UTC)" in out
    assert "Conversations: 5" in out
    assert "User messages: 16" in out
    assert "Fell back, teach these next: 5 messages" in out
    assert "     2  会員に なるには?" in out
    assert "asdfgh" not in out  # --top 2
    assert "3 more fell back or were out of scope while the enquiry form was open" in out
    intents = out.split("Top intents\n")[1].split("\n\n")[0].splitlines()
    assert [line.split() for line in intents] == [
        ["nlu_fallback", "5", "31.2%"],
        ["greet", "4", "25.0%"],
    ]


def test_json_output(tracker_db: Path, capsys: pytest.CaptureFixture) -> None:
    argv = ["report", "--tracker-url", url_of(tracker_db), "--format", "json", "--top", "3"]
    assert main([*argv, "--since", "2026-04-01", "--until", "2026-04-03"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["since"] == "2026-04-01" and data["until"] == "2026-04-03"
    assert data["conversations"] == 5
    assert data["messages"] == 16
    assert data["languages"] == {"en": 10, "ja": 5, "unknown": 1}
    assert data["channels"] == {"webchat": 11, "line": 4, "unknown": 1}
    assert data["top_intents"] == [
        {"intent": "nlu_fallback", "count": 5, "share": 0.3125},
        {"intent": "greet", "count": 4, "share": 0.25},
        {"intent": "ask_founding", "count": 2, "share": 0.125},
    ]
    assert data["fallbacks"] == [
        {"text": "when was iclei founded", "count": 2},
        {"text": "会員に なるには?", "count": 2},
        {"text": "asdfgh", "count": 1},
    ]
    assert data["fallbacks_total"] == 5
    assert data["out_of_scope_total"] == 3
    assert data["withheld_form_messages"] == 3


def test_missing_database_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    missing = tmp_path / "nowhere" / "tracker.db"
    assert main(["report", "--tracker-url", url_of(missing)]) == 1
    captured = capsys.readouterr()
    assert "tracker store not found" in captured.err and str(missing) in captured.err
    assert captured.out == ""
    assert not missing.exists()  # not created by the report
    with pytest.raises(ReportError):
        make_report(url_of(missing))


def test_file_without_events_table(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    assert main(["report", "--tracker-url", url_of(path)]) == 1
    assert "cannot read the tracker store" in capsys.readouterr().err


def test_report_does_not_write(tracker_db: Path) -> None:
    before = tracker_db.read_bytes()
    make_report(url_of(tracker_db))
    assert tracker_db.read_bytes() == before


def test_bad_arguments(tracker_db: Path, capsys: pytest.CaptureFixture) -> None:
    url = url_of(tracker_db)
    argv = ["report", "--tracker-url", url, "--since", "2026-04-03", "--until", "2026-04-01"]
    assert main(argv) == 2
    with pytest.raises(SystemExit):
        main(["report", "--since", "April"])
    with pytest.raises(SystemExit):
        main(["report", "--top", "0"])
    capsys.readouterr()


def test_tracker_url_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.ops import report as module

    assert resolve_tracker_url("sqlite:///x.db", {"TRACKER_STORE_URL": "sqlite:///y.db"}) == (
        "sqlite:///x.db"
    )
    assert resolve_tracker_url(None, {"TRACKER_STORE_URL": "postgres://u@h/db"}) == (
        "postgresql://u@h/db"
    )
    # The project's endpoints.yml: the SQLite file under var/.
    assert resolve_tracker_url(None, {}) == f"sqlite:///{module.PROJECT_ROOT / 'var/tracker.db'}"

    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: db.example\n"
        "  port: 5432\n  db: rasa\n  username: rasa\n  password: ${TEST_TRACKER_PASSWORD}\n"
    )
    monkeypatch.setenv("TEST_TRACKER_PASSWORD", "s3cret")
    assert tracker_url_from_endpoints(endpoints) == "postgresql://rasa:s3cret@db.example:5432/rasa"
    endpoints.write_text("tracker_store:\n  type: redis\n")
    with pytest.raises(ReportError, match="not SQL"):
        tracker_url_from_endpoints(endpoints)


def test_other_subcommands_still_parse() -> None:
    from bot.__main__ import _parser

    assert _parser().parse_args(["enquiries", "list"]).command == "enquiries"
    assert _parser().parse_args(["knowledge", "check"]).command == "knowledge"


def test_postgresql(tmp_path: Path) -> None:
    """The same figures from a real PostgreSQL tracker store (skipped without the binaries)."""
    from bot.ops.postgres import PostgresServer, find_bin_dir

    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL binaries not found")
    server = PostgresServer(bin_dir)
    try:
        server.init()
        server.start()
        url = server.create_database()
        save(url, conversations())
        report: Report = make_report(url, date(2026, 4, 1), date(2026, 4, 3))
        assert report.conversations == 4
        assert report.messages == 15
        assert report.fallbacks == {"会員に なるには?": 2, "when was iclei founded": 2, "asdfgh": 1}
        assert report.withheld == 3
    finally:
        server.cleanup()
