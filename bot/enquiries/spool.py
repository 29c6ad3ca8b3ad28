"""A durable local spool for enquiries that could not reach the database, replayed later.

Layout of the spool directory (var/spool/ by default, ENQUIRY_SPOOL_DIR to move it):
- enquiries.jsonl   new entries, appended one JSON line each and fsync'd under a file lock;
- replay-*.jsonl    batches claimed by a replay (atomic rename), rewritten as they drain;
- rejected.jsonl    enquiries no database will ever take, kept for a person to look at: lines
                    that cannot be read back, and enquiries the database refused for their own
                    data (a permanent error, see `is_outage`). Each line is a JSON object with
                    `reason` (an error type, never its message) and `rejected_at`, plus the
                    spool entry (or, for an unreadable line, the raw `line`). Nothing there is
                    replayed again; `Spool.rejected_count()` counts them for staff.
Files are private (0600): they hold personal data.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from bot.enquiries.model import EnquiryDraft, StoredEnquiry

if TYPE_CHECKING:
    from bot.enquiries.store import EnquiryStore

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SPOOL_DIR = PROJECT_ROOT / "var" / "spool"

SPOOL_FORMAT = 1
_ACTIVE = "enquiries.jsonl"
_REJECTED = "rejected.jsonl"
_BATCH_GLOB = "replay-*.jsonl"

# Errors that mean "the database cannot be reached now" (down, refused, timed out, connection
# lost, locked, disk full): stop replaying, try again later.
UNREACHABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeoutError, OSError)
# Errors storing one enquiry can raise. Those not UNREACHABLE are permanent: the database
# refused this enquiry's data (DataError, IntegrityError other than the idempotent duplicate,
# ProgrammingError, psycopg2's ValueError for a NUL, UnicodeEncodeError, an unknown country,
# sqlite3's OverflowError for a huge integer), and trying again would fail again.
STORE_ERRORS = (SQLAlchemyError, OSError, ValueError, KeyError, TypeError, ArithmeticError)


def is_outage(error: BaseException) -> bool:
    """Whether an error storing an enquiry means the database is away (try again later),
    rather than that it refused this enquiry for good."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, UNREACHABLE)


def describe(error: BaseException) -> str:
    """Name an error and its driver-level cause, never its message (it may quote values)."""
    cause = getattr(error, "orig", None)
    return f"{type(error).__name__}/{type(cause).__name__}" if cause else type(error).__name__


def short_key(idempotency_key: str) -> str:
    """The start of an idempotency key, enough to find the enquiry in the spool files (the
    action's keys are SHA-256 hashes: no personal data)."""
    return idempotency_key[:16]


def spool_dir_from_env(environ: Mapping[str, str] | None = None) -> Path:
    """Return ENQUIRY_SPOOL_DIR, or var/spool under the project root."""
    env = os.environ if environ is None else environ
    value = env.get("ENQUIRY_SPOOL_DIR", "").strip()
    return Path(value) if value else DEFAULT_SPOOL_DIR


@dataclass(frozen=True)
class Rejection:
    """An enquiry moved to rejected.jsonl: its key, its draft and the error type."""

    idempotency_key: str
    draft: EnquiryDraft
    reason: str


@dataclass
class ReplayResult:
    """What one replay did: enquiries stored, entries left, and the error that stopped it."""

    stored: list[StoredEnquiry] = field(default_factory=list)
    remaining: int = 0
    rejected: int = 0
    error: BaseException | None = None
    # The rejected entries that could be read (unreadable lines are only counted).
    rejections: list[Rejection] = field(default_factory=list)


