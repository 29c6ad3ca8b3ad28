"""Rasa bot messages -> LINE messages: LINE's limits, Markdown, quick replies."""

from __future__ import annotations

import pytest
from linebot.models import PostbackAction, QuickReply, QuickReplyButton, TextSendMessage

from bot.channels.line_messages import (
    ELLIPSIS,
    add_quick_replies,
    chunks,
    greet_payload,
    language_choice_items,
    quick_reply_items,
    split_text,
    strip_markdown,
    to_line_messages,
    truncate,
    utf16_len,
)
from tests.channels.conftest import line_limit_errors


@pytest.mark.parametrize(
    ("text", "units"),
    [("", 0), ("abc", 3), ("日本語", 3), ("😀", 2), ("👍🏽", 4), ("a😀b", 4)],
)
def test_utf16_len_counts_code_units(text: str, units: int) -> None:
    assert utf16_len(text) == units


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("**ICLEI** is a network", "ICLEI is a network"),
        ("__bold__ and *italic*", "bold and italic"),
        ("See [the website](https://iclei.org).", "See the website https://iclei.org."),
        ("[https://iclei.org](https://iclei.org)", "https://iclei.org"),
        ("**[東京事務所](https://japan.iclei.org)**", "東京事務所 https://japan.iclei.org"),
        ("# Offices\n- Bonn", "Offices\n- Bonn"),
        ("Use `/greet`", "Use /greet"),
        # Not Markdown: left alone.
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("snake_case_name", "snake_case_name"),
        ("* a list item", "* a list item"),
    ],
)
def test_strip_markdown(markdown: str, plain: str) -> None:
    assert strip_markdown(markdown) == plain


def test_truncate_keeps_short_labels_and_cuts_long_ones_with_an_ellipsis() -> None:
    assert truncate("Find an office", 20) == "Find an office"
    assert truncate("x" * 20, 20) == "x" * 20
    cut = truncate("Membership for local governments", 20)
    assert cut.endswith(ELLIPSIS) and utf16_len(cut) <= 20
    # Emoji count twice: 11 of them do not fit 20 units, and none is cut in half.
    emoji = truncate("😀" * 11, 20)
    assert emoji == "😀" * 9 + ELLIPSIS and utf16_len(emoji) == 19


def test_short_texts_are_not_split() -> None:
    assert split_text("  Hello\n\nworld  ") == ["Hello\n\nworld"]


def test_long_text_is_split_at_line_breaks_within_5000_utf16_units() -> None:
    paragraph = "ICLEI is a global network of local governments. " * 30  # ~1,500 units
    text = "\n".join([paragraph.strip()] * 8)  # ~12,000 units
    parts = split_text(text)
    assert len(parts) == 3
    assert all(utf16_len(part) <= 5000 for part in parts)
    assert all(part.endswith("governments.") for part in parts)  # whole lines
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")


def test_long_japanese_text_is_split_after_a_sentence() -> None:
    sentence = "イクレイは持続可能な都市と地域をめざす自治体協議会です。"  # 28 units
    parts = split_text(sentence * 300)  # 8,400 units, no line breaks
    assert len(parts) == 2
    assert all(utf16_len(part) <= 5000 for part in parts)
    assert parts[0].endswith("です。")
    assert "".join(parts) == sentence * 300


def test_emoji_text_is_split_by_utf16_units_never_inside_a_character() -> None:
    text = "😀" * 3000  # 3,000 characters but 6,000 UTF-16 units
    parts = split_text(text)
    assert [utf16_len(part) for part in parts] == [5000, 1000]
    assert "".join(parts) == text


def test_split_does_not_separate_an_emoji_from_its_skin_tone() -> None:
    parts = split_text("a" + "👍🏽" * 10, limit=8)
    assert all("🏽" not in part[:1] for part in parts)
    assert "".join(parts) == "a" + "👍🏽" * 10


def test_buttons_become_postback_quick_replies() -> None:
    items = quick_reply_items([{"title": "**Find** an office", "payload": "/list_offices"}])
    assert items == [
        {
            "type": "action",
            "action": {
                "type": "postback",
                "label": "Find an office",
                "data": "/list_offices",
                "displayText": "Find an office",
            },
        }
    ]


