"""A second reading of the model's intent, from cues the model cannot weigh on its own.

The model is trained on examples; some signals are sharper as rules over the knowledge base
and the gazetteer than as more examples (and cost no training time):

- a request to talk in a language ("...in Japanese, please", 「英語で回答して」);
- a travel or everyday topic (hotels, weather, directions): out of scope even when a city
  with an ICLEI office is named;
- a place (any city, province, country or region) named together with an office or a
  contact, whatever the model guessed ("Auckland Council here. Where's the closest office?");
- for a message the model did not understand: a place, a question about what the page does
  not list (leaders, fees, events), a question that names its fact (ICLEI's age, its change
  of name, its aims), or a short follow-up on a detail ("got a number I can ring?").

The parse keeps the model's own reading under `reread_from`, for the staff shell.
"""

from __future__ import annotations

import copy
import functools
import re
from typing import Any

from bot.answers.interruptions import looks_like_question
from bot.answers.offices import HEADQUARTERS_ID
from bot.dialogue.asked import (
    asks_about_city_figures,
    asks_about_coming_events,
    asks_about_fees,
    asks_about_later_plans,
    asks_about_other_networks,
    asks_about_personal_data,
    asks_about_services,
    asks_about_staff_languages,
    asks_about_the_assistant,
    asks_about_the_old_name,
    asks_about_un_standing,
    asks_detail_in_a_language,
    asks_for_a_figures_source,
    asks_for_each,
    asks_for_list,
    asks_for_someone_to_reach,
    asks_for_the_ccp_steps,
    asks_how_membership_works,
    asks_how_soon_iclei_replies,
    asks_how_to_join,
    asks_member_status,
    asks_the_way_there,
    asks_to_enquire_here,
    asks_to_send,
    asks_what_the_page_lacks,
    asks_when_it_moved,
    asks_when_opened,
    asks_where_the_head_office_is,
    asks_who_can_join,
    asks_who_leads,
    asks_whom_to_contact,
    asks_why_join,
    attributes_asked,
    calls_off,
    consent_answer,
    consent_opening,
    facet_asked,
    fact_named,
    in_another_language,
    is_done,
    is_short,
    is_travel_or_everyday,
    language_requested,
    mentions_a_sent_enquiry,
    mentions_an_office,
    mentions_membership,
    names_a_person,
    names_a_reference,
    names_an_office,
    names_the_head_office,
    names_the_seoul_plan,
    only_says_goodbye,
    resumes_an_enquiry,
    symbols_intent,
    wants_to_enquire,
    year_asked,
)
from bot.enquiries.corrections import asks_to_change, changes, labelled_answers
from bot.enquiries.prefill import person_in
from bot.knowledge import find_places, gazetteer, get_knowledge

# The form's questions that a message may answer in its own words (domain.yml).
CONSENT_SLOT = "enquiry_consent"
CONFIRM_SLOT = "enquiry_confirmed"
FIX_SLOT = "enquiry_fix_field"
# Intents a cue never overrides: they belong to the enquiry form and to yes/no answers.
_KEPT = frozenset({"start_enquiry", "cancel", "correct_enquiry", "affirm", "deny", "thank"})
# Of those, the answers to a question, which a language request does not override either
# ("yes, in English please" answers the question asked).
_ANSWERS = frozenset({"affirm", "deny"})
# Questions about ICLEI in general: a named place with an office word means an office.
_GENERAL = frozenset(
    {
        "what_is_iclei", "ask_mission", "ask_why_cities", "ask_history", "ask_founding",
        "ask_name", "ask_first_programmes", "ask_size", "ask_membership", "help", "greet",
        "out_of_scope", "ask_other_iclei_topic", "ask_followup", "nlu_fallback", "bot_challenge",
    }
)  # fmt: skip


