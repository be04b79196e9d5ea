"""The yearly indicator sets kept by bureau staff (indicators.sets): copying a year, adding, renaming,
retiring, the code as the indicator's identity across years, the record of every change, and 2026's
pages and templates unchanged by what 2027 becomes."""

from decimal import Decimal as D
from io import BytesIO

import openpyxl
import pytest
from rest_framework.test import APIClient

from common.errors import PermissionDeniedError, PortalError
from completion.models import Completion
from completion.services import completion_recompute
from indicators.models import Channel, Indicator, MonthlyValue, Quota, SetChange, ValidationRule
from indicators.services import quota_set
from indicators.sets import (
    indicator_add,
    indicator_delete,
    indicator_restore,
    indicator_retire,
    indicator_set_copy,
    indicator_update,
)
from reporting.templates_xlsx import FIRST_DATA_ROW, template_workbook
from tests.conftest import TOWNSHIP_A

JOBS, GRADUATES, REEMPLOYED = (
    "employment.urban_new_jobs",
    "employment.graduates_employed",
    "employment.unemployed_reemployed",
)
GIG = "employment.gig_station_services"
CITY = "429005"
ADMIN = Channel.ADMIN


@pytest.fixture
def y2026(indicator_sets):
    return indicator_sets[2026]


@pytest.fixture
def y2027(y2026, bureau_user):
    indicator_set_copy(from_year=2026, to_year=2027, user=bureau_user, channel=ADMIN)
    return {i.code: i for i in Indicator.objects.filter(year=2027)}


def _gig(year: int = 2027) -> Indicator:
    return Indicator(
        year=year, code=GIG, name="零工驿站服务人次", area="employment", unit="人次",
        kind=Indicator.Kind.FLOW, source=Indicator.Source.TOWNSHIP, sort_order=95,
    )  # fmt: skip


def _template_rows(township, year: int, month: int) -> dict[str, str]:
    sheet = openpyxl.load_workbook(BytesIO(template_workbook(township=township, year=year, month=month)))[
        "月报"
    ]
    return {
        r[0].value: r[1].value
        for r in sheet.iter_rows(min_row=FIRST_DATA_ROW)
        if r[0].value and "." in r[0].value
    }


# --- copying a year ---


def test_copying_a_year_copies_its_indicators_parts_ratios_and_rules_but_not_its_quotas(
    y2026, bureau_user, set_quota
):
    set_quota(JOBS, CITY, 2026, 7000)
    result = indicator_set_copy(from_year=2026, to_year=2027, user=bureau_user, channel=ADMIN)

    new = {i.code: i for i in Indicator.objects.filter(year=2027).select_related("parent", "numerator")}
    assert set(new) == set(y2026) and result.indicators == len(y2026)
    assert new["talent.senior_workers"].parent == new["talent.skill_certificates"]
    assert new["labor_relations.mediation_rate"].numerator == new["labor_relations.cases_mediated"]
    assert (
        ValidationRule.objects.filter(year=2027).count() == ValidationRule.objects.filter(year=2026).count()
    )
    assert not Quota.objects.filter(year=2027).exists()
    change = SetChange.objects.get(action=SetChange.Action.COPY)
    assert (change.year, change.changed_by, change.channel) == (2027, bureau_user, ADMIN)


def test_a_year_that_has_a_set_is_not_copied_over(y2027, bureau_user):
    with pytest.raises(PortalError, match="2027年已有指标体系"):
        indicator_set_copy(from_year=2026, to_year=2027, user=bureau_user, channel=ADMIN)


def test_only_the_bureau_keeps_the_sets(y2026, township_a_user, leader_user):
    for user in (township_a_user, leader_user):
        with pytest.raises(PermissionDeniedError):
            indicator_set_copy(from_year=2026, to_year=2027, user=user, channel=ADMIN)
        with pytest.raises(PermissionDeniedError):
            indicator_update(indicator=y2026[JOBS], changes={"name": "x"}, user=user, channel=ADMIN)
    assert not Indicator.objects.filter(year=2027).exists()


# --- adding, renaming, retiring ---


