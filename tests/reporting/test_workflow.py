"""The monthly report workflow on real files: upload → preview → confirm → approve or return.
Every bad file is refused with its sheet, row and column, and changes nothing."""

import io
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal as D

import openpyxl
import pytest
import time_machine
from django.db import connection

from common.errors import PermissionDeniedError, Problem
from completion.models import Completion
from indicators.models import FigureChange, MonthlyValue
from reporting.models import Submission
from reporting.services.locks import lock_open, month_is_locked
from reporting.services.upload import submission_upload
from reporting.services.workflow import submission_approve, submission_confirm, submission_return
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B

# These tests are about typed figures: the catalogue as declared, no register feeding it.
pytestmark = pytest.mark.usefixtures("typed_by_hand")

JOBS = "employment.urban_new_jobs"
CERTS, SENIOR = "talent.skill_certificates", "talent.senior_workers"


@pytest.fixture(autouse=True)
def early_december():
    """Reporting November 2024 on 5 December: before the deadline (10 December)."""
    with time_machine.travel("2024-12-05 10:00 +0800", tick=False):
        yield


def upload(
    user, orgs, data: bytes, code: str = TOWNSHIP_A, year: int = 2024, month: int = 11, name="月报.xlsx"
):
    return submission_upload(user=user, township=orgs[code], year=year, month=month, data=data, filename=name)


def messages(preview) -> list[str]:
    return [str(p) for p in preview.problems]


def nothing_saved() -> bool:
    return not Submission.objects.exists() and not MonthlyValue.objects.exists()


def test_a_good_file_gives_a_preview_and_a_draft_but_no_figures(township_a_user, orgs, report_file):
    preview = upload(
        township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120, CERTS: 30, SENIOR: 12})
    )
    assert preview.ok, messages(preview)
    changes = {i.indicator.code: (i.change, i.new) for i in preview.items}
    assert changes[JOBS] == ("new", D(120)) and changes[SENIOR] == ("new", D(12))
    assert changes["employment.skills_training"] == ("unchanged", None)
    draft = preview.submission
    assert (draft.status, draft.version, draft.township.code) == ("draft", 1, TOWNSHIP_A)
    assert bytes(draft.preview_file)[:2] == b"PK" and not draft.file  # its copy waits in the row
    assert not MonthlyValue.objects.exists()


def test_approval_makes_the_figures_count_and_recomputes(
    township_a_user, bureau_user, orgs, report_file, django_capture_on_commit_callbacks
):
    preview = upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120}))
    submitted = submission_confirm(submission=preview.submission, user=township_a_user)
    assert (submitted.status, submitted.is_late) == ("pending", False)
    assert not MonthlyValue.objects.exists()  # pending values do not count
    with django_capture_on_commit_callbacks(execute=True):
        submission_approve(submission=submitted, user=bureau_user)
    value = MonthlyValue.objects.get()
    assert (value.value, value.channel, value.updated_by) == (120, "upload", bureau_user)
    assert FigureChange.objects.get().note.startswith("月报第1版")
    assert Completion.objects.get(indicator__code=JOBS, org_unit__code=TOWNSHIP_A, month=11).actual == 120


def test_a_returned_report_is_resubmitted_as_a_new_version_and_both_are_kept(
    township_a_user, bureau_user, orgs, report_file
):
    first = upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 1200})).submission
    submission_confirm(submission=first, user=township_a_user)
    submission_return(submission=first, user=bureau_user, reason="城镇新增就业人数多填了一个0")
    second = upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120})).submission
    submission_confirm(submission=second, user=township_a_user)
    submission_approve(submission=second, user=bureau_user)
    versions = list(Submission.objects.order_by("version").values_list("version", "status", "return_reason"))
    assert versions == [(1, "returned", "城镇新增就业人数多填了一个0"), (2, "approved", "")]
    assert MonthlyValue.objects.get().value == 120


def test_a_corrected_file_shows_old_and_new_and_a_blank_removes_a_figure(
    township_a_user, bureau_user, orgs, report_file
):
    first = upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120, CERTS: 30}))
    submission_approve(
        submission=submission_confirm(submission=first.submission, user=township_a_user), user=bureau_user
    )
    # The new template comes pre-filled with the stored values; the person corrects one and clears one.
    corrected = upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 125, CERTS: None}))
    changes = {i.indicator.code: (i.change, i.old, i.new) for i in corrected.items}
    assert changes[JOBS] == ("changed", D(120), D(125))
    assert changes[CERTS] == ("removed", D(30), None)
    submission_approve(
        submission=submission_confirm(submission=corrected.submission, user=township_a_user), user=bureau_user
    )
    assert list(MonthlyValue.objects.values_list("indicator__code", "value")) == [(JOBS, D(125))]


