"""Personal data leaves the conversation's slots: once an enquiry is stored (or spooled, or
cancelled), and when a new session starts after a form was abandoned half-way."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.enquiry_submission import ActionCancelEnquiry, ActionSubmitEnquiry
from actions.session import ActionSessionStart
from bot.enquiries import EnquiryStore
from tests.actions.conftest import make_tracker

DOMAIN_FILE = Path(__file__).resolve().parents[2] / "domain.yml"
# Failed answers counted, how the last enquiry ended and the office it went to: nothing the
# visitor wrote.
NOT_PERSONAL = {"enquiry_failures", "enquiry_outcome", "enquiry_office", "enquiry_reference"}

NAME = "山田 太郎"
EMAIL = "taro@city.yokohama.lg.jp"
FILLED = {
    "enquiry_consent": True,
    "enquiry_organisation": "横浜市",
    "enquiry_country": "JP",
    "enquiry_name": NAME,
    "enquiry_email": EMAIL,
    "enquiry_role": "環境政策課 課長",
    "enquiry_population": "3770000",
    "enquiry_message": "加盟について相談したいです",
    "enquiry_confirmed": True,
    "language": "ja",
}
CONSENTED = [{"event": "slot", "name": "enquiry_consent", "value": True, "timestamp": 1.0e9}]


def personal_slots() -> list[str]:
    """Every enquiry slot of the domain that can hold what the visitor wrote."""
    slots = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["slots"]
    return sorted(
        name for name in slots if name.startswith("enquiry_") and name not in NOT_PERSONAL
    )


def final_values(events: list[dict]) -> dict:
    """Each slot's value after the events, for the slots they set."""
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


@pytest.fixture
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'enquiries.db'}")
    monkeypatch.setenv("ENQUIRY_SPOOL_DIR", str(tmp_path / "spool"))
    import bot.enquiries.service as service

    monkeypatch.setattr(service, "_default_store", None)
    monkeypatch.setattr(service, "_default_notifier", None)
    return tmp_path


def test_the_domain_has_the_personal_slots_this_test_expects():
    assert {"enquiry_name", "enquiry_email", "enquiry_message"} <= set(personal_slots())


async def test_a_stored_enquiry_leaves_no_personal_slot(dispatcher, database):
    events = await ActionSubmitEnquiry().run(
        dispatcher, make_tracker(slots=FILLED, events=CONSENTED), {}
    )
    assert dispatcher.messages[0]["response"] == "utter_enquiry_stored"
    (stored,) = EnquiryStore(f"sqlite:///{database / 'enquiries.db'}").list()
    assert stored.email == EMAIL  # it was stored, then forgotten by the conversation
    values = final_values(events)
    assert {slot: values.get(slot, "not reset") for slot in personal_slots()} == dict.fromkeys(
        personal_slots()
    )


async def test_a_spooled_enquiry_leaves_no_personal_slot(dispatcher, database, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")
    events = await ActionSubmitEnquiry().run(
        dispatcher, make_tracker(slots=FILLED, events=CONSENTED), {}
    )
    assert dispatcher.messages[0]["response"] == "utter_enquiry_spooled"
    values = final_values(events)
    assert all(values.get(slot, "not reset") is None for slot in personal_slots())


async def test_a_cancelled_enquiry_leaves_no_personal_slot(dispatcher):
    events = await ActionCancelEnquiry().run(dispatcher, make_tracker(slots=FILLED), {})
    values = final_values(events)
    assert all(values.get(slot, "not reset") is None for slot in personal_slots())


async def test_a_new_session_after_an_abandoned_form_holds_no_personal_data(dispatcher):
    domain = Domain.load(str(DOMAIN_FILE))
    # Half-way through the form: name and email given, the country asked, then silence.
    tracker = DialogueStateTracker.from_events(
        "webchat:taro",
        [
            UserUttered("加盟したい", {"name": "start_enquiry", "confidence": 1.0}),
            ActiveLoop("enquiry_form"),
            *(SlotSet(name, value) for name, value in FILLED.items() if name != "enquiry_country"),
            SlotSet("requested_slot", "enquiry_country"),
            SlotSet("office", "japan"),
        ],
        slots=domain.slots,
    )
    sdk_tracker = make_tracker(slots=tracker.current_slot_values())

    returned = await ActionSessionStart().run(dispatcher, sdk_tracker, {})
    tracker.update_with_events([Event.from_parameters(event) for event in returned], domain)

    slots = tracker.current_slot_values()
    assert NAME not in str(slots) and EMAIL not in str(slots)
    assert all(slots[name] is None for name in personal_slots())
    assert slots["requested_slot"] is None
    assert tracker.active_loop_name is None
    assert (slots["language"], slots["office"]) == ("ja", "japan")  # what may carry over does
