"""`python -m bot privacy purge`: what is older than the retention goes, nothing else."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.privacy.conftest import NOW, OLD, RECENT, Stores, conversation

ANN = "ann@example.org"


async def fill(stores: Stores) -> None:
    """Two people, each with an old and a recent conversation, enquiry and spool line."""
    await stores.add_conversation(
        "webchat:ann-old",
        conversation([(f"my email is {ANN.upper()}", {"enquiry_email": ANN})], OLD),
    )
    await stores.add_conversation("webchat:bob-old", conversation([("hello", {})], OLD))
    await stores.add_conversation(
        "webchat:ann-new", conversation([(f"メールは{ANN}です", {"enquiry_email": ANN})], RECENT)
    )
    # Started long ago, but written to an hour ago: still going on, so kept whole.
    events = conversation([("hi", {})], OLD) + conversation([("again", {})], RECENT)
    await stores.add_conversation("webchat:bob-back", events)
    stores.add_enquiry(ANN, "webchat:ann-old", created_at=OLD)
    stores.add_enquiry("bob@example.org", "webchat:bob-old", created_at=OLD)
    stores.add_enquiry(ANN, "webchat:ann-new")
    stores.spool(ANN, "webchat:ann-old", spooled_at=OLD)
    stores.spool("bob@example.org", "webchat:bob-new")


async def test_purge_removes_only_what_is_older_than_the_retention(each_backend, capsys):
    stores = each_backend
    await fill(stores)
    # Unreadable lines say no time: they are as old as their file's last write.
    stores.reject('{"torn', "garbage", written=NOW - timedelta(days=40))

    assert stores.run("purge", "--older-than", "30d") == 0

    assert stores.senders() == {"webchat:ann-new", "webchat:bob-back"}
    assert stores.enquiry_emails() == [ANN]
    (line,) = stores.spool_lines()
    assert json.loads(line)["draft"]["email"] == "bob@example.org"
    assert not (stores.spool_dir / "rejected.jsonl").exists()
    output = capsys.readouterr().out
    assert "removed: 2 conversations, 2 enquiries, 3 spool lines (older than 30 days" in output


async def test_a_conversation_is_kept_whole_while_it_is_recent(stores):
    await fill(stores)
    before = stores.senders()
    assert stores.run("purge", "--older-than", "90d") == 0
    assert stores.senders() == before
    assert stores.run("purge", "--older-than", "30m") == 0
    assert stores.senders() == set()
    assert stores.enquiry_emails() == []
    assert stores.spool_lines() == []


async def test_dry_run_counts_and_deletes_nothing(each_backend, capsys):
    stores = each_backend
    await fill(stores)
    before = (stores.senders(), stores.enquiry_emails(), stores.spool_lines())
    assert stores.run("purge", "--older-than", "30d", "--dry-run") == 0
    assert (stores.senders(), stores.enquiry_emails(), stores.spool_lines()) == before
    assert "would remove: 2 conversations, 2 enquiries, 1 spool lines" in capsys.readouterr().out


async def test_retention_comes_from_the_environment(stores, monkeypatch, capsys):
    await fill(stores)
    monkeypatch.setenv("PRIVACY_RETENTION_DAYS", "90")
    assert stores.run("purge") == 0
    assert "removed: 0 conversations, 0 enquiries, 0 spool lines (older than 90 days" in (
        capsys.readouterr().out
    )
    monkeypatch.delenv("PRIVACY_RETENTION_DAYS")
    assert stores.run("purge") == 0  # the default: 30 days
    assert stores.senders() == {"webchat:ann-new", "webchat:bob-back"}


@pytest.mark.parametrize("value", ["30", "30x", "d", "-1d", "0d", "1.5d", ""])
def test_a_bad_age_is_a_clear_error(stores, capsys, value):
    assert stores.run("purge", f"--older-than={value}") == 2
    error = capsys.readouterr().err
    assert "error: --older-than must be" in error
    assert "Traceback" not in error


@pytest.mark.parametrize("value", ["thirty", "0", "-5", "2.5"])
def test_a_bad_retention_setting_is_a_clear_error(stores, capsys, monkeypatch, value):
    monkeypatch.setenv("PRIVACY_RETENTION_DAYS", value)
    assert stores.run("purge") == 2
    assert "error: PRIVACY_RETENTION_DAYS must be a whole number of days" in (
        capsys.readouterr().err
    )


def test_an_unset_variable_of_the_tracker_store_is_a_clear_error(stores, capsys, monkeypatch):
    monkeypatch.delenv("TRACKER_DB_HOST", raising=False)
    stores.endpoints.write_text(
        "tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: ${TRACKER_DB_HOST}\n",
        encoding="utf-8",
    )
    assert stores.run("purge", "--dry-run") == 2
    assert "${TRACKER_DB_HOST}" in capsys.readouterr().err


def test_a_tracker_store_that_is_not_sql_is_refused(stores, capsys):
    stores.endpoints.write_text("tracker_store:\n  type: redis\n", encoding="utf-8")
    assert stores.run("purge") == 2
    assert "not an SQL store" in capsys.readouterr().err


def test_stores_that_do_not_exist_yet_hold_nothing_to_purge(stores, capsys):
    assert stores.run("purge") == 0
    assert "removed: 0 conversations, 0 enquiries, 0 spool lines" in capsys.readouterr().out
    assert not stores.tracker_db.exists()
    assert not stores.spool_dir.exists()
