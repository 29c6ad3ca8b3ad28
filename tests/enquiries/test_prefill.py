"""The organisation and country a visitor gave before the form asked (bot/enquiries/prefill.py)."""

from __future__ import annotations

import pytest

from bot.enquiries.prefill import Prefill, from_messages, organisation_in, person_in
from bot.knowledge import get_knowledge


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we are the city of Lyon in France and we'd like to become members",
         Prefill("City of Lyon", "FR")),
        ("I'm with the town council of Galway and we want to join", Prefill(
            "Town Council of Galway", "IE")),
        ("Auckland Council here, how do we sign up?", Prefill("Auckland Council", "NZ")),
        ("We represent the Municipality of Quito, Ecuador", Prefill("Municipality of Quito", "EC")),
        ("長野県松本市です。加盟したいです", Prefill("長野県松本市", "JP")),
        ("台湾の台中市政府です", Prefill("台中市政府", "TW")),
        # A country without an organisation, and nothing at all.
        ("hello, we are a small town in Kenya", Prefill(None, "KE")),
        ("I'd like to join ICLEI", Prefill(None, None)),
        # An office asked about is not where the visitor is from.
        ("what is the address of the Tokyo office?", Prefill(None, None)),
        ("is there an office in Kenya?", Prefill(None, None)),
        ("インドのムンバイは？", Prefill(None, None)),
        ("I'm from Lyon, what about the office in Germany?", Prefill(None, None)),
        # Where the visitor is, said before a question in the same message.
        ("we're a small town in Kenya and want to join, what's the process?", Prefill(None, "KE")),
        ("Our municipality is in Chile - can we join?", Prefill(None, "CL")),
        ("Our small island council in Fiji is curious about ICLEI. Is there an office covering "
         "the Pacific?", Prefill(None, "FJ")),
        ("our office in Germany is closed?", Prefill(None, None)),
        ("ブラジルの自治体なんですが、どこに相談すればいいですか？", Prefill(None, "BR")),
        ("チリの小さな町なんですが、イクレイに入るにはどうしたらいいでしょうか？",
         Prefill(None, "CL")),
    ],
)  # fmt: skip
def test_what_a_message_already_says(text, expected):
    assert from_messages(get_knowledge(), [text]) == expected


@pytest.mark.parametrize("text", ["なぜ都市に注目しているのですか", "what do cities do?"])
def test_words_that_only_look_like_a_municipality(text):
    assert organisation_in(text) is None


def test_the_latest_message_wins_and_both_come_from_earlier_ones():
    texts = ["yes please", "how do we join?", "I work for Kaohsiung City Government"]
    assert from_messages(get_knowledge(), texts) == Prefill("Kaohsiung City Government", "TW")
    assert from_messages(get_knowledge(), ["City of Lima", "City of Lyon"]).organisation == (
        "City of Lima"
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [("Sure, my name is Lucía Fernández and I work for the Municipality of Arequipa.",
      "Lucía Fernández"),
     ("This is Jane Doe from Galway", "Jane Doe"), ("環境課の山田と申します", "山田"),
     ("I'm Auckland Council", None), ("I am the environment officer", None)],
)  # fmt: skip
def test_the_visitors_own_name(text, name):
    assert from_messages(get_knowledge(), [text]).name == name


def test_every_detail_of_a_first_message_in_either_language():
    knowledge = get_knowledge()
    english = (
        "We're interested in membership. I'm Rafael Gomez from the Municipality of Rosario, "
        "Argentina, email rgomez@rosario.gob.ar"
    )
    assert from_messages(knowledge, [english]) == Prefill(
        "Municipality of Rosario", "AR", "Rafael Gomez", "rgomez@rosario.gob.ar"
    )
    japanese = (
        "加盟の問い合わせをしたいです。組織は南町役場、国は日本、名前は山本花子、"
        "メールはhanako.y@minami-town.jp です"
    )
    assert from_messages(knowledge, [japanese]) == Prefill(
        "南町役場", "JP", "山本花子", "hanako.y@minami-town.jp"
    )


def test_two_addresses_give_no_email():
    texts = ["please reply to a@city.example or b@city.example"]
    assert from_messages(get_knowledge(), texts).email is None


@pytest.mark.parametrize(
    "text", ["当市としてイクレイへの加盟を検討しております", "本市は加盟できますか"]
)
def test_our_city_names_no_organisation(text):
    assert organisation_in(text) is None


@pytest.mark.parametrize(
    ("text", "organisation", "name"),
    [("北九州市環境局環境国際戦略課、日本、担当は中村 亮です", "北九州市環境局環境国際戦略課",
      "中村 亮"),
     ("台北市政府環境保護局の陳と申します。", "台北市政府環境保護局", "陳"),
     ("担当はどの事務所ですか？", None, None)],
)  # fmt: skip
def test_a_department_and_a_contact_labelled_in_japanese(text, organisation, name):
    assert organisation_in(text) == organisation
    assert person_in(text) == name


def test_an_address_ends_where_its_ascii_domain_ends():
    from bot.enquiries.prefill import addresses_in

    assert addresses_in("emi.tanaka@example.jpです。") == ["emi.tanaka@example.jp"]
