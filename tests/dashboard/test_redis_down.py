"""With Redis stopped or hung, every door that shows figures answers from PostgreSQL and says the
figures may not be current; a save made meanwhile stands and is shown as waiting. Redis here is a
redis-server of the test's own (tests/processes.py), really stopped and really hung."""

from __future__ import annotations

import time
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from common.redis_guard import UP_MEMO_SECONDS, redis_available
from completion.models import RecomputeRequest
from tests.processes import redis_at, wait_for

from .conftest import JOBS, A

NOTICE = "计算服务暂时不可用,数据可能不是最新"
SHOWN = f'id="service-down">· {NOTICE}'  # the notice's span, not hidden
PERIOD = {"year": 2024, "month": 3}

# (path, who, a figure the page shows from the computed completion of the `small` data set)
PAGES = [
    ("/dashboard/", "leader", "18.3%"),
    ("/dashboard/warnings/", "leader", "18.3%"),
    ("/dashboard/report/", "leader", "1-3月城镇新增就业人数220人"),
    (f"/dashboard/indicators/{JOBS}/", "leader", "18.3%"),
    (f"/dashboard/townships/{A}/", "leader", "30.0%"),
    (f"/dashboard/townships/{A}/", "township_a", "30.0%"),
    ("/", "leader", "18.3%"),
]
PANELS = [
    "/api/v1/dashboard/cockpit/",
    "/api/v1/dashboard/warnings/",
    f"/api/v1/dashboard/indicators/{JOBS}/",
]


@pytest.fixture
def users(leader_user, township_a_user, bureau_user):
    return {"leader": leader_user, "township_a": township_a_user, "bureau": bureau_user}


@pytest.fixture
def redis_stopped(spare_redis, small, client, leader_user):
    """The portal on a Redis of its own, which has served the cockpit once (its JSON is cached
    there), then stopped."""
    with redis_at(spare_redis.url):
        client.force_login(leader_user)
        first = client.get(PANELS[0], PERIOD).json()
        assert first["freshness"] == {**first["freshness"], "is_stale": False, "service_unavailable": False}
        spare_redis.stop()
        assert wait_for(lambda: not redis_available(), 5)
        yield


# With no month asked for, a page looks up the latest reported month, through the cache.
QUERIES = pytest.mark.parametrize("query", [PERIOD, {}], ids=["month-given", "latest-month"])


@QUERIES
@pytest.mark.parametrize(("path", "who", "figure"), PAGES)
def test_with_redis_stopped_every_page_answers_from_postgresql_and_says_so(
    client, users, redis_stopped, path, who, figure, query
):
    client.force_login(users[who])
    response = client.get(path, query)
    page = response.content.decode()
    assert response.status_code == 200
    assert figure in page and SHOWN in page


@QUERIES
@pytest.mark.parametrize("path", PANELS)
def test_with_redis_stopped_every_panel_answers_from_postgresql_and_says_so(
    client, leader_user, redis_stopped, path, query
):
    client.force_login(leader_user)
    response = client.get(path, query)
    assert response.status_code == 200
    data = response.json()
    assert data["freshness"]["service_unavailable"] and data["freshness"]["is_stale"]
    rows = data.get("rows") or data.get("ranking") or [r for a in data["areas"] for r in a["rows"]]
    assert "18.3%" in {r["rate_display"] for r in rows} | {(data.get("progress") or {}).get("rate_display")}


def test_with_redis_stopped_the_cockpit_workbook_has_the_figures_and_the_notice(
    client, leader_user, redis_stopped
):
    client.force_login(leader_user)
    response = client.get("/dashboard/cockpit.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    assert response.status_code == 200 and sheet["A2"].value.endswith(f"注意:{NOTICE}")
    assert sheet["B5"].value == "城镇新增就业人数" and sheet["D5"].value == 220


def test_with_redis_stopped_the_ranking_workbook_has_the_figures_and_the_notice(
    client, leader_user, redis_stopped
):
    client.force_login(leader_user)
    response = client.get(f"/dashboard/indicators/{JOBS}/ranking.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    assert response.status_code == 200 and sheet["A2"].value.endswith(f"注意:{NOTICE}")
    assert [(r[2].value, r[3].value) for r in sheet.iter_rows(min_row=5)] == [
        ("园林街道", 180),
        ("杨市街道", 40),
    ]


def test_with_redis_stopped_the_word_report_has_the_figures_and_the_notice(
    client, leader_user, redis_stopped
):
    client.force_login(leader_user)
    response = client.get("/dashboard/report.docx")
    text = [p.text for p in Document(BytesIO(response.content)).paragraphs]
    assert response.status_code == 200 and f"注意:{NOTICE}。" in text
    assert any(  # the item's heading first (1.稳就业。), then its sentence
        "。1-3月城镇新增就业人数220人,完成年度目标的18.3%,落后时序进度6.7个百分点" in t for t in text
    )


@pytest.mark.parametrize(("path", "who"), [("/reporting/", "township_a"), ("/reporting/status/", "bureau")])
def test_with_redis_stopped_the_reporting_pages_answer(client, users, redis_stopped, path, who):
    client.force_login(users[who])
    assert client.get(path).status_code == 200


def test_a_save_with_redis_stopped_stands_and_the_pages_show_it_waiting(
    client, leader_user, redis_stopped, put, celery_not_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # the save's on-commit queueing runs, and fails soft
        put(JOBS, A, 2024, 3, 100)  # was 70: the city's 220 becomes 250 once computed
    assert RecomputeRequest.objects.filter(year=2024).exists()
    client.force_login(leader_user)
    data = client.get(PANELS[0], PERIOD).json()
    city = next(r for a in data["areas"] for r in a["rows"] if r["indicator"]["code"] == JOBS)
    assert city["actual"] == "220.000000"  # the last computed figure, from PostgreSQL
    assert data["freshness"]["pending_since"] and data["freshness"]["service_unavailable"]


def test_a_hung_redis_costs_a_request_a_fraction_of_a_second_not_a_hang(
    spare_redis, small, client, leader_user, settings
):
    """Paused (SIGSTOP), Redis accepts connections and never answers; without socket timeouts the
    first cache lookup would wait forever. Bound generous for a loaded machine: the timeout is
    REDIS_TIMEOUT_SECONDS, and after one failure nobody in the process asks for REDIS_RETRY_SECONDS."""
    with redis_at(spare_redis.url):
        client.force_login(leader_user)
        assert client.get(PANELS[0], PERIOD).status_code == 200
        spare_redis.pause()
        time.sleep(UP_MEMO_SECONDS)  # what the portal believes of a Redis that answered a moment ago
        try:
            started = time.monotonic()
            responses = [client.get(path) for path in [PANELS[0], "/dashboard/", "/"]]
            elapsed = time.monotonic() - started
        finally:
            spare_redis.resume()
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert all(SHOWN in r.content.decode() for r in responses[1:])
    assert elapsed < settings.REDIS_TIMEOUT_SECONDS + 2.5, elapsed