# "And the US one?", "what about Kenya?", 「カナダは？」: the same question about another place.
_WHAT_ABOUT = re.compile(r"^\s*(?:(?:and|so|ok|okay)[,\s]+)?(?:what|how) about\b", re.IGNORECASE)
_THANKS_AT_THE_END = re.compile(
    r"(?:ありがとう|有難う|有り難う)(?:ございます|ございました|ね|です)?[!！。.〜~\s]*$|"
    r"\b(?:thanks|thank you)(?: (?:so|very) much| a lot| for (?:everything|all|your help|"
    r"the help))?[!.\s]*$",
    re.IGNORECASE,
)
_NOT_NOW = re.compile(
    r"\b(?:no|not|don'?t|do not|won'?t|never)\b|しない|しません|いいえ|結構|やめ", re.IGNORECASE
)
_AND_ANOTHER = re.compile(
    r"^\s*(?:and|what about|how about|also)\b|^[^、。]{1,20}(?:は|も|の方は|のほうは)[？?]?\s*$",
    re.IGNORECASE,
)
# "that office", "their", 「その事務所」「そこ」: the office just discussed.
_THAT_OFFICE = re.compile(
    r"\b(?:that|this|the same) (?:office|secretariat)\b|\b(?:their|them|they)\b|"
    r"(?:その|この|そちらの|こちらの|同)(?:事務所|事務局|オフィス)|そこの|そちら",
    re.IGNORECASE,
)


def _refers_to_the_office(text: str) -> bool:
    return bool(_THAT_OFFICE.search(text))


# Readings of "that's all, thanks" that would keep the conversation going.
_DONE_READINGS = frozenset({"deny", "thank", "nlu_fallback", "help"})
# Below this, `start_enquiry` starts a form only when the words ask for one.
_SURE_ENOUGH_TO_START = 0.8
# Readings the model gives a short follow-up it is unsure of ("in which city?" as
# `list_offices` at 0.50, 「この事務所のサイトって見られますか」 as `help` at 0.56): below
# `_UNSURE` they are read like a message the model did not understand; the model's reading
# stays when no cue applies.
_VAGUE = frozenset({"help", "list_offices", "bot_challenge", "greet"})
_UNSURE = 0.6
# Answers that already say the page gives no fees.
_MEMBERSHIP_ANSWERS = frozenset({"ask_membership", "ask_other_iclei_topic", "nlu_fallback"})


def names_a_place(text: str, parse: dict[str, Any]) -> bool:
    """True when the message names a place the office table or the gazetteer knows."""
    # 「環境政策課の田中と申します」: the visitor's own name (田中 is also a town in Taiwan).
    person = person_in(text)
    if person:
        text = text.replace(person, " ")
    folded = text.casefold()
    for entity in parse.get("entities") or []:
        # The entities may be the whole message's while `text` is its question only.
        if entity.get("entity") == "place" and str(entity.get("value", "")).casefold() in folded:
            return True
    return bool(find_places(get_knowledge(), text) or gazetteer.find_in_text(text))


def reread_consent(parse: dict[str, Any], text: str) -> dict[str, Any]:
    """The parse as `affirm` or `deny` when the message answers "Do you agree?" in its own
    words, as a whole or in its first sentence (「同意します」, "I don't agree", "yes I agree.
    Organisation: …"), whatever the model read: a model once read 「同意します」 as `deny`.
    Otherwise the same parse."""
    return read_as(parse, _as_intent(consent_opening(text)))


def reread_in_form(parse: dict[str, Any], text: str, requested_slot: str | None) -> dict[str, Any]:
    """The parse of an answer inside the enquiry form: `cancel` for a message that starts
    by calling it off ("actually never mind, I'll check with my boss"), the consent answered
    in its own words, a change asked for at the summary ("please change the email to …")
    as `correct_enquiry`; else the same parse. The form reads everything else itself."""
    if calls_off(text) or only_says_goodbye(text):
        return read_as(parse, "cancel")  # "thanks, bye" at the email question: not an email
    if requested_slot == CONSENT_SLOT:
        return reread_consent(parse, text)
    intent = (parse.get("intent") or {}).get("name")
    if requested_slot == CONFIRM_SLOT and any(change.value for change in changes(text)):
        # 「団体名は「ニセコ町」だけでお願いします。それ以外は大丈夫です。」: the change first,
        # whatever "それ以外は大丈夫" made the model read; the summary is shown again.
        return read_as(parse, "correct_enquiry")
    if requested_slot in (CONFIRM_SLOT, FIX_SLOT) and asks_to_send(text):
        # "Ok never mind. Please send it.", 「直すところはもうありません。このまま送信して」.
        return read_as(parse, "affirm")
    if (
        requested_slot == CONFIRM_SLOT
        and intent not in _ANSWERS
        and (asks_to_change(text) or labelled_answers(text))
    ):
        # "role: Planning Officer", 「名前：井上 誠」 at the summary: a change, not a question.
        return read_as(parse, "correct_enquiry")
    return parse


def _consent_intent(text: str) -> str | None:
    """`affirm` or `deny` for a whole message that answers "Do you agree?", else None."""
    return _as_intent(consent_answer(text))


