"""The enquiry form never traps anyone: what the visitor types is their answer (issue 9).

Every field, in both languages: a clear FAQ question is answered once, but the same text
given again to the same question is the answer (or, where it must be valid, the visitor is
offered to cancel at once); answer-only fields (role, message) are never taken for questions.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.enquiry_form import ValidateEnquiryForm, repeats_previous_answer
from tests.actions.conftest import make_tracker


def answer_tracker(
    field: str,
    text: str,
    intent: str | None,
    lang: str,
    *,
    previous: str | None = None,
    confidence: float = 0.99,
    slots: dict[str, Any] | None = None,
) -> Tracker:
    """The tracker as the form's validation sees `text`, sent in answer to `field`'s question.

    With `previous`, the visitor had already answered the same question with that text.
    """
    slot = f"enquiry_{field}"
    asked = {"event": "slot", "name": "requested_slot", "value": slot}
    events: list[dict[str, Any]] = [asked]
    if previous is not None:
        events += [{"event": "user", "text": previous}, {"event": "bot", "text": "?"}, asked]
    events.append({"event": "user", "text": text})
    tracker = make_tracker(
        text=text, intent=intent, slots={"language": lang, "requested_slot": slot, **(slots or {})}
    )
    tracker.latest_message["intent"]["confidence"] = confidence
    tracker.events = events
    return tracker


async def validate(field: str, text: str, tracker: Tracker, dispatcher) -> dict[str, Any]:
    method = getattr(ValidateEnquiryForm(), f"validate_enquiry_{field}")
    return await method(text, dispatcher, tracker, {})


def responses(dispatcher) -> list[str]:
    return [message["response"] for message in dispatcher.messages]


def as_stored(text: str) -> str:
    """The text as the validators store it: full-width forms folded (？ -> ?)."""
    return unicodedata.normalize("NFKC", text)


# --- answer-only fields: a message or a role is never a question ------------------------


@pytest.mark.parametrize(
    ("field", "lang", "text", "intent"),
    [
        # the reported case: the message question, answered with a topic the bot knows
        ("message", "ja", "気候変動プログラムに関心があります", "ask_first_programmes"),
        ("message", "en", "We are interested in your climate programmes", "ask_first_programmes"),
        ("message", "en", "What are the membership fees?", "ask_membership"),
        ("message", "ja", "会員になるための条件は何ですか？", "ask_membership"),
        ("role", "en", "Director of Sustainability", "ask_mission"),
        ("role", "en", "Who is the mayor? I am, actually.", "bot_challenge"),
        ("role", "ja", "環境政策課 課長", "ask_name"),
        ("role", "ja", "事務局長ですか？いいえ、課長をしています", "ask_headquarters"),
    ],
)
async def test_answer_only_fields_take_the_text_even_if_it_reads_as_a_question(
    dispatcher, field, lang, text, intent
):
    tracker = answer_tracker(field, text, intent, lang)
    result = await validate(field, text, tracker, dispatcher)
    assert result[f"enquiry_{field}"] == as_stored(text)
    assert dispatcher.messages == []


# --- other fields: a clear question is answered once, never twice ----------------------

# (field, lang, question, intent, the bot's answer, what the same text given again gets)
QUESTIONS = [
    ("organisation", "en", "When was ICLEI founded?", "ask_founding", ["utter_ask_founding"], None),
    ("organisation", "ja", "イクレイはいつ設立されましたか？", "ask_founding",
     ["utter_ask_founding"], None),
    ("name", "en", "Are you a bot?", "bot_challenge", ["utter_iamabot"], None),
    ("name", "ja", "あなたはボットですか", "bot_challenge", ["utter_iamabot"], None),
    ("country", "en", "How many staff does ICLEI have?", "ask_size", ["utter_ask_size"],
     ["utter_enquiry_invalid_country", "utter_enquiry_offer_cancel"]),
    ("country", "ja", "職員は何人いますか？", "ask_size", ["utter_ask_size"],
     ["utter_enquiry_invalid_country", "utter_enquiry_offer_cancel"]),
    ("email", "en", "What is ICLEI's mission?", "ask_mission", ["utter_ask_mission"],
     ["utter_enquiry_invalid_email", "utter_enquiry_offer_cancel"]),
    ("email", "ja", "イクレイのミッションは何ですか", "ask_mission", ["utter_ask_mission"],
     ["utter_enquiry_invalid_email", "utter_enquiry_offer_cancel"]),
    ("population", "en", "What is ICLEI?", "what_is_iclei", ["utter_what_is_iclei"],
     ["utter_enquiry_invalid_population", "utter_enquiry_offer_cancel"]),
    ("population", "ja", "イクレイとは何ですか？", "what_is_iclei", ["utter_what_is_iclei"],
     ["utter_enquiry_invalid_population", "utter_enquiry_offer_cancel"]),
]  # fmt: skip


@pytest.mark.parametrize(("field", "lang", "text", "intent", "answer", "_again"), QUESTIONS)
async def test_a_clear_question_is_answered_and_asked_again(
    dispatcher, field, lang, text, intent, answer, _again
):
    tracker = answer_tracker(field, text, intent, lang)
    result = await validate(field, text, tracker, dispatcher)
    assert result == {f"enquiry_{field}": None}
    assert responses(dispatcher) == answer


@pytest.mark.parametrize(("field", "lang", "text", "intent", "_answer", "again"), QUESTIONS)
async def test_the_same_text_again_is_the_answer_or_offers_a_way_out(
    dispatcher, field, lang, text, intent, _answer, again
):
    tracker = answer_tracker(field, text, intent, lang, previous=text)
    result = await validate(field, text, tracker, dispatcher)
    if again is None:  # free text: taken as given
        assert result[f"enquiry_{field}"] == as_stored(text)
        assert dispatcher.messages == []
    else:  # must be valid: says why, and offers to cancel now (optional ones also to skip)
        assert result[f"enquiry_{field}"] is None
        assert responses(dispatcher) == again
        assert result["enquiry_failures"] == 0


@pytest.mark.parametrize(
    ("field", "lang", "text", "intent", "expected"),
    [
        ("organisation", "en", "Cities for Climate Protection Association",
         "ask_first_programmes", "Cities for Climate Protection Association"),
        ("organisation", "ja", "気候変動防止都市推進協議会", "ask_first_programmes",
         "気候変動防止都市推進協議会"),
        ("name", "en", "Founders Hall", "ask_founding", "Founders Hall"),
        ("name", "ja", "歴史 太郎", "ask_history", "歴史 太郎"),
        ("country", "en", "Kenya", "ask_size", "KE"),
        ("country", "ja", "ケニア", "what_is_iclei", "KE"),
        ("email", "ja", "rekishi@city.example.jp", "ask_history", "rekishi@city.example.jp"),
        ("population", "ja", "120万", "ask_size", "1200000"),
    ],
)  # fmt: skip
async def test_an_answer_the_nlu_takes_for_a_question_is_still_the_answer(
    dispatcher, field, lang, text, intent, expected
):
    tracker = answer_tracker(field, text, intent, lang)
    result = await validate(field, text, tracker, dispatcher)
    assert result[f"enquiry_{field}"] == expected
    assert dispatcher.messages == []


async def test_an_unsure_question_intent_is_taken_as_the_answer(dispatcher):
    text = "What's new?"
    tracker = answer_tracker("organisation", text, "what_is_iclei", "en", confidence=0.6)
    result = await validate("organisation", text, tracker, dispatcher)
    assert result["enquiry_organisation"] == as_stored(text)


async def test_a_name_ending_in_a_question_mark_is_a_question_even_when_unsure(dispatcher):
    # No one's name ends with "?": the question is answered and the name asked again.
    text = "何ですか？"
    tracker = answer_tracker("name", text, "what_is_iclei", "ja", confidence=0.6)
    assert await validate("name", text, tracker, dispatcher) == {"enquiry_name": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_what_is_iclei"]


@pytest.mark.parametrize(
    ("text", "lang", "address_part"),
    [
        ("Before I answer — which ICLEI office would handle an enquiry from Peru?", "en",
         "Ibiraçu"),
        ("その前に、日本事務所の住所を教えていただけますか？", "ja", "Nishi-Shimbashi"),
    ],
)  # fmt: skip
async def test_an_office_question_instead_of_the_name_gets_the_office(
    dispatcher, text, lang, address_part
):
    tracker = answer_tracker("name", text, "ask_office_contact", lang)
    assert await validate("name", text, tracker, dispatcher) == {"enquiry_name": None}
    assert any(address_part in str(m.get("address", "")) for m in dispatcher.messages)


# --- the same invalid answer twice ------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "lang", "text", "invalid"),
    [
        ("email", "en", "taro-at-city", "utter_enquiry_invalid_email"),
        ("email", "ja", "たろう＠まち", "utter_enquiry_invalid_email"),
        ("country", "en", "Atlantis", "utter_enquiry_invalid_country"),
        ("country", "ja", "アトランティス", "utter_enquiry_invalid_country"),
        ("population", "en", "lots", "utter_enquiry_invalid_population"),
        ("population", "ja", "たくさん", "utter_enquiry_invalid_population"),
        ("organisation", "en", "<script></script>", "utter_enquiry_invalid_empty"),
        ("name", "ja", "x" * 500, "utter_enquiry_invalid_too_long"),
    ],
)
async def test_the_same_invalid_answer_twice_offers_to_cancel_at_once(
    dispatcher, field, lang, text, invalid
):
    first = await validate(
        field, text, answer_tracker(field, text, "nlu_fallback", lang), dispatcher
    )
    assert responses(dispatcher) == [invalid]
    assert first["enquiry_failures"] == 1
    dispatcher.messages.clear()
    again = answer_tracker(
        field, text, "nlu_fallback", lang, previous=text, slots={"enquiry_failures": 1}
    )
    second = await validate(field, text, again, dispatcher)
    assert responses(dispatcher) == [invalid, "utter_enquiry_offer_cancel"]
    assert second[f"enquiry_{field}"] is None


async def test_a_different_invalid_answer_is_simply_asked_again(dispatcher):
    tracker = answer_tracker("email", "taro-at-city.jp", "nlu_fallback", "en", previous="taro")
    result = await validate("email", "taro-at-city.jp", tracker, dispatcher)
    assert responses(dispatcher) == ["utter_enquiry_invalid_email"]
    assert result["enquiry_failures"] == 1


@pytest.mark.parametrize(("lang", "text"), [("en", "Nono Smith"), ("ja", "いいえ 花子")])
async def test_a_name_the_nlu_takes_for_no_is_taken(dispatcher, lang, text):
    # A required answer is never skipped because the model read "no" in it.
    first = await validate("name", text, answer_tracker("name", text, "deny", lang), dispatcher)
    assert first["enquiry_name"] == text
    again = answer_tracker("name", text, "deny", lang, previous=text)
    assert (await validate("name", text, again, dispatcher))["enquiry_name"] == text


@pytest.mark.parametrize("text", ["Norway", "Nauru"])
async def test_a_country_the_nlu_takes_for_no_is_taken(dispatcher, text):
    tracker = answer_tracker("country", text, "deny", "en")
    assert (await validate("country", text, tracker, dispatcher))["enquiry_country"]


async def test_skipping_an_optional_field_twice_still_skips(dispatcher):
    tracker = answer_tracker("role", "/deny", "deny", "ja", previous="/deny")
    assert (await validate("role", "/deny", tracker, dispatcher))["enquiry_role"] == ""


# --- what counts as the same answer ------------------------------------------------------


def events_for(*steps: tuple[str, str]) -> Tracker:
    events = []
    for kind, value in steps:
        if kind == "asked":
            events.append({"event": "slot", "name": "requested_slot", "value": value})
        else:
            events.append({"event": "user", "text": value})
    tracker = make_tracker(text=events[-1]["text"])
    tracker.events = events
    return tracker


@pytest.mark.parametrize(
    ("steps", "slot", "expected"),
    [
        ([("asked", "enquiry_name"), ("said", "Bonn"), ("said", "Bonn")], "enquiry_name", True),
        # width, case and spacing do not make an answer different
        ([("asked", "enquiry_name"), ("said", "山田　太郎"), ("said", "山田 太郎")],
         "enquiry_name", True),
        ([("asked", "enquiry_name"), ("said", "ＢＯＮＮ"), ("said", "bonn")], "enquiry_name", True),
        ([("asked", "enquiry_name"), ("said", "Bonn"), ("said", "Bonn city")],
         "enquiry_name", False),
        # the same words given to another question are a first answer to this one
        ([("asked", "enquiry_organisation"), ("said", "Bonn"), ("asked", "enquiry_name"),
          ("said", "Bonn")], "enquiry_name", False),
        ([("asked", "enquiry_name"), ("said", "Bonn")], "enquiry_name", False),
        ([("said", "hello"), ("said", "Bonn"), ("said", "Bonn")], "enquiry_name", False),
    ],
)  # fmt: skip
def test_repeats_previous_answer(steps, slot, expected):
    assert repeats_previous_answer(events_for(*steps), slot) is expected


async def test_a_place_with_a_question_is_still_the_organisation(dispatcher):
    text = "横浜市です。日本の自治体とも連携していますか？"
    tracker = answer_tracker("organisation", text, "ask_office_contact", "ja")
    result = await validate("organisation", text, tracker, dispatcher)
    assert result["enquiry_organisation"].startswith("横浜市")
    assert dispatcher.messages == []
