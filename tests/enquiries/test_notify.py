"""Office notification by email: a local SMTP server receives it; a dead one never blocks."""

from __future__ import annotations

import email
import email.policy
import threading
import time
from pathlib import Path

import pytest

from bot.enquiries import EnquiryStore, Notifier, SmtpSettings, Spool, submit_enquiry
from bot.enquiries.notify import build_message
from tests.enquiries.conftest import make_draft


class RecordingNotifier(Notifier):
    """Keeps the background threads so that tests can wait for them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.threads: list[threading.Thread] = []

    def notify(self, enquiry):
        thread = super().notify(enquiry)
        if thread is not None:
            self.threads.append(thread)
        return thread


@pytest.fixture
def store(tmp_path: Path):
    store = EnquiryStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    yield store
    store.dispose()


def test_office_receives_the_mail(store, smtp_server, tmp_path: Path, new_key) -> None:
    host, port, handler = smtp_server
    settings = SmtpSettings.from_env(
        {
            "SMTP_HOST": host,
            "SMTP_PORT": str(port),
            "SMTP_FROM": "assistant@iclei.example",
            "ENQUIRY_NOTIFY_TO": "staff@example.org",
            "ENQUIRY_NOTIFY_TO_JAPAN": "japan@example.org, tokyo@example.org",
        }
    )
    notifier = RecordingNotifier(settings, on_sent=store.mark_notified)
    result = submit_enquiry(make_draft(), new_key(), store, Spool(tmp_path / "s"), notifier)
    assert result.status == "stored"
    assert handler.received.wait(10)
    notifier.threads[0].join(10)

    envelope = handler.envelopes[0]
    assert envelope.mail_from == "assistant@iclei.example"
    assert envelope.rcpt_tos == ["japan@example.org", "tokyo@example.org"]  # the office's own
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert result.reference in message["Subject"]
    assert "横浜市" in message["Subject"]
    assert message["Reply-To"] == "taro.yamada@example.jp"
    body = message.get_content()
    for text in ("横浜市", "山田 太郎", "taro.yamada@example.jp", "Japan / 日本", "3700000"):
        assert text in body
    assert "for Japan Office" in body
    assert store.get(result.reference).notified_at is not None


def test_default_recipient_for_other_offices(store, smtp_server, tmp_path: Path, new_key) -> None:
    host, port, handler = smtp_server
    settings = SmtpSettings.from_env(
        {
            "SMTP_HOST": host,
            "SMTP_PORT": str(port),
            "ENQUIRY_NOTIFY_TO": "staff@example.org",
            "ENQUIRY_NOTIFY_TO_JAPAN": "japan@example.org",
        }
    )
    notifier = RecordingNotifier(settings)
    draft = make_draft(country_code="KE", organisation="Nairobi City County", language="en")
    submit_enquiry(draft, new_key(), store, Spool(tmp_path / "s"), notifier)
    assert handler.received.wait(10)
    assert handler.envelopes[0].rcpt_tos == ["staff@example.org"]


def test_unreachable_smtp_neither_blocks_nor_fails(
    store, silent_smtp: int, tmp_path: Path, new_key
) -> None:
    settings = SmtpSettings(
        host="127.0.0.1", port=silent_smtp, timeout=2.0, default_recipients=("s@example.org",)
    )
    notifier = RecordingNotifier(settings, on_sent=store.mark_notified)
    started = time.monotonic()
    result = submit_enquiry(make_draft(), new_key(), store, Spool(tmp_path / "s"), notifier)
    elapsed = time.monotonic() - started
    assert result.status == "stored"
    assert elapsed < 1.0, f"submission waited {elapsed:.1f}s for the mail server"
    notifier.threads[0].join(10)  # gives up after its own timeout, without raising
    assert not notifier.threads[0].is_alive()
    assert store.get(result.reference).notified_at is None  # left for `enquiries notify`


def test_refused_smtp_is_logged_without_personal_data(store, caplog, new_key) -> None:
    from bot.ops.processes import free_port

    settings = SmtpSettings(host="127.0.0.1", port=free_port(), default_recipients=("s@x.org",))
    stored = store.submit(make_draft(), new_key())
    assert Notifier(settings).deliver(stored) is False
    assert "failed" in caplog.text and stored.reference in caplog.text
    assert "taro" not in caplog.text and "山田" not in caplog.text


def test_disabled_without_smtp_host(store, new_key, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMTP_HOST", raising=False)
    assert SmtpSettings.from_env({}) is None
    notifier = Notifier.from_env()
    assert not notifier.enabled
    assert notifier.notify(store.submit(make_draft(), new_key())) is None


def test_no_recipient_configured_skips(store, new_key, caplog) -> None:
    settings = SmtpSettings.from_env({"SMTP_HOST": "127.0.0.1"})
    stored = store.submit(make_draft(), new_key())
    assert Notifier(settings).notify(stored) is None
    assert "ENQUIRY_NOTIFY_TO" in caplog.text


def test_settings_from_env() -> None:
    settings = SmtpSettings.from_env(
        {
            "SMTP_HOST": "smtp.example.org",
            "SMTP_PORT": "587",
            "SMTP_USER": "bot@example.org",
            "SMTP_PASSWORD": "secret",
            "SMTP_STARTTLS": "true",
            "ENQUIRY_NOTIFY_TO_EAST_ASIA": "seoul@example.org",
        }
    )
    assert settings is not None
    assert (settings.port, settings.starttls, settings.sender) == (587, True, "bot@example.org")
    assert settings.recipients_for("east_asia") == ("seoul@example.org",)
    assert settings.recipients_for("japan") == ()
    assert "secret" not in repr(settings)
    assert SmtpSettings.from_env({"SMTP_HOST": "h", "SMTP_SSL": "1"}).port == 465


def test_message_is_utf8(store, new_key) -> None:
    settings = SmtpSettings(host="h", default_recipients=("staff@example.org",))
    message = build_message(store.submit(make_draft(), new_key()), settings)
    assert message.get_content_charset() == "utf-8"
    assert "加盟について" in message.get_content()
