"""Cues for what a message asks for."""

from __future__ import annotations

import pytest

from bot.dialogue.asked import (
    asks_about_coming_events,
    asks_about_personal_data,
    asks_detail_in_a_language,
    asks_for_list,
    asks_member_status,
    asks_what_the_page_lacks,
    asks_when_it_moved,
    asks_where_the_head_office_is,
    asks_whom_to_contact,
    asks_why_join,
    attributes_asked,
    calls_off,
    consent_opening,
    facet_asked,
    is_travel_or_everyday,
    language_asked,
    language_requested,
    names_an_office,
    wants_to_enquire,
    year_asked,
)


@pytest.mark.parametrize(
    ("text", "attributes"),
    [
        ("and the phone?", ["phone"]),
        ("FAXは？", ["fax"]),
        ("FAX番号を教えて", ["fax"]),
        ("ボンの世界事務局の住所とFAX番号も教えてください", ["fax", "address"]),
        ("website?", ["web"]),
        ("What's the email of the Korea office?", ["email"]),
        ("メールアドレスは？", ["email"]),
        ("postal address?", ["postal"]),
        ("phone and fax please", ["fax", "phone"]),
        ("Tell me about the Canada office", []),
        ("how many offices are there", []),
    ],
)
def test_office_details(text, attributes):
    assert attributes_asked(text) == attributes


@pytest.mark.parametrize(
    ("text", "facet"),
    [("and where?", "where"), ("それはいつ？", "when"), ("who?", "who"), ("誰が？", "who"),
     ("how many?", "how_many"), ("ok", None)],
)  # fmt: skip
def test_facets(text, facet):
    assert facet_asked(text) == facet


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Could you answer in Japanese, please?", "ja"),
        ("英語でお願いします", "en"),
        ("Please reply in English from now on", "en"),
        ("英語で話せますか？", "en"),
        ("do you speak another language?", None),
        ("English or Japanese?", None),
    ],
)
def test_language_requests(text, language):
    assert language_asked(text) == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("英語でお願いします", "en"),
        ("Could you answer in Japanese, please?", "ja"),
        ("日本語でお願いします。住所も知りたいです", "ja"),
        # One detail in a language is not the conversation's language.
        ("I'd prefer Japanese if possible. How many offices do you have?", "ja"),
        ("English would be easier for me, thanks", "en"),
        ("I would rather read English", "en"),
        ("住所は英語で教えてください", None),
        ("事務所の名前を英語表記で知りたいです", None),
        ("Could I have the Tokyo office's address in Japanese, please?", None),
    ],
)
def test_a_detail_asked_in_a_language_is_no_request_to_switch(text, language):
    assert language_requested(text) == language
    assert asks_detail_in_a_language(text) is (language is None)


@pytest.mark.parametrize(
    "text",
    ["Any good hotels near Freiburg station?", "デンバーの今の気温は？", "best ramen in Tokyo?",
     "what time is it in Bonn right now?", "東京は今何時？",
     "what do you think about the new Chilean constitution referendum?",
     "今の日本政府の温暖化対策についてどう思いますか？",
     "how do I get from Bonn station to the airport", "ソウルの観光スポット",
     "where can I park near the Bonn office?", "is there a car park at the Tokyo office",
     "What's the exchange rate from euros to rupees?", "I'm flying to New Delhi next week."],
)  # fmt: skip
def test_travel_and_everyday_topics(text):
    assert is_travel_or_everyday(text)


@pytest.mark.parametrize(
    "text",
    ["What's the address of the Tokyo office?", "training programmes of ICLEI",
     "Is there an office in Kyoto?", "新宿区にありますか", "create a city network",
     "日本事務所って何時から何時まで開いてる？", "What are the opening hours of the Tokyo office?"],
)  # fmt: skip
def test_office_questions_are_not_travel(text):
    assert not is_travel_or_everyday(text)


def test_list_or_contact():
    assert asks_for_list("What offices are in Southeast Asia?")
    assert asks_for_list("東南アジアの事務所を全部教えてください")
    assert not asks_for_list("Which office covers Oceania?")


@pytest.mark.parametrize(
    "text",
    ["日本事務所って何時から何時まで開いてる？", "office hours of the Seoul office?",
     "Can I book a meeting room at the Bonn office?", "ボン事務所の見学ってできますか？",
     "could we visit the Tokyo office next month?",
     "is iclei part of the united nations or separate?", "イクレイは国連の機関ですか？"],
)  # fmt: skip
def test_hours_visits_and_the_un_are_not_on_the_page(text):
    assert asks_what_the_page_lacks(text)


