"""Reminders and notices: November 2026 is the month due (deadline 10 December 2026, locked after the
15th). Townships A (园林街道) and B (杨市街道) have a user each with an email address; the other 21
townships have none, and are reminded all the same (the record shows it)."""

from __future__ import annotations

import pytest
import time_machine

from reporting.services.upload import submission_upload
from reporting.services.workflow import submission_confirm
from reporting.templates_xlsx import template_workbook
from tests.reporting.conftest import fill

YEAR, MONTH = 2026, 11
JOBS = "employment.urban_new_jobs"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(typed_by_hand, bureau_user, leader_user, township_a_user, township_b_user):
    township_a_user.email, township_b_user.email = "yuanlin@example.cn", "yangshi@example.cn"
    township_a_user.save(update_fields=["email"])
    township_b_user.save(update_fields=["email"])
    bureau_user.email = "bureau@example.cn"
    bureau_user.save(update_fields=["email"])
    return {"bureau": bureau_user, "leader": leader_user, "a": township_a_user, "b": township_b_user}


def at(moment: str):
    """Frozen time in Asia/Shanghai: at("2026-12-07 09:00")."""
    return time_machine.travel(f"{moment} +0800", tick=False)


@pytest.fixture
def send_report(orgs):
    """send_report(user, code): the township uploads and confirms November 2026 (now, as frozen)."""

    def _send(user, code: str, value: int = 12, year: int = YEAR, month: int = MONTH):
        data = fill(template_workbook(township=orgs[code], year=year, month=month), {JOBS: value})
        preview = submission_upload(
            user=user, township=orgs[code], year=year, month=month, data=data, filename="月报.xlsx"
        )
        assert preview.ok, [str(p) for p in preview.problems]
        return submission_confirm(submission=preview.submission, user=user)

    return _send
