"""`python -m bot enquiries list|export|replay|notify|init-db`: staff commands for enquiries."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported lazily at run time: the parser must stay cheap to build
    from bot.enquiries.store import EnquiryStore


def _date(text: str) -> date:
    """argparse type for YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_enquiry_commands(commands: argparse._SubParsersAction) -> None:
    """Register the `enquiries` command and its actions on the top-level subparsers."""
    enquiries = commands.add_parser("enquiries", help="list, export and replay enquiries")
    enquiries.add_argument(
        "--database-url", help="SQLAlchemy URL (default: DATABASE_URL, else var/enquiries.db)"
    )
    actions = enquiries.add_subparsers(dest="enquiries_action", required=True)

    def filters(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--since", type=_date, help="from this day (UTC), YYYY-MM-DD")
        parser.add_argument("--until", type=_date, help="up to this day included, YYYY-MM-DD")
        parser.add_argument("--office", help="office id, e.g. japan, east_asia")

    filters(actions.add_parser("list", help="print enquiries as a table"))
    export = actions.add_parser("export", help="write enquiries as CSV (for Excel) or JSON")
    filters(export)
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--output", type=Path, help="file to write (default: standard output)")
    actions.add_parser("replay", help="move spooled enquiries into the database")
    actions.add_parser("notify", help="send the office notifications that never went out")
    actions.add_parser("init-db", help="create the enquiries table if missing")


def run_enquiry_command(args: argparse.Namespace) -> int:
    """Run one `enquiries` action; 0 on success."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.enquiries.store import EnquiryStore, database_url_from_env

    store = EnquiryStore(args.database_url or database_url_from_env())
    try:
        return _ACTIONS[args.enquiries_action](store, args)
    except SQLAlchemyError as error:
        print(f"database error: {type(error).__name__} ({store!r})", file=sys.stderr)
        return 1
    finally:
        store.dispose()


def _list(store: EnquiryStore, args: argparse.Namespace) -> int:
    """Print a table."""
    from bot.enquiries.export import format_table
    from bot.enquiries.spool import Spool

    found = store.list(since=args.since, until=args.until, office_id=args.office)
    sys.stdout.write(format_table(found))
    spool = Spool()
    kept = spool.rejected_count()
    if kept:  # refused by the database for good: only a person can take them on
        print(
            f"{kept} {'enquiry' if kept == 1 else 'enquiries'} the database refused, kept "
            f"for staff in {spool.directory / 'rejected.jsonl'}",
            file=sys.stderr,
        )
    return 0


def _export(store: EnquiryStore, args: argparse.Namespace) -> int:
    """Write CSV or JSON to a file or standard output."""
    from bot.enquiries.export import export

    found = store.list(since=args.since, until=args.until, office_id=args.office)
    data = export(found, args.format)
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_bytes(data)
        print(f"wrote {len(found)} enquiries to {args.output}", file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


def _replay(store: EnquiryStore, args: argparse.Namespace) -> int:
    """Replay the spool, synchronously notifying the offices."""
    from bot.enquiries.notify import Notifier
    from bot.enquiries.service import replay_spool
    from bot.enquiries.spool import Spool

    result = replay_spool(store, Spool(), None)
    notifier = Notifier.from_env(on_sent=store.mark_notified)
    for stored in result.stored:
        if stored.notified_at is None:
            notifier.deliver(stored)
    print(f"stored {len(result.stored)}, remaining {result.remaining}, rejected {result.rejected}")
    if result.error is not None:
        print(f"database unavailable: {type(result.error).__name__}", file=sys.stderr)
        return 1
    return 0


def _notify(store: EnquiryStore, args: argparse.Namespace) -> int:
    """Send pending notifications."""
    from bot.enquiries.notify import Notifier
    from bot.enquiries.service import notify_pending

    notifier = Notifier.from_env(on_sent=store.mark_notified)
    if not notifier.enabled:
        print("SMTP_HOST is not set: notifications are disabled", file=sys.stderr)
        return 1
    pending = len(store.list(notified=False))
    sent = notify_pending(store, notifier)
    print(f"sent {len(sent)} of {pending} pending notifications")
    return 0 if len(sent) == pending else 1


def _init_db(store: EnquiryStore, args: argparse.Namespace) -> int:
    """Create the table."""
    store.create_schema()
    print(f"enquiries table ready in {store!r}")
    return 0


_ACTIONS = {
    "list": _list,
    "export": _export,
    "replay": _replay,
    "notify": _notify,
    "init-db": _init_db,
}
