"""Decide how one message is answered: as it is, as its one real question, or part by part.

The model reads each clause (bot/dialogue/clauses.py) as well as the whole message. A
message is answered part by part only when its clauses ask different things: different
intents, or the same question about different places ("the Tokyo office and the Seoul
office"). Clauses that ask nothing (a greeting, thanks, a self-introduction, a set phrase)
are not answered on their own, so they never hide the question that follows them.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from bot.dialogue.asked import (
    asks_about_personal_data,
    asks_for_a_figures_source,
    asks_how_to_go_about_it,
    asks_if_it_is_true,
    asks_member_status,
    asks_when_it_moved,
    attributes_asked,
    calls_off,
    gives_an_address,
    is_travel_or_everyday,
    language_requested,
)
from bot.dialogue.clauses import REPORTING_WORDS

# Intents that carry no question of their own when another clause asks one.
FILLER_INTENTS = frozenset({"greet", "thank", "goodbye", "affirm", "deny", "nlu_fallback", "help"})
# A clause classified out of scope counts only when it asks something: "I work for the city
# of Leeds" is an introduction, "what's the weather in Leeds?" is a question.
_QUESTION = re.compile(
    r"[?？]|^(what|where|when|who|why|how|which|is|are|can|could|do|does|tell|any)\b"
    r"|(ですか|ますか|でしょうか|教えて|ください|下さい|か。|かな|の？)",
    re.IGNORECASE,
)


# Self-introductions and self-descriptions ask nothing even when they name a place ("I'm an
# officer at Yokohama City.", 「うちは人口5万人くらいの市です」): beside a question they are
# context, not a question about Yokohama's office or about why cities matter.
_INTRODUCTION = re.compile(
    r"^(?:(?:hi|hello|hey|dear \w+|(?:good )?(?:morning|afternoon|evening))[, !]*)?"
    r"(?:i'm|i am|im|i work|we are|we're|my name|this is|"
    r"i consult|we consult|i advise|we advise|"
    r"i'm writing|i represent|i'm with|i've|i have|we have|we've|i'll|i will|we'll|we will|"
    r"(?:our|my) (?:[\w-]+ ){0,2}(?:city|town|village|council|municipality|county|district|"
    r"region|prefecture|"
    r"organi[sz]ation|team|department|office|mayor)\b)\b"
    r"|^[\w .'-]{2,60} here[.!]?$"
    r"|(?:者です|者ですが|と申します|に勤めて|を担当して|担当者です|でございます|に所属|職員です|職員ですが)"
    r"|^(?:ちなみに|実は|なお|あ)?[、\s]*(?:うち|当市|本市|弊市|当町|本町|当村|私ども|わたくしども|私たち|"
    r"わたしたち|我々|弊団体|"
    r"私の(?:市|町|村|自治体)|うちの(?:市|町|村|自治体))(?:は|も|では)",
    re.IGNORECASE,
)
# Greetings, apologies, set phrases and sign-offs on their own ("Good afternoon.", "Hi! Sorry to
# bother you.", "Dear Sir or Madam, I hope this message finds you well.", "Yours faithfully,
# J. Tremblay", 「お世話になっております。」): filler whatever the model makes of words it was
# not trained on.
_SET_PHRASE = (
    r"(?:good (?:morning|afternoon|evening|day)|hello|hi|hey|hiya|greetings|howdy)"
    r"(?: there| all| team| everyone| folks| again)?|dear (?:sir|madam|sir or madam|all|team|"
    r"iclei(?: team)?)|(?:i )?hope (?:you're|you are|all is|this (?:message |email |note )?finds "
    r"you|my (?:message|email) finds you)(?: doing)? well|"
    r"(?:so |very )?sorry (?:to (?:bother|trouble|disturb) you|for (?:the|any) (?:bother|trouble|"
    r"intrusion))|sorry|excuse me|ok(?:ay)?|um+|hmm+|"
    r"(?:a |one )?quick (?:one|question|q)(?: first| before that)?|"
    r"(?:one|a) (?:more |last )?question(?: for you)?|random question|"
    r"(?:many )?thanks(?: in advance| a lot)?|fair enough|makes sense|i see|got it|"
    r"(?:all ?)?right|cool|great|nice|good to know|"
    r"thank you(?: (?:so|very) much)?(?: in advance)?"
)
_SIGN_OFF = (
    r"(?:yours (?:faithfully|sincerely|truly)|sincerely|(?:kind|best|warm|many)(?:est)? regards|"
    r"best wishes|all the best|cheers)(?:[\s,.]+[\w .'-]{0,40})?"
)
_PLEASANTRY = re.compile(
    rf"^(?:(?:{_SET_PHRASE})[\s,.!~:;-]*)+$|^(?:{_SIGN_OFF})[\s.!]*$"
    r"|^(?:(?:こんにちは|こんばんは|おはようございます|はじめまして|初めまして|お世話になっております"
    r"|いつもお世話になっております|お疲れ様です|突然のご連絡失礼いたします|失礼いたします"
    r"|お忙しいところ(?:失礼いたします|失礼します|すみません|申し訳ありません|恐れ入ります)"
    r"|突然すみません|(?:ちょっと|一つ|ひとつ|1つ)?質問(?:です|があります|させてください)"
    r"|(?:何卒|どうぞ|どうか)?(?:よろしく|宜しく)お願い(?:いた|申し上げ|致)?(?:します|ます)"
    r"|ありがとうございます|敬具|へー+|へぇ+|なるほど|そうなんですね|そうなんだ)"
    r"[。、！!\s]*)+$",
    re.IGNORECASE,
)


def is_set_phrase(text: str) -> bool:
    """True for a greeting, apology, set phrase or sign-off that asks nothing on its own."""
    return bool(_PLEASANTRY.match(text.strip()))


# A Japanese clause that ends on "…, but" (「検討しているのですが」「探しているんですけど」) sets up
# the next one: it asks nothing of its own.
_SETUP = re.compile(
    r"(?:(?:のです|んです|んだ|ます|です|でした|ました|ている|てる|ていて|でして)"
    r"(?:が|けど|けれど|けれども)|(?:ておりまして|ていまして|しまして|まして))[、,\s]*$"
)

_WISH = re.compile(r"たい|ほしい|欲しい|お願い|もらえ|いただけ")

# The words that report a question the next clause holds ("my mayor wants to know | what you
# do", bot/dialogue/clauses.py): they ask nothing of their own.
_REPORTING = re.compile(rf"\b{REPORTING_WORDS}\W*$", re.IGNORECASE)


@dataclass(frozen=True)
class Parsed:
    """A clause (or the whole message) and what the model read in it."""

    text: str
    parse: dict[str, Any]

    @property
    def intent(self) -> str:
        """The predicted intent's name ('' when none)."""
        return (self.parse.get("intent") or {}).get("name") or ""

    @property
    def places(self) -> tuple[str, ...]:
        """The place entities' values, casefolded and in order."""
        return tuple(
            str(entity.get("value", "")).casefold()
            for entity in self.parse.get("entities") or []
            if entity.get("entity") == "place"
        )

    def asks(self) -> bool:
        """True when the clause asks or requests something."""
        if self.intent in FILLER_INTENTS or not self.intent:
            return False
        if self.intent == "correct_enquiry":
            # Messages are planned outside the enquiry form only: nothing to correct there
            # ("my prof keeps saying it" beside the question).
            return False
        if is_set_phrase(self.text) or _REPORTING.search(self.text):
            return False
        narrative = self.intent == "ask_other_iclei_topic" and len(self.text.split()) > 8
        if self.intent == "out_of_scope" or narrative or gives_an_address(self.text):
            # "Before I bring it to my director I want to understand a bit more." names a
            # director, but asks nothing of its own; 「会費と、」 before a count does ask.
            # "I'm Rafael Gomez from Rosario, email r@rosario.example": details given.
            return bool(_QUESTION.search(self.text.strip()))
        # 「加盟を検討しているのですが、」: a setup for the question that follows; not a wish
        # (「イクレイに入りたいんですけど」 asks to join).
        text = self.text.strip()
        return not (_SETUP.search(text) and not _QUESTION.search(text) and not _WISH.search(text))


