"""Membership enquiries: validation, storage (SQLAlchemy), spool, notification and export.

Importing this package connects to nothing; the database is opened on first use.
"""

from bot.enquiries.model import EnquiryDraft, StoredEnquiry, make_reference
from bot.enquiries.notify import Notifier, SmtpSettings
from bot.enquiries.service import (
    SubmissionFailed,
    SubmissionResult,
    default_store,
    notify_pending,
    replay_spool,
    submit_enquiry,
)
from bot.enquiries.spool import ReplayResult, Spool, spool_dir_from_env
from bot.enquiries.store import EnquiryStore, database_url_from_env

__all__ = [
    "EnquiryDraft",
    "EnquiryStore",
    "Notifier",
    "ReplayResult",
    "SmtpSettings",
    "Spool",
    "StoredEnquiry",
    "SubmissionFailed",
    "SubmissionResult",
    "database_url_from_env",
    "default_store",
    "make_reference",
    "notify_pending",
    "replay_spool",
    "spool_dir_from_env",
    "submit_enquiry",
]