def _as_intent(consent: bool | None) -> str | None:
    return None if consent is None else ("affirm" if consent else "deny")


def read_as(parse: dict[str, Any], wanted: str | None) -> dict[str, Any]:
    """`parse` read as `wanted`, the model's own reading kept under `reread_from` (the same
    parse when there is nothing to change)."""
    if wanted is None or wanted == (parse.get("intent") or {}).get("name"):
        return parse
    parse = copy.deepcopy(parse)
    parse["reread_from"] = parse.get("intent")
    parse["intent"] = {"name": wanted, "confidence": 1.0}
    return parse


def reread(parse: dict[str, Any], text: str, context: str = "") -> dict[str, Any]:
    """The parse with the intent the cues call for (the same parse when none applies).

    `text` carries the question; `context` is the whole message when a preamble was set
    aside ("I work in Quito. Which office should we contact?"): its places count only for a
    question about whom to contact."""
    intent = (parse.get("intent") or {}).get("name") or "nlu_fallback"
    if not text or text.startswith("/"):
        return parse
    consented = _consent_intent(text)
    if consented is not None:
        return read_as(parse, consented)
    symbols = symbols_intent(text)
    if symbols is not None:
        return read_as(parse, symbols)
    if in_another_language(text):
        # "¿Dónde está la oficina?": say which languages it speaks, not a guess at an office.
        return read_as(parse, "switch_language")
    # A request to talk in a language is a switch whatever the model read: "Can we continue
    # in Japanese?" came out as `cancel` and 「英語のほうが助かります」 as `thank`.
    if language_requested(text) and intent not in _ANSWERS:
        return read_as(parse, "switch_language")
    if intent != "affirm" and asks_for_the_ccp_steps(text) and not language_requested(text):
        # 「いやそうじゃなくて、CCPの5つのステップの中身が知りたいの」 read as `deny`: the steps.
        return read_as(parse, "ask_first_programmes")
    if intent not in _ANSWERS and names_the_seoul_plan(text):
        # 「ソウルプランって何？ソウル市の計画？」: ICLEI's strategy, not Seoul's office.
        return read_as(_without_places(parse), "ask_mission")
    if intent == "switch_language" and asks_detail_in_a_language(text):
        # 「住所は英語で教えてください」: the address, the conversation staying in Japanese.
        detail = "ask_office_contact" if names_a_place(text, parse) else "ask_followup"
        return read_as(parse, detail)
    sent = mentions_a_sent_enquiry(text)
    if sent and (intent not in _ANSWERS | {"start_enquiry"} or names_a_reference(text)):
        # "what was my reference number again?" read as a phone number, 「受付番号は
        # ICLEI-2026-000021です」 as the name's story: the enquiry already sent.
        return read_as(parse, "correct_enquiry")
    if intent == "start_enquiry" and asks_member_status(text):
        # "Is Nairobi a member?": the page lists no members; no form was asked for.
        return read_as(parse, "ask_other_iclei_topic")
    if intent not in _ANSWERS | {"cancel"} and resumes_an_enquiry(text) and not sent:
        # 「すいません、上司OKでした！さっきの続きからできます？」: the form again (its first
        # question says the earlier answers were not kept).
        return read_as(parse, "start_enquiry")
    if (
        intent in _GENERAL | {"list_offices"}
        and asks_for_each(text)
        and not names_a_place(text, parse)
    ):
        # 「両方の住所をお願いします」 after a list of two offices: each one's card.
        return read_as(parse, "ask_office_contact")
    if intent in _GENERAL | {"start_enquiry"} and asks_why_join(text):
        # "Why should a small town bother joining a network like this?": what joining brings,
        # not the form (the membership answer offers it).
        return read_as(parse, "ask_membership")
    if intent == "start_enquiry" and calls_off(text):
        # 「入会申し込みをしたいのですが、やっぱり今日はやめておきます。また今度にします。」
        return read_as(parse, "deny")
    if intent == "start_enquiry" and asks_about_fees(text) and looks_like_question(text):
        # "Is there a fee for a county like ours to become a member?": not the form.
        return read_as(parse, "ask_membership")
    if intent == "start_enquiry" and asks_who_can_join(text):
        # "can an NGO like ours become a member?": who may join, before any form.
        return read_as(parse, "ask_membership")
    if (
        intent in _GENERAL | _OFFICE_READINGS | {"deny", "thank", "cancel"}
        and wants_to_enquire(text)
        and (not looks_like_question(text) or asks_to_enquire_here(text))
        and not asks_how_to_join(text)
        and not calls_off(text)
        and not _NOT_NOW.search(text)
    ):
        # 「じゃあもう一回問い合わせを送り直します」 read as a follow-up: the form.
        return read_as(parse, "start_enquiry")
    if intent == "start_enquiry" and asks_how_to_join(context or text):
        # "We'd like to become a member, what do we do?": how it works first; the membership
        # answer then offers the form.
        return read_as(parse, "ask_membership")
    if intent == "start_enquiry" and _asks_whom_near(text, parse, context):
        # "I'm a councillor from Auckland. Is there someone near us we could talk to?" asks
        # for an office, not to fill in the enquiry form.
        return read_as(parse, "ask_office_contact")
    if intent == "start_enquiry" and _unsure_enquiry(parse, text, context):
        # "Is the Cape Town office open on Saturdays?" read as starting the form, unsure:
        # a form is only started when asked for.
        return read_as(parse, _cued_intent("nlu_fallback", text, parse, context) or "nlu_fallback")
    if intent not in _ANSWERS and asks_how_soon_iclei_replies(text):
        # "By the way, how long does it usually take to get a reply?" read as a language.
        return read_as(parse, "ask_other_iclei_topic")
    if intent not in _KEPT - {"deny", "thank"} and asks_about_personal_data(text, named=True):
        # 「このチャットってデータ保存してる？」 read as what the assistant is: how the chat and
        # an enquiry's details are kept.
        return read_as(parse, "ask_other_iclei_topic")
    if (
        intent not in _ANSWERS
        and asks_about_the_assistant(text)
        and not asks_for_a_figures_source(text)
    ):
        # "are you an official ICLEI tool?" read as ICLEI's name: what the assistant is (and
        # "who runs this chatbot" is not a question about ICLEI's leaders).
        return read_as(parse, "bot_challenge")
    if intent in _GENERAL and _THANKS_AT_THE_END.search(text) and not re.search(r"[?？]", text):
        # 「いろいろ教えてくれてありがとう！」 fell back: thanks, in the visitor's own words.
        return read_as(parse, "thank")
    if intent in _DONE_READINGS and is_done(text):
        # "thanks, that's all I need" read as `deny` got "Anything else?" once more.
        return read_as(parse, "goodbye")
    if intent not in _KEPT and _says_goodbye(text):
        # "Ha, fair. That's everything, thank you and goodbye." read as the head office.
        return read_as(parse, "goodbye")
    if intent == "correct_enquiry" and _first_secretariat_named(text):
        return read_as(parse, "ask_headquarters")  # "My boss says the HQ is in Toronto, right?"
    if intent == "correct_enquiry" and names_a_place(text, parse) and looks_like_question(text):
        # No form to correct: "Sorry, let me correct something - the mayor is meeting the
        # mayor of Monterrey, not Vancouver. Who should we contact?" asks for an office.
        return read_as(parse, "ask_office_contact")
    if intent in _NOT_A_TOPIC and _EARLY_YEARS.search(text) and not names_an_office(text):
        # "Tell me something interesting about ICLEI's first years" read as a correction.
        return read_as(parse, "ask_history")
    if intent in _KEPT - {"start_enquiry", "correct_enquiry"} and _says_goodbye(context or text):
        # "Fair enough. Thanks, that's really helpful — bye!" read as `cancel`: goodbye.
        return read_as(parse, "goodbye")
    if intent in _KEPT:
        return parse
    return read_as(parse, _cued_intent(intent, text, parse, context))


