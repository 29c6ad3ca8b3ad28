"""The membership enquiry over REST, in both languages, down to the stored row."""

from __future__ import annotations

import re

import pytest

from bot.enquiries import EnquiryStore

pytestmark = pytest.mark.model

REFERENCE = re.compile(r"ICLEI-\d{4}-\d{6}")


def texts(messages: list[dict]) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def stored(url: str, email: str) -> list:
    return [e for e in EnquiryStore(url).list() if e.email == email]


def test_happy_path_in_japanese_stores_one_enquiry(chat, enquiry_database_url):
    assert "同意" in texts(chat("会員になりたいです"))
    assert "自治体名" in texts(chat("はい、同意します"))
    assert "国" in texts(chat("横浜市"))
    assert "お名前" in texts(chat("日本"))
    assert "メールアドレス" in texts(chat("山田 太郎"))
    # A malformed email is re-asked, then a good one is taken.
    assert "形式" in texts(chat("taro-at-city"))
    assert "役職" in texts(chat("taro@City.Yokohama.lg.jp"))
    assert "人口" in texts(chat("環境政策課 課長"))
    assert "メッセージ" in texts(chat("377万"))
    summary = texts(chat("スキップ"))
    assert "横浜市" in summary and "3,770,000" in summary and "日本事務所" in summary
    done = texts(chat("はい、送信してください"))
    reference = REFERENCE.search(done)
    assert reference and "受付番号" in done
    rows = stored(enquiry_database_url, "taro@city.yokohama.lg.jp")
    assert len(rows) == 1
    assert rows[0].reference == reference.group(0)
    assert rows[0].office_id == "japan" and rows[0].country_code == "JP"


def test_correction_faq_interruption_and_english(chat, enquiry_database_url):
    chat("I'd like to start a membership enquiry")
    chat("yes")
    chat("Nairobi City County")
    # A question in the middle is answered, then the form asks its question again.
    answer = texts(chat("When was ICLEI founded?"))
    assert "1990" in answer and "country" in answer.lower()
    chat("Kenya")
    chat("Amina Wanjiru")
    chat("amina@nairobi.go.ke")
    chat("no")
    chat("skip")
    summary = texts(chat("/deny"))
    assert "Africa" in summary
    assert "email address" in texts(chat("the email is wrong")).lower()
    # Saying which detail is wrong asks that one again, then the summary again.
    texts_after = texts(chat("amina.w@nairobi.go.ke"))
    assert "amina.w@nairobi.go.ke" in texts_after
    done = texts(chat("send it"))
    assert REFERENCE.search(done)
    assert len(stored(enquiry_database_url, "amina.w@nairobi.go.ke")) == 1
    assert not stored(enquiry_database_url, "amina@nairobi.go.ke")


def test_no_consent_stores_nothing(chat, enquiry_database_url):
    before = len(EnquiryStore(enquiry_database_url).list())
    chat("I want to apply for membership")
    answer = texts(chat("no, I don't agree"))
    assert "haven't stored anything" in answer
    assert len(EnquiryStore(enquiry_database_url).list()) == before


def test_cancel_in_japanese(chat):
    chat("加盟を申し込みたい")
    chat("同意します")
    answer = texts(chat("やっぱりやめます"))
    assert "中止" in answer
