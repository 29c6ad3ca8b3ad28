"""Rasa tokenizer for messages in Japanese, English or both at once."""

from __future__ import annotations

import threading
import unicodedata
from typing import TYPE_CHECKING, Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.scripts import JAPANESE, WORD, iter_runs

if TYPE_CHECKING:
    from sudachipy import Tokenizer as SudachiTokenizer

# Sudachi refuses inputs over 49,149 UTF-8 bytes. A character is at most 4 bytes and its
# input normalisation may lengthen a character (㍻ -> 平成), so 4,096 characters per
# call stays well under the limit.
MAX_CHUNK_CHARS = 4096
# How far back from a hard cut to look for a gentler place to cut a long Japanese run.
_CUT_SEARCH_WINDOW = 256
# Between digits these keep a number together: 1.5, 10,000, １．５.
_NUMBER_JOINERS = frozenset(".,\uff0e\uff0c")
_LEMMA_FORMS = ("normalized", "dictionary", "surface")


def normalize_lemma(text: str) -> str:
    """The lemma of a non-Japanese word: NFKC + lowercase, so ＩＣＬＥＩ -> iclei."""
    return unicodedata.normalize("NFKC", text).lower()


def _only_marks(text: str) -> bool:
    return all(unicodedata.category(char)[0] == "M" for char in text)


def _is_hiragana(char: str) -> bool:
    return "\u3041" <= char <= "\u309f"


