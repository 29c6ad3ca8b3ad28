"""The HTML report: self-contained, charts present, both languages, no personal data; and it
renders in Chromium without a console error."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from bot.ops.report import Report
from bot.ops.report_html import EnquiryCounts, render_html


def sample() -> Report:
    report = Report(since=None, until=None, conversations=3, messages=7)
    report.languages = Counter({"ja": 4, "en": 3})
    report.channels = Counter({"line": 4, "webchat": 3})
    report.intents = Counter({"ask_founding": 3, "out_of_scope": 2, "nlu_fallback": 2})
    report.fallbacks = Counter({"会員になるには？": 2})
    report.out_of_scope = Counter({"<b>weather</b> in bonn": 2})
    report.withheld = 1
    report.daily_languages = {"2026-04-01": Counter({"ja": 4}), "2026-04-02": Counter({"en": 3})}
    report.daily_channels = {
        "2026-04-01": Counter({"line": 4}),
        "2026-04-02": Counter({"webchat": 3}),
    }
    report.daily_fallbacks = Counter({"2026-04-01": 2})
    report.daily_out_of_scope = Counter({"2026-04-02": 2})
    return report


def enquiries() -> EnquiryCounts:
    return EnquiryCounts(Counter({"japan": 2, "africa": 1}), Counter({"2026-W14": 3}))


@pytest.mark.parametrize(("lang", "heading"), [("en", "Enquiries per office"), ("ja", "事務所別")])
def test_the_page_has_every_chart_in_the_chosen_language(lang, heading):
    page = render_html(sample(), enquiries(), lang)
    assert page.count("<svg") == 6  # language, channel, unanswered, intents, office, week
    assert heading in page
    assert f'<html lang="{lang}">' in page
    assert ("日本事務所" if lang == "ja" else "Japan Office") in page


def test_the_page_loads_nothing_from_elsewhere_and_escapes_visitors_text():
    page = render_html(sample(), enquiries(), "en")
    assert not re.search(r"<script|<link|https?://", page)
    assert "&lt;b&gt;weather&lt;/b&gt;" in page and "<b>weather" not in page
    assert "1 messages typed inside the enquiry form are counted but not listed" in page


def test_no_messages_and_no_enquiries_say_so():
    page = render_html(Report(since=None, until=None), EnquiryCounts(), "ja")
    assert "この期間のメッセージはありません。" in page and "問い合わせはありません" in page


CHROMIUM = Path("/usr/bin/chromium")


def test_the_page_renders_in_chromium_without_console_errors(tmp_path):
    if not CHROMIUM.exists():
        pytest.fail("no /usr/bin/chromium: run `make system-deps`")
    from playwright.sync_api import sync_playwright

    from tests.widget.conftest import CHROMIUM_ARGS

    path = tmp_path / "report.html"
    path.write_text(render_html(sample(), enquiries(), "ja"), encoding="utf-8")
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.as_uri())
            charts = page.locator("svg.chart")
            assert charts.count() == 6
            assert page.locator("svg.chart rect.bar").count() >= 8
            box = charts.first.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 100
        finally:
            browser.close()
    assert errors == []
