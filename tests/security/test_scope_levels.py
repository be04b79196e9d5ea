"""A user's scope is a unit and everything under it, at every level of a province's portal: the
province's bureau sees everything; a prefecture's bureau and leadership its counties, townships and
villages and never another prefecture's; a county's bureau its townships; a township user its
township. Every rule is tried on its forbidden side too (fail closed)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from accounts.models import User
from accounts.permissions import (
    RecordScope,
    can_write_figures,
    is_portal_bureau,
    sees_whole_portal,
    sees_whole_subtree,
    visible_org_units,
)
from common.errors import PermissionDeniedError, PortalError, ProblemKind
from indicators.models import Channel
from indicators.services import ValueEntry, monthly_values_apply, quota_set
from orgs.models import OrgUnit
from orgs.services import org_closure_rebuild

pytestmark = pytest.mark.django_db

# (code, level, parent)
PROVINCE_TREE = [
    ("420000", "province", None),
    ("420100", "prefecture", "420000"),  # 甲
    ("420500", "prefecture", "420000"),  # 乙
    ("420102", "county", "420100"),
    ("420502", "county", "420500"),
    ("429005", "county", "420000"),  # 省直管
    ("420102001", "township", "420102"),
    ("420502001", "township", "420502"),
    ("429005001", "township", "429005"),
    ("420102001001", "village", "420102001"),
]


@pytest.fixture
def units(db) -> dict[str, OrgUnit]:
    made: dict[str, OrgUnit] = {}
    for order, (code, level, parent) in enumerate(PROVINCE_TREE):
        kind = {"province": "province", "prefecture": "prefecture", "county": "urban", "village": "village"}
        made[code] = OrgUnit.objects.create(
            code=code, name=f"单位{code}", level=level, kind=kind.get(level, "street"),
            parent=made.get(parent), sort_order=order,
        )  # fmt: skip
    org_closure_rebuild()
    return made


@pytest.fixture
def people(units) -> dict[str, User]:
    def account(name: str, role: str, code: str) -> User:
        return User.objects.create_user(name, password="pw", role=role, org_unit=units[code], is_staff=True)

    return {
        "province": account("province_bureau", "bureau", "420000"),
        "prefecture": account("jia_bureau", "bureau", "420100"),
        "prefecture_leader": account("jia_leader", "leader", "420100"),
        "county": account("county_bureau", "bureau", "420102"),
        "township": account("township_user", "township", "420102001"),
    }


def _codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_each_account_sees_its_unit_and_everything_under_it(people):
    assert len(_codes(visible_org_units(people["province"]))) == len(PROVINCE_TREE)
    jia = {"420100", "420102", "420102001", "420102001001"}
    assert _codes(visible_org_units(people["prefecture"])) == jia
    assert _codes(visible_org_units(people["prefecture_leader"])) == jia
    assert _codes(visible_org_units(people["county"])) == {"420102", "420102001", "420102001001"}
    assert _codes(visible_org_units(people["township"])) == {"420102001", "420102001001"}


def test_only_the_top_units_leadership_sees_the_whole_portal_and_keeps_what_it_shares(people):
    assert sees_whole_portal(people["province"]) and is_portal_bureau(people["province"])
    assert sees_whole_subtree(people["prefecture_leader"]) and not sees_whole_portal(
        people["prefecture_leader"]
    )
    assert not is_portal_bureau(people["prefecture"]) and not sees_whole_subtree(people["township"])


def test_a_prefectures_bureau_writes_its_townships_figures_and_not_another_prefectures(people, units):
    assert can_write_figures(people["prefecture"], units["420102001"].pk)
    assert not can_write_figures(people["prefecture"], units["420502001"].pk)
    assert not can_write_figures(people["prefecture"], units["420000"].pk)
    assert not can_write_figures(people["prefecture_leader"], units["420102001"].pk)  # leaders read


def test_the_write_path_refuses_a_figure_of_another_prefectures_township(people, units, typed_by_hand):
    entry = ValueEntry(
        indicator=typed_by_hand["employment.urban_new_jobs"], org_unit=units["420502001"], year=2024, month=3,
        value=Decimal(5),
    )  # fmt: skip
    with pytest.raises(PortalError) as refused:
        monthly_values_apply(entries=[entry], user=people["prefecture"], channel=Channel.API)
    assert refused.value.kind == ProblemKind.PERMISSION


def test_a_quota_of_another_prefectures_county_is_refused(people, units, indicators):
    with pytest.raises(PortalError) as refused:
        quota_set(
            indicator=indicators["employment.urban_new_jobs"], org_unit=units["420502"], year=2024,
            target=Decimal(100), user=people["prefecture"], channel=Channel.API,
        )  # fmt: skip
    assert refused.value.kind == ProblemKind.PERMISSION


def test_the_dashboards_open_on_the_accounts_own_unit_and_refuse_a_unit_outside_it(people, units):
    from dashboard.scope import dashboard_scope

    leader = people["prefecture_leader"]
    assert dashboard_scope(leader, {}).org == units["420100"]
    assert dashboard_scope(leader, {"org": "420102001"}).org == units["420102001"]
    with pytest.raises(PermissionDeniedError):
        dashboard_scope(leader, {"org": "420502001"})
    with pytest.raises(PermissionDeniedError):
        dashboard_scope(leader, {"org": "420000"})  # the province above it
    assert dashboard_scope(leader, {}).warning_orgs is not None  # warnings filtered to its units


def test_records_of_no_unit_are_the_top_units_alone(people, units):
    whole = RecordScope.of(people["province"])
    assert whole.org_unit_ids is None and whole.city_level
    prefecture = RecordScope.of(people["prefecture"])
    assert not prefecture.city_level
    assert set(prefecture.org_unit_ids.values_list("id", flat=True)) == {
        units[c].pk for c in ("420100", "420102", "420102001", "420102001001")
    }


def test_a_prefectures_bureau_unlocks_its_township_and_not_another_prefectures(people, units):
    from reporting.services.locks import lock_open

    lock_open(
        township=units["420102001"], year=2024, month=3, days=2, reason="补报", user=people["prefecture"]
    )
    with pytest.raises(PermissionDeniedError):
        lock_open(
            township=units["420502001"], year=2024, month=3, days=2, reason="补报", user=people["prefecture"]
        )


def test_the_status_page_lists_the_townships_under_the_account_only(people):
    from reporting.selectors import reporting_status

    rows = reporting_status(year=2024, month=3, user=people["prefecture"]).rows
    assert [r.township.code for r in rows] == ["420102001"]


def test_a_register_record_of_another_prefecture_or_of_no_unit_is_refused(people, units):
    from registers.services import record_create
    from talent.models import CertificationBody, SkillCertificate

    body = record_create(
        user=None,
        record=CertificationBody(name="测试认定站", kind="enterprise", recognised_on=date(2024, 3, 5)),
    )

    def certificate(code: str, n: int) -> SkillCertificate:
        return SkillCertificate(
            org_unit=units[code], number=f"S2024{n:08d}", holder_name="刘洋", issued_on=date(2024, 3, 5),
            occupation="电工", level="senior", body=body,
        )  # fmt: skip

    record_create(user=people["prefecture"], record=certificate("420102001", 1))
    with pytest.raises(PermissionDeniedError):
        record_create(user=people["prefecture"], record=certificate("420502001", 2))
    with pytest.raises(PermissionDeniedError):
        record_create(
            user=people["prefecture"],
            record=CertificationBody(name="另一认定站", kind="enterprise", recognised_on=date(2024, 3, 5)),
        )


def test_the_scorecard_of_a_prefecture_ranks_its_own_townships_only(people, units):
    from dashboard.scorecard import dashboard_scorecard

    card = dashboard_scorecard(year=2024, month=3, top=units["420100"])
    assert card.city.org_code == "420100"
    assert [r.org_code for r in card.townships] == ["420102001"]


def test_reminders_of_a_report_reach_the_bureau_over_the_township_only(people, units):
    from notices.services import _bureau_users

    over = {u.username for u in _bureau_users(units["420102001"])}
    assert over == {"province_bureau", "jia_bureau", "county_bureau"}
    assert {u.username for u in _bureau_users(units["420502001"])} == {"province_bureau"}


def test_a_prefecture_bureau_may_not_remind_another_prefectures_township(people, units):
    from notices.services import reminders_send_manual

    with pytest.raises(PermissionDeniedError):
        reminders_send_manual(user=people["prefecture"], townships=[units["420502001"]], year=2024, month=3)


def test_the_admins_unscoped_lists_are_the_top_bureaus_alone(people):
    from django.contrib import admin

    from indicators.models import MonthlyValue

    request = RequestFactory().get("/admin/")
    model_admin = admin.site._registry[MonthlyValue]
    request.user = people["province"]
    assert model_admin.has_view_permission(request)
    request.user = people["prefecture"]
    assert not model_admin.has_view_permission(request) and not model_admin.has_module_permission(request)


def test_a_leadership_account_is_not_made_without_its_unit_in_a_province(units):
    account = User(username="no_unit", role="leader")
    with pytest.raises(ValidationError) as refused:
        account.full_clean(exclude=["password"])
    assert "org_unit" in refused.value.message_dict
