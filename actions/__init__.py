"""Custom actions of the ICLEI assistant (run by the rasa_sdk action server)."""

from bot.knowledge import gazetteer

# Build the place index when the action server starts (about 1 s), not on a visitor's first
# question about a city.
gazetteer.lookup("")
