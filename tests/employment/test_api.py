"""The registers' API: bureau staff write with the models' own rules (Chinese messages, nothing saved on
a bad record, the figures follow a good one); township users read only their own township; leaders
and township users cannot write."""

from datetime import date

import pytest

from employment.models import GigStationMonth, GuaranteeLoan, TrainingClass
from indicators.models import MonthlyValue
from tests.employment.conftest import api_client, api_problems
from tests.registers.records import create_record, update_record

LOANS = "/api/v1/employment/guarantee-loans/"
CLASSES = "/api/v1/employment/training-classes/"
STARTUPS = "/api/v1/employment/returnee-startups/"
STATIONS = "/api/v1/employment/gig-stations/"
STATION_MONTHS = "/api/v1/employment/gig-station-months/"


def loan(**changes) -> dict:
    return {
        "loan_number": "QJCD202400001",
        "borrower_name": "潜江市虾都水产食品有限公司",
        "borrower_kind": "small_business",
        "org_unit": "429005001",
        "issued_on": "2024-03-05",
        "amount": "120.5",
        "term_months": 24,
        "jobs_created": 8,
        **changes,
    }


def training(**changes) -> dict:
    return {
        "name": "SYB创业培训班",
        "training_type": "syb",
        "org_unit": "429005002",
        "start_on": "2024-05-06",
        "end_on": "2024-05-15",
        "trainees": 30,
        "completions": 30,
        **changes,
    }


def test_bureau_staff_post_a_loan_and_its_month_is_counted(bureau_api, bureau_user):
    response = bureau_api.post(LOANS, loan(), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["org_unit"] == "429005001" and response.json()["updated_by"]
    stored = MonthlyValue.objects.get(indicator__code="employment.guarantee_loan_amount", month=3)
    assert stored.value == GuaranteeLoan.objects.get().amount == 120.5


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"org_unit": "429005999"}, "org_unit", "区划代码“429005999”不存在"),
        ({"amount": "-1"}, "amount", "贷款金额须大于0"),
        ({"issued_on": "2099-03-05"}, "issued_on", "晚于今天"),
        ({"borrower_kind": "company"}, "borrower_kind", "不是合法选项"),
    ],
)
def test_a_bad_loan_is_refused_in_chinese_and_nothing_is_saved(bureau_api, changes, field, message):
    response = bureau_api.post(LOANS, loan(**changes), format="json")
    assert response.status_code == 400
    assert message in api_problems(response)[field]
    assert not GuaranteeLoan.objects.exists() and not MonthlyValue.objects.exists()


def test_a_duplicated_loan_number_is_refused(bureau_api, make_loan):
    make_loan(loan_number="QJCD202400001")
    response = bureau_api.post(LOANS, loan(), format="json")
    assert response.status_code == 400
    assert "贷款编号已存在" in api_problems(response)["loan_number"]
    assert GuaranteeLoan.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_on": "2024-05-01"}, "end_on", "不能早于开班日期"),
        ({"completions": 31}, "completions", "结业人数(31)不能大于培训人数(30)"),
    ],
)
def test_a_bad_class_is_refused_in_chinese(bureau_api, changes, field, message):
    response = bureau_api.post(CLASSES, training(**changes), format="json")
    assert response.status_code == 400
    assert message in api_problems(response)[field]
    assert not TrainingClass.objects.exists()


def test_a_patch_that_breaks_a_rule_on_a_stored_class_is_refused(bureau_api, make_class):
    course = make_class(trainees=40)
    response = bureau_api.patch(f"{CLASSES}{course.pk}/", {"trainees": 10}, format="json")
    assert response.status_code == 400 and "不能大于培训人数" in str(api_problems(response))
    course.refresh_from_db()
    assert course.trainees == 40


def test_moving_a_class_through_the_api_moves_its_trainees(bureau_api, make_class):
    course = make_class(trainees=40)
    assert (
        bureau_api.patch(f"{CLASSES}{course.pk}/", {"end_on": "2024-06-01"}, format="json").status_code == 200
    )
    by_month = dict(
        MonthlyValue.objects.filter(indicator__code="employment.skills_training").values_list(
            "month", "value"
        )
    )
    assert by_month == {6: 40}


