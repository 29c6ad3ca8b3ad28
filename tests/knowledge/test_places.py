"""Tests for the place resolver: entity values and free text, English and Japanese."""

from __future__ import annotations

import pytest

from bot.knowledge import Knowledge, find_places, load_knowledge, resolve_place
from bot.knowledge.places import fold_kana, normalize

ASIA = ("east_asia", "south_asia", "southeast_asia")


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


@pytest.mark.parametrize(
    ("name", "office_ids", "kind"),
    [
        # cities, in every script users type them
        ("Tokyo", ("japan",), "city"),
        ("東京", ("japan",), "city"),
        ("とうきょう", ("japan",), "city"),
        ("ﾄｳｷｮｳ", ("japan",), "city"),  # half-width katakana
        ("ＴＯＫＹＯ", ("japan",), "city"),  # full-width Latin
        ("東京事務所", ("japan",), "city"),
        ("イクレイの東京オフィスは", ("japan",), "city"),
        ("Seoul", ("east_asia",), "city"),
        ("ソウル", ("east_asia",), "city"),
        ("Bonn", ("world_secretariat",), "city"),
        ("Sao Paulo", ("south_america",), "city"),
        ("São Paulo", ("south_america",), "city"),
        ("サンパウロ", ("south_america",), "city"),
        ("Bruxelles", ("brussels",), "city"),
        ("Delhi", ("south_asia",), "city"),
        ("高雄", ("kaohsiung",), "city"),
        ("たかお", ("kaohsiung",), "city"),
        ("スウォン", ("korea",), "city"),
        ("水原", ("korea",), "city"),
        ("水原（スウォン）", ("korea",), "city"),  # the city's Japanese name as shown
        ("Quezon City", ("southeast_asia",), "city"),
        ("メキシコ・シティ", ("mexico",), "city"),
        # typos
        ("Frieburg", ("europe",), "city"),
        ("Melborne", ("oceania",), "city"),
        ("Kaoshiung", ("kaohsiung",), "city"),
        ("Tokio", ("japan",), "city"),
        # countries
        ("Japan", ("japan",), "country"),
        ("日本", ("japan",), "country"),
        ("にほん", ("japan",), "country"),
        ("Kenya", ("africa",), "country"),
        ("ケニア", ("africa",), "country"),
        ("Brazil", ("south_america",), "country"),
        ("ブラジル", ("south_america",), "country"),
        ("Korea", ("korea",), "country"),
        ("韓国", ("korea",), "country"),
        ("North Korea", ("east_asia",), "country"),
        ("Taiwan", ("kaohsiung",), "country"),
        ("台湾", ("kaohsiung",), "country"),
        ("USA", ("usa",), "country"),
        ("アメリカ", ("usa",), "country"),
        ("UK", ("europe",), "country"),
        ("イギリス", ("europe",), "country"),
        ("Germany", ("europe",), "country"),
        ("Vietnam", ("southeast_asia",), "country"),
        ("Turkey", ("world_secretariat",), "country"),
        ("神奈川県", ("japan",), "country"),  # prefectures resolve to Japan
        ("Osaka", ("japan",), "country"),
        ("Soth Korea", ("korea",), "country"),
        # regions
        ("Asia", ASIA, "region"),
        ("アジア", ASIA, "region"),
        ("north america", ("canada", "usa"), "region"),
        ("北米", ("canada", "usa"), "region"),
        ("Europe", ("europe",), "region"),
        ("東南アジア", ("southeast_asia",), "region"),
        ("the Caribbean", ("mexico",), "region"),
        ("中南米", ("mexico", "south_america"), "region"),
        # office names and ids
        ("ヨーロッパ事務局", ("europe",), "office"),
        ("Kaohsiung Capacity Center", ("kaohsiung",), "office"),
        ("世界事務局", ("world_secretariat",), "office"),
        ("本部", ("world_secretariat",), "office"),
        ("Middle East", ("world_secretariat",), "office"),
        ("japan", ("japan",), "country"),
        ("world_secretariat", ("world_secretariat",), "office"),
        ("south_america", ("south_america",), "region"),
        ("southeast_asia", ("southeast_asia",), "region"),
    ],
)
def test_resolve_place(knowledge: Knowledge, name: str, office_ids: tuple, kind: str) -> None:
    match = resolve_place(knowledge, name)
    assert match is not None, name
    assert (match.office_ids, match.kind) == (office_ids, kind)
    assert match.is_ambiguous == (len(office_ids) > 1)


@pytest.mark.parametrize(
    "name", ["pizza", "", "   ", "？", "hello", "weather", "cat", "Nairoby", "タイム", "事務所"]
)
def test_unknown_names_resolve_to_none(knowledge: Knowledge, name: str) -> None:
    assert resolve_place(knowledge, name) is None


