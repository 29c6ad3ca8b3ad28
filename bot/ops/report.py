"""`python -m bot report`: usage figures from the tracker store, and what to teach the bot next.

Reads Rasa's SQL tracker store (table `events`, one row per event) read-only and summarises
a date range (UTC days, both ends included): conversations, user messages per language and
channel, top intents, and the most frequent user messages that fell back or were out of
scope. Messages typed while the enquiry form was active are personal data (names, e-mail
addresses, ...): they are counted but their text is never listed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ENDPOINTS_FILE = PROJECT_ROOT / "endpoints.yml"
DEFAULT_TRACKER_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'tracker.db'}"
# Rasa's own SQL store and ours (bot/tracker_store.py), which writes the same tables.
SQL_STORE_TYPES = frozenset({"sql", "bot.tracker_store.cachedsqltrackerstore"})

FALLBACK_INTENTS = frozenset({"nlu_fallback"})
FALLBACK_ACTIONS = frozenset({"action_default_fallback", "utter_default"})
OUT_OF_SCOPE_INTENTS = frozenset({"out_of_scope", "ask_other_iclei_topic"})
PRIVATE_FORMS = frozenset({"enquiry_form"})
# Events after which Rasa starts the tracker afresh (no active form any more).
RESET_EVENTS = frozenset({"restart", "session_started"})
UNKNOWN = "unknown"


class ReportError(Exception):
    """The tracker store cannot be read (missing file, no events table, no connection)."""


# --- where the tracker store is ----------------------------------------------------------


def _expand(value: Any) -> Any:
    """Expand ${VAR} in a string from endpoints.yml, as Rasa does; other values unchanged."""
    return os.path.expandvars(value) if isinstance(value, str) else value


def tracker_url_from_endpoints(path: Path = ENDPOINTS_FILE) -> str:
    """SQLAlchemy URL of the SQL tracker store configured in endpoints.yml (or the default)."""
    import yaml
    from sqlalchemy.engine import URL

    try:
        endpoints = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        return DEFAULT_TRACKER_URL
    store = endpoints.get("tracker_store") if isinstance(endpoints, dict) else None
    if not isinstance(store, dict):
        return DEFAULT_TRACKER_URL
    config = {key: _expand(value) for key, value in store.items()}
    if str(config.get("type", "")).lower() not in SQL_STORE_TYPES:
        raise ReportError(
            f"the tracker store in {path.name} is {config.get('type')!r}, not SQL: "
            "pass --tracker-url or set TRACKER_STORE_URL"
        )
    host = config.get("url") or config.get("host")
    if host and "://" in str(host):  # a full URL in `host`, as Rasa allows
        return str(host)
    dialect = str(config.get("dialect") or "sqlite")
    database = str(config.get("db") or "rasa.db")
    if dialect.startswith("sqlite"):
        db_path = Path(database)
        return f"sqlite:///{db_path if db_path.is_absolute() else PROJECT_ROOT / db_path}"
    port = config.get("port")
    url = URL.create(
        dialect,
        username=config.get("username"),
        password=config.get("password"),
        host=host,
        port=int(port) if port not in (None, "") else None,
        database=database,
        query=config.get("query") or {},
    )
    return url.render_as_string(hide_password=False)


def resolve_tracker_url(cli_url: str | None, environ: Mapping[str, str] | None = None) -> str:
    """--tracker-url, else TRACKER_STORE_URL, else the tracker store of endpoints.yml."""
    env = os.environ if environ is None else environ
    url = (cli_url or env.get("TRACKER_STORE_URL", "")).strip()
    if not url:
        return tracker_url_from_endpoints()
    # Heroku-style "postgres://" is not a name SQLAlchemy 1.4 knows.
    return "postgresql://" + url[len("postgres://") :] if url.startswith("postgres://") else url


def _read_only_engine(url: str) -> Any:
    """An engine that cannot write: SQLite opened with mode=ro; PostgreSQL read-only sessions."""
    import sqlite3

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise ReportError(f"not a database URL: {url!r}") from error
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:"):
            raise ReportError("an in-memory SQLite database holds no conversations")
        path = Path(database).expanduser().resolve()
        if not path.is_file():
            raise ReportError(f"tracker store not found: {path} (has the Rasa server run yet?)")
        uri = f"{path.as_uri()}?mode=ro"
        return create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
        )
    try:
        return create_engine(url)
    except (ArgumentError, ImportError) as error:  # unknown dialect, driver not installed
        raise ReportError(f"cannot use {_safe_url(url)}: {error}") from error


def _safe_url(url: str) -> str:
    """The URL with its password hidden, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # only for display
        return "<database>"


