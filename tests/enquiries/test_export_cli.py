"""Staff commands: `python -m bot enquiries list|export|replay|notify`, CSV for Excel, JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.__main__ import main
from bot.enquiries import EnquiryStore, Spool
from bot.enquiries.export import FIELDS, display_width, format_table, to_csv, to_json
from bot.enquiries.model import enquiries
from tests.enquiries.conftest import make_draft


@pytest.fixture
def filled(tmp_path: Path, new_key):
    """A SQLite database with three enquiries on three days, and its URL."""
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = EnquiryStore(url)
    rows = [
        (make_draft(), datetime(2026, 4, 1, 8, 0, tzinfo=timezone.utc)),
        (
            make_draft(
                organisation='=HYPERLINK("http://evil")',
                country_code="KE",
                contact_name="Amina Otieno",
                email="amina@example.org",
                language="en",
                message='He said "hi", then left.\nSecond line',
            ),
            datetime(2026, 4, 2, 8, 0, tzinfo=timezone.utc),
        ),
        (
            make_draft(organisation="札幌市", population=None),
            datetime(2026, 4, 3, 8, 0, tzinfo=timezone.utc),
        ),
    ]
    stored = []
    for draft, created in rows:
        enquiry = store.submit(draft, new_key())
        with store.engine.begin() as connection:
            connection.execute(
                update(enquiries).where(enquiries.c.id == enquiry.id).values(created_at=created)
            )
        stored.append(store.get(enquiry.reference))
    yield url, store, stored
    store.dispose()


def test_csv_has_bom_and_round_trips_japanese(filled) -> None:
    _, _, stored = filled
    data = to_csv(stored)
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == list(FIELDS)
    assert rows[0]["organisation"] == "横浜市"
    assert rows[0]["contact_name"] == "山田 太郎"
    assert rows[0]["country_name"] == "Japan"
    assert rows[0]["office_name"] == "Japan Office"
    assert rows[0]["message"] == "加盟について詳しく知りたいです。\nよろしくお願いします。"
    assert rows[1]["organisation"] == '\'=HYPERLINK("http://evil")'  # stays text in Excel
    assert rows[1]["message"] == 'He said "hi", then left.\nSecond line'
    assert rows[2]["population"] == ""
    # Excel's own fallback (cp932 without a BOM) is what garbles Japanese: the BOM prevents it.
    assert data[3:].decode("utf-8")


def test_json_is_utf8_unescaped(filled) -> None:
    _, _, stored = filled
    data = to_json(stored)
    assert "横浜市".encode() in data  # not \\u6a2a...
    records = json.loads(data)
    assert records[0]["population"] == 3_700_000
    assert records[2]["population"] is None
    assert records[0]["created_at"] == "2026-04-01T08:00:00+00:00"
    assert records[1]["organisation"] == '=HYPERLINK("http://evil")'  # JSON is not a sheet


def test_table_aligns_japanese(filled) -> None:
    _, _, stored = filled
    table = format_table(stored)
    lines = table.splitlines()
    assert lines[-1] == "3 enquiries"
    assert "横浜市" in table and stored[0].reference in table
    header, rule = lines[0], lines[1]
    # The "Organisation" column starts at the same display column in every row.
    column = display_width(header[: header.index("Organisation")])
    for line in lines[2:5]:
        organisation = next(e.organisation for e in stored if e.reference in line)
        start = line.index(organisation[:3])
        assert display_width(line[:start]) == column, line
    assert set(rule) <= {"-", " "}


def test_cli_list(filled, capsys: pytest.CaptureFixture[str]) -> None:
    url, _, stored = filled
    assert main(["enquiries", "--database-url", url, "list"]) == 0
    out = capsys.readouterr().out
    assert all(e.reference in out for e in stored)
    assert "3 enquiries" in out

    assert main(["enquiries", "--database-url", url, "list", "--office", "africa"]) == 0
    out = capsys.readouterr().out
    assert stored[1].reference in out and stored[0].reference not in out
    assert "1 enquiry" in out

    args = ["list", "--since", "2026-04-02", "--until", "2026-04-02"]
    assert main(["enquiries", "--database-url", url, *args]) == 0
    out = capsys.readouterr().out
    assert [e.reference for e in stored if e.reference in out] == [stored[1].reference]


def test_cli_list_reads_database_url(
    filled, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _, stored = filled
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["enquiries", "list"]) == 0
    assert stored[0].reference in capsys.readouterr().out


def test_cli_export_csv_file(filled, tmp_path: Path) -> None:
    url, _, stored = filled
    output = tmp_path / "out" / "enquiries.csv"
    args = ["export", "--format", "csv", "--since", "2026-04-03", "--output", str(output)]
    assert main(["enquiries", "--database-url", url, *args]) == 0
    data = output.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [row["reference"] for row in rows] == [stored[2].reference]
    assert rows[0]["organisation"] == "札幌市"


def test_cli_export_json_stdout(filled, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    url, _, stored = filled
    args = ["export", "--format", "json", "--office", "japan"]
    assert main(["enquiries", "--database-url", url, *args]) == 0
    records = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    assert [r["reference"] for r in records] == [stored[0].reference, stored[2].reference]


def test_cli_rejects_bad_dates(filled) -> None:
    url, _, _ = filled
    with pytest.raises(SystemExit):
        main(["enquiries", "--database-url", url, "list", "--since", "1 April"])


def test_cli_database_down(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgresql+psycopg2://u@127.0.0.1:{_closed_port()}/db"
    assert main(["enquiries", "--database-url", url, "list"]) == 1
    assert "database error" in capsys.readouterr().err


def test_cli_replay(tmp_path: Path, monkeypatch, capsys, new_key) -> None:
    spool = Spool(tmp_path / "spool")
    spool.append(make_draft(), new_key())
    monkeypatch.setenv("ENQUIRY_SPOOL_DIR", str(tmp_path / "spool"))
    monkeypatch.delenv("SMTP_HOST", raising=False)
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert main(["enquiries", "--database-url", url, "replay"]) == 0
    assert "stored 1, remaining 0" in capsys.readouterr().out
    assert main(["enquiries", "--database-url", url, "list"]) == 0
    assert "1 enquiry" in capsys.readouterr().out


def test_cli_notify_pending(filled, smtp_server, monkeypatch, capsys) -> None:
    url, store, stored = filled
    host, port, handler = smtp_server
    monkeypatch.setenv("SMTP_HOST", host)
    monkeypatch.setenv("SMTP_PORT", str(port))
    monkeypatch.setenv("ENQUIRY_NOTIFY_TO", "staff@example.org")
    assert main(["enquiries", "--database-url", url, "notify"]) == 0
    assert "sent 3 of 3" in capsys.readouterr().out
    assert len(handler.envelopes) == 3
    assert store.list(notified=False) == []


def test_cli_init_db(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'db.sqlite'}"
    assert main(["enquiries", "--database-url", url, "init-db"]) == 0
    assert (tmp_path / "new" / "db.sqlite").exists()


def _closed_port() -> int:
    from bot.ops.processes import free_port

    return free_port()


def test_cli_list_tells_staff_of_enquiries_the_database_refused(
    filled, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.enquiries.conftest import make_draft

    url, _, _ = filled
    monkeypatch.setenv("ENQUIRY_SPOOL_DIR", str(tmp_path / "spool"))
    assert main(["enquiries", "--database-url", url, "list"]) == 0
    assert "refused" not in capsys.readouterr().err
    Spool(tmp_path / "spool").reject(make_draft(), "k" * 64, "DataError")
    assert main(["enquiries", "--database-url", url, "list"]) == 0
    assert "1 enquiry the database refused, kept for staff" in capsys.readouterr().err
