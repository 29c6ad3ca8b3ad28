"""Rasa input channels of the assistant, one per module (LINE: `bot.channels.line`).

Rasa imports this package in the server process when it loads credentials.yml, before any
message: the place to install the server-side speed-up of action response validation."""

from bot import action_response_validation

action_response_validation.install()
