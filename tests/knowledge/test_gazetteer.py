"""Tests for the gazetteer: cities and subdivisions, English and Japanese, -> ISO country."""

from __future__ import annotations

import pytest

from bot.knowledge.gazetteer import GeoPlace, find_in_text, lookup


@pytest.mark.parametrize(
    ("name", "country"),
    [
        # the names the gazetteer was asked for
        ("Accra", "GH"),
        ("ハンブルク", "DE"),
        ("Pune", "IN"),
        ("Calgary", "CA"),
        ("Seattle", "US"),
        ("Bogotá", "CO"),
        ("Bogota", "CO"),
        ("Davao", "PH"),
        ("札幌", "JP"),
        ("仁川", "KR"),
        ("Bavaria", "DE"),
        ("北海道", "JP"),
        ("Kyoto", "JP"),
        ("京都", "JP"),
        ("大阪", "JP"),
        ("Lyon", "FR"),
        ("São Paulo", "BR"),
        ("Sao Paulo", "BR"),
        # more cities, English
        ("Melbourne", "AU"),
        ("Nairobi", "KE"),
        ("Johannesburg", "ZA"),
        ("Lagos", "NG"),
        ("Mumbai", "IN"),
        ("Bombay", "IN"),
        ("Bangalore", "IN"),
        ("Ho Chi Minh City", "VN"),
        ("Suwon", "KR"),
        ("Kaohsiung", "TW"),
        ("Vancouver", "CA"),
        ("Montreal", "CA"),
        ("Lima", "PE"),
        ("Rio de Janeiro", "BR"),
        ("Munich", "DE"),
        ("München", "DE"),
        ("Cologne", "DE"),
        ("Zurich", "CH"),
        ("Barcelona", "ES"),
        ("Istanbul", "TR"),
        ("Tel Aviv", "IL"),
        ("Mexico City", "MX"),
        ("Quezon City", "PH"),
        ("Cape Town", "ZA"),
        ("Kraków", "PL"),
        # more cities, Japanese
        ("メルボルン", "AU"),
        ("ナイロビ", "KE"),
        ("カイロ", "EG"),
        ("ムンバイ", "IN"),
        ("ジャカルタ", "ID"),
        ("マニラ", "PH"),
        ("バンコク", "TH"),
        ("ハノイ", "VN"),
        ("釜山", "KR"),
        ("水原", "KR"),
        ("台北", "TW"),
        ("高雄", "TW"),
        ("北京", "CN"),
        ("上海", "CN"),
        ("深圳", "CN"),
        ("トロント", "CA"),
        ("メキシコシティ", "MX"),
        ("ブエノスアイレス", "AR"),
        ("ケルン", "DE"),
        ("ウィーン", "AT"),
        ("ブリュッセル", "BE"),
        ("ローマ", "IT"),
        ("シドニー", "AU"),
        ("フライブルク", "DE"),
        ("横浜", "JP"),
        ("名古屋", "JP"),
        ("神戸", "JP"),
        ("福岡", "JP"),
        ("さいたま市", "JP"),
        ("新宿区", "JP"),
        ("東京", "JP"),
        # prefectures, provinces and states
        ("Hokkaido", "JP"),
        ("沖縄県", "JP"),
        ("神奈川県", "JP"),
        ("愛知県", "JP"),
        ("京都府", "JP"),
        ("大阪府", "JP"),
        ("東京都", "JP"),
        ("Ontario", "CA"),
        ("オンタリオ", "CA"),
        ("British Columbia", "CA"),
        ("California", "US"),
        ("カリフォルニア州", "US"),
        ("テキサス州", "US"),
        ("New York State", "US"),
        ("Gyeonggi-do", "KR"),
        ("京畿道", "KR"),
        ("四川省", "CN"),
        ("Maharashtra", "IN"),
        ("Tuscany", "IT"),
        ("Catalonia", "ES"),
        ("Île-de-France", "FR"),
        ("バイエルン", "DE"),
        ("Scotland", "GB"),
        ("New South Wales", "AU"),
        ("Western Cape", "ZA"),
    ],
)
def test_lookup_resolves_names_in_both_languages(name: str, country: str) -> None:
    place = lookup(name)
    assert place is not None, name
    assert place.country == country, place


