"""The form's validators: normalised values or error codes, in English and Japanese."""

from __future__ import annotations

import pytest

from bot.enquiries.validation import (
    ERROR_EMPTY,
    ERROR_INVALID_EMAIL,
    ERROR_INVALID_POPULATION,
    ERROR_NOT_A_COUNTRY,
    ERROR_POPULATION_OUT_OF_RANGE,
    ERROR_TOO_LONG,
    ERROR_UNKNOWN_COUNTRY,
    MAX_MESSAGE,
    MAX_NAME,
    MAX_ORGANISATION,
    strip_markup,
    validate_country,
    validate_email,
    validate_message,
    validate_name,
    validate_organisation,
    validate_population,
    validate_role,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("日本", "JP"),
        ("Japan", "JP"),
        ("にほん", "JP"),
        ("日本です", "JP"),
        ("Kenya", "KE"),
        ("ケニア", "KE"),
        ("kenya", "KE"),
        ("Germany", "DE"),
        ("ドイツ", "DE"),
        ("韓国", "KR"),
        ("United States", "US"),
        ("アメリカ", "US"),
        ("Untied States", "US"),  # typo
        ("ＪＰ", "JP"),  # full-width ISO code
        ("KE", "KE"),
        ("Bonn", "DE"),  # a city with an office lies in its country
        ("  <b>Brazil</b> ", "BR"),
        # The one country a sentence names.
        ("sorry, Norway", "NO"),
        ("国は日本", "JP"),
        ("Kenya, we are in Nairobi", "KE"),
    ],
)
def test_country_in_either_language(text: str, code: str) -> None:
    assert validate_country(text).value == code


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", ERROR_EMPTY),
        ("   ", ERROR_EMPTY),
        ("Atlantis", ERROR_UNKNOWN_COUNTRY),
        ("no", ERROR_UNKNOWN_COUNTRY),  # a word, not Norway's code
        ("Europe", ERROR_NOT_A_COUNTRY),
        ("アジア", ERROR_NOT_A_COUNTRY),
        ("本部", ERROR_NOT_A_COUNTRY),
        ("Japan or Korea, not sure yet", ERROR_UNKNOWN_COUNTRY),  # two countries
    ],
)
def test_country_errors(text: str, error: str) -> None:
    checked = validate_country(text)
    assert not checked.ok
    assert checked.error == error
    assert checked.value is None


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("taro@example.jp", "taro@example.jp"),
        ("  Taro.Yamada@EXAMPLE.JP ", "Taro.Yamada@example.jp"),  # domain lowercased only
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp"),  # full-width IME input
        ("山田 <yamada@city.yokohama.lg.jp>", "yamada@city.yokohama.lg.jp"),
        ("mailto:info@iclei.org", "info@iclei.org"),
        ("info@iclei.org。", "info@iclei.org"),
        # The one address in a sentence.
        ("oops, ingrid.solberg@bergen.kommune.no", "ingrid.solberg@bergen.kommune.no"),
        ("すみません、kankyo@city.matsumoto.lg.jp です", "kankyo@city.matsumoto.lg.jp"),
        ("my new email is ana@quito.gob.ec.", "ana@quito.gob.ec"),
    ],
)
def test_email_normalised(text: str, normalised: str) -> None:
    assert validate_email(text).value == normalised


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", ERROR_EMPTY),
        (None, ERROR_EMPTY),
        ("taro", ERROR_INVALID_EMAIL),
        ("taro@", ERROR_INVALID_EMAIL),
        ("@example.jp", ERROR_INVALID_EMAIL),
        ("taro@localhost", ERROR_INVALID_EMAIL),
        ("taro@@example.jp", ERROR_INVALID_EMAIL),
        ("taro yamada@example.jp", ERROR_INVALID_EMAIL),
        ("メールはありません", ERROR_INVALID_EMAIL),
        ("a@example.jp or b@example.jp", ERROR_INVALID_EMAIL),  # which one?
        ("<script>@example.jp", ERROR_INVALID_EMAIL),
        ("a" * 250 + "@example.jp", ERROR_TOO_LONG),
    ],
)
def test_bad_emails(text: str | None, error: str) -> None:
    assert validate_email(text).error == error


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("<script>alert('x')</script>横浜市", "横浜市"),
        ("<SCRIPT src=x>alert(1)</SCRIPT>City of Bonn", "City of Bonn"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;Kyoto", "Kyoto"),
        ("<b>Yokohama</b>   City", "Yokohama City"),
        ("<!-- hidden -->Sapporo", "Sapporo"),
        ("<img src=x onerror=alert(1)>Osaka", "Osaka"),
        ("ﾖｺﾊﾏｼ", "ヨコハマシ"),  # half-width katakana
        ("Kyoto\x00\u200b\x1b[31m City", "Kyoto[31m City"),  # no control characters
        ("AT&T Town", "AT&T Town"),
        ("長野県松本市です", "長野県松本市"),  # the answer without its copula
        ("松本市でございます。", "松本市"),
        ("うちは台中市だよ", "台中市"),
        ("we're the City of Arequipa", "City of Arequipa"),
        ("the organisation is Shire of Bellingen", "Shire of Bellingen"),
        ("The City of Bonn", "The City of Bonn"),  # a name, not a sentence
        ("Its Town", "Its Town"),
        ("Town < 5 km", "Town < 5 km"),
    ],
)
def test_organisation_cleaned(text: str, clean: str) -> None:
    assert validate_organisation(text).value == clean


