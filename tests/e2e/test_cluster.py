"""`make cluster` for real: nginx in front of two Rasa replicas and two action servers, a
PostgreSQL tracker store and a Redis lock store. One conversation's messages go to both
replicas, one after the other and all at once; its state and its order must hold."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.enquiries import EnquiryStore
from bot.ops.cluster import ENQUIRY_DATABASE, Cluster
from bot.ops.processes import DEFAULT_MODEL

pytestmark = pytest.mark.model

REFERENCE = re.compile(r"ICLEI-\d{4}-\d{6}")
API_TOKEN = "cluster-test-token-" + uuid.uuid4().hex


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    if not DEFAULT_MODEL.exists():
        pytest.fail(f"no trained model at {DEFAULT_MODEL}: run `make train` first")
    # Not pytest's tmp_path: nginx's workers and PostgreSQL run as other users.
    directory = Path(tempfile.mkdtemp(prefix="iclei-cluster-"))
    os.chmod(directory, 0o755)
    cluster = Cluster(directory, keep_data=False, extra_env={"RASA_API_TOKEN": API_TOKEN})
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


def post(base_url: str, sender: str, message: str) -> list[dict]:
    request = urllib.request.Request(
        f"{base_url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        assert response.status == 200
        return json.loads(response.read())


def texts(messages: list[dict]) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def turns(cluster: Cluster, sender: str) -> list[tuple[str, list[str]]]:
    """The conversation as the tracker store holds it: (user text, bot texts) per turn, after
    checking that every turn ends with the bot listening before the next user message."""
    engine = sa.create_engine(cluster.tracker_database_url())
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"),
            {"s": sender},
        ).fetchall()
    engine.dispose()
    result: list[tuple[str, list[str]]] = []
    last_action = None
    for type_name, data in rows:
        event = json.loads(data)
        if type_name == "user":
            # The previous turn finished (the bot went back to listening) before this one.
            assert not result or last_action == "action_listen", f"interleaved turns: {result}"
            result.append((event["text"], []))
        elif type_name == "bot" and result:
            result[-1][1].append(event.get("text") or "")
        elif type_name == "action":
            last_action = event.get("name")
    assert last_action == "action_listen"
    return result


def test_both_replicas_answer_through_the_balancer(cluster: Cluster) -> None:
    sender = f"lb-{uuid.uuid4().hex[:8]}"
    before = cluster.nginx.access_log.read_text() if cluster.nginx.access_log.exists() else ""
    for message in ["hello", "What is ICLEI?", "こんにちは", "設立はいつですか"]:
        assert post(cluster.url, sender, message)
    log = cluster.nginx.access_log.read_text()[len(before) :]
    served = {line.split()[4] for line in log.splitlines() if "/webhooks/rest/webhook" in line}
    assert served == {f"127.0.0.1:{port}" for port in cluster.ports.rasa}


def test_a_form_filled_on_alternating_replicas_keeps_its_state(cluster: Cluster) -> None:
    sender = f"alt-{uuid.uuid4().hex[:8]}"
    email = f"taro.{uuid.uuid4().hex[:6]}@city.yokohama.lg.jp"
    steps = [
        ("会員になりたいです", "同意"),
        ("はい、同意します", "自治体名"),
        ("横浜市", "国"),
        ("日本", "お名前"),
        ("山田 太郎", "メールアドレス"),
        (email, "役職"),
        ("スキップ", "人口"),
        ("スキップ", "メッセージ"),
        ("スキップ", "横浜市"),
    ]
    for number, (message, expected) in enumerate(steps):
        replica = cluster.replica_urls[number % 2]
        answer = texts(post(replica, sender, message))
        assert expected in answer, (number, message, answer)
    assert "日本事務所" in answer and email in answer  # the summary holds every earlier answer
    done = texts(post(cluster.replica_urls[len(steps) % 2], sender, "はい、送信してください"))
    reference = REFERENCE.search(done)
    assert reference, done
    # The enquiry reached the shared PostgreSQL database exactly once.
    store = EnquiryStore(cluster.postgres.url(ENQUIRY_DATABASE))
    rows = [enquiry for enquiry in store.list() if enquiry.email == email]
    assert [row.reference for row in rows] == [reference.group(0)]
    # The tracker store holds the turns in the order they were sent.
    assert [user for user, _ in turns(cluster, sender)] == [m for m, _ in steps] + [
        "はい、送信してください"
    ]


def test_a_follow_up_on_the_other_replica_knows_the_office(cluster: Cluster) -> None:
    sender = f"follow-{uuid.uuid4().hex[:8]}"
    first = texts(post(cluster.replica_urls[0], sender, "日本の事務所はどこですか"))
    assert "日本事務所" in first
    follow_up = texts(post(cluster.replica_urls[1], sender, "電話番号は？"))
    # Only the office the first replica set in the tracker can explain this answer.
    assert "電話番号" in follow_up and "日本事務所" in follow_up


QUESTIONS = {
    "Where is the Canada office?": "Canada Office",
    "Where is the Japan office?": "Japan Office",
    "Address of the Brussels office please": "Brussels Office",
    "Where is the USA office?": "USA Office",
    "カナダ事務所の住所を教えてください": "カナダ事務所",
    "日本事務所はどこにありますか": "日本事務所",
    "ブリュッセル事務所の住所は？": "ブリュッセル事務所",
    "米国事務所の連絡先を教えて": "米国事務所",
}


def test_concurrent_messages_of_one_conversation_are_handled_one_at_a_time(
    cluster: Cluster,
) -> None:
    sender = f"burst-{uuid.uuid4().hex[:8]}"
    post(cluster.url, sender, "hello")
    targets = [cluster.replica_urls[i % 2] for i in range(len(QUESTIONS))]
    with ThreadPoolExecutor(max_workers=len(QUESTIONS)) as pool:
        answers = list(pool.map(lambda q, url: texts(post(url, sender, q)), QUESTIONS, targets))
    # Each message got its own answer, not its neighbour's.
    for (question, expected), answer in zip(QUESTIONS.items(), answers, strict=True):
        assert expected in answer, (question, answer)
    history = turns(cluster, sender)[1:]
    # Every message is in the tracker once, as a whole turn (the lock kept them apart), and
    # the bot's stored words for each turn are exactly what its sender received.
    assert sorted(user for user, _ in history) == sorted(QUESTIONS)
    received = dict(zip(QUESTIONS, answers, strict=True))
    for user, bot_texts in history:
        assert "\n".join(bot_texts) == received[user]


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_http_api_is_on_only_behind_its_token(cluster: Cluster) -> None:
    sender = f"api-{uuid.uuid4().hex[:8]}"
    post(cluster.url, sender, "hello")
    tracker = f"{cluster.url}/conversations/{sender}/tracker"
    assert http_status(f"{cluster.url}/status") == 401
    assert http_status(tracker) == 401
    assert http_status(f"{tracker}?token=wrong-{API_TOKEN}") == 401
    assert http_status(f"{cluster.url}/status?token={API_TOKEN}") == 200
    with urllib.request.urlopen(f"{tracker}?token={API_TOKEN}", timeout=30) as response:
        assert json.loads(response.read())["latest_message"]["text"] == "hello"


def test_the_conversation_goes_on_when_a_replica_dies(cluster: Cluster) -> None:
    sender = f"failover-{uuid.uuid4().hex[:8]}"
    assert "日本事務所" in texts(post(cluster.url, sender, "日本の事務所はどこですか"))
    replica = cluster.servers.processes[-1]  # the second Rasa replica, started last
    replica.kill()
    replica.wait()
    for _ in range(4):  # round robin would send half of these to the dead replica
        assert "日本事務所" in texts(post(cluster.url, sender, "電話番号は？"))
    with pytest.raises(urllib.error.URLError):
        post(cluster.replica_urls[1], sender, "hello")
