"""submit_enquiry: never loses an enquiry. The database goes away mid-conversation and back."""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.enquiries import (
    EnquiryStore,
    Notifier,
    SmtpSettings,
    Spool,
    SubmissionFailed,
    replay_spool,
    submit_enquiry,
)
from bot.enquiries.model import enquiries
from bot.ops.postgres import PostgresServer
from tests.enquiries.conftest import PERSONAL, make_draft


def _rows(store: EnquiryStore, key: str | None = None) -> int:
    query = select(func.count()).select_from(enquiries)
    if key is not None:
        query = query.where(enquiries.c.idempotency_key == key)
    with store.engine.connect() as connection:
        return connection.execute(query).scalar_one()


def test_stored_with_reference(store, spool, no_notifier, draft, new_key) -> None:
    result = submit_enquiry(draft, new_key(), store, spool, no_notifier)
    assert result.status == "stored"
    assert result.reference and result.reference.startswith("ICLEI-")
    assert result.office_id == "japan"
    assert store.get(result.reference) is not None  # committed before the reference is shown


def test_retry_is_one_enquiry(store, spool, no_notifier, draft, new_key) -> None:
    key = new_key()
    first = submit_enquiry(draft, key, store, spool, no_notifier)
    second = submit_enquiry(draft, key, store, spool, no_notifier)
    assert first == second
    assert _rows(store) == 1


def test_postgres_stopped_during_submission_then_back(
    postgres: PostgresServer, spool, no_notifier, new_key
) -> None:
    """The database stops between two enquiries; the second is spooled, then replayed once."""
    store = EnquiryStore(postgres.create_database())
    before = submit_enquiry(make_draft(), new_key(), store, spool, no_notifier)
    assert before.status == "stored"

    lost_key = new_key()
    postgres.stop()
    try:
        started = time.monotonic()
        during = submit_enquiry(
            make_draft(organisation="札幌市"), lost_key, store, spool, no_notifier
        )
        assert time.monotonic() - started < 5  # refused connection: fails fast
        assert during.status == "spooled"
        assert during.reference is None
        assert during.office_id == "japan"  # still routed, so the user can be told who answers
        # The same conversation retries while the database is still down: spooled again.
        retry = submit_enquiry(
            make_draft(organisation="札幌市"), lost_key, store, spool, no_notifier
        )
        assert retry.status == "spooled"
        assert spool.pending() == 2
    finally:
        postgres.start()

    # The database is back: the next submission replays the spool first.
    after = submit_enquiry(make_draft(organisation="仙台市"), new_key(), store, spool, no_notifier)
    assert after.status == "stored"
    assert spool.pending() == 0
    assert _rows(store, lost_key) == 1  # two spooled copies, one enquiry
    found = [e for e in store.list() if e.organisation == "札幌市"]
    assert len(found) == 1
    # Replayed before the new one, so references keep the order of submission.
    assert [e.organisation for e in store.list()] == ["横浜市", "札幌市", "仙台市"]
    # The user retrying now gets the reference of the replayed enquiry.
    again = submit_enquiry(make_draft(organisation="札幌市"), lost_key, store, spool, no_notifier)
    assert again.status == "stored" and again.reference == found[0].reference
    store.dispose()


def test_sqlite_unreachable_then_back(tmp_path: Path, spool, no_notifier, new_key) -> None:
    """A SQLite path that cannot be opened (its directory is a file) counts as an outage."""
    blocked = tmp_path / "data"
    blocked.write_text("not a directory")
    store = EnquiryStore(f"sqlite:///{blocked / 'enquiries.db'}")
    key = new_key()
    result = submit_enquiry(make_draft(), key, store, spool, no_notifier)
    assert result.status == "spooled"
    assert spool.entries()[0][0] == key

    blocked.unlink()  # the disk is back
    replay = replay_spool(store, spool)
    assert replay.error is None
    assert [e.organisation for e in replay.stored] == ["横浜市"]
    assert spool.pending() == 0
    # Replaying again (e.g. after a crash before the spool was trimmed) changes nothing.
    spool.append(make_draft(), key)
    assert replay_spool(store, spool).error is None
    assert _rows(store) == 1
    store.dispose()


