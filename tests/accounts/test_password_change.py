"""Changing one's own password (issues 22.8 and 23.3): a page in the portal's own look for every role,
linked from the top bar, rules in Chinese, the session kept; wrong current passwords count as failed
sign-ins (django-axes), lock the username at that address and sign the session out."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings

PAGE = "/accounts/password_change/"
OLD, NEW = "pw-for-tests", "Qj-new-2024-pass"
LIMIT = settings.AXES_FAILURE_LIMIT


def _change(client, old: str, new: str = NEW, **extra):
    return client.post(PAGE, {"old_password": old, "new_password1": new, "new_password2": new}, **extra)


@pytest.fixture
def every_role(bureau_user, leader_user, township_a_user, django_user_model):
    root = django_user_model.objects.create_superuser("root", password=OLD)
    return [bureau_user, leader_user, township_a_user, root]


def test_every_role_has_the_page_in_the_portals_look_linked_from_the_top_bar(client, every_role):
    for user in every_role:
        client.force_login(user)

        page = client.get(PAGE)
        home = client.get("/")

        assert page.status_code == 200, user
        text = page.content.decode()
        assert "修改密码" in text and 'class="topbar"' in text  # templates/base.html, not the admin's
        assert "site-name" not in text and "没有这个页面的访问权限" not in text
        assert f'href="{PAGE}"' in home.content.decode(), user


def test_a_township_changes_its_password_and_stays_signed_in(client, township_a_user):
    client.force_login(township_a_user)

    response = _change(client, OLD, follow=True)

    township_a_user.refresh_from_db()
    assert township_a_user.check_password(NEW)
    assert response.redirect_chain[-1][0] == "/" and response.status_code == 200
    assert "密码已修改,下次登录请使用新密码" in response.content.decode()
    assert client.session["_auth_user_id"] == str(township_a_user.pk)


def test_the_password_rules_speak_chinese_whatever_the_browser_asks_for(client, leader_user):
    client.force_login(leader_user)

    response = _change(client, OLD, "1234", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    text = response.content.decode()
    assert response.status_code == 200
    assert "密码太短,至少需要10个字符" in text and "密码不能全是数字" in text
    assert "This password" not in text and "Your password" not in text
    leader_user.refresh_from_db()
    assert leader_user.check_password(OLD)


def test_a_wrong_current_password_says_so_in_chinese_and_is_recorded_like_a_failed_sign_in(
    client, leader_user
):
    client.force_login(leader_user)

    response = _change(client, "guess")

    assert "原密码不正确" in response.content.decode()
    failure = AccessFailureLog.objects.get(username="leader")
    assert (
        failure.path_info == PAGE and AccessAttempt.objects.get(username="leader").failures_since_start == 1
    )


def test_wrong_current_passwords_lock_the_account_and_sign_the_session_out(client, leader_user):
    client.force_login(leader_user)
    for _ in range(LIMIT - 1):
        assert _change(client, "guess").status_code == 200

    response = _change(client, "guess")

    assert response.status_code == 429 and "登录已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(PAGE).status_code == 302  # signed out: to the sign-in page


def test_thirty_wrong_current_passwords_then_the_right_one_change_nothing(client, leader_user):
    """Issue 23.3: 30 wrong guesses from a signed-in session, then the right one changed the password."""
    for _ in range(30):
        if "_auth_user_id" not in client.session:
            client.force_login(leader_user)  # another session of the same person, as an attacker would hold
        _change(client, "guess")
    client.force_login(leader_user)

    response = _change(client, OLD)

    assert response.status_code == 429
    leader_user.refresh_from_db()
    assert leader_user.check_password(OLD) and not leader_user.check_password(NEW)
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_at_the_sign_in_page_too(client, leader_user):
    client.force_login(leader_user)
    for _ in range(LIMIT):
        _change(client, "guess")

    response = client.post("/accounts/login/", {"username": "leader", "password": OLD})

    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_the_right_current_password_before_the_limit_changes_it_and_clears_the_count(client, leader_user):
    client.force_login(leader_user)
    for _ in range(LIMIT - 1):
        _change(client, "guess")

    response = _change(client, OLD)

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="leader").exists()
    leader_user.refresh_from_db()
    assert leader_user.check_password(NEW)


def test_the_new_password_must_differ_from_the_current_one(client, leader_user):
    client.force_login(leader_user)
    leader_user.set_password("Qj-same-2024-pass")
    leader_user.save()
    client.force_login(leader_user)

    response = _change(client, "Qj-same-2024-pass", "Qj-same-2024-pass")

    assert "新密码不能与原密码相同" in response.content.decode()


def test_the_admins_password_pages_send_bureau_staff_to_the_portals(client, bureau_user):
    client.force_login(bureau_user)

    for url in ("/admin/password_change/", "/admin/password_change/done/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == PAGE, url


def test_the_old_done_page_is_gone(client, leader_user):
    client.force_login(leader_user)

    assert client.get("/accounts/password_change/done/").status_code == 404


def test_an_account_without_a_role_or_signed_out_cannot_change_a_password(client, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password=OLD)

    signed_out = _change(client, OLD)
    client.force_login(nobody)
    no_role = _change(client, OLD)

    assert signed_out.status_code == 302 and signed_out["Location"].startswith("/accounts/login/")
    assert no_role.status_code == 403
    nobody.refresh_from_db()
    assert nobody.check_password(OLD)
