"""Corrections to the enquiry's answers: which answers, and their new values if given.

"Please change the organisation to City of Arequipa", 「担当者の名前を山田花子に直してください」,
"organisation: Provincial Municipality of Arequipa", 「掛川市じゃなくて磐田市です」: the form
takes each new value at once (if it is valid for its field), at the summary or in the middle
of the form, instead of asking the question a second time. A message may correct several
answers ("… and please remove the message"); each clause is read on its own, so a "to" in a
later clause ("I didn't mean to add one") is never taken for a value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from bot.enquiries.prefill import addresses_in

# Checked in this order: "organisation name" and "contact name" before "name".
_FIELD_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "organisation",
        re.compile(
            r"organi[sz]ation|municipality|government|city name|"
            r"(?:council|city|town)'?s? (?:proper |correct |full |official |real )?name|"
            r"団体|自治体|組織|市の名前"
        ),
    ),
    ("email", re.compile(r"e-?mail|mail address|メール|メアド")),
    ("population", re.compile(r"population|inhabitants|residents|人口")),
    ("role", re.compile(r"\brole\b|position|job title|役職|肩書")),
    ("message", re.compile(r"message|comment|メッセージ|コメント|備考")),
    ("country", re.compile(r"\bcountry\b|国名|国は|国を")),
    ("name", re.compile(r"\bname\b|contact person|\bcontact\b|名前|氏名|担当者")),
)
OPTIONAL = frozenset({"role", "population", "message"})

# A request to change an answer, in either language.
_CHANGE = re.compile(
    r"\b(?:change|fix|update|edit|replace|amend|remove|delete)\b|"
    r"\bcorrect (?:the|my|it|that|this|our)\b|\bwrong\b|\btypo\b|\bmistake\b|"
    r"should (?:\w+ )?(?:be|read|say)|"
    r"\b(?:proper|correct|official|real|right) name\b|\bactually\b.{0,40}\b(?:is|was|should)\b|"
    r"正しくは|本当は|"
    r"直し|直して|変更|修正|訂正|間違|違います|ちがいます|違って|じゃなくて|ではなく|おかしい|おかしく|誤り|"
    r"[」』]\s*に\s*して|[」』]\s*(?:だけ|のみ)?\s*でお願い|入れて(?:ほしい|欲しい|ください)|"
    r"\bextra words\b|\bmessed up\b|\bmixed up\b|\bmessy\b|\bjust (?:put|say|write)\b|"
    r"\bshould (?:just |only )?(?:say|read)\b|"
    r"\b(?:make|set) (?:the |my |our |it )?(?:organi[sz]ation|role|position|e-?mail|name|contact|"
    r"country|population|message)\b"
)
# Clauses: sentences, and "… and please remove …" / 「あと…」.
_EN_FIELD_WORD = (
    r"(?:organi[sz]ation|role|position|e-?mail|name|contact|country|population|message)\b"
)
_JA_FIELD_WORD = r"(?:団体|組織|自治体|メール|人口|役職|肩書|メッセージ|国|名前|氏名|お名前|担当者)"
_CLAUSE_BREAK = re.compile(
    r"(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!Mrs\.)(?<!Prof\.)(?<!\bSt\.)(?<=[.!?])\s+|"
    r"[;。！？\n]|(?<=[!?])(?=[\u3040-\u30ff\u4e00-\u9fff])|"
    r",?\s+(?:and|also)\s+(?=(?:please\s+|could you\s+|can you\s+)?(?:change|remove|delete|fix|"
    rf"update|set|make|correct|the\s|my\s|our\s|{_EN_FIELD_WORD}))|"
    # "…, role to X", 「メールは…、役職は課長に変更」: the next field's own clause.
    rf",\s*(?=(?:(?:her|his|their|my|our|the)\s+)?{_EN_FIELD_WORD}\s*(?:to|:|should|is)\s)|、\s*(?={_JA_FIELD_WORD}\S{{0,2}}?(?:は|を|も|:))|"
    r"(?:、|\s)(?:あと|それと|また|それから)[、\s]*",
    re.IGNORECASE,
)
_REMOVE = re.compile(r"\b(?:remove|delete|clear|drop|leave out|no)\b|削除|消して|なしで|不要")
# 「役職は空欄でお願いします」, "leave the role blank": an optional answer removed.
_BLANK = re.compile(
    r"^(?:空欄|空白|ブランク|なし|無し|特になし|特にありません|ありません|blank|empty|none|nothing|"
    r"n/a)$",
    re.IGNORECASE,
)
# The value after the field's word: "to X", "should be X", ": X", "is X" (not "is wrong").
_EN_AFTER_FIELD = re.compile(
    r"^[\w\s'’]{0,20}?(?:\s|^)(?:to|should (?:just |only |really )?(?:be|read|say)|"
    r"is actually|is now|is|as|=)\s+"
    r"[\"'“‘]?(?P<value>.+?)[\"'”’]?$|^\s*[:：=]\s*(?P<colon>.+?)$",
    re.IGNORECASE,
)
_EN_MADE = re.compile(
    r"^\s+(?:to\s+|as\s+)?[\"'“‘]?(?P<value>[^,]+?)[\"'”’]?(?:\s+instead\b.*)?(?:,.*)?$",
    re.IGNORECASE,
)
_MAKE_BEFORE = re.compile(r"\b(?:make|set)\s+(?:the\s+|my\s+|our\s+|it\s+)?$", re.IGNORECASE)
_EN_ACTUALLY = re.compile(
    r"(?:it'?s actually|actually it'?s|it should be|it is actually|should be|(?:please )?use|"
    r"(?:just |please )?(?:put|write|enter|make it)|should (?:just |only )?(?:say|read)|"
    r"it(?:'s| is) (?:just|only|simply))\s+"
    r"(?P<value>.+?)(?:\s+instead)?$",
    re.IGNORECASE,
)
_JA_VALUE = re.compile(
    r"(?:(?:を|は)\s*[「『\"]?|(?:、|^)\s*[「『\"])(?P<value>[^「」『』\"、。]+?)[」』\"]?\s*(?:に|へ)\s*"
    r"(?:直|変更|修正|訂正|変え)"
    r"|正しくは[、\s]*[「『]?(?P<right>[^「」『』。]+?)[」』]?\s*(?:です|でした)?$"
    r"|(?:は|を)\s*[「『](?P<quoted>[^「」『』]+)[」』]"
    # 「山本花子 だけにしてください」 after 「担当者名がおかしいです」: the value on its own.
    # 「担当者名はフルネームで「井上 誠」にしてから送信してください」
    r"|[「『](?P<quoted_to>[^「」『』]+)[」』]\s*(?:に|へ)\s*(?:して|直|変更|修正|訂正|変え)"
    r"|^[「『]?(?P<bare>[^「」『』、。\s][^「」『』、。をは]*?)[」』]?\s*(?:だけ|のみ)?"
    r"(?:にしてください|にして下さい|でお願いします|でお願いいたします|に(?:直|修正|変更|訂正)して"
    r"(?:ください|下さい|いただけますか))[。．!！]?$"
)
# "Y, not X", "not X but Y", 「XじゃなくてY」, 「XではなくY」: the old value X names the field.
_SWAP = (
    re.compile(r"^(?:it'?s\s+)?(?P<new>.+?),?\s+not\s+(?P<old>.+?)$", re.IGNORECASE),
    re.compile(r"^(?:it'?s\s+)?not\s+(?P<old>.+?),?\s+but\s+(?P<new>.+?)$", re.IGNORECASE),
    re.compile(
        r"(?P<old>[^、,\s]+?)(?:じゃなくて|じゃなく|ではなくて|ではなく)[、\s]*(?P<new>.+?)$"
    ),
)
# A number as visitors write a population: digits, or 万/千/億.
_NUMBER = re.compile(r"\d|[万千億]")
_NOT_VALUES = re.compile(
    r"^(?:(?:still|also|all|just|totally|completely|a bit|a little|kind of)\s+)?"
    r"(?:wrong|incorrect|not right|a typo|a mistake|mistaken|misspelled|misspelt|off|messy|"
    r"garbled|odd|weird|incomplete|cut off|truncated|broken|messed up|mixed up|a mess)\b",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    r"\s*(?:,?\s*(?:please|pls|plz|thanks|thank you|thx|instead|then|sorry|my bad|oops)"
    r"(?:\s+(?:fix|change|correct|update)(?: it| that| this)?)?)?\s*[.!?]*\s*$|"
    r"\s*(?:の(?:間違い|誤り)(?:でした|です)?|です|でした|になります|でお願いします|"
    r"だけでお願いします|だけで|のみで|にしてください|\s*だけ|\s*のみ|"
    r"でお願いいたします|(?<=[\u4e00-\u9fff])で)?[。．!！]*\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Change:
    """One correction: the field, and its new value (None: ask again; "": remove it)."""

    field: str
    value: str | None


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def asks_to_change(text: str) -> bool:
    """True when a message asks to change an answer ("the email is wrong", 「修正したい」)."""
    return bool(_CHANGE.search(_norm(text).casefold()))


def field_named(text: str) -> str | None:
    """The enquiry field a message names, by its words, or None."""
    found = _field_at(_norm(text).casefold())
    return found[0] if found else None


def _field_at(folded: str) -> tuple[str, int] | None:
    """The field a text names and where its word ends."""
    for field, pattern in _FIELD_WORDS:
        match = pattern.search(folded)
        if match:
            return field, match.end()
    return None


def new_value(text: str) -> str | None:
    """The new value a one-field correction gives ("change the email to a@b.example")."""
    found = changes(text, {})
    return found[0].value if len(found) == 1 else None


def changes(text: str, current: Mapping[str, str] | None = None) -> list[Change]:
    """Every correction a message asks for, in its order, one per field.

    `current` holds the answers given so far (field -> value): "Iwata, not Kakegawa" changes
    the answer that contains "Kakegawa"."""
    current = current or {}
    found: dict[str, Change] = {}
    pending: str | None = None  # a field named without its value, in an earlier clause
    for clause in _CLAUSE_BREAK.split(_norm(text)):
        clause = (clause or "").strip(" ,、-–—")
        if not clause:
            continue
        change = _clause_change(clause, current)
        if change is None and pending:
            # 「メールアドレスが違います。正しくは a@b.jp です」: the value comes a clause later;
            # 「団体名が木村になってる！福岡市です」: or is that clause.
            value = _ja_value(clause) or _actually(clause) or _bare_value(clause)
            change = Change(pending, value) if value else None
        if change is not None:
            found[change.field] = change
            pending = change.field if change.value is None else None
    return list(found.values())


def _clause_change(clause: str, current: Mapping[str, str]) -> Change | None:
    quoted = _QUOTED_CHANGE.search(clause)
    named_at = _field_at(clause.casefold())
    if quoted and (named_at or "organisation" in current):
        # 「村ではなく議員事務所として…「山田太郎事務所」に直してもらえますか」: the quoted value.
        field = named_at[0] if named_at else _field_like(quoted.group(1), current)
        if field:
            return Change(field, _clean_value(quoted.group(1)))
    swapped = _swap(clause, current)
    if swapped is not None:
        return swapped
    named = _field_at(clause.casefold())
    if named is None:
        # "Sorry, it's actually the Metropolis of Lyon", 「熊本県水俣市に直してください」: the
        # answer it resembles.
        value = _actually(clause) or _ja_value(clause)
        field = _field_like(value, current) if value else None
        return Change(field, value) if field else None
    field, end = named
    given = labelled_answers(clause).get(field)
    if (
        field in OPTIONAL
        and _REMOVE.search(clause.casefold())
        and not _value_after(clause, end)
        and not given
    ):
        return Change(field, "")  # not "population about 1.3 million, and no message needed"
    addresses = addresses_in(clause)
    if field == "email" and addresses:
        # "I gave you the wrong email earlier - please use a@b.example instead"; "it's a@x.pt
        # — no sorry, actually b@y.pt": the last one written.
        return Change(field, addresses[-1])
    start = clause.casefold().rfind(" ", 0, max(end - 1, 0))
    made = _MAKE_BEFORE.search(clause[: max(start, 0) + 1]) if start >= 0 else None
    if made is not None and _EN_MADE.match(clause[end:]):
        # "make the organisation Boulder County instead of the city, they'd be signing".
        value = _clean_value(_EN_MADE.match(clause[end:]).group("value"))  # type: ignore[union-attr]
        if value:
            return Change(field, value)
    value = _value_after(clause, end) or _ja_value(clause) or _actually(clause)
    if value is None:
        # 「団体名は課名まで入れてほしいです：北九州市環境局…」, "Population ~1.4 million.".
        after_colon = re.split(r"[:：]", clause[end:])
        value = _clean_value(after_colon[-1]) if len(after_colon) > 1 else None
        value = value or labelled_answers(clause).get(field)
    if field == "name" and value:
        # "the contact should be my colleague Dr. Lena Hofer": the name, not who she is.
        value = _PERSON_LEAD.sub("", value) or value
    if field in OPTIONAL and value is not None and _BLANK.match(value):
        return Change(field, "")
    return Change(field, value)


_PERSON_LEAD = re.compile(
    r"^(?:my|our|a|the) (?:colleague|boss|manager|director|supervisor|co-?worker|deputy|"
    r"assistant|head)\s*,?\s*",
    re.IGNORECASE,
)

_QUOTED_CHANGE = re.compile(
    r"[「『]([^「」『』]+)[」』]\s*(?:に|へ)\s*(?:直|変更|修正|訂正|変え|して)"
)

# 「役職は主査です」: the field's word, は, the value.
_JA_AFTER_FIELD = re.compile(
    r"^\s*(?:は|が|を)\s*[「『]?(?P<value>[^「」『』。、]+?)[」』]?\s*"
    r"(?:です|でした|になります|でお願いします|にしてください)?[。．!！]?$"
)


def _value_after(clause: str, end: int) -> str | None:
    match = _EN_AFTER_FIELD.search(clause[end:])
    if match is not None:
        return _clean_value(match.group("value") or match.group("colon"))
    rest = clause[end:]
    if clause[end - 1 : end] in ("は", "を"):
        rest = "は" + rest  # 「国は日本」: the field's word (国は) took the particle
    match = _JA_AFTER_FIELD.search(rest)
    if match is None or _CHANGE.search(match.group("value")):
        return None  # 「人口を修正したいです」 names no value
    return _clean_value(match.group("value"))


_BARE_VALUE = re.compile(r"^[^?？、,]{1,40}?(?:です|でした)?[。．!！]?$")


def _bare_value(clause: str) -> str | None:
    """A short clause that is only a value (「福岡市です」), not a question or a remark."""
    if not _BARE_VALUE.match(clause) or _CHANGE.search(clause.casefold()):
        return None
    if re.search(r"[a-z]", clause.casefold()) and len(clause.split()) > 5:
        return None
    return _clean_value(clause)


def _ja_value(clause: str) -> str | None:
    match = _JA_VALUE.search(clause)
    if match is None:
        return None
    value = match.group("value") or match.group("right") or match.group("quoted")
    value = value or match.group("quoted_to") or match.group("bare")
    # 「国を日本ではなく韓国に訂正」: the new value after 「ではなく」.
    swapped = _SWAP[2].search(value or "")
    return _clean_value(swapped.group("new") if swapped else value)


def _actually(clause: str) -> str | None:
    match = _EN_ACTUALLY.search(clause)
    return _clean_value(match.group("value")) if match else None


def _swap(clause: str, current: Mapping[str, str]) -> Change | None:
    """「掛川市じゃなくて磐田市です」: the answer holding the old value gets the new one in
    its place (静岡県の掛川市 -> 静岡県の磐田市)."""
    for pattern in _SWAP:
        match = pattern.search(clause)
        if match is None:
            continue
        old, new = match.group("old").strip(" 、,.。!！"), _clean_value(match.group("new"))
        if not old or not new:
            continue
        if "population" in current and _NUMBER.search(old) and _NUMBER.search(new):
            # 「人口は約1万人ではなく約10万人の間違いでした」: the population, however written.
            return Change("population", new)
        if pattern is _SWAP[2]:
            # 「市の名前は長岡市じゃなくて上越市」: the old name is the end of what comes before.
            old = _longest_tail_in(old, current) or old
        for field, value in current.items():
            if value and old.casefold() in str(value).casefold():
                if field == "country":
                    return Change(field, new)  # a country is replaced whole
                replaced = re.sub(re.escape(old), new, str(value), count=1, flags=re.IGNORECASE)
                return Change(field, replaced)
    return None


_GENERIC_WORDS = frozenset(
    "the of and city town council municipality county district region province government "
    "metropolitan borough village de del la le".split()
)


def _field_like(value: str, current: Mapping[str, str]) -> str | None:
    """The answered field a bare new value most likely replaces: an address replaces the
    email, a number the population, 「…市」 or a name sharing a word the organisation."""
    if "@" in value:
        return "email" if "email" in current else None
    if re.match(r"^[\d約およそ]", value):
        return "population" if "population" in current else None
    if re.search(r"[市町村区県府都]$|政府$|役所$|役場$", value):
        return "organisation" if "organisation" in current else None
    words = set(re.findall(r"[^\W\d_]{3,}", value.casefold())) - _GENERIC_WORDS
    best, shared = None, 0
    for field, answer in current.items():
        common = len(words & set(re.findall(r"[^\W\d_]{3,}", str(answer).casefold())))
        if common > shared:
            best, shared = field, common
    return best


def _longest_tail_in(text: str, current: Mapping[str, str]) -> str | None:
    """The longest end of `text` (two characters or more) found in one of the answers."""
    for size in range(len(text), 1, -1):
        tail = text[-size:]
        if any(tail.casefold() in str(value).casefold() for value in current.values() if value):
            return tail
    return None


def _clean_value(value: str | None) -> str | None:
    if not value:
        return None
    value = _TRAILING.sub("", value.strip()).strip(" \"'“”‘’「」『』")
    # "just: Climate Action Officer", "Climate Action Officer, not that question".
    value = re.sub(r"^(?:just|only|simply)\b[:\s]*", "", value, flags=re.IGNORECASE)
    value = value.strip(" \"'“”‘’「」『』")  # "just 'Tamale Metropolitan Assembly'"
    value = re.sub(r",?\s+not (?:that|this|the|what)\b.*$", "", value, flags=re.IGNORECASE)
    # "Métropole de Lyon rather than the city — the metropolitan authority will be the member".
    value = re.split(r"\s+(?:rather than|instead of)\b", value, maxsplit=1)[0]
    value = re.sub(r"^the\s+(?=[A-Z])", "", value)  # "the Provincial Municipality of …"
    # 「フルネームで田中一郎」, "the official name is City of Ballarat": after the lead-in.
    value = re.sub(r"^(?:フルネームで|フルネームは|正式には|正式名称は|正しくは)[、\s]*", "", value)
    value = re.sub(
        r"^(?:(?:one more thing|also|and|oh|sorry)\W+)*(?:the |our |my )?"
        r"(?:official |correct |proper |full |real )?name (?:is|should be)\s+",
        "",
        value,
        flags=re.IGNORECASE,
    )
    if not value or _NOT_VALUES.match(value):
        return None
    return value


# "Oh wait, sorry", "hold on": no answer to keep.
_FILLER = re.compile(
    r"^(?:(?:oh|ah|um+|uh+|hmm+|ok(?:ay)?|so|and|but)[,\s]+)*"
    r"(?:wait|sorry|hold on|actually|oops|my bad|one (?:sec|moment)|"
    r"あ|えっと|いや|すみません|失礼しました)"
    r"(?:[,\s]+(?:wait|sorry|hold on|actually|oops|my bad))*[.!…、。]*$",
    re.IGNORECASE,
)


def unchanged_part(text: str) -> str:
    """The clauses of a message that correct nothing: "We're mainly interested in climate
    action. Also, please change the email to …" still answers the question asked."""
    kept = []
    # 「団体名が木村になってる！福岡市です」: 福岡市 is the new organisation, not this answer.
    values = {change.value for change in changes(text, {}) if change.value}
    for clause in _CLAUSE_BREAK.split(_norm(text)):
        clause = (clause or "").strip(" ,、-–—")
        if clause and not asks_to_change(clause) and _field_at(clause.casefold()) is None:
            if not _FILLER.match(clause) and _clean_value(clause) not in values:
                kept.append(clause)
    return " ".join(kept)


