"""The enquiry form as visitors use it: details given before the form asks, questions about
their data, corrections in the middle, and an answer followed by a question."""

from __future__ import annotations

import pytest

from actions.enquiry_form import ValidateEnquiryForm, declines
from tests.actions.conftest import make_tracker, place

GIVEN = {
    "enquiry_consent": True,
    "enquiry_organisation": "City of Lyon",
    "enquiry_country": "FR",
    "enquiry_name": "Marie Dupont",
    "enquiry_email": "marie@lyon.example",
}


def _user(text: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {}}


def _responses(dispatcher) -> list[str]:
    return [message["response"] for message in dispatcher.messages]


async def test_consent_keeps_the_organisation_and_country_already_given(dispatcher):
    events = [_user("we are the city of Lyon in France and we'd like to join"), _user("yes")]
    tracker = make_tracker(text="yes", intent="affirm", events=events)
    result = await ValidateEnquiryForm().validate_enquiry_consent(True, dispatcher, tracker, {})
    assert result == {
        "enquiry_consent": True,
        "enquiry_organisation": "City of Lyon",
        "enquiry_country": "FR",
    }
    assert _responses(dispatcher) == ["utter_enquiry_prefilled"]
    assert dispatcher.messages[0]["noted"] == "Organisation: City of Lyon, Country: France"


async def test_consent_without_earlier_details_sets_only_the_consent(dispatcher):
    events = [_user("I'd like to join"), _user("yes")]
    tracker = make_tracker(text="yes", intent="affirm", events=events)
    result = await ValidateEnquiryForm().validate_enquiry_consent(True, dispatcher, tracker, {})
    assert result == {"enquiry_consent": True}
    assert dispatcher.messages == []


async def test_a_question_about_data_before_consent_is_answered(dispatcher):
    tracker = make_tracker(
        text="what happens to my data?",
        intent="nlu_fallback",
        slots={"requested_slot": "enquiry_consent"},
    )
    result = await ValidateEnquiryForm().extract_enquiry_consent(dispatcher, tracker, {})
    # A slot set (to nothing) keeps Rasa from rejecting the form, which asks again.
    assert result == {"enquiry_consent": None}
    assert _responses(dispatcher) == ["utter_enquiry_data_use"]
    assert dispatcher.messages[0]["retention_days"] == "30"


async def test_consent_answers_are_not_read_as_data_questions(dispatcher):
    tracker = make_tracker(text="yes", intent="affirm", slots={"requested_slot": "enquiry_consent"})
    assert await ValidateEnquiryForm().extract_enquiry_consent(dispatcher, tracker, {}) == {}


async def test_why_the_email_is_needed_is_answered_then_asked_again(dispatcher):
    text = "why do you need my email?"
    tracker = make_tracker(text=text, intent="nlu_fallback", slots=GIVEN)
    result = await ValidateEnquiryForm().validate_enquiry_email(text, dispatcher, tracker, {})
    assert result == {"enquiry_email": None}
    assert _responses(dispatcher) == ["utter_enquiry_data_use"]


async def test_an_earlier_answer_corrected_while_another_is_asked(dispatcher):
    text = "Sorry, I made a mistake - it's actually the Metropolis of Lyon"
    # The role asked holds this message as its candidate answer.
    tracker = make_tracker(
        text=text, intent="correct_enquiry", slots={**GIVEN, "enquiry_role": text}
    )
    result = await ValidateEnquiryForm().validate_enquiry_role(text, dispatcher, tracker, {})
    assert result == {"enquiry_organisation": "Metropolis of Lyon", "enquiry_role": None}
    assert _responses(dispatcher) == ["utter_enquiry_corrected"]


