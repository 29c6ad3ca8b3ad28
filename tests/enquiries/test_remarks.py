"""An answer in the enquiry form followed by a question about it, or about ICLEI."""

from __future__ import annotations

import pytest

from bot.enquiries.remarks import answer_and_question, asks_about_the_answer


@pytest.mark.parametrize(
    ("text", "answer", "question"),
    [
        ("Head of the climate team, why?", "Head of the climate team", "why?"),
        (
            "Sustainability coordinator. Do you need my full title?",
            "Sustainability coordinator",
            "Do you need my full title?",
        ),
        ("Energy officer - is that what you mean?", "Energy officer", "is that what you mean?"),
        ("Mayor. How much does membership cost?", "Mayor", "How much does membership cost?"),
        ("係長ですが、なぜ役職が必要なんですか？", "係長", "なぜ役職が必要なんですか?"),
        ("環境政策課の課長です。役職は必要ですか？", "環境政策課の課長です", "役職は必要ですか?"),
    ],
)
def test_an_answer_then_a_question_is_cut_in_two(text, answer, question):
    assert answer_and_question(text) == (answer, question)


@pytest.mark.parametrize(
    "text",
    [
        "Head of the climate team",  # only an answer
        "Why do you need my role?",  # only a question
        "なぜ役職が必要なんですか？",
        "What is ICLEI, is that a city network?",  # a question first
        "Where is the office, Bonn?",
        "",
    ],
)
def test_a_message_that_is_not_an_answer_and_a_question_is_not_cut(text):
    assert answer_and_question(text) is None


@pytest.mark.parametrize(
    "question",
    [
        "why?",
        "Why do you ask?",
        "Do you need my full title?",
        "does that matter for membership?",
        "is that what you mean?",
        "ok?",
        "Should I give the official title?",
        "なぜ役職が必要なんですか?",
        "これって必要ですか？",
        "正式な肩書きを書いた方がいいですか？",
        "これでいいですか？",
    ],
)
def test_questions_about_the_answer_are_recognised(question):
    assert asks_about_the_answer(question)


@pytest.mark.parametrize(
    "question",
    [
        "How much does membership cost?",
        "Is the European office in Bonn?",
        "When was ICLEI founded?",
        "ちなみにイクレイの本部はどこですか？",
        "日本事務所の電話番号を教えてください。",
        "Is it possible for a small town to join and how long does the process usually take?",
    ],
)
def test_questions_about_iclei_are_not_about_the_answer(question):
    assert not asks_about_the_answer(question)
