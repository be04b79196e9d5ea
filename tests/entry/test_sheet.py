"""The month sheet: one page per org unit and month, one save through monthly_values_apply."""

from decimal import Decimal

import pytest
from django.test import Client

from completion.models import Completion, CompletionRun
from completion.rule import completion_rate
from completion.services import completion_recompute
from entry.selectors import month_sheet
from indicators.models import Channel, FigureChange, MonthlyValue
from tests.conftest import admin_refused
from tests.entry.conftest import CITY, HARDSHIP, JOBS, PENSION, REEMPLOYED, SHEET_URL, A, B, sheet_post

pytestmark = pytest.mark.django_db


def _value(code, org, year, month):
    found = MonthlyValue.objects.filter(
        indicator__code=code, org_unit__code=org, year=year, month=month
    ).first()
    return found and found.value


def test_the_sheet_lists_every_indicator_by_area_with_its_history_beside_it(clerk_client, world):
    response = clerk_client.get(f"{SHEET_URL}?org={CITY}&year=2024&month=3")

    assert response.status_code == 200
    text = response.content.decode()
    for area in ("就业", "社会保险", "人才人事", "劳动关系"):
        assert f'<th colspan="9">{area}</th>' in text
    assert f'name="v-{JOBS}"' in text
    assert 'name="v-employment.skills_training"' not in text  # register-fed: read-only, with its source
    assert "自动汇总" in text and "比率:" in text
    sheet = response.context["sheet"]
    jobs = sheet.row(JOBS)
    assert (jobs.last_month, jobs.last_year, jobs.ytd, jobs.quota) == (
        Decimal(100),
        Decimal(120),
        Decimal(200),
        Decimal(7000),
    )
    # The city's rate counts the townships too: 市本级 200 + 园林 100 before March.
    assert jobs.base == Decimal(300)


def test_one_save_writes_every_cell_as_typed_or_pasted_and_the_history_names_the_door(clerk_client, world):
    response = sheet_post(clerk_client, CITY, 2024, 3, {JOBS: "３００", REEMPLOYED: "1,234", HARDSHIP: "  "})

    assert response.status_code == 302
    assert _value(JOBS, CITY, 2024, 3) == Decimal(300)
    assert _value(REEMPLOYED, CITY, 2024, 3) == Decimal(1234)
    assert _value(HARDSHIP, CITY, 2024, 3) is None  # blank = not reported, never 0
    change = FigureChange.objects.get(indicator__code=JOBS, org_unit__code=CITY, year=2024, month=3)
    assert (change.old_value, change.new_value, change.channel, change.changed_by_name) == (
        None, Decimal(300), Channel.SHEET, "王经办",
    )  # fmt: skip
    page = clerk_client.get(response["Location"]).content.decode()
    assert "王经办" in page and "后台月度填报" in page and "新增2项" in page


def test_every_problem_comes_back_next_to_its_cell_and_nothing_is_saved(clerk_client, world):
    response = sheet_post(clerk_client, CITY, 2024, 3, {JOBS: "12.5", REEMPLOYED: "十二", HARDSHIP: "30"})

    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert "须为整数" in outcome.problems[JOBS][0]
    assert "不是数值" in outcome.problems[REEMPLOYED][0]
    assert HARDSHIP not in outcome.problems
    assert "有2处问题,本月数据均未保存" in response.content.decode()
    assert not MonthlyValue.objects.filter(year=2024, month=3).exists()  # not even the good one
    assert 'value="12.5"' in response.content.decode()  # what was typed stays to be fixed


def test_a_part_above_its_whole_is_refused_at_its_cell(clerk_client, world, typed_by_hand):
    response = sheet_post(
        clerk_client, CITY, 2024, 3,
        {"talent.skill_certificates": "10", "talent.senior_workers": "11"},
    )  # fmt: skip

    problems = response.context["outcome"].problems
    assert "不能大于" in " ".join(
        problems.get("talent.senior_workers", []) + problems.get("talent.skill_certificates", [])
    )
    assert not MonthlyValue.objects.filter(year=2024, month=3).exists()


