"""The second reading of the model's intent from cues."""

from __future__ import annotations

import pytest

from bot.dialogue.cues import names_a_place, reread


def parse(intent: str, *places: str) -> dict:
    entities = [{"entity": "place", "value": place} for place in places]
    return {"intent": {"name": intent, "confidence": 0.6}, "entities": entities}


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("Can we continue this chat in Japanese?", "nlu_fallback", "switch_language"),
        ("英語で説明してくれる？", "help", "switch_language"),
        # Intents of the form and of thanks, which no other cue overrides.
        ("Can we continue this chat in Japanese?", "cancel", "switch_language"),
        ("海外の同僚と画面を共有しているので、英語のほうが助かります", "thank", "switch_language"),
        ("ここからは日本語で続けてもらえますか", "correct_enquiry", "switch_language"),
        # The head office placed where the World Secretariat started: where it is now.
        ("cool. wait so is the HQ still in toronto?", "ask_office_contact", "ask_headquarters"),
        ("when did it move from toronto to bonn?", "ask_office_contact", "ask_headquarters"),
        ("Hm, you didn't answer about the fee though?", "nlu_fallback", "ask_other_iclei_topic"),
        # Outside the form nothing is corrected: a place and a question ask for an office.
        ("Sorry, let me correct something - the mayor is actually meeting the mayor of "
         "Monterrey, not Vancouver. Who should we contact for that?", "correct_enquiry",
         "ask_office_contact"),
        # Done, whatever the model read, when nothing is asked.
        ("Ha, fair. That's everything, thank you and goodbye.", "ask_headquarters", "goodbye"),
        ("Which year did the first secretariats open, and in which cities?",
         "ask_office_contact", "ask_founding"),
        ("where was the first world secretariat?", "ask_headquarters", "ask_founding"),
        ("最初の世界事務局はどこに設置されましたか？", "ask_headquarters", "ask_founding"),
        ("ok so when did it move to Bonn?", "nlu_fallback", "ask_headquarters"),
        ("設立時の会議の正式名称と、参加した国・自治体の数を確認させてください。", "ask_name",
         "ask_founding"),
        ("hi there, is this the icelandic tourism office? planning a trip to reykjavik",
         "ask_office_contact", "bot_challenge"),
        ("Fair enough. Thanks, that's really helpful — bye!", "cancel", "goodbye"),
        ("also is ICLEI part of the UN or independent?", "what_is_iclei", "ask_other_iclei_topic"),
        ("My boss says the HQ is in Toronto, is that right?", "correct_enquiry",
         "ask_headquarters"),
        ("イクレイの2030年に向けた計画は？", "ask_name", "ask_mission"),
        ("Where does your information about ICLEI come from?", "help", "bot_challenge"),
        ("へー。昔は名前ちがったって聞いたけどほんと？", "what_is_iclei", "ask_name"),
        # What the letters stand for behind a preamble, or the name it had at first.
        ("hello! quick one - what does ICLEI actually stand for?", "what_is_iclei", "ask_name"),
        ("ICLEIって何の略なんですか？教えてください", "what_is_iclei", "ask_name"),
        ("what was iclei originally called back in the 90s", "nlu_fallback", "ask_name"),
        ("Was it first known as something else?", "ask_founding", "ask_name"),
        # How ICLEI relates to another network: the page does not say.
        ("Is ICLEI the same thing as C40?", "out_of_scope", "ask_other_iclei_topic"),
        ("C40とイクレイって何が違うんですか？", "what_is_iclei", "ask_other_iclei_topic"),
        # Who may join: a consultant, a university.
        ("could I join as a private consultant?", "nlu_fallback", "ask_membership"),
        ("Can we join as a university?", "ask_office_contact", "ask_membership"),
        # How to join, said as getting into ICLEI, or read as the office for the place.
        ("チリの小さな町なんですが、イクレイに入るにはどうしたらいいでしょうか？", "nlu_fallback",
         "ask_membership"),
        ("チリの小さな町です。イクレイに加盟するにはどうすればいいですか", "ask_office_contact",
         "ask_membership"),
        # Where the assistant's answers come from: what the assistant is.
        ("Where does this information come from? Which report?", "help", "bot_challenge"),
        ("この情報の出典はどこですか", "help", "bot_challenge"),
        # One detail in a language: that detail, the conversation's language unchanged.
        ("住所は英語で教えてください", "switch_language", "ask_followup"),
        ("東京事務所の住所は英語でお願いします", "switch_language", "ask_office_contact"),
        # The consent question answered in its own words, whatever the model read.
        ("同意します", "deny", "affirm"),
        ("はい、同意いたします。", "nlu_fallback", "affirm"),
        ("I agree", "thank", "affirm"),
        ("同意できません", "affirm", "deny"),
        ("no, I do not consent", "affirm", "deny"),
        ("Any good hotels near Freiburg station?", "ask_office_contact", "out_of_scope"),
        ("デンバーって今何度くらい？", "ask_office_contact", "out_of_scope"),
        ("Auckland Council here. Where's the closest ICLEI office to us?", "ask_name",
         "ask_office_contact"),
        ("東アジアってイクレイの事務所何か所あるの？", "ask_size", "list_offices"),
        ("we're in calgary - any iclei office nearby?", "nlu_fallback", "ask_office_contact"),
        ("which person leads iclei as secretary general these days", "what_is_iclei",
         "ask_other_iclei_topic"),
        ("イクレイの会長って、どなたが務めているんでしょうか", "nlu_fallback",
         "ask_other_iclei_topic"),
        ("got a number I can ring?", "nlu_fallback", "ask_followup"),
        # A travel question about a named office: that office, whose page lacks it.
        ("is there parking at the bonn office? 🚗", "out_of_scope", "ask_office_contact"),
        ("where can I park in Bonn?", "ask_office_contact", "out_of_scope"),
        # When an office was set up: the founding story gives 1991 for the first two
        # secretariats; for any other office the page gives no date.
        ("トロントの事務局はいつできたの", "ask_office_contact", "ask_founding"),
        ("When was the European Secretariat set up?", "ask_office_contact", "ask_founding"),
        ("when did the Canada office open?", "ask_founding", "ask_office_contact"),
        ("ok. when was the european office opened?", "ask_office_contact", "ask_founding"),
        # A check that the head office is in Bonn now: yes, where it is.
        ("it's in bonn now right?", "out_of_scope", "ask_headquarters"),
        ("今はボンですよね？", "nlu_fallback", "ask_headquarters"),
        ("ヨーロッパ事務局はいつできたんですか？", "ask_office_contact", "ask_founding"),
        # Membership asked about politely; fees read as a count.
        ("We are interested in becoming a member of ICLEI. Could you explain the process?",
         "what_is_iclei", "ask_membership"),
        ("当市としてイクレイへの加盟を検討しておりまして、手続きについて教えていただけますでしょうか。",
         "ask_why_cities", "ask_membership"),
        ("加盟するときの年会費ってどれくらいなんでしょう", "ask_size", "ask_other_iclei_topic"),
        ("whats iclei actually stand for", "nlu_fallback", "ask_name"),
        # A form is started only when asked for; events to come are not on the page.
        ("Is the Cape Town office open on Saturdays?", "start_enquiry", "ask_office_contact"),
        ("今年、イクレイの世界会議はいつどこで開かれる予定ですか？", "ask_founding",
         "ask_other_iclei_topic"),
        ("事務所の受付時間は何時から何時まででしょうか。", "out_of_scope", "ask_followup"),
        # The way to the office just discussed (out of scope when none was).
        ("ありがとうございます。最寄り駅はどこですか？", "nlu_fallback", "ask_followup"),
        ("アクセス方法を教えてください", "ask_office_contact", "ask_followup"),
        ("And how do I get there from the airport?", "out_of_scope", "ask_followup"),
        ("How do I get to Tokyo?", "ask_office_contact", "out_of_scope"),
        ("Is there parking?", "out_of_scope", "ask_followup"),
        ("Back to English - is there an office in Korea too?", "ask_office_contact",
         "switch_language"),
        # A person the page does not name.
        ("do u know Gino Van Begin", "ask_history", "ask_other_iclei_topic"),
        # Someone to phone, not what ICLEI is.
        ("Is there anyone at ICLEI we could actually ring?", "what_is_iclei", "ask_followup"),
        ("in which city?", "nlu_fallback", "ask_followup"),
        ("can I send a membership enquiry through this chat?", "nlu_fallback", "start_enquiry"),
        # Asking whether the bot takes an enquiry, whatever topic the model heard.
        ("can I send a membership enquiry through this chat?", "ask_history", "start_enquiry"),
        ("Could we submit a membership application here?", "ask_membership", "start_enquiry"),
        ("このチャットから入会の問い合わせはできますか？", "ask_name", "start_enquiry"),
        # Leaders in everyday words: the page names nobody.
        ("so who's the boss over there?", "nlu_fallback", "ask_other_iclei_topic"),
        ("who are the leaders of ICLEI", "what_is_iclei", "ask_other_iclei_topic"),
        ("イクレイのリーダーは誰？", "nlu_fallback", "ask_other_iclei_topic"),
        # A question that names its fact, which the model did not place (a short one with a
        # facet word goes to the follow-up action, which answers that facet of the fact).
        ("ok but how old is the organisation?", "nlu_fallback", "ask_founding"),
        ("創立何年になりますか", "nlu_fallback", "ask_followup"),
        ("when was it renamed?", "nlu_fallback", "ask_followup"),
        ("名称が変わったのはなぜ？", "nlu_fallback", "ask_name"),
        ("what are they actually trying to achieve", "nlu_fallback", "ask_followup"),
        ("この団体の目標って？", "nlu_fallback", "ask_mission"),
    ],
)  # fmt: skip
def test_cues_give_the_intent(text, intent, expected):
    read = reread(parse(intent), text)
    assert read["intent"]["name"] == expected
    assert read["reread_from"]["name"] == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("When was ICLEI founded?", "ask_founding"),
        ("What's ICLEI's name in Japanese?", "ask_name"),
        ("yes", "affirm"),
        ("yes, in English please", "affirm"),
        ("thanks a lot", "thank"),
        ("cancel the enquiry", "cancel"),
        ("Where is the Tokyo office?", "ask_office_contact"),
        ("I'd like to join", "start_enquiry"),
        # Words of the new cues inside questions the model placed.
        ("What does ICLEI do for city leaders?", "what_is_iclei"),
        ("How old was the network when it moved to Bonn?", "ask_history"),
        # Whom to contact about joining, or the office named: the office.
        ("チリの事務所に加盟について相談するにはどうすればいいですか", "ask_office_contact"),
        ("who do I contact in Chile about joining?", "ask_office_contact"),
    ],
)
def test_no_cue_keeps_the_model_reading(text, intent):
    read = reread(parse(intent), text)
    assert read["intent"]["name"] == intent and "reread_from" not in read


