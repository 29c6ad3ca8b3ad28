"""The staff shell: talk to the assistant, see why it answered (`/why`), switch language.

It talks to a running Rasa server over REST, as a visitor's widget would, and reads the
conversation back through Rasa's HTTP API (behind its token) to explain each answer.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.staff.explain import explain_last

HELP = {
    "en": (
        "Type a message as a visitor would. Commands:\n"
        "  /why          why the last answer (language, intents, places, action, policy)\n"
        "  /lang ja|en   answer in Japanese or English from now on\n"
        "  /restart      start a new conversation\n"
        "  /help         this text;  /quit  leave\n"
        "  1, 2, ...     pick a button of the last answer"
    ),
    "ja": (
        "訪問者と同じようにメッセージを入力してください。コマンド：\n"
        "  /why          直前の回答の理由（言語、インテント、地名、アクション、ポリシー）\n"
        "  /lang ja|en   以降の回答を日本語／英語にする\n"
        "  /restart      新しい会話を始める\n"
        "  /help         この説明　/quit  終了\n"
        "  1、2、…       直前の回答のボタンを番号で選ぶ"
    ),
}


class Transport:
    """REST and the tracker API of one Rasa server."""

    def __init__(self, base_url: str, token: str | None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    def _call(self, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base_url + path, data=data, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"null")

    def send(self, sender: str, text: str) -> list[dict]:
        """The assistant's answer to one message."""
        return self._call("/webhooks/rest/webhook", {"sender": sender, "message": text}) or []

    def events(self, sender: str) -> list[dict]:
        """The conversation's events (needs the API token)."""
        query = f"?token={self.token}" if self.token else ""
        return self._call(f"/conversations/{sender}/tracker{query}")["events"]

    def set_language(self, sender: str, lang: str) -> None:
        """Set the conversation's language as a visitor's request would."""
        query = f"?token={self.token}" if self.token else ""
        slots = [
            {"event": "slot", "name": name, "value": lang}
            for name in ("language", "preferred_language")
        ]
        self._call(f"/conversations/{sender}/tracker/events{query}", slots)


@dataclass
class Shell:
    """The loop, with its input and output injected (tests drive it with lists)."""

    transport: Transport
    write: Callable[[str], None] = print
    explain_always: bool = False
    lang: str = "en"
    sender: str = field(default_factory=lambda: f"staff-{uuid.uuid4().hex[:10]}")
    buttons: list[dict] = field(default_factory=list)

    def run(self, lines: Iterable[str]) -> None:
        """Handle each line until /quit or the end of input."""
        self.write(HELP[self.lang])
        for line in lines:
            if not self.handle(line.strip()):
                break

    def handle(self, line: str) -> bool:
        """One line of input; False to stop."""
        if not line:
            return True
        command, _, argument = line.partition(" ")
        if command in ("/quit", "/exit"):
            return False
        if command == "/help":
            self.write(HELP[self.lang])
        elif command == "/why":
            self._why()
        elif command == "/restart":
            self.sender = f"staff-{uuid.uuid4().hex[:10]}"
            self.buttons = []
            self.write("(new conversation)" if self.lang == "en" else "（新しい会話）")
        elif command == "/lang":
            self._lang(argument.strip())
        elif line.isdigit() and self.buttons:
            self._press(int(line))
        else:
            self._say(self._button_by_title(line) or line)
        return True

    def _say(self, text: str) -> None:
        try:
            replies = self.transport.send(self.sender, text)
        except (urllib.error.URLError, OSError) as error:
            self.write(f"! the assistant did not answer: {error}")
            return
        self.buttons = []
        for reply in replies:
            if reply.get("text"):
                self.write("bot> " + str(reply["text"]).replace("\n", "\n     "))
            for button in reply.get("buttons") or []:
                self.buttons.append(button)
                self.write(f"     [{len(self.buttons)}] {button.get('title')}")
        if self.explain_always:
            self._why()

    def _press(self, number: int) -> None:
        if not 1 <= number <= len(self.buttons):
            self.write(f"! no button {number}")
            return
        self._say(str(self.buttons[number - 1].get("payload")))

    def _button_by_title(self, text: str) -> str | None:
        """Typing a button's title presses it."""
        for button in self.buttons:
            if str(button.get("title", "")).casefold() == text.casefold():
                return str(button.get("payload"))
        return None

    def _why(self) -> None:
        try:
            lines = explain_last(self.transport.events(self.sender))
        except (urllib.error.URLError, OSError, KeyError) as error:
            self.write(f"! cannot read the conversation: {error}")
            return
        for line in lines or ["(nothing said yet)"]:
            self.write("why> " + line)

    def _lang(self, lang: str) -> None:
        if lang not in ("en", "ja"):
            self.write("! /lang ja or /lang en")
            return
        try:
            self.transport.set_language(self.sender, lang)
        except (urllib.error.URLError, OSError) as error:
            self.write(f"! cannot set the language: {error}")
            return
        self.lang = lang
        self.write("(answers in English)" if lang == "en" else "（以降は日本語で回答します）")


def read_lines() -> Iterable[str]:
    """Lines from the terminal (UTF-8, so a Japanese IME works) until end of input."""
    while True:
        try:
            yield input("you> ")
        except EOFError:
            return
        except KeyboardInterrupt:
            print(file=sys.stderr)
            return