@pytest.mark.parametrize(
    ("name", "canonical", "kind"),
    [
        # a city and a subdivision of one name: the city, unless a generic word says otherwise
        ("Kyoto", "Kyoto", "city"),
        ("京都", "Kyoto", "city"),
        ("京都市", "Kyoto", "city"),
        ("京都府", "Kyoto", "subdivision"),
        ("Kyoto Prefecture", "Kyoto", "subdivision"),
        ("New York", "New York City", "city"),
        ("New York State", "New York", "subdivision"),
        ("大阪", "Osaka", "city"),
        ("大阪府", "Osaka", "subdivision"),
        ("北海道", "Hokkaido", "subdivision"),
        ("Bavaria", "Bavaria", "subdivision"),
        ("バイエルン", "Bavaria", "subdivision"),
        # generic words are dropped where the rest is a name
        ("仁川市", "Incheon", "city"),
        ("Davao City", "Davao", "city"),
        ("四川省", "Sichuan", "subdivision"),
    ],
)
def test_lookup_kind_and_english_name(name: str, canonical: str, kind: str) -> None:
    place = lookup(name)
    assert place is not None, name
    assert (place.canonical, place.kind) == (canonical, kind)


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Paris", "FR"),  # not Paris, Texas
        ("パリ", "FR"),
        ("Freiburg", "DE"),  # not the Swiss canton Fribourg / Freiburg
        ("Santiago", "CL"),  # not Santiago de los Caballeros
        ("サンティアゴ", "CL"),
        ("Birmingham", "GB"),
        ("Córdoba", "AR"),
    ],
)
def test_ambiguous_names_pick_the_most_populous_reading(name: str, country: str) -> None:
    place = lookup(name)
    assert place is not None
    assert place.country == country


@pytest.mark.parametrize(
    "name",
    [
        "ＳＡＰＰＯＲＯ",
        "sapporo",
        "SAPPORO",
        "  Sapporo  ",
        "Sappōro",
        "さっぽろ",
        "サッポロ",
        "ｻｯﾎﾟﾛ",
    ],
)
def test_lookup_ignores_width_case_accents_and_kana(name: str) -> None:
    place = lookup(name)
    assert place is not None
    assert (place.canonical, place.country) == ("Sapporo", "JP")
    assert place.name == name.strip()


def test_lookup_returns_the_name_as_given() -> None:
    assert lookup(" São Paulo ") == GeoPlace("São Paulo", "São Paulo", "BR", "city", 12400232)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "city",
        "prefecture",
        "市",
        "県",
        # a country's name never resolves to a place in another country ...
        "Georgia",  # a US state, but first the country
        "Armenia",  # a city in Colombia
        "Lebanon",
        "Holland",
        "ジョージア",
        # ... nor a continent's or region's
        "Asia",
        "アジア",
        "Western Province",
        "東部",
    ],
)
def test_lookup_rejects_generic_words_countries_and_regions(name: str) -> None:
    assert lookup(name) is None


# --- free text -----------------------------------------------------------------------------


