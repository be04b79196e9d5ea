"""The demo's year in progress (demo.current_year), as `make run` loads it on DEMO_TODAY (2026-12-02):
2026 January to November, November's reports half in, townships ahead and behind."""

from __future__ import annotations

from collections import Counter
from datetime import date, time

import pytest
import time_machine
from django.utils import timezone

from accounts.models import User
from completion.models import Completion
from dashboard.selectors import dashboard_cockpit, dashboard_warnings
from demo import current_year as CY
from demo.services import demo_load
from employment.models import GuaranteeLoan, ReturneeStartup, TrainingClass
from indicators.models import FigureChange, MonthlyValue, Quota
from labor_relations.models import DisputeCase
from notices.models import Notice
from orgs.models import OrgUnit
from reporting.models import Submission
from reporting.selectors import townships_owing
from social_insurance.models import CardIssuance, InsuredCount
from talent.models import SkillCertificate
from tests.conftest import DEMO_TODAY

YEAR, DUE = 2026, 11
CITY = "429005"


@pytest.fixture
def stats(demo_whole_for_module, db):
    return demo_whole_for_module


@pytest.fixture
def leader(stats):
    return User.objects.create_user(username="leader_x", password="pw", role=User.Role.LEADER)


def _cells(**where) -> list[Completion]:
    return list(
        Completion.objects.filter(year=YEAR, month=DUE, **where).select_related("indicator", "org_unit")
    )


def test_the_current_year_runs_from_january_to_last_month(stats):
    assert (stats["current_year"], stats["current_month"]) == (YEAR, DUE)
    months = set(MonthlyValue.objects.filter(year=YEAR).values_list("month", flat=True))
    assert months == set(range(1, DUE + 1))  # nothing in December: its figures are not due yet


def test_the_date_decides_the_year_and_january_belongs_to_last_year():
    assert CY.demo_year_for(date(2026, 12, 2)).due_month == 11
    january = CY.demo_year_for(date(2027, 1, 5))
    assert (january.year, january.due_month) == (2026, 12)
    assert CY.demo_year_for(date(2025, 1, 20)) is None  # last month is 2024's December: the report's


def test_the_city_has_an_indicator_far_behind_one_behind_and_one_ahead(stats):
    statuses = Counter(c.status for c in _cells(org_unit__code=CITY, quota__isnull=False))
    assert statuses["far_behind"] >= 1 and statuses["behind"] >= 1 and statuses["ahead"] >= 1


def test_two_townships_are_far_behind_on_new_jobs_and_one_has_reported_nothing_for_three_months(stats):
    townships = list(OrgUnit.objects.filter(level=OrgUnit.Level.TOWNSHIP))
    roles = CY.township_roles(CY.demo_year_for(date(2026, 12, 2)), townships)
    jobs = {c.org_unit.code: c for c in _cells(indicator__code="employment.urban_new_jobs")}
    far = [code for code, role in roles.items() if role == "far_behind"]
    assert len(far) == 2 and all(jobs[code].status == "far_behind" for code in far)
    (silent,) = [code for code, role in roles.items() if role == "silent"]
    # Its own reports (the registers the bureau keeps still count records there).
    reported = set(
        MonthlyValue.objects.filter(year=YEAR, org_unit__code=silent)
        .exclude(channel="register")
        .values_list("month", flat=True)
    )
    assert reported == set(range(1, DUE - 2)) and jobs[silent].status == "far_behind"
    assert sum(1 for c in jobs.values() if c.status == "ahead") >= 10


def test_township_quotas_add_up_to_the_citys(stats):
    for code in CY.QUOTA_FACTOR:
        city = Quota.objects.get(indicator__code=code, org_unit__code=CITY, year=YEAR).target
        split = sum(
            Quota.objects.filter(indicator__code=code, year=YEAR, org_unit__level="township").values_list(
                "target", flat=True
            )
        )
        assert split == city, code


def test_the_projection_names_the_indicators_that_will_miss_the_year(stats):
    cockpit = dashboard_cockpit(org=OrgUnit.objects.get(code=CITY), year=YEAR, month=DUE)
    missing = [r.indicator.code for r in cockpit.rows if r.will_miss]
    assert cockpit.will_miss == len(missing) >= 1
    assert "employment.hardship_reemployed" in missing


def test_the_warnings_list_townships_and_indicators_behind(stats):
    rows = dashboard_warnings(year=YEAR, month=DUE)
    assert len(rows) > 20 and any(r.status == "far_behind" for r in rows)
    assert any(r.org_code == CITY for r in rows)


def test_the_due_months_reports_went_through_the_workflow(stats):
    submissions = Submission.objects.filter(year=YEAR, month=DUE)
    by_state = Counter((s.status, s.version) for s in submissions)
    assert by_state[("approved", 1)] >= 10
    assert by_state[("pending", 1)] == CY.PENDING and by_state[("pending", 2)] == 1
    assert by_state[("returned", 1)] == 1 and by_state[("superseded", 1)] == 1
    assert not submissions.filter(is_late=True).exists()  # 2 December: nothing can be late yet
    returned = submissions.get(status="returned")
    assert returned.township.code == CY.RETURNED and returned.return_reason == CY.RETURN_REASON
    v2 = submissions.get(version=2)
    assert v2.township.code == CY.RESUBMITTED
    assert submissions.get(township=v2.township, version=1).superseded_by == v2
    # Approved reports count, the others do not (yet); the registers count their own records.
    approved = set(submissions.filter(status="approved").values_list("township_id", flat=True))
    reported = MonthlyValue.objects.filter(year=YEAR, month=DUE, org_unit__level="township").exclude(
        channel="register"
    )
    assert set(reported.values_list("org_unit_id", flat=True)) == approved
    assert set(reported.values_list("channel", flat=True)) == {"upload"}
    # Townships report in office hours, not at 02:00.
    hours = {timezone.localtime(s.submitted_at).time() for s in submissions}
    assert all(time(8, 30) <= t <= time(17, 30) for t in hours), sorted(hours)


