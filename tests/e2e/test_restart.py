"""Conversations live in the SQL tracker store: a half-filled form survives a restart."""

from __future__ import annotations

import json
import subprocess
import urllib.request
import uuid

import pytest

from bot.ops.processes import Ports, free_port, start_servers

pytestmark = pytest.mark.model


def _say(port: int, sender: str, message: str) -> str:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(
        f"http://localhost:{port}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return "\n".join(m.get("text", "") for m in json.loads(response.read()))


def test_half_filled_form_continues_after_restart(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'enquiries.db'}",
           "ENQUIRY_SPOOL_DIR": str(tmp_path / "spool")}  # fmt: skip
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    ports = Ports(rasa=free_port(), action=free_port())
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    group = start_servers(ports, extra_env=env, **quiet)
    try:
        _say(ports.rasa, sender, "会員になりたいです")
        _say(ports.rasa, sender, "はい、同意します")
        assert "国" in _say(ports.rasa, sender, "横浜市")
    finally:
        group.stop()

    ports = Ports(rasa=free_port(), action=free_port())
    group = start_servers(ports, extra_env=env, **quiet)
    try:
        # The form goes on where it was, in Japanese: the country, then the name.
        assert "お名前" in _say(ports.rasa, sender, "日本")
    finally:
        group.stop()
