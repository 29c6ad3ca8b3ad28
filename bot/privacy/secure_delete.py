"""Deleted rows that really go: SQLite otherwise keeps their bytes in free pages of the file."""

from __future__ import annotations

from sqlalchemy.engine import Connection


def erase_deleted_rows(connection: Connection) -> None:
    """Make SQLite overwrite what this connection deletes with zeros (a no-op elsewhere).

    Without it a deleted message stays readable in the database file until the page is
    reused. PostgreSQL's deleted rows go with (auto)vacuum.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA secure_delete = ON")
