"""Versions of one township's month: a newer version replaces the older ones (已被新版本替代), and no
path (approve, return, confirm, the import command, a city-wide upload) puts an older version's
figures over a newer one's, not even two people acting at the same moment on two connections."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from common.errors import PortalError
from indicators.models import FigureChange, MonthlyValue
from reporting.models import Submission
from reporting.selectors import reporting_status
from reporting.services.upload import city_report_upload, submission_upload
from reporting.services.workflow import submission_approve, submission_confirm, submission_return
from reporting.templates_xlsx import city_template_workbook
from tests.conftest import TOWNSHIP_A
from tests.reporting.conftest import fill

pytestmark = pytest.mark.usefixtures("typed_by_hand")

JOBS = "employment.urban_new_jobs"


@pytest.fixture(autouse=True)
def early_december():
    with time_machine.travel("2024-12-05 10:00 +0800", tick=False):
        yield


@pytest.fixture
def send(township_a_user, orgs, report_file):
    """send(70) -> the township's next draft of November 2024 with that many new jobs."""

    def _send(jobs: int, *, month: int = 11, user=township_a_user) -> Submission:
        data = report_file(TOWNSHIP_A, 2024, month, {JOBS: jobs})
        preview = submission_upload(
            user=user, township=orgs[TOWNSHIP_A], year=2024, month=month, data=data, filename="月报.xlsx"
        )
        assert preview.ok, preview.problems
        return preview.submission

    return _send


def statuses(month: int = 11) -> list[tuple[int, str, int | None]]:
    rows = Submission.objects.filter(township__code=TOWNSHIP_A, month=month).order_by("version")
    return [(s.version, s.status, s.superseded_by.version if s.superseded_by else None) for s in rows]


def jobs_figure(month: int = 11):
    return (
        MonthlyValue.objects.filter(indicator__code=JOBS, month=month).values_list("value", flat=True).first()
    )


def test_confirming_a_new_version_supersedes_the_one_waiting_for_review(send, township_a_user):
    submission_confirm(submission=send(70), user=township_a_user)
    submission_confirm(submission=send(80), user=township_a_user)
    assert statuses() == [(1, "superseded", 2), (2, "pending", None)]
    assert Submission.objects.get(version=1).get_status_display() == "已被新版本替代"


def test_an_older_version_is_refused_after_the_newer_one_is_approved(send, township_a_user, bureau_user):
    """The reported bug: v1 (70) and v2 (80) sent, v2 approved, then v1: the figure went back to 70."""
    first = submission_confirm(submission=send(70), user=township_a_user)
    second = submission_confirm(submission=send(80), user=township_a_user)
    submission_approve(submission=second, user=bureau_user)
    with pytest.raises(PortalError) as refused:
        submission_approve(submission=first, user=bureau_user)
    assert "这份月报(第1版)已被第2版替代" in refused.value.message
    assert jobs_figure() == 80
    assert statuses() == [(1, "superseded", 2), (2, "approved", None)]
    assert FigureChange.objects.count() == 1  # v1's figures were never applied


def test_approving_a_correction_supersedes_the_version_approved_before(send, township_a_user, bureau_user):
    submission_approve(
        submission=submission_confirm(submission=send(70), user=township_a_user), user=bureau_user
    )
    second = submission_confirm(submission=send(80), user=township_a_user)
    assert statuses() == [(1, "approved", None), (2, "pending", None)]  # v1 counts until v2 is approved
    submission_approve(submission=second, user=bureau_user)
    assert statuses() == [(1, "superseded", 2), (2, "approved", None)]
    assert jobs_figure() == 80


def test_a_new_upload_replaces_the_townships_draft_of_the_month(send):
    send(70)
    newer = send(80)
    assert statuses() == [(1, "draft", None)]
    assert Submission.objects.get().pk == newer.pk
    assert newer.values.get(indicator__code=JOBS).value == 80


def test_an_old_preview_cannot_be_confirmed_once_a_newer_file_is_uploaded(send, township_a_user):
    """Two browser tabs: the wrong file previewed first, the right one after, then the first tab's
    button. Its draft is gone: refused, and the newer one is still there to confirm."""
    old, new = send(70), send(80)
    with pytest.raises(PortalError) as refused:
        submission_confirm(submission=old, user=township_a_user)
    assert "已被之后上传的文件替代" in refused.value.message
    submission_confirm(submission=new, user=township_a_user)
    assert statuses() == [(1, "pending", None)]