@pytest.mark.parametrize(
    "text",
    ["Where was ICLEI founded?", "visit your website", "What is the address of the Bonn office?"],
)
def test_what_the_page_gives_is_not_taken_for_a_gap(text):
    assert not asks_what_the_page_lacks(text)


@pytest.mark.parametrize(
    "text",
    ["I'm with the town council of Galway - who at ICLEI should we be talking to?",
     "who could we speak to about joining?", "Which ICLEI office looks after Chile?",
     "名古屋市役所に勤めている者ですが、相談先を教えてください"],
)  # fmt: skip
def test_whom_to_contact(text):
    assert asks_whom_to_contact(text)


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("what happens to my data?", True),
        ("why do you need my email?", True),
        ("Do you share it with third parties?", True),
        ("how long will you keep my details", True),
        ("Who will read this?", True),
        ("個人情報の扱いはどうなっていますか", True),
        ("メールアドレスは何に使いますか？", True),
        # Answers and questions about ICLEI are not about the visitor's data.
        ("please use my work address: a@b.example", False),
        ("Jane Doe", False),
        ("how long has ICLEI existed?", False),
        ("what is the name of the office?", False),
        ("City of Lyon", False),
    ],
)
def test_questions_about_personal_data(text, asks):
    assert asks_about_personal_data(text) is asks


@pytest.mark.parametrize(
    ("text", "itself"),
    [("is there parking at the bonn office?", True), ("日本事務所の営業時間は？", True),
     ("best ramen spot in Tokyo near your office??", False), ("日本事務所の近くのホテル", False),
     ("where is the closest contact?", False)],
)  # fmt: skip
def test_a_question_about_the_office_itself(text, itself):
    assert names_an_office(text) is itself


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("I'm Rafael Gomez from Rosario, email rgomez@rosario.gob.ar", []),
        ("メールはhanako.y@minami-town.jp です", []),
        ("what is the email of the Tokyo office?", ["email"]),
    ],
)
def test_an_address_given_is_not_an_email_asked_for(text, asked):
    assert attributes_asked(text) == asked


@pytest.mark.parametrize(
    ("text", "coming"),
    [
        ("今年の世界会議はいつどこで？", True),
        ("Are there any ICLEI events or congresses coming up in 2025?", True),
        ("When is the next World Congress?", True),
        ("Where was the founding congress held?", False),
    ],
)
def test_coming_events(text, coming):
    assert asks_about_coming_events(text) is coming


@pytest.mark.parametrize(
    "text",
    ["how long does it usually take for ICLEI to reply?", "返信まではどのくらいかかりますか",
     "does anyone at the office speak Spanish?", "スペイン語が話せる職員はいますか"],
)  # fmt: skip
def test_reply_times_and_staff_languages_are_not_on_the_page(text):
    assert asks_what_the_page_lacks(text)
    assert not asks_about_personal_data(text)


@pytest.mark.parametrize(
    "text",
    ["埼玉の市町村で加盟しているところは？", "日本の会員ってどこの市?横浜とか?",
     "いや事務所じゃなくて、加盟してる自治体の名前が知りたいの"],
)  # fmt: skip
def test_members_of_a_region_are_not_listed(text):
    assert asks_member_status(text)


def test_an_enquiry_asked_for_politely_and_the_un_relation():
    assert wants_to_enquire("加盟について問い合わせたいです。")
    assert asks_what_the_page_lacks("イクレイって国連とどういう関係なんですか？")


def test_a_count_of_members_is_not_a_question_about_which_members():
    assert not asks_member_status("それと、加盟している自治体の数も知りたいです")


@pytest.mark.parametrize(
    ("text", "consent"),
    [
        ("fine", True),
        ("no wait... yes, I agree, go ahead", True),
        ("yes I agree. Organisation: Tamale Metropolitan Assembly, country Ghana", True),
        ("同意いたします。団体：豊岡市、国：日本", True),
        ("No, I do not agree", False),
        ("what if I don't agree?", None),
        ("I agree with your mission but what is the fee?", None),
        ("Tamale Metropolitan Assembly", None),
    ],
)
def test_the_consent_a_message_opens_with(text, consent):
    assert consent_opening(text) is consent


def test_a_formal_yes_to_the_enquiry():
    assert wants_to_enquire("それでは問い合わせをお願いいたします")
    assert not wants_to_enquire("問い合わせ先をお願いします")


