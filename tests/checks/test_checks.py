"""Dialogue checks: the file format, the judgement, the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.checks.judge import problems
from bot.checks.run import below, run_files, table
from bot.checks.spec import CheckFileError, Expect, load


def write(tmp_path: Path, text: str, name: str = "compound.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_a_file_with_category_language_and_turns(tmp_path):
    check = load(
        write(
            tmp_path,
            """
category: compound
language: en
conversations:
  - name: two in one
    turns:
      - say: Where is the head office and how many staff?
        expect: {contains: [Bonn, 260], not_contains: another way, language: en}
""",
        )
    )
    assert (check.category, check.language) == ("compound", "en")
    turn = check.conversations[0].turns[0]
    assert turn.expect.contains == ("Bonn", "260")
    assert turn.expect.not_contains == ("another way",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("conversations: nope", "conversations"),
        ("conversations:\n  - turns: []", "turns"),
        ("conversations:\n  - turns:\n      - expect: {}", "say"),
        ("conversations:\n  - turns:\n      - say: hi\n        expect: {contain: [x]}", "contain"),
        ("language: fr\nconversations: []", "language"),
        ("conversations: [\n", "YAML"),
    ],
)
def test_a_broken_file_names_the_problem(tmp_path, text, message):
    with pytest.raises(CheckFileError, match=message):
        load(write(tmp_path, text))


def test_judgement_ignores_case_and_width():
    assert (
        problems(Expect(contains=("bonn", "260")), "ICLEI has about ２６０ staff in BONN", False)
        == []
    )


def test_judgement_reports_each_problem():
    found = problems(
        Expect(
            contains=("Bonn",),
            contains_any=("a", "b"),
            not_contains=("sorry",),
            order=("x", "y"),
            language="ja",
            buttons=True,
        ),
        "Sorry, y then x",
        False,
    )
    assert len(found) == 6


def test_language_is_read_from_kana():
    assert problems(Expect(language="ja"), "イクレイは1990年に設立されました。", False) == []
    assert problems(Expect(language="en"), "イクレイ", False)


def test_run_and_table_with_a_fake_assistant(tmp_path):
    check = load(
        write(
            tmp_path,
            """
language: en
conversations:
  - turns:
      - say: hello
        expect: {contains: [hi]}
  - turns:
      - say: bye
        expect: {contains: [hi]}
""",
        )
    )

    def send(sender: str, text: str) -> list[dict]:
        return [{"text": "hi there" if text == "hello" else "goodbye"}]

    results = run_files([check], send)
    assert results[0].passed == 1 and len(results[0].failures) == 1
    assert "1/2 (50%)" in table(results)
    assert below(results, 0.9) == ["compound/en: 1/2"]
    assert below(results, 0.5) == []
