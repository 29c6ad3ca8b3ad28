"""Email the responsible office about a new enquiry (SMTP), in the background.

Configured from the environment; disabled when SMTP_HOST is unset. The page lists no office
email addresses, so recipients come from ENQUIRY_NOTIFY_TO_<OFFICE_ID> (e.g.
ENQUIRY_NOTIFY_TO_EAST_ASIA) or else ENQUIRY_NOTIFY_TO; both take comma-separated addresses.

The same recipients get an alert when the database refuses an enquiry for good (it is kept in
the spool's rejected.jsonl instead, bot/enquiries/spool.py): the enquiry as the visitor gave
it, so staff can answer it, and where it is kept. Logs name only the enquiry's key.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from socket import gethostname
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from bot.enquiries.model import StoredEnquiry
from bot.knowledge import Knowledge, get_knowledge

if TYPE_CHECKING:
    from bot.enquiries.model import EnquiryDraft

logger = logging.getLogger(__name__)

DEFAULT_SENDER = "iclei-assistant@localhost"
DEFAULT_TIMEOUT = 10.0  # seconds for connect and each SMTP command
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send notifications."""

    host: str
    port: int = 25
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str = DEFAULT_SENDER
    starttls: bool = False
    use_ssl: bool = False
    timeout: float = DEFAULT_TIMEOUT
    default_recipients: tuple[str, ...] = ()
    office_recipients: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
        """Read SMTP_* and ENQUIRY_NOTIFY_TO*; None when SMTP_HOST is unset."""
        env = os.environ if environ is None else environ
        host = env.get("SMTP_HOST", "").strip()
        if not host:
            return None
        use_ssl = env.get("SMTP_SSL", "").strip().lower() in _TRUE
        prefix = "ENQUIRY_NOTIFY_TO_"
        offices = {
            key[len(prefix) :].lower(): _addresses(value)
            for key, value in env.items()
            if key.startswith(prefix) and _addresses(value)
        }
        return cls(
            host=host,
            port=int(env.get("SMTP_PORT") or (465 if use_ssl else 25)),
            user=env.get("SMTP_USER") or None,
            password=env.get("SMTP_PASSWORD") or None,
            sender=env.get("SMTP_FROM") or env.get("SMTP_USER") or DEFAULT_SENDER,
            starttls=env.get("SMTP_STARTTLS", "").strip().lower() in _TRUE,
            use_ssl=use_ssl,
            timeout=float(env.get("SMTP_TIMEOUT") or DEFAULT_TIMEOUT),
            default_recipients=_addresses(env.get("ENQUIRY_NOTIFY_TO", "")),
            office_recipients=offices,
        )

    def recipients_for(self, office_id: str) -> tuple[str, ...]:
        """Return the addresses for an office: its own if configured, else the default."""
        return self.office_recipients.get(office_id.lower()) or self.default_recipients


def _addresses(value: str) -> tuple[str, ...]:
    """Split a comma-separated address list."""
    return tuple(part.strip() for part in value.split(",") if part.strip())


def build_message(
    enquiry: StoredEnquiry, settings: SmtpSettings, knowledge: Knowledge | None = None
) -> EmailMessage:
    """Return the notification email for staff (English labels, values as the user gave them)."""
    knowledge = knowledge or get_knowledge()
    office = knowledge.office(enquiry.office_id)
    country = knowledge.countries.get(enquiry.country_code)
    country_name = f"{country.name.en} / {country.name.ja}" if country else enquiry.country_code
    lines = [
        f"A membership enquiry for {office.name.en} was received through the chat assistant.",
        "",
        f"Reference:     {enquiry.reference}",
        f"Received:      {enquiry.created_at:%Y-%m-%d %H:%M} UTC",
        f"Organisation:  {enquiry.organisation}",
        f"Country:       {country_name} ({enquiry.country_code})",
        f"Contact:       {enquiry.contact_name}",
        f"Email:         {enquiry.email}",
        f"Role:          {enquiry.role or '-'}",
        f"Population:    {enquiry.population if enquiry.population is not None else '-'}",
        f"Language:      {'Japanese' if enquiry.language == 'ja' else 'English'}",
        f"Consent given: {enquiry.consent_given_at:%Y-%m-%d %H:%M} UTC",
        "",
        "Message:",
        enquiry.message or "-",
        "",
        "Staff can list and export enquiries with `python -m bot enquiries list|export`.",
    ]
    message = EmailMessage()
    message["Subject"] = f"[ICLEI enquiry] {enquiry.reference}: {enquiry.organisation}"
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients_for(enquiry.office_id))
    # Staff answer the enquirer directly.
    message["Reply-To"] = enquiry.email
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=enquiry.reference)
    message.set_content("\n".join(lines), charset="utf-8")
    return message