def test_a_place_in_the_preamble_counts_for_whom_to_contact():
    text = "Which ICLEI office should we get in touch with?"
    context = "I work in the mayor's office in Quito, Ecuador. " + text
    read = reread(parse("ask_headquarters"), text, context)
    assert read["intent"]["name"] == "ask_office_contact"


def test_a_place_in_the_preamble_does_not_make_a_size_question_an_office():
    text = "My supervisor asked me to find out how many regional offices ICLEI has."
    context = "I'm an intern at the environment ministry in Ghana. " + text
    assert reread(parse("ask_size"), text, context)["intent"]["name"] == "ask_size"


@pytest.mark.parametrize(
    "text", ["同意しないとどうなりますか？", "what if I don't agree?", "I agree with your mission"]
)
def test_a_question_about_consent_is_not_an_answer(text):
    assert reread(parse("ask_membership"), text)["intent"]["name"] == "ask_membership"


@pytest.mark.parametrize(
    "text",
    ["My town is Leeds, which ICLEI office would look after us?", "Which office looks after us?"],
)
def test_which_iclei_office_and_look_after_ask_whom_to_contact(text):
    question = text.split(", ")[-1]
    context = "Our council is in Quito, Ecuador. " + text
    assert (
        reread(parse("nlu_fallback"), question, context)["intent"]["name"] == "ask_office_contact"
    )