def test_a_file_for_another_township_changes_nothing(township_a_user, orgs, report_file):
    preview = upload(township_a_user, orgs, report_file(TOWNSHIP_B, 2024, 11, {JOBS: 5}))
    assert not preview.ok
    assert any("是“杨市街道”(429005002)的报表,不是“园林街道”(429005001)的" in m for m in messages(preview))
    assert nothing_saved()


def test_a_file_for_another_month_changes_nothing(township_a_user, orgs, report_file):
    preview = upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 10, {JOBS: 5}))
    assert "文件是2024年10月的报表,不是2024年11月的。" in " ".join(messages(preview))
    assert nothing_saved()


def test_a_file_for_another_month_says_what_to_do_and_where_the_month_is_written(
    township_a_user, orgs, report_file
):
    preview = upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 10, {JOBS: 5}))
    [problem] = preview.problems
    assert problem.message == (
        "文件是2024年10月的报表,不是2024年11月的。如果要报送2024年11月的数据,请下载2024年11月的模板填写后上传;"
        "如果文件里就是2024年10月的数据,请在上传页面把月份选为2024年10月。"
    )
    assert (problem.sheet, problem.row) == ("月报", 2) and problem.column


def test_a_file_for_another_township_is_one_problem_that_says_where_its_code_is_written(
    township_a_user, orgs, report_file
):
    """Not one more per row: every row of B's template names B, and the one message says what to do."""
    preview = upload(township_a_user, orgs, report_file(TOWNSHIP_B, 2024, 11, {JOBS: 5}))
    [problem] = preview.problems
    assert problem.message.startswith("文件是“杨市街道”(429005002)的报表")
    assert (problem.sheet, problem.row) == ("月报", 2) and problem.column


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({JOBS: -3}, "第5行D列:“城镇新增就业人数”的数值不能为负数(填写的是-3)。"),
        ({JOBS: "十二"}, "第5行D列"),
        ({JOBS: 12.5}, "须为整数"),
        ({CERTS: 10, SENIOR: 11}, "“其中:高级工”(11)不能大于它所属的"),
    ],
    ids=["negative", "text", "fraction", "part-above-whole"],
)
def test_bad_values_are_listed_with_their_place_and_nothing_is_saved(
    township_a_user, orgs, report_file, values, expected
):
    preview = upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, values))
    assert not preview.ok
    assert any(expected in m for m in messages(preview)), messages(preview)
    assert all(p.sheet for p in preview.problems)
    assert nothing_saved()


def test_every_problem_of_a_file_is_listed_at_once(township_a_user, orgs, report_file):
    data = report_file(
        TOWNSHIP_A,
        2024,
        11,
        {JOBS: -1, "employment.skills_training": "#DIV/0!"},
        extra_rows=[("employment.no_such_indicator", "?", "人", 3)],
    )
    problems = messages(upload(township_a_user, orgs, data))
    assert any("指标代码“employment.no_such_indicator”不在2024年的指标体系中" in m for m in problems), (
        problems
    )
    assert any("#DIV/0!" in m for m in problems), problems
    assert any("不能为负数" in m for m in problems), problems
    assert nothing_saved()


def test_a_duplicated_indicator_row_is_refused_naming_both_rows(township_a_user, orgs, report_file):
    data = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 5}, extra_rows=[(JOBS, "城镇新增就业人数", "人", 6)])
    problems = upload(township_a_user, orgs, data).problems
    assert problems == [
        Problem(
            "“城镇新增就业人数”填了两行:第5行和这一行(第6行)。同一指标只能填一行,"
            "请核对哪一行的数值正确,删除另一行后重新上传。",
            sheet="月报",
            row=6,
            column="A",
        )
    ]
    assert nothing_saved()


