"""The backup job in docker-compose.yml: run by the operator (cron), never by `up`, reaching nothing from
outside, and backing up the very media volume the web and worker write the uploads to."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
BACKUP = COMPOSE["services"]["backup"]


def test_the_backup_job_runs_only_when_asked_and_publishes_no_port():
    assert BACKUP["profiles"] == ["backup"]
    assert BACKUP["restart"] == "no"
    assert "ports" not in BACKUP


def test_the_backup_job_backs_up_the_media_volume_the_portal_writes():
    assert "media:/app/media" in BACKUP["volumes"]
    assert "media:/app/media" in COMPOSE["services"]["web"]["volumes"]
    assert any(volume.endswith(":/backups") for volume in BACKUP["volumes"])
    assert BACKUP["command"].startswith("python manage.py backup_portal --dir /backups")


def test_the_image_has_the_postgresql_client_of_the_compose_server():
    server = COMPOSE["services"]["postgres"]["image"].split(":")[1]
    assert f"postgresql-client-{server}" in (ROOT / "Dockerfile").read_text()
