"""LanguageDetector: the `language` entity the language slot follows."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.language_detector import LanguageDetector, language_from_metadata


def make_detector(**overrides: Any) -> LanguageDetector:
    return LanguageDetector({**LanguageDetector.get_default_config(), **overrides})


def detect(text: str | None, metadata: Any = None, **overrides: Any) -> str | None:
    """The value of the language entity added to a message, or None if none was."""
    message = Message(data={TEXT: text, METADATA: metadata})
    make_detector(**overrides).process([message])
    entities = [e for e in message.get(ENTITIES) or [] if e["entity"] == "language"]
    assert len(entities) <= 1
    return entities[0]["value"] if entities else None


@pytest.mark.parametrize(
    "text, language",
    [
        ("東京事務所の住所を教えて", "ja"),
        ("ひらがなだけ", "ja"),
        ("ｲｸﾚｲってなに", "ja"),
        ("本部", "ja"),
        ("ICLEIの東京officeってどこ？", "ja"),
        ("OK、ありがとう", "ja"),
        ("Where is the Tokyo office?", "en"),
        ("thanks!", "en"),
        ("Ｈｅｌｌｏ", "en"),
        ("São Paulo", "en"),
        ("OK thanks", "en"),
        ("ICLEI's history", "en"),
    ],
)
def test_detects_japanese_and_english(text: str, language: str) -> None:
    assert detect(text) == language


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "OK",
        "ok!",
        "Okay 👍",
        "ＯＫ",
        "www",
        "ICLEI?",
        "LINE",
        "2050",
        "03-5464-6981",
        "👍",
        "😀😀!!",
        "？",
        "/greet",
        '/ask_office_contact{"place": "Tokyo"}',
        "안녕하세요",
        "Привет",
        "สวัสดี",
        "مرحبا",
    ],
)
def test_ambiguous_or_other_languages_add_nothing(text: str | None) -> None:
    assert detect(text) is None


@pytest.mark.parametrize(
    "text, metadata, language",
    [
        ("OK", {"language": "ja"}, "ja"),
        ("👍", {"language": "en-GB"}, "en"),
        ("2050", {"language": "ja_JP"}, "ja"),
        ("", {"language": "JA"}, "ja"),
        ("안녕하세요", {"language": "ja"}, "ja"),
        # The text wins when it is clear.
        ("Where is the office?", {"language": "ja"}, "en"),
        ("事務所はどこ", {"language": "en"}, "ja"),
        # Unsupported or malformed metadata is ignored.
        ("OK", {"language": "ko"}, None),
        ("OK", {"language": 3}, None),
        ("OK", {"lang": "ja"}, None),
        ("OK", "ja", None),
        ("OK", None, None),
    ],
)
def test_metadata_breaks_ties(text: str, metadata: Any, language: str | None) -> None:
    assert detect(text, metadata) == language


def test_metadata_key_is_configurable() -> None:
    assert detect("OK", {"locale": "ja"}, metadata_key="locale") == "ja"


def test_ambiguous_words_are_configurable() -> None:
    assert detect("hai") is None
    assert detect("hai", ambiguous_words=[]) == "en"
    assert detect("Tokyo", ambiguous_words=["TOKYO"]) is None


def test_language_from_metadata() -> None:
    assert language_from_metadata({"language": " en-US "}, "language") == "en"
    assert language_from_metadata([], "language") is None


def test_entity_shape_for_the_slot() -> None:
    text = "ICLEIの東京officeってどこ？"
    place = {"entity": "place", "value": "東京", "start": 6, "end": 8, "extractor": "DIET"}
    message = Message(data={TEXT: text, ENTITIES: [place]})
    make_detector().process([message])
    assert message.get(ENTITIES) == [
        place,
        {
            "entity": "language",
            "value": "ja",
            "start": 0,
            "end": len(text),
            "confidence": 1.0,
            "extractor": "LanguageDetector",
        },
    ]
    parse_data = message.as_dict(only_output_properties=True)
    assert parse_data["entities"] == message.get(ENTITIES)
    assert parse_data["language"] == "ja"


def test_parse_data_key_can_be_switched_off() -> None:
    message = Message(data={TEXT: "hello"})
    make_detector(parse_data_key=None).process([message])
    assert "language" not in message.as_dict(only_output_properties=True)


def test_parse_data_key_and_no_entity() -> None:
    message = Message(data={TEXT: "hello"})
    make_detector(entity_name=None, parse_data_key="language").process([message])
    assert not message.get(ENTITIES)
    assert message.as_dict(only_output_properties=True)["language"] == "en"


def test_rasa_component_api(tmp_path) -> None:
    """Created and run the way Rasa's predict graph runs it."""
    component = LanguageDetector.create(
        LanguageDetector.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("language_detector"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    messages = [Message(data={TEXT: "こんにちは"}), Message(data={TEXT: "hi"}), Message()]
    assert component.process(messages) is messages
    assert [m.get(ENTITIES) and m.get(ENTITIES)[0]["value"] for m in messages] == [
        "ja",
        "en",
        None,
    ]
