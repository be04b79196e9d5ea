"""Recruitment plans, campus recruitment, certification bodies, competitions and awards: their rules
(of-which never above the whole, no negative counts) at every door, and the year summaries."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.permissions import RecordScope
from registers.models import RecordChange
from registers.resources import register_resource
from talent.models import (
    CampusRecruitment,
    CertificationBody,
    CompetitionAward,
    RecruitmentPlan,
    SkillCompetition,
)
from talent.selectors import (
    campus_recruitment_year_summary,
    competition_year_summary,
    recruitment_year_summary,
)
from tests.registers.records import create_record
from tests.talent.conftest import xlsx_dataset

CampusRecruitmentResource, RecruitmentPlanResource = (
    register_resource(CampusRecruitment),
    register_resource(RecruitmentPlan),
)

WHOLE_CITY = RecordScope.whole_city()

CITY = "429005"


@pytest.fixture(autouse=True)
def _catalogue(indicators, orgs):
    return indicators


def plan(city, **extra) -> RecruitmentPlan:
    data = {
        "org_unit": city,
        "year": 2024,
        "employer": "潜江市中心医院",
        "posts": 3,
        "applicants": 40,
        "hired": 3,
    }
    data["approved_on"] = date(extra.get("year", 2024), 5, 1)  # the plan approved (counted in May)
    return create_record(RecruitmentPlan, **{**data, **extra})


def test_the_recruitment_summary_adds_up_the_years_plans(city):
    plan(city)
    plan(city, posts=2, applicants=10, hired=1)
    plan(city, year=2023)

    assert recruitment_year_summary(year=2024, scope=WHOLE_CITY) == {
        "plans": 2,
        "posts": 5,
        "applicants": 50,
        "hired": 4,
    }


def test_the_campus_summary_counts_a_university_visited_twice_once(city):
    for day, signed, masters in ((date(2024, 3, 5), 10, 2), (date(2024, 10, 9), 5, 1)):
        create_record(
            CampusRecruitment,
            org_unit=city,
            university="长江大学",
            held_on=day,
            applicants=50,
            signed=signed,
            masters=masters,
        )

    assert campus_recruitment_year_summary(year=2024, scope=WHOLE_CITY) == {
        "universities": 1,
        "events": 2,
        "applicants": 100,
        "signed": 15,
        "masters": 3,
    }


def test_the_competition_summary_lists_hosted_contests_and_prizes():
    contest = create_record(
        SkillCompetition, name="省赛", level="provincial", held_on=date(2024, 8, 1), contestants=6
    )
    create_record(CompetitionAward, competition=contest, winner="代表队", prize="silver")
    create_record(
        SkillCompetition,
        name="承办赛",
        level="provincial",
        held_on=date(2024, 10, 1),
        hosted=True,
        contestants=87,
        regions=12,
    )

    summary = competition_year_summary(year=2024, scope=WHOLE_CITY)

    assert (summary["competitions"], summary["hosted"], summary["hosted_contestants"]) == (2, 1, 87)
    assert summary["by_level"] == {"国家级": 0, "省级": 2, "市级": 0}
    assert summary["awards"] == [{"level": "省级", "prize": "银奖", "count": 1}]


# --- of-which above the whole, negative counts ---


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"hired": 4}, "聘用人数(4)不能大于计划招聘岗位数(3)"),
        ({"applicants": 2, "hired": 3}, "聘用人数(3)不能大于报名人数(2)"),
        ({"applicants": -1}, "确保该值大于或等于0"),
    ],
)
def test_the_admin_refuses_a_bad_recruitment_plan(client, bureau_user, city, extra, message):
    client.force_login(bureau_user)
    form = {"org_unit": city.pk, "year": 2024, "employer": "医院", "posts": 3, "applicants": 40, "hired": 3}

    response = client.post(reverse("admin:talent_recruitmentplan_add"), {**form, **extra})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RecruitmentPlan.objects.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"masters": 6}, "其中硕士及以上人数(6)不能大于签约人数(5)"),
        ({"signed": 60}, "签约人数(60)不能大于投递简历人数(50)"),
        ({"applicants": -50}, "0"),
        ({"org_unit": "429005999"}, "区划代码“429005999”不存在"),
    ],
)
def test_the_api_refuses_a_bad_campus_event(client, bureau_user, extra, message):
    client.force_login(bureau_user)
    body = {
        "org_unit": CITY,
        "university": "长江大学",
        "held_on": "2024-04-01",
        "applicants": 50,
        "signed": 5,
    }
    body |= {"masters": 1} | extra

    response = client.post("/api/v1/talent/campus-recruitment/", body, content_type="application/json")

    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert not CampusRecruitment.objects.exists()


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ([CITY, 2024, "医院乙", 1, 10, 2, ""], "聘用人数(2)不能大于计划招聘岗位数(1)"),
        (["429005999", 2024, "医院乙", 1, 10, 1, ""], "区划代码“429005999”不存在"),
        ([CITY, 2024, "医院乙", 1, -10, 0, ""], "报名人数不能为负数(填写的是-10)。"),
    ],
)
def test_a_recruitment_import_with_one_bad_row_writes_nothing(bureau_user, bad_row, message):
    headers = ["区划代码", "年度", "招聘单位", "计划招聘岗位数", "报名人数", "聘用人数", "备注"]
    dataset = xlsx_dataset(headers, [[CITY, 2024, "医院甲", 2, 30, 2, ""], bad_row])

    result = RecruitmentPlanResource().import_data(dataset, dry_run=False, user=bureau_user)

    messages = [str(e.error) for _, errors in result.row_errors() for e in errors]
    messages += [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]
    assert any(message in m for m in messages), messages
    assert not RecruitmentPlan.objects.exists()


def test_a_campus_import_lands_whole(bureau_user):
    headers = ["区划代码", "高校", "举办日期", "投递简历人数", "签约人数", "其中:硕士及以上", "备注"]
    dataset = xlsx_dataset(headers, [[CITY, "武汉大学", "2024-03-10", 120, 30, 8, ""]])

    result = CampusRecruitmentResource().import_data(dataset, dry_run=False, user=bureau_user)

    assert not result.has_errors() and not result.has_validation_errors()
    assert CampusRecruitment.objects.get().held_on == date(2024, 3, 10)


# --- the city's own records: those who see the whole city read, only the bureau writes ---


def test_a_leader_reads_the_bodies(client, leader_user, body):
    client.force_login(leader_user)

    listed = client.get("/api/v1/talent/certification-bodies/").json()["results"]

    assert [b["name"] for b in listed] == ["潜江市技工学校"]


def test_a_township_user_neither_reads_the_citys_bodies_nor_adds_one(client, township_a_user, body):
    client.force_login(township_a_user)

    listed = client.get("/api/v1/talent/certification-bodies/").json()["results"]
    posted = client.post(
        "/api/v1/talent/certification-bodies/",
        {"name": "新机构", "kind": "social", "recognised_on": "2024-01-01"},
        content_type="application/json",
    )

    assert listed == []
    assert posted.status_code == 403
    assert CertificationBody.objects.count() == 1


def test_the_api_refuses_a_body_registered_twice(client, bureau_user, body):
    client.force_login(bureau_user)

    response = client.post(
        "/api/v1/talent/certification-bodies/",
        {"name": "潜江市技工学校", "kind": "school", "recognised_on": "2024-01-01"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "该评价机构已经登记过" in response.json()["error"]["message"]


def test_the_api_refuses_a_competition_with_negative_contestants(client, bureau_user):
    client.force_login(bureau_user)

    response = client.post(
        "/api/v1/talent/competitions/",
        {"name": "市赛", "level": "city", "held_on": "2024-05-01", "contestants": -3},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert not SkillCompetition.objects.exists()


def test_the_api_records_an_award_and_summarises_the_year(client, bureau_user, leader_user):
    contest = create_record(
        SkillCompetition, name="省赛", level="provincial", held_on=date(2024, 8, 1), contestants=6
    )
    client.force_login(bureau_user)
    posted = client.post(
        "/api/v1/talent/competition-awards/",
        {"competition": contest.pk, "winner": "代表队", "prize": "silver"},
        content_type="application/json",
    )
    client.force_login(leader_user)

    summary = client.get("/api/v1/talent/competitions/summary/", {"year": 2024}).json()

    assert posted.status_code == 201
    assert summary["awards"] == [{"level": "省级", "prize": "银奖", "count": 1}]


def test_the_competition_admin_opens_with_its_awards(client, bureau_user):
    contest = create_record(
        SkillCompetition, name="省赛", level="provincial", held_on=date(2024, 8, 1), contestants=6
    )
    create_record(CompetitionAward, competition=contest, winner="代表队", prize="silver")
    client.force_login(bureau_user)

    response = client.get(reverse("admin:talent_skillcompetition_change", args=[contest.pk]))

    assert response.status_code == 200
    assert "代表队" in response.content.decode()


def test_awards_added_and_removed_inline_go_through_the_register_service(client, bureau_user):
    contest = create_record(
        SkillCompetition, name="省赛", level="provincial", held_on=date(2024, 8, 1), contestants=6
    )
    old = create_record(CompetitionAward, competition=contest, winner="代表队", prize="silver")
    client.force_login(bureau_user)
    form = {
        "name": "省赛", "level": "provincial", "held_on": "2024-08-01", "contestants": 6, "regions": "",
        "remark": "", "awards-TOTAL_FORMS": 2, "awards-INITIAL_FORMS": 1, "awards-MIN_NUM_FORMS": 0,
        "awards-MAX_NUM_FORMS": 1000, "awards-0-id": old.pk, "awards-0-competition": contest.pk,
        "awards-0-winner": "代表队", "awards-0-prize": "silver", "awards-0-DELETE": "on",
        "awards-1-competition": contest.pk, "awards-1-winner": "张三", "awards-1-prize": "gold",
    }  # fmt: skip

    response = client.post(reverse("admin:talent_skillcompetition_change", args=[contest.pk]), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    [new] = CompetitionAward.objects.all()
    assert (new.winner, new.updated_by) == ("张三", bureau_user)
    history = RecordChange.objects.filter(content_type=ContentType.objects.get_for_model(CompetitionAward))
    assert sorted((h.object_repr, h.action, h.door, h.changed_by) for h in history) == [
        ("代** 银奖", "create", "command", None),
        ("代** 银奖", "delete", "admin", bureau_user),
        ("张* 金奖", "create", "admin", bureau_user),
    ]
