"""`python -m bot privacy forget EMAIL`: afterwards the address is nowhere, in any store."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import sqlalchemy as sa

from tests.privacy.conftest import OLD, RECENT, Stores, conversation

ANN = "ann@example.org"


async def fill(stores: Stores) -> None:
    """Ann in slots, in her own words (any case, inside Japanese), in enquiries and the spool;
    Bob, who never gave her address, everywhere too."""
    await stores.add_conversation(
        "webchat:ann-1",
        conversation(
            [("I'd like to join", {}), ("Ann Example", {"enquiry_name": "Ann Example"}),
             (f"mail: {ANN.upper()}", {"enquiry_email": ANN})],
            RECENT,
        ),
    )  # fmt: skip
    await stores.add_conversation(
        "line:ann-2", conversation([("メールはAnn@Example.orgです", {})], OLD)
    )
    # The conversation her enquiry came from, the address long gone from it.
    await stores.add_conversation("webchat:ann-form", conversation([("yes", {})], RECENT))
    await stores.add_conversation(
        "webchat:bob", conversation([("bob@example.org", {"enquiry_email": "bob@example.org"})],
                                    RECENT),
    )  # fmt: skip
    stores.add_enquiry(" Ann@Example.org ", "webchat:ann-form")
    stores.add_enquiry(ANN, "webchat:ann-1", created_at=OLD)
    stores.add_enquiry("bob@example.org", "webchat:bob")
    stores.spool(ANN, "webchat:ann-spooled")
    stores.spool("bob@example.org", "webchat:bob")
    stores.reject('{"draft": {"email": "ANN@EXAMPLE.ORG", "tor', '{"draft": {"email": "bob@')


def everything_stored(stores: Stores) -> str:
    """Every text column of every table and every spool file, lower-cased; with SQLite every
    byte of both database files too: deleted rows must not linger in free pages."""
    parts = []
    for url in (stores.tracker_url, stores.enquiries_url):
        engine = sa.create_engine(url)
        if engine.dialect.name == "sqlite":
            parts.append(Path(engine.url.database).read_bytes().decode("latin-1"))
        with engine.connect() as connection:
            for table in sa.inspect(engine).get_table_names():
                rows = connection.execute(sa.text(f'SELECT * FROM "{table}"'))
                parts.extend(str(tuple(row)) for row in rows)
        engine.dispose()
    # Every file there, temporary ones included (the locks are empty files).
    parts.extend(path.read_text(encoding="utf-8") for path in stores.spool_dir.iterdir()
                 if path.stat().st_size)  # fmt: skip
    return "\n".join(parts).lower()


async def test_forget_leaves_the_address_nowhere(each_backend, capsys):
    stores = each_backend
    await fill(stores)
    assert ANN in everything_stored(stores)  # the test can fail: she is there first

    assert stores.run("forget", "  ANN@example.ORG ") == 0

    assert ANN not in everything_stored(stores)
    assert "bob@example.org" in everything_stored(stores)
    assert stores.senders() == {"webchat:bob"}
    assert stores.enquiry_emails() == ["bob@example.org"]
    remaining = stores.spool_lines()
    assert len(remaining) == 2
    assert json.loads(remaining[0])["draft"]["email"] == "bob@example.org"
    out = capsys.readouterr().out
    assert "removed: 3 conversations, 2 enquiries, 2 spool lines" in out


async def test_forget_never_logs_the_address(stores, capsys, caplog):
    await fill(stores)
    caplog.set_level(logging.DEBUG)
    assert stores.run("forget", ANN) == 0
    assert ANN not in caplog.text.lower()
    assert ANN not in capsys.readouterr().out.lower()


async def test_longer_addresses_that_contain_it_are_someone_else(each_backend):
    stores = each_backend
    await stores.add_conversation(
        "webchat:jo",
        conversation([("jo.ann@example.org", {}), ("or ann@example.org.uk, anna_ann@example.org",
                                                   {})], RECENT),
    )  # fmt: skip
    stores.add_enquiry("jo.ann@example.org", "webchat:jo")
    stores.spool("ann@example.org.uk", "webchat:jo")
    assert stores.run("forget", ANN) == 0
    assert stores.senders() == {"webchat:jo"}
    assert stores.enquiry_emails() == ["jo.ann@example.org"]
    assert len(stores.spool_lines()) == 1


async def test_underscore_in_the_address_is_not_a_wildcard(stores):
    await stores.add_conversation("webchat:x", conversation([("a-b@example.org", {})], RECENT))
    await stores.add_conversation("webchat:y", conversation([("A_B@example.org", {})], RECENT))
    assert stores.run("forget", "a_b@example.org") == 0
    assert stores.senders() == {"webchat:x"}


async def test_dry_run_counts_and_deletes_nothing(stores, capsys):
    await fill(stores)
    before = everything_stored(stores)
    assert stores.run("forget", ANN, "--dry-run") == 0
    assert "would remove: 3 conversations, 2 enquiries, 2 spool lines" in capsys.readouterr().out
    assert everything_stored(stores) == before


def test_an_address_is_required(stores, capsys):
    for value in ("", "   ", "ann", "@example.org", "ann@", "a b@example.org"):
        assert stores.run("forget", value) == 2
        assert "forget needs one whole email address" in capsys.readouterr().err