@dataclass(frozen=True)
class Unit:
    """One turn to run through the dialogue: the text the actions see and the parse."""

    text: str
    parse: dict[str, Any]
    # The words that carry the question (a preamble set aside): what cues are read from.
    focus: str = ""


def plan(whole: Parsed, clauses: list[Parsed]) -> list[Unit]:
    """The turns one message becomes, in the order the visitor asked."""
    split_move = asks_when_it_moved(whole.text) and not any(
        asks_when_it_moved(clause.text) for clause in clauses
    )  # "…now its in Bonn? when did it move and why?": the move, in two clauses
    one_question = sum(bool(_QUESTION.search(clause.text)) for clause in clauses) <= 1
    if split_move or (asks_as_a_whole(whole.text) and one_question):
        # 「ちなみに入力した村の名前とかって消えてます？個人情報とかどう扱われるのか気になって」:
        # one question about the data, whatever its clauses look like alone.
        return [Unit(whole.text, whole.parse)]
    asking = [clause for clause in clauses if clause.asks()]
    questions = [clause for clause in asking if not _introduces(clause)]
    if questions:
        asking = questions
    if any(_QUESTION.search(clause.text) for clause in asking):
        # "fair.", "Quick one for a council briefing:", 「なるほど、1990年ですね。」 beside a real
        # question: remarks the model half-heard as questions, not parts to answer.
        asking = [clause for clause in asking if not _remark(clause)] or asking
    asking = [clause for clause in asking if not _half_of_the_question(clause, asking, whole)]
    groups = _group(asking)
    if len(clauses) > 1 and len(groups) > 1:
        # A language request applies to the whole message: it goes first. The enquiry form
        # asks its own questions: the other parts are answered before it starts.
        groups.sort(
            key=lambda group: (
                group[0].intent != "switch_language",
                group[0].intent in _STARTS_A_FORM,
            )
        )
        return [_unit(group) for group in groups]
    if len(groups) == 1 and len(clauses) > len(groups[0]) and groups[0][0].intent == whole.intent:
        # 「北海道の…役場です。…ハノイを担当している事務所はどこですか？」: a question naming
        # its own place is about that place, not the preamble's ("Auckland Council here.
        # Where's the closest office?" names none: the preamble's place).
        question = " ".join(clause.text for clause in groups[0])
        own = places_in(question)
        if own:
            parse = copy.deepcopy(whole.parse)
            others = [e for e in parse.get("entities") or [] if e.get("entity") != "place"]
            parse["entities"] = others + [{"entity": "place", "value": name} for name in own]
            parse["question_places"] = own
            return [Unit(whole.text, parse, question)]
    if len(groups) == 1 and len(clauses) > 1 and _points_back(groups[0], whole):
        # "We're in Kenya and thinking of joining, how does that work?": the question is
        # about the preamble, which the whole message's reading holds.
        return [Unit(whole.text, whole.parse)]
    if len(groups) == 1 and len(clauses) > 1 and groups[0][0].intent != whole.intent:
        # One real question behind a preamble: answer it, with the whole message's places.
        parse = copy.deepcopy(whole.parse)
        question = groups[0][0].parse
        parse["intent"] = copy.deepcopy(question.get("intent"))
        parse["intent_ranking"] = copy.deepcopy(question.get("intent_ranking", []))
        parse.pop("reread_from", None)
        if "reread_from" in question:
            parse["reread_from"] = copy.deepcopy(question["reread_from"])
        focus = " ".join(clause.text for clause in groups[0])
        return [Unit(whole.text, parse, focus)]
    return [Unit(whole.text, whole.parse)]


