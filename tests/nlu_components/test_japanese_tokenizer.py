"""JapaneseTokenizer: tokens, exact offsets and lemmas for Japanese, English and both."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.japanese_tokenizer import MAX_CHUNK_CHARS, JapaneseTokenizer


def make_tokenizer(**overrides: Any) -> JapaneseTokenizer:
    return JapaneseTokenizer({**JapaneseTokenizer.get_default_config(), **overrides})


@pytest.fixture(scope="module")
def tokenizer() -> JapaneseTokenizer:
    return make_tokenizer()


def assert_offsets_exact(text: str, tokens: list) -> None:
    for token in tokens:
        assert 0 <= token.start < token.end <= len(text)
        assert text[token.start : token.end] == token.text


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "東京事務所の住所",
            [("東京", 0, 2), ("事務所", 2, 5), ("の", 5, 6), ("住所", 6, 8)],
        ),
        (
            "ICLEIの東京officeってどこ？",
            [
                ("ICLEI", 0, 5),
                ("の", 5, 6),
                ("東京", 6, 8),
                ("office", 8, 14),
                ("って", 14, 16),
                ("どこ", 16, 18),
            ],
        ),
        (
            "Where is the Tokyo office?",
            [("Where", 0, 5), ("is", 6, 8), ("the", 9, 12), ("Tokyo", 13, 18), ("office", 19, 25)],
        ),
        # Half-width katakana, and ･ (half-width middle dot) as punctuation.
        ("ｲｸﾚｲ･ｼﾞｬﾊﾟﾝの住所", [("ｲｸﾚｲ", 0, 4), ("ｼﾞｬﾊﾟﾝ", 5, 11), ("の", 11, 12), ("住所", 12, 14)]),
        # Full-width Latin and an ideographic space.
        ("ＩＣＬＥＩ　東京", [("ＩＣＬＥＩ", 0, 5), ("東京", 6, 8)]),
        # Japanese punctuation and brackets are dropped.
        ("「本部は？」、。", [("本部", 1, 3), ("は", 3, 4)]),
        ("じゃあ[インドネシア]は", [("じゃあ", 0, 3), ("インドネシア", 4, 10), ("は", 11, 12)]),
        ("東南アジアの事務所", [("東南", 0, 2), ("アジア", 2, 5), ("の", 5, 6), ("事務所", 6, 9)]),
        # Emoji (with skin tone, variation selector, ZWJ) separate tokens, never are one.
        ("😀👍🏽 ok ❤️東京👨‍👩‍👧", [("ok", 4, 6), ("東京", 9, 11)]),
        ("", []),
        ("   \n\t", []),
        ("？！…", []),
        # Accented Latin, apostrophes and hyphens split like Rasa's whitespace tokenizer,
        # so "Japan" in "Japan's" or "Japan-based" can be an entity; numbers stay whole.
        (
            "São Paulo's e-mail",
            [("São", 0, 3), ("Paulo", 4, 9), ("s", 10, 11), ("e", 12, 13), ("mail", 14, 18)],
        ),
        (
            "1.5度 10,000人 ２０５０年",
            [
                ("1.5", 0, 3),
                ("度", 3, 4),
                ("10,000", 5, 11),
                ("人", 11, 12),
                ("２０５０", 13, 17),
                ("年", 17, 18),
            ],
        ),
        # Markup does not confuse offsets.
        ("<b>東京</b>の", [("b", 1, 2), ("東京", 3, 5), ("b", 7, 8), ("の", 9, 10)]),
        # Sudachi expands ㍻ to 平成 internally; offsets stay on the original text.
        ("㍻の㈱東京", [("㍻", 0, 1), ("の", 1, 2), ("㈱", 2, 3), ("東京", 3, 5)]),
        # An ideographic variation selector stays with its kanji.
        ("\u845b\U000e0100飾区", [("\u845b\U000e0100", 0, 2), ("飾", 2, 3), ("区", 3, 4)]),
        # Hangul and Cyrillic are words of their own.
        ("서울 사무소 Москва", [("서울", 0, 2), ("사무소", 3, 6), ("Москва", 7, 13)]),
    ],
)
def test_tokens_and_offsets(tokenizer: JapaneseTokenizer, text: str, expected: list) -> None:
    tokens = tokenizer.tokenize(Message(data={TEXT: text}), TEXT)
    assert [(t.text, t.start, t.end) for t in tokens] == expected
    assert_offsets_exact(text, tokens)


@pytest.mark.parametrize(
    "variant, canonical",
    [
        ("ｶﾀｶﾅ", "カタカナ"),
        ("ｵﾌｨｽ", "オフィス"),
        ("ＩＣＬＥＩ", "ICLEI"),
        ("ICLEI", "iclei"),
        ("Ｔｏｋｙｏ", "tokyo"),
        ("２０５０", "2050"),
    ],
)
def test_lemmas_normalise_width_and_case(
    tokenizer: JapaneseTokenizer, variant: str, canonical: str
) -> None:
    [variant_token] = tokenizer.tokenize_text(variant)
    [canonical_token] = tokenizer.tokenize_text(canonical)
    assert variant_token.text == variant
    assert variant_token.lemma == canonical_token.lemma
    assert variant_token.lemma == variant_token.lemma.lower()


def test_japanese_lemma_is_the_normalised_form(tokenizer: JapaneseTokenizer) -> None:
    lemmas = [t.lemma for t in tokenizer.tokenize_text("知りたい")]
    assert lemmas[0] == "知る"


def test_dictionary_lemma_form_keeps_the_script() -> None:
    [token] = make_tokenizer(lemma_form="dictionary").tokenize_text("ｶﾀｶﾅ")
    assert token.lemma == "カタカナ"


@pytest.mark.parametrize(
    "mode, expected",
    [("A", ["東京", "事務", "所"]), ("B", ["東京", "事務所"]), ("C", ["東京", "事務所"])],
)
def test_split_mode_is_configurable(mode: str, expected: list) -> None:
    tokens = make_tokenizer(split_mode=mode).tokenize_text("東京事務所")
    assert [t.text for t in tokens] == expected


@pytest.mark.parametrize(
    "key, value", [("split_mode", "D"), ("lemma_form", "stem"), ("max_tokens", 0)]
)
def test_invalid_config_is_refused(key: str, value: str) -> None:
    with pytest.raises(InvalidConfigException):
        make_tokenizer(**{key: value})


def test_huge_japanese_text_is_chunked() -> None:
    # Sudachi refuses more than 49,149 bytes in one call; 60,000 kanji are 180,000.
    tokenizer = make_tokenizer(max_tokens=None)
    text = "東京事務所の住所を教えてください" * 3750
    assert len(text) == 60_000
    tokens = tokenizer.tokenize_text(text)
    assert_offsets_exact(text, tokens)
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)
    # Cuts fall between words: the phrase tokenizes the same everywhere.
    assert len(tokens) == 3750 * len(tokenizer.tokenize_text("東京事務所の住所を教えてください"))


def test_huge_text_without_word_boundaries() -> None:
    tokenizer = make_tokenizer(max_tokens=None)
    text = "東" * (MAX_CHUNK_CHARS * 3 + 17) + "😀" * 1000 + "a b " * 10_000
    tokens = tokenizer.tokenize_text(text)
    assert_offsets_exact(text, tokens)
    assert sum(t.end - t.start for t in tokens if t.text[0] == "東") == MAX_CHUNK_CHARS * 3 + 17


def test_huge_text_keeps_the_first_max_tokens(tokenizer: JapaneseTokenizer) -> None:
    text = "東京事務所の住所を教えてください。" * 6000 + "hello " * 20_000
    assert len(text) > 100_000
    tokens = tokenizer.tokenize(Message(data={TEXT: text}), TEXT)
    assert len(tokens) == JapaneseTokenizer.get_default_config()["max_tokens"]
    assert_offsets_exact(text, tokens)
    assert [t.text for t in tokens[:3]] == ["東京", "事務所", "の"]
    short = make_tokenizer(max_tokens=3).tokenize(Message(data={TEXT: "a b c d e"}), TEXT)
    assert [t.text for t in short] == ["a", "b", "c"]


def test_rasa_component_api(tmp_path) -> None:
    """Created and run the way Rasa's graph runs it."""
    assert JapaneseTokenizer.supported_languages() is None
    assert JapaneseTokenizer.not_supported_languages() is None
    assert JapaneseTokenizer.required_packages() == ["sudachipy", "sudachidict_core"]
    component = JapaneseTokenizer.create(
        JapaneseTokenizer.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("japanese_tokenizer"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    messages = [Message(data={TEXT: "東京事務所の住所"}), Message(data={TEXT: ""})]
    component.process(messages)
    assert [t.text for t in messages[0].get(TOKENS_NAMES[TEXT])] == ["東京", "事務所", "の", "住所"]
    assert messages[1].get(TOKENS_NAMES[TEXT]) == []

    training = TrainingData([Message(data={TEXT: "ソウルの事務所", INTENT: "ask_office_contact"})])
    component.process_training_data(training)
    example = training.training_examples[0]
    assert [t.text for t in example.get(TOKENS_NAMES[TEXT])] == ["ソウル", "の", "事務所"]
    assert [t.text for t in example.get(TOKENS_NAMES[INTENT])] == ["ask_office_contact"]


def test_sudachi_is_loaded_lazily() -> None:
    component = make_tokenizer()
    assert component._sudachi is None
    component.tokenize_text("hello")
    assert component._sudachi is None
    component.tokenize_text("こんにちは")
    assert component._sudachi is not None
