"""What a channel says by itself, read from domain.yml's `utter_channel_*` responses.

The channels answer some messages without the model (empty, too long, over a limit, busy, an
action failed). Those texts are responses like the others, in both languages, so they are
translated and reviewed where the rest are: the first variation without a condition is the
English one, the variation conditioned on `language: ja` the Japanese one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.nlu.language_detector import ENGLISH, JAPANESE

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"

EMPTY = "utter_channel_empty"
TOO_LONG = "utter_channel_too_long"
RATE_LIMITED = "utter_channel_rate_limited"
BUSY = "utter_channel_busy"
UNAVAILABLE = "utter_channel_unavailable"
UNSUPPORTED_MESSAGE = "utter_channel_unsupported_message"
NAMES = (EMPTY, TOO_LONG, RATE_LIMITED, BUSY, UNAVAILABLE, UNSUPPORTED_MESSAGE)


@dataclass(frozen=True)
class FixedText:
    """One response in both languages."""

    en: str
    ja: str

    def text(self, language: str | None) -> str:
        """The text in `language`; both, Japanese first, when the language is unknown."""
        if language == JAPANESE:
            return self.ja
        if language == ENGLISH:
            return self.en
        return f"{self.ja}\n\n{self.en}"


def _pair(name: str, variations: list[dict[str, Any]]) -> FixedText:
    texts: dict[str, str] = {}
    for variation in variations:
        conditions = variation.get("condition") or []
        language = next(
            (c.get("value") for c in conditions if c.get("name") == "language"), ENGLISH
        )
        texts.setdefault(language, variation["text"])
    if set(texts) != {ENGLISH, JAPANESE}:
        raise ValueError(f"domain.yml: {name} needs an English and a Japanese text")
    return FixedText(texts[ENGLISH], texts[JAPANESE])


@functools.lru_cache(maxsize=1)
def fixed_texts(domain: Path = DOMAIN) -> dict[str, FixedText]:
    """Every `utter_channel_*` response, read once; a missing one is an error at start."""
    responses = yaml.safe_load(domain.read_text(encoding="utf-8"))["responses"]
    missing = [name for name in NAMES if name not in responses]
    if missing:
        raise ValueError(f"domain.yml lacks the channel responses {', '.join(missing)}")
    return {name: _pair(name, responses[name]) for name in NAMES}


def fixed_text(name: str, language: str | None, **values: Any) -> str:
    """The response `name` in `language` (both when None), {placeholders} filled."""
    return fixed_texts()[name].text(language).format(**values)
