"""How long personal data is kept: PRIVACY_RETENTION_DAYS, or an age such as `30d`."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

RETENTION_VARIABLE = "PRIVACY_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30

_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
_AGE = re.compile(r"(\d+)\s*([dhm])")


class RetentionError(ValueError):
    """A retention period that cannot be read (the message says what is expected)."""


def parse_age(text: str) -> timedelta:
    """`30d`, `12h` or `90m` as a timedelta; RetentionError for anything else (or zero)."""
    match = _AGE.fullmatch(text.strip().lower())
    if match is None:
        raise RetentionError(
            f"--older-than must be a number and a unit (d, h or m), e.g. 30d, 12h, 90m; "
            f"got {text!r}"
        )
    age = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    if not age:
        # "Older than 0" would mean everything, including conversations going on right now.
        raise RetentionError(f"--older-than must be more than zero; got {text!r}")
    return age


def retention_from_env(environ: Mapping[str, str] | None = None) -> timedelta:
    """PRIVACY_RETENTION_DAYS (whole days, at least 1), or 30 days when unset or empty."""
    env = os.environ if environ is None else environ
    value = env.get(RETENTION_VARIABLE, "").strip()
    if not value:
        return timedelta(days=DEFAULT_RETENTION_DAYS)
    if not value.isdigit() or int(value) < 1:
        raise RetentionError(
            f"{RETENTION_VARIABLE} must be a whole number of days, at least 1; got {value!r}"
        )
    return timedelta(days=int(value))


def retention(older_than: str | None, environ: Mapping[str, str] | None = None) -> timedelta:
    """The age from --older-than if given, else from the environment."""
    return parse_age(older_than) if older_than is not None else retention_from_env(environ)


def cutoff(age: timedelta, now: datetime | None = None) -> datetime:
    """The moment before which data is old (aware UTC)."""
    return (now or datetime.now(timezone.utc)) - age


def describe(age: timedelta) -> str:
    """`30 days`, `12 hours`, `90 minutes`: the age as the operator gave it."""
    minutes = int(age.total_seconds() // 60)
    if minutes % (24 * 60) == 0:
        return f"{minutes // (24 * 60)} days"
    if minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes"
