"""`python -m bot report --html FILE`: the staff report as one self-contained HTML page.

Charts are inline SVG drawn here (no script, no CDN), so the file opens offline and prints.
It shows counts and visitors' unanswered questions (as the text report does); enquiry
answers and any personal data never appear.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.ops.report import Report

COLOURS = ("#1b6ca8", "#e07a1f", "#3a9d5d", "#b23a48", "#7a5195", "#8c8c8c")

TEXT = {
    "en": {
        "title": "ICLEI assistant: report",
        "range": "Period",
        "all": "all",
        "conversations": "Conversations",
        "messages": "Messages",
        "by_language": "Messages per day, by language",
        "by_channel": "Messages per day, by channel",
        "unanswered": "Share of messages that fell back or were out of scope, per day",
        "fallback": "fell back",
        "oos": "out of scope",
        "intents": "Top intents",
        "enquiries_office": "Enquiries per office",
        "enquiries_week": "Enquiries per week",
        "no_enquiries": "No enquiries in the database (or it could not be read).",
        "teach": "Teach these next",
        "teach_fallback": "Questions the assistant did not understand",
        "teach_oos": "Questions it answered as out of scope",
        "count": "times",
        "none": "None.",
        "withheld": "{n} messages typed inside the enquiry form are counted but not listed.",
        "no_data": "No messages in this period.",
    },
    "ja": {
        "title": "イクレイ・アシスタント レポート",
        "range": "期間",
        "all": "全期間",
        "conversations": "会話数",
        "messages": "メッセージ数",
        "by_language": "1日あたりのメッセージ数（言語別）",
        "by_channel": "1日あたりのメッセージ数（チャネル別）",
        "unanswered": "理解できなかった／対象外だったメッセージの割合（日別）",
        "fallback": "理解できず",
        "oos": "対象外",
        "intents": "よくある質問の種類（インテント）",
        "enquiries_office": "事務所別の問い合わせ件数",
        "enquiries_week": "週別の問い合わせ件数",
        "no_enquiries": "問い合わせはありません（またはデータベースを読めませんでした）。",
        "teach": "次に学習させたい質問",
        "teach_fallback": "アシスタントが理解できなかった質問",
        "teach_oos": "対象外と回答した質問",
        "count": "回",
        "none": "ありません。",
        "withheld": (
            "問い合わせフォーム内で入力された{n}件のメッセージは件数のみ数え、内容は表示しません。"
        ),
        "no_data": "この期間のメッセージはありません。",
    },
}


@dataclass
class EnquiryCounts:
    """Enquiries per office and per ISO week: counts only."""

    per_office: Counter[str] = field(default_factory=Counter)
    per_week: Counter[str] = field(default_factory=Counter)


def enquiry_counts() -> EnquiryCounts:
    """Count the stored enquiries (the database of DATABASE_URL); empty if it cannot be read."""
    from bot.enquiries.store import EnquiryStore, database_url_from_env

    counts = EnquiryCounts()
    store = EnquiryStore(database_url_from_env())
    try:
        for enquiry in store.list():
            year, week, _ = enquiry.created_at.isocalendar()
            counts.per_office[enquiry.office_id] += 1
            counts.per_week[f"{year}-W{week:02d}"] += 1
    except Exception:  # noqa: BLE001 - a report without enquiries is still a report
        return EnquiryCounts()
    finally:
        store.dispose()
    return counts


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def stacked_bars(
    series: Mapping[str, Mapping[str, float]], title: str, percent: bool = False
) -> str:
    """A vertical stacked bar chart: x = day (sorted), stacks = keys, with a legend."""
    days = sorted(series)
    keys = sorted({key for values in series.values() for key in values})
    if not days:
        return ""
    width, height, left, bottom = 720, 240, 40, 40
    top = max((sum(series[day].values()) for day in days), default=0) or 1
    if percent:
        top = max(top, 1.0)
    bar = max(4.0, (width - left - 10) / len(days) * 0.7)
    step = (width - left - 10) / len(days)
    parts = [
        f'<svg class="chart" role="img" aria-label="{_e(title)}" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        'stroke="#999"/>',
        f'<text x="2" y="14" font-size="11">{_e(_label(top, percent))}</text>',
    ]
    for index, day in enumerate(days):
        x = left + index * step
        y = height - bottom
        for colour_index, key in enumerate(keys):
            value = series[day].get(key, 0)
            h = (height - bottom - 20) * value / top
            y -= h
            colour = COLOURS[colour_index % len(COLOURS)]
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{_e(day)} {_e(key)}: {_e(_label(value, percent))}'
                "</title></rect>"
            )
        if len(days) <= 14 or index % max(1, len(days) // 10) == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{height - bottom + 14}" font-size="10">{_e(day[5:])}</text>'
            )
    for colour_index, key in enumerate(keys):
        x = left + colour_index * 130
        colour = COLOURS[colour_index % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="{height - 14}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{height - 5}" font-size="11">{_e(key)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(rows: Sequence[tuple[str, int]], title: str) -> str:
    """A horizontal bar chart of labelled counts, largest first."""
    if not rows:
        return ""
    width, row_height, label_width = 720, 22, 260
    height = row_height * len(rows) + 10
    top = max(count for _, count in rows) or 1
    parts = [
        f'<svg class="chart" role="img" aria-label="{_e(title)}" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}">'
    ]
    for index, (label, count) in enumerate(rows):
        y = 5 + index * row_height
        length = (width - label_width - 60) * count / top
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{_e(label[:40])}</text>')
        parts.append(
            f'<rect class="bar" x="{label_width}" y="{y}" width="{length:.1f}" height="16" '
            f'fill="{COLOURS[0]}"><title>{_e(label)}: {count}</title></rect>'
        )
        parts.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + 13}" font-size="12">{count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _label(value: float, percent: bool) -> str:
    return f"{value * 100:.0f}%" if percent else f"{value:g}"


def _unanswered_share(report: Report, words: Mapping[str, str]) -> dict[str, dict[str, float]]:
    shares: dict[str, dict[str, float]] = {}
    for day, languages in report.daily_languages.items():
        total = sum(languages.values()) or 1
        shares[day] = {
            words["fallback"]: report.daily_fallbacks.get(day, 0) / total,
            words["oos"]: report.daily_out_of_scope.get(day, 0) / total,
        }
    return shares


def _listing(rows: Sequence[tuple[str, int]], words: Mapping[str, str]) -> str:
    if not rows:
        return f"<p>{_e(words['none'])}</p>"
    items = "".join(
        f"<li>{_e(text)} <span>({n} {_e(words['count'])})</span></li>" for text, n in rows
    )
    return f"<ol>{items}</ol>"


def render_html(report: Report, enquiries: EnquiryCounts, lang: str = "en", top: int = 10) -> str:
    """The whole page, in `lang` (en | ja)."""
    from bot.knowledge import get_knowledge

    words = TEXT["ja" if lang == "ja" else "en"]
    knowledge = get_knowledge()
    period = (
        f"{report.since or words['all']} – {report.until or words['all']}"
        if report.since or report.until
        else words["all"]
    )

    def office_name(office_id: str) -> str:
        try:
            return knowledge.office(office_id).name.get(lang)
        except KeyError:
            return office_id

    sections = [
        f"<h1>{_e(words['title'])}</h1>",
        f'<p class="summary">{_e(words["range"])}: {_e(period)} · {_e(words["conversations"])}: '
        f"<b>{report.conversations}</b> · {_e(words['messages'])}: <b>{report.messages}</b></p>",
    ]
    if not report.messages:
        sections.append(f"<p>{_e(words['no_data'])}</p>")
    else:
        sections += [
            f"<h2>{_e(words['by_language'])}</h2>",
            stacked_bars(report.daily_languages, words["by_language"]),
            f"<h2>{_e(words['by_channel'])}</h2>",
            stacked_bars(report.daily_channels, words["by_channel"]),
            f"<h2>{_e(words['unanswered'])}</h2>",
            stacked_bars(_unanswered_share(report, words), words["unanswered"], percent=True),
            f"<h2>{_e(words['intents'])}</h2>",
            horizontal_bars(report.intents.most_common(top), words["intents"]),
        ]
    sections.append(f"<h2>{_e(words['enquiries_office'])}</h2>")
    if enquiries.per_office:
        rows = [(office_name(office), n) for office, n in enquiries.per_office.most_common()]
        sections.append(horizontal_bars(rows, words["enquiries_office"]))
        sections.append(f"<h2>{_e(words['enquiries_week'])}</h2>")
        weekly = {week: {words["enquiries_week"]: n} for week, n in enquiries.per_week.items()}
        sections.append(stacked_bars(weekly, words["enquiries_week"]))
    else:
        sections.append(f"<p>{_e(words['no_enquiries'])}</p>")
    sections += [
        f"<h2>{_e(words['teach'])}</h2>",
        f"<h3>{_e(words['teach_fallback'])}</h3>",
        _listing(sorted(report.fallbacks.items(), key=lambda i: (-i[1], i[0]))[:top], words),
        f"<h3>{_e(words['teach_oos'])}</h3>",
        _listing(sorted(report.out_of_scope.items(), key=lambda i: (-i[1], i[0]))[:top], words),
    ]
    if report.withheld:
        sections.append(f'<p class="note">{_e(words["withheld"].format(n=report.withheld))}</p>')
    style = (
        "body{font-family:system-ui,'IPAGothic','Noto Sans CJK JP',sans-serif;max-width:780px;"
        "margin:2em auto;padding:0 1em;color:#222}h1{font-size:1.5em}h2{font-size:1.1em;"
        "margin-top:1.8em}ol span{color:#777}.chart{max-width:100%;height:auto}.note{color:#777}"
    )
    return (
        f'<!DOCTYPE html><html lang="{_e(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(words['title'])}</title><style>{style}</style></head><body>"
        + "\n".join(section for section in sections if section)
        + "</body></html>\n"
    )