def test_whom_to_talk_to_near_a_named_place_is_an_office_not_the_form():
    text = "Is there someone in our part of the world we could talk to?"
    context = "Hello, I'm a councillor from Auckland. " + text
    read = reread(parse("start_enquiry"), text, context)
    assert read["intent"]["name"] == "ask_office_contact"


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("I'd like to talk to someone about joining ICLEI", ""),
        ("We're in Lyon and want to send a membership enquiry, who do we talk to?", ""),
    ],
)
def test_the_enquiry_form_is_kept_without_a_place_or_with_enquiry_words(text, context):
    assert reread(parse("start_enquiry"), text, context)["intent"]["name"] == "start_enquiry"


@pytest.mark.parametrize(
    "text",
    [
        "Hello! Our municipality would like to become an ICLEI member, what do we do?",
        "we'd like to join - how does signing up work?",
        "加盟したいのですが、どうすればいいですか",
    ],
)
def test_how_to_join_is_the_membership_answer_before_the_form(text):
    assert reread(parse("start_enquiry"), text)["intent"]["name"] == "ask_membership"


@pytest.mark.parametrize(
    "text",
    ["how do I send a membership enquiry?", "入会の問い合わせを送る方法は？", "I'd like to join"],
)
def test_asking_for_the_enquiry_itself_keeps_the_form(text):
    assert reread(parse("start_enquiry"), text)["intent"]["name"] == "start_enquiry"


