"""EnquiryStore on SQLite and on a real PostgreSQL: references, idempotency, listing."""

from __future__ import annotations

import re
import sys
import threading
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.enquiries import EnquiryStore, database_url_from_env
from bot.enquiries.model import enquiries
from tests.enquiries.conftest import make_draft

REFERENCE = re.compile(r"^ICLEI-(\d{4})-(\d{6})$")


def _count(store: EnquiryStore) -> int:
    with store.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(enquiries)).scalar_one()


def _set_created(store: EnquiryStore, reference: str, when: datetime) -> None:
    with store.engine.begin() as connection:
        connection.execute(
            update(enquiries).where(enquiries.c.reference == reference).values(created_at=when)
        )


def test_nothing_connects_on_import_or_construction() -> None:
    code = (
        "import sys, bot.enquiries, bot.enquiries.validation, bot.ops.enquiry_commands\n"
        "from bot.enquiries import EnquiryStore\n"
        "s = EnquiryStore('postgresql://nobody@127.0.0.1:1/none')\n"
        "assert s._engine is None\n"
        "assert 'psycopg2' not in sys.modules, 'driver imported'\n"
    )
    import subprocess

    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True, timeout=60)


def test_submit_returns_committed_reference(store: EnquiryStore, draft, new_key) -> None:
    stored = store.submit(draft, new_key())
    match = REFERENCE.match(stored.reference)
    assert match, stored.reference
    assert int(match.group(1)) == stored.created_at.year == datetime.now(timezone.utc).year
    assert int(match.group(2)) == stored.id
    assert stored.office_id == "japan"
    assert stored.created_at.tzinfo is not None
    # Committed: another store (another connection, as another process would) sees it.
    other = EnquiryStore(store.url)
    found = other.get(stored.reference)
    other.dispose()
    assert found == stored
    assert found.draft == draft


def test_fields_round_trip(store: EnquiryStore, new_key) -> None:
    draft = make_draft(
        organisation="City of Cape Town",
        country_code="za",
        contact_name="Thandi Nkosi",
        email="t.nkosi@example.org",
        role=None,
        population=None,
        message=None,
        language="en",
    )
    stored = store.submit(draft, new_key())
    assert stored.country_code == "ZA"
    assert stored.office_id == "africa"
    assert (stored.role, stored.population, stored.message) == (None, None, None)
    assert stored.consent_given_at == draft.consent_given_at
    assert stored.notified_at is None


def test_country_routes_to_its_office(store: EnquiryStore, new_key) -> None:
    assert store.submit(make_draft(country_code="KE"), new_key()).office_id == "africa"
    assert store.submit(make_draft(country_code="DE"), new_key()).office_id == "europe"
    assert store.submit(make_draft(country_code="KR"), new_key()).office_id == "korea"


def test_retry_with_same_key_creates_one_enquiry(store: EnquiryStore, draft, new_key) -> None:
    key = new_key()
    first = store.submit(draft, key)
    again = store.submit(draft, key)
    assert again == first
    assert _count(store) == 1
    second = store.submit(draft, new_key())
    assert second.reference != first.reference
    assert _count(store) == 2


def test_race_on_same_key_is_resolved_by_the_unique_constraint(
    store: EnquiryStore, draft, new_key, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = new_key()
    first = store.submit(draft, key)
    # The other process's row is not visible at our first read, only after our insert fails.
    real = store.find_by_key
    calls = iter([None])
    monkeypatch.setattr(store, "find_by_key", lambda k: next(calls, None) or real(k))
    assert store.submit(draft, key) == first
    assert _count(store) == 1


def test_concurrent_submissions_of_one_key(store: EnquiryStore, draft, new_key) -> None:
    key = new_key()
    store.create_schema()
    barrier = threading.Barrier(6)
    results, errors = [], []

    def submit() -> None:
        own = EnquiryStore(store.url)  # separate engine: as separate action servers would
        try:
            barrier.wait()
            results.append(own.submit(draft, key).reference)
        except Exception as error:
            errors.append(error)
        finally:
            own.dispose()

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert len(set(results)) == 1 and len(results) == 6
    assert _count(store) == 1


def test_list_filters(store: EnquiryStore, new_key) -> None:
    tokyo = store.submit(make_draft(organisation="東京都"), new_key())
    nairobi = store.submit(make_draft(organisation="Nairobi", country_code="KE"), new_key())
    bonn = store.submit(make_draft(organisation="Bonn", country_code="DE"), new_key())
    _set_created(store, tokyo.reference, datetime(2026, 3, 1, 23, 59, tzinfo=timezone.utc))
    _set_created(store, nairobi.reference, datetime(2026, 3, 2, 0, 0, tzinfo=timezone.utc))
    _set_created(store, bonn.reference, datetime(2026, 3, 3, 12, 0, tzinfo=timezone.utc))

    def refs(**filters) -> list[str]:
        return [enquiry.reference for enquiry in store.list(**filters)]

    assert refs() == [tokyo.reference, nairobi.reference, bonn.reference]
    assert refs(office_id="africa") == [nairobi.reference]
    assert refs(office_id="nowhere") == []
    assert refs(since=date(2026, 3, 2)) == [nairobi.reference, bonn.reference]
    # A date `until` includes the whole day.
    assert refs(until=date(2026, 3, 2)) == [tokyo.reference, nairobi.reference]
    assert refs(since=date(2026, 3, 2), until=date(2026, 3, 2)) == [nairobi.reference]
    assert refs(since=date(2026, 3, 2), office_id="europe") == [bonn.reference]
    # A datetime `until` is exclusive.
    assert refs(until=datetime(2026, 3, 2, tzinfo=timezone.utc)) == [tokyo.reference]
    listed = store.list(office_id="japan")[0]
    assert listed.created_at == datetime(2026, 3, 1, 23, 59, tzinfo=timezone.utc)


def test_mark_notified(store: EnquiryStore, draft, new_key) -> None:
    stored = store.submit(draft, new_key())
    assert [e.reference for e in store.list(notified=False)] == [stored.reference]
    store.mark_notified(stored.reference)
    assert store.get(stored.reference).notified_at is not None
    assert store.list(notified=False) == []
    assert len(store.list(notified=True)) == 1


def test_unknown_country_is_refused(store: EnquiryStore, new_key) -> None:
    with pytest.raises(KeyError):
        store.submit(make_draft(country_code="XX"), new_key())


def test_naive_consent_time_is_refused() -> None:
    with pytest.raises(ValueError):
        make_draft(consent_given_at=datetime(2026, 5, 1, 9, 30))


def test_database_url_from_env(tmp_path: Path) -> None:
    assert database_url_from_env({"DATABASE_URL": "postgresql://u@h/db"}) == "postgresql://u@h/db"
    assert database_url_from_env({"DATABASE_URL": "postgres://u@h/db"}) == "postgresql://u@h/db"
    default = database_url_from_env({})
    assert default.startswith("sqlite:///") and default.endswith("/var/enquiries.db")
    assert Path(default[len("sqlite:///") :]).is_absolute()


def test_sqlite_directory_is_created(sqlite_url: str, draft, new_key) -> None:
    store = EnquiryStore(sqlite_url)
    assert store.submit(draft, new_key()).reference
    assert Path(sqlite_url[len("sqlite:///") :]).exists()
    store.dispose()


def test_repr_hides_password() -> None:
    assert "secret" not in repr(EnquiryStore("postgresql://user:secret@db.example.org/enquiries"))
