"""The unit an action sends: a domain response name, its template values and extra buttons."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reply:
    """One bot message: `response` from domain.yml filled with `values`, plus `buttons`."""

    response: str
    values: dict[str, str] = field(default_factory=dict)
    buttons: list[dict[str, str]] = field(default_factory=list)