async def test_a_correction_in_japanese_replaces_the_old_name_inside_the_answer(dispatcher):
    text = "すみません、さっきの市の名前間違えました。掛川市じゃなくて磐田市です"
    slots = {**GIVEN, "enquiry_organisation": "静岡県の掛川市", "language": "ja"}
    tracker = make_tracker(text=text, intent="correct_enquiry", slots=slots)
    result = await ValidateEnquiryForm().validate_enquiry_email(text, dispatcher, tracker, {})
    assert result == {"enquiry_organisation": "静岡県の磐田市", "enquiry_email": None}
    assert dispatcher.messages[0]["noted"] == "団体名：静岡県の磐田市"


@pytest.mark.parametrize(
    ("field", "text", "intent", "slots", "value", "reply"),
    [
        ("country", "We're in Peru. By the way, which office handles Peru?",
         "ask_office_contact", {"language": "en"}, "PE", "South America"),
        # The office of the enquiry's own country, though the question names no place.
        ("name", "Marie Dupont. Which office would handle our enquiry, by the way?",
         "start_enquiry", GIVEN, "Marie Dupont", "European Secretariat"),
    ],
)  # fmt: skip
async def test_an_answer_followed_by_a_question_keeps_both(
    dispatcher, field, text, intent, slots, value, reply
):
    tracker = make_tracker(text=text, intent=intent, slots=slots)
    method = getattr(ValidateEnquiryForm(), f"validate_enquiry_{field}")
    result = await method(text, dispatcher, tracker, {})
    assert result == {f"enquiry_{field}": value, "enquiry_failures": 0}
    assert reply in str(dispatcher.messages[0])


async def test_a_greeting_before_a_question_is_no_name(dispatcher):
    text = "Hi. What is ICLEI's mission?"
    tracker = make_tracker(text=text, intent="ask_mission", slots=GIVEN)
    result = await ValidateEnquiryForm().validate_enquiry_name(text, dispatcher, tracker, {})
    assert result == {"enquiry_name": None}  # the question answered, the name asked again


@pytest.mark.parametrize(
    ("text", "skipped"),
    [("no that's all", True), ("nothing else, thanks", True), ("特にないです", True),
     ("no message, thanks", True), ("送信してください", True), ("send it", True),
     ("skip that too", True), ("pass", True),
     ("No, but we would like to hear about training", False), ("Norway", False), ("Passau", False)],
)  # fmt: skip
def test_an_optional_question_declined_in_a_few_words(text, skipped):
    assert declines(text) is skipped


async def test_the_message_declined_in_a_few_words_is_skipped(dispatcher):
    tracker = make_tracker(text="no that's all", intent="deny", slots=GIVEN)
    result = await ValidateEnquiryForm().validate_enquiry_message(
        "no that's all", dispatcher, tracker, {}
    )
    assert result == {"enquiry_message": "", "enquiry_failures": 0}


async def test_a_role_that_is_a_question_is_answered_not_stored(dispatcher):
    text = "By the way, how much does membership cost per year?"
    tracker = make_tracker(text=text, intent="ask_other_iclei_topic", slots=GIVEN)
    result = await ValidateEnquiryForm().validate_enquiry_role(text, dispatcher, tracker, {})
    assert result == {"enquiry_role": None}
    assert _responses(dispatcher) == ["utter_ask_other_iclei_topic"]


async def test_the_email_given_with_the_name_is_kept_too(dispatcher):
    text = (
        "The person handling this will be me, Siobhan Murphy, and my email is s.m@galway.example."
    )
    slots = {**GIVEN, "enquiry_name": None, "enquiry_email": None}
    tracker = make_tracker(text=text, intent="nlu_fallback", slots=slots)
    result = await ValidateEnquiryForm().validate_enquiry_name(text, dispatcher, tracker, {})
    assert result == {
        "enquiry_name": "Siobhan Murphy",
        "enquiry_failures": 0,
        "enquiry_email": "s.m@galway.example",
    }


