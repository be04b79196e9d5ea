"""The admin as bureau staff use it (issue 22 point 9): Chinese whatever the browser says; the sign-in
records (django-axes) labelled in Chinese and shown only to whoever runs security (superusers), after the
bureau's own sections; a register's import notes above its buttons, not under them. And the API's
documentation (point 11): for those who program against it, with a way back."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_the_admin_speaks_chinese_to_an_english_browser(client, bureau_user):
    client.force_login(bureau_user)
    page = client.get("/admin/", **ENGLISH).content.decode()
    assert "数据管理" in page and "修改" in page
    for english in ("Site administration", "Recent actions", "View site", "Log out", ">Add<", ">Change<"):
        assert english not in page, english


def test_a_register_list_speaks_chinese_to_an_english_browser(client, bureau_user):
    client.force_login(bureau_user)
    page = client.get("/admin/employment/guaranteeloan/", **ENGLISH).content.decode()
    assert "选择 创业担保贷款 来修改" in page and "Select" not in page and "Filter" not in page


def test_the_bureau_does_not_see_the_sign_in_records(client, bureau_user):
    client.force_login(bureau_user)
    page = client.get("/admin/").content.decode()
    assert "登录安全" not in page and "Axes" not in page.replace("axes", "") and "Access attempts" not in page
    assert client.get("/admin/axes/accessattempt/").status_code == 403


def test_a_superuser_sees_them_in_chinese_after_the_bureaus_sections_without_add(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="pw-for-tests")
    client.force_login(root)
    page = client.get("/admin/", **ENGLISH).content.decode()
    for label in ("登录安全", "登录锁定计数", "登录记录", "密码错误记录"):
        assert label in page, label
    assert "Access attempts" not in page and "Access logs" not in page
    assert page.index("登录安全") > page.index("就业") and page.index("登录安全") > page.index("区镇街道月报")
    assert 'href="/admin/axes/accessattempt/add/"' not in page
    AccessAttempt.objects.create(
        username="leader",
        ip_address="10.0.0.9",
        user_agent="x",
        http_accept="x",
        path_info="/",
        failures_since_start=3,
    )
    listing = client.get("/admin/axes/accessattempt/", **ENGLISH).content.decode()
    assert "用户名" in listing and "IP地址" in listing and "Username" not in listing


def test_the_chinese_for_django_axes_is_compiled_from_its_source():
    """locale/zh_Hans/LC_MESSAGES/django.mo is what Django reads: it must say what django.po says."""
    folder = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
    compiled = subprocess.run(
        ["msgfmt", "-o", "-", str(folder / "django.po")], capture_output=True, check=True
    ).stdout
    assert compiled == (folder / "django.mo").read_bytes()


def test_a_registers_import_notes_stand_above_its_buttons_not_under_them(client, bureau_user):
    client.force_login(bureau_user)
    page = client.get("/admin/employment/guaranteeloan/").content.decode()
    tools = page.split('<div class="register-tools">')[1]
    assert tools.index("导入说明") < tools.index('class="object-tools"')
    css = (Path(settings.BASE_DIR) / "static" / "css" / "admin.css").read_text()
    assert ".register-tools ul.object-tools { float: none; position: static;" in css


# --- the API's documentation ---


@pytest.mark.parametrize("who", ["leader_user", "township_a_user"])
def test_the_api_documentation_is_not_in_the_menu_of_those_who_do_not_program(client, who, request):
    client.force_login(request.getfixturevalue(who))
    page = client.get("/notices/").content.decode()
    assert "接口文档" not in page
    refused = client.get("/api/docs/")
    assert refused.status_code == 403 and "接口文档供局业务科室查看" in refused.content.decode()


def test_the_bureau_finds_the_api_documentation_with_a_way_back(client, bureau_user):
    client.force_login(bureau_user)
    assert 'href="/api/docs/">接口文档</a>' in client.get("/notices/").content.decode()
    for url in ("/api/docs/", "/api/redoc/"):
        page = client.get(url).content.decode()
        assert '<a class="brand" href="/">← 返回数据门户</a>' in page, url
