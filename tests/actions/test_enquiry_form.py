"""The enquiry form's validation action, the summary, submission and cancel."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.enquiry_form import (
    ActionAskEnquiryConfirmed,
    ActionAskEnquiryConsent,
    ValidateEnquiryForm,
)
from actions.enquiry_submission import ActionCancelEnquiry, ActionSubmitEnquiry
from bot.enquiries import EnquiryStore
from tests.actions.conftest import make_tracker

DOMAIN_SLOTS = [
    "enquiry_consent", "enquiry_organisation", "enquiry_country", "enquiry_name",
    "enquiry_email", "enquiry_role", "enquiry_population", "enquiry_message",
    "enquiry_fix_field", "enquiry_confirmed",
]  # fmt: skip

FILLED = {
    "enquiry_consent": True,
    "enquiry_organisation": "横浜市",
    "enquiry_country": "JP",
    "enquiry_name": "山田 太郎",
    "enquiry_email": "taro@city.yokohama.lg.jp",
    "enquiry_role": "",
    "enquiry_population": "3770000",
    "enquiry_message": "",
    "enquiry_confirmed": True,
    "language": "ja",
}


# The consent the visitor gave in the form, as the tracker records it.
CONSENTED_AT = 1_764_460_800.0  # 2025-11-30 00:00 UTC
CONSENTED = [{"event": "slot", "name": "enquiry_consent", "value": True, "timestamp": CONSENTED_AT}]


async def test_required_slots_skip_the_fix_question_unless_correcting():
    form = ValidateEnquiryForm()
    normal = await form.required_slots(DOMAIN_SLOTS, CollectingDispatcher(), make_tracker(), {})
    assert "enquiry_fix_field" not in normal
    fixing = make_tracker(slots={"enquiry_fixing": True})
    assert "enquiry_fix_field" in await form.required_slots(
        DOMAIN_SLOTS, CollectingDispatcher(), fixing, {}
    )


async def test_no_consent_asks_nothing_else():
    tracker = make_tracker(slots={"enquiry_consent": False})
    slots = await ValidateEnquiryForm().required_slots(
        DOMAIN_SLOTS, CollectingDispatcher(), tracker, {}
    )
    assert slots == ["enquiry_consent"]


@pytest.mark.parametrize(
    ("method", "value", "expected"),
    [
        ("validate_enquiry_email", " Taro@Example.COM ", "Taro@example.com"),
        ("validate_enquiry_country", "ケニア", "KE"),
        ("validate_enquiry_country", "Brazil", "BR"),
        ("validate_enquiry_organisation", "<b>City of Bonn</b>", "City of Bonn"),
        ("validate_enquiry_population", "120万", "1200000"),
        ("validate_enquiry_role", "skip", ""),
        ("validate_enquiry_message", "なし", ""),
    ],
)
async def test_valid_answers_are_normalised(dispatcher, method, value, expected):
    tracker = make_tracker(text=value, intent="nlu_fallback")
    result = await getattr(ValidateEnquiryForm(), method)(value, dispatcher, tracker, {})
    slot = method.removeprefix("validate_")
    assert result[slot] == expected
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("method", "value", "response"),
    [
        ("validate_enquiry_email", "taro-at-city", "utter_enquiry_invalid_email"),
        ("validate_enquiry_country", "Atlantis", "utter_enquiry_invalid_country"),
        ("validate_enquiry_organisation", "<script></script>", "utter_enquiry_invalid_empty"),
        ("validate_enquiry_name", "x" * 500, "utter_enquiry_invalid_too_long"),
        ("validate_enquiry_population", "lots", "utter_enquiry_invalid_population"),
    ],
)
async def test_invalid_answers_are_re_asked(dispatcher, method, value, response):
    tracker = make_tracker(text=value, intent="nlu_fallback")
    result = await getattr(ValidateEnquiryForm(), method)(value, dispatcher, tracker, {})
    assert result[method.removeprefix("validate_")] is None
    assert result["enquiry_failures"] == 1
    assert [m["response"] for m in dispatcher.messages] == [response]


async def test_third_failure_offers_to_cancel(dispatcher):
    tracker = make_tracker(text="nope", intent="nlu_fallback", slots={"enquiry_failures": 2})
    result = await ValidateEnquiryForm().validate_enquiry_email("nope", dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_enquiry_invalid_email", "utter_enquiry_offer_cancel",
    ]  # fmt: skip
    assert result["enquiry_failures"] == 0


async def test_required_field_cannot_be_skipped(dispatcher):
    tracker = make_tracker(text="/deny", intent="deny")
    result = await ValidateEnquiryForm().validate_enquiry_name("/deny", dispatcher, tracker, {})
    assert result["enquiry_name"] is None


async def test_correction_naming_a_field_clears_it(dispatcher):
    tracker = make_tracker(
        text="the email is wrong",
        intent="correct_enquiry",
        entities=[{"entity": "enquiry_field", "value": "email"}],
    )
    result = await ValidateEnquiryForm().validate_enquiry_confirmed(False, dispatcher, tracker, {})
    assert result == {"enquiry_confirmed": None, "enquiry_email": None}


@pytest.mark.parametrize(
    ("text", "slot", "value"),
    [
        ("Please change the organisation to City of Arequipa", "enquiry_organisation",
         "City of Arequipa"),
        ("担当者の名前を山田花子に直してください", "enquiry_name", "山田花子"),
        ("please change the email to l.f@muni.gob.pe", "enquiry_email", "l.f@muni.gob.pe"),
    ],
)  # fmt: skip
async def test_a_correction_with_its_new_value_takes_it_at_once(dispatcher, text, slot, value):
    tracker = make_tracker(text=text, intent="correct_enquiry")
    result = await ValidateEnquiryForm().validate_enquiry_confirmed(False, dispatcher, tracker, {})
    assert result == {"enquiry_confirmed": None, slot: value}


async def test_a_correction_with_an_invalid_value_asks_again(dispatcher):
    tracker = make_tracker(text="change the email to lf@", intent="correct_enquiry")
    result = await ValidateEnquiryForm().validate_enquiry_confirmed(False, dispatcher, tracker, {})
    assert result == {"enquiry_confirmed": None, "enquiry_email": None}


async def test_correction_without_a_field_asks_which(dispatcher):
    tracker = make_tracker(text="change something", intent="correct_enquiry")
    result = await ValidateEnquiryForm().validate_enquiry_confirmed(False, dispatcher, tracker, {})
    assert result == {"enquiry_confirmed": None, "enquiry_fixing": True}
    fixed = await ValidateEnquiryForm().validate_enquiry_fix_field(
        "country", dispatcher, tracker, {}
    )
    assert fixed == {"enquiry_fix_field": None, "enquiry_fixing": False, "enquiry_country": None}


async def test_summary_shows_every_answer_and_the_office(dispatcher):
    await ActionAskEnquiryConfirmed().run(dispatcher, make_tracker(slots=FILLED), {})
    message = dispatcher.messages[0]
    assert message["response"] == "utter_enquiry_summary"
    assert message["country"] == "日本"
    assert message["population"] == "3,770,000"
    assert message["role"] == "—"
    assert message["office_name"] == "日本事務所"


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'enquiries.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("ENQUIRY_SPOOL_DIR", str(tmp_path / "spool"))
    import bot.enquiries.service as service

    monkeypatch.setattr(service, "_default_store", None)
    monkeypatch.setattr(service, "_default_notifier", None)
    return url


async def test_submit_stores_once_and_resets(dispatcher, database):
    tracker = make_tracker(slots=FILLED, events=CONSENTED)
    events = await ActionSubmitEnquiry().run(dispatcher, tracker, {})
    again = CollectingDispatcher()
    await ActionSubmitEnquiry().run(again, tracker, {})  # a retry of the same submission
    rows = EnquiryStore(database).list()
    assert len(rows) == 1
    assert dispatcher.messages[0]["response"] == "utter_enquiry_stored"
    assert dispatcher.messages[0]["reference"] == rows[0].reference
    assert again.messages[0]["reference"] == rows[0].reference
    assert SlotSet("enquiry_email", None) in events


@pytest.mark.parametrize(
    ("lang", "promise_variable", "promise", "expected"),
    [
        ("en", "ENQUIRY_REPLY_PROMISE", "", ""),
        ("en", "ENQUIRY_REPLY_PROMISE", "We reply within five working days",
         " We reply within five working days."),
        ("ja", "ENQUIRY_REPLY_PROMISE_JA", "", ""),
        ("ja", "ENQUIRY_REPLY_PROMISE_JA", "5営業日以内にご返信します。",
         "5営業日以内にご返信します。"),
    ],
)  # fmt: skip
async def test_submit_promises_a_reply_only_when_configured(
    dispatcher, database, monkeypatch, lang, promise_variable, promise, expected
):
    monkeypatch.delenv("ENQUIRY_REPLY_PROMISE", raising=False)
    monkeypatch.delenv("ENQUIRY_REPLY_PROMISE_JA", raising=False)
    monkeypatch.setenv(promise_variable, promise)
    await ActionSubmitEnquiry().run(
        dispatcher, make_tracker(slots={**FILLED, "language": lang}, events=CONSENTED), {}
    )
    message = dispatcher.messages[0]
    assert message["response"] == "utter_enquiry_stored"
    assert message["reply_promise"] == expected


@pytest.mark.parametrize("lang", ["en", "ja"])
async def test_consent_question_by_default_has_no_link_and_no_promise(
    dispatcher, monkeypatch, lang
):
    for variable in ("ENQUIRY_PRIVACY_URL", "ENQUIRY_REPLY_PROMISE", "ENQUIRY_REPLY_PROMISE_JA"):
        monkeypatch.delenv(variable, raising=False)
    tracker = make_tracker(slots={"language": lang})
    assert await ActionAskEnquiryConsent().run(dispatcher, tracker, {}) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_enquiry_consent"]
    assert dispatcher.messages[0]["reply_promise"] == ""


@pytest.mark.parametrize(
    ("lang", "promise"),
    [("en", " ICLEI replies within ten working days."), ("ja", "10営業日以内にご返信します。")],
)
async def test_consent_question_with_the_deployers_link_and_promise(
    dispatcher, monkeypatch, lang, promise
):
    monkeypatch.setenv("ENQUIRY_PRIVACY_URL", " https://iclei.example/privacy ")
    monkeypatch.setenv("ENQUIRY_REPLY_PROMISE", "ICLEI replies within ten working days.")
    monkeypatch.setenv("ENQUIRY_REPLY_PROMISE_JA", "10営業日以内にご返信します")
    await ActionAskEnquiryConsent().run(dispatcher, make_tracker(slots={"language": lang}), {})
    notice, question = dispatcher.messages
    assert notice["response"] == "utter_enquiry_privacy_notice"
    assert notice["privacy_url"] == "https://iclei.example/privacy"
    assert question["response"] == "utter_ask_enquiry_consent"
    assert question["reply_promise"] == promise


async def test_submit_without_consent_stores_nothing(dispatcher, database):
    tracker = make_tracker(slots={**FILLED, "enquiry_consent": False})
    await ActionSubmitEnquiry().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_enquiry_no_consent"
    assert EnquiryStore(database).list() == []


async def test_database_down_spools_and_tells_the_truth(dispatcher, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")
    monkeypatch.setenv("ENQUIRY_SPOOL_DIR", str(tmp_path / "spool"))
    import bot.enquiries.service as service

    monkeypatch.setattr(service, "_default_store", None)
    monkeypatch.setattr(service, "_default_notifier", None)
    await ActionSubmitEnquiry().run(dispatcher, make_tracker(slots=FILLED, events=CONSENTED), {})
    assert dispatcher.messages[0]["response"] == "utter_enquiry_spooled"
    assert list((tmp_path / "spool").glob("*"))


async def test_cancel(dispatcher):
    events = await ActionCancelEnquiry().run(dispatcher, make_tracker(slots=FILLED), {})
    assert dispatcher.messages[0]["response"] == "utter_enquiry_cancelled"
    assert SlotSet("enquiry_name", None) in events


def with_confidence(tracker, confidence: float):
    tracker.latest_message["intent"]["confidence"] = confidence
    return tracker


async def test_confident_question_is_answered_and_the_field_asked_again(dispatcher):
    tracker = make_tracker(text="When was ICLEI founded?", intent="ask_founding",
                           slots={"language": "en"})  # fmt: skip
    result = await ValidateEnquiryForm().validate_enquiry_organisation(
        "When was ICLEI founded?", dispatcher, tracker, {}
    )
    assert result == {"enquiry_organisation": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_founding"]


async def test_unsure_question_intent_is_taken_as_the_answer(dispatcher):
    tracker = with_confidence(make_tracker(text="環境政策課 課長", intent="ask_name"), 0.58)
    result = await ValidateEnquiryForm().validate_enquiry_role(
        "環境政策課 課長", dispatcher, tracker, {}
    )
    assert result["enquiry_role"] == "環境政策課 課長"


async def test_a_question_instead_of_a_country_is_answered_even_when_the_model_is_unsure(
    dispatcher,
):
    text = "その前に、イクレイの使命って何？"
    tracker = with_confidence(make_tracker(text=text, intent="ask_mission"), 0.62)
    result = await ValidateEnquiryForm().validate_enquiry_country(text, dispatcher, tracker, {})
    assert result == {"enquiry_country": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_mission"]


async def test_an_unsure_question_in_a_free_text_field_is_still_the_answer(dispatcher):
    text = "What is the mission?"
    tracker = with_confidence(make_tracker(text=text, intent="ask_mission"), 0.62)
    result = await ValidateEnquiryForm().validate_enquiry_organisation(
        text, dispatcher, tracker, {}
    )
    assert result["enquiry_organisation"] == text


async def test_valid_email_is_an_answer_even_if_classified_as_a_question(dispatcher):
    tracker = make_tracker(text="amina@nairobi.go.ke", intent="ask_name")
    result = await ValidateEnquiryForm().validate_enquiry_email(
        "amina@nairobi.go.ke", dispatcher, tracker, {}
    )
    assert result["enquiry_email"] == "amina@nairobi.go.ke"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("山田花子です。フルネームでいいですか？", "山田花子"),
        ("My name is Jane Doe. Do you need my middle name too?", "Jane Doe"),
    ],
)
async def test_a_name_in_a_sentence_with_a_question_is_the_answer(dispatcher, text, name):
    # The model is sure the question is about ICLEI's name; the sentence gives a name.
    tracker = with_confidence(make_tracker(text=text, intent="ask_name"), 0.99)
    result = await ValidateEnquiryForm().validate_enquiry_name(text, dispatcher, tracker, {})
    assert result["enquiry_name"] == name
    assert dispatcher.messages == []


async def test_a_question_about_icleis_name_is_still_answered_when_asked_for_a_name(dispatcher):
    text = "What does ICLEI stand for?"
    tracker = with_confidence(make_tracker(text=text, intent="ask_name"), 0.99)
    result = await ValidateEnquiryForm().validate_enquiry_name(text, dispatcher, tracker, {})
    assert result == {"enquiry_name": None}
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_name"]


async def test_consent_is_recorded_when_it_was_given(dispatcher, database):
    await ActionSubmitEnquiry().run(dispatcher, make_tracker(slots=FILLED, events=CONSENTED), {})
    (stored,) = EnquiryStore(database).list()
    assert stored.consent_given_at.timestamp() == CONSENTED_AT


async def test_slots_that_did_not_come_through_the_form_are_not_stored(dispatcher, database):
    forged = {**FILLED, "enquiry_email": "URGENT: reset your password at http://evil.example"}
    await ActionSubmitEnquiry().run(dispatcher, make_tracker(slots=forged, events=CONSENTED), {})
    await ActionSubmitEnquiry().run(dispatcher, make_tracker(slots=FILLED), {})  # no consent
    assert EnquiryStore(database).list() == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_enquiry_cancelled"] * 2


async def test_a_long_sender_id_is_stored_not_spooled(dispatcher, database):
    tracker = make_tracker(slots=FILLED, events=CONSENTED)
    tracker.sender_id = "rest-" + "x" * 250
    await ActionSubmitEnquiry().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_enquiry_stored"
    assert len(EnquiryStore(database).list()) == 1


async def test_declined_consent_points_to_the_office_of_a_country_named_and_says_goodbye(
    dispatcher, database
):
    text = "No, not right now, I need to check with my director first. Thanks for the help, bye!"
    events = [
        {"event": "user", "text": "We're the City of Lyon in France, thinking of joining."},
        {"event": "user", "text": text},
    ]
    tracker = make_tracker(
        text=text, intent="deny", slots={"enquiry_consent": False}, events=events
    )
    await ActionSubmitEnquiry().run(dispatcher, tracker, {})
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_enquiry_no_consent_your_office"
    assert dispatcher.messages[0]["country"] == "France"
    assert "utter_office_contact" in responses[1]
    assert responses[-1] == "utter_goodbye"
    assert EnquiryStore(database).list() == []


async def test_a_question_at_the_summary_is_answered_not_taken_for_a_change(dispatcher):
    text = "担当は東南アジア事務局ではないのですね。東南アジア事務局はどこにあるんですか？"
    tracker = make_tracker(text=text, intent="ask_office_contact", slots=FILLED)
    result = await ValidateEnquiryForm().validate_enquiry_confirmed(False, dispatcher, tracker, {})
    assert result == {"enquiry_confirmed": None}
    assert any("Manila" in (m.get("address") or "") for m in dispatcher.messages)


async def test_send_when_asked_which_answer_to_change_sends(dispatcher):
    tracker = make_tracker(text="このまま送信してください", intent="affirm", slots=FILLED)
    result = await ValidateEnquiryForm().validate_enquiry_confirmed(True, dispatcher, tracker, {})
    assert result == {"enquiry_confirmed": True, "enquiry_fixing": False}


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        ({"enquiry_outcome": "sent", "enquiry_office": "japan"}, "utter_enquiry_sent_to_office"),
        ({"enquiry_outcome": "sent"}, "utter_enquiry_sent_already"),
        ({"enquiry_outcome": "not_kept"}, "utter_enquiry_not_kept"),
        # None in this conversation: one sent earlier cannot be looked up here.
        ({}, "utter_enquiry_earlier_not_here"),
    ],
)
async def test_a_change_asked_after_the_form_says_what_can_be_done(dispatcher, slots, expected):
    from actions.enquiry_submission import ActionEnquiryAfterForm

    tracker = make_tracker(text="団体名を修正したいのですが", intent="correct_enquiry", slots=slots)
    await ActionEnquiryAfterForm().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == expected
    if slots.get("enquiry_office"):
        assert dispatcher.messages[0]["office_name"] == "Japan Office"
        assert "Tokyo" in dispatcher.messages[1]["address"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("what was my reference number again?", ["utter_enquiry_reference"]),
     ("受付番号をもう一度教えてください", ["utter_enquiry_reference"]),
     ("can I still change the email?", ["utter_enquiry_sent_to_office", "utter_office_contact"])],
)  # fmt: skip
async def test_the_reference_is_given_again_after_sending(dispatcher, text, expected):
    from rasa_sdk.events import FollowupAction

    from actions.enquiry_submission import ActionEnquiryAfterForm

    slots = {
        "enquiry_outcome": "sent",
        "enquiry_office": "japan",
        "enquiry_reference": "ICLEI-2026-000024",
    }
    tracker = make_tracker(text=text, intent="correct_enquiry", slots=slots)
    events = await ActionEnquiryAfterForm().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == expected
    if expected == ["utter_enquiry_reference"]:
        assert dispatcher.messages[0]["reference"] == "ICLEI-2026-000024"
        assert events == [FollowupAction("action_listen")]  # no offer of a new enquiry


async def test_an_enquiry_from_an_earlier_conversation_points_to_its_office(dispatcher):
    from actions.enquiry_submission import ActionEnquiryAfterForm

    text = "先日加盟の問い合わせを送った長野市の佐藤です。受付番号はICLEI-2026-000021です。"
    tracker = make_tracker(
        text=text,
        intent="correct_enquiry",
        slots={"language": "ja"},
        events=[{"event": "user", "text": text, "parse_data": {}}],
    )
    await ActionEnquiryAfterForm().run(dispatcher, tracker, {})
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_enquiry_earlier_not_here"
    assert dispatcher.messages[1]["office_name"] == "日本事務所"


async def test_the_end_of_an_enquiry_is_remembered_without_personal_data(dispatcher, database):
    tracker = make_tracker(slots={**FILLED, "enquiry_consent": False})
    events = await ActionSubmitEnquiry().run(dispatcher, tracker, {})
    assert SlotSet("enquiry_outcome", "not_kept") in events
    cancelled = await ActionCancelEnquiry().run(dispatcher, make_tracker(slots=FILLED), {})
    assert SlotSet("enquiry_outcome", "not_kept") in cancelled


async def test_new_values_typed_at_which_detail_are_taken_at_once(dispatcher):
    text = "the contact should be my colleague Dr. Lena Hofer, her email is lena.hofer@graz.example"
    tracker = make_tracker(
        text=text, intent="correct_enquiry", slots={**FILLED, "enquiry_fixing": True}
    )
    fixed = await ValidateEnquiryForm().validate_enquiry_fix_field("email", dispatcher, tracker, {})
    assert fixed == {
        "enquiry_name": "Dr. Lena Hofer",
        "enquiry_email": "lena.hofer@graz.example",
        "enquiry_fix_field": None,
        "enquiry_fixing": False,
    }
    assert dispatcher.messages[0]["response"].startswith("utter_enquiry_corrected")


@pytest.mark.parametrize(
    "text",
    ["送信する前に一つ。このデータは高雄の事務所以外にも共有されますか？",
     "Before you send it: will my data be shared with other offices?",
     "送信する前に、担当はどの事務所になりますか？"],
)  # fmt: skip
async def test_a_question_at_the_summary_sends_nothing(dispatcher, text):
    tracker = make_tracker(text=text, intent="affirm", slots=FILLED)
    result = await ValidateEnquiryForm().validate_enquiry_confirmed(True, dispatcher, tracker, {})
    assert result == {"enquiry_confirmed": None}
    assert dispatcher.messages  # answered


async def test_send_it_still_sends(dispatcher):
    tracker = make_tracker(text="はい、送信してください", intent="affirm", slots=FILLED)
    result = await ValidateEnquiryForm().validate_enquiry_confirmed(True, dispatcher, tracker, {})
    assert result == {"enquiry_confirmed": True, "enquiry_fixing": False}


async def test_an_enquiry_taken_up_again_says_the_old_answers_were_not_kept(dispatcher):
    from actions.enquiry_form import ActionAskEnquiryConsent

    text = "すいません、上司OKでした！さっきの続きからできます？"
    tracker = make_tracker(text=text, intent="start_enquiry", slots={"enquiry_outcome": "not_kept"})
    await ActionAskEnquiryConsent().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_enquiry_restart_not_kept"
    dispatcher.messages.clear()
    tracker = make_tracker(text="I'd like to send an enquiry", intent="start_enquiry")
    await ActionAskEnquiryConsent().run(dispatcher, tracker, {})
    assert "utter_enquiry_restart_not_kept" not in [m["response"] for m in dispatcher.messages]


@pytest.mark.parametrize(
    ("text", "answer"),
    [("Not now, thank you. One last thing — when was the name changed to the current one?",
      "utter_ask_name"),
     ("No, I just want to know whether NGOs are eligible before I send anything",
      "utter_who_can_join_not_on_page"),
     ("No thanks", None)],
)  # fmt: skip
async def test_a_question_beside_the_no_is_answered(dispatcher, text, answer):
    from actions.enquiry_submission import ActionSubmitEnquiry

    tracker = make_tracker(text=text, intent="deny", slots={"enquiry_consent": False})
    await ActionSubmitEnquiry().run(dispatcher, tracker, {})
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_enquiry_no_consent"
    assert (answer in responses) if answer else responses == ["utter_enquiry_no_consent"]


async def test_details_listed_at_the_organisation_go_to_their_fields(dispatcher):
    text = "小布施町、日本、高橋ゆうと、takahashi.y@town.obuse.example.jp です"
    tracker = make_tracker(text=text, intent="inform", slots={"enquiry_consent": True})
    result = await ValidateEnquiryForm().validate_enquiry_organisation(
        text, dispatcher, tracker, {}
    )
    assert result["enquiry_organisation"] == "小布施町"
    assert result["enquiry_country"] == "JP"
    assert result["enquiry_name"] == "高橋ゆうと"
    assert result["enquiry_email"] == "takahashi.y@town.obuse.example.jp"


async def test_an_organisation_with_its_region_stays_whole(dispatcher):
    text = "City of Lyon, Auvergne Rhône Alpes"
    tracker = make_tracker(text=text, intent="inform", slots={"enquiry_consent": True})
    result = await ValidateEnquiryForm().validate_enquiry_organisation(
        text, dispatcher, tracker, {}
    )
    assert result["enquiry_organisation"] == text
    assert "enquiry_name" not in result