def test_a_superseded_version_cannot_be_returned(send, township_a_user, bureau_user):
    first = submission_confirm(submission=send(70), user=township_a_user)
    submission_confirm(submission=send(80), user=township_a_user)
    with pytest.raises(PortalError):
        submission_return(submission=first, user=bureau_user, reason="旧版本")
    assert statuses() == [(1, "superseded", 2), (2, "pending", None)]


def test_the_database_holds_one_pending_version_per_township_and_month(send, township_a_user):
    submission_confirm(submission=send(70), user=township_a_user)
    second = send(80)
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.filter(pk=second.pk).update(status="pending")


def test_the_database_refuses_a_superseded_version_that_names_no_successor(send):
    draft = send(70)
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.filter(pk=draft.pk).update(status="superseded")


def test_the_status_page_shows_the_latest_version_and_the_replaced_ones(send, township_a_user, bureau_user):
    submission_confirm(submission=send(70), user=township_a_user)
    submission_confirm(submission=send(80), user=township_a_user)
    row = next(
        r
        for r in reporting_status(year=2024, month=11, user=bureau_user).rows
        if r.township.code == TOWNSHIP_A
    )
    assert (row.submission.version, row.submission.status, row.superseded) == (2, "pending", (1,))


def test_the_upload_preview_says_which_pending_version_it_will_replace(
    send, township_a_user, orgs, report_file
):
    submission_confirm(submission=send(70), user=township_a_user)
    data = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 80})
    preview = submission_upload(
        user=township_a_user, township=orgs[TOWNSHIP_A], year=2024, month=11, data=data, filename="月报.xlsx"
    )
    assert [str(n) for n in preview.notices] == [
        "园林街道2024年11月已有第1版在等待审核;确认提交本文件后,第1版将被替代(已被新版本替代),不再审核。"
    ]


def test_uploading_again_the_file_of_an_older_version_is_a_warning(township_a_user, orgs, report_file):
    old = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 70})
    new = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 80})

    def upload(data: bytes):
        return submission_upload(
            user=township_a_user,
            township=orgs[TOWNSHIP_A],
            year=2024,
            month=11,
            data=data,
            filename="月报.xlsx",
        )

    submission_confirm(submission=upload(old).submission, user=township_a_user)
    submission_confirm(submission=upload(new).submission, user=township_a_user)
    again = upload(old)
    assert any("本文件与园林街道已提交的第1版完全相同,而之后已提交了第2版" in str(w) for w in again.warnings)


def _upload(user, orgs, data: bytes):
    return submission_upload(
        user=user, township=orgs[TOWNSHIP_A], year=2024, month=11, data=data, filename="月报.xlsx"
    )


def _resaved(data: bytes, sign_off: str) -> bytes:
    """The same figures in other bytes: the file saved again with the 填报人 typed in."""
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["月报"]
    label = next(row[0] for row in sheet.iter_rows() if row[0].value == "填报人:")
    sheet.cell(row=label.row, column=2, value=sign_off)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_sending_the_approved_file_again_warns_nothing_when_two_versions_were_identical(
    township_a_user, bureau_user, orgs, report_file
):
    """The reported false alarm: v1 and v2 byte for byte the same, v2 approved; the same file a third
    time was told it would put the older version's figures over the newer one's."""
    data = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 70})
    submission_confirm(submission=_upload(township_a_user, orgs, data).submission, user=township_a_user)
    second = submission_confirm(
        submission=_upload(township_a_user, orgs, data).submission, user=township_a_user
    )
    submission_approve(submission=second, user=bureau_user)

    again = _upload(township_a_user, orgs, data)

    assert again.ok and again.warnings == []
    assert any("本文件与园林街道已提交的第2版完全相同" in str(n) for n in again.notices)


def test_the_warning_never_cites_a_draft_that_was_never_confirmed(township_a_user, orgs, report_file):
    """A file previewed and dropped, then another sent: the dropped file was never a version."""
    dropped = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 70})
    _upload(township_a_user, orgs, dropped)
    sent = _upload(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 80})).submission
    submission_confirm(submission=sent, user=township_a_user)

    again = _upload(township_a_user, orgs, dropped)

    assert again.ok and again.warnings == []


def test_an_older_file_with_the_latest_versions_figures_is_not_a_warning(township_a_user, orgs, report_file):
    """v2 is v1 saved again with the 填报人 typed in: other bytes, the same figures. Sending v1's
    file again replaces nothing newer."""
    first = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 70})
    submission_confirm(submission=_upload(township_a_user, orgs, first).submission, user=township_a_user)
    second = _resaved(first, "张三")
    submission_confirm(submission=_upload(township_a_user, orgs, second).submission, user=township_a_user)

    again = _upload(township_a_user, orgs, first)

    assert again.ok and again.warnings == []