# Details given as labels ("Organisation: Tamale Metropolitan Assembly, country Ghana, my name
# is Abena Mensah", 「団体：豊岡市、国：日本、氏名：井上 誠」): each field's value up to the next
# comma or sentence end (the message, to the sentence end).
_LABELS: tuple[tuple[str, str], ...] = (
    ("organisation", r"organi[sz]ation(?: name)?|団体名?|組織名?|自治体名?|所属"),
    ("country", r"country|国名?"),
    ("name", r"(?:my |contact |full )?name|contact person|氏名|お名前|名前|担当(?:者)?名?"),
    ("role", r"(?:my )?(?:role|position|job title)|役職|肩書き?"),
    ("population", r"population|inhabitants|人口"),
    ("message", r"message|comments?|メッセージ|備考"),
)
# A label is followed by ":", "is" or 「は」; "country Ghana" and "population about 370,000"
# need none (「自治体として…」 is no label).
_SEPARATOR = r"\s*(?:[:：=]|\bis\b|は)\s*"
_BARE = {"country": r"country\s+", "population": r"population\s+"}
_SEGMENT_BREAK = re.compile(r",(?!\d{3}(?:\D|$))|[、;；\n]|。|(?<=[.!?])\s+")
_LABELLED = tuple(
    (
        field,
        re.compile(
            rf"^\s*(?:and\s+)?(?:(?:{label}){_SEPARATOR}"
            + (f"|{_BARE[field]}" if field in _BARE else "")
            + r")(?P<value>\S.*?)\s*[.。]?$",
            re.IGNORECASE,
        ),
    )
    for field, label in _LABELS
)
# "I'm the planning officer": a role said in a sentence.
_EN_ROLE = re.compile(
    r"^\s*(?:and\s+)?(?:i'?m|i am) (?:the|a|an) (?P<value>[a-z][\w -]{2,50}?)\s*[.]?$",
    re.IGNORECASE,
)


