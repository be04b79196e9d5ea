"""Every list in the API answers at most API_MAX_PAGE_SIZE rows, whatever ?limit= asks (issue 23.7:
?limit=10000000 gave 8,184 rows, 3.2 MB, 1.9 s); the schema states the default and the cap."""

import pytest
from django.conf import settings
from django.urls import reverse

from qianjiang_hrss.api_urls import router

LISTS = sorted(basename for _, viewset, basename in router.registry if hasattr(viewset, "list"))
HUGE = {"limit": "10000000"}


def test_the_cap_and_the_default_are_stated_in_settings():
    assert settings.API_MAX_PAGE_SIZE == 1000 and settings.API_PAGE_SIZE == 200
    assert settings.REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"] == "common.api.PortalPagination"


def test_a_huge_limit_on_the_monthly_values_gives_one_capped_page(client, demo, bureau_user):
    client.force_login(bureau_user)

    body = client.get("/api/v1/monthly-values/", HUGE).json()

    assert body["count"] > settings.API_MAX_PAGE_SIZE
    assert len(body["results"]) == settings.API_MAX_PAGE_SIZE
    assert f"limit={settings.API_MAX_PAGE_SIZE}" in body["next"]
    assert f"offset={settings.API_MAX_PAGE_SIZE}" in body["next"]


def test_every_list_endpoint_honours_the_cap(client, demo, bureau_user, settings):
    """The cap lowered to 3, so that every list the demo fills proves it (the demo has more than 3 rows
    in nearly all of them)."""
    settings.API_MAX_PAGE_SIZE = 3
    client.force_login(bureau_user)
    _a_kept_set(bureau_user)
    over_the_cap = []
    for basename in LISTS:
        response = client.get(reverse(f"{basename}-list"), HUGE)
        assert response.status_code == 200, basename
        body = response.json()
        assert len(body["results"]) <= 3, basename
        if body["count"] > 3:
            assert len(body["results"]) == 3 and body["next"], basename
            over_the_cap.append(basename)
    assert len(over_the_cap) >= len(LISTS) - 3, (
        f"lists the test could not prove: {set(LISTS) - set(over_the_cap)}"
    )


def test_without_a_limit_a_list_answers_the_default_page(client, demo, bureau_user):
    client.force_login(bureau_user)

    body = client.get("/api/v1/monthly-values/").json()

    assert len(body["results"]) == settings.API_PAGE_SIZE


@pytest.mark.parametrize("limit", ["0", "-5", "abc"])
def test_a_limit_that_is_not_a_positive_number_gives_the_default_page(client, demo, bureau_user, limit):
    client.force_login(bureau_user)

    body = client.get("/api/v1/monthly-values/", {"limit": limit}).json()

    assert len(body["results"]) == settings.API_PAGE_SIZE


def test_the_schema_states_the_cap_on_every_list(client, bureau_user):
    client.force_login(bureau_user)

    schema = client.get("/api/schema/", {"format": "json"}).json()

    lists = [
        operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method == "get" and operation["operationId"].endswith("_list")
    ]
    assert len(lists) >= len(LISTS)
    for operation in lists:
        [limit] = [p for p in operation["parameters"] if p["name"] == "limit"]
        assert limit["schema"]["maximum"] == settings.API_MAX_PAGE_SIZE, operation["operationId"]
        assert limit["schema"]["default"] == settings.API_PAGE_SIZE
        assert f"最多{settings.API_MAX_PAGE_SIZE}" in limit["description"]


def _a_kept_set(user) -> None:
    """The demo keeps its sets as declared: a few renames give the record of set changes its rows."""
    from indicators.models import Channel, Indicator
    from indicators.sets import indicator_update

    for indicator in Indicator.objects.filter(year=2024).order_by("sort_order")[:4]:
        indicator_update(
            indicator=indicator, changes={"name": f"{indicator.name}(改)"}, user=user, channel=Channel.API
        )
