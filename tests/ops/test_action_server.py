"""The action server answers only the Rasa servers: loopback by default, shared secret."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from bot.action_server import authorised, create_app
from bot.ops.processes import PROJECT_ROOT, ServerGroup, free_port, wait_for_http

TOKEN = "t" * 32
# A forged call like the one the security review made: submit an enquiry with made-up slots.
FORGED = {
    "next_action": "action_submit_enquiry",
    "sender_id": "attacker",
    "tracker": {
        "sender_id": "attacker",
        "slots": {"enquiry_organisation": "URGENT: reset your password", "enquiry_consent": True},
        "latest_message": {},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": None,
    },
    "domain": {},
    "version": "3.6.2",
}


def test_the_secret_is_compared_exactly():
    assert authorised(TOKEN, TOKEN)
    assert not authorised(None, TOKEN) and not authorised("", TOKEN)
    assert not authorised(TOKEN[:-1], TOKEN) and not authorised(TOKEN + "x", TOKEN)


def test_a_short_secret_is_refused():
    with pytest.raises(ValueError, match="ACTION_SERVER_TOKEN"):
        create_app("short")


@pytest.fixture(scope="module")
def action_server() -> Iterator[str]:
    port = free_port()
    group = ServerGroup()
    env = {"ACTION_SERVER_TOKEN": TOKEN, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT)}
    group.start(
        [sys.executable, "-m", "bot.action_server", "--port", str(port)],
        env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for_http(f"http://127.0.0.1:{port}/health", group, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        group.stop()


def post(url: str, body: dict) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_forged_call_without_the_secret_is_refused(action_server):
    assert post(f"{action_server}/webhook", FORGED) == 401
    assert post(f"{action_server}/webhook?token=wrong-{TOKEN}", FORGED) == 401


def test_the_rasa_servers_call_with_the_secret_is_run(action_server):
    call = dict(FORGED, next_action="action_list_offices")
    assert post(f"{action_server}/webhook?token={TOKEN}", call) == 200


def test_it_listens_on_loopback_only(action_server):
    port = int(action_server.rsplit(":", 1)[1])
    listening = set()
    with open("/proc/net/tcp") as table:
        for line in list(table)[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                listening.add(address)
    assert listening == {"0100007F"}  # 127.0.0.1, not 0.0.0.0


def test_it_replays_the_spool_on_its_own(tmp_path):
    """An enquiry spooled while the database was away is stored by the action server within
    seconds of the database's return, with no submission to trigger the replay."""
    import time

    from bot.enquiries import EnquiryStore, Spool
    from tests.enquiries.conftest import make_draft

    blocked = tmp_path / "data"
    blocked.write_text("the database's directory is away")
    url = f"sqlite:///{blocked / 'enquiries.db'}"
    spool = Spool(tmp_path / "spool")
    spool.append(make_draft(), "spooled-while-away")
    port = free_port()
    group = ServerGroup()
    env = {
        "ACTION_SERVER_TOKEN": TOKEN,
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(PROJECT_ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "DATABASE_URL": url,
        "ENQUIRY_SPOOL_DIR": str(spool.directory),
        "ENQUIRY_SPOOL_REPLAY_SECONDS": "0.5",
    }
    group.start(
        [sys.executable, "-m", "bot.action_server", "--port", str(port)],
        env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for_http(f"http://127.0.0.1:{port}/health", group, timeout=60)
        time.sleep(1.5)
        assert spool.pending() == 1  # tried, database still away: kept
        blocked.unlink()  # the database is back
        deadline = time.monotonic() + 10
        while spool.pending() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert spool.pending() == 0
    finally:
        group.stop()
    store = EnquiryStore(url)
    assert [e.organisation for e in store.list()] == ["横浜市"]
    store.dispose()
