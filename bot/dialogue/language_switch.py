"""What a request to change language asks besides the change: "Could you give me that in
English, please?" asks for the last answer again; 「ミッションを日本語で教えて」 asks a question
of its own; "can we continue in Japanese? 日本語の方が楽なので" asks nothing more."""

from __future__ import annotations

import re

from bot.answers.interruptions import looks_like_question
from bot.dialogue.asked import (
    attributes_asked,
    fact_named,
    language_requested,
    mentions_an_office,
    names_iclei,
)
from bot.dialogue.clauses import split_clauses
from bot.nlu.scripts import is_japanese_char, is_kana

# "that", "it again", 「もう一度」, 「さっきの」: the answer just given.
_BACK = re.compile(
    r"\b(?:that|it|this|again|repeat|same)\b|もう一度|もう1度|それ|今の|さっきの|先ほどの|同じ",
    re.IGNORECASE,
)


_LANGUAGE_WORD = re.compile(r"english|japanese|英語|日本語|えいご|にほんご", re.IGNORECASE)
_AGAIN = re.compile(r"\bagain\b|\brepeat|もう一度|もう1度|もう一回", re.IGNORECASE)


_COURTESY = re.compile(
    r"\W*(?:please|pls|thanks|thank you|お願いします|お願いいたします|ください)?\W*", re.IGNORECASE
)


def asks_again(text: str) -> bool:
    """True when a language request asks for the last answer again ("that", 「住所をもう一度」)
    and names no question of its own (no fact, ICLEI or office)."""
    if not _BACK.search(text) or fact_named(text) or names_iclei(text):
        return False
    if mentions_an_office(text):
        return False
    clauses = split_clauses(text) or [text]
    if any(_asks_own_question(clause) for clause in clauses):
        return False
    # The "that" of the request's own sentence ("give me that in English", 「それを英語で」,
    # 「もう一度」): "My colleague will read this." beside the request points back at nothing.
    return any(
        _BACK.search(sentence) and (_LANGUAGE_WORD.search(sentence) or _AGAIN.search(sentence))
        for sentence in re.split(r"(?<=[.!?。！？])\s*", text)
    )


def asks_more(text: str) -> bool:
    """True when a language request also asks something: a clause of its own that is a
    question, or ICLEI, an office or a detail named ("tell me about ICLEI in English")."""
    if asks_again(text):
        return False
    if names_iclei(text) or mentions_an_office(text) or attributes_asked(text):
        return True
    return any(_asks_own_question(clause) for clause in split_clauses(text))


def _asks_own_question(clause: str) -> bool:
    """A question that is neither the language request nor "give me that" (nor "please?")."""
    if _COURTESY.fullmatch(clause) or not looks_like_question(clause):
        return False
    if language_requested(clause):
        return False
    return not (_BACK.search(clause) and fact_named(clause) is None)


# A sentence, not a name: 「ありがとうございました」 has kana enough; "What about the Manila
# office?" has words enough and no Japanese. "Tokyo", 「東京」 or "OK" are neither.
_MIN_KANA = 4
_MIN_WORDS = 4
_WORD = re.compile(r"[A-Za-z]{2,}")


def written_in(text: str) -> str | None:
    """The language a message is plainly written in as a sentence ("ja" or "en"), or None."""
    if sum(is_kana(char) for char in text) >= _MIN_KANA:
        return "ja"
    if not any(is_japanese_char(char) for char in text) and len(_WORD.findall(text)) >= _MIN_WORDS:
        return "en"
    return None
