"""Staff views of enquiries: a readable table, CSV for Excel (UTF-8 with BOM), and JSON."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Literal

from bot.enquiries.model import StoredEnquiry
from bot.knowledge import Knowledge, get_knowledge

ExportFormat = Literal["csv", "json"]

# Column order of the exports.
FIELDS: tuple[str, ...] = (
    "reference",
    "created_at",
    "office_id",
    "office_name",
    "organisation",
    "country_code",
    "country_name",
    "contact_name",
    "email",
    "role",
    "population",
    "message",
    "language",
    "consent_given_at",
    "notified_at",
    "sender_id",
)

# A cell starting with one of these is a formula to Excel: "=HYPERLINK(...)" typed into the
# chat must stay text in the staff's spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _time(value: datetime | None) -> str | None:
    """ISO 8601 in UTC, seconds precision."""
    return value.isoformat(timespec="seconds") if value is not None else None


def to_record(enquiry: StoredEnquiry, knowledge: Knowledge | None = None) -> dict[str, Any]:
    """Return one enquiry as a flat dict in FIELDS order, with office and country names."""
    knowledge = knowledge or get_knowledge()
    try:
        office_name = knowledge.office(enquiry.office_id).name.en
    except KeyError:
        office_name = None
    country = knowledge.countries.get(enquiry.country_code)
    values = {
        "reference": enquiry.reference,
        "created_at": _time(enquiry.created_at),
        "office_id": enquiry.office_id,
        "office_name": office_name,
        "organisation": enquiry.organisation,
        "country_code": enquiry.country_code,
        "country_name": country.name.en if country else None,
        "contact_name": enquiry.contact_name,
        "email": enquiry.email,
        "role": enquiry.role,
        "population": enquiry.population,
        "message": enquiry.message,
        "language": enquiry.language,
        "consent_given_at": _time(enquiry.consent_given_at),
        "notified_at": _time(enquiry.notified_at),
        "sender_id": enquiry.sender_id,
    }
    return {name: values[name] for name in FIELDS}


def _csv_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas; None becomes an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(enquiries: Iterable[StoredEnquiry], knowledge: Knowledge | None = None) -> bytes:
    """Return CSV bytes: UTF-8 with BOM (Excel then reads Japanese correctly), CRLF, header."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for enquiry in enquiries:
        record = to_record(enquiry, knowledge)
        writer.writerow({key: _csv_cell(value) for key, value in record.items()})
    return buffer.getvalue().encode("utf-8-sig")


def to_json(enquiries: Iterable[StoredEnquiry], knowledge: Knowledge | None = None) -> bytes:
    """Return a UTF-8 JSON array of records (Japanese kept as is, not \\u-escaped)."""
    records = [to_record(enquiry, knowledge) for enquiry in enquiries]
    return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export(
    enquiries: Iterable[StoredEnquiry], fmt: ExportFormat, knowledge: Knowledge | None = None
) -> bytes:
    """Return the enquiries in `fmt` ("csv" or "json") as bytes."""
    if fmt == "csv":
        return to_csv(enquiries, knowledge)
    if fmt == "json":
        return to_json(enquiries, knowledge)
    raise ValueError(f"unknown export format {fmt!r}")


# --- table -------------------------------------------------------------------------------

TABLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("reference", "Reference"),
    ("created", "Created (UTC)"),
    ("office_id", "Office"),
    ("country_code", "Country"),
    ("organisation", "Organisation"),
    ("contact_name", "Contact"),
    ("email", "Email"),
    ("notified", "Notified"),
)
_MAX_CELL = 32


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _fit(text: str, width: int) -> str:
    """Cut a cell to `width` columns (with "…") and pad it to exactly `width`."""
    if display_width(text) > width:
        cut = ""
        for char in text:
            if display_width(cut + char) > width - 1:
                break
            cut += char
        text = cut + "…"
    return text + " " * (width - display_width(text))


def format_table(enquiries: Sequence[StoredEnquiry]) -> str:
    """Return a fixed-width table of enquiries for a terminal, with a count line."""
    rows = [
        {
            "reference": enquiry.reference,
            "created": f"{enquiry.created_at:%Y-%m-%d %H:%M}",
            "office_id": enquiry.office_id,
            "country_code": enquiry.country_code,
            "organisation": enquiry.organisation,
            "contact_name": enquiry.contact_name,
            "email": enquiry.email,
            "notified": "yes" if enquiry.notified_at else "no",
        }
        for enquiry in enquiries
    ]
    widths = {
        key: min(_MAX_CELL, max([display_width(title)] + [display_width(r[key]) for r in rows]))
        for key, title in TABLE_COLUMNS
    }
    lines = [
        "  ".join(_fit(title, widths[key]) for key, title in TABLE_COLUMNS).rstrip(),
        "  ".join("-" * widths[key] for key, _ in TABLE_COLUMNS),
    ]
    for row in rows:
        lines.append("  ".join(_fit(row[key], widths[key]) for key, _ in TABLE_COLUMNS).rstrip())
    lines.append(f"{len(rows)} enquir{'y' if len(rows) == 1 else 'ies'}")
    return "\n".join(lines) + "\n"
