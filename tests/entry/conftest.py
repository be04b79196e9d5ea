"""A small, hand-countable world for the month sheet and the quota split (2024, 园林街道 = A).

城镇新增就业人数 (urban new jobs, flow): city quota 7,000 for 2024; 市本级 entered 100 in January
and February; A entered 50 a month in January and February; 2023 March at 市本级 was 120."""

import pytest

from accounts.models import User
from tests.dashboard.test_browser import browser, shots  # noqa: F401 (the browser tests' fixtures)

JOBS = "employment.urban_new_jobs"
REEMPLOYED = "employment.unemployed_reemployed"
HARDSHIP = "employment.hardship_reemployed"
PENSION = "social_insurance.pension_insured"
CITY, A, B = "429005", "429005001", "429005002"
SHEET_URL = "/admin/entry/sheet/"


@pytest.fixture
def world(put, set_quota, indicators, orgs):
    set_quota(JOBS, CITY, 2024, 7000)
    for month in (1, 2):
        put(JOBS, CITY, 2024, month, 100)
        put(JOBS, A, 2024, month, 50)
    put(JOBS, CITY, 2023, 3, 120)
    return indicators


@pytest.fixture
def clerk(db):
    return User.objects.create_user(
        "clerk", password="pw-for-tests", role=User.Role.BUREAU, is_staff=True, first_name="王经办"
    )


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def sheet_post(client, org: str, year: int, month: int, typed: dict, before: dict | None = None, **extra):
    """Post the sheet as the page would: every typed cell and the figure the page showed for it."""
    data = {f"v-{code}": text for code, text in typed.items()}
    data.update({f"o-{code}": (before or {}).get(code, "") for code in typed})
    data.update(extra)
    return client.post(f"{SHEET_URL}?org={org}&year={year}&month={month}", data)
