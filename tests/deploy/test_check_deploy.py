"""`manage.py check --deploy` under the production settings, with exactly the variables .env.example
documents (placeholders replaced by real-looking values), finds nothing to warn about."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _documented_environment() -> dict[str, str]:
    found = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            found[name.strip()] = value.strip()
    found["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    return found


def _check(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "qianjiang_hrss.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_variables():
    result = _check(_documented_environment())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_the_placeholder_secret_key():
    env = {**_documented_environment(), "DJANGO_SECRET_KEY": "change-me"}

    result = _check(env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
