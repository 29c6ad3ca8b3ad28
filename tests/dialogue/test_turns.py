"""The message-processor patch: turns planned from one message, a chosen language held."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import SlotSet, UserUttered

from bot import rasa_compat
from bot.dialogue import turns

INTENTS = {
    "in which city?": "list_offices",
    "which city is the HQ in?": "ask_headquarters",
    "where is the Tokyo office?": "ask_office_contact",
    "Where is the head office": "ask_headquarters",
    "how many staff does ICLEI have?": "ask_size",
    "Where is the head office and how many staff does ICLEI have?": "ask_headquarters",
    "What is ICLEI?": "what_is_iclei",
}


class FakeTracker:
    def __init__(self, slots: dict[str, Any], loop: str | None = None) -> None:
        self.slots = slots
        self.active_loop_name = loop
        self.events: list[Any] = []

    def get_slot(self, name: str) -> Any:
        return self.slots.get(name)

    def update(self, event: Any) -> None:
        self.events.append(event)
        if isinstance(event, SlotSet):
            self.slots[event.key] = event.value


class FakeProcessor:
    """Parses by table and records the turns handed to Rasa's own handle_message."""

    def __init__(self, slots: dict[str, Any] | None = None, loop: str | None = None) -> None:
        self.tracker = FakeTracker(slots or {}, loop)
        self.handled: list[UserMessage] = []

    async def get_tracker(self, sender_id: str) -> FakeTracker:
        return self.tracker

    async def save_tracker(self, tracker: FakeTracker) -> None:
        self.saved = True

    async def parse_message(self, message: UserMessage, tracker: Any = None) -> dict[str, Any]:
        intent = INTENTS.get(message.text, "nlu_fallback")
        return {
            "text": message.text,
            "intent": {"name": intent, "confidence": 0.9},
            "entities": [{"entity": "language", "value": "en"}],
            "language": "en",
        }


async def original(processor: FakeProcessor, message: UserMessage) -> list[dict]:
    processor.handled.append(message)
    message.output_channel.messages.append({"text": f"answer to {message.text}"})
    return message.output_channel.messages


handle = turns.wrap(original)


def message(text: str) -> UserMessage:
    return UserMessage(text, CollectingOutputChannel(), "visitor", message_id="m1")


async def test_a_compound_message_becomes_turns_whose_answers_come_back_in_order():
    processor = FakeProcessor()
    result = await handle(
        processor, message("Where is the head office and how many staff does ICLEI have?")
    )
    assert [m.parse_data["intent"]["name"] for m in processor.handled] == [
        "ask_headquarters",
        "ask_size",
    ]
    assert [m.message_id for m in processor.handled] == ["m1", "m1-1"]
    assert [r["text"] for r in result] == [
        "answer to Where is the head office",
        "answer to how many staff does ICLEI have?",
    ]


async def test_inside_a_form_the_message_is_one_answer():
    processor = FakeProcessor(loop="enquiry_form")
    await handle(processor, message("Where is the head office and how many staff does ICLEI have?"))
    assert len(processor.handled) == 1


async def test_an_answer_then_a_question_in_the_form_carries_the_questions_own_reading():
    processor = FakeProcessor({"requested_slot": "enquiry_role"}, loop="enquiry_form")
    await handle(processor, message("Mayor. Where is the head office"))
    assert len(processor.handled) == 1
    part = processor.handled[0].parse_data["question_part"]
    assert part["text"] == "Where is the head office"
    assert part["intent"]["name"] == "ask_headquarters"


@pytest.mark.parametrize(
    ("slot", "text"),
    [
        ("enquiry_role", "Head of the climate team"),  # no question
        ("enquiry_message", "We want to join. Where is the head office"),  # all of it the message
        ("enquiry_consent", "yes. Where is the head office"),
    ],
)
async def test_no_question_part_without_an_answer_and_a_question(slot, text):
    processor = FakeProcessor({"requested_slot": slot}, loop="enquiry_form")
    await handle(processor, message(text))
    assert "question_part" not in processor.handled[0].parse_data


async def test_the_consent_question_answered_in_its_own_words_is_read_as_yes_or_no():
    for text, expected in [("同意します", "affirm"), ("I don't agree", "deny")]:
        processor = FakeProcessor({"requested_slot": "enquiry_consent"}, loop="enquiry_form")
        await handle(processor, message(text))
        assert processor.handled[0].parse_data["intent"]["name"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "actually never mind, I need to check with my boss first",
        "ok cancel",
        "やっぱりやめておきます。また連絡します",
        "すみません、キャンセルでお願いします",
        "すみません、やっぱり今日はここでやめておきます。また後で来ます",
    ],
)
async def test_a_message_calling_the_form_off_is_cancel_at_any_question(text):
    processor = FakeProcessor({"requested_slot": "enquiry_country"}, loop="enquiry_form")
    await handle(processor, message(text))
    assert processor.handled[0].parse_data["intent"]["name"] == "cancel"


