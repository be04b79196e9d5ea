"""A small, hand-countable data set for the dashboards.

城镇新增就业人数 (urban new jobs), quotas 2024: city 1,200, 园林街道 (A) 600, 杨市街道 (B) 400.
2024 values: A 50, 60, 70 (Jan-Mar) ; B 10, 10, 20.  City year-to-date at March = 220.
2023 values: A 30 a month Jan-Mar, 100 a month Apr-Dec (total 990): the seasonal profile."""

import pytest

from completion.models import CompletionRun
from completion.services import completion_recompute

JOBS = "employment.urban_new_jobs"
CITY, A, B = "429005", "429005001", "429005002"


@pytest.fixture
def small(put, set_quota):
    set_quota(JOBS, CITY, 2024, 1200)
    set_quota(JOBS, A, 2024, 600)
    set_quota(JOBS, B, 2024, 400)
    for month, (a, b) in enumerate([(50, 10), (60, 10), (70, 20)], start=1):
        put(JOBS, A, 2024, month, a)
        put(JOBS, B, 2024, month, b)
    for month in range(1, 13):
        put(JOBS, A, 2023, month, 30 if month <= 3 else 100)
    for year in (2023, 2024):
        completion_recompute(year=year, trigger=CompletionRun.Trigger.COMMAND)
