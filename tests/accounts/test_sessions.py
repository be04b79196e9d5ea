"""A shared office PC does not stay signed in: sessions end with the browser and after hours idle;
a page's own polling does not count as the person being there."""

import time_machine
from django.conf import settings

PAGE, POLL = "/reporting/", "/api/v1/dashboard/cockpit/"
IDLE = settings.SESSION_IDLE_MINUTES


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
