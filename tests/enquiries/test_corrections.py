"""Corrections to the enquiry's answers, at the summary or mid-form
(bot/enquiries/corrections.py)."""

from __future__ import annotations

import pytest

from bot.enquiries.corrections import (
    Change,
    answer_and_labelled,
    asks_to_change,
    changes,
    field_named,
    labelled_answers,
    new_value,
    unchanged_part,
)


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
        # The new value quoted after the old one, or after 「ではなく」, or in the next sentence.
        ("恐れ入りますが、団体名が「当市」になっておりますので、「北見川市」に修正をお願いいたします。",
         "organisation", "北見川市"),
        ("すみません、国を日本ではなく韓国に訂正させてください", "country", "韓国"),
        ("あと担当者名がおかしいです。山本花子 だけにしてください", "name", "山本花子"),
        ("担当者名はフルネームで「井上 誠」にしてから送信してください", "name", "井上 誠"),
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


ANSWERS = {
    "organisation": "静岡県の掛川市",
    "name": "担当は環境政策課の鈴木",
    "email": "a@b.example",
    "message": "no that's all",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Each clause on its own: the "to" of "I didn't mean to add one" is no value.
        ("The organisation should be Provincial Municipality of Arequipa, and please remove "
         "the message, I didn't mean to add one",
         [Change("organisation", "Provincial Municipality of Arequipa"), Change("message", "")]),
        ("no wait, that's wrong. organisation: Provincial Municipality of Arequipa",
         [Change("organisation", "Provincial Municipality of Arequipa")]),
        ("団体名を磐田市に直してください。あと担当者名は「鈴木」だけでお願いします",
         [Change("organisation", "磐田市"), Change("name", "鈴木")]),
        # The old value names the answer; the new one takes its place inside it.
        ("すみません、さっきの市の名前間違えました。掛川市じゃなくて磐田市です",
         [Change("organisation", "静岡県の磐田市")]),
        ("oops, it should be c@d.example", [Change("email", "c@d.example")]),
        ("the email is wrong. it should be c@d.example", [Change("email", "c@d.example")]),
        ("Sorry, I gave you the wrong email earlier - please use c@d.example instead.",
         [Change("email", "c@d.example")]),
        ("Two things are wrong: the contact should just be Siobhan Murphy, and my role is "
         "Climate Action Officer, not that question.",
         [Change("name", "Siobhan Murphy"), Change("role", "Climate Action Officer")]),
        ("Role should be just: Climate Action Officer", [Change("role", "Climate Action Officer")]),
        ("役職は主査です", [Change("role", "主査")]),
        ("please change the country to Peru and the population to 1.1 million",
         [Change("country", "Peru"), Change("population", "1.1 million")]),
    ],
)  # fmt: skip
def test_every_change_a_message_asks_for(text, expected):
    assert changes(text, ANSWERS) == expected


def test_a_bare_new_value_replaces_the_answer_it_resembles():
    answers = {"organisation": "City of Lyon", "name": "Marie Dupont", "role": "officer"}
    text = "Sorry, I made a mistake - it's actually the Metropolis of Lyon"
    assert changes(text, answers) == [Change("organisation", "Metropolis of Lyon")]
    assert changes("sorry, it's actually Marie Dupond", answers) == [Change("name", "Marie Dupond")]


def test_a_value_that_resembles_no_answer_changes_nothing():
    assert changes("it's actually Bob", {"organisation": "City of Lyon"}) == []


def test_the_old_name_is_the_end_of_what_comes_before_not():
    text = "あ、すみません、市の名前は長岡市じゃなくて上越市でした"
    assert changes(text, {"organisation": "長岡市", "name": "佐藤"}) == [
        Change("organisation", "上越市")
    ]


def test_the_councils_proper_name():
    text = "hmm actually the council's proper name is Cork County Council, sorry"
    assert changes(text, {"organisation": "Cork City Council", "name": "Siobhan Murphy"}) == [
        Change("organisation", "Cork County Council")
    ]


