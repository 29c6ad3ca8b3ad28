"""The FAQ action and session start."""

from __future__ import annotations

import pytest
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet

from actions.faq import ActionAnswerFaq
from actions.session import ActionSessionStart, preferred_language
from bot.answers.facts import FAQ_INTENTS
from tests.actions.conftest import make_tracker


@pytest.mark.parametrize("intent", FAQ_INTENTS)
@pytest.mark.parametrize("lang", ["en", "ja"])
async def test_every_faq_intent_is_answered_with_its_response(dispatcher, intent, lang):
    tracker = make_tracker(text="?", intent=intent, slots={"language": lang})
    assert await ActionAnswerFaq().run(dispatcher, tracker, {}) == [SlotSet("topic", intent)]
    message = dispatcher.messages[0]
    assert message["response"] == f"utter_{intent}"


async def test_faq_values_are_in_the_language_of_the_slot(dispatcher):
    tracker = make_tracker(text="設立は？", intent="ask_founding", slots={"language": "ja"})
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["founding_date"] == "1990年9月5日"


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("名前が変わったのはいつ？", "utter_followup_renamed_when"),
        ("When did ICLEI change its name?", "utter_followup_renamed_when"),
        ("What does ICLEI stand for?", "utter_ask_name"),
    ],
)
async def test_when_the_name_changed_gets_the_date_not_the_whole_story(dispatcher, text, response):
    tracker = make_tracker(text=text, intent="ask_name")
    assert await ActionAnswerFaq().run(dispatcher, tracker, {}) == [SlotSet("topic", "ask_name")]
    assert [m["response"] for m in dispatcher.messages] == [response]


async def test_non_faq_intent_falls_back(dispatcher):
    await ActionAnswerFaq().run(dispatcher, make_tracker(text="hi", intent="greet"), {})
    assert dispatcher.messages[0]["response"] == "utter_default"


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"language": "ja"}, "ja"),
        ({"language": "ja-JP"}, "ja"),
        ({"language": "en_US"}, "en"),
        ({"language": "fr"}, None),
        ({"language": 3}, None),
        ({}, None),
        (None, None),
        ("ja", None),
    ],
)
def test_preferred_language(metadata, expected):
    assert preferred_language(metadata) == expected


async def test_session_start_takes_metadata_language(dispatcher):
    tracker = make_tracker(slots={"session_started_metadata": {"language": "ja"}})
    events = await ActionSessionStart().run(dispatcher, tracker, {})
    assert events[0] == SessionStarted()
    assert SlotSet("language", "ja") in events
    assert events[-1] == ActionExecuted("action_listen")


async def test_session_start_keeps_an_earlier_language(dispatcher):
    tracker = make_tracker(slots={"language": "en", "session_started_metadata": {"language": "ja"}})
    events = await ActionSessionStart().run(dispatcher, tracker, {})
    assert SlotSet("language", "en") in events
    assert SlotSet("language", "ja") not in events


async def test_a_new_session_does_not_inherit_an_abandoned_enquiry(dispatcher):
    tracker = make_tracker(
        slots={
            "language": "ja",
            "office": "japan",
            "enquiry_name": "山田 太郎",
            "enquiry_email": "taro@example.org",
            "enquiry_consent": True,
            "requested_slot": "enquiry_country",
        }
    )
    events = await ActionSessionStart().run(dispatcher, tracker, {})
    carried = {e["name"] for e in events if e.get("event") == "slot"}
    assert carried == {"language", "office"}


async def test_what_the_page_lacks_after_an_office_points_to_that_office(dispatcher):
    from actions.faq import ActionAnswerFaq

    slots = {"topic": "office", "office": "japan", "language": "ja"}
    tracker = make_tracker(text="所長はどなたですか", intent="ask_other_iclei_topic", slots=slots)
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_office_not_listed"
    assert dispatcher.messages[0]["office_name"] == "日本事務所"
    # About ICLEI as a whole (its leader, its fees, its congresses), the general answer.
    for text in ["ICLEIの会長は？", "会費はいくらかかりますか", "今年の世界会議はいつどこで？"]:
        general = make_tracker(text=text, intent="ask_other_iclei_topic", slots=slots)
        await ActionAnswerFaq().run(dispatcher, general, {})
        assert dispatcher.messages[-1]["response"] == "utter_ask_other_iclei_topic"


async def test_what_the_page_lacks_points_to_the_office_of_a_country_already_named(dispatcher):
    from actions.faq import ActionAnswerFaq

    events = [
        {"event": "user", "text": "We're in the United States.", "parse_data": {}},
        {"event": "user", "text": "how much is the annual fee?", "parse_data": {}},
    ]
    tracker = make_tracker(
        text="how much is the annual fee?", intent="ask_other_iclei_topic", events=events
    )
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_not_on_page_ask_your_office"
    assert dispatcher.messages[0]["office_name"] == "USA Office"
    assert dispatcher.messages[0]["country"] == "United States"
    assert dispatcher.messages[1]["response"] == "utter_office_contact"
    # No country named: the general answer, which asks for it.
    alone = make_tracker(text="who leads ICLEI?", intent="ask_other_iclei_topic")
    await ActionAnswerFaq().run(dispatcher, alone, {})
    assert dispatcher.messages[-1]["response"] == "utter_ask_other_iclei_topic"


