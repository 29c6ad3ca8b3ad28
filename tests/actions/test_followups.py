"""Follow-ups, details asked of an office, places anywhere, regions, language requests."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.faq import ActionAnswerFaq
from actions.followup import ActionFollowup
from actions.language import ActionSwitchLanguage
from actions.offices import ActionListOffices, ActionOfficeContact
from tests.actions.conftest import make_tracker, place


def responses(dispatcher) -> list[str]:
    return [message["response"] for message in dispatcher.messages]


async def run(action, dispatcher, **tracker_args):
    return await action.run(dispatcher, make_tracker(**tracker_args), {})


async def test_the_phone_of_the_office_in_context_is_said_to_be_missing(dispatcher):
    await run(
        ActionFollowup(),
        dispatcher,
        text="and the phone?",
        intent="ask_followup",
        slots={"office": "canada", "topic": "office", "language": "en"},
    )
    assert responses(dispatcher)[0] == "utter_office_missing_phone"
    assert "utter_office_contact" in responses(dispatcher)  # what the page does give


async def test_the_fax_of_the_world_secretariat_is_given(dispatcher):
    await run(
        ActionFollowup(),
        dispatcher,
        text="FAXは？",
        intent="ask_followup",
        slots={"office": "world_secretariat", "topic": "office", "language": "ja"},
    )
    assert responses(dispatcher) == ["utter_office_attribute_fax"]
    assert dispatcher.messages[0]["fax"]


async def test_an_email_question_names_the_gap_and_the_card_facts(dispatcher):
    await run(
        ActionOfficeContact(),
        dispatcher,
        text="What's the email of the Korea office?",
        intent="ask_office_contact",
        entities=[place("Korea")],
    )
    assert responses(dispatcher) == ["utter_office_missing_email", "utter_office_contact"]


async def test_who_runs_an_office_is_not_on_the_page(dispatcher):
    await run(
        ActionOfficeContact(),
        dispatcher,
        text="Who runs the Japan office, and where is it?",
        intent="ask_office_contact",
        entities=[place("Japan")],
    )
    assert responses(dispatcher) == ["utter_office_not_listed", "utter_office_contact"]


async def test_another_office_of_the_same_kind(dispatcher):
    events = await run(
        ActionFollowup(),
        dispatcher,
        text="and the US one?",
        intent="ask_followup",
        entities=[place("US")],
        slots={"office": "canada", "topic": "office"},
    )
    assert SlotSet("office", "usa") in events


async def test_a_facet_of_the_last_fact(dispatcher):
    await run(
        ActionFollowup(),
        dispatcher,
        text="and where?",
        intent="ask_followup",
        slots={"topic": "ask_founding"},
    )
    assert responses(dispatcher) == ["utter_followup_founding_where"]


async def test_a_facet_the_page_does_not_give(dispatcher):
    await run(
        ActionFollowup(),
        dispatcher,
        text="who?",
        intent="ask_followup",
        slots={"topic": "ask_why_cities"},
    )
    assert responses(dispatcher) == ["utter_followup_not_listed"]


async def test_a_follow_up_with_nothing_before_asks_what_about(dispatcher):
    await run(ActionFollowup(), dispatcher, text="and when?", intent="ask_followup")
    assert responses(dispatcher) == ["utter_followup_no_context"]


@pytest.mark.parametrize(
    ("text", "topic", "response"),
    [
        # The fact named in the question, with or without a topic, and over another topic.
        ("名前が変わったのはいつ？", "ask_name", "utter_followup_renamed_when"),
        ("イクレイが名前を変えたのはいつですか", None, "utter_followup_renamed_when"),
        ("when was it renamed?", "office", "utter_followup_renamed_when"),
        ("創立何年になりますか", None, "utter_followup_founding_when"),
    ],
)
async def test_a_facet_of_the_fact_the_question_names(dispatcher, text, topic, response):
    await run(
        ActionFollowup(),
        dispatcher,
        text=text,
        intent="ask_followup",
        slots={"topic": topic, "office": "japan" if topic == "office" else None},
    )
    assert responses(dispatcher) == [response]


async def test_faq_answers_set_the_topic(dispatcher):
    events = await run(
        ActionAnswerFaq(), dispatcher, text="when was ICLEI founded", intent="ask_founding"
    )
    assert SlotSet("topic", "ask_founding") in events


async def test_a_city_without_an_office_is_routed_and_named(dispatcher):
    events = await run(
        ActionOfficeContact(),
        dispatcher,
        text="Is there an office in Kyoto?",
        intent="ask_office_contact",
        entities=[place("Kyoto")],
    )
    assert responses(dispatcher)[0] == "utter_office_no_office_in_place"
    assert dispatcher.messages[0]["place"] == "Kyoto"
    assert SlotSet("office", "japan") in events


async def test_a_city_found_in_the_text_without_an_entity(dispatcher):
    events = await run(
        ActionOfficeContact(),
        dispatcher,
        text="I'm from Accra, which office?",
        intent="ask_office_contact",
    )
    assert responses(dispatcher)[0] == "utter_office_no_office_in_place"
    assert SlotSet("office", "africa") in events


async def test_a_japanese_city_in_japanese(dispatcher):
    events = await run(
        ActionOfficeContact(),
        dispatcher,
        text="ハンブルクの担当はどこですか",
        intent="ask_office_contact",
        slots={"language": "ja"},
    )
    assert responses(dispatcher)[0] == "utter_office_no_office_in_place"
    assert SlotSet("office", "europe") in events


async def test_a_region_list_names_every_office_under_its_heading(dispatcher):
    await run(
        ActionListOffices(),
        dispatcher,
        text="What offices are in Southeast Asia?",
        intent="list_offices",
        entities=[place("Southeast Asia")],
    )
    assert responses(dispatcher) == ["utter_region_offices"]
    listing = dispatcher.messages[0]["office_list"]
    assert "Manila" in listing and "Jakarta" in listing


async def test_which_office_covers_a_region_gives_one(dispatcher):
    events = await run(
        ActionOfficeContact(),
        dispatcher,
        text="Which office covers Oceania?",
        intent="ask_office_contact",
        entities=[place("Oceania")],
    )
    assert SlotSet("office", "oceania") in events


async def test_a_hotel_question_naming_a_city_is_out_of_scope(dispatcher):
    events = await run(
        ActionOfficeContact(),
        dispatcher,
        text="Any good hotels near Freiburg station?",
        intent="ask_office_contact",
        entities=[place("Freiburg")],
    )
    assert responses(dispatcher) == ["utter_out_of_scope"] and events == []


async def test_a_language_request_switches_and_holds(dispatcher):
    events = await run(
        ActionSwitchLanguage(),
        dispatcher,
        text="Could you answer in Japanese, please?",
        intent="switch_language",
        slots={"language": "en"},
    )
    assert responses(dispatcher) == ["utter_language_switched"]
    assert SlotSet("language", "ja") in events and SlotSet("preferred_language", "ja") in events


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        ({"topic": "ask_mission"}, ["utter_language_switched", "utter_ask_mission"]),
        (
            {"topic": "office", "office": "canada"},
            ["utter_language_switched", "utter_office_contact"],
        ),
        ({}, ["utter_language_switched"]),  # nothing said yet: only the switch
    ],
)
async def test_that_in_another_language_repeats_the_last_answer(dispatcher, slots, expected):
    await run(
        ActionSwitchLanguage(),
        dispatcher,
        text="Could you give me that in English, please?",
        intent="switch_language",
        slots={"language": "en", **slots},
    )
    assert responses(dispatcher)[: len(expected)] == expected


async def test_a_language_request_naming_none_lists_the_options(dispatcher):
    events = await run(
        ActionSwitchLanguage(), dispatcher, text="another language?", intent="switch_language"
    )
    assert responses(dispatcher) == ["utter_language_options"] and events == []


async def test_a_detail_heard_as_the_head_office_stays_with_the_office_in_context(dispatcher):
    from actions.offices import ActionHeadquarters

    events = await run(
        ActionHeadquarters(),
        dispatcher,
        text="郵便の送り先は別ですか？",
        intent="ask_headquarters",
        slots={"office": "africa", "topic": "office", "language": "ja"},
    )
    assert dispatcher.messages[0]["postal_address"].startswith("PO Box 5319")
    assert SlotSet("office", "africa") in events


async def test_the_head_office_named_is_the_head_office(dispatcher):
    from actions.offices import ActionHeadquarters

    events = await run(
        ActionHeadquarters(),
        dispatcher,
        text="本部の電話番号は？",
        intent="ask_headquarters",
        slots={"office": "africa", "language": "ja"},
    )
    assert SlotSet("office", "world_secretariat") in events


async def test_who_leads_a_region_office_is_not_on_the_page(dispatcher):
    await run(
        ActionOfficeContact(),
        dispatcher,
        text="Who is the director of the Europe secretariat?",
        intent="ask_office_contact",
        entities=[place("Europe")],
    )
    assert responses(dispatcher)[0] == "utter_office_not_listed"
    assert "utter_office_contact" in responses(dispatcher)


async def test_a_message_in_another_language_gets_the_languages_in_both(dispatcher):
    await run(
        ActionSwitchLanguage(),
        dispatcher,
        text="¿Y la oficina de Manila tiene teléfono?",
        intent="switch_language",
    )
    assert responses(dispatcher) == ["utter_other_language"]


async def test_office_hours_with_no_office_discussed_are_not_on_the_page(dispatcher):
    await run(
        ActionFollowup(), dispatcher, text="事務所の受付時間は？", intent="ask_followup",
        slots={"language": "ja"},
    )  # fmt: skip
    assert responses(dispatcher) == ["utter_ask_other_iclei_topic"]


@pytest.mark.parametrize("text", ["最寄り駅はどこですか？", "What's the nearest station?"])
async def test_the_way_to_the_office_discussed_is_not_on_the_page_its_card_is(dispatcher, text):
    await run(
        ActionFollowup(), dispatcher, text=text, intent="ask_followup",
        slots={"office": "japan", "topic": "office", "language": "ja"},
    )  # fmt: skip
    assert responses(dispatcher)[0] == "utter_office_not_listed"
    assert "utter_office_contact" in responses(dispatcher)
