"""An account nobody has given a role can do nothing (fail closed), on every door."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.permissions import has_portal_role, is_bureau, visible_org_units
from indicators.models import MonthlyValue
from tests.conftest import TOWNSHIP_B

JOBS = "employment.urban_new_jobs"
NO_ROLE = "尚未分配角色"


@pytest.fixture
def roleless(db) -> User:
    return User.objects.create_user("newcomer", password="pw-for-tests")


def test_an_account_created_without_a_role_gets_no_role_and_no_powers(roleless):
    assert roleless.role == ""
    assert not has_portal_role(roleless)
    assert not is_bureau(roleless)
    assert not visible_org_units(roleless).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/dashboard/",
        "/dashboard/warnings/",
        "/reporting/",
        "/reporting/status/",
        "/reporting/status/export.xlsx",
        "/admin/",
        "/api/docs/",
    ],
)
def test_an_account_without_a_role_reaches_only_a_page_saying_so(client, roleless, orgs, path):
    client.force_login(roleless)

    response = client.get(path)

    assert response.status_code == 403
    assert NO_ROLE in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/api/v1/monthly-values/", "/api/v1/dashboard/cockpit/", "/api/v1/talent/certificates/summary/"]
)
def test_the_api_answers_an_account_without_a_role_with_403_in_chinese(client, roleless, orgs, path):
    client.force_login(roleless)

    response = client.get(path)

    assert response.status_code == 403
    assert NO_ROLE in response.json()["error"]["message"]


def test_an_account_without_a_role_cannot_change_any_townships_figure(client, roleless, put, orgs):
    put(JOBS, TOWNSHIP_B, 2024, 3, 50)
    figure = MonthlyValue.objects.get()
    client.force_login(roleless)

    response = client.patch(
        f"/api/v1/monthly-values/{figure.pk}/", {"value": "999"}, content_type="application/json"
    )

    assert response.status_code == 403
    figure.refresh_from_db()
    assert figure.value == Decimal(50)


def test_an_account_without_a_role_can_still_sign_out(client, roleless):
    client.force_login(roleless)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_township_account_needs_its_township(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("orphan", password="pw-for-tests", role=User.Role.TOWNSHIP)


def test_an_unknown_role_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("odd", password="pw-for-tests", role="mayor")


def test_createsuperuser_still_makes_an_account_that_can_do_everything(client, orgs, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-admin-password-2024")
    call_command("createsuperuser", interactive=False, username="root", email="root@example.gov.cn")
    root = User.objects.get(username="root")

    client.force_login(root)

    assert root.role == "" and has_portal_role(root) and is_bureau(root)
    assert client.get("/admin/").status_code == 200
    assert client.get("/reporting/status/").status_code == 200


def test_an_inactive_account_has_no_powers(bureau_user):
    bureau_user.is_active = False
    assert not has_portal_role(bureau_user) and not is_bureau(bureau_user)
