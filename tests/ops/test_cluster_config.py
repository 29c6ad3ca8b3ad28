"""The cluster's generated configuration, checked without starting the cluster."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from bot.ops.cluster import PRODUCTION_ENDPOINTS, replica_env
from bot.ops.nginx import NginxBalancer, render_config
from bot.ops.processes import PROJECT_ROOT, endpoints_file


class FakeService:
    port = 6543


def production_variables() -> set[str]:
    text = (PROJECT_ROOT / PRODUCTION_ENDPOINTS).read_text()
    return set(re.findall(r"\$\{(\w+)\}", text))


def test_the_cluster_sets_every_variable_the_production_endpoints_read() -> None:
    env = replica_env(FakeService(), FakeService(), 7000)  # type: ignore[arg-type]
    assert production_variables() <= set(env)
    assert env["RASA_ENDPOINTS"] == PRODUCTION_ENDPOINTS
    assert env["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:7000/webhook"


def test_rasa_reads_postgresql_and_redis_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rasa.core.utils import read_endpoints_from_path

    for name, value in replica_env(FakeService(), FakeService(), 7000).items():  # type: ignore[arg-type]
        monkeypatch.setenv(name, value)
    endpoints = read_endpoints_from_path(PROJECT_ROOT / PRODUCTION_ENDPOINTS)
    assert endpoints.tracker_store.type == "bot.tracker_store.CachedSQLTrackerStore"
    assert endpoints.tracker_store.kwargs["dialect"] == "postgresql"
    assert endpoints.tracker_store.kwargs["port"] == "6543"
    assert endpoints.lock_store.type == "redis"
    assert endpoints.lock_store.url == "127.0.0.1"
    assert endpoints.action.url == "http://127.0.0.1:7000/webhook"


def test_a_missing_variable_stops_rasa_with_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.utils import read_endpoints_from_path
    from rasa.shared.exceptions import RasaException

    for name in production_variables():
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(RasaException, match="ACTION_ENDPOINT_URL"):
        read_endpoints_from_path(PROJECT_ROOT / PRODUCTION_ENDPOINTS)


def test_the_endpoints_file_is_chosen_by_rasa_endpoints() -> None:
    assert endpoints_file({}) == "endpoints.yml"
    assert endpoints_file({"RASA_ENDPOINTS": " "}) == "endpoints.yml"
    assert endpoints_file({"RASA_ENDPOINTS": PRODUCTION_ENDPOINTS}) == PRODUCTION_ENDPOINTS


def test_the_balancer_config_lists_every_replica_and_nginx_accepts_it(tmp_path: Path) -> None:
    config = render_config(tmp_path, 8080, [5101, 5102], 8081, [5201, 5202])
    for port in (5101, 5102, 5201, 5202):
        assert f"server 127.0.0.1:{port} " in config
    assert "listen 127.0.0.1:8080;" in config and "listen 127.0.0.1:8081;" in config
    config_file = tmp_path / "nginx.conf"
    config_file.write_text(config)
    result = subprocess.run(
        [NginxBalancer.binary(), "-t", "-p", str(tmp_path), "-c", str(config_file), "-e", "stderr"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_balancer_needs_a_replica(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        render_config(tmp_path, 8080, [], 8081, [5201])
