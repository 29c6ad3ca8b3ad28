"""Rasa component that tells which language, Japanese or English, a message is in.

Its output reaches the `language` slot in one of two ways:

- an entity {"entity": "language", "value": "ja"} spanning the message, for a
  `from_entity` slot mapping. Declare it with `influence_conversation: false` in the
  domain so policies don't see it. Caveat: `rasa test` compares every predicted entity
  with the ones annotated in test stories, and this one can't be annotated next to a
  place, so story tests with `user:` text fail with `--fail-on-prediction-errors`; and
  `rasa test nlu` reports it as an extractor of its own (LanguageDetector_report.json).
- parse_data["language"] (`parse_data_key`), for a custom slot mapping action that
  returns SlotSet("language", tracker.latest_message.get("language")); set
  `entity_name: null` to emit no entity at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    METADATA,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.scripts import is_japanese_char, is_latin_letter

JAPANESE = "ja"
ENGLISH = "en"
LANGUAGES = (JAPANESE, ENGLISH)

# A run of Latin letters, with apostrophes inside (don't, ICLEI's).
_LATIN_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _latin_words(text: str) -> list[str]:
    """The casefolded words of `text` that are written in Latin letters."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return [
        word
        for word in _LATIN_WORD.findall(folded)
        if all(is_latin_letter(char) or char in "'’" for char in word)
    ]


def detect_language(text: str | None, ambiguous_words: Iterable[str]) -> str | None:
    """ "ja", "en", or None when the text alone does not say which of the two it is.

    - Any kana or kanji -> "ja" (also when mixed with English: "ICLEIの東京office").
    - Else Latin words -> "en", unless every one is in `ambiguous_words` ("OK", "LINE",
      "www"): people write those in both languages.
    - Empty text, digits, punctuation, emoji, "/intent" button payloads and other
      scripts (Hangul, Cyrillic, Thai, Arabic ...) -> None.
    """
    if not text or not text.strip() or text.lstrip().startswith("/"):
        return None
    if any(is_japanese_char(char) for char in text):
        return JAPANESE
    ambiguous = {word.casefold() for word in ambiguous_words}
    words = _latin_words(text)
    if any(word not in ambiguous for word in words):
        return ENGLISH
    return None


def language_from_metadata(metadata: Any, key: str) -> str | None:
    """The preferred language a channel put in the message metadata, if ja or en.

    Accepts locale tags as channels send them: "ja", "ja-JP", "en_US", "EN".
    """
    if not isinstance(metadata, dict):
        return None
    value = metadata.get(key)
    if not isinstance(value, str):
        return None
    primary = re.split(r"[-_]", value.strip(), maxsplit=1)[0].lower()
    return primary if primary in LANGUAGES else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageDetector(GraphComponent):
    """Adds a `language` entity ("ja" or "en") spanning the message, for the slot.

    The `language` slot maps from this entity, and responses have a Japanese variation
    conditioned on the slot, so the bot answers in the language of the latest message.
    When the message does not show its language ("OK", "2050", "👍", a button payload,
    or a language other than these two, e.g. Korean) it adds the language the channel
    prefers (metadata, e.g. {"language": "ja"}) if there is one, else no entity, so the
    slot and the conversation keep their language.
    Runs at prediction time only; it needs no training and no tokens.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Default configuration; every key may be overridden in config.yml."""
        return {
            # Words written alike in Japanese and English chat; a message made only of
            # these (any case, with punctuation or emoji) does not change the language:
            # ok/okay/k/kk/ng (NG = no good), laughter (w, ww, www, lol), names and
            # acronyms used as they are in Japanese (ICLEI, LINE, URL, FAQ, PDF, SNS,
            # HP = ホームページ), and common romaji (arigatou, hai).
            "ambiguous_words": [
                "ok",
                "okay",
                "k",
                "kk",
                "ng",
                "w",
                "ww",
                "www",
                "lol",
                "iclei",
                "line",
                "url",
                "faq",
                "pdf",
                "sns",
                "hp",
                "arigato",
                "arigatou",
                "hai",
            ],
            # Metadata key a channel may set to its preferred language ("ja", "en-GB"),
            # used only when the text itself is ambiguous.
            "metadata_key": "language",
            # Name of the entity added; the `language` slot maps from it. None: no entity.
            "entity_name": "language",
            # Also put the language at the top level of the parse data, where custom
            # actions read it as tracker.latest_message["language"]; None: don't. With
            # entity_name None this is the only output (see the module docstring).
            "parse_data_key": "language",
        }

    def __init__(self, config: dict[str, Any]) -> None:
        """Reads the configuration."""
        self._ambiguous_words = frozenset(
            word.casefold() for word in config.get("ambiguous_words") or []
        )
        self._metadata_key = config.get("metadata_key") or "language"
        self._entity_name = config.get("entity_name")
        self._parse_data_key = config.get("parse_data_key")

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        """Creates the detector (see parent class for full docstring)."""
        return cls(config)

    def language_of(self, message: Message) -> str | None:
        """The language of `message`: its text's, else its channel's, else None."""
        text = message.get(TEXT)
        language = detect_language(text if isinstance(text, str) else None, self._ambiguous_words)
        if language is None:
            language = language_from_metadata(message.get(METADATA), self._metadata_key)
        return language

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds the language entity to each message whose language is known."""
        for message in messages:
            language = self.language_of(message)
            if language is None:
                continue
            if self._entity_name:
                text = message.get(TEXT)
                entity = {
                    ENTITY_ATTRIBUTE_TYPE: self._entity_name,
                    ENTITY_ATTRIBUTE_VALUE: language,
                    ENTITY_ATTRIBUTE_START: 0,
                    ENTITY_ATTRIBUTE_END: len(text) if isinstance(text, str) else 0,
                    ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
                    EXTRACTOR: self.__class__.__name__,
                }
                message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
            if self._parse_data_key:
                message.set(self._parse_data_key, language, add_to_output=True)
        return messages