def _without_places(parse: dict[str, Any]) -> dict[str, Any]:
    parse = copy.deepcopy(parse)
    parse["entities"] = [e for e in parse.get("entities") or [] if e.get("entity") != "place"]
    return parse


def _says_goodbye(text: str) -> bool:
    """True when a whole message is done and asks nothing."""
    return is_done(text) and not looks_like_question(text)


def _unsure_enquiry(parse: dict[str, Any], text: str, context: str) -> bool:
    """True when the model is unsure of `start_enquiry` and no word asks to join or enquire."""
    confidence = float((parse.get("intent") or {}).get("confidence") or 0)
    whole = f"{context} {text}"
    return confidence < _SURE_ENOUGH_TO_START and not (
        wants_to_enquire(whole) or mentions_membership(whole)
    )


def _unsure_and_vague(intent: str, text: str, parse: dict[str, Any]) -> bool:
    """True when the model gave a vague reading it is unsure of to a message that asks for
    no list of offices and names an office only to ask one of its details."""
    confidence = float((parse.get("intent") or {}).get("confidence") or 0)
    if intent not in _VAGUE or confidence >= _UNSURE or asks_for_list(text):
        return False
    return not mentions_an_office(text) or bool(attributes_asked(text))


def _asks_whom_near(text: str, parse: dict[str, Any], context: str) -> bool:
    """True when a message asks whom to talk to, names a place (in the question or its
    preamble) and does not ask to send an enquiry."""
    if not asks_whom_to_contact(text) or wants_to_enquire(text):
        return False
    return names_a_place(text, parse) or bool(context and names_a_place(context, {}))