def test_details_given_by_their_labels_in_either_language():
    english = (
        "Hello, I'd like to submit a membership enquiry. Organisation: Tamale Metropolitan "
        "Assembly, country Ghana, my name is Abena Mensah, email a.mensah@tamale.example, I'm "
        "the planning officer, population about 370,000. Message: we want to learn about "
        "joining, and more. I agree to you storing my details."
    )
    assert labelled_answers(english) == {
        "email": "a.mensah@tamale.example",
        "organisation": "Tamale Metropolitan Assembly",
        "country": "Ghana",
        "name": "Abena Mensah",
        "role": "planning officer",
        "population": "about 370,000",
        "message": "we want to learn about joining, and more",
    }
    japanese = "団体：豊岡市、国：日本、氏名：井上 誠、役職：環境経済課 係長、人口：約7万5千人。"
    assert labelled_answers(japanese) == {
        "organisation": "豊岡市",
        "country": "日本",
        "name": "井上 誠",
        "role": "環境経済課 係長",
        "population": "約7万5千人",
    }


@pytest.mark.parametrize(
    "text",
    ["Name of the office in Japan?", "What is the name of ICLEI?",
     "自治体として会員の問い合わせを送りたいです", "countries in Africa"],
)  # fmt: skip
def test_a_question_gives_no_labelled_detail(text):
    assert labelled_answers(text) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("please fix the organisation to just 'Tamale Metropolitan Assembly' and role to "
         "'Planning Officer'",
         [Change("organisation", "Tamale Metropolitan Assembly"),
          Change("role", "Planning Officer")]),
        ("メールは k.tanaka@vill.example.jp、役職は課長に変更してください",
         [Change("email", "k.tanaka@vill.example.jp"), Change("role", "課長")]),
    ],
)  # fmt: skip
def test_two_fields_changed_in_one_clause(text, expected):
    assert changes(text, {"organisation": "x", "role": "y", "email": "z@z.example"}) == expected


def test_a_country_is_replaced_whole_by_its_name_in_either_language():
    current = {"organisation": "Municipality of Cuenca", "country": "Spain スペイン"}
    english = changes("Sorry, my mistake - it's Cuenca in Ecuador, not Spain.", current)
    assert [c.field for c in english] == ["country"] and "Ecuador" in english[0].value
    assert changes("国はスペインではなくエクアドルです", current) == [
        Change("country", "エクアドル")
    ]


@pytest.mark.parametrize(
    ("text", "field", "own", "others"),
    [
        ("Senior regional planner, population is roughly 350,000", "role",
         "Senior regional planner", {"population": "roughly 350,000"}),
        ("Jane Doe, email jane@x.example", "name", "Jane Doe", {"email": "jane@x.example"}),
        # Commas of the answer itself.
        ("Head of Climate, Energy and Transport", "role", "Head of Climate, Energy and Transport",
         {}),
    ],
)  # fmt: skip
def test_an_answer_with_other_fields_labelled_beside_it(text, field, own, others):
    assert answer_and_labelled(text, field) == (own, others)


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [
        ("role should just say Senior Regional Planner", {"role": "x"},
         [Change("role", "Senior Regional Planner")]),
        ("熊本県水俣市に直してください", {"organisation": "熊本県水俣市で"},
         [Change("organisation", "熊本県水俣市")]),
        ("あ、すみません団体名は水俣市じゃなくて熊本県水俣市で。", {"organisation": "水俣市"},
         [Change("organisation", "熊本県水俣市")]),
    ],
)  # fmt: skip
def test_corrections_in_the_testers_words(text, current, expected):
    assert changes(text, current) == expected


