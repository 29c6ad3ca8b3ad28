"""An answer in the enquiry form followed by a question: "Head of the climate team, why?",
"Sustainability coordinator. Do you need my full title?",
「係長ですが、なぜ役職が必要なんですか？」.

The answer is the visitor's, whatever the model makes of the whole message ("why?" beside
"climate" reads as why cities matter). The form keeps the answer and replies to the
question: a word on why it asks when the question is about the answer itself, the bot's
answer when it is a question about ICLEI (actions/enquiry_form.py).
"""

from __future__ import annotations

import re
import unicodedata

from bot.answers.interruptions import looks_like_question
from bot.dialogue.clauses import split_clauses

# The key of an answer's parse data that holds the model's reading of the question after it
# (bot/dialogue/turns.py): {"text": …, "intent": …, "entities": …}.
QUESTION_PART = "question_part"

# Questions about the answer just given or the question the form asked: why it is asked,
# whether it is needed, whether the answer as given is enough. Only short questions: a long
# one after an answer asks about something else ("Mayor. How much does it cost to join?").
_ABOUT_THE_ANSWER = re.compile(
    r"^(?:and|but|so|oh|ah|hmm|um|btw|also|just curious)?[\s,.]*(?:"
    r"why\b|how come\b|what for\b|what(?:'s| is| are) (?:it|that|this|they|these) for\b|"
    r"what (?:do|does|will|would) (?:you|icle?i|it|they|the office)(?: \w+)? "
    r"(?:need|use|want|do with)\b|"
    r"(?:do|does|did|will|would) (?:you|icle?i|they|the office|it|that|this)(?: \w+)? "
    r"(?:need|want|require|use|matter|count|help)\b|"
    r"(?:is|does|will|would|was|should|must) (?:that|this|it|my \w+)\b|"
    r"(?:are|is) (?:titles?|roles?|positions?|job titles?)\b|"
    r"(?:that|this|it)(?:'s| is)? (?:ok|okay|fine|enough|alright|all right|good|relevant)\b|"
    r"(?:ok|okay|fine|enough|good enough|alright|right|correct)\s*\?|"
    r"(?:do|should|must|can|may) i (?:give|put|write|include|use|add|spell|need|leave|skip)\b|"
    r"how (?:detailed|exact|precise|formal|specific|long)\b"
    r")",
    re.IGNORECASE,
)
_JA_ABOUT_THE_ANSWER = re.compile(
    r"なぜ|なんで|どうして|何のため|なんのため|何に使|必要(?:です|でしょう|なん|な|あり)|要ります|"
    r"いります|(?:で|でも)(?:いい|よい|良い|よろしい|大丈夫|構いません|かまいません|問題|十分|足り)|"
    r"(?:これ|それ|こちら)(?:って|は|で|でも)|関係(?:あり|ある)"
)
# A question that names the field asked about is about the answer whatever its length.
_NAMES_THE_FIELD = re.compile(
    r"\b(?:(?:full|official|exact|job) )?(?:title|role|position)s?\b|役職|肩書|正式(?:名称|な|の)|"
    r"フルネーム",
    re.IGNORECASE,
)
_SHORT_WORDS, _SHORT_CHARS = 8, 25

# "Energy officer - is that what you mean?": a question after a dash or a comma, in one
# sentence that the clause splitter keeps whole.
_TRAILING_QUESTION = re.compile(
    r"^(?P<answer>.+?)\s*(?:\s[-–—]+\s*|[,;:、]\s*)(?P<question>[^,;:、]+[?？])$"
)
# The joint between an answer and the question: 「係長ですが、」, "…, but".
_JOINT = re.compile(r"(?:(?:です|でございます)?(?:が|けど|けれど|けれども))$|\s+(?:but|and|so)$")


def answer_and_question(text: str) -> tuple[str, str] | None:
    """(the answer, the question) when a message gives an answer and then asks; None for a
    message that is only an answer or only a question."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    clauses = split_clauses(text)
    first = next((i for i, c in enumerate(clauses) if looks_like_question(c)), None)
    if first:  # not None and not 0: something comes before the question
        answer, question = " ".join(clauses[:first]), " ".join(clauses[first:])
    else:
        match = _TRAILING_QUESTION.match(text) if len(clauses) == 1 else None
        if match is None or not asks_about_the_answer(match.group("question")):
            return None
        answer, question = match.group("answer"), match.group("question")
    answer = _JOINT.sub("", answer.strip(" 　、,。.!！")).strip(" 　、,。.!！-–—")
    if not answer or looks_like_question(answer):
        return None
    return answer, question.strip()


def asks_about_the_answer(question: str) -> bool:
    """Whether a question asks about the answer just given, or why it is asked ("why?",
    "do you need my full title?", 「役職は必要ですか？」), not about ICLEI."""
    question = unicodedata.normalize("NFKC", question or "").strip()
    if _NAMES_THE_FIELD.search(question):
        return True
    if len(question.split()) > _SHORT_WORDS or len(question) > _SHORT_CHARS * 3:
        return False
    if _ABOUT_THE_ANSWER.search(question):
        return True
    return len(question) <= _SHORT_CHARS and bool(_JA_ABOUT_THE_ANSWER.search(question))
