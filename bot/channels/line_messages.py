"""Rasa bot messages -> LINE message objects, within the Messaging API's limits.

LINE rejects a whole request when one message breaks a limit, so every limit is enforced
here, before sending: texts of at most 5,000 UTF-16 code units (split at line or sentence
breaks), at most 13 quick-reply items, labels of at most 20 characters, postback data of at
most 300 characters. LINE shows no Markdown, so it is turned into plain text.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

logger = logging.getLogger(__name__)

# The Messaging API's limits (https://developers.line.biz/en/reference/messaging-api/).
MESSAGES_PER_REQUEST = 5
TEXT_MAX_UNITS = 5000
QUICK_REPLY_MAX_ITEMS = 13
LABEL_MAX_UNITS = 20
POSTBACK_DATA_MAX_UNITS = 300
DISPLAY_TEXT_MAX_UNITS = 300
URL_MAX_UNITS = 2000
ELLIPSIS = "…"

# Offered with the greeting after a `follow`: the payload sets the `language` entity (and so
# the slot) and greets again in the chosen language.
LANGUAGE_CHOICES = (("日本語", "ja"), ("English", "en"))
GREET_INTENT = "/greet"


def greet_payload(language: str | None = None) -> str:
    """The Rasa payload of a greeting, with the language entity when one is chosen."""
    if language is None:
        return GREET_INTENT
    return GREET_INTENT + '{"language": "' + language + '"}'


def utf16_len(text: str) -> int:
    """Length of `text` as LINE counts it: UTF-16 code units (an emoji may count 2)."""
    return len(text.encode("utf-16-le")) // 2


def _units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def _prefix_within(text: str, limit: int) -> int:
    """Number of characters of the longest prefix of `text` within `limit` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += _units(char)
        if units > limit:
            return index
    return len(text)


def truncate(text: str, limit: int) -> str:
    """`text` cut to `limit` UTF-16 units, ending with … when it was cut."""
    if utf16_len(text) <= limit:
        return text
    return text[: _prefix_within(text, limit - utf16_len(ELLIPSIS))].rstrip() + ELLIPSIS


# --- Markdown -> plain text -------------------------------------------------------------
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![*\w])")
_CODE = re.compile(r"`([^`\n]+)`")
_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)


def _link_text(match: re.Match[str]) -> str:
    label, url = match.group(1).strip(), match.group(2)
    return url if label == url else f"{label} {url}"


def strip_markdown(text: str) -> str:
    """Plain text for LINE: **bold** -> bold, [label](url) -> "label url", no # or `."""
    text = _LINK.sub(_link_text, text)
    text = _BOLD.sub(r"\2", text)
    text = _ITALIC.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    return _HEADING.sub("", text)


# --- long texts -------------------------------------------------------------------------
_SENTENCE_END = re.compile(r"[。．！？]+|[.!?]+(?=\s)")
_SPACE = re.compile(r"\s+")


def _break_at(window: str) -> int:
    """Where to end a part cut from `window`: after a line break, else a sentence, else a
    space, as long as the part keeps at least half the window; 0 when there is none."""
    half = len(window) // 2
    newline = window.rfind("\n") + 1
    if newline > half:
        return newline
    sentence_ends = [match.end() for match in _SENTENCE_END.finditer(window)]
    if sentence_ends and sentence_ends[-1] > half:
        return sentence_ends[-1]
    spaces = [match.end() for match in _SPACE.finditer(window)]
    if spaces and spaces[-1] > half:
        return spaces[-1]
    return 0


def _joins_previous(char: str) -> bool:
    """True for characters that belong to the one before (accents, ZWJ, variation selectors),
    so a hard cut does not fall between them."""
    return (
        unicodedata.combining(char) != 0
        or char in "\u200d\ufe0e\ufe0f"
        or 0x1F3FB <= ord(char) <= 0x1F3FF  # emoji skin tones
    )


def split_text(text: str, limit: int = TEXT_MAX_UNITS) -> list[str]:
    """`text` in parts of at most `limit` UTF-16 units, cut at line or sentence breaks."""
    parts: list[str] = []
    rest = text.strip()
    while utf16_len(rest) > limit:
        fits = _prefix_within(rest, limit)
        cut = _break_at(rest[:fits]) or max(fits, 1)
        while cut > 1 and _joins_previous(rest[cut]):
            cut -= 1
        part = rest[:cut].rstrip()
        if part:
            parts.append(part)
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


# --- buttons -> quick replies -----------------------------------------------------------
def _one_line(text: str) -> str:
    return " ".join(strip_markdown(text).split())