def labelled_answers(text: str) -> dict[str, str]:
    """The enquiry details a message gives by their labels, field -> value (the first of
    each); the email address wherever it is written."""
    norm = _norm(text)
    found: dict[str, str] = {}
    addresses = addresses_in(norm)
    if len(addresses) == 1:
        found["email"] = addresses[0]
    for segment in _SEGMENT_BREAK.split(norm):
        if not segment or "@" in segment or re.search(r"[?？]", segment):
            continue  # an address is found above; "Name of the Tokyo office?" asks
        for field, pattern in _LABELLED:
            match = pattern.match(segment)
            if match and field not in found:
                found[field] = (
                    _message_to_end(norm, segment, match)
                    if field == "message"
                    else _labelled_value(match.group("value"))
                )
                break
        else:
            role = _EN_ROLE.match(segment)
            if role and "role" not in found:
                found["role"] = role.group("value").strip()
    # 「担当者：田中あゆみ（国際協力アドバイザー）」: the role in brackets after the name.
    bracketed = _BRACKETED_ROLE.match(found.get("name", ""))
    if bracketed:
        found["name"] = bracketed.group("name").strip()
        found.setdefault("role", bracketed.group("role").strip())
    return {field: value for field, value in found.items() if value}


_BRACKETED_ROLE = re.compile(r"^(?P<name>[^()（）]+?)\s*[(（](?P<role>[^()（）]+)[)）]$")


