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


# The enquiry settings a deployer may give (README, "Configuration").
DEPLOYER_SETTINGS = {
    "ENQUIRY_PRIVACY_URL": "https://iclei.example/privacy",
    "ENQUIRY_REPLY_PROMISE": "ICLEI replies within ten working days.",
    "ENQUIRY_REPLY_PROMISE_JA": "10営業日以内にご返信します。",
}


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
    replies += enquiry.consent_question(lang, DEPLOYER_SETTINGS)
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


# --- wording: only what the page says -------------------------------------------------------


def render(reply: Reply, lang: str) -> str:
    """The text the user sees: the response's variation in `lang` filled with the values."""
    template = variation(reply.response, lang)["text"]
    return PLACEHOLDER.sub(lambda m: reply.values[m.group(1)], template)


def test_every_response_that_counts_offices_gives_both_numbers():
    # "16 offices" alone contradicts "22 regional offices and secretariats" (a count of the
    # offices listed under one {region} is not a count of ICLEI's offices).
    for name in responses():
        for lang in ("en", "ja"):
            text = variation(name, lang)["text"]
            counts = "{office_count}" in text or "{listed_offices}" in text
            if counts and "{region}" not in text:
                assert "{regional_offices}" in text, f"{name} ({lang})"


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "22 regional offices and secretariats (its page lists the addresses of 16 of them)"),
        ("ja", "22の地域事務所・事務局（うち住所が掲載されているのは16か所）"),
    ],
)
def test_size_and_history_say_22_offices_of_which_16_are_listed(lang, says):
    for intent in ("ask_size", "ask_history"):
        assert says in render(faq_reply(get_knowledge(), intent, lang), lang)


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "ICLEI has 22 regional offices and secretariats; its page lists the addresses "
         "of these 16:\n"),
        ("ja", "イクレイには22の地域事務所・事務局があり、"
         "そのうち住所が掲載されているのは次の16か所です。"),
    ],
)  # fmt: skip
def test_office_list_says_22_offices_of_which_16_are_listed(lang, says):
    assert render(offices.office_list(get_knowledge(), lang), lang).startswith(says)


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "ICLEI's page lists it as: "
         "Mexico City Special Commission on Climate Change from the Mexican Senate"),
        ("ja", "イクレイのページには「Mexico City Special Commission on Climate Change "
         "from the Mexican Senate」と記載されています。"),
    ],
)  # fmt: skip
def test_mexico_card_quotes_the_page_line_beside_the_address(lang, says):
    card = [render(r, lang) for r in offices.office_card(get_knowledge().office("mexico"), lang)]
    assert card[0].startswith(
        "ICLEI office for Mexico, Central America and the Caribbean\nAddress: Paseo"
        if lang == "en"
        else "イクレイ メキシコ・中米・カリブ地域事務所（所在地：メキシコシティ）\n住所：Paseo"
    )
    assert card[1] == says


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "For Puerto Rico, please contact the ICLEI office for Mexico, Central America "
         "and the Caribbean in Mexico City:"),
        ("ja", "プエルトリコについては、メキシコシティの"
         "イクレイ メキシコ・中米・カリブ地域事務所にお問い合わせください。"),
    ],
)  # fmt: skip
def test_caribbean_country_is_routed_to_the_region_office(lang, says):
    knowledge = get_knowledge()
    replies, _ = offices.place_answer(knowledge, resolve_place(knowledge, "Puerto Rico"), lang)
    assert render(replies[0], lang) == says


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_consent_makes_no_legal_claim_and_no_reply_promise_by_default(lang):
    (question,) = enquiry.consent_question(lang, {})
    text = render(question, lang)
    claims = ("GDPR", "EU", "Germany", "ドイツ", "reply", "返信", "回答", "ご連絡", "削除")
    assert not [claim for claim in claims if claim in text]
    neutral = {
        "en": "ICLEI staff will read your enquiry. Do you agree?",
        "ja": "お問い合わせはイクレイの職員が確認いたします。同意いただけますか？",
    }
    assert neutral[lang] in text


@pytest.mark.parametrize(
    ("lang", "notice", "promise"),
    [
        ("en", "How ICLEI handles the personal data you give here: https://iclei.example/privacy",
         "read your enquiry. ICLEI replies within ten working days. Do you agree?"),
        ("ja", "こちらをご覧ください：https://iclei.example/privacy",
         "確認いたします。10営業日以内にご返信します。同意いただけますか？"),
    ],
)  # fmt: skip
def test_consent_gives_the_deployers_privacy_link_and_reply_promise(lang, notice, promise):
    link, question = enquiry.consent_question(lang, DEPLOYER_SETTINGS)
    assert notice in render(link, lang)
    assert promise in render(question, lang)


@pytest.mark.parametrize("name", ["utter_enquiry_stored", "utter_enquiry_spooled"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_confirmation_promises_no_reply_of_its_own(name, lang):
    text = variation(name, lang)["text"]
    assert "{reply_promise}" in text
    for promise in ("will reply", "by email", "ご連絡します", "返信"):
        assert promise not in text


def test_japanese_mission_is_quoted_as_a_noun_phrase():
    text = render(faq_reply(get_knowledge(), "ask_mission", "ja"), "ja")
    assert "地方自治体による世界的な運動を築き、取組むこと」です" in text
    assert "である" not in text


@pytest.mark.parametrize("intent", ["ask_history", "ask_founding"])
def test_japanese_history_places_the_first_secretariats_as_the_page_does(intent):
    text = render(faq_reply(get_knowledge(), intent, "ja"), "ja")
    assert "カナダのトロントに世界事務局、ドイツのフライブルクにヨーロッパ事務局を設置" in text


def test_a_bare_yes_is_not_thanked():
    assert "ありがとう" not in variation("utter_how_can_i_help", "ja")["text"]
    assert "ご質問があればどうぞ" in variation("utter_how_can_i_help", "ja")["text"]