def quick_reply_item(label: str, data: str, display_text: str | None = None) -> dict[str, Any]:
    """A quick-reply button that posts `data` back (the Rasa payload) and shows
    `display_text` in the chat as the user's message."""
    return {
        "type": "action",
        "action": {
            "type": "postback",
            "label": truncate(_one_line(label), LABEL_MAX_UNITS),
            "data": data,
            "displayText": truncate(_one_line(display_text or label), DISPLAY_TEXT_MAX_UNITS),
        },
    }


def quick_reply_items(buttons: Iterable[Any]) -> list[dict[str, Any]]:
    """Rasa buttons ({"title", "payload"}) as at most 13 LINE quick-reply items.

    Buttons without a title or payload, and those whose payload is longer than LINE's
    postback data limit, are left out (with a warning: the domain should be fixed).
    """
    items: list[dict[str, Any]] = []
    for button in buttons:
        if not isinstance(button, dict):
            continue
        title, payload = button.get("title"), button.get("payload")
        if not isinstance(title, str) or not isinstance(payload, str):
            continue
        if not _one_line(title) or not payload.strip():
            continue
        if utf16_len(payload) > POSTBACK_DATA_MAX_UNITS:
            logger.warning(
                "LINE: a button payload is longer than %d characters; button left out",
                POSTBACK_DATA_MAX_UNITS,
            )
            continue
        if len(items) == QUICK_REPLY_MAX_ITEMS:
            logger.warning("LINE: more than %d buttons; the rest left out", QUICK_REPLY_MAX_ITEMS)
            break
        items.append(quick_reply_item(title, payload))
    return items


def language_choice_items() -> list[dict[str, Any]]:
    """Quick replies 日本語 / English: each greets again in that language."""
    return [quick_reply_item(label, greet_payload(code)) for label, code in LANGUAGE_CHOICES]


def add_quick_replies(messages: list[dict[str, Any]], items: list[dict[str, Any]]) -> None:
    """Adds `items` to the quick replies of the last message (LINE shows only those), up
    to LINE's 13."""
    if not messages or not items:
        return
    quick_reply = messages[-1].setdefault("quickReply", {"items": []})
    room = QUICK_REPLY_MAX_ITEMS - len(quick_reply["items"])
    quick_reply["items"].extend(items[: max(room, 0)])


# --- whole messages ---------------------------------------------------------------------
def text_messages(text: str) -> list[dict[str, Any]]:
    """LINE text messages for `text`: plain text, split to LINE's length limit."""
    return [{"type": "text", "text": part} for part in split_text(strip_markdown(text))]


def _url_message(url: str) -> dict[str, Any]:
    """An image message for an https URL (LINE accepts no other), else the URL as text."""
    if url.startswith("https://") and utf16_len(url) <= URL_MAX_UNITS:
        return {"type": "image", "originalContentUrl": url, "previewImageUrl": url}
    return {"type": "text", "text": truncate(url, TEXT_MAX_UNITS)}


def to_line_messages(bot_message: dict[str, Any]) -> list[dict[str, Any]]:
    """One Rasa bot message (as a collecting output channel stores it) as LINE messages.

    - text -> text messages (Markdown stripped, split when long);
    - buttons / quick replies -> quick replies on the last message, posting the payload back;
    - image -> an image message (https URLs) or the URL as text; attachment -> its text;
    - custom {"line": <message or list>} -> passed as is: the way for a `channel: line`
      response variation to use LINE-only features. Other custom payloads are not shown.
    """
    messages: list[dict[str, Any]] = []
    text = bot_message.get("text")
    if isinstance(text, str) and text.strip():
        messages.extend(text_messages(text))
    custom = bot_message.get("custom")
    if isinstance(custom, dict) and "line" in custom:
        line_messages = custom["line"] if isinstance(custom["line"], list) else [custom["line"]]
        messages.extend(message for message in line_messages if isinstance(message, dict))
    image = bot_message.get("image")
    if isinstance(image, str) and image.strip():
        messages.append(_url_message(image.strip()))
    attachment = bot_message.get("attachment")
    if isinstance(attachment, str) and attachment.strip():
        messages.extend(text_messages(attachment))
    buttons = bot_message.get("buttons") or bot_message.get("quick_replies") or []
    items = quick_reply_items(buttons) if isinstance(buttons, list) else []
    if items and not messages:
        # A quick reply needs a message to sit on; the choices speak for themselves.
        messages.append({"type": "text", "text": ELLIPSIS})
    add_quick_replies(messages, items)
    return messages


def chunks(messages: list[dict[str, Any]], size: int = MESSAGES_PER_REQUEST) -> Iterator[list]:
    """`messages` in consecutive groups of at most `size` (one API request each)."""
    for start in range(0, len(messages), size):
        yield messages[start : start + size]