def test_the_warning_cites_the_latest_identical_version_and_the_newer_one(township_a_user, orgs, report_file):
    old, new = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 70}), report_file(TOWNSHIP_A, 2024, 11, {JOBS: 80})
    for data in (old, old, new):  # v1 = v2 = old, v3 = new
        submission_confirm(submission=_upload(township_a_user, orgs, data).submission, user=township_a_user)

    again = _upload(township_a_user, orgs, old)

    assert [str(w) for w in again.warnings] == [
        "本文件与园林街道已提交的第2版完全相同,而之后已提交了第3版,两版的数据不同。"
        "请确认没有选错文件:确认提交会用第2版的旧数据替代第3版。"
    ]


def test_a_city_wide_upload_replaces_the_township_version_waiting_for_review(
    send, township_a_user, bureau_user, orgs
):
    submission_confirm(submission=send(70), user=township_a_user)
    data = fill(city_template_workbook(year=2024, month=11), {JOBS: 90}, sheet=orgs[TOWNSHIP_A].name)
    preview = city_report_upload(user=bureau_user, year=2024, month=11, data=data, filename="全市.xlsx")
    assert any("园林街道2024年11月已有第1版在等待审核" in str(n) for n in preview.notices)
    for draft in preview.submissions:
        submission_approve(
            submission=submission_confirm(submission=draft, user=bureau_user), user=bureau_user
        )
    assert statuses() == [(1, "superseded", 2), (2, "approved", None)]
    assert jobs_figure() == 90


def test_import_report_with_approve_replaces_the_pending_version(
    send, township_a_user, bureau_user, report_file, tmp_path
):
    first = submission_confirm(submission=send(70), user=township_a_user)
    path = tmp_path / "园林11月.xlsx"
    path.write_bytes(report_file(TOWNSHIP_A, 2024, 11, {JOBS: 85}))
    call_command(
        "import_report", str(path), township=TOWNSHIP_A, year=2024, month=11, approve=True, user="bureau"
    )
    assert statuses() == [(1, "superseded", 2), (2, "approved", None)]
    assert jobs_figure() == 85
    with pytest.raises(PortalError):
        submission_approve(submission=first, user=bureau_user)
    assert jobs_figure() == 85


# --- at the same moment, on real connections ---


def _waiting_for_locks() -> int:
    with connection.cursor() as cursor:
        # The test's own PostgreSQL: every lock waited for is one of the actions'.
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]