@pytest.mark.parametrize(
    ("text", "expected", "kept"),
    [
        # Testers' corrections typed beside another answer, or in words of their own.
        ("USA. actually hold on, make the organisation Boulder County instead of the city, "
         "they'd be the ones signing", [Change("organisation", "Boulder County")], "USA."),
        ("the contact should be my colleague Dr. Lena Hofer, her email is lena.hofer@stadt.graz.at",
         [Change("name", "Dr. Lena Hofer"), Change("email", "lena.hofer@stadt.graz.at")], ""),
        ("contact name is still wrong, it should be Lena Hofer", [Change("name", "Lena Hofer")],
         ""),
        ("主事です。あと団体名は「小布施町」だけでお願いします",
         [Change("organisation", "小布施町")], "主事です"),
        ("団体名が木村になってる！福岡市です", [Change("organisation", "福岡市")], ""),
        ("Environmental technician. Oh wait, sorry, my email is wrong, it's "
         "ines.marques@mun-setubal.pt.gov — no sorry, actually ines.marques@cm-setubal.pt",
         [Change("email", "ines.marques@cm-setubal.pt")], "Environmental technician."),
    ],
)  # fmt: skip
def test_a_correction_beside_an_answer_or_in_its_own_words(text, expected, kept):
    assert changes(text, {"organisation": "x", "name": "y", "email": "z@z.org"}) == expected
    assert unchanged_part(text) == kept


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [("Oh sorry, actually it should be Métropole de Lyon rather than the city — the metropolitan "
      "authority will be the member. Population ~1.4 million.",
      {"organisation": "City of Lyon", "population": ""},
      [Change("organisation", "Métropole de Lyon"), Change("population", "~1.4 million")]),
     ("The organisation line is messy — just put Métropole de Lyon. And population 1.4 million.",
      {"organisation": "messy", "population": ""},
      [Change("organisation", "Métropole de Lyon"), Change("population", "1.4 million")]),
     ("r-nakamura@city.kitakyushu.lg.jp ※団体名は課名まで入れてほしいです："
      "北九州市環境局環境国際戦略課",
      {"organisation": "北九州市"}, [Change("organisation", "北九州市環境局環境国際戦略課")]),
     ("sustainability coordinator. population about 1.3 million, and no message needed", {},
      [Change("population", "about 1.3 million")])],
)  # fmt: skip
def test_corrections_from_the_testers_second_round(text, current, expected):
    assert changes(text, current) == expected


def test_a_declined_message_beside_the_role_is_no_part_of_it():
    text = "sustainability coordinator. population about 1.3 million, and no message needed"
    assert answer_and_labelled(text, "role") == (
        "sustainability coordinator",
        {"population": "about 1.3 million", "message": ""},
    )


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [("the role field is messed up, should just say Town Manager", {"role": "x"},
      [Change("role", "Town Manager")]),
     ("organisation name has extra words, it is just Kochi Municipal Corporation",
      {"organisation": "Kochi Municipal Corporation. btw"},
      [Change("organisation", "Kochi Municipal Corporation")])],
)  # fmt: skip
def test_a_field_called_messed_up_then_its_value(text, current, expected):
    assert asks_to_change(text)
    assert changes(text, current) == expected


def test_the_asked_fields_own_label_is_its_answer():
    text = (
        "oops, I fat-fingered that, my email is actually mhalvorson@bozeman-example.gov "
        "with an o. Role is town manager"
    )
    assert answer_and_labelled(text, "role") == (
        "town manager",
        {"email": "mhalvorson@bozeman-example.gov"},
    )


def test_a_quoted_new_value_wins_over_what_it_replaces():
    text = (
        "あ、すみません、さっきの団体名ですが、村ではなく議員事務所として問い合わせたいので"
        "「山田太郎事務所」に直してもらえますか"
    )
    found = changes(text, {"organisation": "長野県白馬村", "email": "x@y.jp"})
    assert found == [Change("organisation", "山田太郎事務所")]


def test_a_complaint_is_no_part_of_the_answer():
    text = "いや、団体名がおかしくなってます。団体名は 山田太郎事務所 だけでお願いします"
    assert answer_and_labelled(text, "role")[0] == ""