def test_country_match_carries_the_country_and_its_names(knowledge: Knowledge) -> None:
    match = resolve_place(knowledge, "ケニア")
    assert match is not None and match.country is not None
    assert match.country.code == "KE"
    assert (match.label.en, match.label.ja) == ("Kenya", "ケニア")


def test_region_group_label_is_the_group_name(knowledge: Knowledge) -> None:
    match = resolve_place(knowledge, "asia")
    assert match is not None
    assert (match.label.en, match.label.ja, match.country) == ("Asia", "アジア", None)


@pytest.mark.parametrize(
    "name",
    [
        "ICLEI office for Mexico, Central America and the Caribbean",
        "イクレイ メキシコ・中米・カリブ地域事務所",
        # the line the page gives with the office: still finds it, though it is not its name
        "Mexico City Special Commission on Climate Change from the Mexican Senate",
    ],
)
def test_mexico_office_by_its_names(knowledge: Knowledge, name: str) -> None:
    match = resolve_place(knowledge, name)
    assert match is not None
    assert (match.kind, match.office_ids) == ("office", ("mexico",))


def test_city_beats_country_and_country_beats_region(knowledge: Knowledge) -> None:
    # "Mexico City" is the office's city; "Mexico" the country; "Korea" a country, not a region.
    assert resolve_place(knowledge, "Mexico City").kind == "city"
    assert resolve_place(knowledge, "Mexico").kind == "country"
    assert resolve_place(knowledge, "Korea").office_ids == ("korea",)


@pytest.mark.parametrize(
    ("text", "office_ids"),
    [
        ("ICLEIの東京officeってどこ？", [("japan",)]),
        ("I'm in Kenya, who do I contact?", [("africa",)]),
        ("ケニアの自治体です。連絡先は？", [("africa",)]),
        ("Is there an office in Mexico City?", [("mexico",)]),
        ("ソウルと東京の事務所", [("east_asia",), ("japan",)]),
        ("インドネシアの事務所", [("indonesia",)]),
        ("Papua New Guinea and Guinea", [("oceania",), ("africa",)]),
        ("神奈川県の職員です", [("japan",)]),
        ("offices in north america?", [("canada", "usa")]),
        ("アジアの事務局を教えて", [ASIA]),
        ("what's the weather?", []),
        ("contact us", []),
        ("the world's first programme", []),
        ("ICLEI was founded at UN headquarters in New York", []),
        ("日本語で話して", []),  # a language, not a place
        ("タイムズスクエア", []),  # タイ inside a katakana word
        ("行きたいです", []),  # hiragana is not folded when scanning free text
        # 「、」 ends a word: 「…けど、いつ」 is not ドイツ; 「・」 joins one name.
        ("レポートで書いてるんだけど、いつできたの？", []),
        ("メキシコ・シティの事務所", [("mexico",)]),
        ("", []),
    ],
)
def test_find_places(knowledge: Knowledge, text: str, office_ids: list) -> None:
    assert [match.office_ids for match in find_places(knowledge, text)] == office_ids


def test_find_places_reports_each_office_once(knowledge: Knowledge) -> None:
    matches = find_places(knowledge, "Tokyo, Japan")
    assert [m.office_ids for m in matches] == [("japan",)]
    assert matches[0].kind == "city"


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("ﾄｳｷｮｳ", "トウキョウ"),
        ("とうきょう", "トウキョウ"),
        ("ＴＯＫＹＯ", "tokyo"),
        ("São Paulo", "sao paulo"),
        ("メキシコ・シティ", "メキシコシティ"),
        ("ガーナ", "ガーナ"),  # voicing marks survive accent stripping
        ("  New   Delhi! ", "new delhi"),
    ],
)
def test_normalize(raw: str, normal: str) -> None:
    assert normalize(raw) == normal


def test_fold_kana_leaves_other_text_alone() -> None:
    assert fold_kana("ぼん Bonn 東京") == "ボン Bonn 東京"


@pytest.mark.parametrize(
    "text", ["what is the Seoul Plan?", "ソウルプランとは", "when is the next ICLEI World Congress"]
)
def test_find_places_ignores_names_that_are_not_about_a_place(
    knowledge: Knowledge, text: str
) -> None:
    assert find_places(knowledge, text) == []


@pytest.mark.parametrize("name", ["office", "the office", "secretariat", "Lagos", "Paris"])
def test_generic_words_and_near_misses_do_not_fuzzy_match(knowledge: Knowledge, name: str) -> None:
    assert resolve_place(knowledge, name) is None


@pytest.mark.parametrize(
    ("entity", "text", "office_ids"),
    [
        ("america", "what offices does iclei run in south america?", ("south_america",)),
        ("Asia", "offices in Southeast Asia please", ("southeast_asia",)),
        ("Tokyo", "Tokyo office", ("japan",)),
    ],
)
def test_an_entity_is_read_with_the_words_around_it(entity, text, office_ids):
    from bot.knowledge import get_knowledge, resolve_in_context

    assert resolve_in_context(get_knowledge(), entity, text).office_ids == office_ids