def test_quick_replies_keep_lines_limits() -> None:
    buttons = [
        {"title": f"Office number {i} in a long list", "payload": f"/o{i}"} for i in range(14)
    ]
    buttons.insert(0, {"title": "Too long", "payload": "/x" + "x" * 300})
    buttons.insert(0, {"title": "", "payload": "/no_title"})
    buttons.insert(0, {"title": "No payload"})
    items = quick_reply_items(buttons)
    assert len(items) == 13
    assert [item["action"]["data"] for item in items] == [f"/o{i}" for i in range(13)]
    assert all(utf16_len(item["action"]["label"]) <= 20 for item in items)
    assert items[0]["action"]["label"] == "Office number 0 in…"
    assert items[0]["action"]["displayText"] == "Office number 0 in a long list"


def test_payload_of_exactly_300_characters_is_kept() -> None:
    payload = '/ask_office_contact{"place": "' + "x" * 268 + '"}'
    assert len(payload) == 300
    assert quick_reply_items([{"title": "t", "payload": payload}])[0]["action"]["data"] == payload


def test_a_bot_message_with_buttons_is_one_text_with_quick_replies() -> None:
    messages = to_line_messages(
        {
            "text": "Which office?\n\nChoose one:",
            "buttons": [
                {"title": "Japan", "payload": '/ask_office_contact{"place": "japan"}'},
                {"title": "Bonn", "payload": '/ask_office_contact{"place": "bonn"}'},
            ],
        }
    )
    assert len(messages) == 1  # paragraphs stay in one LINE message
    assert messages[0]["text"] == "Which office?\n\nChoose one:"
    assert [item["action"]["data"] for item in messages[0]["quickReply"]["items"]] == [
        '/ask_office_contact{"place": "japan"}',
        '/ask_office_contact{"place": "bonn"}',
    ]
    assert line_limit_errors(messages) == []
    # Exactly what line-bot-sdk's own models serialise for the same message.
    expected = TextSendMessage(
        text="Which office?\n\nChoose one:",
        quick_reply=QuickReply(
            items=[
                QuickReplyButton(
                    action=PostbackAction(label=title, data=payload, display_text=title)
                )
                for title, payload in [
                    ("Japan", '/ask_office_contact{"place": "japan"}'),
                    ("Bonn", '/ask_office_contact{"place": "bonn"}'),
                ]
            ]
        ),
    )
    assert messages[0] == expected.as_json_dict()


def test_quick_replies_go_on_the_last_part_of_a_long_text() -> None:
    messages = to_line_messages(
        {"text": "😀" * 3000, "buttons": [{"title": "More", "payload": "/more"}]}
    )
    assert len(messages) == 2
    assert "quickReply" not in messages[0] and "quickReply" in messages[1]
    assert line_limit_errors(messages) == []


def test_images_custom_line_messages_and_attachments() -> None:
    sticker = {"type": "sticker", "packageId": "446", "stickerId": "1988"}
    messages = to_line_messages(
        {
            "text": "Look",
            "image": "https://example.org/a.png",
            "custom": {"line": sticker},
            "attachment": "https://example.org/doc.pdf",
        }
    )
    assert messages == [
        {"type": "text", "text": "Look"},
        sticker,
        {
            "type": "image",
            "originalContentUrl": "https://example.org/a.png",
            "previewImageUrl": "https://example.org/a.png",
        },
        {"type": "text", "text": "https://example.org/doc.pdf"},
    ]
    # LINE shows only https images; other URLs are sent as text. Non-LINE custom: nothing.
    assert to_line_messages({"image": "http://example.org/a.png"}) == [
        {"type": "text", "text": "http://example.org/a.png"}
    ]
    assert to_line_messages({"custom": {"blocks": []}}) == []


def test_buttons_without_text_still_get_a_message_to_sit_on() -> None:
    messages = to_line_messages({"buttons": [{"title": "Yes", "payload": "/affirm"}]})
    assert len(messages) == 1 and messages[0]["quickReply"]["items"]
    assert line_limit_errors(messages) == []


def test_language_choice_is_added_within_13_items() -> None:
    messages = [{"type": "text", "text": "Hi"}]
    add_quick_replies(messages, quick_reply_items([{"title": "t", "payload": "/a"}] * 12))
    add_quick_replies(messages, language_choice_items())
    items = messages[0]["quickReply"]["items"]
    assert len(items) == 13 and items[-1]["action"]["label"] == "日本語"
    assert language_choice_items()[1]["action"]["data"] == '/greet{"language": "en"}'
    assert greet_payload() == "/greet"


def test_chunks_of_five() -> None:
    assert [len(chunk) for chunk in chunks(list(range(12)))] == [5, 5, 2]
    assert list(chunks([])) == []