async def test_a_correction_with_an_answer_keeps_both(dispatcher):
    text = (
        "We're mainly interested in climate action planning. Also, please change the email "
        "to siobhan@galway.example - the one I gave before was wrong."
    )
    tracker = make_tracker(text=text, intent="correct_enquiry", slots=GIVEN)
    result = await ValidateEnquiryForm().validate_enquiry_message(text, dispatcher, tracker, {})
    assert result == {
        "enquiry_email": "siobhan@galway.example",
        "enquiry_message": "We're mainly interested in climate action planning.",
        "enquiry_failures": 0,
    }


async def test_details_given_before_consent_ask_for_consent_again(dispatcher):
    text = "We're Galway City Council and my name is Siobhan Murphy"
    slots = {"requested_slot": "enquiry_consent"}
    tracker = make_tracker(text=text, intent="nlu_fallback", slots=slots)
    result = await ValidateEnquiryForm().extract_enquiry_consent(dispatcher, tracker, {})
    assert result == {"enquiry_consent": None}
    assert _responses(dispatcher) == ["utter_enquiry_consent_first"]


async def test_consent_given_again_is_no_name(dispatcher):
    tracker = make_tracker(text="同意します", intent="affirm", slots={"enquiry_consent": True})
    result = await ValidateEnquiryForm().validate_enquiry_name(
        "同意します", dispatcher, tracker, {}
    )
    assert result == {"enquiry_name": None}


async def test_a_name_then_an_office_question_answers_both(dispatcher):
    text = "My name's Siobhan Murphy. Does the European office deal with Irish members?"
    tracker = make_tracker(
        text=text, intent="ask_office_contact", slots={**GIVEN, "language": "en"}
    )
    result = await ValidateEnquiryForm().validate_enquiry_name(text, dispatcher, tracker, {})
    assert result["enquiry_name"] == "Siobhan Murphy"
    assert "European Secretariat" in str(dispatcher.messages)


@pytest.mark.parametrize(
    "text",
    ["Mayor's advisor on energy - is that relevant?", "環境政策課の課長です。これって必要ですか？"],
)
async def test_a_role_with_a_remark_on_it_is_the_role(dispatcher, text):
    tracker = make_tracker(text=text, intent="ask_why_cities", slots=GIVEN)
    result = await ValidateEnquiryForm().validate_enquiry_role(text, dispatcher, tracker, {})
    assert result["enquiry_role"] in ("Mayor's advisor on energy", "環境政策課の課長")
    assert _responses(dispatcher) == ["utter_enquiry_role_noted"]


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Head of the climate team, why?", "Head of the climate team"),
        ("Sustainability coordinator. Do you need my full title?", "Sustainability coordinator"),
        ("係長ですが、なぜ役職が必要なんですか？", "係長"),
    ],
)
async def test_a_role_then_why_it_is_asked_keeps_the_role_whatever_the_model_read(
    dispatcher, text, role
):
    # The model hears "why" beside "climate" as why cities matter, and is sure of it.
    tracker = make_tracker(text=text, intent="ask_why_cities", slots=GIVEN)
    result = await ValidateEnquiryForm().validate_enquiry_role(text, dispatcher, tracker, {})
    assert result == {"enquiry_role": role, "enquiry_failures": 0}
    assert _responses(dispatcher) == ["utter_enquiry_role_noted"]


async def test_a_role_then_a_question_about_iclei_answers_the_question_read_alone(dispatcher):
    text = "環境部長です。ちなみにイクレイの本部はどこですか？"
    tracker = make_tracker(text=text, intent="ask_why_cities", slots={**GIVEN, "language": "ja"})
    # The question's own reading (bot/dialogue/turns.py), not the whole message's.
    tracker.latest_message["question_part"] = {
        "text": "ちなみにイクレイの本部はどこですか?",
        "intent": {"name": "ask_headquarters", "confidence": 0.97},
        "entities": [],
    }
    result = await ValidateEnquiryForm().validate_enquiry_role(text, dispatcher, tracker, {})
    assert result == {"enquiry_role": "環境部長", "enquiry_failures": 0}
    assert "Bonn" in str(dispatcher.messages)  # the headquarters, not the Japan office
    assert "Tokyo" not in str(dispatcher.messages)