def test_how_to_join_asked_after_the_wish_reads_the_whole_message():
    # The wish is the one question the planner keeps; "what do we do?" read as `help`.
    focus = "Our municipality would like to become an ICLEI member"
    whole = "Hello! " + focus + ", what do we do?"
    assert reread(parse("start_enquiry"), focus, whole)["intent"]["name"] == "ask_membership"


@pytest.mark.parametrize(
    "text",
    [
        "Hola, ¿qué es ICLEI y tienen oficina en España?",
        "Où est le bureau de Paris?",
        "ICLEI有日本的办事处吗？",
        "이클레이 사무소는 어디에 있나요?",
    ],
)
def test_a_message_in_another_language_asks_which_language(text):
    assert reread(parse("ask_office_contact"), text)["intent"]["name"] == "switch_language"


@pytest.mark.parametrize(
    "text",
    [
        "Is there an office in La Paz or El Alto?",
        "Bonjour! Where is the Paris office?",
        "北京にある事務所は？",
        "本部住所",
    ],
)
def test_english_and_japanese_with_foreign_names_are_not_another_language(text):
    assert reread(parse("ask_office_contact"), text)["intent"]["name"] != "switch_language"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Is Valencia already a member of ICLEI?", "ask_office_contact"),
        ("is our city a member?", "ask_membership"),
        ("チェンマイ市ってもう会員なんですかね？", "ask_office_contact"),
        ("会員一覧はどこで見られますか", "ask_membership"),
        ("日本国内で加盟している自治体はいくつ？", "ask_size"),
    ],
)
def test_member_status_and_counts_per_country_are_not_on_the_page(text, intent):
    assert reread(parse(intent), text)["intent"]["name"] == "ask_other_iclei_topic"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("how many members does ICLEI have?", "ask_size"),
        ("How many member cities and towns does ICLEI currently have?", "ask_size"),
        ("how do we become a member?", "ask_membership"),
        ("How many offices are in East Asia?", "ask_size"),
        # A preamble the model read as the size question: no count asked of the place.
        ("Greetings from a county government in Kenya.", "ask_size"),
    ],
)
def test_member_counts_and_joining_keep_their_answers(text, intent):
    assert reread(parse(intent), text)["intent"]["name"] != "ask_other_iclei_topic"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("👍", "thank"), ("🙏🏻", "thank"), ("😊!", "thank"), ("?", "help"), ("？？", "help")],
)
def test_a_message_of_symbols_only(text, expected):
    assert reread(parse("nlu_fallback"), text)["intent"]["name"] == expected


@pytest.mark.parametrize("text", ["😡", "👍 but where is the Tokyo office?", "1?", "..."])
def test_other_symbols_or_words_are_left_to_the_model(text):
    assert reread(parse("nlu_fallback"), text)["intent"]["name"] not in ("thank", "help")


@pytest.mark.parametrize("text", ["イクレイに入りたいんですけど", "we'd love to join, honestly"])
def test_a_wish_to_join_the_model_missed_starts_the_enquiry(text):
    assert reread(parse("nlu_fallback"), text)["intent"]["name"] == "start_enquiry"