# 「姉妹都市です。」, and plain forms: 「ニュースで見た」「授業で扱う予定で…」.
_STATEMENT = re.compile(
    r"(?:です|でした|ます|ました|である|見た|聞いた|読んだ|知った|予定で|予定です|ので|のでして)"
    r"[。．.!！…]*$"
)
# An English sentence about the visitor, asking and requesting nothing: "I read something about
# a 'Seoul Plan'.", "I'm writing a report in English for my seminar."
_NARRATIVE = re.compile(
    r"^(?:(?:hi|hello|hey|ok|okay|so|well|oh|(?:good )?(?:morning|afternoon|evening))[,!.\s]+)?"
    r"(?:i|i'm|i am|i've|i was|we|we're|we've|"
    r"my|our|it's|this is|(?:a|my|our) (?:colleague|boss|manager|friend|director|editor|mayor|"
    r"teacher|professor|supervisor))\b[^?]*[.!]?$",
    re.IGNORECASE,
)
_EN_REQUEST = re.compile(
    r"\b(?:please|pls|need|want|would like|'d like|looking for|interested in|tell me|show me|"
    r"give me|send me|share|wondering|curious)\b",
    re.IGNORECASE,
)
# Interest in ICLEI as a whole said about the visitor ("Our small island council in Fiji is
# curious about ICLEI."): beside a question, what brings them, not a part to answer.
_GENERAL_INTEREST = re.compile(
    r"\b(?:curious|interested|wondering) (?:about|in) (?:iclei|you|your (?:network|"
    r"organi[sz]ation)|the network)\W*$",
    re.IGNORECASE,
)
# A Japanese phrase ending on a particle, not a sentence: 「ICLEIのデータで」「念のため」.
_FRAGMENT = re.compile(r"^[^?？。]{1,15}(?:で|から|について|として|より|ため|ので)[。.!！]?$")
_CURIOUS = re.compile(r"気にな|興味|関心|知りた|伺いた|お聞きした")
# Below this a clause without a question's words is a remark when another clause asks.
_SURE_OF_A_REMARK = 0.8


