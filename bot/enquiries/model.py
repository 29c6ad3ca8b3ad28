"""Membership enquiries: the draft a form collects, the stored record, and the database table."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from typing import Any, Literal

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator

Language = Literal["en", "ja"]

REFERENCE_PREFIX = "ICLEI"

# Column sizes; the validators' limits are at most these (bot/enquiries/validation.py).
ORGANISATION_LENGTH = 200
NAME_LENGTH = 100
ROLE_LENGTH = 100
EMAIL_LENGTH = 320
MESSAGE_LENGTH = 2000
SENDER_ID_LENGTH = 255
# A longer sender id keeps this many of its characters, then "~" and a hash of the whole.
_SENDER_ID_KEPT = SENDER_ID_LENGTH - 1 - 64


@dataclass(frozen=True, kw_only=True)
class EnquiryDraft:
    """A validated, consented membership enquiry, not yet stored."""

    organisation: str
    country_code: str
    contact_name: str
    email: str
    role: str | None = None
    population: int | None = None
    message: str | None = None
    language: Language = "en"
    sender_id: str
    consent_given_at: datetime

    def __post_init__(self) -> None:
        # A naive time would be read back as UTC; refuse the ambiguity at the boundary.
        if self.consent_given_at.tzinfo is None:
            raise ValueError("consent_given_at must be timezone-aware")
        if self.language not in ("en", "ja"):
            raise ValueError(f"unsupported language {self.language!r}")

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict (times as ISO 8601), e.g. for the spool."""
        data = asdict(self)
        data["consent_given_at"] = self.consent_given_at.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EnquiryDraft:
        """Rebuild a draft from `to_json()` output."""
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values["consent_given_at"] = datetime.fromisoformat(data["consent_given_at"])
        return cls(**values)


@dataclass(frozen=True, kw_only=True)
class StoredEnquiry:
    """An enquiry as stored: the draft's fields plus its reference, office and times."""

    id: int
    reference: str
    office_id: str
    created_at: datetime
    notified_at: datetime | None = None
    organisation: str
    country_code: str
    contact_name: str
    email: str
    role: str | None = None
    population: int | None = None
    message: str | None = None
    language: Language
    sender_id: str
    consent_given_at: datetime

    @property
    def draft(self) -> EnquiryDraft:
        """Return the fields the user gave, as a draft."""
        names = {f.name for f in fields(EnquiryDraft)}
        return EnquiryDraft(**{name: getattr(self, name) for name in names})


def storable_sender_id(sender_id: str) -> str:
    """The sender id as the `sender_id` column can hold it, whatever the channel sent.

    A sender id is chosen by the client: it may be longer than the column (PostgreSQL refuses
    it with DataError), hold NUL (psycopg2 refuses it) or a lone surrogate (not encodable as
    UTF-8). Such characters become U+FFFD, and an over-long id keeps its start plus "~" and
    the SHA-256 of the whole id, so two long ids stay distinct. Other ids are unchanged.
    """
    raw = sender_id.encode("utf-8", "surrogatepass")
    clean = raw.decode("utf-8", "replace").replace("\x00", "\ufffd")
    if len(clean) <= SENDER_ID_LENGTH:
        return clean
    return f"{clean[:_SENDER_ID_KEPT]}~{hashlib.sha256(raw).hexdigest()}"


def make_reference(enquiry_id: int, created_at: datetime) -> str:
    """Return the reference staff and users quote: ICLEI-<year>-<id, 6 digits>."""
    return f"{REFERENCE_PREFIX}-{created_at.year:04d}-{enquiry_id:06d}"


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no time zone, PostgreSQL's timestamptz does; this makes both behave the same.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Convert to UTC (naive for SQLite, which would store the offset as text)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


metadata = MetaData()

enquiries = Table(
    "enquiries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # Set in the same transaction as the insert (it needs the id), so never NULL once committed.
    Column("reference", String(32), unique=True, nullable=True),
    Column("idempotency_key", String(255), unique=True, nullable=False),
    Column("organisation", String(ORGANISATION_LENGTH), nullable=False),
    Column("country_code", String(2), nullable=False),
    Column("contact_name", String(NAME_LENGTH), nullable=False),
    Column("email", String(EMAIL_LENGTH), nullable=False),
    Column("role", String(ROLE_LENGTH), nullable=True),
    Column("population", BigInteger, nullable=True),
    Column("message", Text, nullable=True),
    Column("language", String(2), nullable=False),
    Column("sender_id", String(SENDER_ID_LENGTH), nullable=False),
    Column("consent_given_at", UTCDateTime, nullable=False),
    Column("office_id", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("notified_at", UTCDateTime, nullable=True),
)
Index("ix_enquiries_created_at", enquiries.c.created_at)
Index("ix_enquiries_office_id", enquiries.c.office_id)


def from_row(row: Any) -> StoredEnquiry:
    """Build a StoredEnquiry from a result row of the `enquiries` table."""
    data = row._mapping
    names = {f.name for f in fields(StoredEnquiry)}
    return StoredEnquiry(**{name: data[name] for name in names})