def test_the_status_page_for_the_due_month_shows_every_state(client, leader):
    with time_machine.travel(DEMO_TODAY, tick=False):
        client.force_login(leader)
        page = client.get("/reporting/status/").content.decode()  # the default month: November
    assert f"{YEAR}年{DUE}月 区镇街道月报报送情况" in page
    assert "第1版 已通过" in page and "第1版 待审核" in page
    assert "已退回待重报" in page and "第2版 待审核" in page and "第1版已被新版本替代" in page
    assert f"退回原因:{CY.RETURN_REASON}" in page  # what the township must fix, at a glance
    assert "未报送" in page and "尚未报送或待重报" in page


def test_the_townships_that_owe_the_due_month_have_been_reminded_once(stats, client, leader):
    owing = townships_owing(year=YEAR, month=DUE)
    reminded = Counter(
        Notice.objects.filter(year=YEAR, month=DUE, kind=Notice.Kind.MANUAL).values_list(
            "township__code", flat=True
        )
    )
    assert owing and stats["current_reminders"] >= len(owing)
    assert reminded == Counter(t.code for t in owing)
    with time_machine.travel(DEMO_TODAY, tick=False):
        client.force_login(leader)
        page = client.get("/reporting/status/").content.decode()
    assert "已催报 1 次" in page


def test_registers_have_records_for_the_current_year_up_to_last_month(stats):
    in_year = {
        GuaranteeLoan: "issued_on",
        TrainingClass: "end_on",
        ReturneeStartup: "started_on",
        SkillCertificate: "issued_on",
        DisputeCase: "received_on",
    }
    for model, day in in_year.items():
        records = model.objects.filter(**{f"{day}__year": YEAR})
        assert records.exists(), model.__name__
        assert not records.filter(**{f"{day}__month__gt": DUE}).exists(), model.__name__
    assert InsuredCount.objects.filter(year=YEAR).count() == 3 * DUE
    assert CardIssuance.objects.filter(year=YEAR).count() == DUE
    fed = MonthlyValue.objects.filter(year=YEAR, indicator__code="employment.skills_training")
    assert fed.exists() and set(fed.values_list("channel", flat=True)) == {"register"}


def test_the_year_in_progress_carries_every_indicator_2024_had_by_the_same_month(stats):
    """Typed, entered by the bureau or counted from a register: each indicator with figures by October
    2024 has figures by October of the year in progress (the winter campaign starts in November)."""

    def codes(year: int) -> set[str]:
        rows = MonthlyValue.objects.filter(year=year, month__lt=DUE)
        return set(rows.values_list("indicator__code", flat=True))

    assert len(codes(2024)) > 90
    assert codes(2024) - codes(YEAR) == set()


def test_the_year_before_is_whole_so_last_years_columns_have_figures(stats):
    """2025, closed: twelve months of every township's figures, its registers, its completion, so that
    the year in progress reads 上年同期 and the split reads 上年实绩."""
    assert stats["previous_year"] == YEAR - 1
    jobs = MonthlyValue.objects.filter(year=YEAR - 1, indicator__code="employment.urban_new_jobs")
    assert set(jobs.values_list("month", flat=True)) == set(range(1, 13))
    assert jobs.values("org_unit").distinct().count() == 23  # nobody silent in a closed year
    assert GuaranteeLoan.objects.filter(issued_on__year=YEAR - 1, issued_on__month=12).exists()
    assert Completion.objects.filter(year=YEAR - 1, month=12).exists()
    city = OrgUnit.objects.get(code=CITY)
    rows = dashboard_cockpit(org=city, year=YEAR, month=DUE).rows
    assert all(r.last_year_actual is not None for r in rows if r.indicator.kind == "flow")


def test_loading_the_demo_again_on_the_same_day_changes_nothing(stats):
    def state():
        return (
            MonthlyValue.objects.count(),
            FigureChange.objects.count(),
            Quota.objects.count(),
            Submission.objects.count(),
            list(MonthlyValue.objects.filter(year=YEAR).order_by("pk").values_list("value", flat=True)),
            list(Completion.objects.filter(year=YEAR).order_by("pk").values_list("actual", "status")),
            list(Submission.objects.order_by("pk").values_list("status", "submitted_at")),
            Notice.objects.count(),
        )

    before = state()
    with time_machine.travel(DEMO_TODAY, tick=False):
        again = demo_load()
    assert again["written"] == 0 and again["current_written"] == 0
    assert state() == before


def test_the_dashboard_and_the_landing_page_open_on_the_last_month_reported(client, leader):
    with time_machine.travel(DEMO_TODAY, tick=False):
        client.force_login(leader)
        cockpit = client.get("/dashboard/").content.decode()
        home = client.get("/").content.decode()
    assert f"{YEAR}年1-{DUE}月" in cockpit and "严重落后" in cockpit and "落后序时进度" in cockpit
    assert f"潜江市 {YEAR}年1-{DUE}月 指标完成情况" in home
