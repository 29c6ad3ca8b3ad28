"""Dialogue checks staff can write: plain YAML conversations and what each answer must say
(docs/dialogue-checks.md), run against the assistant over REST."""