def test_an_added_indicator_is_in_its_years_template_and_not_in_the_year_before(y2027, bureau_user, orgs):
    indicator_add(indicator=_gig(), user=bureau_user, channel=ADMIN)

    assert _template_rows(orgs[TOWNSHIP_A], 2027, 1)[GIG] == "零工驿站服务人次"
    assert GIG not in _template_rows(orgs[TOWNSHIP_A], 2026, 12)
    assert SetChange.objects.filter(code=GIG, action=SetChange.Action.ADD).exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("零工驿站", "指标代码须为“业务领域.英文小写名称”"),
        ("talent.gig_station_services", "须以所属业务领域“employment.”开头"),
        (JOBS, "2027年的指标体系中已有代码为“employment.urban_new_jobs”的指标"),
    ],
)
def test_a_code_the_bureau_cannot_keep_is_refused(y2027, bureau_user, code, message):
    indicator = _gig()
    indicator.code = code
    with pytest.raises(PortalError, match=message):
        indicator_add(indicator=indicator, user=bureau_user, channel=ADMIN)


def test_a_code_of_an_earlier_year_names_the_same_indicator(y2027, bureau_user):
    """A code is an indicator's identity: brought back in a later year it must be the same kind of thing."""
    stock = _gig()
    stock.code, stock.kind = GRADUATES, Indicator.Kind.STOCK
    Indicator.objects.filter(year=2027, code=GRADUATES).delete()

    with pytest.raises(PortalError, match="同一代码跨年度须是同一指标"):
        indicator_add(indicator=stock, user=bureau_user, channel=ADMIN)


def test_an_indicator_only_a_register_could_count_cannot_be_declared_counted_by_one(y2027, bureau_user):
    gig = _gig()
    gig.source = Indicator.Source.REGISTER
    with pytest.raises(PortalError, match="没有业务台账汇总"):
        indicator_add(indicator=gig, user=bureau_user, channel=ADMIN)


def test_a_rename_keeps_the_code_changes_only_its_year_and_is_recorded(y2027, bureau_user, orgs):
    indicator_update(
        indicator=y2027[REEMPLOYED],
        changes={"name": "失业人员实现再就业人数"},
        user=bureau_user,
        channel=ADMIN,
    )

    assert Indicator.objects.get(year=2027, code=REEMPLOYED).name == "失业人员实现再就业人数"
    assert Indicator.objects.get(year=2026, code=REEMPLOYED).name == "失业人员再就业人数"
    assert _template_rows(orgs[TOWNSHIP_A], 2026, 12)[REEMPLOYED] == "失业人员再就业人数"
    change = SetChange.objects.get(code=REEMPLOYED, action=SetChange.Action.CHANGE)
    assert (change.field, change.old_value, change.new_value) == (
        "指标名称",
        "失业人员再就业人数",
        "失业人员实现再就业人数",
    )


def test_retiring_an_indicator_with_figures_asks_first_and_never_deletes_them(y2026, bureau_user, put):
    put(GRADUATES, TOWNSHIP_A, 2026, 3, 12)

    with pytest.raises(PortalError, match="已有1条数据"):
        indicator_retire(indicator=y2026[GRADUATES], user=bureau_user, channel=ADMIN)
    indicator_retire(indicator=y2026[GRADUATES], user=bureau_user, channel=ADMIN, confirmed=True)

    assert MonthlyValue.objects.filter(indicator=y2026[GRADUATES]).count() == 1
    with pytest.raises(PortalError, match="已从2026年的指标体系中停用"):
        put(GRADUATES, TOWNSHIP_A, 2026, 4, 1)
    indicator_restore(indicator=y2026[GRADUATES], user=bureau_user, channel=ADMIN)
    put(GRADUATES, TOWNSHIP_A, 2026, 4, 1)


def test_a_retired_indicator_leaves_its_years_template_only(y2027, bureau_user, orgs):
    indicator_retire(indicator=y2027[GRADUATES], user=bureau_user, channel=ADMIN)

    assert GRADUATES not in _template_rows(orgs[TOWNSHIP_A], 2027, 1)
    assert GRADUATES in _template_rows(orgs[TOWNSHIP_A], 2026, 12)


def test_a_part_of_a_ratio_in_use_is_not_retired(y2026, bureau_user):
    with pytest.raises(PortalError, match="组成部分"):
        indicator_retire(indicator=y2026["labor_relations.cases_mediated"], user=bureau_user, channel=ADMIN)


def test_an_indicator_with_figures_is_never_deleted(y2026, bureau_user, put):
    put(GRADUATES, TOWNSHIP_A, 2026, 3, 12)
    with pytest.raises(PortalError, match="不能删除"):
        indicator_delete(indicator=y2026[GRADUATES], user=bureau_user, channel=ADMIN)
    assert Indicator.objects.filter(pk=y2026[GRADUATES].pk).exists()