def _bare_name(name: str | None) -> str:
    """An office's name without "ICLEI"/「イクレイ」 before it, casefolded ("world secretariat")."""
    return re.sub(r"^(?:ICLEI|イクレイ)\s*", "", name or "").casefold()


@functools.cache
def _first_secretariats() -> tuple[str, ...]:
    """The names of the offices the page says were set up in 1991, and their cities."""
    knowledge = get_knowledge()
    facts = " ".join(
        knowledge.fact_values(lang)[key]
        for lang in ("en", "ja")
        for key in ("first_world_secretariat", "first_european_secretariat")
    ).casefold()
    names: list[str] = []
    for office in knowledge.offices:
        # Cities ("the Toronto secretariat") and offices the facts name: not today's Canada
        # Office in Toronto, which the page gives no date for.
        for name in (office.city.en, office.city.ja, office.name.en, office.name.ja):
            bare = _bare_name(name)
            if bare and bare in facts:
                names.append(bare)
    return tuple(names)


@functools.cache
def _first_secretariat_ids() -> frozenset[str]:
    """The offices the page says were set up in 1991, found by their names in the facts."""
    names = set(_first_secretariats())
    return frozenset(
        office.id
        for office in get_knowledge().offices
        for name in (office.name.en, office.name.ja)
        if _bare_name(name) in names
    )


_OFFICE_READINGS = frozenset({"ask_office_contact", "ask_followup", "list_offices"})
# Readings that name no topic of ICLEI's: a cue may say which one is asked.
_NOT_A_TOPIC = frozenset(
    {"correct_enquiry", "cancel", "nlu_fallback", "out_of_scope", "ask_other_iclei_topic",
     "ask_followup", "bot_challenge", "help"}
)  # fmt: skip
# ICLEI's early years: its history from the founding (not "the first programmes", asked
# in their own words).
_EARLY_YEARS = re.compile(
    r"\b(?:first|early|earliest|initial|founding) (?:years?|days|decades?|period)\b|"
    r"\bbeginnings\b|初期|設立当初|創設期|創設当初|黎明期|最初の(?:頃|ころ|数年|年)|立ち上げ(?:の頃|当初|期)",
    re.IGNORECASE,
)
_CAME_FROM = re.compile(
    r"\b(?:came|come|grew|grown|sprang|emerged) (?:out of|from)\b|\bwas born\b|\boriginat|"
    r"\bfounded (?:at|in|by|during|after)\b|\bset up (?:at|in|by|after)\b|"
    r"(?:で|から)(?:生まれ|誕生|設立され|できた)",
    re.IGNORECASE,
)
_AT_THE_START = re.compile(
    r"how many .{0,40}(?:at the start|in the beginning|at (?:the )?(?:founding|beginning)|in 1990|"
    r"originally|to begin with)|(?:設立時|設立当時|当初|最初)(?:は|に|の)?.{0,15}"
    r"(?:何(?:カ国|か国|ヶ国|人|都市|団体|自治体)|いくつ)",
    re.IGNORECASE,
)
_FOUNDING_MEETING = re.compile(
    r"\bfounding (?:meeting|congress|conference|assembly)|\bfirst (?:meeting|congress)\b|"
    r"\b(?:conference|congress|meeting|event) (?:where|at which|that) (?:it|iclei) (?:all )?"
    r"(?:started|began|was founded|was born)|"
    r"設立(?:時|当時)?の(?:会議|大会|総会)|設立(?:総会|会議)|創設(?:時)?の会議",
    re.IGNORECASE,
)