def test_clearing_a_cell_removes_the_figure_and_the_history_keeps_the_old_one(clerk_client, world):
    sheet_post(clerk_client, CITY, 2024, 2, {JOBS: ""}, before={JOBS: "100"})

    assert _value(JOBS, CITY, 2024, 2) is None
    change = FigureChange.objects.filter(indicator__code=JOBS, org_unit__code=CITY, month=2).first()
    assert (change.old_value, change.new_value) == (Decimal(100), None)


def test_a_figure_far_from_last_year_is_saved_and_the_note_of_the_rule_is_shown(clerk_client, world):
    """3× the same month last year is the built-in 提示 rule: told, never in the way (a 核实 rule would
    ask for an explanation, a 强制 one refuse: tests/indicators/test_rule_doors.py)."""
    response = sheet_post(clerk_client, CITY, 2024, 3, {JOBS: "500"})

    assert response.status_code == 302
    assert _value(JOBS, CITY, 2024, 3) == Decimal(500)
    shown = [str(m) for m in clerk_client.get(response["Location"]).context["messages"]]
    assert any("【提示】" in m and "去年同月为120人,相差超过3倍" in m for m in shown), shown


def test_a_cell_someone_changed_since_the_page_opened_is_not_overwritten(clerk_client, world, put):
    put(JOBS, CITY, 2024, 3, 80)  # someone else, after the clerk opened the empty cell

    response = sheet_post(clerk_client, CITY, 2024, 3, {JOBS: "90"}, before={JOBS: ""})

    assert "此数值已被" in response.context["outcome"].problems[JOBS][0]
    assert _value(JOBS, CITY, 2024, 3) == Decimal(80)


def _rates(client, org: str, typed: dict, before: dict | None = None, year: int = 2024, month: int = 3):
    """What the sheet's script asks while the clerk types: the form as it stands, nothing saved."""
    data = {f"v-{code}": text for code, text in typed.items()}
    data.update({f"o-{code}": (before or {}).get(code, "") for code in typed})
    return client.post(f"{SHEET_URL}rates/?org={org}&year={year}&month={month}", data)


def test_the_rate_the_sheet_predicts_is_the_rate_the_engine_computes(clerk_client, world):
    predicted = _rates(clerk_client, CITY, {JOBS: "300"}).json()["cells"][JOBS]
    assert not MonthlyValue.objects.filter(year=2024, month=3).exists()  # asking writes nothing

    sheet_post(clerk_client, CITY, 2024, 3, {JOBS: "300"})
    completion_recompute(year=2024, trigger=CompletionRun.Trigger.COMMAND)

    engine = Completion.objects.get(indicator__code=JOBS, org_unit__code=CITY, year=2024, month=3)
    assert predicted == {"rate": "8.6%", "problem": "", "changed": True}  # 600 ÷ 7000
    assert engine.completion_rate == completion_rate(Decimal(600), 1, Decimal(7000), ceiling=False)
    assert clerk_client.get(f"{SHEET_URL}?org={CITY}&year=2024&month=3").context["sheet"].row(JOBS).rate == (
        engine.completion_rate
    )


def test_the_sheet_reads_a_typed_cell_as_the_save_would_and_says_why_it_would_refuse(clerk_client, world):
    cells = _rates(
        clerk_client,
        CITY,
        {JOBS: "4,699", REEMPLOYED: "12.5", HARDSHIP: "三百"},
        before={JOBS: "", REEMPLOYED: "", HARDSHIP: ""},
    ).json()["cells"]

    assert cells[JOBS] == {"rate": "71.4%", "problem": "", "changed": True}  # (300 + 4,699) ÷ 7,000
    assert "须为整数" in cells[REEMPLOYED]["problem"] and cells[REEMPLOYED]["rate"] == "—"
    assert cells[HARDSHIP]["problem"] and cells[HARDSHIP]["changed"]
    same = _rates(clerk_client, CITY, {JOBS: "１，２００"}, before={JOBS: "1200"}).json()["cells"][JOBS]
    assert same["changed"] is False  # full-width digits and a comma: the same figure as shown