@pytest.mark.parametrize("text", ["Municipality of Cancelo", "やっぱり京都市です", "Norway"])
async def test_answers_that_do_not_start_by_calling_off_stay_answers(text):
    processor = FakeProcessor({"requested_slot": "enquiry_organisation"}, loop="enquiry_form")
    await handle(processor, message(text))
    assert processor.handled[0].parse_data["intent"]["name"] != "cancel"


@pytest.mark.parametrize(
    "text",
    ["Can you change my role to Senior Climate Advisor?", "団体名を台中市政府に直してください"],
)
async def test_a_change_asked_at_the_summary_is_a_correction(text):
    processor = FakeProcessor({"requested_slot": "enquiry_confirmed"}, loop="enquiry_form")
    await handle(processor, message(text))
    assert processor.handled[0].parse_data["intent"]["name"] == "correct_enquiry"


async def test_other_questions_of_the_form_are_left_to_the_form():
    processor = FakeProcessor({"requested_slot": "enquiry_organisation"}, loop="enquiry_form")
    await handle(processor, message("同意します"))
    assert processor.handled[0].parse_data["intent"]["name"] == "nlu_fallback"


async def test_a_chosen_language_holds_over_the_script():
    processor = FakeProcessor(slots={"preferred_language": "ja"})
    await handle(processor, message("What is ICLEI?"))
    parse = processor.handled[0].parse_data
    assert [e["value"] for e in parse["entities"] if e["entity"] == "language"] == ["ja"]
    assert parse["language"] == "ja"


async def test_a_language_request_carries_the_language_requested():
    INTENTS["Could you answer in Japanese, please?"] = "switch_language"
    processor = FakeProcessor(slots={"preferred_language": "en"})
    await handle(processor, message("Could you answer in Japanese, please?"))
    parse = processor.handled[0].parse_data
    assert [e["value"] for e in parse["entities"] if e["entity"] == "language"] == ["ja"]


async def test_button_payloads_pass_through_untouched():
    processor = FakeProcessor()
    await handle(processor, message("/what_is_iclei"))
    assert processor.handled[0].parse_data is None


def test_install_is_idempotent_and_marks_the_processor():
    rasa_compat.install()
    rasa_compat.install()
    assert rasa_compat.installed()
    from rasa.core.processor import MessageProcessor

    assert not hasattr(MessageProcessor.handle_message.__wrapped__, "__wrapped__")


@pytest.mark.parametrize(
    ("text", "read_as"),
    [
        ("今のミッションを日本語でもう一度教えてください", "ask_mission"),
        ("Could you tell me the mission in English, please?", "ask_mission"),
    ],
)  # fmt: skip
async def test_a_language_request_with_a_question_switches_then_answers_it(text, read_as):
    INTENTS[text] = read_as
    processor = FakeProcessor()
    await handle(processor, message(text))
    intents = [m.parse_data["intent"]["name"] for m in processor.handled]
    assert intents == ["switch_language", read_as]


async def test_a_language_request_with_a_reason_only_switches():
    # The model read a question into it; the second sentence is a reason, not a question.
    text = "Actually, can we continue in Japanese? 日本語の方が楽なので。"
    INTENTS[text] = "what_is_iclei"
    processor = FakeProcessor()
    await handle(processor, message(text))
    assert [m.parse_data["intent"]["name"] for m in processor.handled] == ["switch_language"]


async def test_a_bare_language_request_only_switches():
    INTENTS["英語でお願いします"] = "thank"
    processor = FakeProcessor()
    await handle(processor, message("英語でお願いします"))
    assert [m.parse_data["intent"]["name"] for m in processor.handled] == ["switch_language"]


@pytest.mark.parametrize(
    ("text", "then"),
    [
        # The model is sure it is a language request; the words name the mission.
        ("今のミッションを日本語でもう一度教えてください", "ask_mission"),
        # A detail of the office just discussed.
        ("Back to Japanese - 電話番号は？", "ask_followup"),
    ],
)
async def test_a_question_the_model_read_as_the_switch_itself_is_still_answered(text, then):
    INTENTS[text] = "switch_language"
    processor = FakeProcessor()
    await handle(processor, message(text))
    intents = [m.parse_data["intent"]["name"] for m in processor.handled]
    assert intents == ["switch_language", then]