def _labelled_value(value: str) -> str:
    """A labelled value without quotes, or the value a request around it names
    (「名前はフルネームで田中一郎にしてください」 -> 田中一郎)."""
    value = value.strip(" '\"「」『』")
    requested = _ja_value(value) if _JA_VALUE.search(value) else None
    return requested or value


def _message_to_end(norm: str, segment: str, match: re.Match[str]) -> str:
    """A labelled message runs to the end of its sentence, commas included."""
    start = norm.find(segment) + match.start("value")
    end = re.search(r"[。.!?！？](?:\s|$)|$", norm[start:])
    return norm[start : start + (end.start() if end else len(norm))].strip()


_ANY_LABEL = re.compile(
    rf"^\s*(?:{'|'.join(label for _, label in _LABELS)})\s*(?:[:：=]|は)\s*(?=\S)", re.IGNORECASE
)
_QUOTED = re.compile(r"^[「『\"](?P<inner>[^「」『』\"]+)[」』\"]")


def without_label(text: str) -> str:
    """An answer without a label written before it ("名前：井上 真" -> "井上 真",
    「役職は「環境政策課長」でお願いします」 -> 「環境政策課長でお願いします」)."""
    norm = _norm(text)
    rest = _ANY_LABEL.sub("", norm, count=1)
    return _QUOTED.sub(r"\g<inner>", rest, count=1) if rest != norm else rest


