"""A month that has not ended is never shown as complete (issue 22 point 1). The rule
(reporting.calendar.Period): a month is offered once it has ended (a month in progress has no reports:
townships report after its end, so its figures against 12/12 called every flow behind); from its end to
its deadline it is shown as being reported, every count marked 暂计; after the deadline it is closed.
时序进度 is the months ended ÷ 12. Pages asked for a month in progress open the latest ended month and
say why; downloads and the API answer 400."""

from __future__ import annotations

from io import BytesIO

import pytest
import time_machine
from openpyxl import load_workbook

from completion.models import CompletionRun
from completion.services import completion_recompute
from indicators.models import Channel

from .conftest import JOBS, A

CITY = "429005"
YEAR = 2026


def at(moment: str):
    return time_machine.travel(f"{moment} +0800", tick=False)


@pytest.fixture
def year_in_progress(put, set_quota):
    """2026: a quota of 1,200 and 100 a month to November at 园林街道, computed on 3 December; a register
    record of 2 December gives December a figure already (the bureau keeps registers as things happen)."""
    with at("2026-12-03 09:00"):
        set_quota(JOBS, CITY, YEAR, 1200)
        set_quota(JOBS, A, YEAR, 1200)
        for month in range(1, 12):
            put(JOBS, A, YEAR, month, 100)
        put(JOBS, A, YEAR, 12, 5, channel=Channel.REGISTER)
        completion_recompute(year=YEAR, trigger=CompletionRun.Trigger.COMMAND)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/dashboard/",
        "/dashboard/warnings/",
        "/dashboard/scorecard/",
        f"/dashboard/townships/{A}/",
        f"/dashboard/indicators/{JOBS}/",
    ],
)
def test_a_page_asked_for_a_month_in_progress_opens_the_last_ended_month_and_says_why(
    client, leader_user, year_in_progress, path
):
    with at("2026-12-07 10:00"):
        client.force_login(leader_user)
        response = client.get(path, {"year": YEAR, "month": 12})
        assert response.status_code == 302 and "month=11" in response.url and "year=2026" in response.url
        page = client.get(response.url).content.decode()
    assert "2026年12月尚未结束" in page and "最近可查看的是2026年11月" in page
    assert "数据截至2026年12月末" not in page and "12/12" not in page


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/cockpit.xlsx",
        "/dashboard/scorecard.xlsx",
        "/dashboard/warnings.xlsx",
        "/dashboard/report.docx",
        f"/dashboard/indicators/{JOBS}/ranking.xlsx",
        "/api/v1/dashboard/cockpit/",
        "/api/v1/dashboard/warnings/",
        f"/api/v1/dashboard/indicators/{JOBS}/",
    ],
)
def test_a_download_or_the_api_refuses_a_month_in_progress(client, leader_user, year_in_progress, path):
    with at("2026-12-07 10:00"):
        client.force_login(leader_user)
        response = client.get(path, {"year": YEAR, "month": 12})
    assert response.status_code == 400
    assert "2026年12月尚未结束" in response.content.decode()


def test_the_default_month_is_never_one_in_progress_though_it_has_a_figure(
    client, leader_user, year_in_progress
):
    with at("2026-12-07 10:00"):
        client.force_login(leader_user)
        page = client.get("/dashboard/").content.decode()
    assert "潜江市 2026年1-11月 人社主要指标完成情况" in page


def test_the_month_selector_does_not_offer_a_month_in_progress(client, leader_user, year_in_progress):
    with at("2026-12-07 10:00"):
        client.force_login(leader_user)
        page = client.get("/dashboard/", {"year": YEAR, "month": 11}).content.decode()
    assert '<option value="12" disabled>12月(未结束)</option>' in page
    assert '<option value="11" selected>11月</option>' in page


@pytest.mark.parametrize(
    "path",
    ["/", "/dashboard/", f"/dashboard/townships/{A}/", "/dashboard/scorecard/", "/dashboard/warnings/"],
)
def test_a_month_being_reported_is_marked_provisional_until_its_deadline(
    client, leader_user, year_in_progress, path
):
    with at("2026-12-07 10:00"):
        client.force_login(leader_user)  # a session ends SESSION_MAX_HOURS after its sign-in
        during = client.get(path, {"year": YEAR, "month": 11}).content.decode()
    with at("2026-12-11 10:00"):
        client.force_login(leader_user)
        after = client.get(path, {"year": YEAR, "month": 11}).content.decode()
    assert "11月月报报送中(12月10日截止),数据暂计" in during and "(报送中,暂计)" in during
    assert "报送中" not in after and "暂计" not in after
    assert "时序进度 11/12(按已结束的月份计)" in during and "时序进度 11/12(按已结束的月份计)" in after


def test_the_cockpits_tiles_say_provisional_while_the_month_is_reported(
    client, leader_user, year_in_progress
):
    with at("2026-12-07 10:00"):
        client.force_login(leader_user)
        page = client.get("/dashboard/", {"year": YEAR, "month": 11}).content.decode()
    assert "项预计全年完不成(暂计)" in page and "项严重落后(暂计)" in page


def test_the_api_states_where_the_month_stands(client, leader_user, year_in_progress):
    with at("2026-12-07 10:00"):
        client.force_login(leader_user)
        during = client.get("/api/v1/dashboard/cockpit/", {"year": YEAR, "month": 11}).json()
        warnings = client.get("/api/v1/dashboard/warnings/", {"year": YEAR, "month": 11}).json()
    with at("2026-12-11 10:00"):
        client.force_login(leader_user)
        after = client.get("/api/v1/dashboard/cockpit/", {"year": YEAR, "month": 11}).json()
    assert during["period"]["state"] == warnings["period"]["state"] == "reporting"
    assert during["period"]["provisional"] is True and during["period"]["deadline"] == "2026-12-10"
    assert during["period"]["time_progress_rule"] == "11/12" and "暂计" in during["period"]["note"]
    assert (
        after["period"]["state"] == "closed"
        and after["period"]["provisional"] is False
        and after["period"]["note"] == ""
    )


def test_a_workbook_of_a_month_being_reported_says_it_is_provisional(client, leader_user, year_in_progress):
    with at("2026-12-07 10:00"):
        client.force_login(leader_user)
        data = client.get("/dashboard/cockpit.xlsx", {"year": YEAR, "month": 11}).content
    subtitle = load_workbook(BytesIO(data)).active["A2"].value
    assert "数据截至2026年11月末" in subtitle and "11月月报报送中(12月10日截止),数据暂计" in subtitle