def test_how_to_join_asked_after_a_membership_preamble():
    whole = "We are interested in becoming a member of ICLEI. Could you explain the process?"
    parsed = reread(parse("help"), "Could you explain the process?", whole)
    assert parsed["intent"]["name"] == "ask_membership"


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "expected"),
    [
        # A short follow-up given a vague reading the model is unsure of.
        ("in which city?", "list_offices", 0.50, "ask_followup"),
        ("この事務所のサイトって見られますか", "help", 0.56, "ask_followup"),
        ("Was ICLEI always called ICLEI?", "nlu_fallback", 0.50, "ask_name"),
        # Sure enough, a list of offices, or no cue: the model's reading.
        ("in which city?", "list_offices", 0.70, "list_offices"),
        ("which offices are there?", "list_offices", 0.55, "list_offices"),
        ("help me please", "help", 0.55, "help"),
        ("what can you tell me about the office?", "help", 0.50, "help"),
    ],
)
def test_an_unsure_vague_reading_is_read_by_the_cues(text, intent, confidence, expected):
    parsed = {"intent": {"name": intent, "confidence": confidence}, "entities": []}
    assert reread(parsed, text)["intent"]["name"] == expected


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("yes please start the enquiry", "nlu_fallback", "start_enquiry"),
        ("thanks, that's all I need", "deny", "goodbye"),
        ("以上です、ありがとうございました", "thank", "goodbye"),
        ("議会資料作成のため、イクレイの設立経緯について簡単にご教示いただけますでしょうか。",
         "nlu_fallback", "ask_founding"),
        ("how did ICLEI come about?", "nlu_fallback", "ask_founding"),
        # "No thanks" alone still declines what was offered.
        ("no thanks", "deny", "deny"),
    ],
)  # fmt: skip
def test_done_starting_and_origins(text, intent, expected):
    assert reread(parse(intent), text)["intent"]["name"] == expected


def test_the_visitors_own_name_is_not_a_place():
    # 田中 is also a town in Taiwan.
    intro = "〇〇市環境政策課の田中と申します。イクレイの設立経緯を教えてください。"
    assert not names_a_place(intro, {})
    assert names_a_place("担当は日本事務所ですか？", {})


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        # Another place in a follow-up's shape, whatever topic the model read.
        ("And the Dominican Republic one?", "ask_other_iclei_topic", "ask_followup"),
        ("カナダは？", "ask_other_iclei_topic", "ask_followup"),
        # About the assistant itself.
        ("are you a bot run by iclei?", "ask_name", "bot_challenge"),
        ("このチャットは誰が運営しているんですか？公式ですか？", "ask_followup", "bot_challenge"),
        # Goodbye in chat style.
        ("lol ok thx, bye", "thank", "goodbye"),
        # A service the page does not describe.
        ("do u guys do school visits or have any free teaching resources??", "ask_why_cities",
         "ask_other_iclei_topic"),
        ("JICAとの連携はありますか？", "what_is_iclei", "ask_other_iclei_topic"),
        # Not these: a place named in a whole question, the word "chat" about something else.
        ("What does the chat function on the website do?", "what_is_iclei", "what_is_iclei"),
        ("Why do cities matter for climate policy?", "ask_why_cities", "ask_why_cities"),
    ],
)  # fmt: skip
def test_another_place_the_assistant_goodbyes_and_services(text, intent, expected):
    assert reread(parse(intent), text)["intent"]["name"] == expected


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        # Not a question about ICLEI's leaders.
        ("who runs this chatbot", "ask_other_iclei_topic", "bot_challenge"),
        # A language is no place.
        ("do they have staff who speak Malay?", "ask_office_contact", "ask_other_iclei_topic"),
        # That office's detail, read as the list of offices.
        ("その事務所の電話番号も教えていただけますか", "list_offices", "ask_followup"),
        ("could I speak to someone in Bonn?", "ask_office_contact", "ask_office_contact"),
    ],
)  # fmt: skip
def test_the_assistant_staff_languages_and_that_office(text, intent, expected):
    assert reread(parse(intent), text)["intent"]["name"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "can a consultant submit it?",
        "個人でも加盟できますか",
        "Can an NGO like ours become a member?",
    ],
)
def test_who_may_join_is_the_membership_answer(text):
    assert reread(parse("ask_why_cities"), text)["intent"]["name"] == "ask_membership"


