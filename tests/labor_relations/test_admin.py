"""The bureau enters and corrects cases in the admin; every bad input the issue names is shown next to
its field in Chinese and nothing is saved; a saved case is counted at once, in the person's name."""

from datetime import date

import pytest
from django.urls import reverse

from indicators.models import FigureChange
from labor_relations.models import DisputeCase, WageArrearsCase

from .conftest import stored


def add_url(model) -> str:
    return reverse(f"admin:labor_relations_{model._meta.model_name}_add")


def case_form(city, **changes) -> dict:
    form = {
        "case_number": "潜劳人仲〔2024〕0001号",
        "org_unit": city.pk,
        "applicant": "张伟",
        "respondent": "潜江市荣盛建筑工程有限公司",
        "amount": "12000",
        "received_on": "2024-03-05",
        "stage": "mediation",
        "deadline_on": "",
        "closed_on": "2024-03-12",
        "closed_how": "mediated",
        "remark": "",
        "_save": "保存",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


@pytest.fixture
def bureau_client(client, bureau_user, indicators, orgs):
    client.force_login(bureau_user)
    return client


def errors_of(response) -> str:
    form = response.context["adminform"].form
    return ";".join(str(e) for errors in form.errors.values() for e in errors)


def test_bureau_staff_add_a_case_and_it_is_counted_in_their_name(bureau_client, bureau_user, city):
    response = bureau_client.post(add_url(DisputeCase), case_form(city))
    assert response.status_code == 302, errors_of(response)
    case = DisputeCase.objects.get()
    assert (case.deadline_on, case.updated_by) == (date(2024, 4, 19), bureau_user)
    assert (stored("labor_relations.dispute_cases", 3), stored("labor_relations.cases_mediated", 3)) == (1, 1)
    assert FigureChange.objects.filter(indicator__code="labor_relations.dispute_cases").get().changed_by == (
        bureau_user
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"closed_on": "2024-03-01"}, "不能早于受理日期("),
        ({"amount": "-5"}, "涉案金额不能为负数(填写的是"),
        ({"org_unit": "999999"}, "选择一个有效的选项"),
        ({"final_award": "on"}, "只有以仲裁裁决结案的案件才能标记为终局裁决。"),
        ({"closed_how": "awarded"}, "只有仲裁立案审理的案件才能以仲裁裁决结案。"),
    ],
)
def test_a_bad_case_is_refused_next_to_its_field_and_nothing_is_saved(bureau_client, city, changes, message):
    response = bureau_client.post(add_url(DisputeCase), case_form(city, **changes))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not DisputeCase.objects.exists()
    assert stored("labor_relations.dispute_cases", 3) is None


def test_a_duplicated_case_number_is_refused(bureau_client, city):
    assert bureau_client.post(add_url(DisputeCase), case_form(city)).status_code == 302
    response = bureau_client.post(add_url(DisputeCase), case_form(city, received_on="2024-05-05"))
    assert "该案号已登记,不能重复。" in errors_of(response)
    assert DisputeCase.objects.count() == 1
    assert stored("labor_relations.dispute_cases", 5) is None


def test_a_wage_case_closed_before_opening_is_refused(bureau_client, township_a):
    form = {
        "case_number": "潜人社监〔2024〕0001号",
        "org_unit": township_a.pk,
        "employer": "潜江市鑫源劳务有限公司",
        "source": "platform",
        "opened_on": "2024-03-05",
        "closed_on": "2024-03-01",
        "workers": "5",
        "amount_recovered": "52000",
        "_save": "保存",
    }
    response = bureau_client.post(add_url(WageArrearsCase), form)
    assert "不能早于立案日期(" in errors_of(response)
    assert not WageArrearsCase.objects.exists()


def test_the_case_list_names_the_indicators_it_feeds(bureau_client, make_case):
    make_case()
    response = bureau_client.get(reverse("admin:labor_relations_disputecase_changelist"))
    assert response.status_code == 200
    assert "劳动人事争议调解率" not in [i.name for i in response.context["fed_indicators"]]  # a ratio
    assert "其中:审限内结案数" in [i.name for i in response.context["fed_indicators"]]
    assert "本台账(“劳动人事争议案件台账”)自动汇总" in response.content.decode()
    assert "导入" in response.content.decode()


@pytest.mark.parametrize("who", ["leader_user", "township_a_user"])
def test_leaders_and_townships_cannot_enter_the_registers(client, request, city, indicators, who):
    user = request.getfixturevalue(who)
    user.is_staff = True  # even if someone ticked it
    user.save()
    client.force_login(user)
    response = client.post(add_url(DisputeCase), case_form(city))
    assert response.status_code in (302, 403)
    assert not DisputeCase.objects.exists()
