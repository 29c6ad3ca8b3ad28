"""The plan: as it is, its one real question, or part by part."""

from __future__ import annotations

import pytest

from bot.dialogue.planner import Parsed, plan


def parsed(text: str, intent: str, *places: str) -> Parsed:
    entities = [{"entity": "place", "value": place} for place in places]
    entities.append({"entity": "language", "value": "en"})
    return Parsed(text, {"text": text, "intent": {"name": intent}, "entities": entities})


def test_two_different_questions_become_two_turns_in_order():
    whole = parsed("Where is the head office and how many staff?", "ask_headquarters")
    clauses = [
        parsed("Where is the head office", "ask_headquarters"),
        parsed("how many staff?", "ask_size"),
    ]
    units = plan(whole, clauses)
    assert [u.parse["intent"]["name"] for u in units] == ["ask_headquarters", "ask_size"]
    assert [u.text for u in units] == ["Where is the head office", "how many staff?"]


def test_same_question_about_two_places_becomes_two_turns():
    whole = parsed("Tokyo office and the Seoul office?", "ask_office_contact", "Tokyo", "Seoul")
    clauses = [
        parsed("Tokyo office", "ask_office_contact", "Tokyo"),
        parsed("the Seoul office?", "ask_office_contact", "Seoul"),
    ]
    assert len(plan(whole, clauses)) == 2


def test_a_place_and_a_placeless_clause_of_the_same_question_stay_one_turn():
    whole = parsed("I'm from Accra, which office do I contact?", "ask_office_contact", "Accra")
    clauses = [
        parsed("I'm from Accra", "ask_office_contact", "Accra"),
        parsed("which office do I contact?", "ask_office_contact"),
    ]
    units = plan(whole, clauses)
    assert len(units) == 1 and units[0].text == whole.text


def test_a_preamble_does_not_hide_the_question():
    whole = parsed("いつもお世話になっております。職員数を確認させてください。", "greet")
    clauses = [
        parsed("いつもお世話になっております。", "greet"),
        parsed("職員数を確認させてください。", "ask_size"),
    ]
    units = plan(whole, clauses)
    assert len(units) == 1
    assert units[0].text == whole.text
    assert units[0].parse["intent"]["name"] == "ask_size"


def test_a_self_introduction_classified_out_of_scope_is_not_answered():
    whole = parsed("I work for the city of Leeds. How many members?", "out_of_scope")
    clauses = [
        parsed("I work for the city of Leeds.", "out_of_scope"),
        parsed("How many members?", "ask_size"),
    ]
    units = plan(whole, clauses)
    assert [u.parse["intent"]["name"] for u in units] == ["ask_size"]


def test_an_out_of_scope_question_beside_a_real_one_is_answered_too():
    whole = parsed("What's the weather in Bonn? And where is the office?", "out_of_scope")
    clauses = [
        parsed("What's the weather in Bonn?", "out_of_scope", "Bonn"),
        parsed("And where is the office?", "ask_headquarters"),
    ]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == [
        "out_of_scope",
        "ask_headquarters",
    ]


def test_one_clause_is_the_message_as_it_is():
    whole = parsed("What is ICLEI?", "what_is_iclei")
    units = plan(whole, [whole])
    assert units[0].parse is whole.parse


def test_a_self_introduction_naming_a_place_is_context_not_a_question():
    whole = parsed(
        "I'm an officer at Yokohama City. How can we become a member?", "ask_office_contact"
    )
    clauses = [
        parsed("I'm an officer at Yokohama City.", "ask_office_contact", "Yokohama"),
        parsed("How can we become a member?", "ask_membership"),
    ]
    units = plan(whole, clauses)
    assert len(units) == 1 and units[0].parse["intent"]["name"] == "ask_membership"
    assert units[0].text == whole.text


def test_a_japanese_introduction_is_context_too():
    whole = parsed("横浜市環境局の者です。会員になるには？", "ask_membership")
    clauses = [
        parsed("横浜市環境局の者です。", "ask_office_contact", "横浜"),
        parsed("会員になるには？", "ask_membership"),
    ]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == ["ask_membership"]


def test_the_enquiry_form_starts_after_the_other_parts_are_answered():
    whole = parsed("I'd like to join. How many members are there?", "start_enquiry")
    clauses = [parsed("I'd like to join.", "start_enquiry"), parsed("How many?", "ask_size")]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == [
        "ask_size",
        "start_enquiry",
    ]


