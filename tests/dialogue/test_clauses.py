"""Clause candidates: where a message may ask more than one thing."""

from __future__ import annotations

import pytest

from bot.dialogue.clauses import split_clauses


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        (
            "Where is the head office and how many staff does ICLEI have?",
            ["Where is the head office", "how many staff does ICLEI have?"],
        ),
        (
            "設立はいつですか？それと、ヨーロッパ事務局の住所も教えてください",
            ["設立はいつですか？", "それと、ヨーロッパ事務局の住所も教えてください"],
        ),
        ("Quick question: when was ICLEI founded?", ["Quick question:", "when was ICLEI founded?"]),
        (
            "いつもお世話になっております。市の国際課の者ですが、職員数を確認させてください。",
            [
                "いつもお世話になっております。",
                "市の国際課の者ですが",
                "職員数を確認させてください。",
            ],
        ),
        ("設立年と職員数を教えてください", ["設立年", "職員数を教えてください"]),
        # The と of a name given joins nothing.
        (
            "環境政策課の田中と申します。設立の経緯を教えてください",
            ["環境政策課の田中と申します。", "設立の経緯を教えてください"],
        ),
        ("設立年を教えて、あと職員数も", ["設立年を教えて", "あと職員数も"]),
        ("When was ICLEI founded and where?", ["When was ICLEI founded", "where?"]),
    ],
)
def test_splits_where_a_second_question_starts(text, clauses):
    assert split_clauses(text) == clauses


@pytest.mark.parametrize(
    "text",
    [
        "What is the address and phone of the Tokyo office?",
        "and the phone?",
        "Tell me about ICLEI",
        "イクレイについて教えてください",
        "",
        # Question words alone before "and": one question about two facets.
        "When and where was ICLEI founded?",
        "how and why did ICLEI change its name",
    ],
)
def test_one_question_stays_whole(text):
    assert split_clauses(text) == [text.strip()]


def test_a_reported_question_is_cut_from_its_reporting_words():
    assert split_clauses("hey there, my mayor wants to know what you lot actually do") == [
        "hey there, my mayor wants to know",
        "what you lot actually do",
    ]
    assert split_clauses("Do you know how many people work for ICLEI?") == [
        "Do you know",
        "how many people work for ICLEI?",
    ]
    # Nothing to cut: the question word opens the message, or no question word follows.
    assert split_clauses("I know") == ["I know"]
    assert split_clauses("what do you know about Bonn?") == ["what do you know about Bonn?"]


def test_a_casual_preamble_ending_on_kedo_is_cut_from_the_question():
    from bot.dialogue.clauses import split_clauses

    text = "こんちは！大学のレポートでイクレイについて書いてるんだけど、いつできたの？"
    assert split_clauses(text)[-1] == "いつできたの？"