@pytest.mark.parametrize(
    ("text", "off"),
    [("Actually hold off… Please cancel it.", True), ("Please cancel it", True),
     ("We plan to cancel our old climate plan and start anew", False)],
)  # fmt: skip
def test_calling_the_enquiry_off_in_a_sentence_of_its_own(text, off):
    assert calls_off(text) is off


def test_testers_words_for_yes_and_for_an_enquiry():
    assert consent_opening("おｋ") is True
    assert wants_to_enquire("じゃあクライアントの水俣市の代わりに問い合わせ出したいです")


def test_a_fax_number_asked_with_tell_me_is_not_also_the_phone():
    # "tell" is no "tel".
    assert attributes_asked("Could you tell me the fax number for the head office please") == [
        "fax"
    ]
    assert attributes_asked("fax and tel please") == ["fax", "phone"]


@pytest.mark.parametrize(
    ("text", "done"),
    [
        ("All right, thank you for your time.", True),
        ("Thank you so very much for your patience; I shall leave you in peace now.", True),
        ("ありがとうございました、これで終わります。", True),
        ("本日はありがとうございました。失礼いたします。", True),
        ("ありがとうございました！失礼します。", True),
        ("thanks, that's all", True),
        ("さんきゅー、ばいばい", True),
        ("いや特にない！ばいばーい", True),
        (
            "よく分かりました。誠にありがとうございました。今後ともよろしくお願い申し上げます。",
            True,
        ),
        ("got it, thanks, later!", True),
        ("what are ICLEI's plans for later years?", False),
        ("Thank you for the answer. And the phone?", False),
        ("Is the office open all day?", False),
    ],
)
def test_a_visitor_who_needs_nothing_more(text, done):
    from bot.dialogue.asked import is_done

    assert is_done(text) is done


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Oh, also — my colleague doesn't read Japanese. Can you tell her in English?", "en"),
        ("同僚は日本語が読めないので", "en"),
        ("I can't read English well", "ja"),
    ],
)
def test_a_language_not_read_asks_for_the_other(text, language):
    assert language_requested(text) == language
    assert language_asked(text) == language


@pytest.mark.parametrize(
    "text",
    ["Is the office in Cape Town the only one for Africa?", "any other offices in Europe?",
     "Are there others besides Tokyo?", "apart from Seoul, is there one in Korea?",
     "東京以外に日本の事務所はありますか？", "日本は東京だけですか？", "ほかに事務所はある？"],
)  # fmt: skip
def test_only_other_and_besides_ask_for_every_office(text):
    assert asks_for_list(text)


@pytest.mark.parametrize(
    "text",
    ["I only need the phone number", "What other programmes did ICLEI run?",
     "Is there an office in Tokyo?"],
)  # fmt: skip
def test_other_words_do_not_ask_for_a_list(text):
    assert not asks_for_list(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Why should a small town bother joining a network like this?", True),
     ("What's in it for a small municipality if we join?", True),
     ("what are the benefits of membership?", True),
     ("Is joining worth it for a city of 20,000?", True),
     ("加盟するメリットは何ですか？", True), ("なぜ加盟したほうがいいの？", True),
     ("How do we join?", False), ("Why was ICLEI founded?", False),
     ("加盟の手続きを教えてください", False)],
)  # fmt: skip
def test_why_join(text, expected):
    assert asks_why_join(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ok fine, agreed", True), ("fine, I agree to that", True),
     ("No, I just want to know whether NGOs are eligible before I send anything", False),
     ("いいえ、まだ上司に確認していないので", False),
     ("no wait… yes, I agree", True), ("No problem, go ahead", True),
     ("Oh I see, yes I agree", True), ("なるほど、同意します", True),
     ("I see what you mean but no", None)],
)  # fmt: skip
def test_consent_in_more_words(text, expected):
    assert consent_opening(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("いえ、保管期間を伺っているのですが…分からないということでしょうか？", None),
     ("同意しまs", True), ("え、同意するってさっき言いましたけど…同意する", True),
     ("si, agree", True), ("いや、やっぱり同意します", True),
     ("I think I'd rather not share my details through a chatbot, sorry.", False),
     ("Before I agree, how long do you keep it?", None)],
)  # fmt: skip
def test_consent_typed_as_people_type_it(text, expected):
    assert consent_opening(text) is expected


def test_the_head_office_at_first_and_an_offices_headcount():
    assert asks_where_the_head_office_is(
        "世界事務局って今ボンにあるんですよね？最初からボンだったんでしょうか"
    )
    assert asks_what_the_page_lacks("いや日本事務所の人数がしりたいんですけど")


