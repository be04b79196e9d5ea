"""The write path's rules. Each bad input is refused with a Chinese message and changes nothing;
the database refuses it too, so no door can get around the service."""

from decimal import Decimal as D

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction

from common.errors import PermissionDeniedError, PortalError
from indicators.models import Channel, FigureChange, MonthlyValue, Quota
from indicators.services import ValueEntry, monthly_value_set, monthly_values_apply, quota_set
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B

# These tests are about typed figures: the catalogue as declared, no register feeding it.
pytestmark = pytest.mark.usefixtures("typed_by_hand")

JOBS = "employment.urban_new_jobs"


def entry(indicators, orgs, code=JOBS, org=TOWNSHIP_A, year=2024, month=1, value="10", **kw) -> ValueEntry:
    value = None if value is None else D(value)
    return ValueEntry(
        indicator=indicators[code], org_unit=orgs[org], year=year, month=month, value=value, **kw
    )


def messages(exc_info) -> list[str]:
    return [p.message for p in exc_info.value.problems]


def test_a_new_value_is_stored_with_its_history(indicators, orgs, bureau_user):
    monthly_values_apply(entries=[entry(indicators, orgs)], user=bureau_user, channel=Channel.ADMIN)
    change = FigureChange.objects.get()
    assert MonthlyValue.objects.get().value == 10
    assert (change.old_value, change.new_value, change.changed_by, change.channel) == (
        None,
        10,
        bureau_user,
        Channel.ADMIN,
    )
    assert change.changed_by_name == "经办人"


def test_a_correction_records_old_and_new(indicators, orgs, bureau_user):
    monthly_values_apply(
        entries=[entry(indicators, orgs, value="10")], user=bureau_user, channel=Channel.ADMIN
    )
    monthly_values_apply(entries=[entry(indicators, orgs, value="12")], user=bureau_user, channel=Channel.API)
    latest = FigureChange.objects.order_by("-id").first()
    assert (latest.old_value, latest.new_value, latest.channel) == (10, 12, Channel.API)


def test_saving_the_same_value_again_records_nothing(indicators, orgs, bureau_user):
    for _ in range(2):
        monthly_values_apply(entries=[entry(indicators, orgs)], user=bureau_user, channel=Channel.ADMIN)
    assert FigureChange.objects.count() == 1


def test_a_remark_only_change_is_recorded_with_the_old_and_new_remark(indicators, orgs, bureau_user):
    monthly_values_apply(entries=[entry(indicators, orgs, remark="快报")], user=bureau_user, channel="admin")
    result = monthly_values_apply(
        entries=[entry(indicators, orgs, remark="核实后")], user=bureau_user, channel=Channel.API
    )
    assert (result.updated, MonthlyValue.objects.get().remark) == (1, "核实后")
    latest = FigureChange.objects.order_by("-id").first()
    assert (latest.old_value, latest.new_value, latest.old_remark, latest.new_remark) == (
        10,
        10,
        "快报",
        "核实后",
    )
    assert (latest.changed_by, latest.channel) == (bureau_user, Channel.API)


def test_a_value_change_records_the_remark_it_leaves_and_a_removal_the_one_it_drops(
    indicators, orgs, bureau_user
):
    for value in ("10", "12", None):
        monthly_values_apply(
            entries=[entry(indicators, orgs, value=value, remark="快报")], user=bureau_user, channel="admin"
        )
    history = FigureChange.objects.order_by("id").values_list(
        "old_value", "new_value", "old_remark", "new_remark"
    )
    assert list(history) == [(None, 10, "", "快报"), (10, 12, "快报", "快报"), (12, None, "快报", "")]


def test_a_blank_value_removes_the_figure_and_records_it(indicators, orgs, bureau_user):
    monthly_values_apply(entries=[entry(indicators, orgs)], user=bureau_user, channel=Channel.ADMIN)
    result = monthly_values_apply(
        entries=[entry(indicators, orgs, value=None)], user=bureau_user, channel=Channel.ADMIN
    )
    assert result.deleted == 1 and not MonthlyValue.objects.exists()
    assert FigureChange.objects.order_by("-id").first().new_value is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": "-3"}, "不能为负数"),
        ({"value": "12.5"}, "须为整数"),
        ({"month": 13}, "月份“13”无效"),
        ({"month": 0}, "月份“0”无效"),
        ({"code": "labor_relations.mediation_rate"}, "比率型指标"),
        ({"code": "employment.guarantee_loan_amount", "value": "1.23456"}, "最多保留4位小数"),
        # SQLite (the quick start) keeps 15 significant digits: refused everywhere, alike everywhere.
        ({"code": "employment.guarantee_loan_amount", "value": "123456789012.3456"}, "超过15位有效数字"),
    ],
)
def test_bad_values_are_refused_in_chinese_and_nothing_is_written(
    indicators, orgs, bureau_user, kwargs, message
):
    with pytest.raises(PortalError) as exc_info:
        monthly_values_apply(
            entries=[entry(indicators, orgs, **kwargs)], user=bureau_user, channel=Channel.ADMIN
        )
    assert any(message in m for m in messages(exc_info))
    assert not MonthlyValue.objects.exists() and not FigureChange.objects.exists()