@pytest.mark.parametrize("text", ["¿Cuál es la misión de ICLEI?", "ICLEI有日本的办事处吗？"])
async def test_a_message_in_another_language_is_not_answered_after_the_language_reply(text):
    # The model reads a question in it; the reply is only which languages the bot speaks.
    INTENTS[text] = "ask_mission"
    processor = FakeProcessor()
    await handle(processor, message(text))
    assert [m.parse_data["intent"]["name"] for m in processor.handled] == ["switch_language"]


def test_a_reply_repeated_word_for_word_in_one_turn_is_sent_once():
    from bot.dialogue.turns import _without_repeats

    same = {"recipient_id": "a", "text": "The page does not list that."}
    other = {"recipient_id": "a", "text": "Anything else?"}
    assert _without_repeats([same, dict(same), other]) == [same, other]


@pytest.mark.parametrize(
    ("last_action", "text", "expected"),
    [
        # A yes that goes on with the visitor's details answers the offer.
        ("utter_offer_enquiry",
         "Sure, my name is Lucía Fernández and I work for the Municipality of Arequipa.", True),
        ("utter_offer_enquiry", "はい、お願いします。横浜市の者です", True),
        # "yes, but …" is not a plain yes; nor is a yes after anything but the offer.
        ("utter_offer_enquiry", "yes but what is the fee?", False),
        ("utter_ask_enquiry_consent", "Sure, my name is Lucía", False),
    ],
)  # fmt: skip
async def test_a_yes_that_goes_on_answers_the_offer(last_action, text, expected):
    from rasa.shared.core.events import ActionExecuted

    processor = FakeProcessor()
    processor.tracker.events = [ActionExecuted(last_action), ActionExecuted("action_listen")]
    await handle(processor, message(text))
    assert (processor.handled[0].parse_data["intent"]["name"] == "affirm") is expected


async def test_a_chat_spelling_is_read_in_the_usual_one_but_not_a_form_answer():
    processor = FakeProcessor()
    await handle(processor, message("yo whats iclei lol"))
    assert processor.handled[0].text == "whats iclei"
    in_form = FakeProcessor({"requested_slot": "enquiry_name"}, loop="enquiry_form")
    await handle(in_form, message("Yo Yamada lol"))
    assert in_form.handled[0].text == "Yo Yamada lol"


async def test_a_request_to_enquire_with_the_details_in_it_starts_the_form_whole():
    text = (
        "Hello, I'd like to submit a membership enquiry. Organisation: Tamale Metropolitan "
        "Assembly, country Ghana, my name is Abena Mensah, email a.mensah@tamale.example."
    )
    processor = FakeProcessor()
    await handle(processor, message(text))
    assert [m.parse_data["intent"]["name"] for m in processor.handled] == ["start_enquiry"]


@pytest.mark.parametrize("text", ["role: Planning Officer", "名前：井上 誠"])
async def test_a_labelled_value_at_the_summary_is_a_correction(text):
    processor = FakeProcessor({"requested_slot": "enquiry_confirmed"}, loop="enquiry_form")
    await handle(processor, message(text))
    assert processor.handled[0].parse_data["intent"]["name"] == "correct_enquiry"


@pytest.mark.parametrize(
    "text",
    [
        "ブリュッセル事務所とヨーロッパ事務局って別の組織ですか？",
        "What's the difference between the Seoul office and the Suwon one?",
    ],
)
async def test_offices_compared_are_one_question_about_offices(text):
    processor = FakeProcessor()
    await handle(processor, message(text))
    assert [m.text for m in processor.handled] == [text]
    assert processor.handled[0].parse_data["intent"]["name"] == "ask_office_contact"


def _said_before(processor: FakeProcessor, text: str) -> None:
    processor.tracker.events.append(UserUttered(text))


async def test_a_sentence_in_the_other_language_ends_the_choice_of_a_visitor_who_wrote_it():
    processor = FakeProcessor(slots={"preferred_language": "en"})
    _said_before(processor, "what was their first big program?")
    await handle(processor, message("ありがとうございました！レポート頑張ります。"))
    parse = processor.handled[0].parse_data
    assert "preference" not in [e.get("extractor") for e in parse["entities"]]
    assert processor.tracker.slots["preferred_language"] is None


