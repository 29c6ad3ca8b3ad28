"""The enquiry form's fields: which slot holds what, and the summary shown to confirm."""

from __future__ import annotations

import os
from collections.abc import Mapping

from bot.answers.reply import Reply
from bot.knowledge import Knowledge
from bot.privacy.retention import DEFAULT_RETENTION_DAYS, RetentionError, retention_from_env

# Canonical field names (the `enquiry_field` entity's values) -> the slot holding each.
FIELD_SLOTS = {
    "organisation": "enquiry_organisation",
    "country": "enquiry_country",
    "name": "enquiry_name",
    "email": "enquiry_email",
    "role": "enquiry_role",
    "population": "enquiry_population",
    "message": "enquiry_message",
}
FIELD_TITLES = {
    "organisation": ("Organisation", "団体名"),
    "country": ("Country", "国"),
    "name": ("Contact name", "お名前"),
    "email": ("Email", "メール"),
    "role": ("Role", "役職"),
    "population": ("Population", "人口"),
    "message": ("Message", "メッセージ"),
}
OPTIONAL_FIELDS = ("role", "population", "message")
# Every slot the form fills, reset after a submission or a cancel.
FORM_SLOTS = (
    "enquiry_consent",
    *FIELD_SLOTS.values(),
    "enquiry_confirmed",
    "enquiry_fix_field",
    "enquiry_fixing",
)
_NOT_GIVEN = "—"

# What the enquiry texts may promise is the deployer's to say (README, "Configuration"): by
# default no privacy link and no promise of a reply, only that ICLEI staff will read it.
PRIVACY_URL_VARIABLE = "ENQUIRY_PRIVACY_URL"
REPLY_PROMISE_VARIABLES = {"en": "ENQUIRY_REPLY_PROMISE", "ja": "ENQUIRY_REPLY_PROMISE_JA"}
_SENTENCE_ENDS = {"en": ".!?", "ja": "。！？!?."}


def reply_promise(lang: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The deployer's reply promise in `lang`, as a sentence to append ('' when unset)."""
    env = os.environ if environ is None else environ
    key = "ja" if lang == "ja" else "en"
    promise = (env.get(REPLY_PROMISE_VARIABLES[key]) or "").strip()
    if not promise:
        return ""
    if promise[-1] not in _SENTENCE_ENDS[key]:
        promise += "。" if key == "ja" else "."
    # Japanese sentences follow each other without a space.
    return promise if key == "ja" else f" {promise}"


def consent_question(lang: str | None, environ: Mapping[str, str] | None = None) -> list[Reply]:
    """The consent question, after the privacy notice link when the deployer has one."""
    env = os.environ if environ is None else environ
    url = (env.get(PRIVACY_URL_VARIABLE) or "").strip()
    replies = [Reply("utter_enquiry_privacy_notice", {"privacy_url": url})] if url else []
    replies.append(Reply("utter_ask_enquiry_consent", {"reply_promise": reply_promise(lang, env)}))
    return replies


def _retention_days(env: Mapping[str, str]) -> int:
    """PRIVACY_RETENTION_DAYS, or the default when it cannot be read."""
    try:
        return retention_from_env(env).days
    except RetentionError:
        return DEFAULT_RETENTION_DAYS


def chat_data_use(lang: str | None, environ: Mapping[str, str] | None = None) -> list[Reply]:
    """Outside an enquiry ("is what I type here stored?"): how long the conversation is
    kept, then how an enquiry's answers are handled."""
    env = os.environ if environ is None else environ
    days = str(_retention_days(env))
    return [Reply("utter_chat_data_use", {"retention_days": days}), *data_use(lang, env)]


def data_use(lang: str | None, environ: Mapping[str, str] | None = None) -> list[Reply]:
    """How the answers are handled ("what happens to my data?"): who reads them, how long
    they are kept (PRIVACY_RETENTION_DAYS), then the privacy notice link if there is one."""
    env = os.environ if environ is None else environ
    replies = [Reply("utter_enquiry_data_use", {"retention_days": str(_retention_days(env))})]
    url = (env.get(PRIVACY_URL_VARIABLE) or "").strip()
    if url:
        replies.append(Reply("utter_enquiry_privacy_notice", {"privacy_url": url}))
    return replies


def noted(knowledge: Knowledge, slots: Mapping[str, object], lang: str | None) -> str:
    """ "Organisation: City of Lyon, Country: France": the answers in `slots`, for a reply."""
    index = 1 if lang == "ja" else 0
    parts = []
    for field, slot in FIELD_SLOTS.items():
        if slot not in slots:
            continue
        value = str(slots[slot] or "") or _NOT_GIVEN
        if field == "country" and slots[slot]:
            try:
                value = knowledge.country(value).name.get(lang)
            except KeyError:
                pass
        elif field == "population":
            value = format_population(str(slots[slot] or ""), lang)
        title = FIELD_TITLES[field][index]
        parts.append(f"{title}：{value}" if index else f"{title}: {value}")
    return ("、" if index else ", ").join(parts)


def prefilled(knowledge: Knowledge, slots: Mapping[str, object], lang: str | None) -> Reply:
    """ "I've noted …": the organisation and country taken from the visitor's own messages."""
    return Reply("utter_enquiry_prefilled", {"noted": noted(knowledge, slots, lang)})


def corrected(knowledge: Knowledge, slots: Mapping[str, object], lang: str | None) -> Reply:
    """ "I've changed …": earlier answers corrected in the middle of the form."""
    return Reply("utter_enquiry_corrected", {"noted": noted(knowledge, slots, lang)})


def field_buttons(lang: str | None) -> list[dict[str, str]]:
    """One button per field, for "which detail would you like to change?"."""
    index = 1 if lang == "ja" else 0
    return [
        {"title": titles[index], "payload": f'/correct_enquiry{{"enquiry_field": "{field}"}}'}
        for field, titles in FIELD_TITLES.items()
    ]


def format_population(value: str | None, lang: str | None) -> str:
    """A population with thousands separators ("1,200,000"), or a dash when skipped."""
    if not value:
        return _NOT_GIVEN
    try:
        return f"{int(value):,}"
    except ValueError:
        return value


def summary(knowledge: Knowledge, slots: dict[str, object], lang: str | None) -> Reply:
    """The answers so far, with the office that will receive them, to confirm."""
    code = str(slots.get("enquiry_country") or "")
    try:
        country = knowledge.country(code)
        country_name = country.name.get(lang)
        office_name = knowledge.office(country.office_id).name.get(lang)
    except KeyError:
        country_name, office_name = code, knowledge.office("world_secretariat").name.get(lang)
    values = {
        "organisation": str(slots.get("enquiry_organisation") or ""),
        "country": country_name,
        "contact_name": str(slots.get("enquiry_name") or ""),
        "email": str(slots.get("enquiry_email") or ""),
        "role": str(slots.get("enquiry_role") or "") or _NOT_GIVEN,
        "population": format_population(slots.get("enquiry_population"), lang),  # type: ignore[arg-type]
        "message": str(slots.get("enquiry_message") or "") or _NOT_GIVEN,
        "office_name": office_name,
    }
    return Reply("utter_enquiry_summary", values)
