"""The staff shell: commands, buttons, and the /why line, driven with a fake assistant."""

from __future__ import annotations

from bot.staff.explain import explain_last
from bot.staff.shell import Shell

EVENTS = [
    {"event": "action", "name": "action_session_start", "policy": None},
    {
        "event": "user",
        "text": "札幌の担当は？",
        "message_id": "m1",
        "parse_data": {
            "intent": {"name": "ask_office_contact", "confidence": 1.0},
            "reread_from": {"name": "nlu_fallback", "confidence": 0.5},
            "intent_ranking": [
                {"name": "nlu_fallback", "confidence": 0.5},
                {"name": "ask_office_contact", "confidence": 0.41},
            ],
            "entities": [
                {"entity": "language", "value": "ja"},
                {"entity": "place", "value": "札幌"},
            ],
        },
    },
    {"event": "action", "name": "action_office_contact", "policy": "RulePolicy"},
    {"event": "bot", "text": "イクレイのページに札幌の事務所は掲載されていません。"},
    {"event": "action", "name": "action_listen", "policy": "RulePolicy"},
]


def test_why_names_language_intents_cue_place_action_and_policy():
    (line,) = explain_last(EVENTS)
    assert line.startswith("[ja] intent ask_office_contact")
    assert "(cue; model: nlu_fallback 0.50)" in line
    assert "札幌→JP→japan" in line
    assert "action_office_contact (rule)" in line


def test_a_compound_message_gets_one_line_per_part():
    second = dict(EVENTS[1], message_id="m1-1", text="あと職員数は？")
    events = [
        *EVENTS,
        second,
        {"event": "action", "name": "action_answer_faq", "policy": "TEDPolicy"},
    ]
    lines = explain_last(events)
    assert len(lines) == 2 and "action_answer_faq (TED)" in lines[1]


class FakeTransport:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.languages: list[str] = []

    def send(self, sender: str, text: str) -> list[dict]:
        self.sent.append((sender, text))
        return [
            {
                "text": "Which office?",
                "buttons": [
                    {"title": "Japan Office", "payload": '/ask_office_contact{"place": "japan"}'},
                    {"title": "Korea Office", "payload": '/ask_office_contact{"place": "korea"}'},
                ],
            }
        ]

    def events(self, sender: str) -> list[dict]:
        return EVENTS

    def set_language(self, sender: str, lang: str) -> None:
        self.languages.append(lang)


def run(lines: list[str], **kwargs) -> tuple[FakeTransport, list[str]]:
    transport, output = FakeTransport(), []
    Shell(transport, write=output.append, **kwargs).run(lines)  # type: ignore[arg-type]
    return transport, output


def test_buttons_are_picked_by_number_or_title():
    transport, output = run(["offices in Asia", "2", "Japan Office"])
    assert "     [2] Korea Office" in output
    assert [text for _, text in transport.sent] == [
        "offices in Asia",
        '/ask_office_contact{"place": "korea"}',
        '/ask_office_contact{"place": "japan"}',
    ]


def test_why_lang_restart_help_and_quit():
    transport, output = run(["hello", "/why", "/lang ja", "/restart", "/help", "/quit", "never"])
    assert any(line.startswith("why> [ja]") for line in output)
    assert transport.languages == ["ja"]
    assert "（新しい会話）" in output
    assert any("コマンド" in line for line in output)  # help follows the chosen language
    assert all(text != "never" for _, text in transport.sent)
    senders = {sender for sender, _ in transport.sent}
    assert len(senders) == 1


def test_explain_always_and_bad_commands():
    _, output = run(["hi", "/lang fr", "9"], explain_always=True)
    assert any(line.startswith("why> ") for line in output)
    assert "! /lang ja or /lang en" in output
    assert "! no button 9" in output


def test_a_place_the_model_did_not_tag_is_shown_from_the_text():
    user = dict(EVENTS[1])
    user["parse_data"] = dict(user["parse_data"], entities=[{"entity": "language", "value": "ja"}])
    (line,) = explain_last([user, EVENTS[2]])
    assert "places (text): 札幌→JP→japan" in line