def test_whether_a_place_is_a_member_is_no_request_for_the_form():
    assert reread(parse("start_enquiry"), "Is Nairobi a member?")["intent"]["name"] == (
        "ask_other_iclei_topic"
    )


def test_a_wish_to_enquire_for_a_named_place_is_the_form_not_the_office():
    text = "じゃあクライアントの水俣市の代わりに問い合わせ出したいです"
    assert reread(parse("nlu_fallback"), text)["intent"]["name"] == "start_enquiry"
    assert reread(parse("ask_office_contact", "横浜"), "横浜とか入ってる？")["intent"]["name"] == (
        "ask_other_iclei_topic"
    )


@pytest.mark.parametrize(
    ("text", "slot", "intent", "expected"),
    [
        ("Ok never mind. Please send it.", "enquiry_confirmed", "cancel", "affirm"),
        ("直すところはもうありません。このまま送信してください。", "enquiry_fix_field", "deny",
         "affirm"),
        ("送信", "enquiry_fix_field", "nlu_fallback", "affirm"),
        ("団体名は「ニセコ町」だけでお願いします。それ以外は大丈夫です。", "enquiry_confirmed",
         "affirm", "correct_enquiry"),
        ("あ、それなら高雄のセンターに直接相談してみます。今回の問い合わせはやめておきます。",
         "enquiry_email", "nlu_fallback", "cancel"),
        ("ok never mind, I'll check with my boss", "enquiry_email", "nlu_fallback", "cancel"),
        ("Hmm, actually, I think I should talk to my director first before sending anything. "
         "Can we cancel this?", "enquiry_name", "ask_other_iclei_topic", "cancel"),
        # Leaving: not an email address, and nothing is sent.
        ("thanks, bye", "enquiry_email", "goodbye", "cancel"),
        ("ありがとうございました。失礼します。", "enquiry_role", "goodbye", "cancel"),
        ("Byers Council", "enquiry_organisation", "goodbye", "goodbye"),
    ],
)  # fmt: skip
def test_the_summary_and_the_form_read_send_change_and_call_off(text, slot, intent, expected):
    from bot.dialogue.cues import reread_in_form

    assert reread_in_form(parse(intent), text, slot)["intent"]["name"] == expected


@pytest.mark.parametrize(
    ("text", "intent"),
    [("Why should a small town bother joining a network like this?", "start_enquiry"),
     ("What's in it for us if we join?", "nlu_fallback"),
     ("加盟するメリットって何ですか？", "ask_why_cities")],
)  # fmt: skip
def test_why_join_is_the_membership_question_not_the_form(text, intent):
    assert reread(parse(intent), text)["intent"]["name"] == "ask_membership"


@pytest.mark.parametrize(
    ("text", "intent"),
    [("what was my reference number again?", "ask_office_contact"),
     ("先日加盟の問い合わせを送った小布施町の佐藤です。受付番号はICLEI-2026-000021です。",
      "ask_name"),
     ("受付番号から問い合わせの状況って確認できないんですか？", "nlu_fallback")],
)  # fmt: skip
def test_an_enquiry_already_sent_is_about_that_enquiry(text, intent):
    assert reread(parse(intent), text)["intent"]["name"] == "correct_enquiry"


def test_a_wish_to_send_one_is_not_an_enquiry_already_sent():
    text = "じゃあもう一回問い合わせを送り直します"
    assert reread(parse("start_enquiry"), text)["intent"]["name"] == "start_enquiry"
    assert reread(parse("nlu_fallback"), "問い合わせを送信したいです")["intent"]["name"] != (
        "correct_enquiry"
    )


def test_a_reference_number_outweighs_a_wish_to_send():
    text = "先日加盟の問い合わせを送った小布施町の佐藤です。受付番号はICLEI-2026-000021です。"
    assert reread(parse("start_enquiry"), text)["intent"]["name"] == "correct_enquiry"


