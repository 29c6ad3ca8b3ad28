"""A mixed Japanese / English message set, the way visitors ask."""

MESSAGES = [
    "hello",
    "こんにちは",
    "What is ICLEI?",
    "イクレイとはどんな団体ですか？",
    "When was ICLEI founded?",
    "設立はいつですか",
    "Where is the Japan office?",
    "韓国は？",
    "I'm in Kenya, which office should I contact?",
    "ブラジルの担当は？",
    "How many members does ICLEI have?",
    "職員は何人いますか",
    "What does ICLEI stand for?",
    "本部の住所を教えてください",
    "list your offices",
    "what's the weather tomorrow?",
    "thanks!",
    "ありがとうございました",
]
