"""The production stack as docker-compose.yml declares it: nginx is the only door from outside, and its
body limit is the portal's. (No Docker engine runs here; the files are read, and nginx itself is run
against its config in test_proxy.py.)"""

import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
NGINX = (ROOT / "deploy" / "nginx" / "nginx.conf").read_text()


def _directives(name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;{{]+);", NGINX, flags=re.MULTILINE)


def test_only_nginx_publishes_a_port():
    published = {name for name, service in COMPOSE["services"].items() if service.get("ports")}
    assert published == {"nginx"}


def test_the_stack_has_every_service_it_needs():
    # `docker compose up` starts the services without a profile; the backup job has one (tests/backups).
    started = {name for name, service in COMPOSE["services"].items() if not service.get("profiles")}
    assert started == {"nginx", "web", "worker", "beat", "postgres", "redis"}
    assert COMPOSE["services"]["nginx"]["image"].startswith("nginx:")


def test_nginx_proxies_to_the_gunicorn_service():
    assert _directives("server") == ["web:8000"]
    assert "8000" in [str(p) for p in COMPOSE["services"]["web"].get("expose", [])]


def test_nginx_refuses_bodies_past_the_portals_limit():
    [limit] = _directives("client_max_body_size")
    assert limit.endswith("m")
    assert int(limit[:-1]) * 1024 * 1024 == settings.REQUEST_MAX_BODY_BYTES


def test_nginx_sets_the_forwarded_headers_itself():
    headers = dict(value.split(None, 1) for value in _directives("proxy_set_header"))
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["X-Real-IP"] == "$remote_addr"


def test_the_nginx_files_compose_mounts_are_in_the_repository():
    for volume in COMPOSE["services"]["nginx"]["volumes"]:
        source = volume.split(":", 1)[0]
        assert (ROOT / source).exists(), source


def test_the_read_replica_is_a_streaming_standby_of_the_compose_postgres_started_by_its_profile():
    replica = COMPOSE["services"]["postgres-replica"]
    assert replica["profiles"] == ["replica"]
    assert replica["image"] == COMPOSE["services"]["postgres"]["image"]
    assert "pg_basebackup -h postgres" in replica["command"] and " -R " in replica["command"]
    assert not replica.get("ports")


def test_the_primary_lets_the_replica_connect_for_replication():
    mounts = [v.split(":") for v in COMPOSE["services"]["postgres"]["volumes"]]
    [source] = [source for source, target, *_ in mounts if target.startswith("/docker-entrypoint-initdb.d/")]
    script = (ROOT / source).read_text()
    assert 'host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"' in script
