"""Writing-system classification shared by the Japanese tokenizer and the language detector.

Each character of a message is one of three kinds:

- ``JAPANESE``: kana (including half-width ｶﾀｶﾅ and the prolonged sound mark ー), CJK
  ideographs and the iteration/abbreviation marks 々 〆 ヶ 〇. Runs of these go to the
  morphological analyser.
- ``WORD``: any other letter, digit or combining mark (Latin, full-width Latin, Hangul,
  Cyrillic, ...). Runs of these are words on their own.
- ``OTHER``: whitespace, punctuation (、。「」・ and ASCII), symbols and emoji. They separate
  tokens and are never tokens themselves.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

JAPANESE = "japanese"
WORD = "word"
OTHER = "other"

# (first, last) code points, inclusive.
_KANA_RANGES = (
    (0x3041, 0x309F),  # hiragana, incl. combining (han)dakuten and ゝゞゟ
    (0x30A1, 0x30FA),  # katakana, incl. ヶ; ・ (U+30FB) is punctuation
    (0x30FC, 0x30FF),  # ー ヽ ヾ ヿ
    (0x31F0, 0x31FF),  # katakana phonetic extensions (ㇰ ...)
    (0xFF66, 0xFF9F),  # half-width katakana, ｰ and ﾞﾟ; ･ (U+FF65) is punctuation
    (0x1B000, 0x1B16F),  # kana supplement / extended (hentaigana, small kana)
)
_IDEOGRAPH_RANGES = (
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3134F),  # CJK extensions B-G
)
# Compatibility characters Sudachi expands: ㈱ (株), ㊤, ㋐, ㌔ (キロ), ㍻ (平成).
_JAPANESE_COMPATIBILITY_RANGES = (
    (0x3220, 0x3247),  # parenthesised ideographs
    (0x3280, 0x32B0),  # circled ideographs
    (0x32D0, 0x32FE),  # circled katakana
    (0x3300, 0x3357),  # squared katakana words
    (0x337B, 0x337F),  # squared era names
)
# 々 〆 〇 〻: written inside Japanese words (佐々木, 〆切, 〇〇市).
_JAPANESE_MARKS = frozenset("\u3005\u3006\u3007\u303b")

# Latin letters, including full-width Ａ-Ｚ ａ-ｚ: the scripts English is written in.
_LATIN_RANGES = (
    (0x0041, 0x005A),
    (0x0061, 0x007A),
    (0x00C0, 0x024F),  # Latin-1 letters, Latin Extended-A/B
    (0x1E00, 0x1EFF),  # Latin Extended Additional
    (0xFF21, 0xFF3A),
    (0xFF41, 0xFF5A),
)


def _in_ranges(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(first <= code <= last for first, last in ranges)


def is_kana(char: str) -> bool:
    """Whether `char` is hiragana or katakana (full- or half-width), incl. ー."""
    return _in_ranges(ord(char), _KANA_RANGES)


def is_cjk_ideograph(char: str) -> bool:
    """Whether `char` is a CJK ideograph (kanji) or a mark written inside kanji words."""
    code = ord(char)
    return (
        char in _JAPANESE_MARKS
        or _in_ranges(code, _IDEOGRAPH_RANGES)
        or _in_ranges(code, _JAPANESE_COMPATIBILITY_RANGES)
    )


def is_japanese_char(char: str) -> bool:
    """Whether `char` belongs to Japanese writing: kana, kanji or 々〆〇."""
    return is_kana(char) or is_cjk_ideograph(char)


def is_latin_letter(char: str) -> bool:
    """Whether `char` is a Latin letter (ASCII, accented or full-width)."""
    return _in_ranges(ord(char), _LATIN_RANGES) and char.isalpha()


def char_kind(char: str) -> str:
    """Classifies one character as JAPANESE, WORD or OTHER (see the module docstring)."""
    if is_japanese_char(char):
        return JAPANESE
    category = unicodedata.category(char)
    if category[0] in "LN":
        return WORD
    return OTHER


class Run(NamedTuple):
    """A maximal span of characters of one kind: text[start:end]."""

    kind: str
    start: int
    end: int


def iter_runs(text: str) -> Iterator[Run]:
    """Splits `text` into maximal runs of JAPANESE, WORD and OTHER characters.

    A combining mark (accent, variation selector, keycap) belongs to the run of the
    character it modifies, so "é" written as e + U+0301 stays one word and the U+FE0F of
    an emoji stays with the emoji.
    """
    kind = None
    start = 0
    for index, char in enumerate(text):
        if unicodedata.category(char)[0] == "M" and kind is not None:
            continue
        current = char_kind(char)
        if current != kind:
            if kind is not None:
                yield Run(kind, start, index)
            kind, start = current, index
    if kind is not None:
        yield Run(kind, start, len(text))
