"""Stored enquiries: deleting old ones and one person's."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.enquiries.model import enquiries
from bot.privacy.addresses import normalise
from bot.privacy.secure_delete import erase_deleted_rows


def has_enquiries_table(engine: Engine) -> bool:
    """False before the first enquiry (or `enquiries init-db`)."""
    return sa.inspect(engine).has_table(enquiries.name)


def purge_enquiries(engine: Engine, before: datetime, *, dry_run: bool = False) -> int:
    """Delete the enquiries created before `before`; return how many."""
    old = enquiries.c.created_at < before
    with engine.begin() as connection:
        count = connection.execute(
            sa.select(sa.func.count()).select_from(enquiries).where(old)
        ).scalar_one()
        if dry_run or not count:
            return count
        erase_deleted_rows(connection)
        return connection.execute(sa.delete(enquiries).where(old)).rowcount


def forget_enquiries(
    engine: Engine, address: str, *, dry_run: bool = False
) -> tuple[int, set[str]]:
    """Delete every enquiry with this email (any case, spaces around ignored); return how
    many and their sender ids, whose conversations go too."""
    same = sa.func.lower(sa.func.trim(enquiries.c.email)) == normalise(address)
    with engine.begin() as connection:
        rows = connection.execute(sa.select(enquiries.c.id, enquiries.c.sender_id).where(same))
        found = {row.id: row.sender_id for row in rows}
        if found and not dry_run:
            erase_deleted_rows(connection)
            connection.execute(sa.delete(enquiries).where(enquiries.c.id.in_(list(found))))
    return len(found), set(found.values())
