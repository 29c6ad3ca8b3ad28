"""The office actions: a place in either language -> the right office, choice or list."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.offices import ActionHeadquarters, ActionListOffices, ActionOfficeContact
from tests.actions.conftest import make_tracker, place


async def run_contact(dispatcher, **tracker_args):
    return await ActionOfficeContact().run(dispatcher, make_tracker(**tracker_args), {})


def responses(dispatcher) -> list[str]:
    return [message["response"] for message in dispatcher.messages]


@pytest.mark.parametrize(
    ("entity", "lang", "office_id", "address_part"),
    [
        ("Tokyo", "en", "japan", "Nishi-Shimbashi"),
        ("東京", "ja", "japan", "Nishi-Shimbashi"),
        ("Korea", "en", "korea", "Suwon Research Institute"),
        ("韓国", "ja", "korea", "Suwon Research Institute"),
        ("Melborne", "en", "oceania", "Little Collins Street"),
        ("ソウル", "ja", "east_asia", "Jongno-gu"),
    ],
)
async def test_place_in_either_language_gives_the_office_card(
    dispatcher, entity, lang, office_id, address_part
):
    events = await run_contact(
        dispatcher,
        text=f"{entity}?",
        intent="ask_office_contact",
        entities=[place(entity)],
        slots={"language": lang},
    )
    assert SlotSet("office", office_id) in events
    card = dispatcher.messages[-1]
    assert card["response"] in {"utter_office_contact", "utter_office_contact_full"}
    assert address_part in card["address"]
    assert card["web"]


async def test_world_secretariat_card_has_phone_and_fax(dispatcher):
    await run_contact(
        dispatcher, text="Bonn office", intent="ask_office_contact", entities=[place("Bonn")]
    )
    card = dispatcher.messages[0]
    assert card["response"] == "utter_office_contact_full"
    assert card["phone"] == "+49-228/97 62 99-00"
    assert card["fax"] == "+49-228/97 62 99-01"


async def test_a_detail_asked_for_is_answered_alone(dispatcher):
    await run_contact(
        dispatcher, text="Bonn office phone", intent="ask_office_contact", entities=[place("Bonn")]
    )
    assert responses(dispatcher) == ["utter_office_attribute_phone"]
    assert dispatcher.messages[0]["phone"] == "+49-228/97 62 99-00"


async def test_country_without_office_is_routed_with_an_intro(dispatcher):
    events = await run_contact(
        dispatcher, text="I'm in Kenya", intent="ask_office_contact", entities=[place("Kenya")]
    )
    assert SlotSet("office", "africa") in events
    assert responses(dispatcher)[0] == "utter_office_for_place"
    assert dispatcher.messages[0]["place"] == "Kenya"
    # The Africa secretariat gives a postal address too.
    assert "utter_office_postal_address" in responses(dispatcher)


async def test_routed_country_is_named_in_japanese(dispatcher):
    await run_contact(
        dispatcher,
        text="ブラジルの担当は？",
        intent="ask_office_contact",
        entities=[place("ブラジル")],
        slots={"language": "ja"},
    )
    # Brazil has the South America Secretariat in São Paulo: no routing intro needed.
    card = dispatcher.messages[-1]
    assert "Ibiraçu" in card["address"]
    assert card["office_name"] == "南米事務局" or "南米" in card["office_name"]


async def test_country_with_no_regional_office_goes_to_world_secretariat(dispatcher):
    events = await run_contact(
        dispatcher, text="Kazakhstan?", intent="ask_office_contact", entities=[place("Kazakhstan")]
    )
    assert SlotSet("office", "world_secretariat") in events
    assert responses(dispatcher)[0] == "utter_office_world_for_place"


async def test_ambiguous_region_offers_buttons(dispatcher):
    events = await run_contact(
        dispatcher, text="office in Asia", intent="ask_office_contact", entities=[place("Asia")]
    )
    assert not [e for e in events if e.get("name") == "office"]
    message = dispatcher.messages[0]
    assert message["response"] == "utter_office_which"
    payloads = [button["payload"] for button in message["buttons"]]
    assert len(payloads) >= 3
    assert '/ask_office_contact{"place": "southeast_asia"}' in payloads


async def test_unknown_place_says_so_and_lists(dispatcher):
    events = await run_contact(
        dispatcher,
        text="Qwzxland office",
        intent="ask_office_contact",
        entities=[place("Qwzxland")],
    )
    assert not [e for e in events if e.get("name") == "office"]
    assert responses(dispatcher) == ["utter_office_not_found", "utter_office_list"]
    assert dispatcher.messages[0]["place"] == "Qwzxland"


async def test_missed_entity_is_found_in_the_text(dispatcher):
    events = await run_contact(
        dispatcher,
        text="ICLEIの東京officeってどこ？",
        intent="ask_office_contact",
        slots={"language": "ja"},
    )
    assert SlotSet("office", "japan") in events


async def test_follow_up_without_place_uses_the_current_office(dispatcher):
    events = await run_contact(
        dispatcher,
        text="what's their phone number?",
        intent="ask_office_contact",
        slots={"office": "japan"},
    )
    assert SlotSet("office", "japan") in events
    assert responses(dispatcher) == ["utter_office_missing_phone", "utter_office_contact"]


async def test_no_place_and_no_context_asks_which(dispatcher):
    await run_contact(dispatcher, text="office address please", intent="ask_office_contact")
    assert responses(dispatcher) == ["utter_office_ask_place", "utter_office_list"]


async def test_button_payload_with_office_id(dispatcher):
    events = await run_contact(
        dispatcher,
        text="/ask_office_contact",
        intent="ask_office_contact",
        entities=[place("kaohsiung")],
    )
    assert SlotSet("office", "kaohsiung") in events
    assert responses(dispatcher) == ["utter_office_contact_address_only"]


@pytest.mark.parametrize(("lang", "marker"), [("en", "• "), ("ja", "・")])
async def test_list_offices(dispatcher, lang, marker):
    await ActionListOffices().run(dispatcher, make_tracker(slots={"language": lang}), {})
    message = dispatcher.messages[0]
    assert message["response"] == "utter_office_list"
    # 16 addresses on the page, of ICLEI's 22 regional offices and secretariats
    assert (message["office_count"], message["regional_offices"]) == ("16", "22")
    lines = message["office_list"].splitlines()
    assert len(lines) == 16
    assert all(line.startswith(marker) for line in lines)


MEXICO_OFFICE = {
    "en": "ICLEI office for Mexico, Central America and the Caribbean",
    "ja": "イクレイ メキシコ・中米・カリブ地域事務所",
}
SENATE_LINE = "Mexico City Special Commission on Climate Change from the Mexican Senate"


@pytest.mark.parametrize("lang", ["en", "ja"])
async def test_mexico_card_is_the_region_office_and_quotes_the_page_line(dispatcher, lang):
    await run_contact(
        dispatcher,
        text="Mexico City office",
        intent="ask_office_contact",
        entities=[place("Mexico City")],
        slots={"language": lang},
    )
    assert responses(dispatcher) == ["utter_office_contact", "utter_office_note"]
    card, note = dispatcher.messages
    assert card["office_name"] == MEXICO_OFFICE[lang]
    assert card["address"].startswith("Paseo de la Reforma 136")
    assert note["note"] == SENATE_LINE


@pytest.mark.parametrize(("lang", "country"), [("en", "Puerto Rico"), ("ja", "プエルトリコ")])
async def test_caribbean_country_is_routed_to_the_region_office_not_the_senate(
    dispatcher, lang, country
):
    await run_contact(
        dispatcher,
        text=country,
        intent="ask_office_contact",
        entities=[place(country)],
        slots={"language": lang},
    )
    intro = dispatcher.messages[0]
    assert intro["response"] == "utter_office_for_place"
    assert intro["office_name"] == MEXICO_OFFICE[lang]
    names = [m["office_name"] for m in dispatcher.messages if "office_name" in m]
    assert not any("Senate" in name or "上院" in name for name in names)


async def test_korea_office_city_in_japanese_list(dispatcher):
    await ActionListOffices().run(dispatcher, make_tracker(slots={"language": "ja"}), {})
    assert "・韓国事務所（水原（スウォン）、韓国）" in dispatcher.messages[0]["office_list"]


async def test_headquarters(dispatcher):
    events = await ActionHeadquarters().run(dispatcher, make_tracker(slots={"language": "ja"}), {})
    assert SlotSet("office", "world_secretariat") in events
    assert responses(dispatcher) == ["utter_headquarters", "utter_office_contact_full"]
    assert dispatcher.messages[0]["hq_city"] == "ボン"


@pytest.mark.parametrize(
    ("text", "entity", "office_id", "first_response"),
    [
        # Germany alone routes to the European Secretariat in Freiburg; its head office is Bonn.
        ("ドイツの本部の住所を教えてください", "ドイツ", "world_secretariat", "utter_headquarters"),
        ("Where is ICLEI's headquarters in Germany?", "Germany", "world_secretariat",
         "utter_headquarters"),
        ("phone number of the headquarters in Germany", "Germany", "world_secretariat",
         "utter_office_attribute_phone"),
        # A country with an office of its own: "headquarters" there is not Bonn's to claim.
        ("the Japan headquarters address", "Japan", "japan", "utter_office_contact"),
        # Germany without the head office named is the European Secretariat's.
        ("which office covers Germany?", "Germany", "europe", "utter_office_contact"),
    ],
)  # fmt: skip
async def test_the_head_office_of_a_country(dispatcher, text, entity, office_id, first_response):
    events = await run_contact(
        dispatcher, text=text, intent="ask_office_contact", entities=[place(entity)]
    )
    assert SlotSet("office", office_id) in events
    assert responses(dispatcher)[0] == first_response


@pytest.mark.parametrize(
    "text",
    [
        "what does the Kaohsiung Capacity Center do",
        "is there parking at the bonn office?",
        "when did the Kaohsiung office open?",
        "What is a capacity centre, like the one in Kaohsiung?",
        "Kaohsiungのキャパシティセンターって何?",
        "Kaohsiungの事務所は何の活動してるのか知りたい",
        "how many staff work at the bonn office?",
        "Kaohsiungの事務所には何人いますか？",
    ],
)
async def test_what_the_page_does_not_say_about_an_office_is_said(dispatcher, text):
    place_name = "Kaohsiung" if "Kaohsiung" in text else "bonn"
    tracker = make_tracker(text=text, intent="ask_office_contact", entities=[place(place_name)])
    await ActionOfficeContact().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_office_not_listed"


@pytest.mark.parametrize(
    ("text", "entities", "office_id", "says_none"),
    [
        # The country's office is in Suwon; Seoul has the East Asia Secretariat.
        ("ソウルにも事務所はありますか", [place("ソウル")], "east_asia", False),
        # Victoria (Canada) is in no office's city, though Melbourne's address says Victoria.
        ("Is there an office near Victoria, British Columbia?", [place("Canada")], "canada", False),
    ],
)
async def test_a_city_with_an_office_of_its_own_is_never_said_to_have_none(
    dispatcher, text, entities, office_id, says_none
):
    events = await run_contact(
        dispatcher, text=text, intent="ask_office_contact", entities=entities
    )
    assert SlotSet("office", office_id) in events
    assert ("utter_office_no_office_in_place" in responses(dispatcher)) is says_none


@pytest.mark.parametrize(
    ("text", "lang", "intro", "office_ids"),
    [
        (
            "Is the Brussels office the same as the European Secretariat?",
            "en",
            "utter_offices_different",
            ["brussels", "europe"],
        ),
        (
            "Is ICLEI Europe the same as the European Secretariat?",
            "en",
            "utter_offices_same",
            ["europe"],
        ),
        ("東京事務所と日本事務所は同じですか？", "ja", "utter_offices_same", ["japan"]),
        (
            "ソウルの事務所と水原の事務所は別ですか",
            "ja",
            "utter_offices_different",
            ["east_asia", "korea"],
        ),
        # Which is bigger: the page gives no office's size.
        (
            "Which is bigger, the Denver office or the Toronto one?",
            "en",
            "utter_offices_size_not_listed",
            ["usa", "canada"],
        ),
        # Korea's own office is in Suwon: not the same as the secretariat in Seoul.
        (
            "韓国にも事務所があると聞きましたが、ソウルの東アジア事務局とは別ですか？",
            "ja",
            "utter_offices_different",
            ["korea", "east_asia"],
        ),
        # Seoul has the East Asia Secretariat, Suwon the Korea Office: both, and how they differ.
        (
            "韓国はソウルと水原に2つあるっぽいけど、何が違うの?",
            "ja",
            "utter_offices_different",
            ["korea", "east_asia"],
        ),
    ],
)
async def test_two_offices_compared_are_said_to_be_one_or_several(
    dispatcher, text, lang, intro, office_ids
):
    from bot.knowledge import get_knowledge

    events = await run_contact(
        dispatcher, text=text, intent="ask_office_contact", slots={"language": lang}
    )
    assert dispatcher.messages[0]["response"] == intro
    names = [get_knowledge().office(office_id).name.get(lang) for office_id in office_ids]
    cards = [m for m in dispatcher.messages if m["response"].startswith("utter_office_contact")]
    assert [card["office_name"] for card in cards] == names
    if len(names) > 1:
        assert all(name in dispatcher.messages[0]["office_lines"] for name in names)
    # One office: the conversation is now about it; several: about none of them.
    assert (SlotSet("office", office_ids[0]) in events) == (len(office_ids) == 1)


async def test_one_office_named_with_a_comparison_word_gets_its_card(dispatcher):
    # "the same address as before?" names one office: no comparison to make.
    await run_contact(
        dispatcher,
        text="Does the Tokyo office still have the same address?",
        intent="ask_office_contact",
        slots={"language": "en"},
    )
    assert "utter_offices_same" not in responses(dispatcher)
    assert any(r.startswith("utter_office_contact") for r in responses(dispatcher))


@pytest.mark.parametrize(
    ("text", "lang", "place", "started_there"),
    [
        ("cool. wait so is the HQ still in toronto?", "en", "Toronto", True),
        ("when did it move from toronto to bonn?", "en", "Toronto", True),
        ("本部はトロントにあるんですよね？", "ja", "トロント", True),
        ("Is ICLEI's headquarters in Paris?", "en", "Paris", False),
        ("My boss says the HQ is in Toronto, is that right?", "en", "Toronto", True),
    ],
)
async def test_a_head_office_placed_elsewhere_is_corrected(
    dispatcher, text, lang, place, started_there
):
    tracker = make_tracker(text=text, intent="ask_headquarters", slots={"language": lang})
    events = await ActionHeadquarters().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_headquarters_elsewhere"
    assert dispatcher.messages[0]["place"] == place
    assert dispatcher.messages[0]["hq_city"] in ("Bonn", "ボン")
    assert ("utter_world_secretariat_first" in responses(dispatcher)) is started_there
    assert SlotSet("office", "world_secretariat") in events


@pytest.mark.parametrize("text", ["Where is the head office?", "ドイツの本部の住所を教えて"])
async def test_the_head_office_asked_plainly_is_not_corrected(dispatcher, text):
    tracker = make_tracker(text=text, intent="ask_headquarters")
    await ActionHeadquarters().run(dispatcher, tracker, {})
    assert responses(dispatcher)[0] == "utter_headquarters"


async def test_a_trip_beside_whether_there_is_an_office_is_an_office_question(dispatcher):
    text = "あ、すみません、出張先は東京じゃなくて大阪でした。大阪にはありますか？"
    events = await run_contact(
        dispatcher, text=text, intent="ask_office_contact", entities=[place("大阪")]
    )
    assert "utter_out_of_scope" not in responses(dispatcher)
    assert SlotSet("office", "japan") in events


async def test_when_the_head_office_moved_is_not_on_the_page(dispatcher):
    tracker = make_tracker(text="ok so when did it move to Bonn?", intent="ask_headquarters")
    await ActionHeadquarters().run(dispatcher, tracker, {})
    assert responses(dispatcher)[:2] == ["utter_headquarters", "utter_world_secretariat_first"]


async def test_two_countries_answered_by_different_offices_get_both(dispatcher):
    text = "And is there an office in the Netherlands or Belgium we could visit?"
    await run_contact(dispatcher, text=text, intent="ask_office_contact")
    cards = [m for m in dispatcher.messages if m["response"].startswith("utter_office_contact")]
    assert [card["office_name"] for card in cards] == ["European Secretariat", "Brussels Office"]
    # Two countries of one office: its answer once.
    dispatcher.messages.clear()
    await run_contact(dispatcher, text="Offices in France or Spain?", intent="ask_office_contact")
    cards = [m for m in dispatcher.messages if m["response"].startswith("utter_office_contact")]
    assert [card["office_name"] for card in cards] == ["European Secretariat"]


@pytest.mark.parametrize(
    ("text", "lang", "entities", "response", "office_ids"),
    [
        # The widest place named is the one whose offices are listed.
        ("Is the office in Cape Town the only one for Africa?", "en", ["Cape Town", "Africa"],
         "utter_region_one_office", ["africa"]),
        ("Is Freiburg the only office in Europe?", "en", ["Freiburg", "Europe"],
         "utter_region_offices", ["europe", "brussels"]),
        ("Any others besides the Seoul one in Korea?", "en", ["Seoul", "Korea"],
         "utter_country_offices", ["korea", "east_asia"]),
        ("How many offices does ICLEI have in Germany?", "en", ["Germany"],
         "utter_country_offices", ["world_secretariat", "europe"]),
        ("東京以外に日本の事務所はありますか？", "ja", ["東京", "日本"],
         "utter_country_one_office", ["japan"]),
    ],
)  # fmt: skip
async def test_only_other_and_besides_list_the_offices_of_the_wider_place(
    dispatcher, text, lang, entities, response, office_ids
):
    from bot.knowledge import get_knowledge

    await run_contact(
        dispatcher,
        text=text,
        intent="ask_office_contact",
        entities=[place(name) for name in entities],
        slots={"language": lang},
    )
    first = dispatcher.messages[0]
    assert first["response"] == response
    names = [get_knowledge().office(office_id).name.get(lang) for office_id in office_ids]
    listed = first.get("office_list") or first.get("office_name")
    assert all(name in listed for name in names)
    if response == "utter_country_one_office":
        # One office: the line names it, its card follows.
        assert dispatcher.messages[1]["response"].startswith("utter_office_contact")
    else:
        assert first["region_office_count"] == str(len(names))


async def test_the_head_office_is_compared_by_its_title(dispatcher):
    # 「本部」 names the World Secretariat: two offices, in the order written.
    await run_contact(
        dispatcher,
        text="本部とヨーロッパ事務局は同じ建物ですか？",
        intent="ask_office_contact",
        slots={"language": "ja"},
    )
    assert dispatcher.messages[0]["response"] == "utter_offices_different"
    cards = [m for m in dispatcher.messages if m["response"].startswith("utter_office_contact")]
    assert [c["office_name"] for c in cards] == ["イクレイ世界事務局", "ヨーロッパ事務局"]


async def test_the_head_office_and_the_world_secretariat_are_one(dispatcher):
    await run_contact(
        dispatcher,
        text="Is the HQ the same as the World Secretariat?",
        intent="ask_office_contact",
        slots={"language": "en"},
    )
    assert dispatcher.messages[0]["response"] == "utter_offices_same"


async def test_a_trip_beside_an_address_request_gets_the_address(dispatcher):
    text = (
        "The Mayor will be travelling to South Africa next month. "
        "Could you kindly provide the address of your office there?"
    )
    await run_contact(
        dispatcher, text=text, intent="ask_office_contact", entities=[place("South Africa")]
    )
    assert "utter_office_not_listed" not in responses(dispatcher)
    assert any(r.startswith("utter_office_contact") for r in responses(dispatcher))


async def test_a_place_written_in_lower_case_is_named_properly(dispatcher):
    await run_contact(
        dispatcher, text="is there anything in china? like beijing", intent="ask_office_contact"
    )
    assert dispatcher.messages[0]["place"] == "Beijing"


@pytest.mark.parametrize(
    ("text", "lang", "entity"),
    [("あと友達がジャカルタに留学してて、インドネシアにはないですよね？", "ja", "インドネシア"),
     ("So there's nothing in Toronto any more?", "en", "Toronto")],
)  # fmt: skip
async def test_an_office_supposed_missing_is_there(dispatcher, text, lang, entity):
    await run_contact(
        dispatcher,
        text=text,
        intent="ask_office_contact",
        entities=[place(entity)],
        slots={"language": lang},
    )
    assert dispatcher.messages[0]["response"] == "utter_office_there_is"
    assert dispatcher.messages[1]["response"].startswith("utter_office_contact")


async def test_a_place_served_from_elsewhere_gets_no_there_is(dispatcher):
    await run_contact(
        dispatcher,
        text="There's no office in Kenya, right?",
        intent="ask_office_contact",
        entities=[place("Kenya")],
    )
    assert "utter_office_there_is" not in responses(dispatcher)


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("Is there an ICLEI presence in the Middle East?", "Middle East"),
        ("中東に事務所はありますか？", "中東"),
    ],
)
async def test_an_area_with_no_office_says_so_before_the_world_secretariat(dispatcher, text, area):
    await run_contact(dispatcher, text=text, intent="ask_office_contact")
    assert dispatcher.messages[0]["response"] == "utter_office_world_for_place"
    assert dispatcher.messages[0]["place"] == area
    assert dispatcher.messages[1]["office_name"] == "ICLEI World Secretariat"


async def test_whether_an_office_is_a_full_secretariat_is_not_on_the_page(dispatcher):
    await run_contact(
        dispatcher,
        text="Is the Kaohsiung office a full secretariat?",
        intent="ask_office_contact",
        entities=[place("Kaohsiung")],
    )
    assert responses(dispatcher)[0] == "utter_office_not_listed"


async def test_a_place_denied_is_not_the_place_asked(dispatcher):
    text = "I'm not in Germany, I'm based in Nairobi actually. What's closest to me?"
    await run_contact(
        dispatcher,
        text=text,
        intent="ask_office_contact",
        entities=[place("Germany"), place("Nairobi")],
    )
    cards = [m for m in dispatcher.messages if m["response"].startswith("utter_office_contact")]
    assert cards[0]["office_name"] == "Africa Secretariat"


async def test_a_place_denied_in_japanese_is_not_asked_whatever_the_entity_spelling(dispatcher):
    # The entities come in English spelling first: 「ブリュッセル」 is still the place denied.
    await run_contact(
        dispatcher,
        text="すみません、訂正です。ブリュッセルではなくてフライブルクの方でした。",
        intent="ask_office_contact",
        entities=[place("Brussels"), place("Freiburg")],
        slots={"language": "ja"},
    )
    cards = [m for m in dispatcher.messages if m["response"].startswith("utter_office_contact")]
    assert cards[0]["office_name"] == "ヨーロッパ事務局"


async def test_a_trip_that_asks_for_an_office_gets_the_offices(dispatcher):
    from actions.offices import ActionListOffices

    text = (
        "こんばんは。来週からヨーロッパ出張で、Berlinとパリに寄ります。"
        "どちらかにICLEIのofficeありますか？"
    )
    tracker = make_tracker(text=text, intent="list_offices", slots={"language": "ja"})
    await ActionListOffices().run(dispatcher, tracker, {})
    assert "utter_out_of_scope" not in responses(dispatcher)


@pytest.mark.parametrize(
    ("first", "then", "lang"),
    [("韓国の事務所はいくつありますか？", "両方の住所をお願いします", "ja"),
     ("How many offices are there in Europe?", "addresses of both please", "en")],
)  # fmt: skip
async def test_a_detail_of_both_offices_just_listed_gives_each_card(dispatcher, first, then, lang):
    events = [
        {"event": "user", "text": first, "parse_data": {}},
        {"event": "user", "text": then, "parse_data": {}},
    ]
    await run_contact(
        dispatcher, text=then, intent="ask_office_contact", slots={"language": lang}, events=events
    )
    cards = [m for m in dispatcher.messages if m["response"].startswith("utter_office_contact")]
    assert len(cards) == 2


@pytest.mark.parametrize(
    "text",
    [
        "担当者の名前は？",
        "日本事務所の担当者のお名前はわかりますか？",
        "who's the contact person there?",
    ],
)
def test_a_staff_name_is_not_on_the_page_the_card_is(text):
    from actions.offices import office_replies
    from bot.knowledge import get_knowledge

    knowledge = get_knowledge()
    replies = office_replies(knowledge, knowledge.office("japan"), text, "ja")
    assert replies[0].response == "utter_office_not_listed"
    assert any(r.response.startswith("utter_office_contact") for r in replies)


async def test_an_office_and_its_nearest_station_get_the_card_and_what_the_page_lacks(dispatcher):
    text = (
        "日本にも事務所があると伺いましたが、所在地を教えていただけますか。"
        "あわせて最寄り駅もご教示いただけると助かります。"
    )
    await run_contact(
        dispatcher, text=text, intent="ask_office_contact", entities=[place("日本")],
        slots={"language": "ja"},
    )  # fmt: skip
    assert responses(dispatcher)[0] == "utter_office_not_listed"
    assert "utter_office_contact" in responses(dispatcher)
