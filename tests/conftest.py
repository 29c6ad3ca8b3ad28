"""Shared pytest set-up: markers, and telemetry off for anything that imports Rasa."""

import os

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


def pytest_configure(config):
    config.addinivalue_line("markers", "model: needs the trained model and running servers")