def test_a_total_row_under_the_table_is_left_out_and_the_file_goes_through(
    township_a_user, orgs, report_file
):
    data = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120, CERTS: 30})
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["月报"]
    last = max(r[0].row for r in sheet.iter_rows() if r[0].value and str(r[0].value).startswith("talent."))
    sheet.insert_rows(last + 1)
    sheet.cell(row=last + 1, column=2, value="合计")
    sheet.cell(row=last + 1, column=4, value=f"=SUM(D5:D{last})")
    out = io.BytesIO()
    book.save(out)

    preview = upload(township_a_user, orgs, out.getvalue())

    assert preview.ok, messages(preview)
    assert [(n.row, n.message.startswith("这一行是合计行(“合计”)")) for n in preview.notices] == [
        (last + 1, True)
    ]
    assert {i.indicator.code: i.new for i in preview.items}[JOBS] == 120


def test_a_far_off_value_is_a_note_of_the_years_rule_not_an_error(township_a_user, orgs, report_file, put):
    put(JOBS, TOWNSHIP_A, 2023, 11, 40)
    preview = upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 400}))
    assert preview.ok
    assert [str(w) for w in preview.warnings] == [
        "工作表“月报”第5行D列:【提示】“城镇新增就业人数”填报400人,去年同月为40人,相差超过3倍。"
    ]


def test_a_township_user_cannot_upload_for_another_township(township_a_user, orgs, report_file):
    with pytest.raises(PermissionDeniedError):
        upload(township_a_user, orgs, report_file(TOWNSHIP_B, 2024, 11, {JOBS: 5}), code=TOWNSHIP_B)
    assert nothing_saved()


def test_only_the_bureau_approves(township_a_user, orgs, report_file):
    submission = submission_confirm(
        submission=upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 5})).submission,
        user=township_a_user,
    )
    with pytest.raises(PermissionDeniedError):
        submission_approve(submission=submission, user=township_a_user)
    assert not MonthlyValue.objects.exists()


def test_a_late_report_is_marked_late(township_a_user, orgs, report_file):
    with time_machine.travel("2024-12-12 09:00 +0800", tick=False):
        preview = upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 5}))
        assert submission_confirm(submission=preview.submission, user=township_a_user).is_late


def test_a_locked_month_is_refused_until_the_bureau_opens_it(township_a_user, bureau_user, orgs, report_file):
    data = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 5})
    with time_machine.travel("2024-12-20 09:00 +0800", tick=False):
        assert month_is_locked(township=orgs[TOWNSHIP_A], year=2024, month=11)
        refused = upload(township_a_user, orgs, data)
        assert any("已于2024年12月15日锁定" in m for m in messages(refused)), messages(refused)
        assert nothing_saved()
        lock_open(township=orgs[TOWNSHIP_A], year=2024, month=11, days=2, reason="补报", user=bureau_user)
        assert not month_is_locked(township=orgs[TOWNSHIP_A], year=2024, month=11)
        assert month_is_locked(township=orgs[TOWNSHIP_B], year=2024, month=11) is not False
        assert upload(township_a_user, orgs, data).ok


@pytest.mark.django_db(transaction=True)
def test_two_townships_uploading_at_once_both_land(
    township_a_user, township_b_user, bureau_user, orgs, report_file
):
    files = {
        TOWNSHIP_A: report_file(TOWNSHIP_A, 2024, 11, {JOBS: 11}),
        TOWNSHIP_B: report_file(TOWNSHIP_B, 2024, 11, {JOBS: 22}),
    }
    users = {TOWNSHIP_A: township_a_user, TOWNSHIP_B: township_b_user}

    def send(code: str) -> None:
        try:
            preview = upload(users[code], orgs, files[code], code=code)
            submission_approve(
                submission=submission_confirm(submission=preview.submission, user=users[code]),
                user=bureau_user,
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(send, [TOWNSHIP_A, TOWNSHIP_B]))
    stored = dict(MonthlyValue.objects.values_list("org_unit__code", "value"))
    assert stored == {TOWNSHIP_A: 11, TOWNSHIP_B: 22}
    assert sorted(Submission.objects.values_list("township__code", "version", "status")) == [
        (TOWNSHIP_A, 1, "approved"),
        (TOWNSHIP_B, 1, "approved"),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_same_township_uploading_twice_at_once_leaves_one_draft(township_a_user, orgs, report_file):
    """The two run one after the other (the township's row is locked): the second replaces the first."""
    data = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 11})

    def send(_: int) -> int:
        try:
            return upload(township_a_user, orgs, data).submission.pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        sent = set(pool.map(send, [1, 2]))
    assert len(sent) == 2 and list(Submission.objects.values_list("version", "status")) == [(1, "draft")]
    assert Submission.objects.get().pk in sent
