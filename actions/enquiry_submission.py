"""Submitting and cancelling the membership enquiry."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import country_named, language_of, latest_text, send
from bot.answers import Reply
from bot.answers.enquiry import FORM_SLOTS, data_use, reply_promise
from bot.answers.facts import fact_values, faq_reply
from bot.answers.interruptions import looks_like_question
from bot.answers.offices import office_card
from bot.dialogue.asked import (
    asks_about_personal_data,
    asks_for_a_figures_source,
    asks_for_the_reference,
    asks_who_can_join,
    fact_named,
    is_done,
)
from bot.enquiries import EnquiryDraft, SubmissionFailed, submit_enquiry, validation
from bot.enquiries.model import storable_sender_id
from bot.knowledge import Office, get_knowledge

logger = logging.getLogger(__name__)


def reset_form_slots() -> list[EventType]:
    """Forget every answer: nothing personal stays in the conversation's slots."""
    return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("enquiry_failures", 0)]


def form_started_at(tracker: Tracker) -> float:
    """When this run of the form started: with the sender, the key that makes a retry safe."""
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == "enquiry_form":
            return float(event.get("timestamp") or 0)
    return 0.0


def idempotency_key(tracker: Tracker) -> str:
    """One key per filled form: a retry stores it once. Hashed to a fixed 64 characters, so
    a long sender id can never overflow the key's column (the sender id column is guarded by
    `storable_sender_id`)."""
    raw = f"{tracker.sender_id}:{form_started_at(tracker)}"
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def consent_time(tracker: Tracker) -> datetime | None:
    """When the visitor gave consent: the latest time the consent slot became true."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "slot" and event.get("name") == "enquiry_consent":
            if event.get("value") is not True:
                return None
            stamp = event.get("timestamp")
            return datetime.fromtimestamp(float(stamp), tz=timezone.utc) if stamp else None
    return None


def draft_from(tracker: Tracker) -> EnquiryDraft | None:
    """The answers as an enquiry draft, every field validated again (the slots may not have
    come through the form), or None when one is invalid or consent was never given."""
    consented = consent_time(tracker)
    required = {
        "organisation": validation.validate_organisation(tracker.get_slot("enquiry_organisation")),
        "country": validation.validate_country(tracker.get_slot("enquiry_country")),
        "name": validation.validate_name(tracker.get_slot("enquiry_name")),
        "email": validation.validate_email(tracker.get_slot("enquiry_email")),
    }
    optional = {
        "role": validation.validate_role,
        "population": validation.validate_population,
        "message": validation.validate_message,
    }
    checked_optional = {}
    for field, validate in optional.items():
        value = tracker.get_slot(f"enquiry_{field}")
        checked_optional[field] = validate(value) if value not in (None, "") else None
    if consented is None or not all(checked.ok for checked in required.values()):
        return None
    if any(checked is not None and not checked.ok for checked in checked_optional.values()):
        return None

    def optional_value(field: str) -> object:
        checked = checked_optional[field]
        return checked.value if checked is not None else None

    population = optional_value("population")
    return EnquiryDraft(
        organisation=str(required["organisation"].value),
        country_code=str(required["country"].value),
        contact_name=str(required["name"].value),
        email=str(required["email"].value),
        role=optional_value("role") or None,  # type: ignore[arg-type]
        population=int(population) if population else None,  # type: ignore[call-overload]
        message=optional_value("message") or None,  # type: ignore[arg-type]
        language=language_of(tracker),  # type: ignore[arg-type]
        # The client chose the sender id: bounded, NUL- and surrogate-free, so it is stored.
        sender_id=storable_sender_id(tracker.sender_id),
        consent_given_at=consented,
    )


def without_consent(tracker: Tracker) -> list[Reply]:
    """Nothing stored: where to turn instead (the office of a country the visitor named, or
    "tell me your country"), and goodbye when they said it ("Thanks for the help, bye!")."""
    knowledge, lang = get_knowledge(), language_of(tracker)
    code = country_named(tracker)
    if code is None:
        replies = [Reply("utter_enquiry_no_consent")]
    else:
        office = knowledge.office_for_country(code)
        values = {
            "office_name": office.name.get(lang),
            "country": knowledge.country(code).name.get(lang),
        }
        replies = [
            Reply("utter_enquiry_no_consent_your_office", values),
            *office_card(office, lang),
        ]
    if is_done(latest_text(tracker)):
        replies.append(Reply("utter_goodbye"))
    return replies


def question_beside_the_no(tracker: Tracker) -> list[Reply]:
    """The answer to a question asked beside the no ("Not now, thank you. One last thing —
    when was the name changed?", "No, I just want to know whether NGOs are eligible"), for
    the questions whose words name them; nothing for any other."""
    text, lang = latest_text(tracker), language_of(tracker)
    if not looks_like_question(text) and not asks_who_can_join(text):
        return []
    if asks_about_personal_data(text):
        return data_use(lang)
    knowledge = get_knowledge()
    if asks_who_can_join(text):
        membership = faq_reply(knowledge, "ask_membership", lang)
        who = Reply("utter_who_can_join_not_on_page", fact_values(knowledge, lang))
        return [who, membership] if membership is not None else [who]
    if asks_for_a_figures_source(text):
        return [Reply("utter_figures_source_not_on_page", fact_values(knowledge, lang))]
    named = fact_named(text)
    reply = faq_reply(knowledge, named, lang) if named else None
    return [reply] if reply is not None else []


class ActionSubmitEnquiry(Action):
    """Stores the confirmed enquiry and tells the user the reference number (or the truth)."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_submit_enquiry"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """No consent: store nothing. Otherwise commit, then answer with the reference."""
        if tracker.get_slot("enquiry_consent") is not True:
            send(dispatcher, without_consent(tracker) + question_beside_the_no(tracker))
            return reset_form_slots() + _outcome(NOT_KEPT)
        if tracker.get_slot("enquiry_confirmed") is not True:
            dispatcher.utter_message(response="utter_enquiry_cancelled")
            return reset_form_slots() + _outcome(NOT_KEPT)
        draft = draft_from(tracker)
        if draft is None:
            # Only a call that did not come through the form gets here: store nothing.
            logger.warning("enquiry refused: a field or the consent did not validate")
            dispatcher.utter_message(response="utter_enquiry_cancelled")
            return reset_form_slots()
        key = idempotency_key(tracker)
        try:
            result = await asyncio.to_thread(submit_enquiry, draft, key)
        except SubmissionFailed:
            # Keep the answers and show the summary again, so the user can retry.
            logger.error("enquiry could not be stored or spooled")
            dispatcher.utter_message(response="utter_enquiry_failed")
            return [SlotSet("enquiry_confirmed", None), FollowupAction("enquiry_form")]
        lang = language_of(tracker)
        office_name = get_knowledge().office(result.office_id).name.get(lang)
        # No promise of a reply unless the deployer makes one (ENQUIRY_REPLY_PROMISE).
        promise = reply_promise(lang)
        if result.status == "stored":
            dispatcher.utter_message(
                response="utter_enquiry_stored",
                reference=result.reference,
                office_name=office_name,
                reply_promise=promise,
            )
        else:
            # "spooled": stored automatically once the database is back. "kept": the database
            # refused this enquiry's data for good; it is kept in the spool's rejected.jsonl
            # and staff were alerted (by email with the whole enquiry when SMTP is set), so
            # "received, no reference yet, staff will read it" is true, and sending the same
            # answers again would only fail again.
            response_name = (
                "utter_enquiry_kept" if result.status == "kept" else "utter_enquiry_spooled"
            )
            dispatcher.utter_message(
                response=response_name, office_name=office_name, reply_promise=promise
            )
        reference = [SlotSet(REFERENCE_SLOT, result.reference)] if result.reference else []
        return reset_form_slots() + _outcome(SENT, result.office_id) + reference


class ActionCancelEnquiry(Action):
    """Cancels the enquiry at the user's request; nothing is stored."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_cancel_enquiry"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Say so and forget the answers."""
        dispatcher.utter_message(response="utter_enquiry_cancelled")
        return reset_form_slots() + _outcome(NOT_KEPT)


# How the last enquiry of the conversation ended (no personal data: for "can you still change
# it?" afterwards), and the office a sent one went to.
OUTCOME_SLOT = "enquiry_outcome"
REFERENCE_SLOT = "enquiry_reference"
SENT, NOT_KEPT = "sent", "not_kept"


def sent_to(tracker: Tracker) -> Office | None:
    """The office the conversation's last enquiry was sent to, if known."""
    office_id = tracker.get_slot("enquiry_office")
    return next((o for o in get_knowledge().offices if o.id == office_id), None)


def _outcome(outcome: str, office_id: str | None = None) -> list[EventType]:
    return [
        SlotSet(OUTCOME_SLOT, outcome),
        SlotSet("enquiry_office", office_id),
        SlotSet(REFERENCE_SLOT, None),
    ]


class ActionEnquiryAfterForm(Action):
    """A change asked for when no form is open: a sent enquiry is changed by its office
    (its card), a cancelled one cannot be brought back; either way it can be sent again."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return "action_enquiry_after_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Say what can be done with the last enquiry (the rule then offers a new one)."""
        outcome = tracker.get_slot(OUTCOME_SLOT)
        reference = tracker.get_slot(REFERENCE_SLOT)
        if reference and asks_for_the_reference(latest_text(tracker)):
            # "what was my reference number again?": the number, and no offer of a new one.
            dispatcher.utter_message(response="utter_enquiry_reference", reference=reference)
            return [FollowupAction("action_listen")]
        if outcome is None:
            # An enquiry from an earlier conversation ("I sent one last week, ref ICLEI-…"):
            # nothing here to look up; its office, when the visitor's country is known.
            dispatcher.utter_message(response="utter_enquiry_earlier_not_here")
            named = country_named(tracker)
            if named is not None:
                knowledge = get_knowledge()
                send(
                    dispatcher,
                    office_card(knowledge.office_for_country(named), language_of(tracker)),
                )
            return []
        if outcome == SENT:
            lang = language_of(tracker)
            office = sent_to(tracker)
            if office is None:
                dispatcher.utter_message(response="utter_enquiry_sent_already")
            else:
                values = {"office_name": office.name.get(lang)}
                send(dispatcher, [Reply("utter_enquiry_sent_to_office", values)])
                send(dispatcher, office_card(office, lang))
        else:
            dispatcher.utter_message(response="utter_enquiry_not_kept")
        return []
