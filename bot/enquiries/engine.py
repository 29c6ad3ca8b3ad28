"""Settings every SQLAlchemy engine of the project gets: the enquiry store and the tracker store.

A dead database must give a clear error within seconds, not freeze a request (or a replica)
for the operating system's TCP timeout, and an SQL error must never carry user text into a
log. So each engine gets:

- `pool_pre_ping=True`: a pooled connection that died is replaced before it is used;
- `hide_parameters=True`: an exception names the statement, never its values (personal data);
- for PostgreSQL (psycopg2/libpq):
  - `connect_timeout` = DB_CONNECT_TIMEOUT_SECONDS (default 2; whole seconds, and libpq treats
    1 as 2): the time to establish a connection, including a server that accepts the TCP
    connection and never answers. libpq applies it to each address a host name resolves to,
    so "localhost" (::1 and 127.0.0.1) can take twice as long as 127.0.0.1;
  - `tcp_user_timeout` = the same, in milliseconds: a connection whose packets go
    unacknowledged that long (a host that vanished, a firewall that drops) is closed instead
    of waiting for the kernel's retransmissions (minutes);
  - `statement_timeout` = DB_STATEMENT_TIMEOUT_SECONDS (default 5), sent as the connection's
    `options`: a hung or overloaded server cancels a statement rather than hold a request.
    (A connection pooler that refuses startup options, e.g. PgBouncer in transaction mode,
    needs DB_STATEMENT_TIMEOUT_SECONDS=0, which sends none.)
- SQLite takes none of these (its busy timeout is the store's business).

Importing this module connects to nothing and imports no database driver.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import URL, make_url

CONNECT_TIMEOUT_ENV = "DB_CONNECT_TIMEOUT_SECONDS"
STATEMENT_TIMEOUT_ENV = "DB_STATEMENT_TIMEOUT_SECONDS"
DEFAULT_CONNECT_TIMEOUT = 2
DEFAULT_STATEMENT_TIMEOUT = 5


def _number(environ: Mapping[str, str], name: str, default: float) -> float:
    """A non-negative number from the environment; the default when unset or unreadable."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if value >= 0 else default


def connect_timeout_seconds(environ: Mapping[str, str] | None = None) -> int:
    """DB_CONNECT_TIMEOUT_SECONDS as libpq takes it: whole seconds, at least 1 (0 = wait
    for ever is never what a chat server wants)."""
    env = os.environ if environ is None else environ
    return max(1, round(_number(env, CONNECT_TIMEOUT_ENV, DEFAULT_CONNECT_TIMEOUT)))


def statement_timeout_ms(environ: Mapping[str, str] | None = None) -> int:
    """DB_STATEMENT_TIMEOUT_SECONDS in milliseconds (0: no statement timeout is sent)."""
    env = os.environ if environ is None else environ
    return round(_number(env, STATEMENT_TIMEOUT_ENV, DEFAULT_STATEMENT_TIMEOUT) * 1000)


def is_postgresql(url: str | URL) -> bool:
    """Whether a URL names PostgreSQL (any driver spelling)."""
    return make_url(url).get_backend_name() == "postgresql"


def engine_options(
    url: str | URL,
    environ: Mapping[str, str] | None = None,
    *,
    base: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """`create_engine` keyword arguments for `url`: `base` (e.g. Rasa's pool settings) with
    pre-ping, hidden parameters and, for PostgreSQL, the timeouts above merged in (an
    `options` string already in `base`, such as Rasa's search_path, is kept)."""
    options: dict[str, Any] = dict(base or {})
    options["pool_pre_ping"] = True
    options["hide_parameters"] = True
    if not is_postgresql(url):
        return options
    connect_args: dict[str, Any] = dict(options.get("connect_args") or {})
    timeout = connect_timeout_seconds(environ)
    connect_args["connect_timeout"] = timeout
    connect_args["tcp_user_timeout"] = timeout * 1000
    statement = statement_timeout_ms(environ)
    if statement > 0:
        setting = f"-c statement_timeout={statement}"
        existing = str(connect_args.get("options") or "").strip()
        connect_args["options"] = f"{existing} {setting}".strip()
    options["connect_args"] = connect_args
    return options
