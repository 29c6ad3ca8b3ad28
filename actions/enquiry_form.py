"""The membership enquiry form: validation of each answer, the summary, corrections."""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import (
    language_of,
    latest_intent,
    latest_text,
    recent_user_texts,
    send,
)
from actions.offices import answer_named_place, office_replies
from bot.answers import interruptions
from bot.answers import offices as office_answers
from bot.answers.enquiry import (
    FIELD_SLOTS,
    OPTIONAL_FIELDS,
    consent_question,
    corrected,
    data_use,
    field_buttons,
    prefilled,
    summary,
)
from bot.answers.interruptions import looks_like_question
from bot.dialogue.asked import (
    asks_about_personal_data,
    asks_to_send,
    asks_who_can_join,
    asks_whom_to_contact,
    attributes_asked,
    consent_answer,
    language_requested,
    mentions_an_office,
    resumes_an_enquiry,
    says_before_sending,
)
from bot.dialogue.clauses import split_clauses
from bot.dialogue.planner import is_set_phrase
from bot.enquiries import corrections, prefill, remarks, validation
from bot.knowledge import Knowledge, Office, find_places, get_knowledge

MAX_FAILURES = 3
# How many of the visitor's latest messages may already name their organisation and country
# ("We're the City of Lyon in France" -> "how do we join?" -> "yes" -> consent; or a
# question about the office and one about joining between them).
PREFILL_MESSAGES = 6
# Answers that mean "skip this optional question".
SKIP_WORDS = {"skip", "no", "none", "nothing", "n/a", "-", "なし", "無し", "ない", "特になし",
              "スキップ", "いいえ", "結構です"}  # fmt: skip

# The error codes of bot.enquiries.validation -> the response that re-asks.
ERROR_RESPONSES = {
    validation.ERROR_EMPTY: "utter_enquiry_invalid_empty",
    validation.ERROR_TOO_LONG: "utter_enquiry_invalid_too_long",
    validation.ERROR_INVALID_EMAIL: "utter_enquiry_invalid_email",
    validation.ERROR_UNKNOWN_COUNTRY: "utter_enquiry_invalid_country",
    validation.ERROR_NOT_A_COUNTRY: "utter_enquiry_invalid_country",
    validation.ERROR_INVALID_POPULATION: "utter_enquiry_invalid_population",
    validation.ERROR_POPULATION_OUT_OF_RANGE: "utter_enquiry_invalid_population",
}

# Words that start a message without answering anything.
_FILLER = re.compile(
    r"(?i)(?:hi|hello|hey|ok|okay|sure|yes|yeah|no|thanks|thank you|um+|uh+|well|so|also|btw|"
    r"by the way|sorry|はい|いいえ|えっと|あの|ところで|ちなみに|すみません)?$"
)
# Optional questions declined in a few words: "no that's all", "nothing else, thanks".
_DECLINED = re.compile(
    r"(?i)^(?:no|nope|nothing|none|not really|no thanks?|no thank you|that'?s all|that is all|"
    r"skip(?: (?:that|this|it|this one|that one))?(?: too| as well| please)?|pass|"
    r"no (?:message|comment|role|thanks)|nothing to add|"
    # "send it" / 「送信してください」 at an optional question: nothing more, send.
    r"(?:please )?send(?: it)?(?: now| please)?|"
    r"送信(?:して(?:ください|下さい)|します|でお願いします)|"
    r"このまま送信(?:して(?:ください|下さい))?|"
    r"all good|nothing else|nothing more|特に(?:ありません|ないです|なし|ない)|大丈夫です|"
    r"以上です)[\s,.!、。]*(?:that'?s all|thanks?|thank you|nothing else|for now|以上です)?"
    r"[\s,.!、。]*$"
)

# An acknowledgement of the bot's last reply, not an answer ("ok thanks", 「承知しました」).
_ACKNOWLEDGED = re.compile(
    r"(?i)(?:ok(?:ay)?|got it|i see|thanks?|thank you|thx|cool|great|understood|noted|"
    r"承知しました|承知いたしました|わかりました|分かりました|了解(?:です|しました)?|なるほど)"
    r"[\s,.!。！、😊🙂👍]*(?:thanks?|thank you|ありがとうございます)?[\s,.!。！、😊🙂👍]*"
)
# Words no name has: "hmm actually how much does it cost first" is a question.
_NOT_IN_A_NAME = re.compile(
    r"(?i)\b(?:how much|how many|what|where|when|why|how|cost|fees?|price|website)\b|"
    r"いくら|どこ|いつ|なぜ|何"
)