def test_hung_database_fails_fast(spool, no_notifier, draft, new_key) -> None:
    """A server that accepts the connection and never answers: connect_timeout, then spool."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        store = EnquiryStore(f"postgresql+psycopg2://u@127.0.0.1:{port}/db")
        started = time.monotonic()
        result = submit_enquiry(draft, new_key(), store, spool, no_notifier)
        elapsed = time.monotonic() - started
    assert result.status == "spooled"
    assert elapsed < 10, elapsed


def test_replay_stops_at_outage_and_keeps_the_rest(tmp_path: Path, new_key) -> None:
    spool = Spool(tmp_path / "spool")
    keys = [new_key() for _ in range(3)]
    for key in keys:
        spool.append(make_draft(), key)
    down = EnquiryStore(f"sqlite:///{tmp_path / 'file'}/x.db")
    (tmp_path / "file").write_text("")
    result = spool.replay(down)
    assert result.error is not None and result.stored == []
    assert spool.pending() == 3
    assert [key for key, _ in spool.entries()] == keys  # order kept

    up = EnquiryStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    result = spool.replay(up)
    assert len(result.stored) == 3 and result.remaining == 0
    assert not list((tmp_path / "spool").glob("replay-*"))
    up.dispose()


def test_spool_is_private_and_survives_torn_lines(tmp_path: Path, new_key) -> None:
    spool = Spool(tmp_path / "spool")
    spool.append(make_draft(), new_key())
    active = tmp_path / "spool" / "enquiries.jsonl"
    assert oct(active.stat().st_mode & 0o777) == "0o600"
    assert oct((tmp_path / "spool").stat().st_mode & 0o777) == "0o700"
    line = json.loads(active.read_text(encoding="utf-8").splitlines()[0])
    assert line["draft"]["organisation"] == "横浜市"  # UTF-8, not escaped
    with active.open("a", encoding="utf-8") as file:
        file.write('{"idempotency_key": "torn", "dra')  # a crash in the middle of a write
    spool.append(make_draft(organisation="川崎市"), new_key())
    assert spool.pending() == 3

    store = EnquiryStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    result = spool.replay(store)
    assert [e.organisation for e in result.stored] == ["横浜市", "川崎市"]
    assert result.rejected == 1 and result.remaining == 0
    assert "torn" in (tmp_path / "spool" / "rejected.jsonl").read_text()  # kept, not dropped
    store.dispose()


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\x1c", "\r"])
def test_a_spooled_enquiry_survives_any_line_separator(tmp_path: Path, new_key, separator) -> None:
    spool = Spool(tmp_path / "spool")
    spool.append(
        make_draft(sender_id=f"web{separator}chat", organisation=f"横浜{separator}市"), new_key()
    )
    store = EnquiryStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    result = spool.replay(store)
    assert result.rejected == 0 and [e.organisation for e in result.stored] == [
        f"横浜{separator}市"
    ]
    store.dispose()


def test_spool_unwritable_raises_submission_failed(tmp_path: Path, no_notifier, new_key) -> None:
    (tmp_path / "full").write_text("")
    store = EnquiryStore(f"sqlite:///{tmp_path / 'full'}/x.db")
    spool = Spool(tmp_path / "full" / "spool")
    with pytest.raises(SubmissionFailed):
        submit_enquiry(make_draft(), new_key(), store, spool, no_notifier)


def test_defaults_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, draft, new_key
) -> None:
    from bot.enquiries import service

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("ENQUIRY_SPOOL_DIR", str(tmp_path / "env-spool"))
    monkeypatch.delenv("SMTP_HOST", raising=False)
    monkeypatch.setattr(service, "_default_store", None)
    monkeypatch.setattr(service, "_default_notifier", None)
    result = submit_enquiry(draft, new_key())
    assert result.status == "stored"
    assert (tmp_path / "env.db").exists()
    service.default_store().dispose()


def test_no_personal_data_in_logs(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    smtp_server,
    silent_smtp: int,
    new_key,
) -> None:
    """Submit, spool, replay and notify (sent and failed): logs name references, not people."""
    caplog.set_level(logging.DEBUG)
    host, port, handler = smtp_server
    spool = Spool(tmp_path / "spool")
    store = EnquiryStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    sent = Notifier(
        SmtpSettings(host=host, port=port, default_recipients=("staff@example.org",)),
        on_sent=store.mark_notified,
    )
    failing = Notifier(
        SmtpSettings(
            host="127.0.0.1", port=silent_smtp, timeout=0.5, default_recipients=("s@example.org",)
        )
    )
    (tmp_path / "down").write_text("")
    down = EnquiryStore(f"sqlite:///{tmp_path / 'down'}/x.db")

    assert submit_enquiry(make_draft(), new_key(), down, spool, sent).status == "spooled"
    stored = submit_enquiry(make_draft(), new_key(), store, spool, sent)
    assert stored.status == "stored"
    assert handler.received.wait(10)
    failed = failing.notify(store.get(stored.reference))
    failed.join(10)
    for _ in range(50):  # notified_at is written by the sending thread
        if all(e.notified_at for e in store.list()):
            break
        time.sleep(0.1)

    # Every record but the test SMTP server's own (it logs what it receives, as a server may).
    ours = [r for r in caplog.records if not r.name.startswith("mail.log")]
    text = "".join(f"{r.getMessage()} {r.exc_text} {r.stack_info}\n" for r in ours)
    assert "spooled" in text and "notification" in text and stored.reference in text
    for value in (*PERSONAL.values(), "line-U1234", "環境政策課", "3700000"):
        assert value not in text, value
    store.dispose()


@pytest.fixture(autouse=True)
def _restore_umask() -> None:
    old = os.umask(0o022)
    yield
    os.umask(old)