_NOW_RIGHT = re.compile(
    r"\b(?:now|today|these days|currently|still)\b|\bright\s*\?|"
    r"今は|現在|今も|まだ|ですよね|だよね",
    re.IGNORECASE,
)


def _checks_the_head_office_city(text: str) -> bool:
    """True for a short check that ICLEI is in the head office's city ("it's in bonn now
    right?", 「今はボンですよね？」), naming no other office or place."""
    if not (looks_like_question(text) and _NOW_RIGHT.search(text)):
        return False
    hq = get_knowledge().office(HEADQUARTERS_ID)
    named = [m for m in find_places(get_knowledge(), text) if not m.is_ambiguous]
    return (
        bool(named) and all(m.offices[0].id == hq.id for m in named) and not attributes_asked(text)
    )


# "its head office is in Brussels, correct?", 「本部はジュネーブですよね？」: where the head
# office is, whatever city the visitor supposes.
_HEAD_OFFICE_IS_IN = re.compile(
    r"\b(?:head ?office|headquarters|hq|head secretariat)\b.{0,12}\b(?:is|was|'s) "
    r"(?:in|based in|located in|at)\b|"
    r"(?:本部|本社)(?:は|って).{0,12}(?:ですよね|ですか|だよね|なの|でしょうか|にある)",
    re.IGNORECASE,
)


def _names_where_it_started(text: str) -> bool:
    """True when a message names a city or office the page says ICLEI started in (1991),
    other than today's World Secretariat ("Toronto", 「フライブルク」)."""
    hq = get_knowledge().office(HEADQUARTERS_ID)
    today = {_bare_name(hq.name.en), _bare_name(hq.name.ja)}
    folded = text.casefold()
    return any(name in folded for name in _first_secretariats() if name not in today)


def _first_secretariat_named(text: str) -> bool:
    """True when a message asks where the head office is and names the city it started in."""
    if not asks_where_the_head_office_is(text):
        return False
    folded = text.casefold()
    return any(name in folded for name in _first_secretariats())


_FIRST_OFFICES = re.compile(
    r"\b(?:first|earliest|original|very first) (?:(?:world|european|global|head) )?"
    r"(?:secretariats?|offices?)\b|"
    r"(?:最初|初めて|当初)の(?:世界|ヨーロッパ|欧州)?(?:事務所|事務局)",
    re.IGNORECASE,
)


def _when_opened(text: str) -> str | None:
    """ "When was the Toronto secretariat set up?": the founding story, which gives 1991 for
    the first two secretariats; for any other office the page gives no date (its card)."""
    if _FIRST_OFFICES.search(text):
        # "Which year did the first secretariats open, and in which cities?": 1991, Toronto
        # and Freiburg, in the founding story.
        return "ask_founding"
    if not (asks_when_opened(text) and names_an_office(text)):
        return None
    folded = text.casefold()
    if any(name in folded for name in _first_secretariats()):
        return "ask_founding"
    named = [m for m in find_places(get_knowledge(), text) if not m.is_ambiguous]
    if named and named[0].offices[0].id in _first_secretariat_ids():
        return "ask_founding"  # "when was the european office opened?": 1991, in the story
    return "ask_office_contact"


_IN_TOTAL = re.compile(
    r"\bin total\b|\baltogether\b|\boverall\b|\bworldwide\b|around the world|in the world|"
    r"全部で|合計|全体で|世界で|総数|全世界",
    re.IGNORECASE,
)


