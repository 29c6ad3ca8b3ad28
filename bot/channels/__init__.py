"""Rasa input channels of the assistant, one per module (LINE: `bot.channels.line`)."""