def _found(text: str) -> list[tuple[str, str]]:
    return [(place.name, place.country) for place in find_in_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm from Accra, which office do I contact?", [("Accra", "GH")]),
        ("Any good hotels near Freiburg station?", [("Freiburg", "DE")]),
        ("ハンブルクの担当はどこですか", [("ハンブルク", "DE")]),
        ("Is there an office in Kyoto?", [("Kyoto", "JP")]),
        ("Our city is Bogota.", [("Bogota", "CO")]),
        ("Our city is Bogotá.", [("Bogotá", "CO")]),
        ("we are in sao paulo", [("sao paulo", "BR")]),
        (
            "I'm in Pune, then Calgary and Seattle",
            [("Pune", "IN"), ("Calgary", "CA"), ("Seattle", "US")],
        ),
        ("札幌市と仁川の事例を教えて", [("札幌市", "JP"), ("仁川", "KR")]),
        ("北海道の自治体です", [("北海道", "JP")]),
        ("京都府と大阪府の担当は", [("京都府", "JP"), ("大阪府", "JP")]),
        ("神奈川県の自治体です", [("神奈川県", "JP")]),
        ("Offices in Bavaria or Lyon?", [("Bavaria", "DE"), ("Lyon", "FR")]),
        ("From Tokyo to 大阪 via Kyoto", [("Tokyo", "JP"), ("大阪", "JP"), ("Kyoto", "JP")]),
        ("ﾊﾝﾌﾞﾙｸの担当", [("ﾊﾝﾌﾞﾙｸ", "DE")]),  # half-width: the name as written
        ("サン・パウロの事務所", [("サン・パウロ", "BR")]),
        ("We are based in Davao City, Philippines", [("Davao City", "PH")]),
        ("北京市に事務所はありますか", [("北京市", "CN")]),
        ("高雄事務所の住所", [("高雄", "TW")]),
        ("I live in Nice.", [("Nice", "FR")]),  # a common word, capitalised mid-sentence
        ("Is there an office in Reading?", [("Reading", "GB")]),
        ("I work in Mobile, Alabama", [("Mobile", "US"), ("Alabama", "US")]),
    ],
)
def test_find_in_text(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_find_in_text_names_each_place_once() -> None:
    assert _found("Tokyo, 東京, TOKYO") == [("Tokyo", "JP")]


@pytest.mark.parametrize(
    "text",
    [
        # ordinary English about ICLEI
        "What is the mission of ICLEI?",
        "How many staff do you have?",
        "Can I join as a city?",
        "Is there an office near me?",
        "Why should my city become a member?",
        "How much does membership cost?",
        "Who is the Secretary General?",
        "What are your office hours?",
        "Can you send me the annual report?",
        "Best way to contact the team?",
        "I need help with a climate action plan",
        "Tell me about the history of ICLEI",
        "Where does the name ICLEI come from?",
        "When was ICLEI founded and how has it changed over time?",
        "Do you have any job openings?",
        "How can local governments reduce emissions?",
        "Are most emissions produced in cities?",
        "Can I buy tickets for the World Congress?",
        "Is the university programme open to students?",
        "Thank you very much for your help",
        "Have a nice day",
        "Nice to meet you",
        "Reading the report now, thanks",
        "Is there a mobile app?",
        "Home page please",
        "What's the deal with the Green Climate Fund?",
        "I hope you can help me",
        "What are normal working hours?",
        "Independence from fossil fuels by 2040",
        "Split the invoice between two departments",
        "Is the bath in the hotel nice?",
        "NICE TO MEET YOU",
        "no, I'm okay",
        "What does the World Bank do?",
        "how do I bake bread",
        "Where is the airport?",
        # countries and regions are not cities or states
        "I'm from Sri Lanka",
        "We are in El Salvador",
        "Offices in Asia and Europe?",
        # ordinary Japanese about ICLEI
        "イクレイの職員数を教えてください",
        "会員になるにはどうすればいいですか",
        "英語で話せますか",
        "日本語で大丈夫ですか",
        "イクレイのミッションは何ですか",
        "イクレイが目指しているゴールは何ですか",
        "事務所の営業時間を教えてください",
        "会費はいくらですか",
        "気候変動対策について知りたいです",
        "持続可能な都市づくりの事例はありますか",
        "ニュースレターに登録したい",
        "担当者に連絡したいです",
        "自治体として参加できますか",
        "イクレイの中心となる事務所はどこですか",
        "メディア掲載について問い合わせたい",
        "温泉旅行のおすすめは",
        "太平洋の島しょ国の会員は",
        "タイマーを5分にセットして",
        "タイムゾーンはどこですか",
        "ありがとうございました",
    ],
)
def test_find_in_text_ignores_ordinary_words(text: str) -> None:
    assert find_in_text(text) == []