def test_the_kind_of_an_indicator_with_figures_does_not_change(y2026, bureau_user, put):
    put(GRADUATES, TOWNSHIP_A, 2026, 3, 12)
    with pytest.raises(PortalError, match="不能改变指标类型"):
        indicator_update(
            indicator=y2026[GRADUATES],
            changes={"kind": Indicator.Kind.STOCK},
            user=bureau_user,
            channel=ADMIN,
        )


# --- a ceiling: lower is better ---


@pytest.mark.parametrize(
    ("actual", "rate", "status"),
    [("45", "100.0000", "ahead"), ("30", "150.0000", "ahead"), ("50", "90.0000", "far_behind"),
     ("47", "95.7447", "behind"), ("0", None, "ahead")],
)  # fmt: skip
def test_a_ceiling_is_met_at_or_below_it_and_rated_ceiling_over_figure(
    y2026, bureau_user, put, orgs, actual, rate, status
):
    """A ceiling of 45 cases a year (the bureau's own example is 城镇登记失业率 ≤ 4.5%): within it is
    on schedule in every month; the rate is ceiling ÷ figure."""
    indicator_update(
        indicator=y2026[GRADUATES],
        changes={"direction": Indicator.Direction.CEILING},
        user=bureau_user,
        channel=ADMIN,
    )
    quota_set(
        indicator=y2026[GRADUATES], org_unit=orgs[CITY], year=2026, target=D(45), user=None, channel=ADMIN
    )
    put(GRADUATES, CITY, 2026, 3, actual)
    completion_recompute(year=2026)

    cell = Completion.objects.get(indicator=y2026[GRADUATES], org_unit__code=CITY, month=3)
    assert (None if cell.completion_rate is None else f"{cell.completion_rate:.4f}", cell.status) == (
        rate,
        status,
    )


# --- the API keeps the same sets by the same rules ---


def test_the_api_lists_a_years_set_and_lets_the_bureau_keep_it(y2026, bureau_user, leader_user):
    bureau, leader = APIClient(), APIClient()
    bureau.force_authenticate(bureau_user)
    leader.force_authenticate(leader_user)

    copied = bureau.post("/api/v1/indicators/copy-year/", {"from_year": 2026, "to_year": 2027}, format="json")
    assert copied.status_code == 201, copied.json()
    added = bureau.post(
        "/api/v1/indicators/?year=2027",
        {"code": GIG, "name": "零工驿站服务人次", "area": "employment", "unit": "人次", "kind": "flow",
         "source": "township"},
        format="json",
    )  # fmt: skip
    assert added.status_code == 201, added.json()
    retired = bureau.post(f"/api/v1/indicators/{GRADUATES}/retire/?year=2027", {}, format="json")
    assert retired.status_code == 200 and retired.json()["is_active"] is False

    listed = leader.get("/api/v1/indicators/", {"year": 2027, "limit": 200}).json()["results"]
    assert GIG in {i["code"] for i in listed}
    assert (
        leader.post("/api/v1/indicators/?year=2027", {"code": "employment.x_y"}, format="json").status_code
        == 403
    )
    refused = bureau.post("/api/v1/indicators/?year=2027", {"code": "坏代码", "name": "x", "area": "employment",
                                                             "unit": "人", "kind": "flow"}, format="json")  # fmt: skip
    assert refused.status_code == 400
    assert "指标代码须为" in refused.json()["error"]["message"]


# --- the admin: the bureau's pages for the sets ---


@pytest.fixture
def bureau_client(client, bureau_user):
    client.force_login(bureau_user)
    return client


def _retire(client, indicator: Indicator, **extra):
    return client.post(
        "/admin/indicators/indicator/?year__exact=2026",
        {"action": "retire_selected", "_selected_action": [indicator.pk], "index": "0", **extra},
    )


def test_retiring_in_the_admin_asks_first_when_there_are_figures_and_keeps_them(y2026, bureau_client, put):
    put(GRADUATES, TOWNSHIP_A, 2026, 3, 12)

    asked = _retire(bureau_client, y2026[GRADUATES])
    assert asked.status_code == 200 and "确认停用(数据保留)" in asked.content.decode()
    assert Indicator.objects.get(pk=y2026[GRADUATES].pk).is_active

    _retire(bureau_client, y2026[GRADUATES], confirmed="yes")
    assert not Indicator.objects.get(pk=y2026[GRADUATES].pk).is_active
    assert MonthlyValue.objects.filter(indicator=y2026[GRADUATES]).count() == 1


def test_retiring_in_the_admin_an_indicator_without_figures_needs_no_question(y2026, bureau_client):
    response = _retire(bureau_client, y2026[GRADUATES])

    assert response.status_code == 302
    assert not Indicator.objects.get(pk=y2026[GRADUATES].pk).is_active
