"""The work report's wording, on small hand-made figures: the bureau's own sentences are what the tests
expect, mid-year clauses against the calendar, the townships behind named, a township's own report.
The demo's 2024 (every figure of the bureau's report, the .docx) is in test_work_report_2024.py."""

import pytest

from .work_report_text import (
    EMPLOYMENT_2024,
    FIGURES,
    FIGURES_COPY,
    INSURANCE_2024,
    INSURED_2024,
    SEED,
    TALENT_2024,
)
from .work_report_text import report_items as _report


@pytest.mark.parametrize("sentence", [EMPLOYMENT_2024, INSURANCE_2024, TALENT_2024, INSURED_2024])
def test_the_expected_sentences_are_the_seed_reports_own(sentence):
    if not SEED.exists():
        pytest.skip(f"the seed report is not at {SEED}")
    seed = SEED.read_text(encoding="utf-8")
    assert sentence in seed
    assert "\uff0c" not in seed and "\uff1b" not in seed


def test_the_figures_file_is_the_shared_one():
    if not FIGURES.exists():
        pytest.skip(f"the shared figures are not at {FIGURES}")
    assert FIGURES.read_bytes() == FIGURES_COPY.read_bytes()


def test_mid_year_against_the_calendar_and_the_townships_behind(small, city):
    paragraph = _report(city, 2024, 3)["(一)1"]
    assert paragraph == (
        "1-3月城镇新增就业人数220人,完成年度目标的18.3%,落后时序进度6.7个百分点。"
        "分区镇街道看,城镇新增就业人数落后时序进度的有杨市街道,其中杨市街道严重落后。"
    )


def test_a_township_reads_its_own_figures_without_the_others(small, township_a):
    paragraph = _report(township_a, 2024, 3, city_view=False)["(一)1"]
    assert paragraph == "1-3月城镇新增就业人数180人,完成年度目标的30.0%,超时序进度5.0个百分点。"


def test_several_indicators_close_with_one_judgement(small, city, put, set_quota):
    from completion.services import completion_recompute

    set_quota("employment.unemployed_reemployed", "429005", 2024, 100)
    put("employment.unemployed_reemployed", "429005001", 2024, 1, 40)
    completion_recompute(year=2024)
    paragraph = _report(city, 2024, 3, city_view=False)["(一)1"]
    assert paragraph == (
        "1-3月城镇新增就业人数220人,完成年度目标的18.3%,落后时序进度6.7个百分点;"
        "失业人员再就业40人,完成年度目标的40.0%,超时序进度15.0个百分点,城镇新增就业人数落后时序进度。"
    )


def test_a_township_with_a_quota_and_no_figures_is_named(small, city, set_quota):
    from completion.services import completion_recompute

    set_quota("employment.urban_new_jobs", "429005003", 2024, 100)  # 周矶街道 reports nothing
    completion_recompute(year=2024)
    paragraph = _report(city, 2024, 3)["(一)1"]
    assert paragraph.endswith(";周矶街道有目标任务但未报送数据。")
