"""Small things a newcomer meets (issue 22 point 15): `make run` prints the demo logins last, at the
address runserver listens on; the portal has an icon of its own."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("addr", "shown"),
    [
        ("0.0.0.0:8123", "http://127.0.0.1:8123"),
        ("127.0.0.1:9000", "http://127.0.0.1:9000"),
        ("8200", "http://127.0.0.1:8200"),
    ],
)
def test_the_demo_logins_name_the_address_runserver_listens_on(addr, shown):
    out = io.StringIO()
    call_command("create_demo_users", "--print-only", "--addr", addr, stdout=out)
    text = out.getvalue()
    assert f"登录:{shown}/accounts/login/" in text and f"管理后台:{shown}/admin/" in text
    assert "leader" in text and "qianjiang2024" in text


def test_make_run_prints_the_logins_after_the_demo_and_just_before_the_server():
    recipe = ROOT.joinpath("Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    steps = [line.strip() for line in recipe.splitlines() if "manage.py" in line]
    assert [re.search(r"manage\.py (\S+)", s).group(1) for s in steps] == [
        "migrate", "load_org_units", "create_demo_users", "load_demo", "create_demo_users", "runserver",
    ]  # fmt: skip
    assert "--quiet" in steps[2] and "--print-only --addr $(RUNSERVER_ADDR)" in steps[4]


@pytest.mark.django_db
def test_every_page_has_the_portals_icon(client, leader_user, bureau_user):
    icon = ROOT / "static" / "favicon.svg"
    assert icon.read_text().startswith("<svg")
    assert 'href="/static/favicon.svg"' in client.get("/accounts/login/").content.decode()
    client.force_login(bureau_user)
    assert 'href="/static/favicon.svg"' in client.get("/admin/").content.decode()
