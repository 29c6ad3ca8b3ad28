"""Recognising one email address in stored text: user messages, slot values, JSON lines."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

# One address as `forget` accepts it: something@something, no spaces.
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")
# Characters that may continue an address on either side. ASCII only on purpose: Japanese
# text written right against an address (メールはtaro@example.jpです) still matches it.
_LOCAL_CHARS = r"a-z0-9!#$%&'*+/=?^_`{|}~.\-"
_DOMAIN_CHARS = r"a-z0-9\-"


def normalise(address: str) -> str:
    """The address as enquiries are compared: stripped and lower-cased."""
    return address.strip().lower()


def is_address(address: str) -> bool:
    """Whether `forget` can safely search for it (an empty string would match everything)."""
    return _ADDRESS.fullmatch(normalise(address)) is not None


def _pattern(address: str) -> re.Pattern[str]:
    # Not inside a longer address: ann@example.org is not in jo.ann@example.org or in
    # ann@example.org.uk, but a full stop ending a sentence is fine.
    return re.compile(
        rf"(?<![{_LOCAL_CHARS}]){re.escape(normalise(address))}"
        rf"(?![{_DOMAIN_CHARS}])(?!\.[{_DOMAIN_CHARS}])"
    )


def mentions(text: str, address: str) -> bool:
    """Whether `text` contains this address, in any letter case."""
    return _pattern(address).search(text.lower()) is not None


def strings_in(value: Any) -> Iterator[str]:
    """Every string (keys included) in a parsed JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def json_mentions(text: str, address: str) -> bool:
    """Whether a stored JSON text holds the address: in the raw text, or in any string once
    parsed (json.dumps writes non-ASCII characters as \\u escapes)."""
    if mentions(text, address):
        return True
    try:
        parsed = json.loads(text)
    except ValueError:
        return False
    return any(mentions(string, address) for string in strings_in(parsed))


def like_patterns(address: str) -> list[str]:
    """LIKE patterns (escape character `\\`) that find the address in lower-cased JSON text,
    as written with and without \\u escapes; the match is then confirmed in Python."""
    plain = normalise(address)
    forms = {plain, json.dumps(plain)[1:-1]}
    return [f"%{_escape_like(form)}%" for form in sorted(forms)]


def _escape_like(text: str) -> str:
    """`_` and `%` are wildcards in LIKE, and `_` is common in addresses."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