def test_markup_only_is_empty() -> None:
    assert validate_organisation("<script>alert(1)</script>").error == ERROR_EMPTY
    assert validate_name("<b></b>").error == ERROR_EMPTY
    assert validate_name(" \t\n ").error == ERROR_EMPTY


def test_length_limits() -> None:
    assert validate_organisation("市" * MAX_ORGANISATION).ok
    assert validate_organisation("市" * (MAX_ORGANISATION + 1)).error == ERROR_TOO_LONG
    assert validate_name("a" * MAX_NAME).ok
    assert validate_name("a" * (MAX_NAME + 1)).error == ERROR_TOO_LONG
    assert validate_message("x" * MAX_MESSAGE).ok
    assert validate_message("x" * (MAX_MESSAGE + 1)).error == ERROR_TOO_LONG
    # Markup does not count against the limit: it is removed first.
    assert validate_name("<b>" + "a" * MAX_NAME + "</b>").ok


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("山田花子です。フルネームでいいですか？", "山田花子"),
        ("佐藤と申します", "佐藤"),
        ("私は鈴木一郎です。", "鈴木一郎"),
        ("My name is Jane Doe.", "Jane Doe"),
        ("Hello, my name is Ana Lima and I work in Quito", "Ana Lima"),
        ("I'm Carlos Ruiz, is that enough?", "Carlos Ruiz"),
        ("this is Kim Min-jun", "Kim Min-jun"),
    ],
)
def test_a_name_given_in_a_sentence_is_the_name(text: str, name: str) -> None:
    assert validate_name(text).value == name


@pytest.mark.parametrize(
    "text", ["山田 花子", "Jane Doe", "I'm not sure", "はい、山田です", "Dr. Mary Smith"]
)
def test_a_bare_name_or_no_name_sentence_is_kept_as_written(text: str) -> None:
    assert validate_name(text).value == text


@pytest.mark.parametrize(
    ("text", "name", "organisation"),
    [
        ("最初に書きましたが、山本花子です", "山本花子", None),
        ("it was in my first message: Rafael Gomez", "Rafael Gomez", None),
        ("as I wrote above – Municipality of Rosario", None, "Municipality of Rosario"),
        ("先ほどお伝えしましたが、南町役場です", None, "南町役場"),
        # A label written before the answer.
        ("名前：井上 真", "井上 真", None),
        ("さっき書きましたよ〜。井上 真", "井上 真", None),
        ("Organisation: City of Cork", None, "City of Cork"),
        # The question acknowledged first.
        ("わかりました。高橋 美咲です", "高橋 美咲", None),
        ("OK, sure - Lena Hofer", "Lena Hofer", None),
        ("Okayama City", None, "Okayama City"),
    ],
)
def test_a_reminder_that_it_was_said_before_is_not_part_of_the_answer(
    text: str, name: str | None, organisation: str | None
) -> None:
    if name:
        assert validate_name(text).value == name
    if organisation:
        assert validate_organisation(text).value == organisation


def test_name_and_role() -> None:
    assert validate_name(" 山田　太郎 ").value == "山田 太郎"  # ideographic space folded
    assert validate_name("Jane <i>Doe</i>").value == "Jane Doe"
    assert validate_role("Head of <u>Climate</u> Unit").value == "Head of Climate Unit"


def test_message_keeps_lines() -> None:
    text = "こんにちは。\r\n\r\n\r\n\r\n<script>x()</script>加盟したいです。\n  Thanks  "
    assert validate_message(text).value == "こんにちは。\n\n加盟したいです。\nThanks"


