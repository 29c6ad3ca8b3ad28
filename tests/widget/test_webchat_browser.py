"""The widget in headless Chromium, embedded with one tag on a host site of another origin,
talking to the real Rasa server (webchat channel) and action server."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest

from tests.widget.conftest import Deployment, WidgetPage

pytestmark = pytest.mark.model

KANA = re.compile(r"[\u3040-\u30ff]")
INJECTION = '<img src=x onerror=alert(1)><script>alert("x")</script><b>bold</b>'


def greeting_payload(lang: str) -> str:
    return '/greet{"language": "' + lang + '"}'


def test_japanese_conversation(widget_page) -> None:
    w: WidgetPage = widget_page()
    w.goto("/ja.html")
    assert w.launcher.get_attribute("aria-label") == "イクレイ アシスタントとのチャットを開く"

    w.open()
    assert w.focused_class() == "iclei-chat-input"  # focus moved into the panel
    assert w.sent[0]["message"] == greeting_payload("ja")
    greeting = w.bot_messages().nth(0).inner_text()
    assert "イクレイ" in greeting and KANA.search(greeting)

    w.say("日本事務所の住所を教えてください")
    answer = w.bot_messages().last
    assert "Nishi-Shimbashi" in answer.inner_text()
    assert w.user_messages().last.inner_text().endswith("日本事務所の住所を教えてください")
    # The office's bare web address became a safe link with its text as the label.
    link = answer.locator("a")
    assert link.first.get_attribute("href") == "https://www.iclei.org/japan"
    assert link.first.get_attribute("target") == "_blank"
    assert link.first.get_attribute("rel") == "noopener noreferrer"

    last = w.sent[-1]
    assert last["message"] == "日本事務所の住所を教えてください"
    assert last["metadata"] == {"language": "ja", "page_url": w.deployment.host_url + "/ja.html"}
    assert last["sender"] == w.sent[0]["sender"] == w.stored_state()["sender"]
    w.screenshot("widget-ja.png")
    assert not w.errors and not w.dialogs


def test_english_conversation_by_keyboard_with_a_button(widget_page) -> None:
    w: WidgetPage = widget_page()
    w.goto("/en.html")
    # Keyboard only: Tab to the launcher, Enter opens the panel with the focus in the input.
    for _ in range(10):
        w.page.keyboard.press("Tab")
        if w.focused_class() == "iclei-chat-launcher":
            break
    assert w.focused_class() == "iclei-chat-launcher"
    w.page.keyboard.press("Enter")
    w.wait_for_bot_messages(1)
    assert w.focused_class() == "iclei-chat-input"
    assert w.launcher.get_attribute("aria-expanded") == "true"
    assert w.sent[0]["message"] == greeting_payload("en")
    assert "I'm the ICLEI assistant" in w.bot_messages().nth(0).inner_text()

    # The log and the controls are labelled for screen readers, in English.
    assert w.log.get_attribute("role") == "log"
    assert w.log.get_attribute("aria-live") == "polite"
    assert w.input.get_attribute("aria-label") == "Type your message"
    assert w.page.locator(".iclei-chat-close").get_attribute("aria-label") == "Close chat"
    assert w.page.locator(".iclei-chat-new").get_attribute("aria-label") == "New conversation"

    choices = w.page.locator(".iclei-chat-choice")
    assert choices.all_inner_texts() == ["What is ICLEI?", "Find an office", "Membership"]
    choices.nth(1).click()
    w.wait_for_bot_messages(2)
    assert w.user_messages().last.inner_text().endswith("Find an office")
    assert w.sent[-1]["message"] == "/list_offices"
    assert all(choices.nth(i).is_disabled() for i in range(3))
    assert "Japan Office" in w.log.inner_text()
    w.say("Where is the Japan office?")
    assert "Nishi-Shimbashi" in w.bot_messages().last.inner_text()
    w.screenshot("widget-en.png")

    # Escape closes the panel and gives the focus back to the launcher.
    w.input.focus()
    w.page.keyboard.press("Escape")
    assert w.panel.is_hidden()
    assert w.focused_class() == "iclei-chat-launcher"
    assert not w.errors


def test_language_switch_without_reload(widget_page) -> None:
    w: WidgetPage = widget_page()
    w.goto("/en.html")
    w.open()
    count = w.bot_messages().count()
    w.page.locator(".iclei-chat-lang-button[data-lang=ja]").click()
    w.wait_for_bot_messages(count + 1)
    assert w.sent[-1]["message"] == greeting_payload("ja")
    assert KANA.search(w.bot_messages().last.inner_text())
    # The widget's own texts follow, without a reload.
    assert w.input.get_attribute("aria-label") == "メッセージを入力"
    assert w.page.locator(".iclei-chat-close").get_attribute("aria-label") == "チャットを閉じる"
    assert w.page.locator(".iclei-chat-lang-button[data-lang=ja]").get_attribute(
        "aria-pressed"
    ) == ("true")
    w.say("OK")  # ambiguous: the metadata language keeps it Japanese
    assert w.sent[-1]["metadata"]["language"] == "ja"
    assert KANA.search(w.bot_messages().last.inner_text())


def test_ime_composition_enter_does_not_send(widget_page) -> None:
    w: WidgetPage = widget_page()
    w.goto("/ja.html")
    w.open()
    sent_before = len(w.sent)
    users_before = w.user_messages().count()
    w.input.fill("にほんじむしょ")
    # Enter confirming a kana-to-kanji conversion: isComposing (Chrome, Firefox) and
    # keyCode 229 (Safari, whose composition has already ended).
    for init in ('{key: "Enter", isComposing: true}', '{key: "Enter", keyCode: 229}'):
        prevented = w.input.evaluate(
            f"""input => {{
                const event = new KeyboardEvent("keydown",
                    {{...{init}, code: "Enter", bubbles: true, cancelable: true}});
                input.dispatchEvent(event);
                return event.defaultPrevented;
            }}"""
        )
        assert prevented is False  # left to the IME
    # A real composition through Chromium's IME interface, confirmed with Enter.
    cdp = w.page.context.new_cdp_session(w.page)
    w.input.focus()
    cdp.send("Input.imeSetComposition", {"text": "事務所", "selectionStart": 3, "selectionEnd": 3})
    w.page.keyboard.press("Enter")  # keydown with isComposing: true
    w.page.wait_for_timeout(500)
    assert len(w.sent) == sent_before
    assert w.user_messages().count() == users_before
    cdp.send("Input.insertText", {"text": "事務所"})  # the IME commits: compositionend
    assert "にほんじむしょ" in w.input.input_value()
    assert "事務所" in w.input.input_value()

    # A plain Enter sends.
    w.input.fill("日本事務所はどこですか")
    count = w.bot_messages().count()
    w.input.press("Enter")
    w.wait_for_bot_messages(count + 1)
    assert w.sent[-1]["message"] == "日本事務所はどこですか"


def test_history_survives_reload_and_navigation_without_a_second_greeting(widget_page) -> None:
    w: WidgetPage = widget_page()
    w.goto("/ja.html")
    w.open()
    w.say("日本事務所の住所を教えてください")
    texts = w.log.inner_text()
    sender = w.stored_state()["sender"]
    greetings = sum(1 for body in w.sent if body["message"].startswith("/greet"))
    assert greetings == 1

    w.page.reload()
    w.launcher.wait_for()
    w.panel.wait_for(state="visible")  # it was open: it reopens
    assert w.log.inner_text() == texts
    w.goto("/ja-2.html")  # another page of the site
    w.panel.wait_for(state="visible")
    w.page.wait_for_timeout(1000)
    assert w.log.inner_text() == texts
    assert sum(1 for body in w.sent if body["message"].startswith("/greet")) == 1
    assert w.stored_state()["sender"] == sender
    # ... and the conversation goes on with the same sender.
    w.say("韓国は？")
    assert "Suwon" in w.bot_messages().last.inner_text()
    assert w.sent[-1]["sender"] == sender


def test_new_conversation_starts_afresh(widget_page) -> None:
    w: WidgetPage = widget_page()
    w.goto("/en.html")
    w.open()
    w.say("Where is the Japan office?")
    old_sender = w.stored_state()["sender"]
    w.page.locator(".iclei-chat-new").click()
    w.wait_for_bot_messages(1)
    assert w.bot_messages().count() == 1 and w.user_messages().count() == 0
    state = w.stored_state()
    assert state["sender"] != old_sender
    assert w.sent[-1] == {
        "sender": state["sender"],
        "message": greeting_payload("en"),
        "metadata": {"language": "en", "page_url": w.deployment.host_url + "/en.html"},
    }
    assert w.focused_class() == "iclei-chat-input"


def test_offline_state_keeps_the_message_and_recovers(widget_page) -> None:
    w: WidgetPage = widget_page()
    w.goto("/en.html")
    w.open()
    webhook = w.deployment.webhook_url
    w.page.route(webhook, lambda route: route.abort("internetdisconnected"))
    w.input.fill("Where is the Japan office?")
    w.input.press("Enter")
    w.offline.wait_for(state="visible")
    assert w.offline.inner_text() == "Offline — retrying…"
    assert w.input.is_disabled()
    assert w.page.locator(".iclei-chat-send").is_disabled()
    assert w.user_messages().last.inner_text().endswith("Where is the Japan office?")

    # A server error is "offline" too; the message is still waiting after a reload.
    w.page.unroute(webhook)
    w.page.route(webhook, lambda route: route.fulfill(status=503, body="unavailable"))
    w.page.reload()
    w.launcher.wait_for()
    w.offline.wait_for(state="visible")
    assert w.user_messages().last.inner_text().endswith("Where is the Japan office?")
    assert w.stored_state()["queue"][0]["payload"] == "Where is the Japan office?"
    attempts = len([body for body in w.sent if body["message"] == "Where is the Japan office?"])
    assert attempts >= 2

    w.page.unroute(webhook)  # the server is back
    started = time.monotonic()
    w.wait_for_bot_messages(2, timeout=30_000)
    assert "Nishi-Shimbashi" in w.bot_messages().last.inner_text()
    assert w.offline.is_hidden()
    assert w.input.is_enabled()
    assert w.stored_state()["queue"] == []
    assert time.monotonic() - started < 20
    assert w.user_messages().count() == 1  # shown once, delivered once


def test_rate_limited_message_waits_politely_and_is_delivered(widget_page) -> None:
    w: WidgetPage = widget_page()
    w.goto("/en.html")
    w.open()
    webhook = w.deployment.webhook_url
    polite = "You're sending messages very quickly. Please wait a moment and try again."
    refused: list[int] = []

    def once_too_many(route: Any) -> None:
        if not refused:
            refused.append(1)
            route.fulfill(
                status=429,
                headers={"Retry-After": "2", "Content-Type": "application/json"},
                body=json.dumps([{"recipient_id": "x", "text": polite}]),
            )
        else:
            route.continue_()

    w.page.route(webhook, once_too_many)
    greeting = w.bot_messages().count()
    w.input.fill("Where is the Japan office?")
    w.input.press("Enter")
    w.wait_for_bot_messages(greeting + 1)
    assert w.bot_messages().nth(greeting).inner_text().endswith(polite)
    assert w.offline.is_hidden()  # the server is there: not "offline"
    # After Retry-After the same message goes again and is answered; the polite note once.
    w.wait_for_bot_messages(greeting + 2, timeout=15_000)
    assert "Nishi-Shimbashi" in w.bot_messages().last.inner_text()
    assert w.user_messages().count() == 1
    assert len([t for t in w.bot_messages().all_inner_texts() if polite in t]) == 1
    assert w.stored_state()["queue"] == []


def test_markup_is_shown_as_text_in_both_directions(widget_page) -> None:
    w: WidgetPage = widget_page()
    w.goto("/en.html")
    w.open()
    # User -> bot: the user's text is shown literally, not parsed.
    w.say(INJECTION)
    assert w.user_messages().last.inner_text().endswith(INJECTION)

    # Bot -> user: a (compromised) bot answer with markup, a script link and a markup title.
    bot_answer = [
        {
            "text": INJECTION + "\n[click](javascript:alert(2))",
            "buttons": [{"title": "<img src=y onerror=alert(3)>", "payload": "/greet"}],
        }
    ]
    w.page.route(
        w.deployment.webhook_url,
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(bot_answer)
        ),
    )
    count = w.bot_messages().count()
    w.input.fill("hello")
    w.input.press("Enter")
    w.wait_for_bot_messages(count + 1)
    last = w.bot_messages().last
    assert INJECTION in last.inner_text()
    assert "[click](javascript:alert(2))" in last.inner_text()
    assert last.locator("a").count() == 0
    assert w.page.locator(".iclei-chat-choice").last.inner_text() == "<img src=y onerror=alert(3)>"
    # No element was injected anywhere: the widget has no <img>, <script> or <b> at all.
    injected = w.page.evaluate(
        """() => document.getElementById("iclei-chat-host").shadowRoot
                  .querySelectorAll("img, script, b").length"""
    )
    assert injected == 0
    assert w.page.locator("img, b").count() == 0
    w.page.wait_for_timeout(300)
    assert not w.dialogs and not w.errors


def test_links_images_and_line_breaks(widget_page) -> None:
    w: WidgetPage = widget_page()
    w.goto("/en.html")
    w.open()
    image_url = w.deployment.host_url + "/pixel.png"
    bot_answer = [
        {
            "text": "See [the ICLEI site](https://iclei.org/about) or https://iclei.org/japan.\n"
            "Mail info@iclei.org\nThird line",
        },
        {"image": image_url, "alt": "ICLEI logo"},
        {"image": image_url},
    ]
    w.page.route(
        w.deployment.webhook_url,
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(bot_answer)
        ),
    )
    count = w.bot_messages().count()
    w.input.fill("links please")
    w.input.press("Enter")
    w.wait_for_bot_messages(count + 3)
    text_message = w.bot_messages().nth(count)
    links = text_message.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs == ["https://iclei.org/about", "https://iclei.org/japan", "mailto:info@iclei.org"]
    assert links.nth(0).evaluate("a => a.firstChild.textContent") == "the ICLEI site"
    assert all(
        links.nth(i).get_attribute("rel") == "noopener noreferrer" for i in range(links.count())
    )
    assert text_message.locator("br").count() == 2
    assert text_message.inner_text().endswith("Third line")
    images = w.page.locator(".iclei-chat-image")
    assert images.nth(0).get_attribute("alt") == "ICLEI logo"
    assert images.nth(1).get_attribute("alt") == "Image from the assistant"
    assert images.nth(0).get_attribute("src") == image_url


def test_phone_viewport_is_full_screen(widget_page) -> None:
    w: WidgetPage = widget_page(width=360, height=740)
    w.goto("/ja.html")
    w.open()
    box = w.panel.bounding_box()
    assert box == {"x": 0, "y": 0, "width": 360, "height": 740}
    assert w.focused_class() == "iclei-chat-input"
    w.say("日本事務所の住所を教えてください")
    w.screenshot("widget-phone.png")
    w.page.keyboard.press("Escape")
    assert w.panel.is_hidden()
    assert w.launcher.is_visible()


def test_an_origin_that_is_not_allowed_gets_nothing(widget_page) -> None:
    w: WidgetPage = widget_page()
    # Same host site, reached as localhost: another origin, not in WEBCHAT_ALLOWED_ORIGINS.
    w.goto("/en.html", base=w.deployment.other_host_url)
    w.launcher.click()
    w.offline.wait_for(state="visible")  # the browser's CORS check refuses the answer
    assert w.bot_messages().count() == 0


def test_demo_page_on_the_bot(widget_page, deployment: Deployment) -> None:
    w: WidgetPage = widget_page()
    w.goto("/webhooks/webchat/", base=deployment.bot_url)
    w.open()
    assert KANA.search(w.bot_messages().nth(0).inner_text())  # the demo page is Japanese
    assert not w.errors