def _half_of_the_question(clause: Parsed, asking: list[Parsed], whole: Parsed) -> bool:
    """True for a clause the model could not read alone, taken for a follow-up naming no
    detail, beside a clause that asks what the whole message confidently asks: "When did
    ICLEI get going | and who started it?" is one question about the founding."""
    own = (clause.parse.get("reread_from") or {}).get("name") or clause.intent
    confidence = float((whole.parse.get("intent") or {}).get("confidence") or 0)
    return (
        clause.intent == "ask_followup"
        and own in ("nlu_fallback", "ask_followup")
        and not clause.places
        and not attributes_asked(clause.text)
        and confidence >= _SURE_OF_A_REMARK
        and any(other.intent == whole.intent for other in asking if other is not clause)
    )


def asks_as_a_whole(text: str) -> bool:
    """True for a message whose question only its whole text shows: how personal data is
    kept, where a figure comes from, whether a city is a member, how to do what it says,
    whether what it says is true."""
    return (
        asks_about_personal_data(text, named=True)
        or asks_for_a_figures_source(text)
        or asks_member_status(text)
        or asks_how_to_go_about_it(text)
        or asks_if_it_is_true(text)
    )


def _remark(clause: Parsed) -> bool:
    """True for a clause that neither asks nor requests and that the model is unsure of, or
    that introduces what follows ("Quick one for a council briefing:")."""
    text = clause.text.strip()
    if text.endswith((":", "：")):
        return True
    if _NARRATIVE.match(text) and _GENERAL_INTEREST.search(text):
        return True
    if _QUESTION.search(text) or _WISH.search(text) or _EN_REQUEST.search(text):
        return False
    if clause.intent == "switch_language" and language_requested(text):
        return False  # "I'd rather chat in Japanese." before a question: the switch first
    if _FRAGMENT.match(text):
        return True  # 「ICLEIのデータで」 beside 「都市ってCO2どれくらい出してるの？」: a qualifier
    if _NARRATIVE.match(text):
        return True  # "I read something about a 'Seoul Plan'." before "What is it exactly?"
    if clause.places and not _STATEMENT.search(text):
        return False  # "Tokyo office, and the Seoul one?": a place asked about
    if _STATEMENT.search(text) and not _CURIOUS.search(text):
        # 「姉妹都市です。」: a Japanese statement asks nothing (「…が気になります」 does).
        return True
    if clause.intent in _STARTS_A_FORM:
        return False
    confidence = (clause.parse.get("intent") or {}).get("confidence", 1.0)
    return float(confidence) < _SURE_OF_A_REMARK


