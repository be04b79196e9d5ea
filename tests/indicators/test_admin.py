"""The admin as the bureau's back office: entry and correction of monthly values and quotas go through
the services (same rules, same history), bad input is shown next to the field in Chinese and changes
nothing, and only bureau staff get in, whatever is_staff says."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from completion.models import Completion, CompletionRun
from indicators.models import Channel, FigureChange, Indicator, MonthlyValue, Quota
from tests.conftest import TOWNSHIP_A, admin_refused

# These tests are about typed figures: the catalogue as declared, no register feeding it.
pytestmark = pytest.mark.usefixtures("typed_by_hand")

JOBS = "employment.urban_new_jobs"
CERTIFICATES, SENIOR = "talent.skill_certificates", "talent.senior_workers"
YEAR, MONTH = 2024, 3


def admin_url(model: str, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def bureau_client(client, bureau_user):
    client.force_login(bureau_user)
    return client


@pytest.fixture
def superuser_client(client, db):
    from accounts.models import User

    client.force_login(User.objects.create_superuser("root", password="pw-for-tests"))
    return client


def add_value(client, indicator: Indicator, org, value, *, month: int = MONTH, remark: str = ""):
    data = {
        "indicator": indicator.pk,
        "org_unit": org.pk,
        "year": YEAR,
        "month": month,
        "value": value,
        "remark": remark,
        "_save": "保存",
    }
    return client.post(admin_url(MonthlyValue, "add"), data)


def form_errors(response) -> dict[str, list[str]]:
    return response.context["adminform"].form.errors


# --- monthly values ---


def test_bureau_staff_adds_a_value_and_the_history_records_it(
    bureau_client, bureau_user, indicators, township_a
):
    response = add_value(bureau_client, indicators[JOBS], township_a, "120", remark="3月快报")

    assert response.status_code == 302
    stored = MonthlyValue.objects.get()
    assert (stored.value, stored.remark, stored.channel, stored.updated_by) == (
        120,
        "3月快报",
        Channel.ADMIN,
        bureau_user,
    )
    change = FigureChange.objects.get()
    assert (change.subject, change.old_value, change.new_value, change.channel, change.changed_by) == (
        FigureChange.Subject.VALUE,
        None,
        120,
        Channel.ADMIN,
        bureau_user,
    )


def test_changing_a_value_records_old_and_new(bureau_client, put, indicators, township_a):
    put(JOBS, TOWNSHIP_A, YEAR, MONTH, 120)
    stored = MonthlyValue.objects.get()

    response = bureau_client.post(
        admin_url(MonthlyValue, "change", stored.pk), {"value": "150", "remark": "更正", "_save": "保存"}
    )

    assert response.status_code == 302
    stored.refresh_from_db()
    assert (stored.value, stored.channel) == (150, Channel.ADMIN)
    latest = FigureChange.objects.order_by("-id").first()
    assert (latest.old_value, latest.new_value, latest.channel) == (120, 150, Channel.ADMIN)


def test_a_remark_only_change_in_the_admin_is_in_the_history_and_on_the_page(
    bureau_client, bureau_user, put, indicators, township_a
):
    add_value(bureau_client, indicators[JOBS], township_a, "120", remark="3月快报")
    stored = MonthlyValue.objects.get()

    response = bureau_client.post(
        admin_url(MonthlyValue, "change", stored.pk), {"value": "120", "remark": "核实无误", "_save": "保存"}
    )

    assert response.status_code == 302
    assert MonthlyValue.objects.get().remark == "核实无误"
    latest = FigureChange.objects.order_by("-id").first()
    assert (latest.old_value, latest.new_value, latest.old_remark, latest.new_remark) == (
        120,
        120,
        "3月快报",
        "核实无误",
    )
    assert (latest.changed_by, latest.channel) == (bureau_user, Channel.ADMIN)
    page = bureau_client.get(admin_url(MonthlyValue, "change", stored.pk)).content.decode()
    assert "“3月快报” → “核实无误”" in page
    history = bureau_client.get(admin_url(FigureChange, "changelist")).content.decode()
    assert "“3月快报” → “核实无误”" in history


def test_the_cell_key_cannot_be_changed_on_the_change_form(bureau_client, put):
    put(JOBS, TOWNSHIP_A, YEAR, MONTH, 120)
    stored = MonthlyValue.objects.get()

    bureau_client.post(
        admin_url(MonthlyValue, "change", stored.pk),
        {"value": "130", "remark": "", "month": 5, "year": 2023, "_save": "保存"},
    )

    stored.refresh_from_db()
    assert (stored.year, stored.month, stored.value) == (YEAR, MONTH, 130)
    assert MonthlyValue.objects.count() == 1


@pytest.mark.parametrize(
    ("code", "value", "field", "message"),
    [
        (JOBS, "-3", "value", "不能为负数"),
        (JOBS, "1.5", "value", "须为整数"),
        ("social_insurance.ecard_coverage", "50", "indicator", "比率型指标"),
    ],
    ids=["negative", "fraction-of-a-count", "ratio-indicator"],
)
def test_a_bad_value_is_shown_next_to_its_field_and_changes_nothing(
    bureau_client, indicators, township_a, code, value, field, message
):
    response = add_value(bureau_client, indicators[code], township_a, value)

    assert response.status_code == 200
    assert any(message in error for error in form_errors(response)[field])
    assert message in response.content.decode()
    assert not MonthlyValue.objects.exists()
    assert not FigureChange.objects.exists()


def test_a_part_larger_than_its_whole_is_refused_and_changes_nothing(
    bureau_client, put, indicators, township_a
):
    put(CERTIFICATES, TOWNSHIP_A, YEAR, MONTH, 10)
    history_before = FigureChange.objects.count()

    response = add_value(bureau_client, indicators[SENIOR], township_a, "20")

    assert response.status_code == 200
    assert any("不能大于" in error for error in form_errors(response)["value"])
    assert not MonthlyValue.objects.filter(indicator=indicators[SENIOR]).exists()
    assert FigureChange.objects.count() == history_before


def test_adding_a_figure_that_already_exists_is_refused(bureau_client, put, indicators, township_a):
    """Correcting a figure happens on its own page, where the history shows what is being replaced."""
    put(JOBS, TOWNSHIP_A, YEAR, MONTH, 120)

    response = add_value(bureau_client, indicators[JOBS], township_a, "999")

    assert response.status_code == 200
    assert form_errors(response)["indicator"] == [
        "园林街道2024年3月的“城镇新增就业人数”已有数据,如需更正请打开该条记录修改。"
    ]
    assert MonthlyValue.objects.get().value == 120


def test_a_month_not_yet_come_is_refused(bureau_client, indicators, township_a):
    response = bureau_client.post(
        admin_url(MonthlyValue, "add"),
        {"indicator": indicators[JOBS].pk, "org_unit": township_a.pk, "year": 2099, "month": 1, "value": "1"},
    )

    assert response.status_code == 200
    assert any("尚未到来" in error for error in form_errors(response)["month"])
    assert not MonthlyValue.objects.exists()


def test_deleting_through_the_admin_removes_the_value_and_records_none(bureau_client, put):
    put(JOBS, TOWNSHIP_A, YEAR, MONTH, 120)
    stored = MonthlyValue.objects.get()

    response = bureau_client.post(admin_url(MonthlyValue, "delete", stored.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not MonthlyValue.objects.exists()
    latest = FigureChange.objects.order_by("-id").first()
    assert (latest.old_value, latest.new_value, latest.channel) == (120, None, Channel.ADMIN)


def test_the_delete_selected_action_goes_through_the_service(bureau_client, put):
    put(JOBS, TOWNSHIP_A, YEAR, 1, 10)
    put(JOBS, TOWNSHIP_A, YEAR, 2, 20)
    pks = list(MonthlyValue.objects.values_list("pk", flat=True))

    response = bureau_client.post(
        admin_url(MonthlyValue, "changelist"),
        {"action": "delete_selected", "_selected_action": pks, "post": "yes"},
    )

    assert response.status_code == 302
    assert not MonthlyValue.objects.exists()
    removals = FigureChange.objects.filter(new_value=None, channel=Channel.ADMIN)
    assert sorted(removals.values_list("old_value", flat=True)) == [10, 20]


def test_the_change_page_shows_the_cells_history(bureau_client, put):
    put(JOBS, TOWNSHIP_A, YEAR, MONTH, 120)
    put(JOBS, TOWNSHIP_A, YEAR, MONTH, 135)
    stored = MonthlyValue.objects.get()

    page = bureau_client.get(admin_url(MonthlyValue, "change", stored.pk)).content.decode()

    assert "120 → 135" in page
    assert "— → 120" in page
    assert admin_url(FigureChange, "changelist") + "?subject=value" in page


def test_the_history_link_lists_only_that_cells_changes(bureau_client, put, indicators, township_a):
    put(JOBS, TOWNSHIP_A, YEAR, MONTH, 120)
    put(JOBS, TOWNSHIP_A, YEAR, MONTH + 1, 7)

    response = bureau_client.get(
        admin_url(FigureChange, "changelist"),
        {
            "subject": "value",
            "indicator__id__exact": indicators[JOBS].pk,
            "org_unit__id__exact": township_a.pk,
            "year": YEAR,
            "month": MONTH,
        },
    )

    assert response.status_code == 200
    assert [c.new_value for c in response.context["cl"].result_list] == [120]


def test_the_changelist_shows_unit_and_source(bureau_client, put):
    put(JOBS, TOWNSHIP_A, YEAR, MONTH, 12367)

    page = bureau_client.get(admin_url(MonthlyValue, "changelist")).content.decode()

    assert "12,367" in page
    assert "命令行" in page  # the channel the figure came through


def _picker(client, term: str):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": "indicators", "model_name": "monthlyvalue", "field_name": "indicator", "term": term},
    )


def test_the_indicator_picker_names_the_year_of_each_set(bureau_client, indicator_sets):
    response = _picker(bureau_client, "新增就业")

    assert response.status_code == 200
    found = {r["id"]: r["text"] for r in response.json()["results"]}
    assert found == {
        str(indicator_sets[year][JOBS].pk): f"{year}年 · 城镇新增就业人数(人)" for year in indicator_sets
    }


def test_the_indicator_picker_searches_one_years_set_when_the_term_starts_with_the_year(
    bureau_client, indicator_sets
):
    response = _picker(bureau_client, "2024 新增就业")

    assert [r["id"] for r in response.json()["results"]] == [str(indicator_sets[2024][JOBS].pk)]


# --- quotas ---


def add_quota(client, indicator: Indicator, org, target):
    data = {"indicator": indicator.pk, "org_unit": org.pk, "year": YEAR, "target": target, "note": ""}
    return client.post(admin_url(Quota, "add"), data)


def test_bureau_staff_sets_a_quota_and_the_history_records_it(bureau_client, indicators, city):
    response = add_quota(bureau_client, indicators[JOBS], city, "30000")

    assert response.status_code == 302
    assert Quota.objects.get().target == 30000
    change = FigureChange.objects.get()
    assert (change.subject, change.old_value, change.new_value, change.channel) == (
        FigureChange.Subject.QUOTA,
        None,
        30000,
        Channel.ADMIN,
    )


def test_a_quota_of_zero_is_refused(bureau_client, indicators, city):
    response = add_quota(bureau_client, indicators[JOBS], city, "0")

    assert response.status_code == 200
    assert any("必须大于0" in error for error in form_errors(response)["target"])
    assert not Quota.objects.exists()
    assert not FigureChange.objects.exists()


def test_a_ratio_quota_above_100_percent_is_refused(bureau_client, indicators, city):
    response = add_quota(bureau_client, indicators["social_insurance.ecard_coverage"], city, "120")

    assert any("不能超过100%" in error for error in form_errors(response)["target"])
    assert not Quota.objects.exists()


def test_changing_a_quota_records_old_and_new_and_shows_the_source(bureau_client, set_quota, city):
    set_quota(JOBS, city.code, YEAR, 30000)
    quota = Quota.objects.get()

    bureau_client.post(
        admin_url(Quota, "change", quota.pk), {"target": "32000", "note": "省厅调整", "_save": "保存"}
    )

    quota.refresh_from_db()
    assert (quota.target, quota.note) == (32000, "省厅调整")
    latest = FigureChange.objects.order_by("-id").first()
    assert (latest.old_value, latest.new_value, latest.channel) == (30000, 32000, Channel.ADMIN)
    page = bureau_client.get(admin_url(Quota, "changelist")).content.decode()
    assert "管理后台" in page


def test_a_note_only_quota_change_in_the_admin_is_in_the_history(bureau_client, bureau_user, set_quota, city):
    set_quota(JOBS, city.code, YEAR, 30000)
    quota = Quota.objects.get()

    bureau_client.post(
        admin_url(Quota, "change", quota.pk),
        {"target": "30000", "note": "鄂人社函〔2024〕12号", "_save": "保存"},
    )

    assert Quota.objects.get().note == "鄂人社函〔2024〕12号"
    latest = FigureChange.objects.order_by("-id").first()
    assert (latest.subject, latest.old_value, latest.new_value) == (FigureChange.Subject.QUOTA, 30000, 30000)
    assert (latest.old_remark, latest.new_remark) == ("", "鄂人社函〔2024〕12号")
    assert (latest.changed_by, latest.channel) == (bureau_user, Channel.ADMIN)
    page = bureau_client.get(admin_url(Quota, "change", quota.pk)).content.decode()
    assert "“” → “鄂人社函〔2024〕12号”" in page


def test_deleting_a_quota_through_the_admin_records_none(bureau_client, set_quota, city):
    set_quota(JOBS, city.code, YEAR, 30000)
    quota = Quota.objects.get()

    bureau_client.post(admin_url(Quota, "delete", quota.pk), {"post": "yes"})

    assert not Quota.objects.exists()
    latest = FigureChange.objects.order_by("-id").first()
    assert (latest.subject, latest.old_value, latest.new_value) == (FigureChange.Subject.QUOTA, 30000, None)


# --- who gets in ---


@pytest.fixture
def cells(put, set_quota, city) -> dict:
    put(JOBS, TOWNSHIP_A, YEAR, MONTH, 120)
    set_quota(JOBS, city.code, YEAR, 30000)
    return {MonthlyValue: MonthlyValue.objects.get().pk, Quota: Quota.objects.get().pk}


@pytest.mark.parametrize("role", ["leader_user", "township_a_user"])
@pytest.mark.parametrize("model", [MonthlyValue, Quota], ids=["value", "quota"])
@pytest.mark.parametrize("view", ["changelist", "add", "change", "delete", "import", "export"])
def test_leaders_and_township_users_are_refused_even_as_staff(request, client, cells, role, model, view):
    user = request.getfixturevalue(role)
    user.is_staff = True
    user.save()
    client.force_login(user)
    args = (cells[model],) if view in ("change", "delete") else ()

    assert admin_refused(client.get(admin_url(model, view, *args)))


@pytest.mark.parametrize("role", ["leader_user", "township_a_user"])
def test_leaders_and_township_users_cannot_write_by_posting_to_the_admin(
    request, client, indicators, township_a, role
):
    user = request.getfixturevalue(role)
    user.is_staff = True
    user.save()
    client.force_login(user)

    response = add_value(client, indicators[JOBS], township_a, "5")

    assert admin_refused(response)
    assert not MonthlyValue.objects.exists()


@pytest.mark.parametrize("model", [FigureChange, Completion, Indicator], ids=lambda m: m._meta.model_name)
def test_leaders_are_refused_the_history_completion_and_catalogue(client, leader_user, model):
    leader_user.is_staff = True
    leader_user.save()
    client.force_login(leader_user)

    assert admin_refused(client.get(admin_url(model, "changelist")))


def test_the_admin_index_offers_a_township_user_nothing(client, township_a_user):
    township_a_user.is_staff = True
    township_a_user.save()
    client.force_login(township_a_user)

    response = client.get(reverse("admin:index"))

    assert admin_refused(response)


def test_the_indicator_list_opens_on_the_newest_years_set(bureau_client, indicator_sets):
    response = bureau_client.get(admin_url(Indicator, "changelist"), follow=True)

    assert response.redirect_chain[0][0].endswith("?year__exact=2026")
    assert response.status_code == 200
    shown = {row.year for row in response.context["cl"].result_list}
    assert shown == {2026}


@pytest.mark.parametrize("model", [FigureChange, Completion], ids=lambda m: m._meta.model_name)
def test_history_and_completion_cannot_be_added_even_by_a_superuser(superuser_client, model):
    assert superuser_client.get(admin_url(model, "changelist")).status_code == 200
    assert superuser_client.get(admin_url(model, "add")).status_code == 403


def test_history_cannot_be_edited_or_deleted(superuser_client, put):
    put(JOBS, TOWNSHIP_A, YEAR, MONTH, 120)
    change = FigureChange.objects.get()

    superuser_client.post(admin_url(FigureChange, "change", change.pk), {"new_value": "1"})
    response = superuser_client.post(admin_url(FigureChange, "delete", change.pk), {"post": "yes"})

    assert response.status_code == 403
    change.refresh_from_db()
    assert change.new_value == D(120)


def test_every_bureau_page_renders_with_the_full_demo_data(bureau_client, demo):
    for model in (MonthlyValue, Quota, FigureChange, Completion, CompletionRun):
        response = bureau_client.get(admin_url(model, "changelist"), {"year": 2024})
        assert response.status_code == 200, model
        assert "?e=1" not in response.get("Location", ""), model
    assert bureau_client.get(admin_url(Indicator, "changelist"), {"year__exact": 2024}).status_code == 200
    rates = bureau_client.get(admin_url(Completion, "changelist"), {"year": 2024, "month": 12})
    assert "%" in rates.content.decode() and "个百分点" in rates.content.decode()
    some_value = MonthlyValue.objects.first()
    assert bureau_client.get(admin_url(MonthlyValue, "change", some_value.pk)).status_code == 200
