"""The strict wrapper around `rasa data validate`: which warnings fail the check."""

from bot.ops.data_validation import responses_sent_by_code, unexpected_warnings, used_by_forms

IO = "/x/rasa/shared/utils/io.py:100: UserWarning: "


def test_unused_response_sent_by_an_action_is_expected():
    output = IO + "The utterance 'utter_office_list' is not used in any story or rule."
    assert unexpected_warnings(output, responses_sent_by_code()) == []


def test_unused_response_nobody_sends_fails():
    output = IO + "The utterance 'utter_forgotten' is not used in any story or rule."
    assert unexpected_warnings(output, responses_sent_by_code())


def test_form_questions_and_mapping_intents_are_expected():
    questions, intents = used_by_forms()
    assert "utter_ask_enquiry_email" in questions
    assert "correct_enquiry" in intents
    output = IO + "The intent 'correct_enquiry' is not used in any story or rule."
    assert unexpected_warnings(output, questions, intents) == []


def test_any_other_validator_warning_fails():
    output = IO + "The example 'hi' was found labeled with multiple different intents."
    assert unexpected_warnings(output, set()) == [output]


def test_library_deprecation_notices_are_not_about_our_data():
    output = "/x/sqlalchemy/util.py:1: MovedIn20Warning: Deprecated API features detected!"
    assert unexpected_warnings(output, set()) == []
