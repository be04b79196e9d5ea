"""What a submission keeps and serves (issue 23, point 5): the portal's own .xlsx of the cells it read,
every figure at the sheet, row and column it had in the upload; never the upload's bytes, its macros,
controls, external links or pictures, nor the name or type the township gave it."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
import time_machine

from reporting.models import Submission
from reporting.services.upload import submission_upload
from reporting.services.workflow import submission_confirm
from tests.conftest import TOWNSHIP_A

pytestmark = pytest.mark.usefixtures("typed_by_hand")

JOBS, CERTS = "employment.urban_new_jobs", "talent.skill_certificates"
FIXTURES = Path(__file__).parent / "fixtures"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MACRO_PARTS = {
    "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 pretend VBA project",
    "xl/activeX/activeX1.xml": b'<?xml version="1.0"?><ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX"/>',
    "xl/externalLinks/externalLink1.xml": b'<?xml version="1.0"?><externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
    "xl/media/image1.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 1000,
}


@pytest.fixture(autouse=True)
def early_december():
    with time_machine.travel("2024-12-05 10:00 +0800", tick=False):
        yield


def with_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The workbook with more parts in its package, as Excel saves an .xlsm with a macro and a control."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


def send(user, orgs, data: bytes, name: str, month: int = 11) -> Submission:
    preview = submission_upload(
        user=user, township=orgs[TOWNSHIP_A], year=2024, month=month, data=data, filename=name
    )
    assert preview.ok, preview.problems
    return submission_confirm(submission=preview.submission, user=user)


def download(client, user, submission: Submission):
    client.force_login(user)
    response = client.get(f"/reporting/submissions/{submission.pk}/file/")
    assert response.status_code == 200
    return response


def served_name(response) -> str:
    return unquote(response["Content-Disposition"].split("''", 1)[1])


def test_a_macro_enabled_workbook_is_read_but_kept_and_served_as_a_clean_xlsx(
    client, township_a_user, bureau_user, orgs, report_file
):
    data = with_parts(report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120}), MACRO_PARTS)
    sent = send(township_a_user, orgs, data, "月报.xlsm")

    response = download(client, bureau_user, sent)

    assert response["Content-Type"] == XLSX and served_name(response).endswith("(第1版).xlsx")
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        names = package.namelist()
    assert not [n for n in names if n.startswith(("xl/vba", "xl/activeX", "xl/externalLinks", "xl/media"))]
    assert response.content != data and sent.values.get(indicator__code=JOBS).value == 120


@pytest.mark.parametrize("name", ["月报.exe", "月报.html", "月报.svg", "月报"])
def test_a_workbook_named_otherwise_is_served_as_xlsx_under_the_portals_name(
    client, township_a_user, orgs, report_file, name
):
    sent = send(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120}), name)

    response = download(client, township_a_user, sent)

    assert served_name(response) == "园林街道2024年11月人社数据月报(第1版).xlsx"
    assert response["Content-Type"] == XLSX
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames == ["月报", "文件说明", "_meta"]
    assert sent.original_filename == name  # the name the township gave is kept as a record, not used


def test_every_figure_is_at_its_own_row_and_column_in_the_copy_as_the_township_wrote_it(
    client, township_a_user, bureau_user, orgs, report_file
):
    """A blank row inserted above the figures, and 1.2万 typed: the copy shows them as the township had
    them, where its SubmissionValue says they are."""
    data = report_file(TOWNSHIP_A, 2024, 11, {JOBS: "1.2万", CERTS: 30}, extra_rows=[()])
    sent = send(township_a_user, orgs, data, "园林11月.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(download(client, bureau_user, sent).content))
    original = openpyxl.load_workbook(io.BytesIO(data))["月报"]

    for value in sent.values.select_related("indicator"):
        kept = book[value.sheet]
        assert kept.cell(row=value.row, column=1).value == value.indicator.code
        assert kept.cell(row=value.row, column=4).value == original.cell(row=value.row, column=4).value
    jobs = sent.values.get(indicator__code=JOBS)
    assert (jobs.value, jobs.row, book["月报"].cell(row=jobs.row, column=4).value) == (12000, 6, "1.2万")


def test_the_copy_sent_again_reads_as_the_same_report(client, township_a_user, orgs, report_file):
    sent = send(township_a_user, orgs, report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120, CERTS: 30}), "a.xlsx")
    copy = download(client, township_a_user, sent).content

    again = submission_upload(
        user=township_a_user, township=orgs[TOWNSHIP_A], year=2024, month=11, data=copy, filename="copy.xlsx"
    )

    assert again.ok, again.problems
    assert {i.indicator.code: i.new for i in again.items if i.new is not None} == {JOBS: 120, CERTS: 30}


def test_text_that_starts_like_a_formula_stays_text_in_the_copy(client, township_a_user, orgs, report_file):
    data = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120})
    book = openpyxl.load_workbook(io.BytesIO(data))
    row = next(r for r in book["月报"].iter_rows(min_row=5) if r[0].value == JOBS)
    row[4].value = '=HYPERLINK("http://example.com","点击")'
    row[4].data_type = "s"  # text, as Excel keeps it when typed with a leading apostrophe
    out = io.BytesIO()
    book.save(out)
    sent = send(township_a_user, orgs, out.getvalue(), "a.xlsx")

    kept = openpyxl.load_workbook(io.BytesIO(download(client, township_a_user, sent).content))["月报"]

    cell = kept.cell(row=row[4].row, column=5)
    assert cell.value == '=HYPERLINK("http://example.com","点击")' and cell.data_type == "s"


def test_an_xls_upload_is_kept_as_an_xlsx_with_its_rows(client, township_a_user, orgs):
    from benchmarks.hostile_files import xls_report

    name, data = xls_report({JOBS: 120.0})
    sent = send(township_a_user, orgs, data, name)

    response = download(client, township_a_user, sent)

    assert served_name(response).endswith(".xlsx") and response.content[:2] == b"PK"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    value = sent.values.get(indicator__code=JOBS)
    assert (sheet.cell(row=value.row, column=1).value, sheet.cell(row=value.row, column=4).value) == (
        JOBS,
        120,
    )


def test_a_draft_keeps_no_file_and_serves_none(client, township_a_user, orgs, report_file, settings):
    """The township could download its drafts again: blob storage for anything that passed the checks."""
    preview = submission_upload(
        user=township_a_user,
        township=orgs[TOWNSHIP_A],
        year=2024,
        month=11,
        data=report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120}),
        filename="a.xlsx",
    )
    client.force_login(township_a_user)

    response = client.get(f"/reporting/submissions/{preview.submission.pk}/file/")

    assert response.status_code == 404 and "还没有确认提交" in response.content.decode()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_the_uploads_own_sha_is_kept_for_the_same_file_check_and_the_copys_for_backups(
    township_a_user, orgs, report_file
):
    data = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120})
    sent = send(township_a_user, orgs, data, "a.xlsx")
    with sent.file.open("rb") as stored:
        kept = stored.read()
    assert sent.original_sha256 == hashlib.sha256(data).hexdigest()
    assert sent.file_sha256 == hashlib.sha256(kept).hexdigest() != sent.original_sha256
    assert sent.preview_file is None and sent.file_is_copy


def test_a_submission_stored_before_is_served_as_a_copy_made_when_asked(
    client, township_a_user, bureau_user, orgs, report_file
):
    """Stored byte for byte before issue 23 (an .xlsm with its macro): read again, served clean."""
    data = with_parts(report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120}), MACRO_PARTS)
    sent = send(township_a_user, orgs, data, "月报.xlsm")
    sent.file.save("legacy.xlsm", io.BytesIO(data), save=False)
    Submission.objects.filter(pk=sent.pk).update(file=sent.file.name, file_is_copy=False)

    response = download(client, bureau_user, sent)

    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        assert "xl/vbaProject.bin" not in package.namelist()
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    jobs = next(r for r in book["月报"].iter_rows(min_row=5) if r[0].value == JOBS)
    assert jobs[3].value == 120 and served_name(response).endswith(".xlsx")


def test_the_copy_writes_every_kind_of_cell_as_it_was_read_and_never_a_formula():
    """The writer on its own (no database): what the readers hand over, written and read back."""
    import datetime as dt
    from decimal import Decimal

    from orgs.models import OrgUnit
    from reporting.kept_copy import kept_workbook
    from reporting.parsing import ParsedReport
    from reporting.parsing.cells import NO_CACHED_VALUE, ExcelError
    from reporting.parsing.kept import KeptRow, KeptSheet

    cells = (
        "=1+1", " 两头有空格 ", "a\x01b", True, 12, 1.5, Decimal("3.25"),
        dt.date(2024, 11, 1), dt.datetime(2024, 11, 1, 8, 30), ExcelError("#DIV/0!"), NO_CACHED_VALUE, "<&>",
    )  # fmt: skip
    sheet = KeptSheet("月报[1]/草稿", len(cells), [KeptRow(3, cells)])
    report = ParsedReport("429005001", 2024, 11, kept=[sheet], template_version=1)

    data = kept_workbook(
        report=report,
        township=OrgUnit(code="429005001", name="园林街道"),
        year=2024,
        month=11,
        original_name="=cmd|' /C calc'!A0.xlsm",
        original_sha256="0" * 64,
    )

    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["月报_1__草稿", "文件说明", "_meta"] and book["_meta"].sheet_state == "hidden"
    row = [c.value for c in book["月报_1__草稿"][3]]
    assert row == [
        "=1+1", " 两头有空格 ", "ab", True, 12, 1.5, 3.25,
        dt.datetime(2024, 11, 1), dt.datetime(2024, 11, 1, 8, 30), "#DIV/0!", None, "<&>",
    ]  # fmt: skip
    assert book["月报_1__草稿"]["A3"].data_type == "s" and book["月报_1__草稿"]["A3"].quotePrefix
    note = {r[0].value: r[1] for r in book["文件说明"].iter_rows()}
    assert note["上传的文件名"].value.startswith("=cmd") and note["上传的文件名"].data_type == "s"
    assert "工作表改名" in note
    assert [[c.value for c in r] for r in book["_meta"].iter_rows()] == [
        ["township_code", "429005001"], ["year", 2024], ["month", 11], ["template_version", 1]
    ]  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheets = [package.read(n).decode() for n in package.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in xml or "<f " in xml for xml in sheets)  # no formula anywhere