@time_machine.travel("2024-05-20 09:00 +0800", tick=False)
def test_a_month_that_has_not_come_yet_is_refused(indicators, orgs, bureau_user):
    with pytest.raises(PortalError) as exc_info:
        monthly_values_apply(
            entries=[entry(indicators, orgs, month=6)], user=bureau_user, channel=Channel.ADMIN
        )
    assert messages(exc_info) == ["2024年6月尚未到来,不能填报。"]


def test_every_problem_of_a_batch_is_reported_at_once_and_nothing_lands(indicators, orgs, bureau_user):
    batch = [
        entry(indicators, orgs, month=1, value="5"),
        entry(indicators, orgs, month=2, value="-1", sheet="2024年2月", row=7, column="D"),
        entry(indicators, orgs, month=2, value="4"),
    ]
    with pytest.raises(PortalError) as exc_info:
        monthly_values_apply(entries=batch, user=bureau_user, channel=Channel.UPLOAD)
    problems = exc_info.value.problems
    assert len(problems) == 2
    assert str(problems[0]) == "工作表“2024年2月”第7行D列:“城镇新增就业人数”的数值不能为负数(填写的是-1)。"
    assert "重复填报" in problems[1].message
    assert not MonthlyValue.objects.exists()


def test_a_part_larger_than_its_whole_is_refused(indicators, orgs, bureau_user):
    whole = entry(indicators, orgs, code="talent.skill_certificates", value="10")
    part = entry(indicators, orgs, code="talent.senior_workers", value="11")
    with pytest.raises(PortalError) as exc_info:
        monthly_values_apply(entries=[whole, part], user=bureau_user, channel=Channel.ADMIN)
    assert messages(exc_info) == [
        "“其中:高级工”(11)不能大于它所属的“新增职业资格证书或职业技能等级证书人数”(10)(2024年1月)。"
    ]
    assert not MonthlyValue.objects.exists()


def test_lowering_a_whole_below_its_stored_part_is_refused(indicators, orgs, bureau_user):
    monthly_values_apply(
        entries=[
            entry(indicators, orgs, code="talent.skill_certificates", value="10"),
            entry(indicators, orgs, code="talent.technicians", value="8"),
        ],
        user=bureau_user,
        channel=Channel.ADMIN,
    )
    with pytest.raises(PortalError):
        monthly_values_apply(
            entries=[entry(indicators, orgs, code="talent.skill_certificates", value="7")],
            user=bureau_user,
            channel=Channel.ADMIN,
        )
    assert MonthlyValue.objects.get(indicator__code="talent.skill_certificates").value == 10


def test_a_batch_may_lower_a_whole_and_its_part_together(indicators, orgs, bureau_user):
    def both(whole, part):
        return [
            entry(indicators, orgs, code="talent.skill_certificates", value=whole),
            entry(indicators, orgs, code="talent.technicians", value=part),
        ]

    monthly_values_apply(entries=both("10", "8"), user=bureau_user, channel=Channel.ADMIN)
    monthly_values_apply(entries=both("5", "4"), user=bureau_user, channel=Channel.UPLOAD)
    assert MonthlyValue.objects.get(indicator__code="talent.technicians").value == 4


def test_a_township_user_writes_its_own_township(indicators, orgs, township_a_user):
    monthly_values_apply(entries=[entry(indicators, orgs)], user=township_a_user, channel=Channel.UPLOAD)
    assert MonthlyValue.objects.get().org_unit.code == TOWNSHIP_A


def test_a_township_user_cannot_write_another_township(indicators, orgs, township_a_user):
    with pytest.raises(PermissionDeniedError) as exc_info:
        monthly_values_apply(
            entries=[entry(indicators, orgs, org=TOWNSHIP_B)], user=township_a_user, channel=Channel.UPLOAD
        )
    assert messages(exc_info) == ["您没有填报或修改“杨市街道”数据的权限。"]
    assert not MonthlyValue.objects.exists()


def test_a_leader_cannot_write_figures(indicators, orgs, leader_user):
    with pytest.raises(PermissionDeniedError):
        monthly_value_set(
            indicator=indicators[JOBS],
            org_unit=orgs[TOWNSHIP_A],
            year=2024,
            month=1,
            value=D(1),
            user=leader_user,
            channel=Channel.API,
        )


