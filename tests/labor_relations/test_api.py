"""The register API: bureau staff write (checked with the model's rules, messages in Chinese, the
values recounted in the same transaction); townships read only their own records; nobody else writes."""

from datetime import date

import pytest

from labor_relations.models import CreditRating, DisputeCase, WageArrearsCase

from .conftest import CODE_1, api_client, stored

CASES = "/api/v1/labor-relations/dispute-cases/"
WAGES = "/api/v1/labor-relations/wage-arrears-cases/"
RATINGS = "/api/v1/labor-relations/credit-ratings/"
BLACKLIST = "/api/v1/labor-relations/blacklist/"


def case_body(**changes) -> dict:
    body = {
        "case_number": "潜劳人仲〔2024〕0001号",
        "org_unit": "429005",
        "applicant": "张伟",
        "respondent": "潜江市荣盛建筑工程有限公司",
        "received_on": "2024-03-05",
        "stage": "arbitration",
        "closed_on": "2024-04-10",
        "closed_how": "awarded",
        "final_award": True,
        "amount": "12000.00",
    }
    return {**body, **changes}


def problems(response) -> str:
    return response.json()["error"]["message"]


@pytest.fixture
def bureau(bureau_user, indicators, orgs):
    return api_client(bureau_user)


def test_bureau_staff_create_a_case_and_the_figures_follow(bureau, bureau_user):
    response = bureau.post(CASES, case_body(), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["deadline_on"] == "2024-04-19"
    assert DisputeCase.objects.get().updated_by == bureau_user
    assert stored("labor_relations.arbitration_final", 4) == 1
    assert stored("labor_relations.closed_on_time", 4) == 1


def test_moving_a_case_through_the_api_recounts_both_months(bureau):
    pk = bureau.post(CASES, case_body(), format="json").json()["id"]
    response = bureau.patch(f"{CASES}{pk}/", {"closed_on": "2024-03-30"}, format="json")
    assert response.status_code == 200, response.json()
    assert (stored("labor_relations.cases_closed", 3), stored("labor_relations.cases_closed", 4)) == (1, None)


def test_deleting_a_case_through_the_api_removes_its_figures(bureau):
    pk = bureau.post(CASES, case_body(), format="json").json()["id"]
    assert bureau.delete(f"{CASES}{pk}/").status_code == 204
    assert stored("labor_relations.dispute_cases", 3) is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"closed_on": "2024-03-01"}, "不能早于受理日期("),
        ({"org_unit": "429005999"}, "区划代码“429005999”不存在,请核对。"),
        ({"amount": "-1"}, "涉案金额不能为负数(填写的是"),
        ({"stage": "mediation"}, "只有仲裁立案审理的案件才能以仲裁裁决结案。"),
        ({"closed_how": "mediated"}, "只有以仲裁裁决结案的案件才能标记为终局裁决。"),
    ],
)
def test_a_bad_case_is_refused_in_chinese_and_nothing_is_written(bureau, changes, message):
    response = bureau.post(CASES, case_body(**changes), format="json")
    assert response.status_code == 400
    assert message in problems(response)
    assert not DisputeCase.objects.exists()
    assert stored("labor_relations.dispute_cases", 3) is None


def test_a_duplicated_case_number_is_refused(bureau):
    assert bureau.post(CASES, case_body(), format="json").status_code == 201
    response = bureau.post(CASES, case_body(received_on="2024-05-02"), format="json")
    assert response.status_code == 400
    assert "该案号已登记,不能重复。" in problems(response)
    assert DisputeCase.objects.count() == 1


def test_a_negative_wage_amount_is_refused(bureau):
    body = {
        "case_number": "潜人社监〔2024〕0001号",
        "org_unit": "429005001",
        "employer": "潜江市鑫源劳务有限公司",
        "source": "platform",
        "opened_on": "2024-03-05",
        "closed_on": "2024-03-20",
        "workers": 3,
        "amount_recovered": "-100",
    }
    response = bureau.post(WAGES, body, format="json")
    assert response.status_code == 400
    assert "追发工资待遇金额不能为负数(填写的是" in problems(response)
    assert not WageArrearsCase.objects.exists()


def test_a_credit_rating_with_a_wrong_check_character_is_refused(bureau):
    body = {"employer": "潜江市华信商贸有限公司", "credit_code": CODE_1[:-1] + "A", "org_unit": "429005001"}
    response = bureau.post(RATINGS, {**body, "year": 2024, "grade": "A"}, format="json")
    assert response.status_code == 400
    assert "统一社会信用代码校验位不正确" in problems(response)
    assert not CreditRating.objects.exists()


def test_a_blacklist_removal_before_listing_is_refused(bureau):
    body = {
        "employer": "潜江市华信商贸有限公司",
        "credit_code": CODE_1,
        "org_unit": "429005001",
        "listed_on": "2024-05-10",
        "removed_on": "2024-05-01",
        "reason": "拖欠农民工工资",
    }
    response = bureau.post(BLACKLIST, body, format="json")
    assert response.status_code == 400
    assert "不能早于列入日期(" in problems(response)


def test_a_township_sees_only_its_own_records(make_wage_case, township_a_user):
    mine = make_wage_case(org="429005001")
    make_wage_case(org="429005002")
    make_wage_case(org="429005")
    response = api_client(township_a_user).get(WAGES)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_a_township_does_not_see_the_city_commissions_cases(make_case, township_a_user, bureau_user):
    make_case(received_on=date(2024, 3, 5))
    assert api_client(township_a_user).get(CASES).json()["results"] == []
    assert len(api_client(bureau_user).get(CASES).json()["results"]) == 1


@pytest.mark.parametrize("who", ["leader_user", "township_a_user"])
def test_leaders_and_townships_cannot_write(request, indicators, make_case, who):
    client = api_client(request.getfixturevalue(who))
    case = make_case()
    assert client.post(CASES, case_body(org_unit="429005001"), format="json").status_code == 403
    assert client.patch(f"{CASES}{case.pk}/", {"amount": "1"}, format="json").status_code in (403, 404)
    assert client.delete(f"{CASES}{case.pk}/").status_code in (403, 404)
    assert DisputeCase.objects.get().amount == 12000


def test_a_leader_reads_every_case(make_case, leader_user):
    make_case()
    assert len(api_client(leader_user).get(CASES).json()["results"]) == 1
