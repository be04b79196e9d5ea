"""export_template and import_report: the same pipeline from the command line, as bureau staff."""

from io import StringIO

import openpyxl
import pytest
import time_machine
from django.core.management import CommandError, call_command

from accounts.models import User
from indicators.models import MonthlyValue
from reporting.models import Submission
from tests.conftest import TOWNSHIP_A
from tests.reporting.conftest import fill

JOBS = "employment.urban_new_jobs"


@pytest.fixture(autouse=True)
def early_december():
    with time_machine.travel("2024-12-05 10:00 +0800", tick=False):
        yield


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("root", password="pw-for-tests")


@pytest.fixture
def filled_template(tmp_path, indicators, orgs):
    path = tmp_path / "template.xlsx"
    call_command(
        "export_template", township=TOWNSHIP_A, year=2024, month=11, output=str(path), stdout=StringIO()
    )

    def _fill(values) -> str:
        path.write_bytes(fill(path.read_bytes(), values))
        return str(path)

    return _fill


def run_import(path: str, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(
        "import_report",
        path,
        "--township",
        TOWNSHIP_A,
        "--year",
        "2024",
        "--month",
        "11",
        *args,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def test_export_template_writes_the_townships_template(tmp_path, indicators, orgs):
    path = tmp_path / "t.xlsx"
    call_command(
        "export_template", township=TOWNSHIP_A, year=2024, month=11, output=str(path), stdout=StringIO()
    )
    assert openpyxl.load_workbook(path)["月报"]["B2"].value == "园林街道"


def test_export_template_for_the_city_writes_every_township(tmp_path, indicators, orgs):
    path = tmp_path / "city.xlsx"
    call_command(
        "export_template", township="429005", year=2024, month=11, output=str(path), stdout=StringIO()
    )
    assert len([s for s in openpyxl.load_workbook(path).sheetnames if s not in ("填报说明", "_meta")]) == 23


def test_a_dry_run_prints_the_preview_and_saves_nothing(admin_user, filled_template):
    out, _ = run_import(filled_template({JOBS: 120}), "--dry-run")
    assert "新增   园林街道 城镇新增就业人数:— → 120 人" in out and "试运行" in out
    assert not Submission.objects.exists() and not MonthlyValue.objects.exists()


def test_errors_are_printed_and_the_command_fails_without_saving(admin_user, filled_template):
    with pytest.raises(CommandError, match="共 1 个问题,未导入任何数据"):
        run_import(filled_template({JOBS: -1}))
    assert not Submission.objects.exists()


def test_import_submits_for_review(admin_user, filled_template):
    out, _ = run_import(filled_template({JOBS: 120}))
    assert "园林街道:已提交,待审核(第1版)" in out
    assert Submission.objects.get().status == "pending" and not MonthlyValue.objects.exists()


def test_approve_makes_the_figures_count_in_the_same_step(admin_user, filled_template):
    out, _ = run_import(filled_template({JOBS: 120}), "--approve")
    assert "园林街道:已审核通过,新增 1" in out
    assert MonthlyValue.objects.get().value == 120


def test_a_city_wide_file_lands_for_every_township_it_fills(admin_user, tmp_path, indicators, orgs):
    path = tmp_path / "city.xlsx"
    call_command(
        "export_template", township="429005", year=2024, month=11, output=str(path), stdout=StringIO()
    )
    data = fill(fill(path.read_bytes(), {JOBS: 11}, sheet="园林街道"), {JOBS: 22}, sheet="杨市街道")
    path.write_bytes(data)
    out = StringIO()
    call_command("import_report", str(path), township="429005", year=2024, month=11, approve=True, stdout=out)
    stored = dict(MonthlyValue.objects.filter(indicator__code=JOBS).values_list("org_unit__code", "value"))
    assert stored == {TOWNSHIP_A: 11, "429005002": 22}
    assert Submission.objects.filter(status="approved").count() == 23  # every township's sheet is its report
    # Each township keeps its own copy: its sheet of the city-wide file, as read (reporting/kept_copy.py).
    files = {s.township.code: s.file for s in Submission.objects.select_related("township")}
    assert len(set(files.values())) == 23
    assert openpyxl.load_workbook(files[TOWNSHIP_A].open("rb")).sheetnames == [
        "园林街道",
        "文件说明",
        "_meta",
    ]