def build_rejection_alert(
    draft: EnquiryDraft,
    idempotency_key: str,
    office_id: str,
    reason: str,
    settings: SmtpSettings,
    knowledge: Knowledge | None = None,
) -> EmailMessage:
    """The alert for an enquiry the database refused for good: what the visitor sent, why it
    was not stored (the error type) and where it is kept."""
    knowledge = knowledge or get_knowledge()
    office = next((each for each in knowledge.offices if each.id == office_id), None)
    country = knowledge.countries.get(draft.country_code.upper())
    country_name = f"{country.name.en} / {country.name.ja}" if country else draft.country_code
    lines = [
        "A membership enquiry came through the chat assistant but the enquiry database refused",
        f"to store it ({reason}), so it has no reference number. The visitor was told it was",
        "received. Please answer it from this email; it is also kept, with every field, in",
        f"rejected.jsonl of the enquiry spool on {gethostname()} (key {idempotency_key}).",
        "It will not be retried: a developer should look at why the database refused it.",
        "",
        f"Office:        {office.name.en if office else office_id or '-'}",
        f"Organisation:  {draft.organisation}",
        f"Country:       {country_name} ({draft.country_code})",
        f"Contact:       {draft.contact_name}",
        f"Email:         {draft.email}",
        f"Role:          {draft.role or '-'}",
        f"Population:    {draft.population if draft.population is not None else '-'}",
        f"Language:      {'Japanese' if draft.language == 'ja' else 'English'}",
        f"Consent given: {draft.consent_given_at:%Y-%m-%d %H:%M} UTC",
        "",
        "Message:",
        draft.message or "-",
    ]
    message = EmailMessage()
    message["Subject"] = f"[ICLEI enquiry] NOT STORED, please handle by hand: {draft.organisation}"
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients_for(office_id))
    message["Reply-To"] = draft.email
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring="rejected")
    message.set_content("\n".join(lines), charset="utf-8")
    return message


def send(message: EmailMessage, settings: SmtpSettings) -> None:
    """Send one message synchronously (raises on failure)."""
    if settings.use_ssl:
        context = ssl.create_default_context()
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        if settings.starttls and not settings.use_ssl:
            client.starttls(context=ssl.create_default_context())
        if settings.user and settings.password:
            client.login(settings.user, settings.password)
        client.send_message(message)


def _in_background(target: Callable[..., object], args: tuple, name: str) -> threading.Thread:
    """Run `target(*args)` in a daemon thread, so a slow mail server never holds a turn."""
    thread = threading.Thread(target=target, args=args, name=name, daemon=True)
    thread.start()
    return thread


class Notifier:
    """Notifies offices of new enquiries by email in daemon threads; a no-op when disabled."""

    def __init__(
        self,
        settings: SmtpSettings | None,
        *,
        on_sent: Callable[[str], None] | None = None,
        knowledge: Knowledge | None = None,
    ) -> None:
        """`on_sent(reference)` runs in the sending thread after a successful send."""
        self.settings = settings
        self.on_sent = on_sent
        self._knowledge = knowledge

    @classmethod
    def from_env(cls, *, on_sent: Callable[[str], None] | None = None) -> Notifier:
        """Build from SMTP_* / ENQUIRY_NOTIFY_TO* (disabled when SMTP_HOST is unset)."""
        return cls(SmtpSettings.from_env(), on_sent=on_sent)

    @property
    def enabled(self) -> bool:
        """Return whether notifications are configured."""
        return self.settings is not None

    def notify(self, enquiry: StoredEnquiry) -> threading.Thread | None:
        """Start sending the notification in the background; never blocks, never raises."""
        if self.settings is None:
            return None
        if not self.settings.recipients_for(enquiry.office_id):
            logger.warning(
                "no notification address for office %s (set ENQUIRY_NOTIFY_TO): %s not sent",
                enquiry.office_id,
                enquiry.reference,
            )
            return None
        return _in_background(self.deliver, (enquiry,), f"notify-{enquiry.reference}")

    def alert_rejected(
        self, draft: EnquiryDraft, idempotency_key: str, office_id: str, reason: str
    ) -> threading.Thread | None:
        """Alert staff in the background that the database refused an enquiry for good (it is
        in rejected.jsonl); never blocks, never raises. Without SMTP, the spool's ERROR log
        line and `Spool.rejected_count()` are all staff get."""
        if self.settings is None or not self.settings.recipients_for(office_id):
            return None
        return _in_background(
            self._deliver_alert,
            (draft, idempotency_key, office_id, reason),
            f"alert-rejected-{idempotency_key[:16]}",
        )

    def _deliver_alert(
        self, draft: EnquiryDraft, idempotency_key: str, office_id: str, reason: str
    ) -> bool:
        """Send the rejection alert now; log failures without personal data."""
        assert self.settings is not None
        try:
            message = build_rejection_alert(
                draft, idempotency_key, office_id, reason, self.settings, self._knowledge
            )
            send(message, self.settings)
        except (OSError, smtplib.SMTPException) as error:
            logger.error(
                "alert for rejected enquiry %s failed: %s",
                idempotency_key[:16],
                type(error).__name__,
            )
            return False
        logger.info("alert for rejected enquiry %s sent", idempotency_key[:16])
        return True

    def deliver(self, enquiry: StoredEnquiry) -> bool:
        """Send now (in the caller's thread); log failures without personal data."""
        if self.settings is None:
            return False
        try:
            send(build_message(enquiry, self.settings, self._knowledge), self.settings)
        except (OSError, smtplib.SMTPException) as error:
            # The exception text may quote the recipient or the server's reply: name its type.
            logger.warning(
                "notification for %s to office %s failed: %s",
                enquiry.reference,
                enquiry.office_id,
                type(error).__name__,
            )
            return False
        logger.info("notification for %s sent to office %s", enquiry.reference, enquiry.office_id)
        if self.on_sent is not None:
            try:
                self.on_sent(enquiry.reference)
            except (SQLAlchemyError, OSError) as error:
                logger.warning(
                    "could not record notification of %s: %s",
                    enquiry.reference,
                    type(error).__name__,
                )
        return True
