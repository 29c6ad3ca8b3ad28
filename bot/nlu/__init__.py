"""Rasa graph components for a Japanese/English assistant: tokenizer, language detector."""
