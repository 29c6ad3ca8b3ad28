"""Chat spellings read the way the model was trained: 「いくれいのほんぶってどこ😅」 is
「イクレイの本部ってどこ😅」, "yo whats iclei lol" is "whats iclei".

Visitors in a chat write words in hiragana that the page and the training data write in
kanji or katakana, and wrap English questions in chat noise. Both are cheaper to read as
the usual spelling than to teach the model every variant. Only whole known words are
replaced; answers inside the enquiry form are never touched (bot/dialogue/turns.py).
"""

from __future__ import annotations

import re

# Hiragana spellings of the words the assistant's questions turn on -> the usual spelling.
_KANA_WORDS = {
    "いくれい": "イクレイ",
    "ほんぶ": "本部",
    "じむしょ": "事務所",
    "じむきょく": "事務局",
    "でんわばんごう": "電話番号",
    "でんわ": "電話",
    "じゅうしょ": "住所",
    "せつりつ": "設立",
    "かいいん": "会員",
    "かめい": "加盟",
    "しょくいん": "職員",
    "もくてき": "目的",
    "れきし": "歴史",
    "にほんご": "日本語",
    "えいご": "英語",
    "にほん": "日本",
    "にっぽん": "日本",
}
_KANA = re.compile("|".join(sorted(_KANA_WORDS, key=len, reverse=True)))
# Chat noise around an English question: a leading "yo", a trailing "lol" or "haha".
_LEADING_NOISE = re.compile(r"^(?:yo+|ayy+|oi)\b[\s,!.]*(?=\S)", re.IGNORECASE)
_TRAILING_NOISE = re.compile(
    r"(?<=\S)[\s,]+(?:lol|lmao|lmfao|rofl|haha+|hehe+|xd|jk)[\s!?.]*$", re.IGNORECASE
)
# Shorthand for words the model knows.
_SHORTHAND = {"u": "you", "ur": "your", "pls": "please", "plz": "please", "thx": "thanks"}
# Not the "U" of "U.S." or "U.K.".
_SHORT = re.compile(r"(?<![\w.'])(" + "|".join(_SHORTHAND) + r")(?![\w.'])", re.IGNORECASE)


def usual_spelling(text: str) -> str:
    """`text` with known hiragana words, chat noise and shorthand in their usual form."""
    text = _KANA.sub(lambda match: _KANA_WORDS[match.group(0)], text)
    text = _TRAILING_NOISE.sub("", _LEADING_NOISE.sub("", text.strip()))
    return _SHORT.sub(lambda match: _SHORTHAND[match.group(1).lower()], text)
