"""Does an answer meet a turn's expectations? Pure functions, so staff's checks are testable."""

from __future__ import annotations

import re
import unicodedata

from bot.checks.spec import Expect

_KANA = re.compile(r"[\u3040-\u30ff]")


def normal(text: str) -> str:
    """Case and full-/half-width differences do not count."""
    return unicodedata.normalize("NFKC", text).casefold()


def language_of(answer: str) -> str:
    """ja when the answer has kana (English answers never do), else en."""
    return "ja" if _KANA.search(answer) else "en"


def problems(expect: Expect, answer: str, has_buttons: bool) -> list[str]:
    """What is wrong with the answer (empty: it passes)."""
    text = normal(answer)
    found: list[str] = []
    missing = [item for item in expect.contains if normal(item) not in text]
    if missing:
        found.append(f"missing {missing}")
    if expect.contains_any and not any(normal(item) in text for item in expect.contains_any):
        found.append(f"none of {list(expect.contains_any)}")
    unwanted = [item for item in expect.not_contains if normal(item) in text]
    if unwanted:
        found.append(f"should not say {unwanted}")
    if expect.order:
        positions = [text.find(normal(item)) for item in expect.order]
        if -1 in positions:
            absent = [item for item, at in zip(expect.order, positions, strict=True) if at < 0]
            found.append(f"order: missing {absent}")
        elif positions != sorted(positions):
            found.append(f"order: expected {list(expect.order)}")
    if expect.language and language_of(answer) != expect.language:
        found.append(f"answered in {language_of(answer)}, expected {expect.language}")
    if expect.buttons is not None and expect.buttons != has_buttons:
        found.append("expected buttons" if expect.buttons else "expected no buttons")
    return found