def test_cues_are_read_from_the_question_not_the_preamble():
    whole = parsed("I'm an intern in Ghana. How many offices does ICLEI have?", "greet")
    clauses = [
        parsed("I'm an intern in Ghana.", "ask_office_contact", "Ghana"),
        parsed("How many offices does ICLEI have?", "ask_size"),
    ]
    (unit,) = plan(whole, clauses)
    assert unit.focus == "How many offices does ICLEI have?"


def test_a_name_followed_by_here_is_an_introduction():
    whole = parsed("Auckland Council here. Where's the closest office?", "ask_office_contact")
    clauses = [
        parsed("Auckland Council here.", "ask_name", "Auckland"),
        parsed("Where's the closest office?", "ask_office_contact"),
    ]
    units = plan(whole, clauses)
    assert len(units) == 1 and units[0].text == whole.text


def test_a_greeting_the_model_misreads_is_not_answered():
    # "Good afternoon." was read as a history question: set phrases ask nothing.
    whole = parsed("Good afternoon. Which office handles Canada?", "ask_office_contact", "Canada")
    clauses = [
        parsed("Good afternoon.", "ask_history"),
        parsed("Which office handles Canada?", "ask_office_contact", "Canada"),
    ]
    units = plan(whole, clauses)
    assert [u.parse["intent"]["name"] for u in units] == ["ask_office_contact"]


def test_a_self_description_beside_a_question_is_context():
    whole = parsed(
        "会員になるにはどうしたらいいでしょうか。うちは人口5万人くらいの市です", "start_enquiry"
    )
    clauses = [
        parsed("会員になるにはどうしたらいいでしょうか。", "ask_membership"),
        parsed("うちは人口5万人くらいの市です", "ask_why_cities"),
    ]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == ["ask_membership"]
    whole = parsed("Our council is small. How would we join?", "nlu_fallback")
    clauses = [
        parsed("Our council is small.", "correct_enquiry"),
        parsed("How would we join?", "ask_membership"),
    ]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == ["ask_membership"]


def test_a_self_description_that_asks_is_still_a_question():
    whole = parsed("当市は会員ですか。職員数は？", "ask_membership")
    clauses = [parsed("当市は会員ですか。", "ask_membership"), parsed("職員数は？", "ask_size")]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == [
        "ask_membership",
        "ask_size",
    ]


def test_the_words_reporting_a_question_ask_nothing():
    whole = parsed("my mayor wants to know what you lot actually do", "nlu_fallback")
    clauses = [
        parsed("my mayor wants to know", "start_enquiry"),
        parsed("what you lot actually do", "what_is_iclei"),
    ]
    units = plan(whole, clauses)
    assert [u.parse["intent"]["name"] for u in units] == ["what_is_iclei"]
    assert units[0].focus == "what you lot actually do"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "that" is the preamble's wish: the whole message's reading answers it.
        ("how does that work?", "ask_membership"),
        # A detail named: the follow-up stays the question.
        ("what's their phone number?", "ask_followup"),
    ],
)
def test_a_follow_up_after_a_preamble(question, expected):
    preamble = "we're a municipality in Kenya thinking about signing up"
    whole = parsed(f"{preamble}, {question}", "ask_membership", "Kenya")
    clauses = [parsed(preamble, "ask_office_contact"), parsed(question, "ask_followup")]
    units = plan(whole, clauses)
    assert len(units) == 1 and units[0].text == whole.text
    assert units[0].parse["intent"]["name"] == expected


@pytest.mark.parametrize(
    ("question", "reading", "expected_whole"),
    [
        # Read alone as calling something off, which a question for the process is not.
        ("what's the process?", "cancel", True),
        ("can we cancel this?", "cancel", False),  # it does call something off
    ],
)
def test_a_question_read_as_cancel_after_a_preamble(question, reading, expected_whole):
    preamble = "we're a small town in Kenya and want to join"
    whole = parsed(f"{preamble}, {question}", "start_enquiry", "Kenya")
    clauses = [parsed(preamble, "start_enquiry", "Kenya"), parsed(question, reading)]
    units = plan(whole, clauses)
    assert (units[0].parse["intent"]["name"] == "start_enquiry") is expected_whole


