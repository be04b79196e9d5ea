"""Sign-in: wrong passwords lock a username at an address (django-axes), the bureau can unlock, the API
takes no Basic auth, and the API's description is for signed-in users only."""

from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from rest_framework.authtoken.models import Token

from indicators.models import MonthlyValue
from tests.conftest import TOWNSHIP_B

JOBS = "employment.urban_new_jobs"
LOGIN = "/accounts/login/"


def _sign_in(client, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": "bureau", "password": password}, REMOTE_ADDR=address)


def test_the_right_password_signs_in(client, bureau_user):
    response = _sign_in(client, "pw-for-tests")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bureau_user.pk)


def test_after_too_many_wrong_passwords_even_the_right_one_is_refused_in_chinese(client, bureau_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "guess")

    response = _sign_in(client, "pw-for-tests")

    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已暂时锁定" in page and "30分钟" in page
    assert "_auth_user_id" not in client.session
    assert AccessFailureLog.objects.filter(username="bureau").count() >= settings.AXES_FAILURE_LIMIT


def test_thirty_guesses_then_the_right_password_does_not_sign_in(client, bureau_user):
    for _ in range(30):
        _sign_in(client, "guess")

    assert _sign_in(client, "pw-for-tests").status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_only_for_the_address_the_guesses_came_from(client, bureau_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "guess", address="10.0.0.66")

    assert _sign_in(client, "pw-for-tests", address="10.0.0.7").status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, bureau_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "guess")
    _sign_in(client, "pw-for-tests")
    client.post("/accounts/logout/")

    _sign_in(client, "guess")

    assert _sign_in(client, "pw-for-tests").status_code == 302


def test_a_superuser_unlocks_a_locked_account_in_the_admin(client, django_user_model, leader_user):
    leader_user.set_password("leader-pw")
    leader_user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "leader", "password": "guess"}, REMOTE_ADDR="10.0.0.9")
    locked = AccessAttempt.objects.get(username="leader")
    client.force_login(django_user_model.objects.create_superuser("root", password="pw-for-tests"))

    client.post(
        "/admin/axes/accessattempt/",
        {"action": "unlock", "_selected_action": [locked.pk]},
    )
    client.logout()
    response = client.post(LOGIN, {"username": "leader", "password": "leader-pw"}, REMOTE_ADDR="10.0.0.9")

    assert not AccessAttempt.objects.exists()
    assert response.status_code == 302


def test_bureau_staff_leaders_and_townships_cannot_unlock(client, bureau_user, leader_user, township_a_user):
    # The sign-in records are for whoever runs security (issue 22 point 9); a lock ends by itself.
    for user in (bureau_user, leader_user, township_a_user):
        client.force_login(user)
        assert client.get("/admin/axes/accessattempt/").status_code in (302, 403)


def test_basic_auth_is_not_accepted_by_the_api(client, bureau_user, put):
    put(JOBS, TOWNSHIP_B, 2024, 3, 50)
    figure = MonthlyValue.objects.get()
    import base64

    credentials = base64.b64encode(b"bureau:pw-for-tests").decode()

    read = client.get("/api/v1/monthly-values/", HTTP_AUTHORIZATION=f"Basic {credentials}")
    write = client.patch(
        f"/api/v1/monthly-values/{figure.pk}/",
        {"value": "999"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )

    assert read.status_code in (401, 403) and write.status_code in (401, 403)
    figure.refresh_from_db()
    assert figure.value == Decimal(50)


def test_a_token_issued_by_the_administrator_reads_with_its_accounts_scope(client, township_a_user, put):
    put(JOBS, TOWNSHIP_B, 2024, 3, 50)
    token = Token.objects.create(user=township_a_user)

    response = client.get("/api/v1/monthly-values/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
    assert response.json()["results"] == []  # township B's figure is not township A's to see


def test_the_api_schema_and_docs_need_a_signed_in_user(client, db):
    assert client.get("/api/schema/").status_code in (401, 403)
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith(LOGIN)
    assert client.get("/api/redoc/").status_code == 302


@pytest.mark.parametrize("path", ["/accounts/password_reset/", "/accounts/reset/x/y/"])
def test_there_is_no_self_service_password_reset(client, db, path):
    assert client.get(path).status_code == 404
