"""Submit an enquiry so that it is never lost: database if possible, else the local spool."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.exc import SQLAlchemyError

from bot.enquiries.model import EnquiryDraft, StoredEnquiry
from bot.enquiries.notify import Notifier
from bot.enquiries.spool import ReplayResult, Spool
from bot.enquiries.store import EnquiryStore, database_url_from_env

logger = logging.getLogger(__name__)

# Any database failure (down, timeout, bad schema) sends the enquiry to the spool; OSError
# covers e.g. an unwritable SQLite directory.
DATABASE_FAILURES = (SQLAlchemyError, OSError)


class SubmissionFailed(RuntimeError):
    """Neither the database nor the spool could keep the enquiry (e.g. the disk is full)."""


@dataclass(frozen=True)
class SubmissionResult:
    """The outcome to tell the user: stored with a reference, or spooled to be stored later."""

    status: Literal["stored", "spooled"]
    reference: str | None
    office_id: str


_defaults_lock = threading.Lock()
_default_store: EnquiryStore | None = None
_default_notifier: Notifier | None = None


def default_store() -> EnquiryStore:
    """Return the process-wide store for DATABASE_URL (created on first call, not on import)."""
    global _default_store
    with _defaults_lock:
        if _default_store is None:
            _default_store = EnquiryStore(database_url_from_env())
        return _default_store


def default_notifier(store: EnquiryStore) -> Notifier:
    """Return the process-wide notifier from SMTP_* (records notified_at in `store`)."""
    global _default_notifier
    with _defaults_lock:
        if _default_notifier is None:
            _default_notifier = Notifier.from_env(on_sent=store.mark_notified)
        return _default_notifier


def submit_enquiry(
    draft: EnquiryDraft,
    idempotency_key: str,
    store: EnquiryStore | None = None,
    spool: Spool | None = None,
    notifier: Notifier | None = None,
) -> SubmissionResult:
    """Store an enquiry (or spool it if the database is unavailable) and notify its office.

    Blocking (database I/O): call it from a thread in async code. Raises SubmissionFailed only
    when the spool cannot be written either, and KeyError for a country code not in the
    knowledge base (validate first).
    """
    store = store or default_store()
    spool = spool or Spool()
    notifier = notifier or default_notifier(store)
    office_id = store.office_for(draft.country_code)

    # Older spooled enquiries go first, so references follow the order of submission.
    if spool.has_pending():
        replay = replay_spool(store, spool, notifier)
        if replay.error is not None:
            # Database still away: do not wait for a second timeout.
            return _spool(draft, idempotency_key, spool, office_id, replay.error)
    try:
        stored = store.submit(draft, idempotency_key)
    except DATABASE_FAILURES as error:
        return _spool(draft, idempotency_key, spool, office_id, error)
    if stored.notified_at is None:
        notifier.notify(stored)
    return SubmissionResult("stored", stored.reference, stored.office_id)


def replay_spool(
    store: EnquiryStore, spool: Spool, notifier: Notifier | None = None
) -> ReplayResult:
    """Move spooled enquiries into the database and notify their offices; never raises."""
    try:
        result = spool.replay(store)
    except DATABASE_FAILURES as error:
        # e.g. the spool directory itself is unreadable; the entries stay where they are.
        logger.warning("spool replay failed: %s", type(error).__name__)
        return ReplayResult(remaining=-1, error=error)
    if notifier is not None:
        for stored in result.stored:
            if stored.notified_at is None:
                notifier.notify(stored)
    return result


def notify_pending(store: EnquiryStore, notifier: Notifier) -> list[StoredEnquiry]:
    """Send the notifications that never went out (notified_at unset), synchronously."""
    sent = []
    for enquiry in store.list(notified=False):
        if notifier.deliver(enquiry):
            sent.append(enquiry)
    return sent


def _spool(
    draft: EnquiryDraft,
    idempotency_key: str,
    spool: Spool,
    office_id: str,
    error: BaseException,
) -> SubmissionResult:
    """Keep the enquiry in the spool and say so; only the error's type is logged."""
    logger.warning(
        "database unavailable (%s): enquiry for office %s goes to the spool",
        _describe(error),
        office_id,
    )
    try:
        spool.append(draft, idempotency_key)
    except OSError as spool_error:
        logger.error("spool unavailable too (%s): enquiry not saved", type(spool_error).__name__)
        raise SubmissionFailed("neither the database nor the spool is available") from spool_error
    return SubmissionResult("spooled", None, office_id)


def _describe(error: BaseException) -> str:
    """Name an error and its driver-level cause, never its message (it may quote values)."""
    cause = getattr(error, "orig", None)
    return f"{type(error).__name__}/{type(cause).__name__}" if cause else type(error).__name__
