"""Tests for loading and validating bot/knowledge/iclei.yml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pycountry
import pytest
import yaml

from bot.knowledge import Knowledge, KnowledgeError, Localized, get_knowledge, load_knowledge
from bot.knowledge.loader import DEFAULT_PATH

OFFICE_IDS = [
    "world_secretariat", "europe", "brussels", "africa", "canada", "usa", "mexico",
    "south_america", "south_asia", "east_asia", "japan", "kaohsiung", "korea",
    "southeast_asia", "indonesia", "oceania",
]  # fmt: skip


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


# --- the real file -------------------------------------------------------------------------


def test_real_file_loads_all_sixteen_offices_in_page_order(knowledge: Knowledge) -> None:
    assert [office.id for office in knowledge.offices] == OFFICE_IDS


@pytest.mark.parametrize(
    ("office_id", "address"),
    [
        ("world_secretariat", "Kaiser-Friedrich-Str. 7, 53113 Bonn, Germany"),
        ("europe", "Leopoldring 3, 79098 Freiburg, Germany"),
        ("brussels", "Av. de Tervuren 35, 1040 Bruxelles, Belgium"),
        ("africa", "3 Knowledge Park, Century City, Cape Town, 8001, South Africa"),
        ("canada", "401 Richmond St. W, Studio 204, Toronto, Ontario, M5V 3A8, Canada"),
        ("usa", "536 Wynkoop St., Suite 901, Denver, Colorado, USA 80202"),
        (
            "mexico",
            "Paseo de la Reforma 136 Piso 14 Of. B, Col. Juarez, C.P. 06600, Del. Cuauhtemoc, "
            "Ciudad de Mexico",
        ),
        (
            "south_america",
            "Rua Ibiraçu, 226, Vila Madalena, São Paulo / SP - Brazil, CEP 05451-040",
        ),
        (
            "south_asia",
            "Ground Floor, NSIC-STP Complex NSIC Bhawan, Okhla Industrial Estate New Delhi – "
            "110020, India",
        ),
        (
            "east_asia",
            "14/F, Seoul Global Center Building, 38 Jongno, Jongno-gu, Seoul, "
            "South Korea (110-110)",
        ),
        ("japan", "1-14-2 Nishi-Shimbashi, Minato-ku, Tokyo, Japan 105-0003"),
        (
            "kaohsiung",
            "4F. No.436, Daye N. Rd., Xiaogang Dist., Kaohsiung City 812, Taiwan (R.O.C.)",
        ),
        (
            "korea",
            "(16429) 3F, Suwon Research Institute, 126, Suin-ro, Gwonseon-gu, Suwon-si, "
            "Gyeonggi-do, Republic of Korea",
        ),
        (
            "southeast_asia",
            "c/o The Manila Observatory Ateneo de Manila University Campus Loyola Heights, "
            "Quezon City 1101 Manila, Philippines",
        ),
        (
            "indonesia",
            "Rasuna Office Park III WO. 06-09 Komplek Rasuna Epicentrum Jl. Taman Rasuna Selatan, "
            "Kuningan DKI Jakarta, 12960, Indonesia",
        ),
        ("oceania", "Level 1, 200 Little Collins Street Melbourne, Victoria 3000, Australia"),
    ],
)
def test_addresses_are_exactly_as_on_the_page(
    knowledge: Knowledge, office_id: str, address: str
) -> None:
    assert knowledge.office(office_id).address == address


def test_africa_has_the_postal_address_and_no_other_office_does(knowledge: Knowledge) -> None:
    africa = knowledge.office("africa")
    assert africa.postal_address == "PO Box 5319, Tygervalley, 7536, South Africa"
    others = [o.id for o in knowledge.offices if o.postal_address and o.id != "africa"]
    assert others == []


def test_only_the_world_secretariat_has_phone_and_fax(knowledge: Knowledge) -> None:
    world = knowledge.office("world_secretariat")
    assert (world.phone, world.fax) == ("+49-228/97 62 99-00", "+49-228/97 62 99-01")
    assert [o.id for o in knowledge.offices if o.phone or o.fax] == ["world_secretariat"]


@pytest.mark.parametrize(
    ("office_id", "web"),
    [
        ("world_secretariat", "www.iclei.org"),
        ("europe", "www.iclei-europe.org"),
        ("brussels", None),
        ("africa", "www.iclei.org/africa"),
        ("usa", "www.icleiusa.org"),
        ("mexico", "www.iclei.org.mx"),
        ("south_america", "www.iclei.org.mx"),  # sic: the page gives the Mexican address
        ("east_asia", "eastasia.iclei.org"),
        ("japan", "www.iclei.org/japan"),
        ("kaohsiung", None),
        ("korea", "www.icleikorea.org"),
        ("indonesia", None),
        ("oceania", "www.iclei.org/oceania"),
    ],
)
def test_web_addresses_as_given(knowledge: Knowledge, office_id: str, web: str | None) -> None:
    assert knowledge.office(office_id).web == web


def test_no_email_addresses_anywhere_in_the_file() -> None:
    assert "@" not in DEFAULT_PATH.read_text(encoding="utf-8")


def test_every_office_names_city_and_country(knowledge: Knowledge) -> None:
    for office in knowledge.offices:
        assert office.name.en and office.name.ja and office.city.en and office.city.ja
        assert knowledge.country(office.country).code == office.country


def test_regions_list_their_offices_and_the_world_secretariat_has_none(
    knowledge: Knowledge,
) -> None:
    for office in knowledge.offices:
        if office.region is None:
            assert office.id == "world_secretariat"
        else:
            assert office in knowledge.offices_in_region(office.region)
    listed = [oid for region in knowledge.regions for oid in region.office_ids]
    assert sorted(listed) == sorted(OFFICE_IDS[1:])


@pytest.mark.parametrize(
    ("region_id", "contacts"),
    [
        ("europe", ("europe",)),
        ("north_america", ("canada", "usa")),
        ("latin_america_caribbean", ("mexico",)),
        ("east_asia", ("east_asia",)),
        ("southeast_asia", ("southeast_asia",)),
    ],
)
def test_region_contacts(knowledge: Knowledge, region_id: str, contacts: tuple[str, ...]) -> None:
    assert tuple(o.id for o in knowledge.region_contacts(region_id)) == contacts


def test_every_iso_country_is_mapped_to_a_known_office(knowledge: Knowledge) -> None:
    codes = {country.alpha_2 for country in pycountry.countries}
    assert len(codes) == 249
    assert set(knowledge.countries) == codes
    for country in knowledge.countries.values():
        assert knowledge.office(country.office_id)
        assert country.name.en and country.name.ja


@pytest.mark.parametrize(
    ("code", "office_id"),
    [
        ("JP", "japan"), ("KR", "korea"), ("TW", "kaohsiung"), ("ID", "indonesia"),
        ("CA", "canada"), ("US", "usa"), ("MX", "mexico"), ("BR", "south_america"),
        ("BE", "brussels"), ("IN", "south_asia"), ("PH", "southeast_asia"), ("AU", "oceania"),
        ("ZA", "africa"), ("DE", "europe"), ("KE", "africa"), ("EG", "africa"), ("FR", "europe"),
        ("NO", "europe"), ("RU", "europe"), ("UA", "europe"), ("GT", "mexico"), ("CU", "mexico"),
        ("AR", "south_america"), ("CN", "east_asia"), ("MN", "east_asia"), ("HK", "east_asia"),
        ("KP", "east_asia"), ("VN", "southeast_asia"), ("PK", "south_asia"), ("NZ", "oceania"),
        ("FJ", "oceania"), ("SA", "world_secretariat"), ("IR", "world_secretariat"),
        ("KZ", "world_secretariat"), ("TR", "world_secretariat"), ("AQ", "world_secretariat"),
    ],
)  # fmt: skip
def test_country_to_office(knowledge: Knowledge, code: str, office_id: str) -> None:
    assert knowledge.office_for_country(code).id == office_id


@pytest.mark.parametrize(
    ("code", "en", "ja"),
    [
        ("JP", "Japan", "日本"),
        ("KR", "South Korea", "韓国"),
        ("TW", "Taiwan", "台湾"),
        ("US", "United States", "アメリカ合衆国"),
        ("KE", "Kenya", "ケニア"),
        ("BO", "Bolivia", "ボリビア"),
    ],
)
def test_country_display_names(knowledge: Knowledge, code: str, en: str, ja: str) -> None:
    assert knowledge.country(code).name == Localized(en=en, ja=ja)


@pytest.mark.parametrize(
    ("key", "en", "ja"),
    [
        ("founding_date", "5 September 1990", "1990年9月5日"),
        ("founding_place", "UN headquarters in New York", "ニューヨークの国連本部"),
        ("founding_countries", "43", "43"),
        ("members", "more than 1,750", "1,750以上"),
        ("regional_offices", "22", "22"),
        ("listed_offices", "16", "16"),  # counted from the offices: 16 of the 22
        ("first_world_secretariat", None, "カナダのトロントに世界事務局"),
        ("first_european_secretariat", None, "ドイツのフライブルクにヨーロッパ事務局"),
        ("staff", "about 260", "約260"),
        ("former_name", "International Council for Local Environmental Initiatives",
         "国際環境自治体協議会"),
        ("name", "ICLEI – Local Governments for Sustainability",
         "イクレイ－持続可能な都市と地域をめざす自治体協議会"),
        ("belief", None,
         "地球規模での環境問題の解決には地域の自発的な活動の積み重ねが欠かせない"),
        ("website", "www.iclei.org", "www.iclei.org"),
    ],
)  # fmt: skip
def test_facts(knowledge: Knowledge, key: str, en: str | None, ja: str) -> None:
    fact = knowledge.fact(key)
    assert fact.ja == ja
    if en is not None:
        assert fact.en == en


def test_japanese_mission_is_quoted_without_its_closing_de_aru(knowledge: Knowledge) -> None:
    mission = knowledge.fact("mission").ja
    assert mission.startswith("地域活動の積み重ねを通じて、")
    assert mission.endswith("地方自治体による世界的な運動を築き、取組むこと")


def test_mexico_office_is_named_after_its_region_and_quotes_the_page_line(
    knowledge: Knowledge,
) -> None:
    mexico = knowledge.office("mexico")
    assert mexico.name == Localized(
        en="ICLEI office for Mexico, Central America and the Caribbean",
        ja="イクレイ メキシコ・中米・カリブ地域事務所",
    )
    assert mexico.note == "Mexico City Special Commission on Climate Change from the Mexican Senate"
    assert "Senate" not in mexico.name.en and "上院" not in mexico.name.ja
    assert mexico.city.en == "Mexico City"
    assert [o.id for o in knowledge.offices if o.note] == ["mexico"]


def test_korea_office_city_is_written_with_its_reading(knowledge: Knowledge) -> None:
    korea = knowledge.office("korea")
    assert korea.city == Localized(en="Suwon", ja="水原（スウォン）")
    assert "水原" in korea.city_aliases


def test_fact_values_fill_templates_per_language(knowledge: Knowledge) -> None:
    assert knowledge.fact_values("ja")["founding_date"] == "1990年9月5日"
    assert knowledge.fact_values("en")["founding_date"] == "5 September 1990"
    assert knowledge.fact_values("fr") == knowledge.fact_values("en")
    assert set(knowledge.fact_values("ja")) == set(knowledge.facts)


def test_localized_falls_back_to_english() -> None:
    text = Localized(en="Tokyo", ja="東京")
    assert (text.get("ja"), text.get("en"), text.get("de"), text.get(None)) == (
        "東京",
        "Tokyo",
        "Tokyo",
        "Tokyo",
    )


def test_get_knowledge_is_cached() -> None:
    assert get_knowledge() is get_knowledge()


def test_importing_loads_nothing() -> None:
    code = (
        "import bot.knowledge as k; "
        "assert k.get_knowledge.cache_info().currsize == 0; "
        "from bot.knowledge.places import _index; assert _index.cache_info().currsize == 0"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


# --- broken files --------------------------------------------------------------------------


def _raw() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def _write(tmp_path: Path, raw: dict[str, Any]) -> Path:
    path = tmp_path / "iclei.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _missing_office_name_ja(raw: dict[str, Any]) -> None:
    del raw["offices"][3]["name"]["ja"]


def _unknown_office_in_countries(raw: dict[str, Any]) -> None:
    raw["countries"]["KE"] = "afrika"


def _duplicate_office_id(raw: dict[str, Any]) -> None:
    raw["offices"].append(dict(raw["offices"][0]))


def _bad_country_code(raw: dict[str, Any]) -> None:
    raw["countries"]["XX"] = "africa"


def _lowercase_country_code(raw: dict[str, Any]) -> None:
    raw["offices"][10]["country"] = "jp"


def _unmapped_country(raw: dict[str, Any]) -> None:
    del raw["countries"]["KE"]


def _unknown_office_in_region(raw: dict[str, Any]) -> None:
    raw["regions"][0]["offices"].append("nowhere")


def _unknown_region_of_office(raw: dict[str, Any]) -> None:
    raw["offices"][1]["region"] = "europa"


def _secretariat_outside_region(raw: dict[str, Any]) -> None:
    raw["regions"][0]["secretariat"] = "japan"


def _unknown_region_in_group(raw: dict[str, Any]) -> None:
    raw["region_groups"][0]["regions"].append("west_asia")


def _missing_fact_en(raw: dict[str, Any]) -> None:
    del raw["facts"]["members"]["en"]


def _empty_fact_ja(raw: dict[str, Any]) -> None:
    raw["facts"]["staff"]["ja"] = "  "


def _phone_not_a_string(raw: dict[str, Any]) -> None:
    raw["offices"][0]["phone"] = 4922897629900


def _web_not_a_string(raw: dict[str, Any]) -> None:
    raw["offices"][2]["web"] = ["www.example.org"]


def _missing_address(raw: dict[str, Any]) -> None:
    del raw["offices"][5]["address"]


def _missing_offices(raw: dict[str, Any]) -> None:
    del raw["offices"]


def _alias_not_a_list(raw: dict[str, Any]) -> None:
    raw["offices"][11]["aliases"]["ja"] = "東京"


def _unknown_alias_language(raw: dict[str, Any]) -> None:
    raw["regions"][1]["aliases"]["fr"] = ["Afrique"]


def _listed_offices_written(raw: dict[str, Any]) -> None:
    raw["facts"]["listed_offices"] = {"en": "16", "ja": "16"}


def _note_not_a_string(raw: dict[str, Any]) -> None:
    raw["offices"][6]["note"] = ["Mexico City Special Commission"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (_missing_office_name_ja, "offices[3].name.ja: missing"),
        (_unknown_office_in_countries, "countries.KE: unknown office 'afrika'"),
        (_duplicate_office_id, "offices[16].id: duplicate 'world_secretariat'"),
        (_bad_country_code, "countries.XX: unknown country code 'XX'"),
        (_lowercase_country_code, "offices[10].country: unknown country code 'jp'"),
        (_unmapped_country, "countries: no office for KE"),
        (_unknown_office_in_region, "regions[0].offices[2]: unknown office 'nowhere'"),
        (_unknown_region_of_office, "offices[1].region: unknown region 'europa'"),
        (_secretariat_outside_region,
         "regions[0].secretariat: 'japan' is not in regions[0].offices"),
        (_unknown_region_in_group, "region_groups[0].regions[3]: unknown region 'west_asia'"),
        (_missing_fact_en, "facts.members.en: missing"),
        (_empty_fact_ja, "facts.staff.ja: empty"),
        (_phone_not_a_string, "offices[0].phone: expected a string, got int"),
        (_web_not_a_string, "offices[2].web: expected a string, got list"),
        (_missing_address, "offices[5].address: missing"),
        (_missing_offices, "offices: missing"),
        (_alias_not_a_list, "offices[11].aliases.ja: expected a list, got str"),
        (_unknown_alias_language, "regions[1].aliases.fr: unknown language"),
        (_listed_offices_written, "facts.listed_offices: counted from offices, do not set it"),
        (_note_not_a_string, "offices[6].note: expected a string, got list"),
    ],
)  # fmt: skip
def test_broken_file_names_the_field(tmp_path: Path, mutate: Any, message: str) -> None:
    raw = _raw()
    mutate(raw)
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(_write(tmp_path, raw))
    assert str(error.value).startswith(message)


def test_unquoted_no_is_reported_not_silently_lost(tmp_path: Path) -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert '\n  "NO": europe' in text
    path = tmp_path / "iclei.yml"
    path.write_text(text.replace('\n  "NO": europe', "\n  NO: europe"), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"countries\.False: expected a string, got bool"):
        load_knowledge(path)


def test_invalid_yaml_and_missing_file_raise_knowledge_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("offices: [unclosed", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="cannot read"):
        load_knowledge(bad)
    with pytest.raises(KnowledgeError, match="cannot read"):
        load_knowledge(tmp_path / "absent.yml")
    not_a_mapping = tmp_path / "list.yml"
    not_a_mapping.write_text("- 1\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="<root>: expected a mapping"):
        load_knowledge(not_a_mapping)