async def test_a_role_then_a_question_about_the_data_keeps_the_role(dispatcher):
    text = "Climate lead. What do you do with this info?"
    tracker = make_tracker(text=text, intent="nlu_fallback", slots=GIVEN)
    result = await ValidateEnquiryForm().validate_enquiry_role(text, dispatcher, tracker, {})
    assert result == {"enquiry_role": "Climate lead", "enquiry_failures": 0}
    assert _responses(dispatcher) == ["utter_enquiry_data_use"]


async def test_a_name_then_an_office_question_answers_for_the_place_the_question_names(dispatcher):
    text = "Sean Kelly, where is the European office?"
    slots = {**GIVEN, "enquiry_name": None, "language": "en"}
    # The whole message's reading took "Sean" for a place; the question's own did not.
    tracker = make_tracker(
        text=text, intent="ask_office_contact", entities=[place("Sean")], slots=slots
    )
    tracker.latest_message["question_part"] = {
        "text": "where is the European office?",
        "intent": {"name": "ask_office_contact", "confidence": 1.0},
        "entities": [place("European")],
    }
    result = await ValidateEnquiryForm().validate_enquiry_name(text, dispatcher, tracker, {})
    assert result["enquiry_name"] == "Sean Kelly"
    assert "European Secretariat" in str(dispatcher.messages)
    assert "Southeast Asia" not in str(dispatcher.messages)


@pytest.mark.parametrize("text", ["承知しました", "ok thanks!", "got it 👍"])
async def test_an_acknowledgement_is_no_answer(dispatcher, text):
    tracker = make_tracker(text=text, intent="thank", slots=GIVEN)
    result = await ValidateEnquiryForm().validate_enquiry_role(text, dispatcher, tracker, {})
    assert result == {"enquiry_role": None}


async def test_a_question_where_the_name_is_asked_is_answered(dispatcher):
    text = "hmm actually how much does it cost first"
    slots = {**GIVEN, "enquiry_name": None}
    tracker = make_tracker(text=text, intent="ask_other_iclei_topic", slots=slots)
    tracker.latest_message["intent"]["confidence"] = 0.56
    result = await ValidateEnquiryForm().validate_enquiry_name(text, dispatcher, tracker, {})
    assert result == {"enquiry_name": None}
    assert _responses(dispatcher) == ["utter_ask_other_iclei_topic"]


async def test_a_detail_asked_where_the_name_is_asked_comes_from_the_enquirys_office(dispatcher):
    text = "cool is there a website for it"
    slots = {**GIVEN, "enquiry_name": None, "language": "en"}
    tracker = make_tracker(text=text, intent="ask_followup", slots=slots)
    result = await ValidateEnquiryForm().validate_enquiry_name(text, dispatcher, tracker, {})
    assert result == {"enquiry_name": None}
    assert "www.iclei-europe.org" in str(dispatcher.messages)


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        # In sentences: the organisation, country, name and email.
        ("We're interested in membership. I'm Rafael Gomez from the Municipality of Rosario, "
         "Argentina, email rgomez@rosario.gob.ar",
         {"enquiry_organisation": "Municipality of Rosario", "enquiry_country": "AR",
          "enquiry_name": "Rafael Gomez", "enquiry_email": "rgomez@rosario.gob.ar"}),
        # By their labels: every field.
        ("会員についての問い合わせを送りたいです。団体：豊岡市、国：日本、氏名：井上 誠、"
         "メール：m-inoue@city.toyooka.example、役職：環境経済課 係長、人口：約7万5千人。"
         "メッセージ：経験を海外の自治体と共有したいです。",
         {"enquiry_organisation": "豊岡市", "enquiry_country": "JP", "enquiry_name": "井上 誠",
          "enquiry_email": "m-inoue@city.toyooka.example", "enquiry_role": "環境経済課 係長",
          "enquiry_population": "75000", "enquiry_message": "経験を海外の自治体と共有したいです"}),
    ],
)  # fmt: skip
async def test_consent_keeps_the_details_of_an_earlier_message(dispatcher, first, expected):
    events = [_user(first), _user("yes")]
    tracker = make_tracker(text="yes", intent="affirm", events=events)
    result = await ValidateEnquiryForm().validate_enquiry_consent(True, dispatcher, tracker, {})
    assert result == {"enquiry_consent": True, **expected}


