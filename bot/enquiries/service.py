"""Submit an enquiry so that it is never lost: database if possible, else the local spool.

Two kinds of database failure, told apart by `bot.enquiries.spool.is_outage`:
- an outage (down, unreachable, timed out): the enquiry is spooled and replayed later, at the
  next submission and by the action server's background replay (bot/enquiries/replayer.py);
- a permanent refusal of this enquiry's data (DataError, IntegrityError, ProgrammingError,
  a value the driver cannot send): the enquiry is kept in the spool's rejected.jsonl, staff
  are alerted (an email through the notifier when SMTP is configured, and an ERROR log line
  naming only the enquiry's key and the error type), and it is never replayed.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.exc import SQLAlchemyError

from bot.enquiries.model import EnquiryDraft, StoredEnquiry
from bot.enquiries.notify import Notifier
from bot.enquiries.spool import STORE_ERRORS, ReplayResult, Spool, describe, is_outage
from bot.enquiries.store import EnquiryStore, database_url_from_env

logger = logging.getLogger(__name__)


class SubmissionFailed(RuntimeError):
    """Neither the database nor the spool could keep the enquiry (e.g. the disk is full)."""


@dataclass(frozen=True)
class SubmissionResult:
    """The outcome to tell the user: stored with a reference, spooled to be stored later, or
    kept for staff (refused by the database for good, kept in rejected.jsonl, staff alerted).
    """

    status: Literal["stored", "spooled", "kept"]
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

    An enquiry the database refuses for good is kept for staff instead (status "kept").
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
    except STORE_ERRORS as error:
        if is_outage(error):
            return _spool(draft, idempotency_key, spool, office_id, error)
        return _keep_for_staff(draft, idempotency_key, spool, notifier, office_id, error)
    if stored.notified_at is None:
        notifier.notify(stored)
    return SubmissionResult("stored", stored.reference, stored.office_id)


def replay_spool(
    store: EnquiryStore, spool: Spool, notifier: Notifier | None = None
) -> ReplayResult:
    """Move spooled enquiries into the database and notify their offices (and alert staff of
    the ones the database refused for good); never raises."""
    try:
        result = spool.replay(store)
    except (SQLAlchemyError, OSError) as error:
        # e.g. the spool directory itself is unreadable; the entries stay where they are.
        logger.warning("spool replay failed: %s", type(error).__name__)
        return ReplayResult(remaining=-1, error=error)
    if notifier is not None:
        for stored in result.stored:
            if stored.notified_at is None:
                notifier.notify(stored)
        for rejection in result.rejections:
            notifier.alert_rejected(
                rejection.draft,
                rejection.idempotency_key,
                _office_or_unknown(store, rejection.draft),
                rejection.reason,
            )
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
        describe(error),
        office_id,
    )
    try:
        spool.append(draft, idempotency_key)
    except OSError as spool_error:
        logger.error("spool unavailable too (%s): enquiry not saved", type(spool_error).__name__)
        raise SubmissionFailed("neither the database nor the spool is available") from spool_error
    return SubmissionResult("spooled", None, office_id)


def _keep_for_staff(
    draft: EnquiryDraft,
    idempotency_key: str,
    spool: Spool,
    notifier: Notifier,
    office_id: str,
    error: BaseException,
) -> SubmissionResult:
    """The database refused this enquiry for good: keep it in rejected.jsonl, alert staff."""
    reason = describe(error)
    try:
        spool.reject(draft, idempotency_key, reason)
    except OSError as spool_error:
        logger.error("spool unavailable too (%s): enquiry not saved", type(spool_error).__name__)
        raise SubmissionFailed(
            "the database refused the enquiry and the spool is unavailable"
        ) from spool_error
    notifier.alert_rejected(draft, idempotency_key, office_id, reason)
    return SubmissionResult("kept", None, office_id)


def _office_or_unknown(store: EnquiryStore, draft: EnquiryDraft) -> str:
    """The office of a draft's country, or "" when it routes nowhere any more."""
    try:
        return store.office_for(draft.country_code)
    except KeyError:
        return ""
