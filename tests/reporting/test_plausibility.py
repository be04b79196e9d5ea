"""Figures far from the township's own history or outside what the indicator can be are warnings to
check before confirming, listed in the preview; never silently accepted, never refused. What cannot be
stored is still refused."""

from dataclasses import replace

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators import catalog
from reporting.services import submission_upload
from tests.conftest import TOWNSHIP_A

CITY = "429005"

pytestmark = pytest.mark.usefixtures("typed_by_hand")

JOBS, FLEXIBLE = "employment.urban_new_jobs", "social_insurance.flexible_new_insured"


@pytest.fixture(autouse=True)
def early_december():
    with time_machine.travel("2024-12-05 10:00 +0800", tick=False):
        yield


@pytest.fixture
def preview_of(township_a_user, orgs, report_file):
    def _preview(values: dict[str, object]):
        data = report_file(TOWNSHIP_A, 2024, 11, values)
        return submission_upload(
            user=township_a_user,
            township=orgs[TOWNSHIP_A],
            year=2024,
            month=11,
            data=data,
            filename="月报.xlsx",
        )

    return _preview


def warnings(preview) -> list[str]:
    return [str(w) for w in preview.warnings]


def test_a_figure_far_above_the_recent_months_is_a_warning(preview_of, put):
    for month, value in ((8, 40), (9, 50), (10, 60)):
        put(JOBS, TOWNSHIP_A, 2024, month, value)
    preview = preview_of({JOBS: 400})
    assert preview.ok
    assert warnings(preview) == [
        "工作表“月报”第5行D列:“城镇新增就业人数”填报400人,近3个月平均为50人,相差超过3倍,请核实。"
    ]


def test_a_figure_like_the_recent_months_is_no_warning(preview_of, put):
    for month, value in ((8, 40), (9, 50), (10, 60)):
        put(JOBS, TOWNSHIP_A, 2024, month, value)
    assert warnings(preview_of({JOBS: 70})) == []


def test_a_figure_far_above_the_townships_highest_on_record_is_a_warning(preview_of, put):
    put(JOBS, TOWNSHIP_A, 2022, 5, 120)  # nothing last year, nothing in recent months
    assert warnings(preview_of({JOBS: 500})) == [
        "工作表“月报”第5行D列:“城镇新增就业人数”填报500人,超过本区镇街道以往最高值120人的3倍,请核实。"
    ]


def test_the_same_month_last_year_is_asked_about_first(preview_of, put):
    put(JOBS, TOWNSHIP_A, 2023, 11, 40)
    for month in (8, 9, 10):
        put(JOBS, TOWNSHIP_A, 2024, month, 300)
    assert warnings(preview_of({JOBS: 400})) == [
        "工作表“月报”第5行D列:“城镇新增就业人数”填报400人,去年同月为40人,相差超过3倍,请核实。"
    ]


def test_a_trillion_new_insured_persons_is_flagged_above_the_citys_population(preview_of):
    """The reported case: no history, so nothing asked; a township cannot count more than the city."""
    preview = preview_of({FLEXIBLE: "1,000,000,000,000"})
    assert preview.ok
    assert warnings(preview) == [
        "工作表“月报”第12行D列:“新增灵活从业人员参保人数”填报1,000,000,000,000人,"
        "超过全市常住人口(856,000人),请核实是否多填了位数或填错了单位。"
    ]


def test_the_population_ceiling_is_the_residents_stored_for_the_city(preview_of, put):
    put("social_insurance.resident_population", CITY, 2024, 12, 900_000)
    assert "超过全市常住人口(900,000人)" in warnings(preview_of({FLEXIBLE: 950_000}))[0]
    assert warnings(preview_of({FLEXIBLE: 850_000})) == []


def test_both_the_history_and_the_ceiling_are_named(preview_of, put):
    put(FLEXIBLE, TOWNSHIP_A, 2023, 11, 25)
    found = warnings(preview_of({FLEXIBLE: 3_000_000}))
    assert len(found) == 2 and "去年同月为25人" in found[0] and "超过全市常住人口" in found[1]


def test_a_declared_ceiling_is_a_warning(preview_of, monkeypatch):
    spec = next(s for s in catalog.registered_specs() if s.code == JOBS)
    monkeypatch.setitem(catalog._specs, JOBS, replace(spec, plausible_max=5_000))
    assert warnings(preview_of({JOBS: 6_000})) == [
        "工作表“月报”第5行D列:“城镇新增就业人数”填报6,000人,超过该指标的合理上限(5,000人),"
        "请核实是否多填了位数或填错了单位。"
    ]


def test_a_figure_too_large_to_store_is_still_refused(preview_of):
    preview = preview_of({FLEXIBLE: "123,456,789,012,345"})
    assert not preview.ok
    assert any("数值过大" in str(p) for p in preview.problems)
    assert preview.submission is None


def test_the_warnings_are_kept_with_the_draft_for_the_reviewer(preview_of):
    draft = preview_of({FLEXIBLE: 2_000_000}).submission
    assert len(draft.warnings) == 1 and "超过全市常住人口" in draft.warnings[0]


def test_the_preview_page_lists_the_warnings_and_asks_to_confirm_them(
    client, township_a_user, orgs, report_file
):
    client.force_login(township_a_user)
    data = report_file(TOWNSHIP_A, 2024, 11, {FLEXIBLE: 2_000_000})
    form = {
        "township": orgs[TOWNSHIP_A].pk,
        "year": 2024,
        "month": 11,
        "file": SimpleUploadedFile("月报.xlsx", data),
    }
    page = client.post(reverse("reporting:upload"), form).content.decode()
    assert "请核实以下 1 项" in page and "超过全市常住人口(856,000人)" in page
    assert "已核实以上提醒,确认提交" in page
