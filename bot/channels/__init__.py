"""Rasa input channels of the assistant, one per module (LINE: `bot.channels.line`).

Rasa imports this package in the server process when it loads credentials.yml, before any
message: the place to install this project's Rasa patches (bot/rasa_compat.py)."""

from bot import rasa_compat

rasa_compat.install()
