"""`python -m bot privacy purge|forget`: delete personal data past its retention, or one
person's on request."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when the command runs: the parser must stay cheap to build
    from sqlalchemy.engine import Engine

USAGE_ERROR = 2


class UsageError(ValueError):
    """A command-line value this command refuses (the message says why)."""


def add_privacy_command(commands: argparse._SubParsersAction) -> None:
    """Register `privacy purge` and `privacy forget` on the top-level subparsers."""
    privacy = commands.add_parser(
        "privacy", help="delete personal data: past its retention, or one person's"
    )
    privacy.add_argument(
        "--endpoints",
        type=Path,
        help="endpoints file of the tracker store (default: RASA_ENDPOINTS, else endpoints.yml)",
    )
    privacy.add_argument(
        "--database-url", help="enquiries database (default: DATABASE_URL, else var/enquiries.db)"
    )
    privacy.add_argument(
        "--spool-dir", type=Path, help="enquiry spool (default: ENQUIRY_SPOOL_DIR, else var/spool)"
    )
    actions = privacy.add_subparsers(dest="privacy_action", required=True)
    purge = actions.add_parser(
        "purge", help="delete conversations, enquiries and spool lines older than the retention"
    )
    purge.add_argument(
        "--older-than", metavar="AGE", help="30d, 12h or 90m (default: PRIVACY_RETENTION_DAYS, 30)"
    )
    purge.add_argument("--dry-run", action="store_true", help="count only, delete nothing")
    forget = actions.add_parser(
        "forget", help="delete one person's enquiries, conversations and spool lines"
    )
    forget.add_argument("email", help="their email address (any letter case)")
    forget.add_argument("--dry-run", action="store_true", help="count only, delete nothing")


@dataclass
class Removed:
    """What a run removed (or, dry, would remove)."""

    conversations: int = 0
    enquiries: int = 0
    spool_lines: int = 0

    def line(self, dry_run: bool) -> str:
        """One line for the operator (and cron's mail)."""
        verb = "would remove" if dry_run else "removed"
        return (
            f"{verb}: {self.conversations} conversations, {self.enquiries} enquiries, "
            f"{self.spool_lines} spool lines"
        )


def run_privacy_command(args: argparse.Namespace) -> int:
    """Run `privacy purge` or `privacy forget`: 0 done, 1 a store failed, 2 a bad value."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.privacy.retention import RetentionError
    from bot.privacy.trackers import TrackerStoreError

    try:
        if args.privacy_action == "purge":
            return _purge(args)
        return _forget(args)
    except (UsageError, RetentionError, TrackerStoreError) as error:
        print(f"python -m bot privacy: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except (SQLAlchemyError, OSError) as error:
        # The type only: a message could quote a statement's parameters (an address).
        print(
            f"python -m bot privacy: {type(error).__name__}; nothing more was deleted",
            file=sys.stderr,
        )
        return 1


def _purge(args: argparse.Namespace) -> int:
    from bot.privacy.enquiries import has_enquiries_table, purge_enquiries
    from bot.privacy.retention import cutoff, describe, retention
    from bot.privacy.spool_lines import purge_spool
    from bot.privacy.trackers import has_events_table, purge_conversations

    age = retention(args.older_than)
    before = cutoff(age)
    removed = Removed()
    tracker_engine = _tracker_engine(args)
    if tracker_engine is not None:
        with _disposing(tracker_engine):
            if has_events_table(tracker_engine):
                removed.conversations = purge_conversations(
                    tracker_engine, before, dry_run=args.dry_run
                )
    with _disposing(_enquiry_engine(args)) as engine:
        if has_enquiries_table(engine):
            removed.enquiries = purge_enquiries(engine, before, dry_run=args.dry_run)
    removed.spool_lines = purge_spool(_spool_dir(args), before, dry_run=args.dry_run)
    print(f"{removed.line(args.dry_run)} (older than {describe(age)}, before {_utc(before)})")
    return 0


def _forget(args: argparse.Namespace) -> int:
    from bot.privacy.addresses import is_address, normalise
    from bot.privacy.enquiries import forget_enquiries, has_enquiries_table
    from bot.privacy.spool_lines import forget_spool
    from bot.privacy.trackers import forget_conversations, has_events_table

    if not is_address(args.email):
        # An empty or partial address would match other people's data too.
        raise UsageError("forget needs one whole email address, e.g. name@example.org")
    address = normalise(args.email)
    removed = Removed()
    senders: set[str] = set()
    with _disposing(_enquiry_engine(args)) as engine:
        if has_enquiries_table(engine):
            removed.enquiries, senders = forget_enquiries(engine, address, dry_run=args.dry_run)
    removed.spool_lines, spooled_senders = forget_spool(
        _spool_dir(args), address, dry_run=args.dry_run
    )
    tracker_engine = _tracker_engine(args)
    if tracker_engine is not None:
        with _disposing(tracker_engine):
            if has_events_table(tracker_engine):
                removed.conversations = forget_conversations(
                    tracker_engine, address, senders | spooled_senders, dry_run=args.dry_run
                )
    # The address is not repeated: this line may end up in a log (cron mail, journal).
    print(removed.line(args.dry_run))
    return 0


def _tracker_engine(args: argparse.Namespace) -> Engine | None:
    """The tracker store's engine, or None when its SQLite file does not exist yet."""
    from bot.privacy.trackers import (
        endpoints_path,
        open_engine,
        sqlite_file_missing,
        tracker_store_url,
    )

    url = tracker_store_url(args.endpoints or endpoints_path())
    missing = sqlite_file_missing(url)
    if missing is not None:
        print(f"no tracker store at {missing} yet: no conversations to delete", file=sys.stderr)
        return None
    return open_engine(url)


def _enquiry_engine(args: argparse.Namespace) -> Engine:
    """The enquiries database, found as `python -m bot enquiries` finds it."""
    from bot.enquiries.store import EnquiryStore, database_url_from_env

    return EnquiryStore(args.database_url or database_url_from_env()).engine


def _spool_dir(args: argparse.Namespace) -> Path:
    from bot.enquiries.spool import spool_dir_from_env

    return args.spool_dir or spool_dir_from_env()


@contextlib.contextmanager
def _disposing(engine: Engine) -> Iterator[Engine]:
    """The engine, its pooled connections closed afterwards."""
    try:
        yield engine
    finally:
        engine.dispose()


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
