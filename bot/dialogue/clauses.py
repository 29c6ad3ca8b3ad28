"""Split a message into the clauses that may each ask something.

Candidates only: the planner (bot/dialogue/planner.py) asks the model about each clause and
keeps the split only when the clauses ask different things. So the cuts here are generous:
sentence ends, colons, and the joining words visitors use between two questions ("..., and
how many...", 「それと」, 「あと、」, 「また、」).
"""

from __future__ import annotations

import re

# Sentence ends (kept with their sentence), colons after a preamble ("Quick question:"),
# line breaks.
_SENTENCE = re.compile(r"(?<=[。！？!?])\s*|(?<=[.;:：；])\s+|\n+|(?<=[：])")

# English: a comma or "and"/"also"/"plus" before a new question or request.
_QUESTION_START = (
    r"what|what's|whats|where|where's|when|who|whom|whose|why|how|which|is|are|was|were|do|does|"
    r"did|can|could|would|will|should|may|tell|give|send|list|show|please|also|any|and|"
    r"i'd|i would|i want|i'm|im|i am|i was|i wonder|the|its|their|your|in which|for|since|"
    r"who's"
)
_EN_JOIN = re.compile(
    rf"\s*(?:,\s*(?:and\s+|also\s+|plus\s+|but\s+)?|\s+(?:and|also|plus|as well as)\s+)"
    rf"(?=(?:{_QUESTION_START})\b)",
    re.IGNORECASE,
)
# Japanese: a joining word starts the next clause; a clause ending in a question, a request
# or a preamble ("...ですが、") followed by a comma ends one. Cut points, not separators.
_JA_CUT = re.compile(
    r"(?:、|,|\s)*(?=(?:それと|それから|あと、|あと|また、|ついでに|加えて|さらに|ちなみに|それに)(?!で))"
    r"|(?:ですか|ますか|ください|下さい|教えて|知りたい|たいです|ですが|ますが|けど|けれど|けれども|"
    r"のですが|のか)[、,]\s*"
)
# 「設立年と職員数を教えて」: と between two nouns (kanji or katakana) joins two things asked.
# Not the と of a name given (「田中と申します」, 「山田と言います」).
_JA_AND = re.compile(
    r"(?<=[\u4e00-\u9fff\u30a1-\u30ff])と(?:、)?(?=[\u4e00-\u9fff\u30a1-\u30ff])(?!申|言|云)"
)
# English: a question reported inside a statement ("my mayor wants to know what you do",
# "I was wondering whether..."): the question is cut from its reporting words, which ask
# nothing on their own.
# The planner (bot/dialogue/planner.py) reads a clause ending in these words as asking nothing.
REPORTING_WORDS = r"(?:know|knows|wonder|wondering|wondered|find out|curious|understand)"
_EN_EMBEDDED = re.compile(
    rf"\b{REPORTING_WORDS}\s+"
    r"(?=(?:what|where|when|who|whom|why|how|which|whether|if)\b)",
    re.IGNORECASE,
)
_MIN_CHARS = 2


def split_clauses(text: str) -> list[str]:
    """The message's candidate clauses in order (one item when there is nothing to cut)."""
    clauses: list[str] = []
    for sentence in _SENTENCE.split(text or ""):
        for part in (
            piece for joined in _split_english(sentence) for piece in _cut_embedded(joined)
        ):
            for clause in _cut_japanese(part):
                clause = clause.strip(" 　、,")
                if len(clause) >= _MIN_CHARS:
                    clauses.append(clause)
    return clauses or [text.strip()]


# "When and where was ICLEI founded?": question words alone before "and" ask one question
# about two facets, not two questions.
_QUESTION_WORDS_ONLY = re.compile(
    r"^\s*(?:(?:what|where|when|who|why|how|which)\b[\s,]*(?:and|or)?\s*)+$", re.IGNORECASE
)


def _split_english(sentence: str) -> list[str]:
    """Cut at the English joining points, except after question words alone."""
    pieces, start = [], 0
    for match in _EN_JOIN.finditer(sentence):
        if _QUESTION_WORDS_ONLY.match(sentence[start : match.start()]):
            continue
        pieces.append(sentence[start : match.start()])
        start = match.end()
    pieces.append(sentence[start:])
    return pieces


def _cut_embedded(part: str) -> list[str]:
    """Cut before a reported question ("...wants to know | what you do")."""
    match = _EN_EMBEDDED.search(part)
    if match is None or match.start() == 0:
        return [part]
    return [part[: match.end()], part[match.end() :]]


def _cut_japanese(part: str) -> list[str]:
    """Cut a clause at the Japanese joining points (the cut keeps every character)."""
    pieces, start = [], 0
    for match in _JA_CUT.finditer(part):
        cut = (
            match.end()
            if match.group(0).rstrip("、, ").endswith(tuple("かいてがど"))
            else match.start()
        )
        if cut > start:
            pieces.append(part[start:cut])
            start = cut
    pieces.append(part[start:])
    return [piece for chunk in pieces for piece in _JA_AND.split(chunk)]