class Spool:
    """Append-only, fsync'd JSON-lines spool of enquiries waiting for the database."""

    def __init__(self, directory: Path | str | None = None) -> None:
        """Use `directory` (default: spool_dir_from_env()); nothing is created until needed."""
        self.directory = Path(directory) if directory is not None else spool_dir_from_env()

    def __repr__(self) -> str:
        return f"Spool({str(self.directory)!r})"

    # --- writing ---------------------------------------------------------------------------

    def append(self, draft: EnquiryDraft, idempotency_key: str) -> None:
        """Durably add one enquiry: when this returns, it survives a crash or power loss."""
        line = _json_line(_entry(draft, idempotency_key))
        self._ensure_directory()
        with self._locked("append"):
            self._append_bytes(self.directory / _ACTIVE, line)
        logger.info("enquiry spooled (database unavailable)")

    def reject(self, draft: EnquiryDraft, idempotency_key: str, reason: str) -> None:
        """Durably keep an enquiry the database refused for good in rejected.jsonl, for staff.

        `reason` is an error type (see `describe`), never an error message."""
        entry = _entry(draft, idempotency_key)
        self._write_rejected([_rejected_record(entry, reason)])
        logger.error(
            "enquiry %s rejected by the database (%s): kept in %s for staff",
            short_key(idempotency_key),
            reason,
            self.directory / _REJECTED,
        )

    def _write_rejected(self, records: list[dict[str, Any]]) -> None:
        """Append records to rejected.jsonl (fsync'd, under the append lock)."""
        data = b"".join(_json_line(record) for record in records)
        self._ensure_directory()
        with self._locked("rejected"):
            self._append_bytes(self.directory / _REJECTED, data)

    def rejected_count(self) -> int:
        """How many enquiries wait in rejected.jsonl for a person (0 if none or unreadable)."""
        try:
            return len(_lines(self.directory / _REJECTED))
        except OSError:
            return 0

    def _append_bytes(self, path: Path, data: bytes) -> None:
        """Append bytes and fsync; starts on a fresh line if a crash left a torn one."""
        created = not path.exists()
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                data = b"\n" + data
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            _fsync_directory(self.directory)

    def _ensure_directory(self) -> None:
        """Create the spool directory, private to this user."""
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)

    @contextlib.contextmanager
    def _locked(self, name: str, *, blocking: bool = True) -> Iterator[bool]:
        """Hold an exclusive lock file (across processes); yields False if not blocking and busy."""
        self._ensure_directory()
        fd = os.open(self.directory / f".{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            flags = fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB
            try:
                fcntl.flock(fd, flags)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    # --- reading ---------------------------------------------------------------------------

    def _pending_files(self) -> list[Path]:
        """Claimed batches (oldest first), then the active file."""
        if not self.directory.is_dir():
            return []
        files = sorted(self.directory.glob(_BATCH_GLOB))
        active = self.directory / _ACTIVE
        return files + ([active] if active.exists() else [])

    def has_pending(self) -> bool:
        """Return whether any enquiry waits in the spool (cheap: file sizes only)."""
        try:
            return any(path.stat().st_size > 0 for path in self._pending_files())
        except FileNotFoundError:
            return True  # a replay just renamed or removed a file: look again next time
        except OSError as error:
            # An unreadable spool must not stop new enquiries from reaching the database.
            logger.warning("spool not readable: %s", type(error).__name__)
            return False

    def pending(self) -> int:
        """Return the number of entries waiting in the spool."""
        return sum(len(_lines(path)) for path in self._pending_files())

    def entries(self) -> list[tuple[str, EnquiryDraft]]:
        """Return the waiting (idempotency key, draft) pairs, oldest first; unreadable skipped."""
        result = []
        for path in self._pending_files():
            for line in _lines(path):
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    result.append(_parse(line))
        return result

    # --- replay ----------------------------------------------------------------------------

    def replay(self, store: EnquiryStore) -> ReplayResult:
        """Move spooled enquiries into the store, each exactly once, oldest first.

        An entry leaves the spool only after its row is committed; a crash in between leaves
        it to the next replay, where its idempotency key finds the stored row.
        """
        result = ReplayResult()
        if not self.has_pending():
            return result
        with self._locked("replay", blocking=False) as acquired:
            if not acquired:  # another process is replaying right now
                result.remaining = self.pending()
                return result
            self._claim_active()
            for batch in sorted(self.directory.glob(_BATCH_GLOB)):
                self._replay_batch(batch, store, result)
                if result.error is not None:
                    break
        result.remaining = self.pending()
        logger.info(
            "spool replay: %d stored, %d remaining, %d rejected",
            len(result.stored),
            result.remaining,
            result.rejected,
        )
        return result

    def _claim_active(self) -> None:
        """Rename the active file to a new batch, so appends go on while the batch drains."""
        active = self.directory / _ACTIVE
        with self._locked("append"):
            if not active.exists():
                return
            if active.stat().st_size == 0:
                active.unlink()
                return
            batch = self.directory / f"replay-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.jsonl"
            os.replace(active, batch)
            _fsync_directory(self.directory)

    def _replay_batch(self, batch: Path, store: EnquiryStore, result: ReplayResult) -> None:
        """Store each entry of one batch; rewrite the batch with what is left, or delete it.

        An outage stops the replay (the rest waits for the next one); an entry the database
        refuses for good goes to rejected.jsonl and the replay goes on."""
        left: list[str] = []
        rejected: list[dict[str, Any]] = []
        for line in _lines(batch):
            if result.error is not None:
                left.append(line)
                continue
            try:
                key, draft = _parse(line)
            except (ValueError, KeyError, TypeError):
                logger.error("unreadable spool line moved to %s for staff", _REJECTED)
                rejected.append(
                    {"reason": "unreadable", "rejected_at": _now(), "line": line},
                )
                continue
            try:
                result.stored.append(store.submit(draft, key))
            except STORE_ERRORS as error:
                if is_outage(error):
                    result.error = error
                    left.append(line)
                    continue
                reason = describe(error)
                logger.error(
                    "spooled enquiry %s rejected by the database (%s): moved to %s for staff",
                    short_key(key),
                    reason,
                    _REJECTED,
                )
                rejected.append(_rejected_record(json.loads(line), reason))
                result.rejections.append(Rejection(key, draft, reason))
        if rejected:
            # Kept before the batch is rewritten: a crash in between replays it once more.
            self._write_rejected(rejected)
            result.rejected += len(rejected)
        if left:
            _atomic_write(batch, "".join(f"{line}\n" for line in left).encode("utf-8"))
        else:
            batch.unlink()
        _fsync_directory(self.directory)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _entry(draft: EnquiryDraft, idempotency_key: str) -> dict[str, Any]:
    """One spool entry."""
    return {
        "format": SPOOL_FORMAT,
        "idempotency_key": idempotency_key,
        "spooled_at": _now(),
        "draft": draft.to_json(),
    }


def _rejected_record(entry: dict[str, Any], reason: str) -> dict[str, Any]:
    """A line of rejected.jsonl: the entry with why and when."""
    return {"reason": reason, "rejected_at": _now(), **entry}


def _json_line(record: dict[str, Any]) -> bytes:
    """One JSON line in UTF-8. Only "\n" ends it: json.dumps escapes a newline inside a
    string, and the reader splits on "\n" only. A lone surrogate (which UTF-8 cannot
    hold) is written as its JSON escape, so it reads back as it was."""
    text = json.dumps(record, ensure_ascii=False) + "\n"
    return text.encode("utf-8", "backslashreplace")


def _parse(line: str) -> tuple[str, EnquiryDraft]:
    """Read one spool line back into (idempotency key, draft)."""
    entry: dict[str, Any] = json.loads(line)
    key = entry["idempotency_key"]
    if not isinstance(key, str) or not key:
        raise ValueError("missing idempotency key")
    return key, EnquiryDraft.from_json(entry["draft"])


def _lines(path: Path) -> list[str]:
    """Return the non-blank lines of a spool file (none if it vanished meanwhile)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    # Only "\n" ends a record: str.splitlines() would also cut at U+2028, U+2029, U+0085 and
    # other separators that json.dumps(ensure_ascii=False) leaves inside a string.
    return [line for line in text.split("\n") if line.strip()]


def _write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is written."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _atomic_write(path: Path, data: bytes) -> None:
    """Replace a file's content atomically: write a temporary file, fsync, rename."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        _write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, path)


def _fsync_directory(directory: Path) -> None:
    """fsync a directory so that a file's creation, rename or removal is durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