@pytest.mark.parametrize(("field", "slot"), [("role", "enquiry_role"), ("email", "enquiry_email")])
async def test_an_office_question_after_an_apology_is_answered_not_stored(dispatcher, field, slot):
    text = "sorry quick question first: which ICLEI office will receive this?"
    slots = {**GIVEN, slot: None}
    tracker = make_tracker(text=text, intent="nlu_fallback", slots=slots)
    validate = getattr(ValidateEnquiryForm(), f"validate_enquiry_{field}")
    result = await validate(text, dispatcher, tracker, {})
    assert result == {slot: None}
    # The enquiry's own office: the European Secretariat for France.
    assert any("European Secretariat" in str(m) for m in dispatcher.messages)


async def test_the_country_is_corrected_by_its_name_not_its_code(dispatcher):
    text = "Sorry, my mistake - it's Cuenca in Ecuador, not Spain."
    slots = {**GIVEN, "enquiry_country": "ES", "requested_slot": "enquiry_confirmed"}
    tracker = make_tracker(text=text, intent="correct_enquiry", slots=slots)
    from actions.enquiry_form import _answers, _applied
    from bot.enquiries import corrections

    found = corrections.changes(text, _answers(tracker))
    assert _applied(found) == {"enquiry_country": "EC"}


async def test_who_may_join_asked_for_the_name_is_answered_not_rejected(dispatcher):
    text = "before that - can consultants even submit this, or does it have to come from the city?"
    slots = {**GIVEN, "enquiry_name": None}
    tracker = make_tracker(text=text, intent="ask_why_cities", slots=slots)
    result = await ValidateEnquiryForm().validate_enquiry_name(text, dispatcher, tracker, {})
    assert result == {"enquiry_name": None}
    assert _responses(dispatcher) == ["utter_ask_membership"]


async def test_a_role_with_the_population_beside_it_keeps_both(dispatcher):
    text = "Senior regional planner, population is roughly 350,000"
    slots = {**GIVEN, "enquiry_role": None}
    tracker = make_tracker(text=text, intent="nlu_fallback", slots=slots)
    result = await ValidateEnquiryForm().validate_enquiry_role(text, dispatcher, tracker, {})
    assert result["enquiry_role"] == "Senior regional planner"
    assert result["enquiry_population"] == "350000"


# Tester B's Japanese enquiry (2026-12-01), one answer at a time.
SHIMOKAWA = {
    "enquiry_consent": True,
    "enquiry_organisation": "下川町役場",
    "enquiry_country": "IN",
    "enquiry_name": "下川町",
    "language": "ja",
}


async def test_other_answers_given_instead_of_the_one_asked_are_taken_then_it_is_asked_again(
    dispatcher,
):
    text = "国は日本で、名前は高橋です"
    tracker = make_tracker(text=text, intent="correct_enquiry", slots=SHIMOKAWA)
    result = await ValidateEnquiryForm().validate_enquiry_email(text, dispatcher, tracker, {})
    assert result == {"enquiry_country": "JP", "enquiry_name": "高橋", "enquiry_email": None}
    assert _responses(dispatcher) == ["utter_enquiry_corrected"]


async def test_a_skip_with_another_answer_beside_it_skips_and_keeps_that_answer(dispatcher):
    text = "スキップで。あ、人口は3千人くらいです"
    tracker = make_tracker(text=text, intent="nlu_fallback", slots=SHIMOKAWA)
    result = await ValidateEnquiryForm().validate_enquiry_role(text, dispatcher, tracker, {})
    assert result == {"enquiry_role": "", "enquiry_failures": 0, "enquiry_population": "3000"}