def test_a_clause_ending_on_but_sets_up_the_question_after_it():
    whole = parsed(
        "北海道の帯広市役所の者です。加盟を検討しているのですが、どこに問い合わせればいいでしょうか。",
        "ask_office_contact",
        "北海道",
    )
    clauses = [
        parsed("北海道の帯広市役所の者です。", "ask_office_contact", "北海道"),
        parsed("加盟を検討しているのですが", "ask_size"),
        parsed("どこに問い合わせればいいでしょうか。", "ask_followup"),
    ]
    units = plan(whole, clauses)
    assert len(units) == 1
    assert units[0].text == whole.text
    assert units[0].focus == "どこに問い合わせればいいでしょうか。"


@pytest.mark.parametrize(
    ("opening", "misread", "closing"),
    [
        ("Hi! Sorry to bother you.", "bot_challenge", "Thank you so much."),
        ("Dear Sir or Madam, I hope this message finds you well.", "correct_enquiry",
         "Yours faithfully, J. Tremblay"),
        ("お忙しいところすみません。", "cancel", "よろしくお願いいたします。"),
        ("quick one:", "ask_followup", "cheers"),
        ("Quick question -", "ask_followup", "Thanks!"),
        ("ちょっと質問です。", "ask_other_iclei_topic", "よろしくお願いします。"),
    ],
)  # fmt: skip
def test_apologies_and_sign_offs_the_model_misreads_are_not_answered(opening, misread, closing):
    question = "Which office handles Canada?"
    whole = parsed(f"{opening} {question} {closing}", "ask_office_contact", "Canada")
    clauses = [
        parsed(opening, misread),
        parsed(question, "ask_office_contact", "Canada"),
        parsed(closing, "ask_other_iclei_topic"),
    ]
    units = plan(whole, clauses)
    assert [u.parse["intent"]["name"] for u in units] == ["ask_office_contact"]


def test_a_question_after_an_apology_is_still_a_question():
    whole = parsed("Sorry, where is the head office?", "ask_headquarters")
    clauses = [parsed("Sorry, where is the head office?", "ask_headquarters")]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == ["ask_headquarters"]


def test_a_clause_read_as_a_correction_outside_the_form_is_not_answered():
    # Messages are planned only outside the enquiry form: there is nothing to correct.
    whole = parsed("hey wat does ICLEI stand for?? my prof keeps saying it", "ask_name")
    clauses = [
        parsed("hey wat does ICLEI stand for??", "ask_name"),
        parsed("my prof keeps saying it", "correct_enquiry"),
    ]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == ["ask_name"]


def test_details_given_beside_a_request_to_join_are_not_a_question():
    whole = parsed(
        "加盟の問い合わせをしたいです。組織は南町役場、国は日本、メールはh@minami.example です",
        "start_enquiry",
    )
    clauses = [
        parsed("加盟の問い合わせをしたいです。", "start_enquiry"),
        parsed(
            "組織は南町役場、国は日本、メールはh@minami.example です", "ask_office_contact", "日本"
        ),
    ]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == ["start_enquiry"]


def test_a_statement_read_as_a_gap_beside_a_question_is_not_answered():
    question = "Which ICLEI office would we deal with?"
    statement = "Before I bring it to my director I want to understand a bit more."
    whole = parsed(f"{statement} {question}", "start_enquiry")
    clauses = [parsed(statement, "ask_other_iclei_topic"), parsed(question, "ask_office_contact")]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == ["ask_office_contact"]


def test_a_remark_the_model_half_heard_as_a_question_is_no_part_to_answer():
    def unsure(text: str, intent: str, confidence: float) -> Parsed:
        clause = parsed(text, intent)
        clause.parse["intent"]["confidence"] = confidence
        return clause

    whole = parsed(
        "Right. Quick one for a council briefing: why do cities matter?", "ask_why_cities"
    )
    clauses = [
        unsure("Quick one for a council briefing:", "ask_name", 0.63),
        unsure("why do cities matter?", "ask_why_cities", 0.99),
    ]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == ["ask_why_cities"]
    whole = parsed("なるほど、1990年ですね。職員数も教えてください。", "ask_size")
    clauses = [
        unsure("なるほど、1990年ですね。", "ask_name", 0.55),
        unsure("職員数も教えてください。", "ask_size", 0.99),
    ]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == ["ask_size"]
    # A sure reading of a second request stays a part of its own.
    clauses[0] = unsure("Address of the head office", "ask_headquarters", 0.97)
    assert len(plan(whole, clauses)) == 2


