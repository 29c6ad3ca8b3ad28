"""The check file format: load, validate, and say clearly what is wrong with a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_EXPECT_KEYS = {"contains", "contains_any", "not_contains", "order", "language", "buttons"}
_LANGUAGES = ("en", "ja")


class CheckFileError(ValueError):
    """A check file that cannot be run, with the file and the place in it named."""


@dataclass(frozen=True)
class Expect:
    """What one answer must (not) say."""

    contains: tuple[str, ...] = ()
    contains_any: tuple[str, ...] = ()
    not_contains: tuple[str, ...] = ()
    order: tuple[str, ...] = ()
    language: str | None = None
    buttons: bool | None = None


@dataclass(frozen=True)
class Turn:
    """What the visitor writes, and what the answer must say (None: context only)."""

    say: str
    expect: Expect | None = None


@dataclass(frozen=True)
class Conversation:
    """One visitor's conversation, from a fresh start."""

    name: str
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class CheckFile:
    """A file of conversations, with its category and language for the results table."""

    path: Path
    category: str
    language: str
    conversations: tuple[Conversation, ...] = field(default_factory=tuple)


def load(path: Path) -> CheckFile:
    """Read and validate one check file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CheckFileError(f"{path}: cannot read it as YAML: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("conversations"), list):
        raise CheckFileError(f"{path}: expected a mapping with a `conversations:` list")
    language = str(data.get("language") or "")
    if language and language not in _LANGUAGES:
        raise CheckFileError(f"{path}: language must be en or ja, not {language!r}")
    conversations = tuple(
        _conversation(path, index, item) for index, item in enumerate(data["conversations"], 1)
    )
    return CheckFile(path, str(data.get("category") or path.stem), language, conversations)


def _conversation(path: Path, index: int, item: Any) -> Conversation:
    where = f"{path}: conversation {index}"
    if not isinstance(item, dict) or not isinstance(item.get("turns"), list) or not item["turns"]:
        raise CheckFileError(f"{where}: needs a non-empty `turns:` list")
    name = str(item.get("name") or f"conversation {index}")
    turns = tuple(
        _turn(f"{where} ({name}), turn {n}", turn) for n, turn in enumerate(item["turns"], 1)
    )
    return Conversation(name, turns)


def _turn(where: str, item: Any) -> Turn:
    if (
        not isinstance(item, dict)
        or not isinstance(item.get("say"), str)
        or not item["say"].strip()
    ):
        raise CheckFileError(f"{where}: needs `say:` with what the visitor writes")
    expect = item.get("expect")
    if expect is None:
        return Turn(item["say"])
    if not isinstance(expect, dict):
        raise CheckFileError(f"{where}: `expect:` must be a mapping")
    unknown = set(expect) - _EXPECT_KEYS
    if unknown:
        raise CheckFileError(f"{where}: unknown expect key(s) {sorted(unknown)}")
    language = expect.get("language")
    if language is not None and language not in _LANGUAGES:
        raise CheckFileError(f"{where}: language must be en or ja")
    return Turn(
        item["say"],
        Expect(
            contains=_strings(where, expect, "contains"),
            contains_any=_strings(where, expect, "contains_any"),
            not_contains=_strings(where, expect, "not_contains"),
            order=_strings(where, expect, "order"),
            language=language,
            buttons=expect.get("buttons"),
        ),
    )


def _strings(where: str, expect: dict[str, Any], key: str) -> tuple[str, ...]:
    value = expect.get(key) or []
    if isinstance(value, (str, int, float)):
        value = [value]
    if not isinstance(value, list):
        raise CheckFileError(f"{where}: `{key}` must be a list of strings")
    return tuple(str(item) for item in value)