@pytest.mark.parametrize("text", ["下川町です", "下川町役場"])
async def test_the_organisation_typed_for_the_contacts_name_is_not_the_name(dispatcher, text):
    slots = {**SHIMOKAWA, "enquiry_name": None}
    tracker = make_tracker(text=text, intent="nlu_fallback", slots=slots)
    result = await ValidateEnquiryForm().validate_enquiry_name(text, dispatcher, tracker, {})
    assert result == {"enquiry_name": None}
    assert _responses(dispatcher) == ["utter_enquiry_name_is_organisation"]
    named = make_tracker(text="高橋 健", intent="nlu_fallback", slots=slots)
    kept = await ValidateEnquiryForm().validate_enquiry_name("高橋 健", dispatcher, named, {})
    assert kept["enquiry_name"] == "高橋 健"


async def test_a_name_with_the_role_in_a_sentence_keeps_only_the_name(dispatcher):
    text = "Maria Quispe, I'm the deputy manager of environment"
    slots = {**GIVEN, "enquiry_name": None}
    tracker = make_tracker(text=text, intent="nlu_fallback", slots=slots)
    result = await ValidateEnquiryForm().validate_enquiry_name(text, dispatcher, tracker, {})
    assert result["enquiry_name"] == "Maria Quispe"
    assert result["enquiry_role"] == "deputy manager of environment"


async def test_the_organisation_with_the_other_details_labelled_keeps_them_all(dispatcher):
    text = (
        "先ほども申し上げましたが、松本市でございます。国は日本、担当は鈴木花子、"
        "メールアドレスは suzuki@city.matsumoto.example.jp です"
    )
    slots = {"enquiry_consent": True, "language": "ja"}
    tracker = make_tracker(text=text, intent="nlu_fallback", slots=slots)
    result = await ValidateEnquiryForm().validate_enquiry_organisation(
        text, dispatcher, tracker, {}
    )
    assert result["enquiry_organisation"] == "松本市"
    assert result["enquiry_country"] == "JP"
    assert result["enquiry_name"] == "鈴木花子"
    assert result["enquiry_email"] == "suzuki@city.matsumoto.example.jp"


async def test_several_corrections_at_the_summary_with_a_blank_role(dispatcher):
    from actions.enquiry_form import _answers, _applied
    from bot.enquiries import corrections

    text = (
        "え、違います！国は日本、担当者は高橋、役職は空欄でお願いします。直したら送信してください。"
    )
    slots = {**SHIMOKAWA, "enquiry_role": "スキップで, あ", "enquiry_email": "t@town.example.jp"}
    tracker = make_tracker(text=text, intent="correct_enquiry", slots=slots)
    found = corrections.changes(text, _answers(tracker))
    assert _applied(found) == {"enquiry_country": "JP", "enquiry_name": "高橋", "enquiry_role": ""}


def test_a_country_asked_about_or_named_beside_another_countrys_region_is_not_prefilled():
    from bot.enquiries import prefill
    from bot.knowledge import get_knowledge

    texts = [
        "同意します",
        "インドのムンバイは？",
        "北海道の下川町役場で働いています。ベトナムのハノイと交流事業をしていますが、"
        "担当の事務所はどこですか？",
    ]
    found = prefill.from_messages(get_knowledge(), texts)
    assert (found.organisation, found.country) == ("下川町役場", None)
    said = prefill.from_messages(get_knowledge(), ["We're in the United States."])
    assert said.country == "US"


# Tester A's enquiries (2026-12-01).
async def test_a_population_corrected_by_number_at_the_message_question(dispatcher):
    text = "すみません、人口は約1万人ではなく約10万人の間違いでした。メッセージは特にありません。"
    slots = {**GIVEN, "enquiry_population": "10000", "enquiry_message": None, "language": "ja"}
    tracker = make_tracker(text=text, intent="correct_enquiry", slots=slots)
    result = await ValidateEnquiryForm().validate_enquiry_message(text, dispatcher, tracker, {})
    assert result["enquiry_population"] == "100000"
    assert result["enquiry_message"] == ""