# --- reading the events ------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One row of the `events` table, its JSON data decoded (empty when malformed)."""

    sender_id: str
    type_name: str
    timestamp: float | None
    intent_name: str | None
    action_name: str | None
    data: dict[str, Any]


def _decode(raw: Any) -> dict[str, Any]:
    """The event's JSON data as a dict; {} for NULL, malformed JSON, or a non-object."""
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _timestamp(value: Any) -> float | None:
    """A float timestamp, or None when absent or not a number."""
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def read_events(engine: Any, start: float | None, end: float | None) -> Iterator[Event]:
    """Events of every conversation with a user message in [start, end), by sender and order."""
    from sqlalchemy import column, select, table
    from sqlalchemy.exc import SQLAlchemyError

    events = table(
        "events",
        column("id"),
        column("sender_id"),
        column("type_name"),
        column("timestamp"),
        column("intent_name"),
        column("action_name"),
        column("data"),
    )
    in_range = select(events.c.sender_id).where(events.c.type_name == "user")
    if start is not None:
        in_range = in_range.where(events.c.timestamp >= start)
    if end is not None:
        in_range = in_range.where(events.c.timestamp < end)
    # All of those conversations' events, earlier ones too: an enquiry form may have been
    # opened before the range starts, and a fallback may follow just after it ends.
    query = (
        select(
            events.c.sender_id,
            events.c.type_name,
            events.c.timestamp,
            events.c.intent_name,
            events.c.action_name,
            events.c.data,
        )
        .where(events.c.sender_id.in_(in_range.distinct()))
        .order_by(events.c.sender_id, events.c.id)
    )
    try:
        with engine.connect() as connection:
            options: dict[str, Any] = {"stream_results": True}
            if engine.dialect.name == "postgresql":
                options["postgresql_readonly"] = True  # a read-only transaction
            result = connection.execution_options(**options).execute(query)
            for row in result:
                yield Event(
                    sender_id=str(row.sender_id),
                    type_name=str(row.type_name or ""),
                    timestamp=_timestamp(row.timestamp),
                    intent_name=row.intent_name,
                    action_name=row.action_name,
                    data=_decode(row.data),
                )
    except SQLAlchemyError as error:
        detail = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise ReportError(f"cannot read the tracker store: {detail}") from error


# --- the figures -------------------------------------------------------------------------


