"""What the bot answers, as response names plus values: pure functions over the knowledge."""

from bot.answers.reply import Reply

__all__ = ["Reply"]
