"""What a message asks for, read from its words: office details, facets of a fact, a language,
and out-of-scope travel topics.

The intent says what kind of question it is; these cues say which detail is wanted, so that
"and the phone?" after an office answer gives the phone (or says the page lists none) rather
than the whole card again. Cues are matched on the NFKC-casefolded text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Attribute = Literal["phone", "fax", "email", "web", "postal", "address"]
Facet = Literal["when", "where", "who", "how_many", "what"]
Language = Literal["en", "ja"]

# Order matters where cues overlap: "postal address" is postal, not address; "fax number"
# is fax, not phone.
_ATTRIBUTES: tuple[tuple[Attribute, re.Pattern[str]], ...] = (
    # Not "\bfax": after Japanese (「住所とFAX番号」) there is no word boundary.
    ("fax", re.compile(r"(?<![a-z])fax|facsimile|ファックス|ファクス")),
    (
        "email",
        re.compile(r"e-?mail(?: address)?|\bmail address|メールアドレス|メール|メアド"),
    ),
    (
        "phone",
        re.compile(
            r"phone|\btel\b|\bcall\b|\bring\b|\bdial\b|(?<!the )\bnumber\b(?! of)|電話|でんわ|番号"
        ),
    ),
    (
        "web",
        re.compile(
            r"web\s?site|\bweb\b|\bsite\b|\burl\b|home ?page|ウェブ|ホームページ|\bhp\b|サイト"
        ),
    ),
    (
        "postal",
        re.compile(r"postal(?: address)?|post box|mailing address|p\.?o\.? box|郵送先|郵便|私書箱"),
    ),
    (
        "address",
        re.compile(r"address|located|location|\bwhere\b|住所|所在地|場所|どこ|アドレス"),
    ),
)

_FACETS: tuple[tuple[Facet, re.Pattern[str]], ...] = (
    (
        "how_many",
        re.compile(
            r"how many|how much|number of|何人|何か国|いくつ|何件|何団体|どのくらい|どれくらい"
        ),
    ),
    ("when", re.compile(r"\bwhen\b|what year|what date|which year|いつ|何年|何月|何日|時期")),
    ("where", re.compile(r"\bwhere\b|which city|which country|どこ|どちら|場所|都市|国で")),
    ("who", re.compile(r"\bwho\b|\bwhom\b|by whom|誰|だれ|どなた|どの団体|どんな人")),
    ("what", re.compile(r"\bwhat\b|\bwhich\b|何|なに|どんな|どういう")),
)

_LANGUAGES: tuple[tuple[Language, re.Pattern[str]], ...] = (
    ("ja", re.compile(r"japanese|nihongo|日本語|にほんご|ニホンゴ")),
    ("en", re.compile(r"english|eigo|英語|えいご|エイゴ")),
)

# Travel and everyday topics: a place named beside them is not a question about an office.
# The nearest station or stop: travel in general, the way to an office after one.
_NEAREST_STOP = r"\bnearest (?:station|stop|subway|metro|train|tube|bus stop)|最寄り?(?:の)?駅"
_OUT_OF_SCOPE = re.compile(
    r"weather|temperature|forecast|\brain(y|ing)?\b|\bsnow|hotel|hostel|accommodation|airbnb|"
    r"\bstay (overnight|near)|restaurant|\bfood\b|\beat\b|\beating\b|ramen|sushi|pizza|"
    r"\bcoffee|\bcafe|\bbars?\b|\bbeer|sightseeing|tourist|things to do|museum|"
    r"time is it|local time|time zone|timezone|\btrains?\b|\bbus(es)?\b|airport|\bflights?\b|"
    r"\btaxi|\bfly(?:ing)? (?:to|into|out)|exchange rates?|directions|how do i get|how to get|"
    r"how can i get|\bget to\b|\broute\b|parking|"
    r"\b(?:can|could|do|should) (?:i|we) park\b|\bcar park|"
    r"shopping|\bcold\b|\bhot\b|\bwarm\b|humid|sunny|degrees|celsius|fahrenheit|\bsafe\b|safety|"
    r"\bcrime|dangerous|tacos?\b|dinner|lunch|breakfast|nightlife|exchange money|currency|"
    r"\bvisa\b|\btrip\b|travel|vacation|holiday|\bbook me\b|"
    r"両替|治安|危険|何度|暑い|寒い|お店|シュラスコ|駅から|どうやって行|出張|旅行|休暇|"
    r"天気|気温|雨|雪|ホテル|宿泊|宿を|宿は|泊ま|旅館|レストラン|ご飯|ごはん|食べ|グルメ|ラーメン|"
    r"寿司|カフェ|観光|名所|見どころ|お土産|何時|時差|現在時刻|今の時間|電車|バス|空港|飛行機|"
    r"タクシー|行き方|アクセス方法|乗り換え|駐車|買い物|" + _NEAREST_STOP
)


# Getting to the office just discussed: "how do I get there?", 「最寄り駅は？」, "is there
# parking?". The page gives addresses only; after an office, the office's card says so.
_THE_WAY_THERE = re.compile(
    r"directions|how (?:do|can|would|should) (?:i|we) get there|how to get there|\bget there\b|"
    r"\bparking\b|行き方|アクセス|道順|どうやって行|駐車|" + _NEAREST_STOP
)


def asks_the_way_there(text: str) -> bool:
    """True when a message asks how to reach a place or park there (directions, the nearest
    station, parking)."""
    return bool(_THE_WAY_THERE.search(_norm(text)))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


_AN_ADDRESS = re.compile(r"[^\s@]+@[^\s@]+\.[a-z]{2,}", re.IGNORECASE)


def gives_an_address(text: str) -> bool:
    """True when a message writes an email address (the visitor's own, given)."""
    return bool(_AN_ADDRESS.search(_norm(text)))


def attributes_asked(text: str) -> list[Attribute]:
    """The office details a message asks for, in the order of the table (empty: none named)."""
    norm = _norm(text)
    # "…, email rgomez@rosario.gob.ar": the visitor gives theirs, asks for none.
    gives_address = gives_an_address(text)
    found: list[Attribute] = []
    for name, pattern in _ATTRIBUTES:
        if pattern.search(norm):
            if name in ("email", "postal"):
                # "email address", "postal address" name one thing, not also the address.
                norm = pattern.sub(" ", norm)
            if name == "email" and gives_address:
                continue
            # "fax number" is not also a phone.
            if name == "phone" and "fax" in found and not re.search(r"phone|電話|\btel\b", norm):
                continue
            found.append(name)
    return found


def facet_asked(text: str) -> Facet | None:
    """The facet of a fact a short follow-up asks for ("and where?", 「それはいつ？」)."""
    norm = _norm(text)
    for name, pattern in _FACETS:
        if pattern.search(norm):
            return name
    return None


# "my colleague doesn't read Japanese", 「日本語が読めない」: the other language is wanted.
_NOT_READ = re.compile(
    r"(?:don'?t|doesn'?t|do not|does not|can'?t|cannot|not)\s+(?:read|speak|understand|know|write)"
    r"\s+(japanese|english)|(英語|日本語)(?:が|は)(?:読めない|分からない|わからない|話せない|苦手)"
)


def _other_than_the_one_not_read(norm: str) -> Language | None:
    match = _NOT_READ.search(norm)
    if match is None:
        return None
    unread = match.group(1) or match.group(2)
    return "en" if unread in ("japanese", "日本語") else "ja"


def language_asked(text: str) -> Language | None:
    """The language a message asks the assistant to use, if it names exactly one."""
    norm = _norm(text)
    other = _other_than_the_one_not_read(norm)
    if other is not None:
        return other
    named = [lang for lang, pattern in _LANGUAGES if pattern.search(norm)]
    return named[0] if len(named) == 1 else None


# An office's opening hours: a question about the office (the page lists none), not about
# the time of day.
_HOURS = re.compile(
    r"opening hours|office hours|business hours|\bopen (?:on|at|from|until|till)\b|"
    r"what time (?:do|does|is) .{0,30}(?:open|close)|営業時間|開いて|何時から|何時まで|受付時間|"
    r"開館時間|業務時間"
)


# Opinions and politics ("what do you think about the referendum in Chile?", 「日本政府の
# 温暖化対策についてどう思いますか」): out of scope, whatever place they name.
_OPINION = re.compile(
    r"what do you think (?:about|of)|your (?:opinion|view|thoughts) (?:on|about|of)|"
    r"do you (?:support|agree with|like)|\bpolitic|election|referendum|constitution|"
    r"どう思い|ご意見|あなたの意見|政治|選挙|国民投票|憲法|政権|支持しますか"
)


def is_travel_or_everyday(text: str) -> bool:
    """True when a message is about weather, hotels, food, sightseeing, time, travel, or
    asks for an opinion on politics or anything else."""
    norm = _norm(text)
    if _HOURS.search(norm) and _OFFICE_WORDS.search(norm):
        return False
    return bool(_OUT_OF_SCOPE.search(norm) or _OPINION.search(norm))


# "What offices are in Southeast Asia?" asks for every office under the heading; "which
# office covers Oceania?" asks for the one to contact.
# "Is Cape Town the only one for Africa?", "any others besides Tokyo?", 「東京以外に日本の
# 事務所は？」 ask the same: every office of the place.
_LIST = re.compile(
    r"\boffices\b|\ball\b|\bevery\b|\blist\b|\bhow many\b|\bany offices\b|secretariats|"
    r"\bonly (?:one|office)\b|\bthe only\b|\bany others?\b|\bbesides\b|\bapart from\b|"
    r"\bthe main (?:one|office)\b|\bwhole of\b|"
    r"\bother (?:offices?|ones?|secretariats?|branch(?:es)?)\b|"
    r"\bexcept\b|\banother (?:one|office)\b|\bmore than one\b|"
    r"全部|すべて|全て|一覧|どんな事務所|どのような事務所|事務所は何|何か所|何カ所|いくつ|各事務所|"
    r"事務所を教えて|リスト|にある事務所|にはどんな|拠点|以外|他に|ほかに|他の事務所|ほかの事務所|"
    r"だけ(?:です|でしょう|なの|ですか|\?|？)|一つだけ|1つだけ|ひとつだけ|一か所だけ|1か所だけ"
)


# "both addresses please", 「両方の住所をお願いします」: every office just listed.
_EACH = re.compile(
    r"\bboth\b|\ball of them\b|\beach of them\b|\bfor each\b|両方|どちらも|それぞれ|全部の"
)


def asks_for_each(text: str) -> bool:
    """True when a message asks a detail of every office just listed."""
    norm = _norm(text)
    return bool(_EACH.search(norm)) and bool(attributes_asked(norm))


def asks_for_list(text: str) -> bool:
    """True when a message asks for every office of a place rather than the one to contact."""
    return bool(_LIST.search(_norm(text)))


# "Is the Brussels office the same as the European Secretariat?", 「ブリュッセル事務所と
# ヨーロッパ事務局は別ですか」: a comparison of the offices named, not a request for one.
_SAME_OR_DIFFERENT = re.compile(
    r"\b(?:the )?same\b|\bdiffer|\bseparate\b|\bdistinct\b|\bone (?:[\w-]+ )?or two\b|"
    r"同じ|違い|違う|ちがう|別の|別々|別物|別ですか|別なの|別\?|異なる|一緒|同一"
)


# "Which is bigger, the Denver office or the Toronto one?": a size the page gives no office.
_BIGGER = re.compile(
    r"\b(?:bigger|larger|smaller|biggest|largest|more staff|more people)\b|"
    r"(?:どちら|どっち)が(?:大きい|小さい|多い)|規模"
)


def compares_offices(text: str) -> bool:
    """True when a message asks whether the places it names are one office or several, or
    which of them is bigger."""
    norm = _norm(text)
    return bool(_SAME_OR_DIFFERENT.search(norm) or _BIGGER.search(norm))


def compares_sizes(text: str) -> bool:
    """True when a message asks which of the offices it names is bigger."""
    return bool(_BIGGER.search(_norm(text)))


# "Could you answer in Japanese?", 「英語で回答してください」, 「英語表示にして」: a language
# named together with how to communicate. "ICLEI's name in Japanese" names no way of talking.
_JA_REQUEST = re.compile(r"(英語|日本語|えいご|にほんご)(で|に|表示|のほう|の方|版|対応)")
_EN_REQUEST = re.compile(
    r"\b(?:in|into|to)\s+(?:japanese|english)\b|\b(?:japanese|english)\s+(?:please|pls|instead|only)\b|"
    # A preference: "I'd prefer Japanese", "English would be easier for me".
    r"\b(?:prefer|rather)(?: (?:to )?(?:have|use|speak|read|write|chat|talk|continue|go on))?"
    r"(?: it| this)?(?: in)? (?:japanese|english)\b|"
    r"\b(?:japanese|english) (?:would be|'d be|is|works?) (?:better|easier|preferable|best)\b"
)
_COMMUNICATE = re.compile(
    r"speak|chat|talk|answer|reply|replies|respond|write|continue|switch|communicat|converse|"
    r"please|instead|from now|prefer|rather|easier|change|help me|"
    r"話|答え|回答|返信|返事|対応|切り替|切替|お願い|続け|説明|表示|助か|ほしい|欲しい|できます|ください"
)


# 「住所は英語で教えてください」, "the address in English please": one detail asked in a
# language, not the conversation (the page writes addresses in Latin script anyway).
_DETAIL_IN_A_LANGUAGE = re.compile(
    r"(?:住所|所在地|アドレス|名前|名称|事務所名|表記|綴り|スペル|url|ウェブサイト|サイト)"
    r"(?:は|を|だけ|のみ|も)?(?:英語|日本語|えいご|にほんご)(?:で|表記)|"
    r"\b(?:address(?:es)?|name|spelling|website)\b[^.?!。]{0,25}\bin (?:japanese|english)\b"
)


def asks_detail_in_a_language(text: str) -> bool:
    """True when a message asks for one detail in a language (「住所は英語で」), not for
    the conversation in it."""
    return bool(_DETAIL_IN_A_LANGUAGE.search(_norm(text)))


# "Back to English - is there an office in Korea too?": a switch however long the message.
_BACK_TO = re.compile(
    r"\b(?:back|switch(?:ing)?(?: back)?|go(?:ing)? back) to (japanese|english)\b"
)


def language_requested(text: str) -> Language | None:
    """The language a message asks the assistant to talk in, or None if it asks for none."""
    norm = _norm(text)
    other = _other_than_the_one_not_read(norm)
    if other is not None:
        return other
    back = _BACK_TO.search(norm)
    if back:
        return "ja" if back.group(1) == "japanese" else "en"
    if not _COMMUNICATE.search(norm) and len(norm.split()) > 4:
        return None
    if asks_detail_in_a_language(norm):
        return None
    match = _JA_REQUEST.search(norm)
    if match:
        return "en" if match.group(1) in ("英語", "えいご") else "ja"
    match = _EN_REQUEST.search(norm)
    if match:
        return "ja" if "japanese" in match.group(0) else "en"
    return None


# The answer to "Do you agree?" in the words of the question: 「同意します」, "I agree". The
# whole message must be the answer, so "what if I don't agree?" is not one.
_AGREE = re.compile(
    r"(?:はい|ええ|yes|yeah|ok|okay|si|sí|oui|ja)?[、,\s]*(?:やっぱり|やはり|では|じゃあ)?[、\s]*"
    r"(?:同意|承諾|了承)(?:しま[すs]?|いたしま[すs]?|する|です|しました|で(?:す|お願いします))?"
    r"|(?:yes|yeah|ok|okay|si|sí|oui|ja)?[,\s]*(?:i\s+)?(?:agreed?|consent|accept)(?:\s+(?:to\s+)?(?:that|this|it|them))?"
)
_DISAGREE = re.compile(
    r"(?:いいえ|いえ|no)?[、,\s]*(?:同意|承諾|了承)(?:しません|できません|しない|いたしません)"
    r"|(?:no|nope)?[,\s]*(?:i\s+)?(?:don'?t|do\s+not|can'?t|cannot|won'?t)\s+"
    r"(?:agree|consent|accept)(?:\s+(?:to\s+)?(?:that|this|it|them))?|(?:no,?\s*)?i\s+disagree"
)


def consent_answer(text: str) -> bool | None:
    """True for a whole message that agrees ("I agree", 「同意します」), False for one that
    refuses in the same words, None for anything else."""
    norm = re.sub(r"[。．.!！\s]+$", "", _norm(text).strip())
    if _DISAGREE.fullmatch(norm):
        return False
    if _AGREE.fullmatch(norm):
        return True
    return None


_RATHER_NOT = re.compile(
    r"\b(?:i'?d|i would) rather not\b|\bprefer not to\b|\bnot comfortable\b|"
    r"遠慮(?:します|しておきます|させて)|やめておきます|控えます"
)
_LEADING_YES = re.compile(r"^(?:(?:ok(?:ay)?|fine|sure|alright|all right|yes|yeah|yep)[,\s]+)+")
# A no that opens a longer answer to "Do you agree?" (not "no problem", not "no wait…").
_REFUSAL_OPENING = re.compile(
    r"^(?:no|nope|not (?:yet|now)|いいえ|いえ|いや)[,.!、。\s]+(?!problem|worries|need)"
)
# "no wait… yes, I agree", "hmm, actually": hesitation before the answer.
_HESITATION = re.compile(
    r"^(?:(?:no|oh|um+|uh+|hmm+|ah)?[,\s]*(?:wait|actually|sorry)[,.…!\s]*|"
    # "Oh I see, yes I agree", 「なるほど、同意します」: understood, then the answer.
    r"(?:oh|ah|ok(?:ay)?|right)?[,\s]*(?:i see|got it|understood|i understand|makes sense)"
    r"[,.…!\s]*|(?:あ|えっと|いや|なるほど|わかりました|分かりました)[、,…\s]+)+"
)
# A plain yes to "Do you agree?" in words other than the question's.
_PLAIN_YES = re.compile(
    r"(?:fine|sure|ok(?:ay)?|go ahead|sounds good|no problem|that'?s fine|all good|yes|yeah|yep|"
    r"おk|おけ|おっけ[ーい]?|オッケ[ーイ]?|了解(?:です|しました)?|りょ)"
    r"(?:[,\s]+(?:go ahead|that'?s fine|sure|thanks|please))*|問題ありません|大丈夫です|構いません|"
    r"はい(?:、)?(?:大丈夫です|問題ありません|構いません)?"
)


def consent_opening(text: str) -> bool | None:
    """The answer to "Do you agree?" a message gives as a whole or in its first sentence
    ("yes I agree. Organisation: …", 「同意いたします。団体：…」, "fine", "no wait… yes, I
    agree, go ahead"); None when it gives none."""
    whole = consent_answer(text)
    if whole is not None:
        return whole
    norm = _HESITATION.sub("", _norm(text).strip())
    if _PLAIN_YES.fullmatch(re.sub(r"[。．.!！\s]+$", "", norm)):
        return True
    if (answer := consent_answer(norm)) is not None:
        return answer  # 「いや、やっぱり同意します」 after the hesitation
    # "ok fine, agreed": plain yeses before the answer.
    rest = _LEADING_YES.sub("", norm)
    if rest != norm and consent_answer(rest) is True:
        return True
    if _REFUSAL_OPENING.match(norm) and not re.search(r"[?？]", norm):
        # "No, I just want to know whether NGOs are eligible before I send anything."; not
        # 「いえ、保管期間を伺っているのですが…分からないということでしょうか？」, a question.
        return False
    if _RATHER_NOT.search(norm):
        return False  # "I think I'd rather not share my details through a chatbot, sorry."
    # 「え、同意するってさっき言いましたけど…同意する」: the answer at the end.
    last = re.split(r"[.。!！…]|、(?=[^、]*$)", norm.rstrip(" 。．.!！"))[-1].strip()
    if last and last != norm and (answer := consent_answer(last)) is not None:
        return answer
    first = re.split(r"[.。!！\n]|…|(?<=agree),|(?<=agreed),|(?<=します)、", norm, maxsplit=1)[0]
    return consent_answer(first) if first != norm else None


# "Sure, my name is Lucía and I work for the Municipality of Arequipa": a yes that goes on.
_YES_FIRST = re.compile(
    r"^(?:yes|yeah|yep|yup|sure|ok|okay|of course|definitely|absolutely|go ahead|let'?s do it|"
    r"please do|yes please)\b(?![ ,]*(?:but|although|though)\b)"
    r"|^(?:はい|ええ|うん|ぜひ|是非|お願いします|お願いいたします)(?:[、,。!！\s]|$)(?!.*(?:でも|けど|が、))"
)


def starts_with_yes(text: str) -> bool:
    """True when a message opens with a plain yes (not "yes, but …")."""
    return bool(_YES_FIRST.search(_norm(text).strip()))


# Who leads ICLEI or an office: the page names nobody.
_LEADER_WORDS = (
    r"president|secretary[- ]general|director|\bceo\b|\bhead of\b|who (?:runs|leads|heads|manages)|"
    r"\bboss\b|\bchief executive|\bleaders? of iclei|iclei'?s leaders?\b|"
    r"who(?:'s| is| are) (?:the )?leaders?\b|\bchair|"
    r"会長|所長|局長|事務局長|トップ|責任者|ボス|リーダー"
)
_LEADER = re.compile(_LEADER_WORDS + r"|leads? (?:iclei|it)|代表者|理事長")
# "Do they have staff who speak Malay?", 「スペイン語が話せる職員」: the page does not say (and
# "Malay" is no place).
_STAFF_LANGUAGE_WORDS = (
    r"(?:staff|anyone|someone|somebody|people|employees?)\b.{0,20}\bspeaks?\s+(?!to\b|with\b)\w+|"
    r"speaks? (?:spanish|french|german|portuguese|chinese|korean|japanese|arabic|malay)\b|"
    r"(?:spanish|french|german|portuguese|chinese|korean|arabic)[- ]speak|"
    r"(?:\w+語)(?:が|を|で)?(?:話せる|話す|対応できる)(?:職員|スタッフ|人|方)"
)


_STAFF_LANGUAGE = re.compile(_STAFF_LANGUAGE_WORDS)


def asks_about_staff_languages(text: str) -> bool:
    """True when a message asks which languages an office's staff speak."""
    return bool(_STAFF_LANGUAGE.search(_norm(text)))


# "How long does it take ICLEI to reply?": the page does not say; nor is it about the data.
def asks_how_soon_iclei_replies(text: str) -> bool:
    """True when a message asks how soon ICLEI answers an enquiry."""
    return bool(_REPLY_TIME.search(_norm(text)))


_REPLY_TIME_WORDS = (
    r"how (?:long|soon|quickly).{0,40}\b(?:reply|replies|respond|response|answer|hear back|"
    r"get back)|(?:返信|返事|回答)(?:まで(?:は|に)?|は|には|までの)"
    r"(?:どのくらい|どれくらい|何日|いつ|目安)|"
    r"\bwhen will (?:someone|somebody|they|you|iclei) (?:get back|reply|respond|answer)|"
    r"how long until (?:someone|somebody|they|we hear)"
)
_UN_STANDING_WORDS = (
    r"part of the (?:un|united nations)\b|(?:un|united nations) (?:agency|body|organi[sz]ation)|"
    r"affiliated (?:with|to) the (?:un|united nations)\b|"
    r"was it (?:founded |started |set up |created )?(?:by )?the (?:un|united nations)\b|"
    r"(?:founded|started|set up|created|run) by the (?:un|united nations)\b|"
    r"国連が(?:作|つく|設立|創設|運営)|"
    r"国連の(?:機関|一部|組織)|国連(?:と|との).{0,6}関係|国連傘下"
)
_UN_STANDING = re.compile(_UN_STANDING_WORDS)


def asks_about_un_standing(text: str) -> bool:
    """True when a message asks whether ICLEI is part of the UN (the page does not say)."""
    return bool(_UN_STANDING.search(_norm(text)))


# "Is ICLEI the same thing as C40?", 「C40とイクレイの違いは？」: how ICLEI relates to another
# network, which the page does not say (rather than "I can't help with that").
_OTHER_NETWORK = re.compile(
    r"(?<![a-z0-9])(?:c40|uclg|icma|covenant of mayors|eurocities|un-?habitat|unep|"
    r"climate alliance|energy cities|100 resilient cities|cities alliance|metropolis)(?![a-z0-9])|"
    r"世界都市・自治体連合|首長誓約"
)
_RELATION = re.compile(
    r"\bsame\b|differen|compar|\bvs\b|versus|relat|affiliat|part of|partner|member of|"
    r"違い|違う|同じ|関係|比べ|提携|一緒"
)


def asks_about_other_networks(text: str) -> bool:
    """True when a message asks how ICLEI relates to another network (not on the page)."""
    norm = _norm(text)
    return bool(_OTHER_NETWORK.search(norm) and (_RELATION.search(norm) or names_iclei(text)))


# Leaders, fees, events, jobs: the page lists none of these.
_FEE_WORDS = r"\bfees?\b|\bcost|how much|\bprice|会費|費用|料金|いくら"
_NOT_ON_PAGE = re.compile(
    _LEADER_WORDS + "|" + _FEE_WORDS + r"|\bevents?\b|conference|\bjobs?\b|"
    r"opening hours|office hours|business hours|営業時間|何時から|何時まで|受付時間|"
    r"\bopen (?:on|at|during|until|till)\b|saturdays?|sundays?|weekends?|土曜|日曜|週末|祝日|"
    r"vacanc|intern|career|budget|代表|理事|イベント|会議|採用|求人|"
    r"someone (?:on|in|from) the .{0,20}team|staff member'?s? names?|names? of (?:a |the )?"
    r"(?:staff|researcher|expert|person)|interview|職員の名前|スタッフの名前|取材|"
    r"インターン|予算|"
    # Visits and bookings ("Can I book a meeting room at the Bonn office?", 「見学できますか」).
    r"book (?:a|the)\b|booking|reserv|meeting room|\btours?\b|"
    r"visit (?:the|your|their|an?) (?:[\w-]+ )?(?:office|secretariat|headquarters)|"
    r"見学|訪問|予約|会議室|面会|"
    # Its standing with the UN: the page says only where it was founded.
     + _UN_STANDING_WORDS + "|"
    # An office's own staff ("how many staff are in the Brazil office?"); ICLEI's are on it.
    r"how many (?:staff|people|employees|workers)|"
    r"何人(?:い|働|の職員|のスタッフ)|職員数|スタッフ数|(?:事務所|事務局|オフィス)の(?:人数|職員)|"
    # Staff languages and how soon an enquiry is answered.
     + _STAFF_LANGUAGE_WORDS + "|" + _REPLY_TIME_WORDS
)


def asks_who_leads(text: str) -> bool:
    """True when a message asks who leads ICLEI or an office (the page names nobody)."""
    return bool(_LEADER.search(_norm(text)))


_FEES = re.compile(_FEE_WORDS)  # 年会費 and おいくら contain 会費 and いくら


def asks_about_fees(text: str) -> bool:
    """True when a message asks what membership costs (the page gives no fees)."""
    return bool(_FEES.search(_norm(text)))


def asks_what_the_page_lacks(text: str) -> bool:
    """True when a message asks who leads, what it costs, events or jobs."""
    return bool(_NOT_ON_PAGE.search(_norm(text)))


# Words that make a message with a place in it a question about an office.
_OFFICE_WORDS = re.compile(
    r"(?<![a-z])offices?(?![a-z])|secretariat|\bcontact\b|branch|who should|which office|"
    r"look(?:s|ing)? after|"
    r"closest|nearest|near us|"
    r"near me|nearby|responsible|cover|in charge|reach out|get in touch|talk(?:ing)? to|"
    r"speak(?:ing)? to|who (?:at iclei |there )?(?:do|should|can|could) (?:we|i)|"
    r"anyone|anybody|someone|representative|"
    r"presence|based in|located in|"
    r"事務所|事務局|拠点|オフィス|担当|窓口|問い合わせ|連絡先|近く|最寄り|どなたか|誰か"
)


# "Which office should we get in touch with?": a question whose answer depends on where the
# visitor is (a place they named earlier in the message).
_WHOM = re.compile(
    r"which (?:iclei |regional |local )?office|look(?:s|ing)? after|"
    r"who (?:at iclei |there )?(?:should|do|can|could) (?:we|i)|who should|"
    r"\bcontact\b|get in touch|reach out|"
    r"closest|nearest|responsible|in charge|talk(?:ing)? to|speak(?:ing)? to|"
    r"担当|窓口|問い合わせ先|連絡先|相談先|どちらの事務所|どの事務所|"
    r"(?:どこ|どちら|誰|だれ)に(?:問い合わせ|問合せ|お問い合わせ|連絡|ご連絡|相談|ご相談)"
)


def asks_whom_to_contact(text: str) -> bool:
    """True when a message asks which office or person to contact."""
    return bool(_WHOM.search(_norm(text)))


def mentions_an_office(text: str) -> bool:
    """True when a message talks about an office, a contact or who is responsible."""
    return bool(_OFFICE_WORDS.search(_norm(text)))


def is_short(text: str) -> bool:
    """A follow-up's length: a few words, or a short Japanese phrase."""
    norm = _norm(text).strip()
    if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", norm):
        return len(norm) <= 24
    return len(norm.split()) <= 8


# "Can I send a membership enquiry here?": the enquiry form, when the model is unsure.
_ENQUIRY = re.compile(
    r"membership enquiry|membership inquiry|"
    r"(?:send|make|submit|start|begin|fill in|do) (?:an|a|my|our|the) (?:membership )?"
    r"(?:enquiry|inquiry|application)|"
    r"apply for membership|sign (?:us|our city|my city) up|become a member|"
    r"入会|加盟を申し込|加盟したい|会員になりたい|問い合わせをしたい|問い合わせを送|"
    r"(?:加盟|入会|会員)(?:について|に関して|の件で)(?:の)?(?:お)?問い合わせ(?:たい|をしたい|させて)|"
    r"(?:加盟|入会|会員)(?:の|に関する|についての)(?:お)?問い合わせ(?:を)?(?:お願い|したい|させて)|"
    r"^(?:それでは|では|じゃあ)?[、\s]*(?:お)?問い合わせ(?:を)?お願い(?:します|いたします)|"
    r"問い合わせ(?:を)?(?:出したい|出します|出させて)|"
    r"問い合わせ(?:を)?(?:送りたい|送ります|送らせて|送り直|送ってみ|進めたい|進めます)|送り直し|再送|"
    r"問い合わせ(?:だけ|を)?(?:して|し)み|"
    r"(?:want|like|love|keen) to join\b|"
    r"(?:イクレイ|iclei)に(?:入りたい|入れて|参加したい|加わりたい)|メンバーになりたい"
)


# "We'd like to join, what do we do?", "how does signing up work?": how to join, which the
# membership answer explains before it offers the enquiry form.
_HOW_TO_JOIN = re.compile(
    r"what (?:do|should|must|would) (?:we|i) (?:do|need)|"
    r"how (?:do|can|would|should|could) (?:we|i)|"
    r"how does (?:it|that|this|signing up|joining) work|(?:process|procedure|steps|requirements)\b|"
    r"手続き|どうすれば|どうしたら|方法|流れ|どのように|どうやって|条件"
)
_NAMES_THE_ENQUIRY = re.compile(r"enquiry|inquiry|問い合わせ|お問合せ")


_MEMBERSHIP = re.compile(
    r"becom(?:e|ing) (?:a )?members?|\bjoin(?:ing)? (?:iclei|you|the network)|membership|"
    r"sign(?:ing)? up|加盟|入会|会員にな|メンバーにな|"
    r"(?:イクレイ|iclei|ネットワーク)(?:に|へ)(?:入る|入り|入れ|入って|参加[しす]|加わ)"
)


def mentions_membership(text: str) -> bool:
    """True when a message talks about becoming a member or joining."""
    return bool(_MEMBERSHIP.search(_norm(text)))


# "When and where is this year's World Congress?": the page lists no events.
_EVENT = r"(?:conference|congress|event|meeting|summit|会議|イベント|大会|総会)"
_FUTURE = (
    r"(?:this year|next year|upcoming|coming up|next|will be held|scheduled|in 20\d\d|"
    r"今年|来年|今度の|次の|次回|予定)"
)
_FUTURE_EVENT = re.compile(rf"{_FUTURE}.{{0,30}}{_EVENT}|{_EVENT}.{{0,30}}{_FUTURE}")


def asks_about_coming_events(text: str) -> bool:
    """True when a message asks about an event to come (the page lists none)."""
    return bool(_FUTURE_EVENT.search(_norm(text)))


def asks_how_membership_works(text: str) -> bool:
    """True when a message asks how to become a member, however politely it is wrapped
    ("We are interested in becoming a member. Could you explain the process?")."""
    return bool(_MEMBERSHIP.search(_norm(text))) and asks_how_to_join(text)


# "Can a consultant submit this?", 「個人でも加盟できますか」: who may join, which the
# membership answer covers (local governments; an Associate Partnership for others).
_WHO_CAN_JOIN = re.compile(
    r"(?:ngo|npo|企業|個人|市民|学生)(?:向け|でも|も)(?:[？?]|ですか|なの|でしょうか)|"
    r"\b(?:ngos?|compan(?:y|ies)|individuals|non-?profits|business(?:es)?|universities|"
    r"citizens|organi[sz]ations like ours)\b.{0,30}\b(?:eligible|allowed|welcome)\b|"
    r"自治体(?:じゃない|ではない|以外)(?:けど|ですけど|のですが|んですけど|でも).{0,15}"
    r"(?:大丈夫|いい|可能|でき|加盟|参加)|"
    r"\b(?:work|deal|partner) with (?:ngos?|compan(?:y|ies)|business(?:es)?|individuals|"
    r"non-?profits|universities)|"
    r"\bonly (?:with |for )?(?:local )?(?:governments|cities|councils)\b|"
    r"\bcan (?:an? |our |my |we as an? )?(?:consultants?|ngos?|compan(?:y|ies)|individuals?|"
    r"persons?|universit(?:y|ies)|business(?:es)?|non-?profits?|private (?:\w+)|"
    r"organi[sz]ations?(?: like ours)?|citizens?|residents?|volunteers?)\b.{0,40}"
    r"\b(?:join|submit|apply|become|be a member|take part|participate|volunteer)|"
    r"(?:個人|企業|会社|ngo|npo|大学|コンサル(?:タント)?|市民)(?:で|が|として)(?:も)?"
    r"(?:加盟|参加|入会|会員|申し込|問い合わせ)|"
    r"\b(?:can|could|may) (?:i|we) (?:join|apply|sign up|become (?:a )?members?|take part|"
    r"participate)\b.{0,20}\bas (?:an? )?(?:\w+ )?(?:consultants?|compan(?:y|ies)|"
    r"individuals?|person|ngos?|business(?:es)?|universit(?:y|ies)|non-?profits?|citizens?|"
    r"residents?|researchers?|students?)\b"
)


def asks_who_can_join(text: str) -> bool:
    """True when a message asks whether someone other than a local government may join."""
    return bool(_WHO_CAN_JOIN.search(_norm(text)))


def asks_how_to_join(text: str) -> bool:
    """True when a message asks how joining works, without asking to send an enquiry."""
    norm = _norm(text)
    return bool(_HOW_TO_JOIN.search(norm)) and not _NAMES_THE_ENQUIRY.search(norm)


# "Why should a small town bother joining a network like this?", 「加盟するメリットは？」: what
# membership brings, which the page does not list (it says why local action matters).
_WHY_JOIN = re.compile(
    r"\bwhy (?:should|would|do|does|must|shall|bother)\b[^.?!]{0,60}\b(?:join|sign up|members?)|"
    r"what(?:'s| is) in it for|\b(?:benefits?|advantages?|perks?)\b[^.?!]{0,40}"
    r"\b(?:join|joining|members?|membership)\b|\b(?:joining|membership)\b[^.?!]{0,40}"
    r"\b(?:benefits?|advantages?|worth it|worthwhile)\b|\bworth (?:joining|becoming a member)|"
    r"(?:加盟|入会|参加|会員|に入る|に入れば|に入った)[^。？?]{0,20}"
    r"(?:メリット|利点|意義|意味|価値|いいこと|良いこと|得)|"
    r"(?:メリット|利点)[^。？?]{0,15}(?:加盟|入会|会員)|なぜ[^。？?]{0,30}(?:加盟|入会)|"
    r"(?:加盟|入会)(?:する)?(?:理由|必要)"
)


def asks_why_join(text: str) -> bool:
    """True when a message asks what joining ICLEI brings or why a town should join."""
    return bool(_WHY_JOIN.search(_norm(text)))


# An enquiry already sent, by its reference or in words: "ref ICLEI-2026-000021",
# 「受付番号から状況を確認できますか」, "the enquiry we sent last week".
_SENT_ENQUIRY = re.compile(
    r"iclei-\d{4}-\d{6}|受付番号|reference (?:number|no\b|code)|\bmy reference\b|"
    r"status of (?:my|our|the) (?:enquiry|inquiry|application)|"
    r"(?:enquiry|inquiry|application) (?:i|we) (?:sent|submitted|made)|"
    r"(?:送った|送信した|出した)(?:加盟の)?問い合わせ|問い合わせ(?:を)?(?:送った|送信した|出した)(?!い)|"
    r"問い合わせ(?:の)?(?:状況|状態|進捗|ステータス)"
)
# "what was my reference number again?", 「受付番号をもう一度教えて」.
_REFERENCE_ASKED = re.compile(
    r"(?:what|which|tell me|remind|give me|repeat|forgot|lost).{0,40}reference|"
    r"reference (?:number|no\b|code).{0,20}(?:again|\?)|"
    r"受付番号(?:を|は|って)?(?:もう一度|もう一回|なん|何|教え|忘れ)"
)


_REFERENCE = re.compile(
    r"iclei-\d{4}-\d{6}|受付番号|reference (?:number|no\b|code)|\bmy reference\b"
)


def names_a_reference(text: str) -> bool:
    """True when a message gives or names an enquiry's reference number: one that was sent,
    even when the model hears a wish to send one (「受付番号はICLEI-2026-000021です」)."""
    return bool(_REFERENCE.search(_norm(text)))


# "Can we resume the enquiry I started?", 「上司OKでした！さっきの続きからできます？」: the
# enquiry called off earlier, taken up again.
_RESUME = re.compile(
    r"続きから|続きを|再開|(?:さっき|先ほど|さきほど)の(?:内容|続き|問い合わせ)|"
    r"\bpick (?:this|it|that) (?:back )?up\b|\bresume\b|where we left off|"
    r"continue (?:the|my|our|that) (?:enquiry|inquiry|application)|"
    r"(?:boss|director|manager|supervisor|上司|課長|部長|係長|市長|町長)"
    r".{0,25}(?:\bok(?:ay)?\b|go ahead|approv|agreed|ok出|okでした|ok(?:が|を)?(?:もらえ|出)|"
    r"許可|了承)"
)


def resumes_an_enquiry(text: str) -> bool:
    """True when a message takes up an enquiry called off earlier."""
    return bool(_RESUME.search(_norm(text)))


def mentions_a_sent_enquiry(text: str) -> bool:
    """True when a message is about an enquiry already sent (its reference or status)."""
    return bool(_SENT_ENQUIRY.search(_norm(text)))


def asks_for_the_reference(text: str) -> bool:
    """True when a message asks for the reference number of the enquiry sent."""
    return bool(_REFERENCE_ASKED.search(_norm(text)))


def wants_to_enquire(text: str) -> bool:
    """True when a message asks to send a membership enquiry."""
    return bool(_ENQUIRY.search(_norm(text)))


# "can I send a membership enquiry through this chat?", 「ここから入会の問い合わせはできますか？」:
# asking whether the bot takes an enquiry asks it to take one.
_CAN_I_ENQUIRE = re.compile(
    r"^(?:(?:hi|hello|hey|so|ok|okay|um|sorry)\b[\s,!.]*)*"
    r"(?:(?:can|could|may) (?:i|we)|is it possible (?:for (?:me|us) )?to|am i able to) "
    r"(?:also |still |just )?(?:send|make|submit|start|file|leave|do|place|lodge)\b|"
    r"(?:ここ|このチャット|チャット)(?:から|で)(?:も)?.{0,12}(?:問い合わせ|申し込み|申込).{0,4}"
    r"(?:でき|送れ|出せ|可能)|"
    r"(?:問い合わせ|申し込み|申込)(?:を|は|も)?(?:ここ|このチャット|チャット)(?:から|で)(?:でき|送れ|出せ|可能)"
)


def asks_to_enquire_here(text: str) -> bool:
    """True when a question asks whether the bot can take a membership enquiry."""
    return wants_to_enquire(text) and bool(_CAN_I_ENQUIRE.search(_norm(text)))


_HEAD_OFFICE = re.compile(
    r"head ?office|headquarters|\bhq\b|world secretariat|\bbonn\b|本部|世界事務局|ボン|本社"
)


_HEAD_OFFICE_WORDS = re.compile(
    r"head ?office|headquarters|\bhq\b|world secretariat|本部|世界事務局|本社"
)
# "…moved?", and 「最初からボンだったんでしょうか」: where it was at first.
_MOVED = re.compile(
    r"\bmov(?:e|ed|ing)\b|relocat|移転|移っ|引っ越|最初から|最初は|もともと|元々|当初|設立当時|"
    r"\boriginally\b|\bat first\b|from the (?:start|beginning)|\binitially\b"
)


def asks_where_the_head_office_is(text: str) -> bool:
    """True when a message asks where the head office is or was ("is the HQ still in
    Toronto?", "when did it move from Toronto to Bonn?", 「本部はトロントですよね？」)."""
    return bool(_HEAD_OFFICE_WORDS.search(_norm(text))) or asks_when_it_moved(text)


def asks_when_it_moved(text: str) -> bool:
    """True when a message asks about the head office moving ("when did it move to Bonn?")."""
    norm = _norm(text)
    return bool(_MOVED.search(norm) and _HEAD_OFFICE.search(norm))


def head_office_title_at(text: str) -> int | None:
    """Where a message first calls an office "the head office" (HQ, 本部), in its casefolded
    NFKC form; None when it does not."""
    found = _HEAD_OFFICE_WORDS.search(_norm(text))
    return found.start() if found else None


def names_the_head_office(text: str) -> bool:
    """True when a message names ICLEI's head office (the World Secretariat)."""
    return bool(_HEAD_OFFICE.search(_norm(text)))


# Questions the model sometimes does not place, in words that name the fact asked for.
# Read only for a message the model did not understand (cues.py).
_AGE = re.compile(
    r"how old|how long (?:has|have|did) (?:iclei|it|you)|(?:iclei|it)'?s? age\b|"
    r"how many years (?:has|have|did) (?:iclei|it)|been (?:around|going) (?:for )?how long|"
    r"何年(?:目|になり|になる|経|た|続い)|何周年|創立何年|設立何年|歴史は何年|続いて(?:い)?る?(?:の)?は?何年"
)
# How and when it came about (「設立の経緯」, "how did ICLEI get started?", "what year did
# iclei get going?"): the founding story.
_ORIGINS = re.compile(
    r"(?:how|when|(?:in )?(?:what|which) year) (?:did )?(?:iclei|it|the organi[sz]ation) "
    r"(?:start|begin|come about|come to be|get (?:started|going))|\borigins?\b|"
    r"設立(?:の)?(?:経緯|背景|いきさつ)|創設(?:の)?経緯|成り立ち|生い立ち|なりたち|"
    r"できた(?:経緯|きっかけ)|始まり"
)
_RENAMED = re.compile(
    r"renamed|re-named|name change|chang(?:e|ed|ing) (?:its|the|their|your) name|"
    r"(?:old|former|previous|original|earlier) name|new name|called (?:before|originally)|"
    r"(?:originally|first|initially|once|used to be) (?:called|named|known as)|"
    r"(?:always|ever) (?:been )?(?:called|named|known as)|(?:another|other|different) name\b|"
    r"名前を変え|名前が変わ|名称を変え|名称が変わ|名称変更|改名|旧名|昔の名前|以前の名前|元の名前|"
    r"(?:昔|以前|前|最初)は名前(?:が|は)?(?:ちが|違|別)|名前(?:が|は)?(?:ちがっ|違っ)(?:た|てた)"
)


_ACRONYM = re.compile(r"stands? for|acronym|abbreviat|the letters|何の略|略称|略語")


def asks_about_the_old_name(text: str) -> bool:
    """True when a message asks about ICLEI's change of name (「昔は名前ちがったって本当？」)
    or what its letters stand for (the old name)."""
    norm = _norm(text)
    return bool(_RENAMED.search(norm) or _ACRONYM.search(norm))


_PURPOSE = re.compile(
    r"trying to (?:achieve|do|accomplish)|want(?:s)? to achieve|\bgoals?\b|\baims?\b|"
    r"\bobjectives?\b|\bpurpose\b|\bmission\b|目指し|めざし|目的|目標|狙い|ねらい|ミッション|使命"
)


# "thanks, that's all I need", 「以上です、ありがとうございました」: the visitor is done.
_DONE = re.compile(
    r"that'?s all|that is all|that'?s everything|nothing else|i'?m (?:all )?(?:done|set)\b|"
    r"all set\b|\bbye\b|good ?bye|see (?:you|ya)\b|\bcya\b|"
    r"以上です|以上となります|以上になります|それだけです|もう大丈夫|さようなら|またね|"
    # "thank you for your time", "I shall leave you in peace", 「これで終わります」, 「失礼します」
    r"thanks? (?:you )?(?:so (?:very )?much )?for your (?:time|patience)|leave you in peace|"
    r"that'?ll be all|that will be all|これで終わ|終わりにします|"
    r"(?:それでは|では|これで|ました[。！!]?)[、\s]*失礼(?:いた|致)?します|"
    r"\bka kite\b|take care|catch you later|have a (?:good|nice|great) (?:one|day|evening|weekend)|"
    # 「さんきゅー、ばいばい」, 「今後ともよろしくお願い申し上げます」, "got it, thanks, later!"
    r"ばいば[ーい]+|バイバ[ーイ]+|じゃあね|今後とも(?:よろしく|宜しく)|[,、]\s*later[!.\s]*$"
)


# "are you a bot run by ICLEI?", 「このチャットは誰が運営？公式？」: about the assistant itself.
_ABOUT_THE_BOT = re.compile(
    r"\bare you (?:a |an )?(?:bot|robot|ai|human|real|person|official|chatgpt|run by|made by)|"
    r"who (?:runs|made|built|operates|programmed|is behind) (?:you|this (?:chat|bot|assistant))|"
    r"\bchatgpt\b|is this (?:a |an )?(?:bot|chatbot|official|real person|ai)\b|"
    # "is this the icelandic tourism office?": what this assistant is (and is not).
    r"is this (?:the |a |an )?[\w -]{0,25}(?:touris[mt]|travel|visitor|embassy|consulate)\b|"
    r"(?:この|こちらの)?(?:チャット|ボット|チャットボット)(?:は|って|を)|あなたは(?:誰|だれ|ai|人間|ロボット)|"
    r"人工知能|ai(?:です|なの|ですか)|chatgpt|"
    # Where its answers come from: "which sources do you use?", 「この情報の出典は？」.
    r"where (?:does|do|did) (?:this|the|your|that|these) (?:info|information|data|answers?|facts?)"
    r"\b[^?]{0,30}? come from|\b(?:your|the|what) sources?\b|"
    r"\bsources? (?:of|for) (?:this|the|your)|"
    r"出典|情報源|情報の(?:元|もと|出所)|どこから(?:の)?情報"
)


# What ICLEI might offer that the page does not describe: school visits, teaching material,
# funding, partnerships with named bodies.
_SERVICES = re.compile(
    r"school visits?|visit (?:a |our |my )?(?:school|class)|teaching (?:resources|materials?)|"
    r"lesson plans?|classroom|curriculum|\bfunding\b|\bgrants?\b|financial support|"
    r"partnerships? with|partner with|教材|出前授業|授業で|学校(?:に|へ|で)|助成金?|補助金|資金|"
    r"(?:と|との)(?:連携|提携|協力)(?:は|って|について|関係)"
)


def asks_about_services(text: str) -> bool:
    """True when a message asks about a service the page does not describe."""
    return bool(_SERVICES.search(_norm(text)))


# "What's ICLEI's strategy for the next five years?", 「次の戦略計画は？」: the page quotes its
# mission from the 2015–2021 strategy and gives nothing later.
_LATER_PLANS = re.compile(
    r"\b(?:next|new|newest|latest|current|upcoming|future|coming|post-2021)\b[^.?!]{0,25}"
    r"\b(?:strateg|plans?\b|prioriti|goals?\b|targets?\b|agenda)|"
    r"\b(?:strateg|plans?\b|prioriti|goals?\b|targets?\b)[^.?!]{0,40}"
    r"(?:\b20[3-9]\d\b|\bnext\b|\bcoming\b|\bfuture\b|years ahead)|"
    r"(?:次の|次期|新しい|最新|今後|これから|将来|現在の|今の|後の|以降の)[^。？?]{0,10}"
    r"(?:戦略|計画|目標|方針|重点)|(?:今|現在)は?どの(?:戦略|計画)|20[3-9]\d年|2021年(?:以降|の後|で終わ)|"
    r"\b(?:after|since|beyond) (?:the seoul plan|2021)\b|still (?:in use|valid|current|running)"
)


# "is CCP still running today?", 「今も続いていますか」: whether something of the page's
# history goes on now, which the page does not say.
_STILL_RUNNING = re.compile(
    r"still (?:running|going|active|exists?|around|operating|in use|on)\b|"
    r"(?:今も|まだ|現在も|いまも)(?:続|あ|活動|実施|行われ)"
)


def asks_if_still_running(text: str) -> bool:
    """True when a message asks whether something goes on today."""
    return bool(_STILL_RUNNING.search(_norm(text)))


def asks_about_later_plans(text: str) -> bool:
    """True when a message asks about ICLEI's strategy or plans after the one the page quotes."""
    return bool(_LATER_PLANS.search(_norm(text)))


def asks_about_the_assistant(text: str) -> bool:
    """True when a message asks what or whose the assistant is."""
    return bool(_ABOUT_THE_BOT.search(_norm(text)))


# A bare goodbye, nothing else: the visitor leaves (inside the form, nothing is sent).
_ONLY_GOODBYE = re.compile(
    r"(?:(?:ok(?:ay)?|thanks?|thank you|cheers)[,!.\s]*)*"
    r"(?:bye|goodbye|bye-bye|see you(?: later)?|later|cya|ciao)[!.\s]*$|"
    r"(?:ありがとう(?:ございました)?[、。!\s]*)?"
    r"(?:さようなら|失礼します|失礼いたします|ではまた|じゃあね|またね)[。!\s]*$"
)


def only_says_goodbye(text: str) -> bool:
    """True when a whole message is a goodbye and nothing else ("thanks, bye", 「失礼します」)."""
    return bool(_ONLY_GOODBYE.match(_norm(text).strip()))


def is_done(text: str) -> bool:
    """True when a message says the visitor needs nothing more."""
    return bool(_DONE.search(_norm(text)))


def fact_named(text: str) -> Literal["ask_founding", "ask_name", "ask_mission"] | None:
    """The intent of a question that names its fact: ICLEI's age ("how old is ICLEI?") or
    origins (「設立の経緯」), its change of name (「名前を変えたのはいつ」), its aims ("what is
    it trying to achieve?")."""
    norm = _norm(text)
    if _RENAMED.search(norm) or _ACRONYM.search(norm):
        return "ask_name"
    if _AGE.search(norm) or _ORIGINS.search(norm):
        return "ask_founding"
    if _PURPOSE.search(norm):
        return "ask_mission"
    return None


# "actually never mind, I need to check with my boss first", 「やっぱりやめておきます。また連絡し
# ます」: a message that starts by calling the enquiry off, whatever follows.
_CALL_OFF = re.compile(
    r"^(?:(?:actually|oh|ok|okay|hmm+|sorry|wait|no|um+|uh|well)[,.!\s]+)*"
    r"(?:never ?mind|forget (?:it|about it|this|that)|cancel\b|stop (?:this|the form|the enquiry)|"
    r"let'?s (?:stop|leave it)|i(?:'ll| will) (?:do|finish) (?:it|this) later|hold off)"
    # "Actually hold off… Please cancel it.": a sentence of its own that asks to cancel.
    r"|(?:^|[.!…]\s*)please cancel (?:it|this|that|the (?:enquiry|form|request))[.!]?\s*$"
    r"|^(?:(?:あ|あっ|え|いや|うーん|すみません|ごめんなさい)[、,。!！\s]*)*"
    r"(?:(?:やっぱり|やはり)[、,\s]*(?:いいです|結構です|やめ)|やめます|やめておきます|やめとき|"
    r"キャンセル|中止|また今度|今度にします)"
    # 「すみません、やっぱり今日はここでやめておきます」: calling it off within the first sentence.
    r"|^[^。．.!！?？]{0,30}?(?:やめておきます|やめます|やめとき|やめにします|キャンセルします|"
    r"キャンセルで|中止します|中止で|今度にします)"
)


# 「今回の問い合わせはやめておきます」 after a sentence of reasons: the enquiry called off.
_ENQUIRY_CALLED_OFF = re.compile(
    r"(?:問い合わせ|申し込み|申込)(?:は|を)?(?:やめ|キャンセル|中止|取り消|取りやめ)"
    r"|(?:cancel|drop|withdraw) (?:the|this|my|our) (?:enquiry|request)"
    # "…before sending anything. Can we cancel this?", "I'd like to cancel it".
    r"|\b(?:can|could) (?:we|you|i) (?:please )?(?:cancel|stop|drop) (?:it|this|that)\b"
    r"|\b(?:i|we)(?:'d| would)? (?:want|like|need) to (?:cancel|stop) (?:it|this|that|now)\b"
    # 「今回は送信を見送らせてください」「送信はしないでください。取り消しでお願いします」,
    # "we stop now please, not send nothing", "don't send it".
    r"|送信(?:を|は)?(?:見送|しないで|やめ|取りやめ)|送らないで|取り消しで|取り消して(?:ください|下さい)"
    r"|今日はやめ|やめておきます|また今度|"
    r"\b(?:we |let'?s )?stop (?:now|here)\b|\bnot send\b|\b(?:don'?t|do not) send\b"
)
# "Please send it", 「このまま送信してください」, 「送信」: the enquiry sent as it stands.
_SEND = re.compile(
    r"\b(?:send|submit) (?:it|this|the enquiry|my enquiry)\b|^(?:send|submit)[.!]?$|"
    r"送信(?:して|してください|お願い|をお願い|で(?:お願い|いい|大丈夫)|する)|^送信[。!！]?$"
)


def calls_off(text: str) -> bool:
    """True when a message calls off what is under way (the enquiry form): at its start,
    or the enquiry named ("…直接相談してみます。今回の問い合わせはやめておきます"); never
    when it asks to send ("Ok never mind. Please send it.")."""
    norm = _norm(text).strip()
    if asks_to_send(norm):
        return False
    return bool(_CALL_OFF.search(norm) or _ENQUIRY_CALLED_OFF.search(norm))


# "Before you send it…", 「送信する前に一つ」: not yet.
_BEFORE_SENDING = re.compile(r"before (?:you |we |i )?(?:send|submit)|送信する前|送る前|送信前")


def asks_to_send(text: str) -> bool:
    """True when a message asks to send the enquiry as it stands (not "before you send")."""
    norm = _norm(text).strip()
    return bool(_SEND.search(norm)) and not _BEFORE_SENDING.search(norm)


def says_before_sending(text: str) -> bool:
    """True when a message speaks of something to settle before the enquiry is sent."""
    return bool(_BEFORE_SENDING.search(_norm(text)))


# Messages in a language the assistant does not speak: Korean, Chinese (simplified forms and
# particles Japanese does not use), or Spanish, French, German, Portuguese or Italian (two of
# their function words that are not English words, or ¿ ¡).
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_CHINESE = re.compile(r"吗|什么|哪里|哪儿|你们|请问|这个|这里|怎么|谢谢|们|么|吧|呢|没有|电话|地址")
_KANA = re.compile(r"[\u3040-\u30ff]")
_EUROPEAN_WORDS = frozenset(
    """
    el la los las del y es qué que dónde donde cómo como cuál cuando cuándo tienen tiene hay
    una por para pero muy gracias hola oficina también está están usted ustedes
    le les des et est où comment quel quelle avez vous nous une sur pour avec merci bonjour
    bureau aussi c'est qu'est-ce
    der die das und ist wo wie welche haben ein eine nicht mit für danke hallo auch gibt es
    o os um uma onde tem têm você vocês obrigado obrigada escritório também não
    il di che dove come sono ufficio grazie ciao anche
    """.split()
)
_ENGLISH_WORDS = frozenset(
    "the is are what where how which who do does can could would you your office please and "
    "of to in for with have has there it this that i we".split()
)


def in_another_language(text: str) -> bool:
    """True when a message is written in a language other than English or Japanese."""
    norm = _norm(text)
    if _HANGUL.search(norm):
        return True
    if _CHINESE.search(norm) and not _KANA.search(norm):
        return True
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", norm)
    foreign = {word for word in words if word in _EUROPEAN_WORDS}
    english = sum(word in _ENGLISH_WORDS for word in words)
    inverted = "¿" in norm or "¡" in norm
    return (len(foreign) >= 2 or (inverted and foreign)) and english < len(foreign)


# "Is Valencia already a member?", 「チェンマイ市ってもう会員ですか」: the page lists no members.
_MEMBER_STATUS = re.compile(
    r"\b(?:is|are)\s+(?!there\b)(?:[\w'.-]+\s+){1,4}(?:already\s+)?"
    r"(?:an?\s+(?:iclei\s+)?member\b(?! of (?:the )?un)|(?:iclei\s+)?members\s+(?:of|in)\s+iclei)|"
    r"already (?:an? )?members?|members? list|list of (?:the |its |all )?members|"
    r"\bmembers already\b|"
    r"which (?:[\w-]+ ){0,2}(?:cities|municipalities|towns|councils|local governments) are "
    r"(?:members|in iclei)\b|"
    # "a list of member cities in Asia", "the names of member municipalities in Chile".
    r"\b(?:list|names?) of (?:the |its |iclei'?s? )?(?:iclei )?members? (?:cities|municipalities|"
    r"towns|councils|local governments|governments|regions)\b|"
    r"\bmember (?:cities|municipalities|towns|councils|local governments) (?:in|from|of)\b|"
    r"\b(?:does|do|is|are)\s+(?:[\w'.-]+\s+){1,4}(?:belong|belonging) to iclei|"
    r"(?:って|は|が|も)(?:もう|すでに|既に)?加盟(?:して(?:る|います|ますか|いますか)|済み)|"
    r"which (?:cities|municipalities|towns|councils) are (?:in|members)|"
    r"会員かどうか|もう会員|既に会員|すでに会員|会員になってい|加盟しているか|加盟済み|"
    r"会員(?:リスト|一覧|名簿)|加盟(?:自治体|都市)(?:の)?(?:リスト|一覧)|"
    r"加盟(?:している|してる)(?:自治体|ところ|都市|市町村|まち)(?!の?数)(?:は|って|を|の(?:一覧|リスト|名前))|"
    r"加盟自治体(?:は|って)(?:どこ|ある)|会員(?:の(?:自治体|都市|市))?(?:って|は)(?:どこ|どの)|"
    r"加盟(?:している|してる)(?:自治体|ところ|都市|市町村)の名前|"
    r"(?:は|って|が|も)(?:メンバー|会員)(?:なの|です|ですか|なんですか|なんでしょうか|？|\?)|"
    r"(?:市|町|村|とか|自治体)(?:も|が)?(?:けっこう|結構|たくさん|多く)?入って(?:ん|る|います|ますか)|"
    r"入ってるかどうか|"
    r"(?:は|って)(?:イクレイ|iclei)の(?:会員|メンバー|加盟)|"
    # 「横浜とか入ってる？」 after asking for members
    r"(?:とか|も|は)(?:入って(?:る|います|ますか|いますか)|含まれて|加盟して(?:る|います|ますか))"
)


# "can u tell me if Bristol city council is part of iclei" (not "Is the Tokyo office part of
# ICLEI?", which asks about an office).
_PART_OF_ICLEI = re.compile(
    r"\b(?:is|are) (?:[\w'.-]+\s+){0,5}(?:part of|in|members? of|a member of) iclei\b"
)


# "I want to join iclei as a city, what do i do", 「入会したいのですが、どうすればいいですか」:
# how to do what the message has just said, so only the whole message says what is asked.
_HOW_TO_GO_ABOUT_IT = re.compile(
    r"[,.;:!?]\s*(?:so |and |ok |okay )?(?:what|how) (?:do|should|can|would|must) (?:i|we) "
    r"(?:do|go about (?:it|that|this)|proceed|start|begin)(?: (?:next|now|first|then))?"
    r"\s*[?.!]*\s*$|"
    r"[、。,]\s*(?:どう(?:すれば|したら|やったら)|何をすれば|何をしたら)(?:いい|よい|良い)?"
    r"(?:ですか|でしょうか|のでしょうか|ですかね|の|か)?\s*[?]?\s*$"
)


# 「ソウルにも事務所があると聞いたのですが、本当ですか？」, "founded in 1992, is that right?": a
# check of what the message has just said, which only the whole message says.
_IS_IT_TRUE = re.compile(
    r"[,.;:!?]\s*(?:is (?:that|it|this) (?:true|right|correct)|really|correct|true)\s*\?+\s*$|"
    r"[、。,]\s*(?:本当|ほんと|ホント|本当に|合って(?:い)?ます|正しい)(?:ですか|でしょうか|なの|ですかね|か|の)?"
    r"\s*\?\s*$"
)


def asks_if_it_is_true(text: str) -> bool:
    """True when a message ends on "is that right?" after saying what it checks."""
    return bool(_IS_IT_TRUE.search(_norm(text).strip()))


def asks_how_to_go_about_it(text: str) -> bool:
    """True when a message ends on "what do I do?" after saying what the visitor wants."""
    return bool(_HOW_TO_GO_ABOUT_IT.search(_norm(text).strip()))


def asks_member_status(text: str) -> bool:
    """True when a message asks whether a place is a member, or for the list of members."""
    norm = _norm(text)
    if re.search(
        r"how many|number of|\bcount\b|いくつ|何(?:団体|自治体|都市|か所|カ所)|の数", norm
    ):
        return False  # "how many local govts are members?", 「全部でいくつ」: the size
    if re.search(r"becom|\bjoin|apply|sign up|interested", norm) and "already" not in norm:
        return False  # "we are interested in becoming a member of ICLEI": how to join
    if _PART_OF_ICLEI.search(norm) and not mentions_an_office(norm):
        return True
    return bool(_MEMBER_STATUS.search(norm))


# 「1990年に何があったんですか？」, "what happened in 2003?": the year's story on the page.
_YEAR_ASKED = re.compile(
    r"(1990|1991|2003)\s*年?\s*(?:に|には|って)?\s*(?:何|なに)が|what happened in (1990|1991|2003)|"
    r"(?:what|why) (?:about|was) (1990|1991|2003)\b|(1990|1991|2003)年の(?:出来事|こと)"
)


def year_asked(text: str) -> Literal["ask_founding", "ask_name"] | None:
    """The story a question about one of the page's years asks for: 1990 and 1991 the founding,
    2003 the new name."""
    match = _YEAR_ASKED.search(_norm(text))
    if match is None:
        return None
    year = next(group for group in match.groups() if group)
    return "ask_name" if year == "2003" else "ask_founding"


# A message of symbols only: 👍 or 🙏 thanks, "?" asks what the assistant can do.
_THANKS_SYMBOLS = frozenset("👍👌🙏😊🙂😀😃😄😁☺❤♥✨🆗✅💯🙇")


def symbols_intent(text: str) -> Literal["thank", "help"] | None:
    """`thank` for a message of thumbs-up or smiles only, `help` for question marks only;
    None for a message with a letter or digit in it, or other symbols."""
    norm = _norm(text).strip()
    if not norm or re.search(r"[^\W_]", norm):
        return None
    symbols = {char for char in norm if not char.isspace() and char not in "\ufe0f\u200d"}
    symbols = {char for char in symbols if not ("\U0001f3fb" <= char <= "\U0001f3ff")}
    if symbols and symbols <= set("?？"):
        return "help"
    if symbols and symbols <= _THANKS_SYMBOLS | set("!！~〜"):
        return "thank"
    return None


# "What happens to my data?", "why do you need my email?", 「個人情報はどう扱われますか」: a
# question about how the enquiry's answers are handled, not an answer to the form.
_DATA_KEYWORD = re.compile(
    r"privacy|\bgdpr\b|data protection|personal (?:data|information)|個人情報"
)
_DATA_NOUN = re.compile(
    r"\b(?:data|details|information|info|e-?mail|address|name|it|this|chat|conversation|"
    r"messages?)\b|データ|情報|メール|アドレス|名前|連絡先|内容|チャット|会話|しゃべった|話した"
)
_TELL_ME = re.compile(
    r"ききたい|聞きたい|知りたい|教えて|伺いたい|気になって|\btell me\b|(?:like|want) to know|"
    r"wondering|\bi asked\b|i'?m asking|my question (?:is|was)"
)
_DATA_HANDLING = re.compile(
    r"what happens|what (?:will|do|would|does) (?:you|they|iclei|it) do|"
    r"who (?:will |can |gets to |would |is going to )?(?:see|read|access|get|have)|how long|"
    r"why (?:do|would) you (?:need|want|ask)|"
    r"\b(?:keep|kept|stored?|share[ds]?|sold|sell|delete[ds]?|remove[ds]?|protect(?:ed)?|"
    r"handled?|process(?:ed)?|safe|secure|third part)|"
    r"どう(?:扱|使|なり|され)|どのように(?:扱|使|管理)|扱い|誰が(?:見|読|確認)|保存期間|"
    r"いつまで|削除|消して|何に使|必要なの|必要ですか|なぜ必要|共有|第三者|安全|保管|管理|保存|"
    r"記録|残る|残り|消え|\bsaved?\b|\brecord(?:ed)?\b|\blogged\b"
)


_REPLY_TIME = re.compile(_REPLY_TIME_WORDS)


# Outside the form "it" and "name" are no data ("Is it safe to walk around Cape Town?",
# 「いつまでその名前だったの？」): the data must be named.
_NAMED_DATA = re.compile(
    r"\b(?:data|details|information|info|personal|chat|conversation|what i (?:type|write|say)|"
    r"what i(?:'ve)? (?:typed|written|wrote|said)|my messages|a copy)\b|"
    r"データ|情報|内容|チャット|会話|しゃべった|話した|個人"
)


def asks_about_personal_data(text: str, named: bool = False) -> bool:
    """True when a message asks how the details given in the form are handled; with `named`,
    only when it names the data (a message outside the form)."""
    if named and not _NAMED_DATA.search(_norm(text)):
        return False
    norm = _norm(text)
    if "@" in norm or _REPLY_TIME.search(norm) or asks_whom_to_contact(norm):
        # "which office would handle this?" asks for an office, not about the data.
        # An email address given is an answer, whatever words surround it.
        return False
    # A question anywhere in the message (「…保管されるのでしょうか？市の規定上、確認が必要
    # でして。」), or a wish to be told (「個人情報の扱いについてききたい」).
    asking = (
        bool(re.search(r"[?？]", norm))
        or bool(re.match(r"(?:what|who|why|how|is|are|do|does|will|can)\b", norm.strip()))
        or bool(re.search(r"(?:ですか|ますか|でしょうか|の\?|か\?)\s*[。．]?", norm))
        or bool(_TELL_ME.search(norm))
    )
    if _DATA_KEYWORD.search(norm):
        return asking
    noun = _DATA_NOUN.search(norm) or _NAMED_DATA.search(norm)
    return asking and bool(noun) and bool(_DATA_HANDLING.search(norm))


# "do u know Gino Van Begin", "who is Jane Smith?": a person the page does not name.
_PERSON = re.compile(
    r"\b(?i:do (?:you|u|ya) know|who(?:'s| is)|whos|tell me (?:more )?about|info on)\s+"
    r"(?P<name>(?:(?i:mr|ms|mrs|dr|prof)\.?\s+)?[A-Z][a-z]+"
    r"(?:\s+(?i:van|von|de|der|da|del|le|la)\b)*(?:\s+[A-Z][a-z]+)+)"
)
_NOT_PEOPLE = re.compile(r"iclei|secretariat|office|council|city|government|united|world", re.I)


def names_a_person(text: str) -> bool:
    """True when a message asks about someone by their name (capitalised words that are not
    a place or an ICLEI body: "do u know Gino Van Begin", "who is Jane Smith?")."""
    from bot.knowledge import gazetteer, get_knowledge, resolve_place

    for match in _PERSON.finditer(unicodedata.normalize("NFKC", text or "")):
        name = match.group("name")
        if _NOT_PEOPLE.search(name) or resolve_place(get_knowledge(), name):
            continue
        if any(place.name.casefold() == name.casefold() for place in gazetteer.find_in_text(name)):
            continue
        return True
    return False


# "Is there anyone at ICLEI we could ring?": a person or a number to reach, not ICLEI itself.
_SOMEONE = re.compile(r"anyone|anybody|someone|somebody|a number|number (?:i|we)|誰か|どなたか")


def asks_for_someone_to_reach(text: str) -> bool:
    """True when a message asks for someone or a number to phone, mail or write to."""
    return bool(_SOMEONE.search(_norm(text))) and bool(attributes_asked(text))


# The office itself named with a travel or everyday question ("parking at the Bonn office?"),
# not a place near it ("best ramen near your office?", 「事務所の近くのホテル」).
_OFFICE_NOUN = re.compile(r"(?<![a-z])offices?(?![a-z])|secretariat|事務所|事務局|オフィス")
_NEAR_IT = re.compile(
    r"\b(?:near|nearby|around|close to|next to|by|walking distance)\b|近く|周辺|付近|そば|最寄り"
)


# 「大阪にはありますか？」, "is there one in Osaka?": whether ICLEI has an office there.
_IS_THERE_ONE = re.compile(
    r"\bis there (?:one|an? (?:office|branch)|anything)\b|\bdo you have (?:one|an office)\b|"
    r"(?:に|には|にも)(?:ありますか|あります[？?]|ある[？?]|ないの|ありません)|"
    r"(?:事務所|事務局|オフィス|office)(?:は|が|って)?(?:ありますか|あります[？?]|ある[？?])"
)


def asks_if_there_is_one(text: str) -> bool:
    """True when a message asks whether there is an office (one) in a place."""
    return bool(_IS_THERE_ONE.search(_norm(text)))


def names_an_office(text: str) -> bool:
    """True when a message is about an office itself: it says "office" or "secretariat"
    (not just "contact") and asks about nothing near it."""
    norm = _norm(text)
    return bool(_OFFICE_NOUN.search(norm)) and not _NEAR_IT.search(norm)


# "When was the Toronto secretariat set up?", 「トロントの事務局はいつできたの」.
_OPENED = re.compile(
    r"set up|established|\bopen(?:ed)?\b|founded|\bstart(?:ed)?\b|created|\bbegan\b|"
    r"since when|how long (?:has|have) .{0,40} been|"
    r"できた|設立|開設|設置|オープン|始ま|開所|いつから"
)


# "How long has the US office been around?", 「いつからあるの？」: when, without a "when".
_SINCE = re.compile(
    r"since when|how long (?:has|have|is|was) .{0,40}been (?:around|open|there|running|operating|"
    r"active|in operation)|how old is|いつから|いつでき"
)


def asks_when_opened(text: str) -> bool:
    """True when a message asks when an office or secretariat was set up."""
    norm = _norm(text)
    return (facet_asked(text) == "when" and bool(_OPENED.search(norm))) or bool(_SINCE.search(norm))


# "that doesn't answer my question, when was it opened?" after an office: opened, not founded.
_OPENED_NOT_FOUNDED = re.compile(r"\bopen(?:ed)?\b|開設|開所|オープン|いつから")


def asks_when_an_office_opened(text: str) -> bool:
    """True when a message asks when something opened, in words used of an office."""
    return asks_when_opened(text) and bool(_OPENED_NOT_FOUNDED.search(_norm(text)))


# "how much greenhouse gas do cities produce?", 「都市ってCO2どれくらい出してるの？」: the
# page's figures on cities.
_CITY_FIGURES = re.compile(
    r"(?:greenhouse|\bghg\b|emission|\bco2\b|carbon|resources?\b).{0,50}\b(?:cities|city|urban)\b|"
    r"\b(?:cities|urban areas?)\b.{0,50}(?:greenhouse|\bghg\b|emission|\bco2\b|carbon|resources)|"
    r"都市.{0,20}(?:温室効果ガス|co2|二酸化炭素|排出|資源)|(?:温室効果ガス|co2|二酸化炭素).{0,20}都市"
)
# 「その70%って何年のデータ？出典は？」: where a figure comes from, which the page does not say.
_SOURCE = re.compile(
    r"出典|ソース|\bsources?\b|what year|which year|何年の|いつの|\bcite\b|citation|based on what|"
    r"\bcomes? from\b|\bcame from\b|where did (?:they|you|iclei) get|出所|どこから"
)
_FIGURE = re.compile(r"\d+ ?%|percent|figure|number|statistic|data|数字|データ|統計|割合|数値")


# 「5段階って具体的にはどんなステップ？」, "what are the five steps of CCP?": not on the page.
_CCP_STEPS = re.compile(
    r"(?:5|five|5つの|五つの|五)(?:[\s-]*)(?:段階|ステップ|steps?|stages?|phases?)|"
    r"\bsteps? (?:of|in) (?:the )?(?:ccp|cities for climate)|ccpの(?:ステップ|段階|手順|プロセス)"
)
_SEOUL_PLAN = re.compile(r"seoul plan|ソウルプラン|ソウル・プラン|ソウル計画")


def asks_for_the_ccp_steps(text: str) -> bool:
    """True when a message asks about the five steps of the CCP campaign."""
    return bool(_CCP_STEPS.search(_norm(text)))


def names_the_seoul_plan(text: str) -> bool:
    """True when a message names the Seoul Plan (ICLEI Strategy 2015–2021)."""
    return bool(_SEOUL_PLAN.search(_norm(text)))


# "what ICLEI actually does", 「具体的にどんな活動してるの？」: its activities, not its definition.
_ACTIVITIES = re.compile(
    r"what (?:does|do) (?:iclei|it|you|they) (?:actually |really |concretely )?do\b|"
    r"what (?:iclei|it|you|they) (?:actually |really |concretely )?(?:does|do)\b|"
    r"what (?:kind of )?(?:work|activities|programmes|programs|projects) (?:does|do)|"
    r"\bactivities\b|具体的に(?:どんな|何)|どんな(?:活動|こと)|活動内容|"
    r"何(?:を)?(?:してる|している|してん|やってる|やっている|やってん)"
)
# 「インドネシアにはないですよね？」「トロントにはもう何もないんですか？」, "nothing in Toronto
# any more?": an office taken to be missing.
_NONE_THERE = re.compile(
    r"(?:は|には|にも)(?:もう)?(?:何も)?(?:ない|無い)(?:ですよね|んですか|の|よね|ですか|んだ)|"
    r"\b(?:there'?s|there is) no (?:office|one)\b|\bisn'?t there (?:an? )?(?:office|one)\b|"
    r"\bnothing (?:in|left in|at)\b|\bno (?:office|one) in\b"
)


def asks_about_activities(text: str) -> bool:
    """True when a message asks what ICLEI does in practice."""
    return bool(_ACTIVITIES.search(_norm(text)))


def supposes_no_office(text: str) -> bool:
    """True when a message supposes there is no office in a place (a negative question)."""
    return bool(_NONE_THERE.search(_norm(text)))


_ASSOCIATE = re.compile(r"associate partner|アソシエイト")


def asks_about_associate_partnership(text: str) -> bool:
    """True when a message asks about ICLEI's Associate Partnership (named, not described)."""
    return bool(_ASSOCIATE.search(_norm(text)))


def asks_about_city_figures(text: str) -> bool:
    """True when a message asks how much cities emit or consume (the page's figures)."""
    return bool(_CITY_FIGURES.search(_norm(text)))


def asks_for_a_figures_source(text: str) -> bool:
    """True when a message asks where or when a figure comes from."""
    norm = _norm(text)
    return bool(_SOURCE.search(norm) and _FIGURE.search(norm))


_ICLEI = re.compile(r"iclei|イクレイ|いくれい")


def names_iclei(text: str) -> bool:
    """True when a message names ICLEI itself (as a whole, not one of its offices)."""
    return bool(_ICLEI.search(_norm(text)))
