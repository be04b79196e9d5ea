"""The registers in the admin: bureau staff add records (and the figures follow); every bad input the
issue names is shown in Chinese next to its field and saves nothing; nobody else gets in."""

import pytest
from django.urls import reverse

from employment.models import GigStation, GigStationMonth, GuaranteeLoan, ReturneeStartup, TrainingClass
from indicators.models import FigureChange, MonthlyValue
from tests.conftest import admin_refused


def url(model, view: str = "add", *args) -> str:
    return reverse(f"admin:employment_{model._meta.model_name}_{view}", args=args)


def loan_form(org_id: int, **changes) -> dict:
    return {
        "loan_number": "QJCD202400001",
        "borrower_name": "张伟",
        "borrower_kind": "individual",
        "org_unit": org_id,
        "issued_on": "2024-03-05",
        "amount": "20",
        "term_months": "24",
        "jobs_created": "2",
        "remark": "",
        **changes,
    }


def class_form(org_id: int, **changes) -> dict:
    return {
        "name": "园林街道缝纫培训班",
        "training_type": "sewing",
        "org_unit": org_id,
        "start_on": "2024-03-01",
        "end_on": "2024-03-20",
        "trainees": "40",
        "completions": "38",
        "remark": "",
        **changes,
    }


def errors_of(response) -> str:
    assert response.status_code == 200, response.status_code  # the form again, not a redirect
    return str(response.context["adminform"].form.errors) + str(response.context["errors"])


def test_bureau_staff_add_a_loan_and_its_month_is_counted_in_their_name(
    bureau_client, bureau_user, township_a
):
    response = bureau_client.post(url(GuaranteeLoan), loan_form(township_a.pk))
    assert response.status_code == 302
    loan = GuaranteeLoan.objects.get()
    assert loan.updated_by == bureau_user
    stored = MonthlyValue.objects.get(
        indicator__code="employment.guarantee_loan_amount", org_unit=township_a, month=3
    )
    assert stored.value == 20
    assert (
        FigureChange.objects.filter(indicator__code="employment.guarantee_loans").get().changed_by
        == bureau_user
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "-5"}, "贷款金额须大于0"),
        ({"org_unit": "999999"}, "选择一个有效的选项"),
        ({"issued_on": "2099-01-01"}, "晚于今天"),
        ({"term_months": "0"}, "贷款期限"),
    ],
)
def test_a_bad_loan_is_refused_in_chinese_and_nothing_is_saved(bureau_client, township_a, changes, message):
    response = bureau_client.post(url(GuaranteeLoan), loan_form(township_a.pk, **changes))
    assert message in errors_of(response)
    assert not GuaranteeLoan.objects.exists() and not MonthlyValue.objects.exists()


def test_a_duplicated_loan_number_is_refused(bureau_client, make_loan, township_a):
    make_loan(loan_number="QJCD202400001")
    response = bureau_client.post(url(GuaranteeLoan), loan_form(township_a.pk))
    assert "贷款编号已存在" in errors_of(response)
    assert GuaranteeLoan.objects.count() == 1


def test_a_loan_at_the_city_itself_is_refused(bureau_client, city):
    response = bureau_client.post(url(GuaranteeLoan), loan_form(city.pk))
    assert "须登记在区镇街道" in errors_of(response)


def test_a_class_ending_before_it_starts_is_refused(bureau_client, township_a):
    response = bureau_client.post(url(TrainingClass), class_form(township_a.pk, end_on="2024-02-28"))
    assert "结业日期(2024-02-28)不能早于开班日期(2024-03-01)" in errors_of(response)
    assert not TrainingClass.objects.exists() and not MonthlyValue.objects.exists()


def test_a_class_with_more_completions_than_trainees_is_refused(bureau_client, township_a):
    response = bureau_client.post(url(TrainingClass), class_form(township_a.pk, completions="41"))
    assert "结业人数(41)不能大于培训人数(40)" in errors_of(response)
    assert not TrainingClass.objects.exists()


def test_editing_a_class_to_end_later_moves_its_trainees(bureau_client, make_class, township_a):
    course = make_class()
    bureau_client.post(
        url(TrainingClass, "change", course.pk), class_form(township_a.pk, end_on="2024-04-02")
    )
    by_month = dict(
        MonthlyValue.objects.filter(indicator__code="employment.skills_training").values_list(
            "month", "value"
        )
    )
    assert by_month == {4: 40}


def test_deleting_a_start_up_in_the_admin_removes_its_figures(bureau_client, make_startup):
    startup = make_startup()
    response = bureau_client.post(url(ReturneeStartup, "delete", startup.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not MonthlyValue.objects.filter(indicator__code__startswith="employment.returnee").exists()


def test_a_station_month_twice_is_refused(bureau_client, micro_station):
    form = {"station": micro_station.pk, "year": "2024", "month": "3", "services": "10", "registrations": "1",
            "job_postings": "2", "consultations": "3", "placements": "1", "remark": ""}  # fmt: skip
    assert bureau_client.post(url(GigStationMonth), form).status_code == 302
    assert "已存在" in errors_of(bureau_client.post(url(GigStationMonth), form))
    assert GigStationMonth.objects.count() == 1


def test_a_village_point_under_another_townships_station_is_refused(bureau_client, micro_station, township_b):
    form = {"kind": "village", "name": "杨市街道第1村级微站", "org_unit": township_b.pk,
            "parent": micro_station.pk, "opened_on": "2024-02-01", "is_active": "on", "remark": ""}  # fmt: skip
    assert "本区镇街道的微站" in errors_of(bureau_client.post(url(GigStation), form))


@pytest.mark.parametrize(
    "model", [GuaranteeLoan, TrainingClass, ReturneeStartup, GigStation, GigStationMonth]
)
def test_the_changelists_open_for_bureau_staff(bureau_client, model):
    assert bureau_client.get(url(model, "changelist")).status_code == 200


def test_the_loan_changelist_names_the_indicators_it_feeds(bureau_client):
    page = bureau_client.get(url(GuaranteeLoan, "changelist")).content.decode()
    assert "创业担保贷款发放金额" in page


@pytest.mark.parametrize("who", ["leader_user", "township_a_user"])
def test_leaders_and_township_users_cannot_add_a_loan(request, client, township_a, who):
    user = request.getfixturevalue(who)
    user.is_staff = True  # even if someone ticked it
    user.save()
    client.force_login(user)
    response = client.post(url(GuaranteeLoan), loan_form(township_a.pk))
    assert admin_refused(response)
    assert not GuaranteeLoan.objects.exists()
