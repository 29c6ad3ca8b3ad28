"""Chat spellings read in the usual spelling (bot/dialogue/spelling.py)."""

from __future__ import annotations

import pytest

from bot.dialogue.spelling import usual_spelling


@pytest.mark.parametrize(
    ("text", "usual"),
    [
        ("いくれいのほんぶってどこ😅", "イクレイの本部ってどこ😅"),
        ("にほんじむしょのでんわは？", "日本事務所の電話は？"),
        ("にほんごでおねがい", "日本語でおねがい"),
        ("yo whats iclei lol", "whats iclei"),
        ("what is ICLEI haha", "what is ICLEI"),
        ("do u have an office in Lima pls", "do you have an office in Lima please"),
    ],
)
def test_chat_spellings(text, usual):
    assert usual_spelling(text) == usual


@pytest.mark.parametrize(
    "text", ["Is there an office in the U.S.?", "Yolanda here", "haha", "イクレイの本部はどこ？"]
)
def test_what_is_already_usual_is_left_alone(text):
    assert usual_spelling(text) == text