def test_the_rates_of_another_unit_or_by_get_are_refused(clerk_client, world, township_a_user):
    assert _rates(clerk_client, "999999", {JOBS: "1"}).status_code == 403
    assert clerk_client.get(f"{SHEET_URL}rates/?org={CITY}&year=2024&month=3").status_code == 405
    township_a_user.is_staff = True
    township_a_user.save()
    other = Client()
    other.force_login(township_a_user)
    assert admin_refused(_rates(other, A, {JOBS: "1"}))


def test_a_stock_left_blank_keeps_its_last_level_in_the_rate(world, put, set_quota, orgs):
    set_quota(PENSION, CITY, 2024, 1000)
    put(PENSION, CITY, 2024, 1, 400, channel=Channel.REGISTER)  # counted from its register

    row = month_sheet(org_unit=orgs[CITY], year=2024, month=2).row(PENSION)

    assert row.actual_with(None) == Decimal(400)
    assert row.actual_with(Decimal(500)) == Decimal(500)
    assert completion_rate(row.actual_with(Decimal(500)), 1, row.quota, ceiling=False) == Decimal("50.0000")


@pytest.mark.parametrize("role", ["leader", "township"])
def test_nobody_but_the_bureau_reaches_the_sheet_or_writes_through_it(
    world, role, leader_user, township_a_user
):
    user = {"leader": leader_user, "township": township_a_user}[role]
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)

    assert admin_refused(client.get(f"{SHEET_URL}?org={A}&year=2024&month=3"))
    assert admin_refused(sheet_post(client, A, 2024, 3, {JOBS: "5"}))
    assert _value(JOBS, A, 2024, 3) is None


def test_an_unknown_unit_is_refused_not_guessed(clerk_client, world):
    assert clerk_client.get(f"{SHEET_URL}?org=999999&year=2024&month=3").status_code == 403


def test_a_township_sheet_says_a_report_is_waiting_and_the_month_is_locked(clerk_client, world, orgs):
    response = clerk_client.get(f"{SHEET_URL}?org={B}&year=2024&month=3")

    assert response.status_code == 200
    assert "已于2024年04月15日锁定" in response.content.decode()
    assert 'name="v-social_insurance.pension_insured"' not in response.content.decode()  # 市本级统计


def test_the_units_a_sheet_opens_follow_the_scope_and_fail_closed(
    world, orgs, clerk, township_a_user, leader_user
):
    from accounts.models import User
    from entry.selectors import sheet_org_units

    assert [u.code for u in sheet_org_units(clerk)][:2] == [CITY, A] and len(sheet_org_units(clerk)) == 24
    assert [u.code for u in sheet_org_units(township_a_user)] == [A]  # its own township only
    assert sheet_org_units(leader_user) == []  # leaders read, never write
    assert sheet_org_units(User.objects.create_user("nobody", password="pw")) == []


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("year=2204&month=3", "参数“year”应为2000至2100之间的整数(收到的是“2204”)"),
        ("year=2024&month=13", "参数“month”应为1至12之间的整数"),
        ("year=abc&month=3", "参数“year”应为2000至2100之间的整数"),
        ("year=2099&month=1", "2099年1月尚未到来"),
    ],
)
def test_a_period_asked_wrong_is_refused_saying_which_not_replaced_by_another(
    clerk_client, world, query, said
):
    """One period parser for every page (common.periods): a typing mistake is never shown as if it were
    the month asked for."""
    for url in (f"{SHEET_URL}?org={CITY}&{query}", f"/admin/entry/overview/?{query}"):
        response = clerk_client.get(url)
        assert response.status_code == 400 and said in response.content.decode(), url
