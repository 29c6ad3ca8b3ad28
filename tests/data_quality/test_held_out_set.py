"""The held-out NLU test sets stay held out, and cover every intent in both languages."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def examples(folder: Path) -> dict[str, set[str]]:
    """intent -> normalised example texts (annotations removed) of every file below `folder`."""
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.yml"):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" not in item:
                continue
            for line in item["examples"].splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text:
                    found.setdefault(item["intent"], set()).add(normalise(text))
    return found


def normalise(text: str) -> str:
    text = ANNOTATION.sub(r"\1", text)
    return re.sub(r"[\s\W_]+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()


def domain_intents() -> set[str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return set(domain["intents"]) - {"nlu_fallback"}


def test_no_test_example_is_in_the_training_data():
    training = set().union(*examples(ROOT / "data" / "nlu").values())
    for language in ("en", "ja"):
        copied = set().union(*examples(ROOT / "tests" / "nlu" / language).values()) & training
        # Single words ("hi", "はい") are bound to occur in both; longer ones must not.
        copied = {text for text in copied if len(text) > 12}
        assert not copied, f"{language} test examples copied into training data: {sorted(copied)}"


@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_intent_has_ten_test_examples(language):
    counts = {
        intent: len(texts) for intent, texts in examples(ROOT / "tests" / "nlu" / language).items()
    }
    short = {
        intent: counts.get(intent, 0) for intent in domain_intents() if counts.get(intent, 0) < 10
    }
    assert not short, f"{language}: intents with fewer than 10 test examples: {short}"


def conversation_messages(language: str) -> set[str]:
    """Normalised visitor messages of the conversation sets (tests/conversations/)."""
    found: set[str] = set()
    for path in (ROOT / "tests" / "conversations" / language).glob("*.yml"):
        for conversation in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
            found.update(normalise(turn["say"]) for turn in conversation["turns"])
    return found


@pytest.mark.parametrize("language", ["en", "ja"])
def test_no_conversation_message_is_in_the_training_data(language):
    training = set().union(*examples(ROOT / "data" / "nlu").values())
    copied = {text for text in conversation_messages(language) & training if len(text) > 12}
    assert not copied, f"{language} conversation messages copied into training: {sorted(copied)}"


@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_conversation_category_has_ten_conversations(language):
    for path in (ROOT / "tests" / "conversations" / language).glob("*.yml"):
        conversations = yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]
        assert len(conversations) >= 10, f"{path}: {len(conversations)} conversations"