@pytest.mark.parametrize(
    ("text", "language", "country"),
    [
        ("Our town of 40,000 in Chile might want to join. How?", "en", "Chile"),
        ("カナダの市ですが、加盟するにはどうすればいいですか", "ja", "カナダ"),
    ],
)
async def test_membership_answer_names_the_office_of_a_country_already_given(
    dispatcher, text, language, country
):
    from actions.faq import ActionAnswerFaq
    from bot.knowledge import get_knowledge

    events = [{"event": "user", "text": text, "parse_data": {}}]
    slots = {"language": language}
    tracker = make_tracker(text=text, intent="ask_membership", slots=slots, events=events)
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    first = dispatcher.messages[0]
    assert first["response"] == "utter_ask_membership_your_office"
    assert first["country"] == country
    assert first["membership_form"] and first["website"]
    knowledge = get_knowledge()
    code = next(
        c for c in knowledge.countries if knowledge.country(c).name.get(language) == country
    )
    assert first["office_name"] == knowledge.office_for_country(code).name.get(language)
    assert dispatcher.messages[1]["response"] == "utter_office_contact"
    # No country given: the general answer, which asks for it.
    alone = make_tracker(text="how can we join?", intent="ask_membership")
    await ActionAnswerFaq().run(dispatcher, alone, {})
    assert dispatcher.messages[-1]["response"] == "utter_ask_membership"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("What is ICLEI's strategy for the next five years?", "en"),
        ("What are ICLEI's priorities for 2030?", "en"),
        ("イクレイの次の戦略計画は？", "ja"),
        ("ソウルプランの後の戦略は何ですか？2021年で終わっていますよね。", "ja"),
        ("今はどの戦略が使われていますか？", "ja"),
    ],
)
async def test_a_later_strategy_is_said_not_to_be_on_the_page(dispatcher, text, language):
    from bot.knowledge import get_knowledge

    slots = {"language": language}
    await ActionAnswerFaq().run(dispatcher, make_tracker(text, "ask_mission", slots=slots), {})
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_later_strategy_not_on_page"
    assert reply["mission_source"] == get_knowledge().fact("mission_source").get(language)
    # The mission itself still gets the mission.
    await ActionAnswerFaq().run(
        dispatcher, make_tracker("What is ICLEI's mission?", "ask_mission", slots=slots), {}
    )
    assert dispatcher.messages[-1]["response"] == "utter_ask_mission"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("is CCP still running today tho?", "ask_first_programmes"),
        ("CCPは今も続いていますか？", "ask_first_programmes"),
    ],
)
async def test_whether_history_goes_on_today_is_not_on_the_page(dispatcher, text, intent):
    await ActionAnswerFaq().run(dispatcher, make_tracker(text, intent), {})
    assert dispatcher.messages[0]["response"] == "utter_ask_other_iclei_topic"
    await ActionAnswerFaq().run(
        dispatcher, make_tracker("what was the first programme?", intent), {}
    )
    assert dispatcher.messages[-1]["response"] == "utter_ask_first_programmes"


async def test_a_city_in_the_question_outweighs_a_country_named_before(dispatcher):
    events = [
        {"event": "user", "text": "Is there an office in Nigeria?", "parse_data": {}},
        {"event": "user", "text": "and is Tokyo a member?", "parse_data": {}},
    ]
    tracker = make_tracker("and is Tokyo a member?", "ask_other_iclei_topic", events=events)
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_member_list_not_on_page_your_office"
    assert dispatcher.messages[0]["country"] == "Japan"


async def test_a_place_named_in_a_question_the_page_cannot_answer_is_the_office_asked(dispatcher):
    text = (
        "Sorry, I got that wrong — the client is actually in Jakarta, not Singapore. "
        "Does that change anything?"
    )
    slots = {"topic": "office", "office": "southeast_asia"}
    await ActionAnswerFaq().run(
        dispatcher, make_tracker(text, "ask_other_iclei_topic", slots=slots), {}
    )
    assert dispatcher.messages[0]["response"] == "utter_office_not_listed"
    cards = [m for m in dispatcher.messages if m["response"].startswith("utter_office_contact")]
    assert "Jakarta" in cards[0]["address"]