def test_the_hq_still_in_its_first_city_is_the_head_office_question_whatever_the_model_read():
    text = "And the headquarters today is still in Toronto?"
    assert reread(parse("nlu_fallback"), text)["intent"]["name"] == "ask_headquarters"


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [("last q: how much greenhouse gas do cities produce? need it for my intro",
      "ask_other_iclei_topic", "ask_why_cities"),
     ("都市ってCO2どれくらい出してるの？", "nlu_fallback", "ask_why_cities"),
     ("その70%って何年のデータ？出典は？", "ask_name", "ask_other_iclei_topic"),
     ("Was it the UN?", "out_of_scope", "ask_other_iclei_topic"),
     ("How long has the US office been around?", "ask_founding", "ask_office_contact")],
)  # fmt: skip
def test_the_page_figures_their_source_the_un_and_an_offices_age(text, intent, expected):
    assert reread(parse(intent), text)["intent"]["name"] == expected


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [("ok but you didn't answer my second question: can an NGO like ours become a member?",
      "start_enquiry", "ask_membership"),
     ("じゃあもう一回問い合わせを送り直します。", "ask_followup", "start_enquiry"),
     ("課長にOKもらえた！やっぱり問い合わせ送りたい", "ask_office_contact", "start_enquiry"),
     ("What happens after we send an enquiry?", "ask_followup", "ask_followup")],
)  # fmt: skip
def test_who_may_join_and_a_wish_to_send_again(text, intent, expected):
    assert reread(parse(intent), text)["intent"]["name"] == expected


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [("5段階って具体的にはどんなステップ？", "what_is_iclei", "ask_first_programmes"),
     ("いやそうじゃなくて、CCPの5つのステップの中身が知りたいの", "deny", "ask_first_programmes"),
     ("what are the five steps of CCP?", "ask_history", "ask_first_programmes"),
     ("ソウルプランって何ですか？ソウル市の計画？", "ask_office_contact", "ask_mission"),
     ("Got it. I need to fax something to your head office (don't ask lol). number?",
      "ask_size", "ask_headquarters"),
     ("How many regional offices does ICLEI have in total?", "ask_office_contact", "ask_size")],
)  # fmt: skip
def test_ccp_steps_seoul_plan_a_fax_number_and_a_total(text, intent, expected):
    read = reread(parse(intent, "ソウル"), text)
    assert read["intent"]["name"] == expected
    if expected == "ask_mission":
        assert not [e for e in read["entities"] if e["entity"] == "place"]


def test_how_many_offices_in_a_place_is_still_about_that_place():
    text = "How many offices are there in Asia in total?"
    assert reread(parse("list_offices", "Asia"), text)["intent"]["name"] == "list_offices"


@pytest.mark.parametrize(
    "text",
    ["すいません、上司OKでした！さっきの続きからできます？",
     "あ、いま課長からOK出ました。さっきの内容で送ってもらうことってできますか？",
     "Hello again, I got approval. Can we resume the enquiry I started for Pune?",
     "ok talked to my director, she says go ahead. Municipalidad de Quetzaltenango, Guatemala."],
)  # fmt: skip
def test_an_enquiry_taken_up_again_is_the_form(text):
    assert reread(parse("nlu_fallback"), text)["intent"]["name"] == "start_enquiry"


def test_a_boss_in_a_question_about_the_hq_is_no_enquiry():
    text = "My boss says the HQ is in Toronto, is that right?"
    assert reread(parse("ask_headquarters"), text)["intent"]["name"] == "ask_headquarters"


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [("このチャットってデータ保存してる？プライバシー的に大丈夫？", "bot_challenge",
      "ask_other_iclei_topic"),
     ("Is it safe to walk around Cape Town in the evening?", "out_of_scope", "out_of_scope"),
     ("what about canada, we have a project near the border in Quebec too", "out_of_scope",
      "ask_office_contact"),
     ("also my editor says iclei came out of the Rio Earth Summit in 92 — correct?",
      "ask_why_cities", "ask_founding"),
     ("1990年の設立会議の正式名称だけ教えてください。", "ask_name", "ask_founding"),
     ("Is there a fee for a county like ours to become a member?", "start_enquiry",
      "ask_membership"),
     ("NPO法人 かもがわ環境ネットです。自治体じゃないですけど大丈夫ですか", "what_is_iclei",
      "ask_membership")],
)  # fmt: skip
def test_data_a_place_after_what_about_origins_fees_and_who_may_join(text, intent, expected):
    assert reread(parse(intent), text)["intent"]["name"] == expected