def test_deleting_a_start_up_through_the_api_removes_its_figures(bureau_api, make_startup):
    startup = make_startup()
    assert bureau_api.delete(f"{STARTUPS}{startup.pk}/").status_code == 204
    assert not MonthlyValue.objects.exists()


def test_a_township_user_sees_only_its_own_townships_loans(township_a_user, make_loan):
    make_loan("429005001")
    make_loan("429005002")
    rows = api_client(township_a_user).get(LOANS).json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [r["org_unit"] for r in rows] == ["429005001"]


def test_a_township_user_cannot_read_another_townships_record(township_a_user, make_loan):
    other = make_loan("429005002")
    assert api_client(township_a_user).get(f"{LOANS}{other.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["leader_user", "township_a_user"])
def test_leaders_and_township_users_cannot_write(request, indicators, who, make_loan):
    api = api_client(request.getfixturevalue(who))
    existing = make_loan(loan_number="QJCD202400009")
    assert api.post(LOANS, loan(), format="json").status_code == 403
    assert api.delete(f"{LOANS}{existing.pk}/").status_code == 403
    assert list(GuaranteeLoan.objects.values_list("loan_number", flat=True)) == ["QJCD202400009"]


def test_a_leader_reads_every_township(leader_user, make_loan):
    make_loan("429005001")
    make_loan("429005002")
    rows = api_client(leader_user).get(LOANS).json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert len(rows) == 2


def test_station_months_are_scoped_by_their_stations_township(
    bureau_api, township_a_user, township_b_user, micro_station
):
    response = bureau_api.post(
        STATION_MONTHS,
        {"station": micro_station.pk, "year": 2024, "month": 3, "services": 80, "placements": 4},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert len(_rows(api_client(township_a_user).get(STATION_MONTHS).json())) == 1
    assert _rows(api_client(township_b_user).get(STATION_MONTHS).json()) == []


def test_a_station_month_before_the_station_opened_is_refused(bureau_api, micro_station):
    micro_station.opened_on = date(2024, 5, 10)
    update_record(micro_station)
    response = bureau_api.post(
        STATION_MONTHS, {"station": micro_station.pk, "year": 2024, "month": 3}, format="json"
    )
    assert response.status_code == 400 and "才建站" in str(api_problems(response))
    assert not GigStationMonth.objects.exists()


def test_the_year_totals_by_township_and_level(bureau_api, micro_station, hub):
    create_record(GigStationMonth, station=micro_station, year=2024, month=3, services=80, placements=4)
    create_record(GigStationMonth, station=micro_station, year=2024, month=4, services=20, placements=1)
    create_record(GigStationMonth, station=hub, year=2024, month=4, services=500)
    rows = bureau_api.get(f"{STATION_MONTHS}year-totals/", {"year": 2024}).json()
    assert [
        (r["org_code"], r["level_label"], r["stations"], r["services"], r["placements"]) for r in rows
    ] == [
        ("429005", "零工驿站总站", 1, 500, 0),
        ("429005001", "区镇街道微站", 1, 100, 5),
    ]


def test_a_township_user_gets_only_its_own_year_totals(township_b_user, micro_station, hub):
    create_record(GigStationMonth, station=micro_station, year=2024, month=3, services=80)
    create_record(GigStationMonth, station=hub, year=2024, month=3, services=500)
    assert api_client(township_b_user).get(f"{STATION_MONTHS}year-totals/", {"year": 2024}).json() == []


def test_year_totals_without_a_year_are_refused_in_chinese(bureau_api):
    response = bureau_api.get(f"{STATION_MONTHS}year-totals/")
    assert response.status_code == 400 and "指定年度" in str(api_problems(response))


def test_a_hub_under_a_parent_is_refused(bureau_api, hub, city):
    data = {
        "kind": "hub",
        "name": "第二总站",
        "org_unit": city.code,
        "parent": hub.pk,
        "opened_on": "2024-02-01",
    }
    response = bureau_api.post(STATIONS, data, format="json")
    assert response.status_code == 400 and "总站不能有上级驿站" in str(api_problems(response))


def _rows(data):
    return data["results"] if isinstance(data, dict) else data