def test_a_message_answered_in_turns_counts_once_and_whole():
    from actions.conversation import recent_user_texts

    whole = "私、長野県松本市役所の鈴木です。加盟について問い合わせたいです。"
    events = [
        {"event": "user", "text": "What is ICLEI?", "parse_data": {}},
        {
            "event": "user",
            "text": "私、長野県松本市役所の鈴木です。",
            "parse_data": {"message_text": whole},
        },
        {
            "event": "user",
            "text": "加盟について問い合わせたいです。",
            "parse_data": {"message_text": whole},
        },
        {"event": "user", "text": "同意します", "parse_data": {}},
    ]
    tracker = make_tracker("同意します", "affirm", events=events)
    assert recent_user_texts(tracker, 3) == ["同意します", whole, "What is ICLEI?"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Why should a small town bother joining a network like this?", "en"),
     ("加盟するメリットって何ですか？", "ja")],
)  # fmt: skip
async def test_why_join_says_what_the_page_lacks_then_how_to_join(dispatcher, text, lang):
    tracker = make_tracker(text=text, intent="ask_membership", slots={"language": lang})
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_why_join_not_on_page",
        "utter_ask_membership",
    ]
    assert dispatcher.messages[0]["members"] and dispatcher.messages[0]["belief"]


async def test_how_to_join_gets_no_why_line(dispatcher):
    tracker = make_tracker(text="How do we join?", intent="ask_membership")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_membership"]


@pytest.mark.parametrize(
    ("text", "response"),
    [("その70%って何年のデータ？出典は？", "utter_figures_source_not_on_page"),
     ("Was it the UN?", "utter_un_standing_not_on_page")],
)  # fmt: skip
async def test_what_the_page_leaves_out_is_said_of_the_thing_asked(dispatcher, text, response):
    tracker = make_tracker(text, "ask_other_iclei_topic")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == [response]


async def test_when_the_office_just_discussed_opened_is_not_icleis_founding(dispatcher):
    text = "that doesn't answer my question, when was it opened?"
    tracker = make_tracker(text, "ask_founding", slots={"topic": "office", "office": "usa"})
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_office_not_listed"
    assert dispatcher.messages[0]["office_name"] == "USA Office"
    # ICLEI's own founding is still the founding.
    dispatcher.messages.clear()
    tracker = make_tracker("When was ICLEI founded?", "ask_founding", slots={"topic": "office"})
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_ask_founding"


@pytest.mark.parametrize(
    ("text", "intent", "response"),
    [("5段階って具体的にはどんなステップ？", "ask_first_programmes", "utter_ccp_steps_not_on_page"),
     ("ソウルプランって何ですか？", "ask_mission", "utter_seoul_plan")],
)  # fmt: skip
async def test_ccp_steps_and_the_seoul_plan(dispatcher, text, intent, response):
    tracker = make_tracker(text, intent, slots={"language": "ja"})
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == [response]


async def test_a_question_about_iclei_as_a_whole_is_not_routed_to_an_earlier_country(dispatcher):
    events = [
        {"event": "user", "text": "ベトナムの担当は？", "parse_data": {}},
        {"event": "user", "text": "いまのイクレイの会長ってだれですか？", "parse_data": {}},
    ]
    tracker = make_tracker(
        "いまのイクレイの会長ってだれですか？", "ask_other_iclei_topic", events=events
    )
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_other_iclei_topic"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [("Could you tell me briefly what ICLEI actually does?", "what_is_iclei"),
     ("具体的にどんな活動してるの？", "what_is_iclei")],
)  # fmt: skip
async def test_what_iclei_does_gets_its_activities(dispatcher, text, intent):
    await ActionAnswerFaq().run(dispatcher, make_tracker(text, intent), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_iclei_activities"]
    assert dispatcher.messages[0]["programme_ccp"]


async def test_a_gap_about_a_named_office_points_to_that_office(dispatcher):
    tracker = make_tracker(
        "Does the Japan office have anyone who speaks English?", "ask_other_iclei_topic"
    )
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_office_not_listed"
    assert dispatcher.messages[0]["office_name"] == "Japan Office"


async def test_the_associate_partnership_is_named_not_described(dispatcher):
    text = "what's the difference between full membership and that associate partnership thing?"
    await ActionAnswerFaq().run(dispatcher, make_tracker(text, "ask_membership"), {})
    assert dispatcher.messages[0]["response"] == "utter_associate_partnership_not_on_page"
    assert dispatcher.messages[1]["response"] == "utter_ask_membership"


async def test_how_soon_iclei_replies_after_sending_names_the_reference(dispatcher):
    slots = {"enquiry_reference": "ICLEI-2026-000038", "enquiry_office": "japan"}
    text = "By the way, how long does it usually take to get a reply?"
    await ActionAnswerFaq().run(
        dispatcher, make_tracker(text, "ask_other_iclei_topic", slots=slots), {}
    )
    message = dispatcher.messages[0]
    assert message["response"] == "utter_reply_time_not_on_page_sent"
    assert message["reference"] == "ICLEI-2026-000038" and message["office_name"] == "Japan Office"
