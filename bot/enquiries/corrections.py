"""A correction typed at the enquiry's summary: which answer, and its new value if given.

"Please change the organisation to City of Arequipa", 「担当者の名前を山田花子に直してください」:
the form takes the new value at once (if it is valid for the field) and shows the summary
again, instead of asking the question a second time. The field comes from the NLU's
`enquiry_field` entity when it found one, else from the words below.
"""

from __future__ import annotations

import re
import unicodedata

# Checked in this order: "organisation name" and "contact name" before "name".
_FIELD_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "organisation",
        re.compile(r"organi[sz]ation|municipality|government|city name|団体|自治体|組織"),
    ),
    ("email", re.compile(r"e-?mail|mail address|メール|メアド")),
    ("population", re.compile(r"population|inhabitants|residents|人口")),
    ("role", re.compile(r"\brole\b|position|job title|役職|肩書")),
    ("message", re.compile(r"message|comment|メッセージ|コメント|備考")),
    ("country", re.compile(r"\bcountry\b|国名|国は|国を")),
    ("name", re.compile(r"\bname\b|contact person|名前|氏名|担当者")),
)

# A request to change an answer, in either language.
_CHANGE = re.compile(
    r"\b(?:change|fix|update|edit|replace|amend)\b|\bcorrect (?:the|my|it|that|this|our)\b|"
    r"\bwrong\b|\btypo\b|should (?:be|read)|"
    r"直し|直して|変更|修正|訂正|間違|違います|ちがいます"
)

# The new value: "... to X", "... should be X", "it's actually X"; 「…をXに直して」, 「正しくはX」.
_EN_VALUE = re.compile(
    r"(?:\bto|should (?:be|read)|it'?s actually|actually it'?s)\s+[\"'“‘]?(?P<value>[^\"'”’]+?)"
    r"[\"'”’]?\s*(?:,?\s*(?:please|thanks|thank you))?[.!?]*\s*$",
    re.IGNORECASE,
)
_JA_VALUE = re.compile(
    r"(?:を|は)\s*[「『\"]?(?P<value>[^「」『』\"、。]+?)[」』\"]?\s*(?:に|へ)\s*"
    r"(?:直|変更|修正|訂正|変え)"
    r"|正しくは[、\s]*[「『]?(?P<right>[^「」『』。]+?)[」』]?\s*(?:です|でした)?[。]?$"
)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def asks_to_change(text: str) -> bool:
    """True when a message asks to change an answer ("the email is wrong", 「修正したい」)."""
    return bool(_CHANGE.search(_norm(text).casefold()))


def field_named(text: str) -> str | None:
    """The enquiry field a message names, by its words, or None."""
    folded = _norm(text).casefold()
    for field, pattern in _FIELD_WORDS:
        if pattern.search(folded):
            return field
    return None


def new_value(text: str) -> str | None:
    """The new value a correction gives ("change the email to a@b.example"), or None."""
    text = _norm(text)
    match = _JA_VALUE.search(text)
    if match:
        return (match.group("value") or match.group("right")).strip()
    match = _EN_VALUE.search(text)
    return match.group("value").strip() if match else None
