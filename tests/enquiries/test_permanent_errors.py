"""A database that refuses an enquiry's data is not an outage: the enquiry is kept for staff
in rejected.jsonl, staff are alerted, and it is never replayed (issue 10, hole 4)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import (
    DataError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
    StatementError,
)

from actions.enquiry_submission import ActionSubmitEnquiry
from bot.enquiries import EnquiryStore, Notifier, SmtpSettings, Spool, submit_enquiry
from bot.enquiries.model import SENDER_ID_LENGTH, storable_sender_id
from bot.enquiries.spool import is_outage
from bot.ops.postgres import PostgresServer
from tests.actions.conftest import make_tracker
from tests.enquiries.conftest import PERSONAL, make_draft

SEPARATORS = "\u2028\u2029\u0085"


class _Orig(Exception):
    pass


def _dbapi(cls: type, **kwargs: object) -> Exception:
    return cls("INSERT ...", {"organisation": "secret"}, _Orig("value of secret"), **kwargs)


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (_dbapi(OperationalError), True),
        (_dbapi(InterfaceError), True),
        (OSError("disk"), True),
        (_dbapi(ProgrammingError, connection_invalidated=True), True),
        (_dbapi(DataError), False),
        (_dbapi(IntegrityError), False),
        (_dbapi(ProgrammingError), False),
        (StatementError("bad", "INSERT", {}, ValueError("x")), False),
        (ValueError("A string literal cannot contain NUL (0x00) characters."), False),
        (OverflowError("Python int too large to convert to SQLite INTEGER"), False),
        (KeyError("XX"), False),
    ],
)
def test_outage_or_refusal(error: Exception, outage: bool) -> None:
    assert is_outage(error) is outage


class RefusingStore(EnquiryStore):
    """A SQLite store whose database refuses every enquiry with DataError."""

    calls = 0

    def submit(self, draft, idempotency_key):  # type: ignore[no-untyped-def]
        RefusingStore.calls += 1
        raise _dbapi(DataError)


class RecordingNotifier(Notifier):
    def __init__(self) -> None:
        super().__init__(None)
        self.alerts: list[tuple[str, str, str]] = []

    def alert_rejected(self, draft, idempotency_key, office_id, reason):  # type: ignore[no-untyped-def]
        self.alerts.append((idempotency_key, office_id, reason))


def _rejected(spool: Spool) -> list[dict]:
    path = spool.directory / "rejected.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def test_a_refused_enquiry_is_kept_for_staff_not_spooled(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, new_key
) -> None:
    caplog.set_level(logging.DEBUG)
    spool = Spool(tmp_path / "spool")
    notifier = RecordingNotifier()
    store = RefusingStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    key = new_key()
    result = submit_enquiry(make_draft(), key, store, spool, notifier)
    assert (result.status, result.reference, result.office_id) == ("kept", None, "japan")
    assert spool.pending() == 0  # never replayed
    assert spool.rejected_count() == 1
    (record,) = _rejected(spool)
    assert record["reason"] == "DataError/_Orig"
    assert record["idempotency_key"] == key
    assert record["draft"]["organisation"] == PERSONAL["organisation"]  # kept for staff
    assert notifier.alerts == [(key, "japan", "DataError/_Orig")]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and key[:16] in errors[0].getMessage()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for value in (*PERSONAL.values(), "secret"):
        assert value not in logged

    # The next submissions do not try it again.
    RefusingStore.calls = 0
    up = EnquiryStore(f"sqlite:///{tmp_path / 'up.sqlite'}")
    assert submit_enquiry(make_draft(), new_key(), up, spool, notifier).status == "stored"
    assert submit_enquiry(make_draft(), new_key(), up, spool, notifier).status == "stored"
    assert [e.organisation for e in up.list()] == [PERSONAL["organisation"]] * 2
    assert spool.rejected_count() == 1
    up.dispose()


def test_a_spooled_enquiry_the_database_refuses_leaves_the_spool(tmp_path: Path, new_key) -> None:
    """Spooled during an outage, refused on replay: moved to rejected.jsonl, the others go on."""
    spool = Spool(tmp_path / "spool")
    refused, fine = new_key(), new_key()
    spool.append(make_draft(population=10**20), refused)  # too big for SQLite's INTEGER
    spool.append(make_draft(organisation="川崎市"), fine)
    store = EnquiryStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    notifier = RecordingNotifier()
    from bot.enquiries import replay_spool

    result = replay_spool(store, spool, notifier)
    assert result.error is None
    assert [e.organisation for e in result.stored] == ["川崎市"]
    assert result.rejected == 1 and result.remaining == 0
    assert [(r.idempotency_key, r.reason) for r in result.rejections] == [
        (refused, "OverflowError")
    ]
    assert notifier.alerts == [(refused, "japan", "OverflowError")]
    (record,) = _rejected(spool)
    assert record["idempotency_key"] == refused and record["reason"] == "OverflowError"
    again = replay_spool(store, spool, notifier)
    assert again.stored == [] and again.rejected == 0 and spool.rejected_count() == 1
    store.dispose()


def test_rejected_lines_survive_any_unicode(tmp_path: Path, new_key) -> None:
    """U+2028 / U+2029 / U+0085 (and a lone surrogate) in every field of a rejected line."""
    spool = Spool(tmp_path / "spool")
    odd = f"a{SEPARATORS}\ud800b"
    draft = make_draft(
        organisation=odd, contact_name=odd, email=odd, role=odd, message=odd, sender_id=odd
    )
    key = f"key{SEPARATORS}"
    spool.reject(draft, key, "DataError")
    spool.append(draft, key)
    (record,) = _rejected(spool)
    assert record["draft"]["organisation"] == odd and record["idempotency_key"] == key
    assert spool.entries() == [(key, draft)]


def test_alert_mail_reaches_staff_without_a_reference(tmp_path: Path, smtp_server, new_key) -> None:
    host, port, handler = smtp_server
    notifier = Notifier(SmtpSettings(host=host, port=port, default_recipients=("s@example.org",)))
    spool = Spool(tmp_path / "spool")
    store = RefusingStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    key = new_key()
    assert submit_enquiry(make_draft(), key, store, spool, notifier).status == "kept"
    assert handler.received.wait(10)
    mail = handler.envelopes[0].content.decode("utf-8", "replace")
    assert "NOT STORED" in mail and key in mail and "rejected.jsonl" in mail
    assert handler.envelopes[0].rcpt_tos == ["s@example.org"]


# --- a real PostgreSQL -----------------------------------------------------------------------


def test_postgres_refusal_is_kept_and_not_replayed(
    postgres: PostgresServer, tmp_path: Path, new_key
) -> None:
    """A value too long for its column (DataError) and a NUL (psycopg2's ValueError)."""
    store = EnquiryStore(postgres.create_database())
    spool = Spool(tmp_path / "spool")
    notifier = RecordingNotifier()
    too_long, nul = new_key(), new_key()
    assert submit_enquiry(make_draft(role="x" * 150), too_long, store, spool, notifier).status == (
        "kept"
    )
    assert submit_enquiry(make_draft(message="a\x00b"), nul, store, spool, notifier).status == (
        "kept"
    )
    reasons = {r["idempotency_key"]: r["reason"] for r in _rejected(spool)}
    assert reasons == {too_long: "DataError/StringDataRightTruncation", nul: "ValueError"}
    assert spool.pending() == 0
    ok = submit_enquiry(make_draft(), new_key(), store, spool, notifier)
    assert ok.status == "stored" and spool.rejected_count() == 2 and len(store.list()) == 1
    store.dispose()


@pytest.mark.parametrize(
    "sender",
    ["rest-" + "x" * 295, f"web{SEPARATORS}chat", "a\x00b", "a\ud800b", "y" * 1000],
    ids=["300-chars", "separators", "nul", "surrogate", "1000-chars"],
)
def test_any_sender_id_is_stored_on_postgres(
    postgres: PostgresServer, tmp_path: Path, new_key, sender: str
) -> None:
    store = EnquiryStore(postgres.create_database())
    spool = Spool(tmp_path / "spool")
    result = submit_enquiry(make_draft(sender_id=sender), new_key(), store, spool, Notifier(None))
    assert result.status == "stored"
    assert spool.pending() == 0 and spool.rejected_count() == 0
    (stored,) = store.list()
    assert stored.sender_id == storable_sender_id(sender)
    assert len(stored.sender_id) <= SENDER_ID_LENGTH
    store.dispose()


def test_long_sender_ids_stay_distinct() -> None:
    first, second = "x" * 300 + "1", "x" * 300 + "2"
    assert storable_sender_id(first) != storable_sender_id(second)
    assert storable_sender_id(f"web{SEPARATORS}chat") == f"web{SEPARATORS}chat"
    assert storable_sender_id("line:U123") == "line:U123"


@pytest.mark.parametrize("sender", ["rest-" + "x" * 295, f"web{SEPARATORS}chat"])
async def test_the_action_stores_it_on_postgres(
    postgres: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sender: str
) -> None:
    """Through action_submit_enquiry: 'stored' with a reference, nothing spooled."""
    import bot.enquiries.service as service
    from tests.actions.test_enquiry_form import CONSENTED, FILLED

    url = postgres.create_database()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("ENQUIRY_SPOOL_DIR", str(tmp_path / "spool"))
    monkeypatch.delenv("SMTP_HOST", raising=False)
    monkeypatch.setattr(service, "_default_store", None)
    monkeypatch.setattr(service, "_default_notifier", None)
    tracker = make_tracker(slots=FILLED, events=CONSENTED)
    tracker.sender_id = sender
    dispatcher = CollectingDispatcher()
    await ActionSubmitEnquiry().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_enquiry_stored"
    assert Spool(tmp_path / "spool").pending() == 0
    service.default_store().dispose()


async def test_the_action_on_a_refused_enquiry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept for staff: the visitor hears utter_enquiry_kept (received, passed to staff, no
    reference); never 'stored' with a reference, never 'will be registered automatically'."""
    import bot.enquiries.service as service
    from tests.actions.test_enquiry_form import CONSENTED, FILLED

    monkeypatch.setenv("ENQUIRY_SPOOL_DIR", str(tmp_path / "spool"))
    monkeypatch.delenv("SMTP_HOST", raising=False)
    monkeypatch.setattr(
        service, "_default_store", RefusingStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    )
    monkeypatch.setattr(service, "_default_notifier", None)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots=FILLED, events=CONSENTED)
    await ActionSubmitEnquiry().run(dispatcher, tracker, {})
    await ActionSubmitEnquiry().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_enquiry_kept"] * 2
    assert Spool(tmp_path / "spool").rejected_count() == 2