def test_a_quota_of_zero_is_refused(indicators, orgs, bureau_user):
    with pytest.raises(PortalError) as exc_info:
        quota_set(
            indicator=indicators[JOBS],
            org_unit=orgs["429005"],
            year=2024,
            target=D(0),
            user=bureau_user,
            channel="admin",
        )
    assert messages(exc_info) == ["“城镇新增就业人数”的年度目标必须大于0(填写的是0)。"]
    assert not Quota.objects.exists()


def test_a_quota_change_is_recorded(indicators, orgs, bureau_user):
    for target in (7000, 7200):
        quota_set(
            indicator=indicators[JOBS],
            org_unit=orgs["429005"],
            year=2024,
            target=D(target),
            user=bureau_user,
            channel="admin",
        )
    change = FigureChange.objects.filter(subject="quota").order_by("-id").first()
    assert (change.old_value, change.new_value, change.month) == (7000, 7200, None)


def _quota(indicators, orgs, user, target="7000", note="", channel=Channel.ADMIN):
    return quota_set(
        indicator=indicators[JOBS],
        org_unit=orgs["429005"],
        year=2024,
        target=D(target),
        note=note,
        user=user,
        channel=channel,
    )


def test_a_note_only_quota_change_is_recorded_with_the_old_and_new_note(indicators, orgs, bureau_user):
    _quota(indicators, orgs, None, note="省厅下达", channel=Channel.COMMAND)
    _quota(indicators, orgs, bureau_user, note="省厅2024年3月文件下达")
    latest = FigureChange.objects.filter(subject="quota").order_by("-id").first()
    assert (latest.old_value, latest.new_value) == (7000, 7000)
    assert (latest.old_remark, latest.new_remark) == ("省厅下达", "省厅2024年3月文件下达")
    assert (latest.changed_by, latest.channel) == (bureau_user, Channel.ADMIN)
    assert Quota.objects.get().note == "省厅2024年3月文件下达"


def test_setting_the_same_quota_again_records_nothing_and_keeps_who_set_it(indicators, orgs, bureau_user):
    from accounts.models import User

    other = User.objects.create_user("bureau2", password="x", role=User.Role.BUREAU)
    _quota(indicators, orgs, bureau_user, note="省厅下达")
    _quota(indicators, orgs, other, note="省厅下达")
    assert FigureChange.objects.filter(subject="quota").count() == 1
    assert Quota.objects.get().updated_by == bureau_user


def test_a_quota_of_more_than_15_significant_digits_is_refused(indicators, orgs, bureau_user):
    with pytest.raises(PortalError) as exc_info:
        _quota(indicators, orgs, bureau_user, target="123456789012.3456")
    assert messages(exc_info) == [
        "“城镇新增就业人数”的年度目标123456789012.3456超过15位有效数字,超出可保存的范围。"
    ]
    assert not Quota.objects.exists()


def test_only_bureau_staff_set_quotas(indicators, orgs, township_a_user):
    with pytest.raises(PermissionDeniedError):
        quota_set(
            indicator=indicators[JOBS],
            org_unit=orgs[TOWNSHIP_A],
            year=2024,
            target=D(10),
            user=township_a_user,
            channel="api",
        )


# --- The database refuses the same bad input by itself (constraints), whatever the door. ---


def _raw(indicators, orgs, **fields) -> None:
    defaults = dict(indicator=indicators[JOBS], org_unit=orgs[TOWNSHIP_A], year=2024, month=1, value=D(1))
    with transaction.atomic():
        MonthlyValue.objects.create(**{**defaults, **fields})


@pytest.mark.parametrize(
    "fields",
    [{"value": D(-1)}, {"month": 13}, {"month": 0}, {"year": 1999}],
    ids=["negative", "m13", "m0", "y1999"],
)
def test_the_database_refuses_bad_values_written_around_the_service(indicators, orgs, fields):
    with pytest.raises(IntegrityError):
        _raw(indicators, orgs, **fields)


def test_the_database_refuses_an_unknown_indicator_or_org_unit(indicators, orgs):
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyValue.objects.create(
            indicator_id=999999, org_unit=orgs[TOWNSHIP_A], year=2024, month=1, value=1
        )
        connection.check_constraints()


def test_the_database_refuses_a_zero_quota(indicators, orgs):
    with pytest.raises(IntegrityError), transaction.atomic():
        Quota.objects.create(indicator=indicators[JOBS], org_unit=orgs[TOWNSHIP_A], year=2024, target=0)


def test_the_database_refuses_a_part_larger_than_its_whole(indicators, orgs):
    _raw(indicators, orgs, indicator=indicators["talent.skill_certificates"], value=D(5))
    with pytest.raises(IntegrityError, match="不能大于它所属的"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        MonthlyValue.objects.create(
            indicator=indicators["talent.senior_workers"],
            org_unit=orgs[TOWNSHIP_A],
            year=2024,
            month=1,
            value=6,
        )
