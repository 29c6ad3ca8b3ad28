"""The enquiry spool (var/spool/): dropping old lines and one person's lines.

Each file is rewritten under the spool's own locks (bot/enquiries/spool.py: `replay` for the
batches, `append` for the active file, `rejected` for rejected.jsonl; `replay` first, as a
replay takes them), so an enquiry spooled, replayed or rejected meanwhile is neither lost
nor written twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.enquiries.spool import Spool
from bot.privacy.addresses import json_mentions

# The files that hold enquiries (spool.py's layout); lock and temporary files are not lines.
SPOOL_FILES = ("enquiries.jsonl", "replay-*.jsonl", "rejected.jsonl")

# Decides about one line: (the line, when its file was last written) -> drop it?
Drop = Callable[[str, datetime], bool]


def _spool_files(directory: Path) -> list[Path]:
    return sorted({path for pattern in SPOOL_FILES for path in directory.glob(pattern)})


def _entry(line: str) -> dict[str, Any] | None:
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) else None


def spooled_at(line: str, file_written: datetime) -> datetime:
    """When a line was spooled; else when it was rejected; a line that says neither (torn,
    unreadable) is as old as the last write to its file: never older than it can be."""
    entry = _entry(line) or {}
    for key in ("spooled_at", "rejected_at"):
        value = entry.get(key)
        try:
            when = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            continue
        if when is not None:
            return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return file_written


def _rewrite(directory: Path, drop: Drop, *, dry_run: bool) -> list[str]:
    """Remove the lines `drop` picks from every spool file; return the removed lines."""
    if not directory.is_dir():  # nothing was ever spooled: do not create the directory
        return []
    spool = Spool(directory)
    removed: list[str] = []
    with contextlib.ExitStack() as locks:
        # Private to the spool, but the one way to keep out of a replay's or a write's way.
        for name in ("replay", "append", "rejected"):
            locks.enter_context(spool._locked(name))
        for path in _spool_files(directory):
            try:
                data = path.read_bytes()
                written = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)
            except FileNotFoundError:
                continue
            # Only "\n" ends a record (see spool.py: JSON strings may hold U+2028 and others).
            # Kept lines are written back byte for byte, whatever their encoding.
            raw = [line for line in data.split(b"\n") if line.strip()]
            lines = [line.decode("utf-8", errors="replace") for line in raw]
            dropped = [drop(line, written) for line in lines]
            removed.extend(line for line, out in zip(lines, dropped, strict=True) if out)
            if any(dropped) and not dry_run:
                kept = [line for line, out in zip(raw, dropped, strict=True) if not out]
                _replace(path, b"".join(line + b"\n" for line in kept))
    return removed


def _replace(path: Path, content: bytes) -> None:
    """Write the file anew (private, atomically), or remove it when nothing is left."""
    if not content:
        path.unlink()
    else:
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            data = memoryview(content)
            while data:
                data = data[os.write(fd, data) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def purge_spool(directory: Path, before: datetime, *, dry_run: bool = False) -> int:
    """Drop the lines spooled before `before`; return how many."""
    return len(
        _rewrite(
            directory, lambda line, written: spooled_at(line, written) < before, dry_run=dry_run
        )
    )


def forget_spool(directory: Path, address: str, *, dry_run: bool = False) -> tuple[int, set[str]]:
    """Drop the lines holding the address; return how many and the sender ids they name."""
    removed = _rewrite(directory, lambda line, _: json_mentions(line, address), dry_run=dry_run)
    return len(removed), set(_senders(removed))


def _senders(lines: list[str]) -> Iterator[str]:
    for line in lines:
        entry = _entry(line)
        draft = entry.get("draft") if entry else None
        sender = draft.get("sender_id") if isinstance(draft, dict) else None
        if isinstance(sender, str) and sender:
            yield sender