def places_in(text: str) -> list[str]:
    """The places a text names, as the office table knows them or as written (a city the
    gazetteer knows), in text order."""
    from bot.knowledge import find_places, gazetteer, get_knowledge  # the table, loaded once

    known = [match.label.en for match in find_places(get_knowledge(), text)]
    world = [place.name for place in gazetteer.find_in_text(text)]
    return list(dict.fromkeys(known + world))


def _points_back(group: list[Parsed], whole: Parsed) -> bool:
    """True when the one question is a follow-up naming no detail ("how does that work?")
    and the whole message reads as a question of its own: "that" is in the message."""
    text = " ".join(clause.text for clause in group)
    # "…want to join, what's the process?": a question the model alone took for calling
    # something off, which it does not do, points back just the same.
    vague = group[0].intent == "ask_followup" or (
        group[0].intent == "cancel" and bool(_QUESTION.search(text)) and not calls_off(text)
    )
    return (
        vague
        and not attributes_asked(text)
        and whole.intent not in FILLER_INTENTS
        and whole.intent not in ("ask_followup", "out_of_scope")
    )


def _introduces(clause: Parsed) -> bool:
    """True for a self-introduction that is not also a question."""
    text = clause.text.strip()
    return bool(_INTRODUCTION.search(text)) and not _QUESTION.search(text)


def _group(asking: list[Parsed]) -> list[list[Parsed]]:
    """Join neighbouring clauses that ask the same thing ("Tokyo office: address? phone?")."""
    groups: list[list[Parsed]] = []
    for clause in asking:
        if groups and _same_question(groups[-1], clause):
            groups[-1].append(clause)
        else:
            groups.append([clause])
    return groups


_HOURS = re.compile(
    r"何時|開いて|開館|営業|受付時間|休み|\bopen\b|\bhours\b|\bclosed\b|weekends?|saturdays?|sundays?",
    re.IGNORECASE,
)
_OFFICE_INTENTS = frozenset({"ask_office_contact", "list_offices", "ask_headquarters"})
_STARTS_A_FORM = frozenset({"start_enquiry"})


def _same_question(group: list[Parsed], clause: Parsed) -> bool:
    if group[0].intent in _OFFICE_INTENTS and not clause.places and not places_in(clause.text):
        # "...the Japan office, and where is it?", "...what number should I dial?": a detail
        # of the office just named, whatever the model made of the fragment.
        if clause.intent in ("ask_followup", *_OFFICE_INTENTS) or attributes_asked(clause.text):
            return True
        if _HOURS.search(clause.text) or is_travel_or_everyday(clause.text):
            return True  # 「東京の事務所の電話番号も…あと何時から開いてますか？」
    if any(member.intent != clause.intent for member in group):
        return False
    places = {place for member in group for place in member.places}
    return not places or not clause.places or set(clause.places) <= places


def _unit(group: list[Parsed]) -> Unit:
    """A group's turn: its clauses' text together, the parse of the clause naming a place."""
    lead = next((member for member in group if member.places), group[0])
    text = " ".join(member.text for member in group)
    parse = copy.deepcopy(lead.parse)
    parse["text"] = text
    return Unit(text, parse)
