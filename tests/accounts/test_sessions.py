"""A shared office PC does not stay signed in: sessions end with the browser, after hours idle, and
SESSION_MAX_HOURS after the sign-in however active they were; a page's own polling does not count as
the person being there."""

import time_machine
from django.conf import settings

from accounts.middleware import SIGNED_IN_KEY

PAGE, POLL = "/reporting/", "/api/v1/dashboard/cockpit/"
IDLE = settings.SESSION_IDLE_MINUTES
MAX_HOURS = settings.SESSION_MAX_HOURS


def test_sessions_end_when_the_browser_closes():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_a_session_idle_too_long_is_signed_out_with_a_chinese_message(client, township_a_user):
    with time_machine.travel("2024-12-05 09:00 +0800", tick=False) as clock:
        client.force_login(township_a_user)
        assert client.get(PAGE).status_code == 200
        clock.shift(60 * (IDLE + 1))

        response = client.get(PAGE, follow=True)

    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "没有操作,为保护数据已自动退出" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session(client, township_a_user):
    with time_machine.travel("2024-12-05 09:00 +0800", tick=False) as clock:
        client.force_login(township_a_user)
        client.get(PAGE)
        clock.shift(60 * (IDLE - 30))
        client.get(PAGE)
        clock.shift(60 * 60)

        response = client.get(PAGE)

    assert response.status_code == 200


def test_the_pages_own_polling_does_not_keep_the_session(client, township_a_user):
    with time_machine.travel("2024-12-05 09:00 +0800", tick=False) as clock:
        client.force_login(township_a_user)
        client.get(PAGE)
        for _ in range(IDLE // 60):
            clock.shift(3600)
            client.get(POLL, HTTP_X_PORTAL_POLL="1")
        clock.shift(60 * 2)

        poll = client.get(POLL, HTTP_X_PORTAL_POLL="1")

    assert poll.status_code == 401
    assert "自动退出" in poll.json()["error"]["message"]


def _sign_in(client, user) -> None:
    """Through the sign-in page, as a person does (django-axes and the sign-in time included)."""
    user.set_password("session-pw")
    user.save()
    response = client.post("/accounts/login/", {"username": user.username, "password": "session-pw"})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_a_session_used_every_four_hours_still_ends_at_the_limit(client, township_a_user):
    """Issue 23.4: activity re-saved the session and moved its expiry; signed in at +48 h."""
    assert MAX_HOURS == 12
    with time_machine.travel("2024-12-05 09:00 +0800", tick=False) as clock:
        _sign_in(client, township_a_user)
        for _ in range(3):  # 13:00, 17:00, 21:00: 12 hours after the sign-in is 21:00
            clock.shift(4 * 3600)
            assert client.get(PAGE).status_code == 200
        clock.shift(3600)  # 22:00, 13 hours after the sign-in, one after the last request

        response = client.get(PAGE, follow=True)

    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "每次登录最长可使用12小时,已到期" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_session_ends_one_hour_past_the_limit_whatever_the_requests_before(client, township_a_user):
    with time_machine.travel("2024-12-05 09:00 +0800", tick=False) as clock:
        _sign_in(client, township_a_user)
        for _ in range(12 * 4):  # a request every quarter of an hour until the limit
            clock.shift(15 * 60)
            assert client.get(PAGE).status_code == 200
        clock.shift(60 * 60)  # +13 h

        poll = client.get(POLL)

    assert poll.status_code == 401
    assert "已到期" in poll.json()["error"]["message"]


def test_a_session_without_a_recorded_sign_in_time_is_ended(client, township_a_user):
    """Sessions made before the sign-in time was recorded have no known age."""
    client.force_login(township_a_user)
    session = client.session
    del session[SIGNED_IN_KEY]
    session.save()

    response = client.get(PAGE)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