def _chunk_bounds(text: str, start: int, end: int, max_chars: int) -> list[range]:
    """Cuts text[start:end] into pieces of at most `max_chars` characters.

    A cut goes where hiragana meets another script (after a particle such as の or は),
    which is nearly always a word boundary; failing that, it is a hard cut.
    """
    pieces = []
    while end - start > max_chars:
        cut = start + max_chars
        lowest = max(start + 1, cut - _CUT_SEARCH_WINDOW)
        for candidate in range(cut, lowest - 1, -1):
            if _is_hiragana(text[candidate - 1]) != _is_hiragana(text[candidate]):
                cut = candidate
                break
        pieces.append(range(start, cut))
        start = cut
    pieces.append(range(start, end))
    return pieces


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class JapaneseTokenizer(Tokenizer):
    """Splits Japanese text into morphemes with SudachiPy and other text into words.

    Whitespace tokenizers see a Japanese sentence as one token. Here Japanese runs (kana,
    kanji) go through Sudachi, so 東京 in 東京事務所 is a token of its own and an entity
    can be annotated on it; Latin, digit and other word runs are split on word boundaries;
    whitespace, punctuation and emoji separate tokens. Offsets are character offsets into
    the original text, and lemmas are normalised (ｶﾀｶﾅ and カタカナ, ＩＣＬＥＩ and ICLEI
    share one) for featurizers that use lemmas.
    """

    @staticmethod
    def supported_languages() -> list[str] | None:
        """Any `language` in config.yml: one model serves Japanese and English."""
        return None

    @staticmethod
    def not_supported_languages() -> list[str] | None:
        """No language is refused (unlike WhitespaceTokenizer, which refuses `ja`)."""
        return None

    @staticmethod
    def required_packages() -> list[str]:
        """The analyser and its dictionary."""
        return ["sudachipy", "sudachidict_core"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Default configuration; every key may be overridden in config.yml."""
        return {
            # Split intent names on `intent_split_symbol` (multi-intent classification).
            "intent_tokenization_flag": False,
            # Symbol on which intent names are split.
            "intent_split_symbol": "_",
            # Regular expression that further splits each token (None: no splitting).
            "token_pattern": None,
            # Split intent names into prefix and suffix on this symbol (None: don't).
            "prefix_separator_symbol": None,
            # Sudachi split mode: "A" shortest units (事務|所), "B" middle units
            # (東京|事務所), "C" named-entity length units. B keeps place names apart
            # from the nouns around them while keeping 事務所 whole.
            "split_mode": "B",
            # Sudachi system dictionary: "core" is the sudachidict_core package.
            "dictionary": "core",
            # Lemma of a Japanese token: "normalized" (Sudachi's normalised form:
            # ｶﾀｶﾅ, カタカナ -> 片仮名; 知り -> 知る), "dictionary" (dictionary form:
            # ｶﾀｶﾅ -> カタカナ) or "surface". Then NFKC + lowercase, as for other words.
            "lemma_form": "normalized",
            # Keep only the first this many tokens of a message (None: all). DIET's
            # attention grows with the square of the token count: a pasted 60,000
            # character text would need tens of GB. Slots filled from the text itself
            # (from_text) still get the whole message.
            "max_tokens": 500,
        }

    def __init__(self, config: dict[str, Any]) -> None:
        """Validates the configuration; the Sudachi dictionary loads on first use."""
        super().__init__(config)
        split_mode = str(config.get("split_mode", "B")).upper()
        if split_mode not in ("A", "B", "C"):
            raise InvalidConfigException(
                f"JapaneseTokenizer: split_mode must be A, B or C, not {split_mode!r}."
            )
        lemma_form = config.get("lemma_form", "normalized")
        if lemma_form not in _LEMMA_FORMS:
            raise InvalidConfigException(
                f"JapaneseTokenizer: lemma_form must be one of {_LEMMA_FORMS}, not {lemma_form!r}."
            )
        self._split_mode = split_mode
        self._dictionary_name = config.get("dictionary", "core")
        self._lemma_form = lemma_form
        max_tokens = config.get("max_tokens")
        if max_tokens is not None and (not isinstance(max_tokens, int) or max_tokens < 1):
            raise InvalidConfigException(
                f"JapaneseTokenizer: max_tokens must be a positive integer or null, "
                f"not {max_tokens!r}."
            )
        self._max_tokens = max_tokens
        self._sudachi: SudachiTokenizer | None = None
        # A Sudachi tokenizer must not be used by two threads at once.
        self._lock = threading.Lock()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> JapaneseTokenizer:
        """Creates the tokenizer (see parent class for full docstring)."""
        return cls(config)

    def _analyser(self) -> SudachiTokenizer:
        if self._sudachi is None:
            from sudachipy import Dictionary

            dictionary = Dictionary(dict=self._dictionary_name)
            self._sudachi = dictionary.tokenizer(mode=self._split_mode)
        return self._sudachi

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Tokenizes the text of `attribute` of `message`."""
        text = message.get(attribute)
        tokens = self._apply_token_pattern(self.tokenize_text(text or ""))
        return tokens[: self._max_tokens]

    def tokenize_text(self, text: str) -> list[Token]:
        """Tokens of `text`, with offsets into `text` and normalised lemmas.

        Stops soon after `max_tokens` tokens, so a huge message costs little.
        """
        limit = self._max_tokens
        tokens: list[Token] = []
        for run in iter_runs(text):
            if limit is not None and len(tokens) > limit:
                break
            if run.kind == JAPANESE:
                remaining = None if limit is None else limit + 1 - len(tokens)
                tokens.extend(self._japanese_tokens(text, run.start, run.end, remaining))
            elif run.kind == WORD:
                word = text[run.start : run.end]
                tokens.append(Token(word, run.start, run.end, lemma=normalize_lemma(word)))
        tokens = self._join_numbers(text, tokens)
        return tokens if limit is None else tokens[:limit]

    def _japanese_tokens(
        self, text: str, start: int, end: int, limit: int | None = None
    ) -> list[Token]:
        tokens: list[Token] = []
        analyser = self._analyser()
        for piece in _chunk_bounds(text, start, end, MAX_CHUNK_CHARS):
            if limit is not None and len(tokens) >= limit:
                break
            chunk = text[piece.start : piece.stop]
            with self._lock:
                morphemes = [
                    (m.begin(), m.end(), self._japanese_lemma(m)) for m in analyser.tokenize(chunk)
                ]
            for begin, finish, lemma in morphemes:
                if finish <= begin:
                    continue
                token_start, token_end = piece.start + begin, piece.start + finish
                previous = tokens[-1] if tokens else None
                if (
                    previous is not None
                    and previous.end == token_start
                    and _only_marks(text[token_start:token_end])
                ):
                    # A variation selector (葛 + U+E0100) belongs to its kanji.
                    tokens[-1] = Token(
                        text[previous.start : token_end],
                        previous.start,
                        token_end,
                        lemma=previous.lemma,
                    )
                    continue
                tokens.append(
                    Token(text[token_start:token_end], token_start, token_end, lemma=lemma)
                )
        return tokens

    def _japanese_lemma(self, morpheme: Any) -> str:
        if self._lemma_form == "normalized":
            form = morpheme.normalized_form()
        elif self._lemma_form == "dictionary":
            form = morpheme.dictionary_form()
        else:
            form = morpheme.raw_surface()
        return normalize_lemma(form or morpheme.raw_surface())

    @staticmethod
    def _join_numbers(text: str, tokens: list[Token]) -> list[Token]:
        """Joins 1 . 5 into 1.5 and 10 , 000 into 10,000."""
        joined: list[Token] = []
        for token in tokens:
            previous = joined[-1] if joined else None
            if (
                previous is not None
                and token.start == previous.end + 1
                and text[previous.end] in _NUMBER_JOINERS
                and previous.text[-1].isdigit()
                and token.text[0].isdigit()
            ):
                merged = text[previous.start : token.end]
                joined[-1] = Token(merged, previous.start, token.end, lemma=normalize_lemma(merged))
            else:
                joined.append(token)
        return joined
