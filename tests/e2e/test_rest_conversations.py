"""Whole conversations over the REST channel, through NLU, dialogue and actions."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.model

KANA = re.compile(r"[\u3040-\u30ff]")


def texts(messages: list[dict]) -> str:
    """All the text of the bot's messages, joined."""
    return "\n".join(message.get("text", "") for message in messages)


def is_japanese(text: str) -> bool:
    return bool(KANA.search(text))


def test_english_question_gets_english_answer(chat):
    answer = texts(chat("When was ICLEI established?"))
    assert "5 September 1990" in answer
    assert not is_japanese(answer)


def test_japanese_question_gets_japanese_answer(chat):
    answer = texts(chat("イクレイはいつ設立されたのですか？"))
    assert "1990年9月5日" in answer
    assert is_japanese(answer)


def test_language_follows_the_latest_message(chat):
    assert is_japanese(texts(chat("こんにちは")))
    assert not is_japanese(texts(chat("How many members does ICLEI have?")))
    assert is_japanese(texts(chat("職員は何人くらいいますか")))


def test_ambiguous_message_keeps_the_conversation_language(chat):
    chat("イクレイについて教えてください")
    assert is_japanese(texts(chat("OK")))


def test_follow_up_keeps_the_office_topic(chat):
    assert "Nishi-Shimbashi" in texts(chat("where is the Japan office?"))
    korea = texts(chat("and Korea?"))
    assert "Suwon" in korea
    assert "Nishi-Shimbashi" not in korea


def test_follow_up_in_japanese(chat):
    assert "Nishi-Shimbashi" in texts(chat("日本事務所の住所を教えてください"))
    answer = texts(chat("韓国は？"))
    assert "Suwon" in answer and is_japanese(answer)


def test_country_without_an_office_is_routed(chat):
    assert "Knowledge Park" in texts(chat("I'm in Kenya, which office should I contact?"))
    answer = texts(chat("ブラジルの担当は？"))
    assert "Ibiraçu" in answer and "ブラジル" in answer


def test_ambiguous_place_offers_buttons(chat):
    messages = chat("What is the address of your office in Asia?")
    buttons = [b for m in messages for b in m.get("buttons", [])]
    assert len(buttons) >= 2
    assert all(b["payload"].startswith("/ask_office_contact") for b in buttons)
    # Clicking one of them answers for that office.
    chosen = next(b for b in buttons if "Southeast" in b["title"])
    assert "Manila" in texts(chat(chosen["payload"]))


def test_unknown_place_gets_the_office_list_not_a_wrong_office(chat):
    # The NLU rarely tags a place it has never seen, so the bot asks which office and
    # lists them; it must never answer with some office's card.
    # (Atlantis is a real town in South Africa: the gazetteer knows it, and so does the bot.)
    answer = texts(chat("contact details for your office in Narnia"))
    assert "Japan Office" in answer and "Oceania Secretariat" in answer
    assert "Address:" not in answer


def test_headquarters_has_phone(chat):
    # A question for one detail gets that detail, named; the address is a question away.
    answer = texts(chat("本部の電話番号を教えてください"))
    assert "+49-228/97 62 99-00" in answer
    assert "イクレイ世界事務局の電話番号" in answer
    assert "Kaiser-Friedrich-Str. 7" in texts(chat("住所は？"))


def test_out_of_scope_is_polite_in_japanese(chat):
    answer = texts(chat("おすすめのラーメン屋を教えて"))
    assert is_japanese(answer)
    assert "イクレイ" in answer


def test_channel_metadata_sets_the_first_language(chat):
    answer = texts(chat("/greet", metadata={"language": "ja"}))
    assert is_japanese(answer)


@pytest.mark.parametrize("path", ["/status", "/version", "/conversations/someone/tracker"])
def test_rasa_http_api_is_off_without_a_token(rasa_url, path):
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(f"{rasa_url}{path}", timeout=10)
    assert raised.value.code == 404
