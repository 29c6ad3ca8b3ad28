"""What a language request asks besides the change (bot/dialogue/language_switch.py)."""

from __future__ import annotations

import pytest

from bot.dialogue.language_switch import asks_again, asks_more


@pytest.mark.parametrize(
    ("text", "again", "more"),
    [
        ("Could you give me that in English, please?", True, False),
        ("住所をもう一度日本語でお願いします。", True, False),
        ("今のを英語でもう一度お願いできますか？", True, False),
        ("Back to English - is there an office in Korea too?", False, True),
        ("ミッションを日本語でもう一度教えてください", False, False),  # the fact named: turns
        ("Actually, can we continue in Japanese? 日本語の方が楽なので。", False, False),
        ("英語でお願いします", False, False),
        # "this" is the chat, not the last answer.
        ("Sorry, can I switch to English? My colleague will read this.", False, False),
    ],
)  # fmt: skip
def test_what_a_language_request_also_asks(text, again, more):
    assert (asks_again(text), asks_more(text)) == (again, more)
