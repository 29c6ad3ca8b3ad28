"""domain.yml: every response in both languages, every placeholder filled by the actions."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from bot.answers import enquiry, offices
from bot.answers.facts import FAQ_INTENTS, faq_reply
from bot.answers.reply import Reply
from bot.knowledge import find_places, get_knowledge, resolve_place

DOMAIN = Path(__file__).resolve().parents[1] / "domain.yml"
KANA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")


@lru_cache
def responses() -> dict[str, list[dict]]:
    return yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]


def variation(name: str, lang: str) -> dict:
    for candidate in responses()[name]:
        conditions = candidate.get("condition") or []
        is_ja = any(c.get("name") == "language" and c.get("value") == "ja" for c in conditions)
        if is_ja == (lang == "ja"):
            return candidate
    raise AssertionError(f"{name} has no {lang} variation")


@pytest.mark.parametrize("name", sorted(responses()))
def test_every_response_has_english_default_and_japanese_variation(name):
    english, japanese = variation(name, "en"), variation(name, "ja")
    assert not KANA.search(english["text"]), f"{name}: the English default contains Japanese"
    assert KANA.search(japanese["text"]) or not PLACEHOLDER.sub("", japanese["text"]).strip()
    assert len(english.get("buttons", [])) == len(japanese.get("buttons", []))


def all_replies(lang: str) -> list[Reply]:
    """Every reply the actions can produce, over all intents, offices and kinds of place."""
    knowledge = get_knowledge()
    replies = [faq_reply(knowledge, intent, lang) for intent in FAQ_INTENTS]
    for office in knowledge.offices:
        replies += offices.office_card(office, lang, "phone number?")
    for name in ["Kenya", "Kazakhstan", "Asia", "North America", "Europe", "東京"]:
        replies += offices.place_answer(knowledge, resolve_place(knowledge, name), lang)[0]
    replies += offices.not_found(knowledge, "Atlantis", lang)
    replies += offices.ask_for_place(knowledge, lang)
    slots = {
        "enquiry_country": "KE",
        "enquiry_organisation": "Nairobi",
        "enquiry_name": "A",
        "enquiry_email": "a@b.example",
        "enquiry_population": "4400000",
    }
    replies.append(enquiry.summary(knowledge, slots, lang))
    assert find_places(knowledge, "Tokyo office")
    return [reply for reply in replies if reply is not None]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_placeholder_is_filled(lang):
    for reply in all_replies(lang):
        template = variation(reply.response, lang)["text"]
        missing = set(PLACEHOLDER.findall(template)) - set(reply.values)
        assert not missing, f"{reply.response} ({lang}) lacks {missing}"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_faq_answers_state_no_empty_fact(lang):
    for reply in all_replies(lang):
        assert all(
            value.strip()
            for key, value in reply.values.items()
            if key not in {"phone", "fax", "web"}
        ), reply