# "no message", 「メッセージは特にありません」: an optional field declined beside an answer.
_DECLINED_FIELD = re.compile(
    r"^\s*(?:and\s+)?no (?P<en>message|comments?|role|population)\b"
    r"(?:\s+(?:needed|necessary|required|for now|thanks|please))?[\s.!]*$|"
    r"^\s*(?P<ja>メッセージ|コメント|役職|人口)(?:は|も)?(?:特に)?(?:ありません|なし|無し|ないです|不要です?)[。\s]*$",
    re.IGNORECASE,
)
_DECLINED_NAMES = {
    "message": "message", "comment": "message", "comments": "message", "role": "role",
    "population": "population", "メッセージ": "message", "コメント": "message", "役職": "role",
    "人口": "population",
}  # fmt: skip


def _declined_field(segment: str) -> str | None:
    match = _DECLINED_FIELD.match(segment)
    return _DECLINED_NAMES[(match.group("en") or match.group("ja")).casefold()] if match else None


def answer_and_labelled(text: str, field: str) -> tuple[str, dict[str, str]]:
    """The answer to `field` and the other fields' labelled values in one message ("Senior
    regional planner, population is roughly 350,000"); the text as it is when it labels no
    other field."""
    labelled = labelled_answers(text)
    others = {k: v for k, v in labelled.items() if k != field}
    if field in labelled and others:
        # "oops, my email is actually m@x.gov. Role is town manager" at the role: its label.
        return labelled[field], others
    segments = [part for part in _SEGMENT_BREAK.split(_norm(text)) if part and part.strip()]
    declined = {_declined_field(part) for part in segments} - {None, field}
    others.update(dict.fromkeys(declined, ""))  # "" declines an optional field
    if not others:
        return text, {}
    own = []
    for segment in segments:
        if _declined_field(segment) or asks_to_change(segment) or _FILLER.match(segment.strip()):
            continue  # 「いや、団体名がおかしくなってます」 is no part of the answer
        labelled = ("@" in segment and field != "email") or any(
            pattern.match(segment) for name, pattern in _LABELLED if name != field
        )
        # "Maria Quispe, I'm the deputy manager of environment": the role said in a sentence.
        labelled = labelled or ("role" in others and bool(_EN_ROLE.match(segment)))
        if not labelled:
            own.append(segment.strip())
    return ", ".join(own).rstrip(" .。"), others