def normalise(text: str) -> str:
    """NFKC, casefold, and single spaces: the key under which similar messages are counted."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()


@dataclass
class Report:
    """The figures of one date range."""

    since: date | None
    until: date | None
    conversations: int = 0
    messages: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    channels: Counter[str] = field(default_factory=Counter)
    intents: Counter[str] = field(default_factory=Counter)
    fallbacks: Counter[str] = field(default_factory=Counter)
    out_of_scope: Counter[str] = field(default_factory=Counter)
    # Fallback / out-of-scope messages typed in the enquiry form: counted, never listed.
    withheld: int = 0
    # Per UTC day (YYYY-MM-DD): messages by language and by channel, fallbacks, out of scope.
    daily_languages: dict[str, Counter[str]] = field(default_factory=dict)
    daily_channels: dict[str, Counter[str]] = field(default_factory=dict)
    daily_fallbacks: Counter[str] = field(default_factory=Counter)
    daily_out_of_scope: Counter[str] = field(default_factory=Counter)

    def to_dict(self, top: int = 10) -> dict[str, Any]:
        """JSON-ready figures, with the top `top` intents and messages."""

        def share(count: int) -> float:
            return round(count / self.messages, 4) if self.messages else 0.0

        def listed(counter: Counter[str]) -> list[dict[str, Any]]:
            return [{"text": text, "count": n} for text, n in _most_common(counter, top)]

        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "timezone": "UTC",
            "conversations": self.conversations,
            "messages": self.messages,
            "languages": dict(_most_common(self.languages)),
            "channels": dict(_most_common(self.channels)),
            "top_intents": [
                {"intent": name, "count": n, "share": share(n)}
                for name, n in _most_common(self.intents, top)
            ],
            "fallbacks": listed(self.fallbacks),
            "fallbacks_total": sum(self.fallbacks.values()),
            "out_of_scope": listed(self.out_of_scope),
            "out_of_scope_total": sum(self.out_of_scope.values()),
            "withheld_form_messages": self.withheld,
        }


def _most_common(counter: Counter[str], top: int | None = None) -> list[tuple[str, int]]:
    """Most frequent first, ties alphabetically: stable output."""
    ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return ordered if top is None else ordered[:top]


def _day_bounds(since: date | None, until: date | None) -> tuple[float | None, float | None]:
    """Epoch seconds of the start of `since` and the end of `until` (exclusive), UTC."""
    start = end = None
    if since is not None:
        start = datetime.combine(since, time.min, tzinfo=timezone.utc).timestamp()
    if until is not None:
        end_day = until + timedelta(days=1)
        end = datetime.combine(end_day, time.min, tzinfo=timezone.utc).timestamp()
    return start, end


def _text(value: Any) -> str | None:
    """A string value, or None."""
    return value if isinstance(value, str) and value else None


def _language(parse_data: dict[str, Any]) -> str:
    """The value of the `language` entity (from LanguageDetector), or "unknown"."""
    entities = parse_data.get("entities")
    for entity in entities if isinstance(entities, list) else []:
        if isinstance(entity, dict) and entity.get("entity") == "language":
            value = _text(entity.get("value"))
            if value:
                return value
    return UNKNOWN


def _intent(event: Event) -> str:
    """The predicted intent of a user event, or "unknown"."""
    parse_data = event.data.get("parse_data")
    intent = parse_data.get("intent") if isinstance(parse_data, dict) else None
    name = _text(intent.get("name")) if isinstance(intent, dict) else None
    return name or _text(event.intent_name) or UNKNOWN


def _fallback_action(event: Event) -> bool:
    """Whether the event is the bot's default fallback (the action, or its utterance)."""
    if event.type_name == "action":
        name = _text(event.action_name) or _text(event.data.get("name"))
        return name in FALLBACK_ACTIONS
    if event.type_name == "bot":
        metadata = event.data.get("metadata")
        utter = metadata.get("utter_action") if isinstance(metadata, dict) else None
        return utter in FALLBACK_ACTIONS
    return False


@dataclass
class _Turn:
    """A user message in range, waiting to see whether the bot falls back after it."""

    text: str | None
    intent: str
    private: bool
    fell_back: bool = False
    day: str = ""


def build_report(
    events: Iterable[Event], since: date | None = None, until: date | None = None
) -> Report:
    """Summarise events (ordered by sender, then as stored) for the UTC days since..until."""
    start, end = _day_bounds(since, until)
    report = Report(since=since, until=until)
    senders: set[str] = set()
    sender: str | None = None
    form_active = False
    turn: _Turn | None = None

    def close(turn: _Turn | None) -> None:
        if turn is None:
            return
        if turn.intent in OUT_OF_SCOPE_INTENTS:
            target = report.out_of_scope
            report.daily_out_of_scope[turn.day] += 1
        elif turn.intent in FALLBACK_INTENTS or turn.fell_back:
            target = report.fallbacks
            report.daily_fallbacks[turn.day] += 1
        else:
            return
        if turn.private:
            report.withheld += 1
        elif turn.text and normalise(turn.text):
            target[normalise(turn.text)] += 1

    for event in events:
        if event.sender_id != sender:
            close(turn)
            sender, form_active, turn = event.sender_id, False, None
        if event.type_name in RESET_EVENTS:
            close(turn)
            form_active, turn = False, None
        elif event.type_name == "active_loop":
            form_active = event.data.get("name") in PRIVATE_FORMS
        elif event.type_name == "user":
            close(turn)
            turn = None
            stamp = event.timestamp
            if stamp is None or (start is not None and stamp < start):
                continue
            if end is not None and stamp >= end:
                continue
            parse_data = event.data.get("parse_data")
            parse_data = parse_data if isinstance(parse_data, dict) else {}
            intent = _intent(event)
            senders.add(event.sender_id)
            report.messages += 1
            report.languages[_language(parse_data)] += 1
            report.channels[_text(event.data.get("input_channel")) or UNKNOWN] += 1
            report.intents[intent] += 1
            day = datetime.fromtimestamp(stamp, tz=timezone.utc).date().isoformat()
            language = _language(parse_data)
            channel = _text(event.data.get("input_channel")) or UNKNOWN
            report.daily_languages.setdefault(day, Counter())[language] += 1
            report.daily_channels.setdefault(day, Counter())[channel] += 1
            turn = _Turn(_text(event.data.get("text")), intent, private=form_active, day=day)
        elif turn is not None and _fallback_action(event):
            turn.fell_back = True
    close(turn)
    report.conversations = len(senders)
    return report