async def test_the_email_with_a_name_to_change_beside_it_keeps_both(dispatcher):
    text = "tanaka-k@city.iida.nagano.jp です。名前はフルネームで田中一郎にしてください。"
    slots = {**GIVEN, "enquiry_name": "田中", "enquiry_email": None, "language": "ja"}
    tracker = make_tracker(text=text, intent="nlu_fallback", slots=slots)
    result = await ValidateEnquiryForm().validate_enquiry_email(text, dispatcher, tracker, {})
    assert result["enquiry_email"] == "tanaka-k@city.iida.nagano.jp"
    assert result["enquiry_name"] == "田中一郎"


def test_a_new_name_after_a_lead_in_is_the_name_alone():
    from bot.enquiries import corrections

    text = "One more thing - the official name is City of Ballarat, not Municipality of Ballarat."
    found = corrections.changes(text, {"organisation": "Municipality of Ballarat"})
    assert found == [corrections.Change("organisation", "City of Ballarat")]


# Tester C's enquiries (2026-12-01).
@pytest.mark.parametrize(
    ("text", "country"), [("台湾の台南市です", "TW"), ("City of Aarhus, Denmark", "DK")]
)
async def test_the_country_named_with_the_organisation_is_kept(dispatcher, text, country):
    slots = {"enquiry_consent": True}
    tracker = make_tracker(text=text, intent="nlu_fallback", slots=slots)
    result = await ValidateEnquiryForm().validate_enquiry_organisation(
        text, dispatcher, tracker, {}
    )
    assert result["enquiry_country"] == country


async def test_which_office_would_handle_it_asked_in_the_form_is_no_data_question(dispatcher):
    text = "hang on, which office would handle this? is there one in australia?"
    slots = {**GIVEN, "enquiry_country": "AU", "enquiry_name": None}
    tracker = make_tracker(text=text, intent="ask_office_contact", slots=slots)
    await ValidateEnquiryForm().validate_enquiry_name(text, dispatcher, tracker, {})
    assert "utter_enquiry_data_use" not in _responses(dispatcher)
    assert any("Melbourne" in (m.get("address") or "") for m in dispatcher.messages)


def test_a_role_in_brackets_after_the_name_is_the_role():
    from bot.enquiries import corrections

    found = corrections.labelled_answers(
        "担当者：田中あゆみ（国際協力アドバイザー）、人口：約250万人"
    )
    assert (found["name"], found["role"]) == ("田中あゆみ", "国際協力アドバイザー")


# Tester E's enquiry (2026-12-01): Japanese first, then English.
async def test_a_language_asked_for_inside_the_form_changes_it_and_the_name_is_kept(dispatcher):
    text = "Emily Carter. Can we continue in English please?"
    slots = {**SHIMOKAWA, "enquiry_name": None}
    tracker = make_tracker(text=text, intent="switch_language", slots=slots)
    result = await ValidateEnquiryForm().validate_enquiry_name(text, dispatcher, tracker, {})
    assert result["enquiry_name"] == "Emily Carter"
    assert (result["language"], result["preferred_language"]) == ("en", "en")


async def test_a_role_with_the_population_and_no_message_beside_it(dispatcher):
    text = "Coordinator for International Relations. Population is about 3,000, no message."
    slots = {**GIVEN, "enquiry_role": None}
    tracker = make_tracker(text=text, intent="nlu_fallback", slots=slots)
    result = await ValidateEnquiryForm().validate_enquiry_role(text, dispatcher, tracker, {})
    assert result["enquiry_role"] == "Coordinator for International Relations"
    assert (result["enquiry_population"], result["enquiry_message"]) == ("3000", "")