@pytest.mark.parametrize(
    "text",
    ["申し訳ありません、上司の決裁がまだでしたので、今回は送信を見送らせてください。",
     "送信はしないでください。取り消しでお願いします。",
     "wait, sorry, i need ask my chefe first. we stop now please, not send nothing",
     "I think I should talk to my director first. Can we cancel this?", "I'd like to cancel it"],
)  # fmt: skip
def test_polite_ways_to_call_the_enquiry_off(text):
    assert calls_off(text)
    assert not calls_off("このまま送信してください")
    assert not calls_off("what happens if I cancel?")


@pytest.mark.parametrize(
    "text",
    ["へー。日本の市とかも入ってんの？金沢とか", "いやそうじゃなくて、金沢市はメンバーなの？って話",
     "…サンパウロ市ってイクレイの会員ですか？"],
)  # fmt: skip
def test_member_questions_in_casual_japanese(text):
    assert asks_member_status(text)


def test_membership_data_and_years_as_strangers_ask():
    assert asks_member_status("can u tell me if Bristol city council is part of iclei")
    assert not asks_member_status("Is the Tokyo office part of ICLEI?")
    assert asks_about_personal_data("Do you keep a copy of what I write here?", named=True)
    assert asks_why_join("イクレイに入るとどんなメリットがあるんでしょうか。")
    assert year_asked("1990年に何があったんですか？") == "ask_founding"
    assert year_asked("What happened in 2003?") == "ask_name"
    assert year_asked("ICLEI was founded in 1990, right?") is None
    assert asks_for_list("Is the Denver office the main one for the whole of North America?")


def test_how_many_are_members_is_a_count_not_a_member_question():
    assert not asks_member_status("how many local govts are members of ICLEI?")


def test_final_testers_wordings():
    # Joining is not a member question, a count is the size, a city's "入ってる" is.
    assert not asks_member_status(
        "Our county government is interested in becoming a member of ICLEI, how do we go about it?"
    )
    assert not asks_member_status("加盟している自治体は全部でいくつですか？")
    assert asks_member_status("じゃあ、イクレイって日本の自治体もけっこう入ってるんですか？")
    assert wants_to_enquire("とりあえず問い合わせだけしてみます")
    assert asks_when_it_moved(
        "wait so it started in Toronto but now its in Bonn? when did it move?"
    )


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("i want to join iclei as a city, what do i do", True),
        ("We'd like to become members. How do we go about it?", True),
        ("入会したいのですが、どうすればいいですか？", True),
        ("What do I do?", False),  # nothing said before it: a question of its own
        ("what do i do in bonn", False),
        ("What does ICLEI do?", False),
    ],
)
def test_how_to_go_about_what_the_message_says(text, asks):
    from bot.dialogue.asked import asks_how_to_go_about_it

    assert asks_how_to_go_about_it(text) is asks


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I'd rather chat in Japanese. Where's the Japan office?", "ja"),
        ("I'd prefer to continue in English", "en"),
        ("I'd rather not say", None),
    ],
)
def test_a_preferred_language_is_a_request_for_it(text, language):
    assert language_requested(text) == language


@pytest.mark.parametrize(
    ("text", "asks"),
    [("Can you give me a list of member cities in Asia?", True),
     ("the names of member municipalities in Chile, please", True),
     ("Which African cities are members? A list would be great for my thesis.", True),
     ("Does ICLEI publish a list of its members anywhere?", True),
     ("how many member cities are there?", False), ("a list of offices in Asia", False)],
)  # fmt: skip
def test_a_list_of_member_cities_is_a_member_question(text, asks):
    assert asks_member_status(text) is asks


@pytest.mark.parametrize(
    ("text", "checks"),
    [("ソウルにも事務所があると聞いたのですが、本当ですか？", True),
     ("It was founded in 1992, is that right?", True),
     ("Is that right?", False), ("本当ですか？", False)],
)  # fmt: skip
def test_a_check_of_what_the_message_says(text, checks):
    from bot.dialogue.asked import asks_if_it_is_true

    assert asks_if_it_is_true(text) is checks


@pytest.mark.parametrize(
    "text",
    ["what year did iclei get going?", "when did ICLEI start?", "how did iclei get started?"],
)
def test_when_or_how_it_got_going_names_the_founding(text):
    from bot.dialogue.asked import fact_named

    assert fact_named(text) == "ask_founding"