def make_report(url: str, since: date | None = None, until: date | None = None) -> Report:
    """Read the tracker store at `url` (read-only) and summarise since..until (UTC days)."""
    engine = _read_only_engine(url)
    try:
        return build_report(read_events(engine, *_day_bounds(since, until)), since, until)
    except ReportError as error:
        raise ReportError(f"{error} ({_safe_url(url)})") from error
    finally:
        engine.dispose()


# --- output ------------------------------------------------------------------------------


def format_text(report: Report, top: int = 10) -> str:
    """The report as plain text for the terminal."""
    data = report.to_dict(top)
    since = data["since"] or "the first message"
    until = data["until"] or "the last"
    lines = [
        f"ICLEI assistant usage, {since} to {until} (UTC)",
        "",
        f"Conversations: {report.conversations}",
        f"User messages: {report.messages}",
    ]

    def table(title: str, rows: list[tuple[str, int]]) -> None:
        lines.extend(["", title])
        if not rows:
            lines.append("  (none)")
        width = max((len(label) for label, _ in rows), default=0)
        for label, count in rows:
            percent = 100 * count / report.messages if report.messages else 0.0
            lines.append(f"  {label:<{width}}  {count:>6}  {percent:5.1f}%")

    def messages(title: str, rows: list[dict[str, Any]], total: int) -> None:
        lines.extend(["", f"{title}: {total} message{'' if total == 1 else 's'}"])
        if not rows:
            lines.append("  (none)")
        for row in rows:
            lines.append(f"  {row['count']:>6}  {row['text']}")

    table("Messages per language", _most_common(report.languages))
    table("Messages per channel", _most_common(report.channels))
    table("Top intents", _most_common(report.intents, top))
    messages("Fell back, teach these next", data["fallbacks"], data["fallbacks_total"])
    messages("Out of scope", data["out_of_scope"], data["out_of_scope_total"])
    if report.withheld:
        lines.extend(
            [
                "",
                f"{report.withheld} more fell back or were out of scope while the enquiry "
                "form was open; their text is personal data and is not shown.",
            ]
        )
    return "\n".join(lines) + "\n"


# --- command line ------------------------------------------------------------------------


def _date(text: str) -> date:
    """argparse type for YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _positive(text: str) -> int:
    """argparse type for a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {text!r}")
    return value


def add_report_command(commands: argparse._SubParsersAction) -> None:
    """Register the `report` command on the top-level subparsers."""
    report = commands.add_parser(
        "report", help="conversations, languages, channels, intents and fallbacks for a range"
    )
    report.add_argument("--since", type=_date, help="from this day (UTC), YYYY-MM-DD")
    report.add_argument("--until", type=_date, help="up to this day included (UTC), YYYY-MM-DD")
    report.add_argument(
        "--tracker-url",
        help="SQLAlchemy URL (default: TRACKER_STORE_URL, else endpoints.yml's tracker store)",
    )
    report.add_argument("--format", choices=["text", "json"], default="text")
    report.add_argument(
        "--html", type=Path, help="also write a self-contained HTML page with charts here"
    )
    report.add_argument("--lang", choices=["en", "ja"], default="en", help="the HTML's language")
    report.add_argument("--top", type=_positive, default=10, help="rows per list (default 10)")


def run_report_command(args: argparse.Namespace) -> int:
    """Print the report; 0 on success, 1 when the tracker store cannot be read."""
    if args.since and args.until and args.since > args.until:
        print(f"--since {args.since} is after --until {args.until}", file=sys.stderr)
        return 2
    try:
        url = resolve_tracker_url(args.tracker_url)
        report = make_report(url, args.since, args.until)
    except ReportError as error:
        print(f"report: {error}", file=sys.stderr)
        return 1
    if args.html:
        from bot.ops.report_html import enquiry_counts, render_html

        args.html.write_text(
            render_html(report, enquiry_counts(), args.lang, args.top), encoding="utf-8"
        )
        print(f"wrote {args.html}", file=sys.stderr)
    if args.format == "json":
        output = json.dumps(report.to_dict(args.top), ensure_ascii=False, indent=2) + "\n"
    else:
        output = format_text(report, args.top)
    try:
        sys.stdout.write(output)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silences the exit-time flush
    return 0