def test_a_consultant_introducing_themselves_asks_nothing():
    whole = parsed(
        "hi, do you guys have anything in Brussels? I consult for a few EU cities",
        "ask_office_contact",
        "Brussels",
    )
    clauses = [
        parsed("do you guys have anything in Brussels?", "ask_office_contact", "Brussels"),
        parsed("I consult for a few EU cities", "ask_why_cities"),
    ]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == ["ask_office_contact"]


def test_a_japanese_statement_beside_a_question_is_context():
    def sure(text: str, intent: str, *places: str) -> Parsed:
        clause = parsed(text, intent, *places)
        clause.parse["intent"]["confidence"] = 0.98
        return clause

    whole = parsed("うちの市はセビリアと姉妹都市です。セビリアの担当は？", "ask_office_contact")
    clauses = [
        sure("姉妹都市です。", "ask_why_cities"),
        sure("セビリアを担当している事務所はどこですか？", "ask_office_contact", "セビリア"),
    ]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == ["ask_office_contact"]
    # Curiosity said as a statement is a question of its own.
    clauses[0] = sure("会員数が気になります。", "ask_size")
    assert len(plan(whole, clauses)) == 2
    # 「ちなみにうちは宮崎県の町です。」 introduces the visitor.
    clauses[0] = sure("ちなみにうちは宮崎県の町です。", "ask_office_contact", "宮崎県")
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == ["ask_office_contact"]


def test_a_clause_the_model_could_not_read_joins_the_question_beside_it():
    # "When did ICLEI get going" alone fell back (a cue made it a follow-up); the whole
    # message asks the founding, as its other clause does: one answer, no "which topic?".
    whole = parsed("When did ICLEI get going and who started it?", "ask_founding")
    whole.parse["intent"]["confidence"] = 0.99
    unread = parsed("When did ICLEI get going", "ask_followup")
    unread.parse["reread_from"] = {"name": "nlu_fallback", "confidence": 0.5}
    units = plan(whole, [unread, parsed("and who started it?", "ask_founding")])
    assert [u.parse["intent"]["name"] for u in units] == ["ask_founding"]


def test_a_follow_up_asking_a_detail_stays_its_own_question():
    whole = parsed("Who started ICLEI? and the phone?", "ask_founding")
    whole.parse["intent"]["confidence"] = 0.99
    detail = parsed("and the phone?", "ask_followup")
    detail.parse["reread_from"] = {"name": "nlu_fallback", "confidence": 0.5}
    units = plan(whole, [parsed("Who started ICLEI?", "ask_founding"), detail])
    assert [u.parse["intent"]["name"] for u in units] == ["ask_founding", "ask_followup"]


def test_a_qualifying_phrase_beside_a_question_is_no_question():
    whole = parsed("都市ってCO2どれくらい出してるの？ICLEIのデータで", "ask_why_cities")
    clauses = [
        parsed("都市ってCO2どれくらい出してるの？", "ask_why_cities"),
        parsed("ICLEIのデータで", "what_is_iclei"),
    ]
    units = plan(whole, clauses)
    assert [u.parse["intent"]["name"] for u in units] == ["ask_why_cities"]


def test_a_data_question_in_two_clauses_is_one_question():
    text = (
        "ちなみに入力した村の名前とかって消えてます？個人情報とかどう扱われるのかちょっと気になって"
    )
    whole = parsed(text, "ask_name")
    clauses = [
        parsed("ちなみに入力した村の名前とかって消えてます？", "ask_name"),
        parsed("個人情報とかどう扱われるのかちょっと気になって", "ask_other_iclei_topic"),
    ]
    assert [u.text for u in plan(whole, clauses)] == [text]


def test_opening_hours_after_an_office_are_that_offices_detail():
    whole = parsed(
        "東京の事務所の電話番号も知りたいです。あと何時から開いてますか？", "ask_office_contact"
    )
    clauses = [
        parsed("東京の事務所の電話番号も知りたいです。", "ask_office_contact", "東京"),
        parsed("あと何時から開いてますか？", "out_of_scope"),
    ]
    assert len(plan(whole, clauses)) == 1