def test_the_conference_where_it_all_started_is_the_founding():
    text = "what was the name of the conference where it all started"
    assert reread(parse("ask_other_iclei_topic"), text)["intent"]["name"] == "ask_founding"


@pytest.mark.parametrize(
    "text",
    ["You skipped the 1990 part - how many were involved at the start?",
     "設立時は何カ国が参加したんですか？"],
)  # fmt: skip
def test_how_many_at_the_start_is_the_founding(text):
    assert reread(parse("ask_size"), text)["intent"]["name"] == "ask_founding"


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [("とりあえず問い合わせだけしてみます", "deny", "start_enquiry"),
     ("とりあえず問い合わせだけしてみます", "cancel", "start_enquiry"),
     ("No thanks, I don't want to send an enquiry now", "deny", "deny"),
     ("こんばんは。来週からヨーロッパ出張で、Berlinとパリに寄ります。どちらかにICLEIのofficeありますか？",
      "out_of_scope", "ask_office_contact")],
)  # fmt: skip
def test_final_testers_readings(text, intent, expected):
    assert reread(parse(intent), text)["intent"]["name"] == expected


def test_a_detail_of_both_offices_is_an_office_question():
    assert reread(parse("ask_other_iclei_topic"), "両方の住所をお願いします")["intent"]["name"] == (
        "ask_office_contact"
    )


@pytest.mark.parametrize(
    "text", ["いろいろ教えてくれてありがとう！", "That was really helpful, thanks a lot!"]
)
def test_thanks_in_the_visitors_own_words(text):
    assert reread(parse("nlu_fallback"), text)["intent"]["name"] == "thank"


def test_a_question_that_ends_with_thanks_is_still_a_question():
    text = "Where is the Tokyo office? thanks"
    assert reread(parse("ask_office_contact"), text)["intent"]["name"] == "ask_office_contact"


@pytest.mark.parametrize(
    ("reading", "text", "intent"),
    [
        ("correct_enquiry", "Tell me something interesting about ICLEI's first years",
         "ask_history"),
        ("nlu_fallback", "イクレイの初期の活動について知りたいです", "ask_history"),
        # Asked in their own words, the first programmes stay the first programmes.
        ("ask_first_programmes", "What were its programmes in the early years?",
         "ask_first_programmes"),
    ],
)  # fmt: skip
def test_icleis_early_years_are_its_history(reading, text, intent):
    assert reread(parse(reading), text)["intent"]["name"] == intent


def test_a_wish_to_join_ending_on_what_do_i_do_asks_how_not_for_the_form():
    text = "i want to join iclei as a city, what do i do"
    assert reread(parse("ask_membership"), text)["intent"]["name"] == "ask_membership"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Was the World Secretariat originally in Toronto?", "ask_headquarters"),
        ("I'm quite sure it was opened in 1991, together with the world secretariat in "
         "Toronto, no?", "ask_founding"),
    ],
)  # fmt: skip
def test_where_iclei_started_is_not_todays_office_in_that_city(text, intent):
    assert reread(parse(intent), text)["intent"]["name"] == intent


@pytest.mark.parametrize(
    "text", ["And its head office is in Brussels, correct?", "本部はジュネーブですよね？"]
)
def test_a_head_office_supposed_elsewhere_gets_the_head_office(text):
    assert reread(parse("ask_office_contact", "Brussels"), text)["intent"]["name"] == (
        "ask_headquarters"
    )


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("どこに相談すればいいですか", "out_of_scope"),
        ("どちらに問い合わせればよいでしょうか", "nlu_fallback"),
        ("who should we talk to?", "ask_why_cities"),
    ],
)
def test_whom_to_contact_after_a_preamble_naming_a_place_is_the_office(text, intent):
    context = f"ブラジルの自治体なんですが、{text}"
    assert reread(parse(intent), text, context)["intent"]["name"] == "ask_office_contact"
    # Without a place anywhere there is no office to give.
    assert reread(parse(intent), text)["intent"]["name"] != "ask_office_contact"