def test_strip_markup_keeps_text() -> None:
    assert strip_markup("a <b>b</b> c").split() == ["a", "b", "c"]
    assert "script" not in strip_markup("<script>evil()</script>ok")
    assert "evil" not in strip_markup("<script>evil()")  # unterminated


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1200000", 1_200_000),
        (1_200_000, 1_200_000),
        ("1,200,000", 1_200_000),
        ("1 200 000", 1_200_000),
        ("120万", 1_200_000),
        ("約120万人", 1_200_000),
        ("１２０万人", 1_200_000),
        ("370万5千", 3_705_000),
        ("1億2000万", 120_000_000),
        ("1,200万人", 12_000_000),
        ("1.2 million", 1_200_000),
        ("about 50,000 people", 50_000),
        ("3.5k", 3_500),
        ("80 thousand", 80_000),
        ("およそ8万5000人", 85_000),
    ],
)
def test_population(text: str | int, number: int) -> None:
    assert validate_population(text).value == number


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", ERROR_INVALID_POPULATION),
        ("many", ERROR_INVALID_POPULATION),
        ("たくさん", ERROR_INVALID_POPULATION),
        ("1.5", ERROR_INVALID_POPULATION),
        ("12-15万", ERROR_INVALID_POPULATION),
        ("0", ERROR_POPULATION_OUT_OF_RANGE),
        ("-5", ERROR_INVALID_POPULATION),
        ("10 billion", ERROR_POPULATION_OUT_OF_RANGE),
    ],
)
def test_population_errors(text: str, error: str) -> None:
    assert validate_population(text).error == error


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("I'm the environment manager", "environment manager"),
        ("my position is Head of Climate Policy", "Head of Climate Policy"),
        ("環境政策課 主任です。", "環境政策課 主任"),
        ("Director of Sustainability", "Director of Sustainability"),
    ],
)
def test_a_role_given_in_a_sentence_is_the_role(text: str, role: str) -> None:
    assert validate_role(text).value == role


@pytest.mark.parametrize(
    ("text", "name"),
    [("担当は環境政策課の鈴木と申します", "鈴木"), ("環境課の田中です", "田中"),
     ("Maria Lopez.", "Maria Lopez"), ("Jane D.", "Jane D.")],
)  # fmt: skip
def test_a_name_without_the_section_or_the_full_stop_around_it(text, name):
    assert validate_name(text).value == name


def test_an_organisation_loses_its_full_stop():
    assert validate_organisation("Municipality of Arequipa.").value == "Municipality of Arequipa"


def test_the_organisation_a_few_sentences_name():
    assert validate_organisation("熊本県の八代市役所です。環境課におります。").value == "八代市役所"


@pytest.mark.parametrize(
    ("text", "population"),
    [("Around 85,000 people live in Galway city.", 85000), ("人口は約37万人です。", 370000)],
)
def test_the_one_number_of_a_sentence_is_the_population(text, population):
    assert validate_population(text).value == population


def test_a_sentence_with_two_numbers_is_not_guessed():
    assert not validate_population("we have 3 districts and 85,000 people").ok


@pytest.mark.parametrize(
    ("text", "name"),
    [("The person handling this will be me, Siobhan Murphy, and my email is a@b.example.",
      "Siobhan Murphy"),
     ("担当は私、田中健一です。メールは k-tanaka@example.jp", "田中健一"), ("課長の山田", "山田")],
)  # fmt: skip
def test_a_name_among_other_words(text, name):
    assert validate_name(text).value == name


def test_an_address_after_oops_and_an_organisation_before_de():
    assert validate_email("oops dan.okafor@example.com.au").value == "dan.okafor@example.com.au"
    assert validate_organisation("熊本県水俣市で。").value == "熊本県水俣市"


def test_a_japanese_label_with_wa_and_quotes_is_not_part_of_the_answer():
    assert validate_role("役職は「環境政策課長」でお願いします").value == "環境政策課長"
    assert validate_organisation("団体名は「那覇市」です").value == "那覇市"


@pytest.mark.parametrize(
    ("text", "code"),
    [("kenia", "KE"), ("Brasil", "BR"), ("Phillipines", "PH"), ("Sweeden", "SE")],
)
def test_a_country_nearly_spelled_is_that_country(text: str, code: str) -> None:
    assert validate_country(text).value == code


@pytest.mark.parametrize("text", ["Narnia", "nope", "Atlantiss", "Kenya or Peru"])
def test_nothing_close_or_too_short_is_no_country(text: str) -> None:
    assert not validate_country(text).ok