@pytest.mark.parametrize("remark", ["ニュースで見た", "授業でSDGsと自治体の取り組みを扱う予定で…"])
def test_plain_japanese_statements_beside_a_question_are_remarks(remark):
    whole = parsed(f"いくれいってなに？{remark}", "what_is_iclei")
    clauses = [
        parsed("いくれいってなに？", "what_is_iclei"),
        parsed(remark, "ask_other_iclei_topic"),
    ]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == ["what_is_iclei"]


@pytest.mark.parametrize(
    ("remark", "question", "intent"),
    [("I read something about a 'Seoul Plan'.", "What is it exactly?", "ask_mission"),
     ("hello, 日本の大学生です。", "Can you tell me ICLEI's mission?", "ask_mission"),
     # After a greeting, with words before "council"; or interest in ICLEI as a whole.
     ("Morning! Our small island council in Fiji is curious about ICLEI.",
      "Is there an office covering the Pacific?", "ask_office_contact"),
     ("My boss is curious about ICLEI.", "Is there an office in Oceania?", "ask_office_contact")],
)  # fmt: skip
def test_a_sentence_about_the_visitor_beside_a_question_is_no_question(remark, question, intent):
    whole = parsed(f"{remark} {question}", intent)
    clauses = [parsed(remark, "what_is_iclei", "日本"), parsed(question, intent)]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == [intent]


def test_interest_in_something_in_particular_is_no_remark():
    from bot.dialogue.planner import _remark

    assert not _remark(parsed("My boss is curious about your offices in Asia.", "list_offices"))
    assert _remark(parsed("My boss is curious about ICLEI.", "what_is_iclei"))


def test_a_request_in_the_first_person_is_still_a_question():
    whole = parsed("I need the address of the Tokyo office. And who founded ICLEI?", "ask_founding")
    clauses = [
        parsed("I need the address of the Tokyo office.", "ask_office_contact", "Tokyo"),
        parsed("And who founded ICLEI?", "ask_founding"),
    ]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == [
        "ask_office_contact",
        "ask_founding",
    ]


def test_what_a_colleague_says_beside_a_question_is_no_question():
    whole = parsed("is it still in Toronto? A colleague insists it is.", "ask_headquarters")
    clauses = [
        parsed("is it still in Toronto?", "ask_headquarters"),
        parsed("A colleague insists it is.", "switch_language"),
    ]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == ["ask_headquarters"]


def test_when_the_head_office_moved_is_read_from_the_whole_message():
    text = "wait so it started in Toronto but now its in Bonn? when did it move and why?"
    whole = parsed(text, "ask_founding")
    clauses = [
        parsed("wait so it started in Toronto but now its in Bonn?", "ask_founding"),
        parsed("when did it move and why?", "ask_why_cities"),
    ]
    assert [u.text for u in plan(whole, clauses)] == [text]


def test_what_do_i_do_after_a_wish_is_read_from_the_whole_message():
    text = "i want to join iclei as a city, what do i do"
    whole = parsed(text, "ask_membership")
    clauses = [
        parsed("i want to join iclei as a city", "start_enquiry"),
        parsed("what do i do", "ask_followup"),
    ]
    assert [u.text for u in plan(whole, clauses)] == [text]


def test_a_preferred_language_before_a_question_is_kept_and_goes_first():
    whole = parsed("I'd rather chat in Japanese. Where's the Japan office?", "ask_office_contact")
    clauses = [
        parsed("I'd rather chat in Japanese.", "switch_language"),
        parsed("Where's the Japan office?", "ask_office_contact"),
    ]
    assert [u.parse["intent"]["name"] for u in plan(whole, clauses)] == [
        "switch_language",
        "ask_office_contact",
    ]


def test_is_that_true_after_a_statement_is_read_from_the_whole_message():
    text = "ソウルにも事務所があると聞いたのですが、本当ですか？"
    whole = parsed(text, "ask_office_contact")
    clauses = [
        parsed("ソウルにも事務所があると聞いたのですが", "ask_office_contact"),
        parsed("本当ですか？", "ask_why_cities"),
    ]
    assert [u.text for u in plan(whole, clauses)] == [text]