@pytest.mark.parametrize(
    ("before", "text"),
    [
        # Asked for English in Japanese: English answers to Japanese questions.
        ("英語でお願いします", "本部はどこにありますか？"),
        # A few words or a place are no sentence.
        ("What is ICLEI?", "東京"),
    ],
)
async def test_a_choice_holds_for_a_visitor_who_writes_the_other_language(before, text):
    processor = FakeProcessor(slots={"preferred_language": "en"})
    _said_before(processor, before)
    await handle(processor, message(text))
    parse = processor.handled[0].parse_data
    assert [e["value"] for e in parse["entities"] if e["entity"] == "language"] == ["en"]
    assert processor.tracker.slots["preferred_language"] == "en"


async def test_each_turn_of_a_split_message_carries_the_whole_message():
    processor = FakeProcessor()
    text = "Where is the head office and how many staff does ICLEI have?"
    await handle(processor, message(text))
    assert [m.parse_data.get("message_text") for m in processor.handled] == [text, text]
    single = FakeProcessor()
    await handle(single, message("What is ICLEI?"))
    assert "message_text" not in single.handled[0].parse_data


async def test_a_japanese_enquiry_with_its_details_labelled_starts_the_form_whole():
    text = (
        "会員の問い合わせをお願いします。団体：インドネシア・バンドン市、国：インドネシア、"
        "担当者：田中あゆみ（国際協力アドバイザー）、メール：ayumi.tanaka@bandung.go.id"
    )
    processor = FakeProcessor()
    await handle(processor, message(text))
    assert [m.parse_data["intent"]["name"] for m in processor.handled] == ["start_enquiry"]


@pytest.mark.parametrize(
    "text",
    [
        "No!! I wanted to SEND it, not cancel. Can we get it back?",
        "団体名は直していただけましたか？",
    ],
)
async def test_a_message_about_the_enquiry_that_just_ended_is_about_it(text):
    from rasa.shared.core.events import ActionExecuted

    processor = FakeProcessor()
    processor.tracker.events.append(ActionExecuted("action_cancel_enquiry"))
    await handle(processor, message(text))
    assert processor.handled[0].parse_data["intent"]["name"] == "correct_enquiry"


async def test_a_change_asked_in_a_conversation_without_an_enquiry_is_a_follow_up():
    INTENTS["なんで変えたの？"] = "correct_enquiry"
    processor = FakeProcessor()
    await handle(processor, message("なんで変えたの？"))
    assert processor.handled[0].parse_data["intent"]["name"] == "ask_followup"
    # After an enquiry, a change is about it.
    after = FakeProcessor(slots={"enquiry_outcome": "sent"})
    await handle(after, message("なんで変えたの？"))
    assert after.handled[0].parse_data["intent"]["name"] == "correct_enquiry"


def test_a_line_that_introduced_a_repeated_card_ends_as_a_sentence():
    from bot.dialogue.turns import _without_repeats

    card = {"recipient_id": "u", "text": "São Paulo office card"}
    intro = {"recipient_id": "u", "text": "For South America, please contact the office:"}
    first = {"recipient_id": "u", "text": "No office in Bogotá; contact the office:"}
    assert _without_repeats([first, card, intro, dict(card)]) == [
        first,
        card,
        {"recipient_id": "u", "text": "For South America, please contact the office."},
    ]


def test_a_japanese_line_announcing_a_repeated_card_points_above():
    from bot.dialogue.turns import _without_repeats

    card = {"recipient_id": "u", "text": "日本事務所（所在地：東京）"}
    line = (
        "日本事務所について、その情報は掲載されていません。"
        "直接お問い合わせいただけるよう、掲載されている連絡先をご案内します。"
    )
    kept = _without_repeats([card, {"recipient_id": "u", "text": line}, dict(card)])
    assert kept[1]["text"].endswith("連絡先は上記のとおりです。")
    assert len(kept) == 2


@pytest.mark.parametrize(
    ("topic", "text", "expected"),
    [
        ("ask_founding", "in which city?", "ask_followup"),  # where it was founded
        ("ask_founding", "which city is the HQ in?", "ask_headquarters"),
        ("ask_founding", "where is the Tokyo office?", "ask_office_contact"),
        ("office", "in which city?", "list_offices"),  # the office's own follow-ups
        (None, "in which city?", "list_offices"),
    ],
)
async def test_a_bare_facet_question_follows_up_the_fact_just_answered(topic, text, expected):
    processor = FakeProcessor({"topic": topic})
    await handle(processor, message(text))
    assert processor.handled[0].parse_data["intent"]["name"] == expected
