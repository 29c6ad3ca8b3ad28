"""A correction typed at the enquiry's summary (bot/enquiries/corrections.py)."""

from __future__ import annotations

import pytest

from bot.enquiries.corrections import asks_to_change, field_named, new_value


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Please change the organisation to City of Arequipa", "organisation", "City of Arequipa"),
        ("The contact name is wrong too, it should be Lucía Fernández", "name", "Lucía Fernández"),
        ("please change the email to l.f@muni.gob.pe", "email", "l.f@muni.gob.pe"),
        ("Can you change my role to Senior Climate Advisor?", "role", "Senior Climate Advisor"),
        ("change the population to 1.2 million please", "population", "1.2 million"),
        ("担当者の名前を山田花子に直してください", "name", "山田花子"),
        ("団体名を台中市政府に直してください", "organisation", "台中市政府"),
        ("国を日本に変更してください", "country", "日本"),
        ("メールアドレスが違います。正しくは yamada@city.example.jp です", "email",
         "yamada@city.example.jp"),
        # A field named without its new value: the form asks the question again.
        ("the email is wrong", "email", None),
        ("人口を修正したいです", "population", None),
    ],
)  # fmt: skip
def test_the_field_and_the_new_value(text, field, value):
    assert asks_to_change(text)
    assert field_named(text) == field
    assert new_value(text) == value


@pytest.mark.parametrize("text", ["yes, that's all correct", "はい、大丈夫です", "send it"])
def test_a_confirmation_asks_no_change(text):
    assert not asks_to_change(text)