def _cued_intent(intent: str, text: str, parse: dict[str, Any], context: str) -> str | None:
    opened = _when_opened(text)
    if opened is not None:
        return opened
    if intent in _OFFICE_READINGS | _GENERAL and _HEAD_OFFICE_IS_IN.search(text):
        # "And its head office is in Brussels, correct?": where the head office is (Bonn, not
        # Brussels), not the Brussels Office's card.
        return "ask_headquarters"
    year = year_asked(text) if intent in _GENERAL else None
    if year is not None:
        return year  # 「1990年に何があったんですか？」 read as the name's story: the founding
    if intent == "ask_size" and attributes_asked(text) and not names_a_place(text, {}):
        # "I need to fax something to your head office. number?" read as a count: the fax.
        return "ask_headquarters" if names_the_head_office(text) else "ask_followup"
    if (
        intent in _OFFICE_READINGS
        and facet_asked(text) == "how_many"
        and _IN_TOTAL.search(text)
        and not (find_places(get_knowledge(), text) or gazetteer.find_in_text(text))
    ):
        # "I'm from Yokohama city hall. How many regional offices does ICLEI have in total?":
        # ICLEI's size, not the office for the preamble's city.
        return "ask_size"
    if intent in _GENERAL and intent != "ask_mission" and asks_about_later_plans(text):
        # 「イクレイの2030年に向けた計画は？」 read as the name: the strategy the page quotes.
        return "ask_mission"
    if intent in _GENERAL - {"ask_name", "nlu_fallback"} and asks_about_the_old_name(text):
        # 「昔は名前ちがったって聞いたけどほんと？」 read as what ICLEI is: the name's story.
        return "ask_name"
    if (
        intent in _GENERAL - {"ask_founding"}
        and _CAME_FROM.search(text)
        and not names_an_office(text)
    ):
        # "my editor says iclei came out of the Rio Earth Summit in 92 — correct?": its founding.
        return "ask_founding"
    if intent in _GENERAL | _OFFICE_READINGS and _AT_THE_START.search(text):
        # "how many were involved at the start?": the founding's 200 local governments.
        return "ask_founding"
    if intent in _GENERAL and _FOUNDING_MEETING.search(text):
        # 「設立時の会議の正式名称と、参加した国・自治体の数」: the founding story holds both.
        return "ask_founding"
    if intent in _OFFICE_READINGS | _GENERAL - {"ask_history"} and asks_when_it_moved(text):
        return "ask_headquarters"  # "ok so when did it move to Bonn?"
    if intent in _OFFICE_READINGS | {"nlu_fallback", "out_of_scope"} and _first_secretariat_named(
        text
    ):
        # "is the HQ still in Toronto?" read as Toronto's office: where the head office is
        # now, and where the page says it started.
        return "ask_headquarters"
    if intent != "ask_membership" and asks_who_can_join(text):
        # "can a consultant submit it?" read as why cities matter: who may join.
        return "ask_membership"
    if asks_about_staff_languages(text):
        # "do they have staff who speak Malay?": not on the page (Malay is no office place).
        return "ask_other_iclei_topic"
    if (
        intent not in ("ask_office_contact", "ask_followup")
        and _refers_to_the_office(text)
        and attributes_asked(text)
        and not names_a_place(text, parse)
    ):
        # 「その事務所の電話番号も教えていただけますか」 read as the list: that office's detail.
        return "ask_followup"
    if is_travel_or_everyday(text):
        # "Is there parking at the Bonn office?": the page does not say; the office can.
        if names_an_office(text) and names_a_place(text, parse):
            return "ask_office_contact"
        if names_an_office(text) or (asks_the_way_there(text) and not names_a_place(text, parse)):
            # 「事務所の受付時間は？」, 「最寄り駅はどこですか？」: the office just discussed (out
            # of scope without one).
            return "ask_followup"
        return "out_of_scope"
    if intent in _GENERAL and is_short(text) and _checks_the_head_office_city(text):
        # "it's in bonn now right?": where the head office is (yes, Bonn), not out of scope.
        return "ask_headquarters"
    if intent == "out_of_scope" and names_an_office(text) and asks_what_the_page_lacks(text):
        # 「事務所の受付時間は？」: the office named, or the one just discussed.
        return "ask_office_contact" if names_a_place(text, parse) else "ask_followup"
    if intent in _GENERAL and intent != "ask_other_iclei_topic" and asks_about_services(text):
        # "do u do school visits or have free teaching resources??" read as why cities matter.
        return "ask_other_iclei_topic"
    if intent in _GENERAL and intent != "ask_other_iclei_topic" and asks_for_a_figures_source(text):
        # 「その70%って何年のデータ？出典は？」 read as the name's story: the page gives none.
        return "ask_other_iclei_topic"
    if intent in _GENERAL and intent != "ask_why_cities" and asks_about_city_figures(text):
        # "how much greenhouse gas do cities produce?" read as a gap: the page's 70%.
        return "ask_why_cities"
    if intent in _GENERAL and intent != "ask_other_iclei_topic" and asks_about_other_networks(text):
        # "Is ICLEI the same thing as C40?" read as out of scope: the page does not say.
        return "ask_other_iclei_topic"
    if intent in _GENERAL and intent != "ask_other_iclei_topic" and asks_about_un_standing(text):
        # "is ICLEI part of the UN or independent?" read as what ICLEI is: not on the page.
        return "ask_other_iclei_topic"
    if intent in _GENERAL and intent != "nlu_fallback" and asks_about_coming_events(text):
        # 「今年の世界会議はいつどこで？」 read as the founding congress: no events listed.
        return "ask_other_iclei_topic"
    if intent in _GENERAL and intent not in _MEMBERSHIP_ANSWERS and asks_about_fees(text):
        # 「加盟するときの年会費ってどれくらい？」 read as a count: the page gives no fees.
        return "ask_other_iclei_topic"
    if intent == "nlu_fallback" and asks_about_fees(text) and not wants_to_enquire(text):
        # "Hm, you didn't answer about the fee though?": the page gives no fees.
        return "ask_other_iclei_topic"
    if (
        intent in _GENERAL
        and intent != "ask_membership"
        and (
            asks_how_membership_works(text)
            or (context and asks_how_to_join(text) and asks_how_membership_works(context))
        )
    ):
        # "We are interested in becoming a member of ICLEI. Could you explain the process?"
        return "ask_membership"
    if (
        intent in _OFFICE_READINGS
        and asks_how_membership_works(text)
        and not mentions_an_office(text)
        and not asks_whom_to_contact(text)
    ):
        # 「チリの小さな町です。イクレイに加盟するにはどうすればいいですか」 read as Chile's
        # office: how to join (the membership answer names the office for the place too).
        return "ask_membership"
    if (intent in _GENERAL or intent == "ask_headquarters") and names_a_person(text):
        # "do u know Gino Van Begin": the page names nobody.
        return "ask_other_iclei_topic"
    if intent in _GENERAL and intent != "nlu_fallback" and asks_for_someone_to_reach(text):
        # "Is there anyone at ICLEI we could ring?": the number, not what ICLEI is.
        return "ask_followup"
    if asks_member_status(text):
        # "Is Valencia already a member?": the page lists no members, whatever place it names.
        return "ask_other_iclei_topic"
    if (
        intent == "ask_size"
        and facet_asked(text) == "how_many"
        and not mentions_an_office(text)
        and names_a_place(text, parse)
    ):
        # 「日本国内で加盟している自治体はいくつ？」: the page gives no count per country.
        return "ask_other_iclei_topic"
    if (
        intent in _GENERAL
        and _WHAT_ABOUT.search(text)
        and (find_places(get_knowledge(), text) or gazetteer.find_in_text(text))
        and not asks_what_the_page_lacks(text)
    ):
        # "what about canada, we have a project near the border in Quebec too": that place's
        # office, however long the message.
        return "ask_office_contact"
    if intent in _GENERAL and is_short(text) and _AND_ANOTHER.search(text):
        if names_a_place(text, parse):
            # "And the Dominican Republic one?" read as a topic the page lacks: the same
            # question about another place.
            return "ask_followup"
    office_question = "list_offices" if asks_for_list(text) else "ask_office_contact"
    if intent == "nlu_fallback" and wants_to_enquire(text):
        # 「クライアントの水俣市の代わりに問い合わせ出したい」: the form, whatever place it names.
        return "start_enquiry"
    if intent in ("ask_founding", "ask_history", "ask_headquarters") and _names_where_it_started(
        text
    ):
        # "Was the World Secretariat originally in Toronto?": where it started (the founding
        # story, or the head office and where it began), not today's Canada Office.
        return None
    placed = intent in _GENERAL or intent == "ask_headquarters"
    if placed and intent != "ask_headquarters" and _asks_whom_near(text, parse, context):
        # 「ブラジルの自治体なんですが、どこに相談すればいいですか」: whom to contact about the
        # place named, here in the preamble, whatever the question alone read as.
        return "ask_office_contact"
    if placed and mentions_an_office(text):
        if names_a_place(text, parse):
            return office_question
        if context and asks_whom_to_contact(text) and names_a_place(context, {}):
            return "ask_office_contact"
    if intent in _GENERAL and intent != "nlu_fallback" and asks_who_leads(text):
        return "ask_other_iclei_topic"
    if intent != "nlu_fallback" and not _unsure_and_vague(intent, text, parse):
        return None
    if names_a_place(text, parse):
        return office_question
    if attributes_asked(text):
        return "ask_followup"
    if wants_to_enquire(text):
        return "start_enquiry"
    if asks_what_the_page_lacks(text):
        return "ask_other_iclei_topic"
    if is_short(text) and facet_asked(text):
        # "when was it renamed?": the follow-up action answers the facet of the fact named.
        return "ask_followup"
    return fact_named(text)