# A question about the answer just given ("is that relevant?", 「これって必要ですか？」).
_REMARK = re.compile(
    r"(?i)\b(?:is|does|will|would|was) (?:that|this|it)\b|\bthat (?:ok|okay|fine|enough)\b|"
    r"(?:これ|それ|こちら)(?:って|は|で|でも)"
)

# Answers to the consent question (and the way out) that the form's slot mappings read.
_CONSENT_INTENTS = ("affirm", "deny", "cancel")

# Fields whose validator recognises a real answer (so "Kenya" is a country, not a question).
STRICT_FIELDS = ("country", "email", "population")
# Fields whose answer is a place.
PLACE_FIELDS = ("organisation", "country")

Validator = Callable[[Any], validation.Checked]
VALIDATORS: dict[str, Validator] = {
    "organisation": validation.validate_organisation,
    "country": validation.validate_country,
    "name": validation.validate_name,
    "email": validation.validate_email,
    "role": validation.validate_role,
    "population": validation.validate_population,
    "message": validation.validate_message,
}


# Fields whose text is always the visitor's answer, never a question to the bot: a message
# to ICLEI or a role ("気候変動プログラムに関心があります") often reads like a topic the bot knows.
ANSWER_ONLY_FIELDS = ("role", "message")


def is_skip(value: Any, tracker: Tracker, *, by_intent: bool = True) -> bool:
    """Whether the user declined to answer (a "Skip" button, "no", 「なし」 ...).

    The "no" intent counts only for a button or a reply of a word or two: the model may read
    "Norway" or a name like "Nono Smith" as "no".
    """
    text = (tracker.latest_message or {}).get("text") or ""
    short = text.startswith("/") or len(text.split()) <= 2 and len(text) <= 12
    if by_intent and short and latest_intent(tracker) == "deny" and not _looks_like_a_name(text):
        return True
    return isinstance(value, str) and value.strip().strip("。.!！").lower() in SKIP_WORDS


# Hesitation between an answer's parts and a trailing 「で」 (「スキップで, あ」 -> スキップ).
_FILLER_PARTS = re.compile(
    r"(?:^|[,、\s]+)(?:あ|あっ|えっと|えーと|うーん|um+|uh+|oh)(?=$|[,、\s])"
)
_TRAILING_DE = re.compile(r"(?:で|でお願いします|でお願いいたします)\s*$")


def without_filler(value: str) -> str:
    """An answer without hesitation words and a trailing 「で」."""
    return _TRAILING_DE.sub("", _FILLER_PARTS.sub("", value).strip(" ,、"))


def declines(value: Any) -> bool:
    """Whether an optional question is declined in a few words ("no that's all")."""
    return isinstance(value, str) and bool(_DECLINED.match(value.strip()))


def _looks_like_a_name(text: str) -> bool:
    """A capitalised word that is not a plain no ("Norway", "Nono"), or a payload."""
    word = text.strip().strip("。.!！")
    return word[:1].isupper() and word.casefold() not in {"no", "nope", "none", "nothing"}