def _at_the_same_moment(*actions):
    """Run each action in its own thread (its own database connection) while this connection holds
    the month's version rows locked; release them once every action waits on that lock, so all of
    them go at the same moment. Returns each action's result or the error it raised."""

    def run(action):
        try:
            return action()
        except PortalError as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        with transaction.atomic():
            list(Submission.objects.select_for_update().filter(township__code=TOWNSHIP_A).order_by("pk"))
            futures = [pool.submit(run, action) for action in actions]
            deadline = time.perf_counter() + 20
            while _waiting_for_locks() < len(actions):
                assert time.perf_counter() < deadline, "the actions never waited on the versions' lock"
                time.sleep(0.02)
        return [f.result(timeout=60) for f in futures]


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_different_versions_at_once_only_the_latest_counts(
    send, township_a_user, bureau_user, second_bureau_user
):
    first = submission_confirm(submission=send(70), user=township_a_user)
    second = submission_confirm(submission=send(80), user=township_a_user)
    results = _at_the_same_moment(
        lambda: submission_approve(submission=first, user=bureau_user),
        lambda: submission_approve(submission=second, user=second_bureau_user),
    )
    refused = [r for r in results if isinstance(r, PortalError)]
    assert len(refused) == 1 and "已被第2版替代" in refused[0].message
    assert jobs_figure() == 80
    assert statuses() == [(1, "superseded", 2), (2, "approved", None)]
    assert list(FigureChange.objects.values_list("changed_by__username", "new_value")) == [("bureau2", 80)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_a_review_of_the_older_version_racing_the_newer_one_never_leaves_the_older_figure(
    round_, send, township_a_user, bureau_user, second_bureau_user
):
    """Reviewer A approves v1 (70) while the township confirms v2 (80) and reviewer B approves it.
    Whichever order the database lets them through, the figure ends at 80 and v1 is replaced."""
    first = submission_confirm(submission=send(70), user=township_a_user)
    second = send(80)
    confirmed = threading.Event()

    def confirm_then_approve():
        submission_confirm(submission=second, user=township_a_user)
        confirmed.set()
        return submission_approve(submission=second, user=second_bureau_user)

    results = _at_the_same_moment(
        lambda: submission_approve(submission=first, user=bureau_user), confirm_then_approve
    )
    assert confirmed.is_set() and not isinstance(results[1], PortalError)
    assert jobs_figure() == 80
    assert statuses() == [(1, "superseded", 2), (2, "approved", None)]
    assert FigureChange.objects.order_by("-pk").values_list("new_value", flat=True).first() == 80


# --- the pages say which version counts ---


def test_the_pages_show_a_replaced_version_and_link_the_newer_one(client, send, township_a_user, bureau_user):
    first = submission_confirm(submission=send(70), user=township_a_user)
    second = submission_confirm(submission=send(80), user=township_a_user)
    client.force_login(bureau_user)
    detail = client.get(f"/reporting/submissions/{first.pk}/").content.decode()
    assert (
        "已被新版本替代" in detail and f'href="/reporting/submissions/{second.pk}/">第2版</a>替代' in detail
    )
    assert "审核通过" not in detail  # no review buttons on a replaced version
    assert "已被新版本替代(第2版)" in client.get("/reporting/").content.decode()
    status = client.get("/reporting/status/?year=2024&month=11").content.decode()
    assert "第2版 待审核" in status and "第1版已被新版本替代" in status


def test_approving_a_replaced_version_through_the_page_is_refused_in_chinese(
    client, send, township_a_user, bureau_user
):
    first = submission_confirm(submission=send(70), user=township_a_user)
    submission_confirm(submission=send(80), user=township_a_user)
    client.force_login(bureau_user)
    page = client.post(f"/reporting/submissions/{first.pk}/approve/", follow=True).content.decode()
    assert "这份月报(第1版)已被第2版替代" in page
    assert jobs_figure() is None


@pytest.mark.django_db(transaction=True)
def test_the_migration_marks_the_older_versions_the_landed_code_left_pending(orgs, township_a_user):
    """Before it, every confirmed version stayed pending: the latest stays, the older ones are marked."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("reporting", "0001_initial")])
    old = executor.loader.project_state([("reporting", "0001_initial")]).apps.get_model(
        "reporting", "Submission"
    )
    common = {
        "township_id": orgs[TOWNSHIP_A].pk,
        "year": 2024,
        "month": 11,
        "created_by_id": township_a_user.pk,
    }
    for version, status in ((1, "draft"), (2, "pending"), (3, "approved"), (4, "pending"), (5, "draft")):
        old.objects.create(version=version, status=status, file=f"v{version}.xlsx", **common)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert statuses() == [
        (1, "superseded", 4),
        (2, "superseded", 4),
        (3, "approved", None),
        (4, "pending", None),
        (5, "draft", None),
    ]


def test_the_townships_reporting_record_counts_the_latest_version_not_the_replaced_one(
    send, township_a_user, orgs
):
    from datetime import date

    from dashboard.selectors import dashboard_reporting_record

    submission_confirm(submission=send(70), user=township_a_user)  # on time, then replaced
    with time_machine.travel("2024-12-12 09:00 +0800", tick=False):
        submission_confirm(submission=send(80), user=township_a_user)  # after the 10th: late
    november = dashboard_reporting_record(township=orgs[TOWNSHIP_A], year=2024, today=date(2024, 12, 20))[10]
    assert (november.state, november.version, november.late) == ("pending", 2, True)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_one_draft_a_month_and_the_uploads_sha(orgs, township_a_user):
    """Before it, every preview stayed a draft and the kept file was the upload itself."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("reporting", "0003_submission_superseded")])
    old = executor.loader.project_state([("reporting", "0003_submission_superseded")]).apps.get_model(
        "reporting", "Submission"
    )
    common = {"township_id": orgs[TOWNSHIP_A].pk, "year": 2024, "created_by_id": township_a_user.pk}
    for version, status, month in (
        (1, "draft", 11),
        (2, "pending", 11),
        (3, "draft", 11),
        (4, "draft", 11),
        (1, "draft", 10),
    ):
        old.objects.create(
            version=version,
            status=status,
            month=month,
            file=f"v{version}.xlsx",
            file_sha256=f"sha{version}",
            **common,
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert statuses() == [(2, "pending", None), (4, "draft", None)]
    assert statuses(month=10) == [(1, "draft", None)]
    assert set(Submission.objects.values_list("original_sha256", "file_sha256")) == {
        (f"sha{v}", f"sha{v}") for v in (1, 2, 4)
    }