def _same_text(text: str) -> str:
    """A message's text for comparing two answers: width, case and spacing folded."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.split()).strip("。.!！ ")


def repeats_previous_answer(tracker: Tracker, slot: str) -> bool:
    """Whether the latest message repeats the one the user gave just before to the same question.

    The tracker's events end with the latest user message; the one before it counts only if
    the form was asking for `slot` when it was sent.
    """
    texts: list[str] = []
    for event in reversed(tracker.events or []):
        kind = event.get("event")
        if kind == "user":
            if len(texts) == 2:
                return False  # no question asked between the two earlier messages
            texts.append(event.get("text") or "")
        elif kind == "slot" and event.get("name") == "requested_slot" and len(texts) == 2:
            return event.get("value") == slot and _same_text(texts[0]) == _same_text(texts[1])
    return False


class ValidateEnquiryForm(FormValidationAction):
    """Cleans and checks every answer of `enquiry_form`; re-asks clearly when one is wrong."""

    def name(self) -> str:
        """The form's validation action: validate_<form name>."""
        return "validate_enquiry_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Without consent nothing else is asked; while correcting, ask which field first."""
        if tracker.get_slot("enquiry_consent") is False:
            return ["enquiry_consent"]
        # "Which field?" is asked only while correcting.
        if tracker.get_slot("enquiry_fixing"):
            return list(domain_slots)
        return [slot for slot in domain_slots if slot != "enquiry_fix_field"]

    def _check(
        self, field: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """`_check_answer`, and the conversation's language changed when the answer asks for
        it ("Emily Carter. Can we continue in English please?"): inside the form the language
        does not follow the script (a romanised name), only a request."""
        slots = self._check_answer(field, value, dispatcher, tracker)
        wanted = language_requested(latest_text(tracker))
        if wanted is not None:
            slots = {**slots, "language": wanted, "preferred_language": wanted}
        return slots

    def _check_answer(
        self, field: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """Take the answer, answer a clear question instead, or re-ask; never the same loop.

        What the visitor types is their answer. It is taken for a question (answered, then
        the field asked again) only when the field is not an answer-only one (role, message),
        it is not a valid country, email or population, the NLU is confident it is an FAQ and
        the text reads as a question, and it is not the text the visitor just gave to this
        same question: given twice, it is the answer. The same invalid answer twice offers to
        cancel at once (and the optional fields' questions offer to skip).
        """
        slot = FIELD_SLOTS[field]
        if field == "role" and (kept := self._role_with_question(dispatcher, tracker)):
            return kept
        # A message to ICLEI may itself ask about data; a role or a name does not.
        if field != "message" and asks_about_personal_data(latest_text(tracker)):
            # "Why do you need my email?": how the answers are handled, then the question again.
            send(dispatcher, data_use(language_of(tracker)))
            return {slot: None}
        if consent_answer(latest_text(tracker)) is not None or _ACKNOWLEDGED.fullmatch(
            latest_text(tracker).strip()
        ):
            # 「同意します」 once more, 「承知しました」 after an answer: the question again.
            return {slot: None}
        changed = self._corrects_earlier(field, dispatcher, tracker)
        if changed and field in OPTIONAL_FIELDS:
            # 「人口は…の間違いでした。メッセージは特にありません。」 at the message question.
            own = [c for c in corrections.changes(latest_text(tracker), {}) if c.field == field]
            if own and own[0].value == "":
                return {**changed, slot: "", "enquiry_failures": 0}
        if changed:
            # "We're mainly interested in climate action. Also, please change the email to …":
            # the rest of the message still answers the question asked.
            # "…my email is actually m@x.gov. Role is town manager" at the role, 「r-nakamura@…
            # ※団体名は…：北九州市環境局…」 at the email: the answer its label gives first.
            rest = corrections.labelled_answers(latest_text(tracker)).get(field, "")
            rest = rest or corrections.unchanged_part(latest_text(tracker))
            kept = VALIDATORS[field](rest) if rest and not looks_like_question(rest) else None
            if kept is not None and kept.ok:
                return {**changed, slot: str(kept.value), "enquiry_failures": 0}
            return {**changed, slot: None}
        repeated = repeats_previous_answer(tracker, slot)
        answered = self._answer_then_question(field, value, dispatcher, tracker)
        if answered is not None:
            return answered
        if field in OPTIONAL_FIELDS and (is_skip(value, tracker) or declines(value)):
            return {slot: "", "enquiry_failures": 0}
        # Given twice, a text the NLU took for "no" is the visitor's answer after all.
        # A required answer is never skipped by the "no" intent, only by an empty text.
        declined = is_skip(value, tracker, by_intent=field in OPTIONAL_FIELDS and not repeated)
        declined = declined or (isinstance(value, str) and value.startswith("/"))  # a button
        given: dict[str, Any] = {}
        if isinstance(value, str) and field != "message" and not declined:
            # "Senior regional planner, population is roughly 350,000": both answers.
            value, others = corrections.answer_and_labelled(value, field)
            if field == "organisation":
                value = _listed_details(value, others)
            for other, text in others.items():
                if text == "" and other in OPTIONAL_FIELDS:
                    given[FIELD_SLOTS[other]] = ""  # "…, no message."
                    continue
                other_checked = VALIDATORS[other](text)
                if other_checked.ok:
                    given[FIELD_SLOTS[other]] = str(other_checked.value)
            if given and not value.strip():
                # 「国は日本で、名前は高橋です」 asked for the email: those answers taken (and
                # said), then the question asked again, no "this field is required".
                send(dispatcher, [corrected(get_knowledge(), given, language_of(tracker))])
                return {**given, slot: None}
            if given and field in OPTIONAL_FIELDS and is_skip(without_filler(value), tracker):
                # 「スキップで。あ、人口は3千人くらいです」: skipped, the population kept.
                return {slot: "", "enquiry_failures": 0, **given}
        checked = (
            validation.Checked(error=validation.ERROR_EMPTY)
            if declined
            else VALIDATORS[field](value)
        )
        if self._asks_instead(field, checked, repeated, tracker):
            intent = _question_intent(tracker, latest_text(tracker), min_confidence=0.0)
            self._answer(dispatcher, tracker, intent or "help")  # then the question again
            return {slot: None}
        if checked.ok and field == "name" and _is_the_organisation(str(checked.value), tracker):
            # 「下川町です」 typed where the contact's name is asked: the organisation again.
            dispatcher.utter_message(response="utter_enquiry_name_is_organisation")
            return {slot: None}
        if checked.ok:
            return {
                slot: str(checked.value),
                "enquiry_failures": 0,
                **_email_alongside(field, tracker),
                **_country_alongside(field, tracker),
                **given,
            }
        failures = int(tracker.get_slot("enquiry_failures") or 0) + 1
        dispatcher.utter_message(response=ERROR_RESPONSES.get(checked.error, "utter_default"))
        if failures >= MAX_FAILURES or repeated:
            dispatcher.utter_message(response="utter_enquiry_offer_cancel")
            failures = 0
        return {slot: None, "enquiry_failures": failures}

    @staticmethod
    def _corrects_earlier(
        field: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """ "Sorry, it's actually the Provincial Municipality of Arequipa", asked for the
        email: the earlier answer changed (and said so); the form asks its question again.
        Empty when the message corrects no earlier answer."""
        text = latest_text(tracker)
        if not corrections.asks_to_change(text):
            return {}
        # The field asked holds this very message as its candidate answer: not an earlier one.
        answers = {k: v for k, v in _answers(tracker).items() if k != field}
        found = [c for c in corrections.changes(text, answers) if c.field in answers]
        found = [c for c in found if c.value is not None]
        slots = {k: v for k, v in _applied(found).items() if v is not None}
        if slots:
            knowledge, lang = get_knowledge(), language_of(tracker)
            send(dispatcher, [corrected(knowledge, slots, lang)])
        return slots

    def _answer_then_question(
        self, field: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any] | None:
        """ "We're in Peru. By the way, which office handles Peru?": the answer is taken and
        the question answered too. None when the message is not an answer and a question."""
        if field in ANSWER_ONLY_FIELDS or not isinstance(value, str):
            return None
        text = latest_text(tracker)
        # 「山田花子です。フルネームでいいですか？」: the question is a remark on the answer,
        # unless it asks about an office ("My name's Siobhan. Does the European office …?").
        remark = field == "name" and validation.name_in_sentence(text) is not None
        clauses = split_clauses(text)
        first = next((i for i, c in enumerate(clauses) if looks_like_question(c)), None)
        if not first:  # no question, or the message starts with one
            return None
        intent = _question_intent(tracker, " ".join(clauses[first:]))
        if intent is None or (remark and intent not in interruptions.OFFICE_QUESTIONS):
            return None
        answer = " ".join(clauses[:first])
        if _FILLER.match(answer.strip(" 。．.!！、,")):  # "Hi. What is this for?" gives no name
            return None
        checked = VALIDATORS[field](answer)
        if not checked.ok:
            return None
        self._answer(dispatcher, tracker, intent)
        return {FIELD_SLOTS[field]: str(checked.value), "enquiry_failures": 0}

    def _role_with_question(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any] | None:
        """ "Head of the climate team, why?": the role is kept and the question answered, a
        word on why the role is asked when it asks about the answer. None when the message
        is not a role and then a question."""
        text = latest_text(tracker)
        split = remarks.answer_and_question(text)
        if split is None or corrections.asks_to_change(text):
            return None
        answer, question = split
        checked = validation.validate_role(answer)
        if not checked.ok or _FILLER.match(answer) or is_skip(answer, tracker, by_intent=False):
            return None
        if is_set_phrase(answer) or answer.endswith((":", "：")):
            return None  # "sorry quick question first: which office …?" gives no role
        if asks_about_personal_data(question):
            send(dispatcher, data_use(language_of(tracker)))
        elif remarks.asks_about_the_answer(question):
            dispatcher.utter_message(response="utter_enquiry_role_noted")
        else:
            intent = _question_intent(tracker, question)
            if intent is None:
                return None
            self._answer(dispatcher, tracker, intent)
        return {FIELD_SLOTS["role"]: str(checked.value), "enquiry_failures": 0}

    @staticmethod
    def _answer(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> None:
        """Answer a question asked in the middle of the form, as outside it."""
        knowledge, lang = get_knowledge(), language_of(tracker)
        if intent in interruptions.OFFICE_QUESTIONS:
            tracker = _asking_tracker(tracker)
            # "Which office would handle an enquiry from Peru?": the office for the place
            # named, or the question which place.
            if answer_named_place(dispatcher, knowledge, tracker, lang) is None:
                office = _office_of_country(knowledge, tracker.get_slot("enquiry_country"))
                if office is not None:  # "which office will handle it?": the enquiry's own
                    send(dispatcher, office_replies(knowledge, office, latest_text(tracker), lang))
                else:
                    send(dispatcher, office_answers.ask_for_place(knowledge, lang))
        else:
            send(dispatcher, interruptions.answer(knowledge, intent, lang))

    @staticmethod
    def _asks_instead(
        field: str, checked: validation.Checked, repeated: bool, tracker: Tracker
    ) -> bool:
        """Whether the message is a question to answer instead of the field's answer."""
        text = latest_text(tracker)
        # "Mayor's advisor on energy - is that relevant?": an answer with a remark on it.
        asks = text.rstrip(" 　").endswith(("?", "？")) and not _REMARK.search(text)
        # A role never ends with a question mark ("By the way, how much does it cost?").
        if repeated or (field in ANSWER_ONLY_FIELDS and not (field == "role" and asks)):
            return False
        # 「山田花子です。フルネームでいいですか？」: a name in a sentence, then a remark on it.
        if field == "name" and validation.name_in_sentence(text):
            return False
        # A valid country, email or population is an answer whatever the NLU thought.
        if field in STRICT_FIELDS and checked.ok:
            return False
        # "Which office would handle our enquiry?" (read as `start_enquiry`): the office.
        # "Sorry, quick question first: which office …?": the clause after the set phrase.
        clauses = [c for c in split_clauses(text) if not is_set_phrase(c)]
        if clauses and looks_like_question(clauses[0]):
            if asks_whom_to_contact(text) or (attributes_asked(text) and field != "email"):
                return True  # "is there a website for it?": a detail of an office
        if asks and asks_who_can_join(text):
            return True  # "can consultants even submit this?"
        intent = (tracker.latest_message or {}).get("intent") or {}
        # The organisation and the country are places: a place in the answer makes the model
        # hear an office question (「横浜市です。日本の自治体とも連携していますか？」).
        if intent.get("name") in interruptions.OFFICE_QUESTIONS and field in PLACE_FIELDS:
            return False
        # An answer that cannot be a country, email or population and reads as a question
        # (「その前に、イクレイの使命って何？」) is the question, even when the model is less sure;
        # so is a "name" that ends with a question mark.
        unsure_is_enough = (field in STRICT_FIELDS and not checked.ok) or (
            field in ("name", "role") and asks
        )
        if field == "name" and _NOT_IN_A_NAME.search(text):
            unsure_is_enough, text = True, text + "?"  # read as the question it is
        return interruptions.is_interruption(
            intent.get("name"),
            float(intent.get("confidence") or 0),
            text,
            min_confidence=interruptions.CONFIDENCE_INSTEAD_OF_INVALID
            if unsure_is_enough
            else interruptions.CONFIDENCE,
        )

    async def extract_enquiry_consent(self, dispatcher, tracker, domain):  # type: ignore[no-untyped-def]
        """ "What happens to my data?" before agreeing: how the answers are handled; the
        consent question is asked again (the empty answer keeps the form from rejecting)."""
        if tracker.get_slot("requested_slot") != "enquiry_consent":
            return {}
        text = latest_text(tracker)
        if asks_about_personal_data(text):
            send(dispatcher, data_use(language_of(tracker)))
            return {"enquiry_consent": None}
        if (
            text
            and latest_intent(tracker) not in _CONSENT_INTENTS
            and not looks_like_question(text)
        ):
            # Details given before agreeing ("We're Galway City Council, I'm Siobhan"): the
            # question again; on consent the form keeps them (bot/enquiries/prefill.py).
            dispatcher.utter_message(response="utter_enquiry_consent_first")
            return {"enquiry_consent": None}
        return {}

    async def validate_enquiry_consent(self, value, dispatcher, tracker, domain):  # type: ignore[no-untyped-def]
        """On consent, the details the visitor already gave (by their labels, or the
        organisation, country, name and email in sentences) are kept
        ("We're the City of Lyon in France …"), so the form does not ask them again."""
        if value is not True:
            return {"enquiry_consent": value}
        knowledge = get_knowledge()
        texts = recent_user_texts(tracker, PREFILL_MESSAGES)
        found = prefill.from_messages(knowledge, texts)
        # Labelled details ("Organisation: …, role: …") first, then what the sentences say.
        given: dict[str, Any] = {}
        for text in texts:
            for field, value in corrections.labelled_answers(text).items():
                given.setdefault(field, value)
        for field, value in vars(found).items():
            if value and field not in given:
                given[field] = value
        slots: dict[str, Any] = {"enquiry_consent": True}
        for field, value in given.items():
            slot = FIELD_SLOTS[field]
            checked = VALIDATORS[field](value)  # a prefilled country is its ISO code: valid
            if checked.ok and not tracker.get_slot(slot):
                slots[slot] = str(checked.value)
        if len(slots) > 1:
            lang = language_of(tracker)
            send(dispatcher, [prefilled(knowledge, slots, lang)])
        return slots

    async def validate_enquiry_organisation(self, value, dispatcher, tracker, domain):  # type: ignore[no-untyped-def]
        """Non-empty, markup stripped, at most 200 characters."""
        return self._check("organisation", value, dispatcher, tracker)

    async def validate_enquiry_country(self, value, dispatcher, tracker, domain):  # type: ignore[no-untyped-def]
        """A country in either language, stored as its ISO 3166 code."""
        return self._check("country", value, dispatcher, tracker)

    async def validate_enquiry_name(self, value, dispatcher, tracker, domain):  # type: ignore[no-untyped-def]
        """Non-empty, markup stripped, at most 100 characters."""
        return self._check("name", value, dispatcher, tracker)

    async def validate_enquiry_email(self, value, dispatcher, tracker, domain):  # type: ignore[no-untyped-def]
        """A syntactically valid address, normalised."""
        return self._check("email", value, dispatcher, tracker)

    async def validate_enquiry_role(self, value, dispatcher, tracker, domain):  # type: ignore[no-untyped-def]
        """Optional: skipped, or a short text."""
        return self._check("role", value, dispatcher, tracker)

    async def validate_enquiry_population(self, value, dispatcher, tracker, domain):  # type: ignore[no-untyped-def]
        """Optional: skipped, or a number ("1,200,000", "120万", "1.2 million")."""
        return self._check("population", value, dispatcher, tracker)

    async def validate_enquiry_message(self, value, dispatcher, tracker, domain):  # type: ignore[no-untyped-def]
        """Optional: skipped, or up to 2,000 characters, markup stripped."""
        return self._check("message", value, dispatcher, tracker)

    async def validate_enquiry_confirmed(self, value, dispatcher, tracker, domain):  # type: ignore[no-untyped-def]
        """Yes: done. No: ask the named field again, or ask which one. A question is no yes:
        「送信する前に一つ。このデータは高雄の事務所以外にも共有されますか？」 is answered and
        the summary shown again; nothing is sent."""
        text = latest_text(tracker)
        if value is True and not asks_to_send(text):
            if asks_about_personal_data(text):
                send(dispatcher, data_use(language_of(tracker)))
                return {"enquiry_confirmed": None}
            question = _question_intent(tracker, text) if looks_like_question(text) else None
            if question is not None or says_before_sending(text):
                if question is not None:
                    self._answer(dispatcher, tracker, question)
                return {"enquiry_confirmed": None}
        if value is True:
            return {"enquiry_confirmed": True, "enquiry_fixing": False}
        found = corrections.changes(text, _answers(tracker))
        named = _named_field(tracker)
        if named and not any(change.field == named for change in found):
            found.append(corrections.Change(named, corrections.new_value(text)))
        if found:
            # "Please change the organisation to City of Arequipa, and remove the message":
            # each valid new value at once (the summary is shown again); a field named
            # without one is asked again.
            slots: dict[str, Any] = {"enquiry_confirmed": None}
            slots.update(_applied(found))
            return slots
        question = _question_intent(tracker, text) if looks_like_question(text) else None
        if question is not None:
            # 「東南アジア事務局はどこにあるんですか？」 at the summary: answered, then the summary
            # again; no "which answer would you like to change?".
            self._answer(dispatcher, tracker, question)
            return {"enquiry_confirmed": None}
        return {"enquiry_confirmed": None, "enquiry_fixing": True}

    async def validate_enquiry_fix_field(self, value, dispatcher, tracker, domain):  # type: ignore[no-untyped-def]
        """The field to correct: clear it so the form asks it again. New values typed here
        ("the contact should be my colleague Dr. Lena Hofer, her email is …") are taken, and
        the summary is shown again."""
        text = latest_text(tracker)
        typed = [c for c in corrections.changes(text, _answers(tracker)) if c.value]
        typed = [c for c in typed if not text.startswith("/")]
        if typed:
            slots = _applied(typed)
            if all(slots.values()):
                knowledge, lang = get_knowledge(), language_of(tracker)
                send(dispatcher, [corrected(knowledge, slots, lang)])
                return {**slots, "enquiry_fix_field": None, "enquiry_fixing": False}
        field = value if value in FIELD_SLOTS else None
        if field is None:
            return {"enquiry_fix_field": None}
        return {"enquiry_fix_field": None, "enquiry_fixing": False, FIELD_SLOTS[field]: None}


def _is_the_organisation(name: str, tracker: Tracker) -> bool:
    """Whether a contact's name is (part of) the organisation given (下川町 in 下川町役場)."""
    organisation = tracker.get_slot(FIELD_SLOTS["organisation"])
    if not organisation or len(name) < 2:
        return False
    folded = [_same_text(text).replace(" ", "") for text in (name, str(organisation))]
    return folded[0] in folded[1] or folded[1] in folded[0]


def _email_alongside(field: str, tracker: Tracker) -> dict[str, Any]:
    """ "… me, Siobhan Murphy, and my email is s.murphy@…": the email given with the name,
    so the form does not ask for it again."""
    if field != "name" or tracker.get_slot("enquiry_email"):
        return {}
    found = prefill.addresses_in(latest_text(tracker))
    checked = validation.validate_email(found[0]) if len(found) == 1 else None
    return {"enquiry_email": str(checked.value)} if checked is not None and checked.ok else {}


def _country_alongside(field: str, tracker: Tracker) -> dict[str, Any]:
    """「台湾の台南市です」: the country named with the organisation, so the form does not ask
    for it next. Only a country named: a city's country is asked, not guessed."""
    text = latest_text(tracker)
    if (
        field != "organisation"
        or tracker.get_slot("enquiry_country")
        or "?" in text
        or "？" in text
    ):
        return {}  # 「横浜市です。日本の自治体とも連携していますか？」 asks about Japan
    code = prefill.country_in(get_knowledge(), text)
    return {"enquiry_country": code} if code else {}


# A person's name on its own: 「高橋ゆうと」「中村 亮」, "Luis Pérez".
_PERSON_ALONE = re.compile(
    r"^(?:[\u4e00-\u9fff々\u3041-\u3093\u30a1-\u30f6ー]{1,6}\s?[\u4e00-\u9fff々\u3041-\u3093"
    r"\u30a1-\u30f6ー]{1,6}|[A-ZÀ-Ý][\w'’.-]+(?:\s+[A-ZÀ-Ý][\w'’.-]+){1,3})$"
)


def _listed_details(value: str, others: dict[str, str]) -> str:
    """「小布施町、日本、高橋ゆうと、takahashi@…」 at the organisation: its first part; a
    country and a person's name listed after it go to their fields (in `others`)."""
    parts = [part.strip() for part in re.split(r"[、,]", value) if part.strip()]
    if len(parts) < 2 or "email" not in others:
        # "City of Lyon, Auvergne-Rhône-Alpes" names one organisation; a list of details
        # comes with the email address.
        return value
    kept = [parts[0]]
    for part in parts[1:]:
        if "country" not in others and VALIDATORS["country"](part).ok:
            others["country"] = part
        elif "name" not in others and _PERSON_ALONE.match(part):
            others["name"] = part
        else:
            kept.append(part)
    return ", ".join(kept)


def _question_intent(
    tracker: Tracker,
    question: str,
    min_confidence: float = interruptions.CONFIDENCE_INSTEAD_OF_INVALID,
) -> str | None:
    """The question a message asks in the form, if the form can answer it: "which office
    would handle our enquiry?" asks for an office whatever the model read."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    part = _question_part(tracker, question)
    if part is not None:
        # The question's own reading, which the answer before it does not sway.
        intent = part.get("intent") or {}
        name, confidence = intent.get("name"), float(intent.get("confidence") or 0)
        if name in interruptions.ANSWERABLE and name not in interruptions.OFFICE_QUESTIONS:
            if interruptions.is_interruption(name, confidence):
                # 「環境部長です。ちなみにイクレイの本部はどこですか？」: headquarters, not the
                # address of the enquiry's office.
                return name
    if asks_whom_to_contact(question) and looks_like_question(question):
        return "ask_office_contact"
    if asks_who_can_join(question):
        # "can consultants even submit this?": who may join, in the membership answer.
        return "ask_membership"
    if attributes_asked(question) and looks_like_question(question):
        # "is there a website for it?": the detail, from the office of the enquiry.
        return "ask_office_contact"
    name, confidence = intent.get("name"), float(intent.get("confidence") or 0)
    # A place in the answer makes the model hear an office question: 「横浜市です。日本の
    # 自治体とも連携していますか？」 asks nothing about an office.
    if name in interruptions.OFFICE_QUESTIONS and not mentions_an_office(question):
        return None
    if interruptions.is_interruption(name, confidence, min_confidence=min_confidence):
        return name
    return None


def _question_part(tracker: Tracker, question: str) -> dict[str, Any] | None:
    """The model's own reading of `question`, the part of the latest message after its
    answer (bot/dialogue/turns.py), or None."""
    part = (tracker.latest_message or {}).get(remarks.QUESTION_PART) or {}
    if part.get("text") and _same_text(part["text"]) == _same_text(question):
        return part
    return None


def _asking_tracker(tracker: Tracker) -> Tracker:
    """The tracker as if the latest message were its question alone, when that question
    names its own place: "Sean Kelly, where is the European office?" asks about Europe,
    whatever the model made of the name. The same tracker otherwise ("We're in Peru. Which
    office handles us?": the place is in the answer)."""
    latest = tracker.latest_message or {}
    part = latest.get(remarks.QUESTION_PART) or {}
    places = [e for e in part.get("entities") or [] if e.get("entity") == "place"]
    if not part.get("text") or not (places or find_places(get_knowledge(), part["text"])):
        return tracker
    asking = copy.copy(tracker)
    asking.latest_message = {**latest, "text": part["text"], "entities": part["entities"]}
    return asking


def _office_of_country(knowledge: Knowledge, code: str | None) -> Office | None:
    """The office that answers for the enquiry's country, or None."""
    try:
        return knowledge.office(knowledge.country(code or "").office_id)
    except KeyError:
        return None


def _answers(tracker: Tracker) -> dict[str, str]:
    """The answers given so far: field -> value; the country by its names in both languages
    ("ES" as "Spain スペイン"), so that "Ecuador, not Spain" finds it."""
    values = {field: tracker.get_slot(slot) for field, slot in FIELD_SLOTS.items()}
    answers = {field: str(value) for field, value in values.items() if value}
    if "country" in answers:
        try:
            name = get_knowledge().country(answers["country"]).name
            answers["country"] = f"{name.en} {name.ja}"
        except KeyError:
            pass
    return answers


def _applied(found: list[corrections.Change]) -> dict[str, Any]:
    """The slots the corrections set: each valid new value; None (ask again) for a field
    named without a valid one; "" for an optional answer removed."""
    slots: dict[str, Any] = {}
    for change in found:
        slot = FIELD_SLOTS[change.field]
        if change.value == "" and change.field in OPTIONAL_FIELDS:
            slots[slot] = ""
            continue
        checked = VALIDATORS[change.field](change.value) if change.value else None
        slots[slot] = str(checked.value) if checked is not None and checked.ok else None
    return slots


def _named_field(tracker: Tracker) -> str | None:
    """The field the user named in their latest message, if any."""
    for value in tracker.get_latest_entity_values("enquiry_field"):
        if value in FIELD_SLOTS:
            return value
    return None


class ActionAskEnquiryConsent(Action):
    """Asks for consent, with the privacy link and reply promise the deployer configured."""

    def name(self) -> str:
        """Rasa calls action_ask_<slot> to ask for the slot."""
        return "action_ask_enquiry_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the privacy notice (if ENQUIRY_PRIVACY_URL is set), then the question; when an
        enquiry called off in this conversation is taken up again, say first that its answers
        were not kept."""
        if tracker.get_slot("enquiry_outcome") == "not_kept" and resumes_an_enquiry(
            latest_text(tracker)
        ):
            dispatcher.utter_message(response="utter_enquiry_restart_not_kept")
        send(dispatcher, consent_question(language_of(tracker)))
        return []


class ActionAskEnquiryConfirmed(Action):
    """Asks to confirm, showing every answer and the office that will receive them."""

    def name(self) -> str:
        """Rasa calls action_ask_<slot> to ask for the slot."""
        return "action_ask_enquiry_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the summary with Send / Change / Cancel buttons."""
        send(
            dispatcher,
            [summary(get_knowledge(), tracker.current_slot_values(), language_of(tracker))],
        )
        return []


class ActionAskEnquiryFixField(Action):
    """Asks which answer to correct, with one button per field."""

    def name(self) -> str:
        """Rasa calls action_ask_<slot> to ask for the slot."""
        return "action_ask_enquiry_fix_field"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the question with the field buttons in the user's language."""
        dispatcher.utter_message(
            response="utter_enquiry_which_field", buttons=field_buttons(language_of(tracker))
        )
        return []
