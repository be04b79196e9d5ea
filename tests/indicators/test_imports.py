"""Spreadsheet import and export in the admin. An import is checked whole and written whole through
the service (channel import, with history), or not at all; every problem is shown in Chinese with its
Excel row number; a blank value cell means "not reported", never zero."""

from decimal import Decimal as D
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.admin import MonthlyValueAdmin
from indicators.models import Channel, FigureChange, MonthlyValue, Quota
from indicators.resources import MonthlyValueResource, QuotaResource
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B, admin_refused

# These tests are about typed figures: the catalogue as declared, no register feeding it.
pytestmark = pytest.mark.usefixtures("typed_by_hand")

JOBS, LOANS = "employment.urban_new_jobs", "employment.guarantee_loan_amount"
CERTIFICATES, SENIOR = "talent.skill_certificates", "talent.senior_workers"
VALUE_HEADERS = ["指标代码", "指标名称", "单位", "区划代码", "机构名称", "年度", "月份", "数值", "备注"]
QUOTA_HEADERS = ["指标代码", "指标名称", "单位", "区划代码", "机构名称", "年度", "年度目标", "备注"]


def xlsx(rows: list[list], headers: list[str] = VALUE_HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def value_row(code: str, org: str, month: int, value, remark: str = "") -> list:
    return [code, "", "", org, "", 2024, month, value, remark]


def format_index(title: str) -> str:
    return str([f().get_title() for f in MonthlyValueAdmin.formats].index(title))


def upload(
    client, content: bytes, *, model: str = "monthlyvalue", name: str = "3月报表.xlsx", fmt: str = "xlsx"
):
    """The first step: upload and preview (a dry run)."""
    data = {"import_file": SimpleUploadedFile(name, content), "format": format_index(fmt)}
    return client.post(reverse(f"admin:indicators_{model}_import"), data)


def confirm(client, preview, *, model: str = "monthlyvalue"):
    """The second step: the person confirms the preview."""
    return client.post(
        reverse(f"admin:indicators_{model}_process_import"), preview.context["confirm_form"].initial
    )


def import_file(client, content: bytes, **kwargs):
    preview = upload(client, content, **kwargs)
    assert preview.status_code == 200
    assert preview.context.get("confirm_form"), preview.content.decode()
    return confirm(client, preview, model=kwargs.get("model", "monthlyvalue"))


def snapshot() -> tuple:
    return (
        sorted(MonthlyValue.objects.values_list("indicator__code", "org_unit__code", "month", "value")),
        FigureChange.objects.count(),
    )


@pytest.fixture
def bureau_client(client, bureau_user, indicators, orgs):
    client.force_login(bureau_user)
    return client


def test_an_xlsx_import_lands_every_row_through_the_service(bureau_client, bureau_user):
    content = xlsx(
        [
            value_row(JOBS, TOWNSHIP_A, 3, 120, "快报"),
            value_row(JOBS, TOWNSHIP_B, 3, 95),
            value_row(LOANS, "429005", 3, 12.34),
            value_row(CERTIFICATES, TOWNSHIP_A, 3, 40),
            value_row(SENIOR, TOWNSHIP_A, 3, 12),
        ]
    )

    response = import_file(bureau_client, content)

    assert response.status_code == 302
    stored = {
        (v.indicator.code, v.org_unit.code): v
        for v in MonthlyValue.objects.select_related("indicator", "org_unit")
    }
    assert {k: v.value for k, v in stored.items()} == {
        (JOBS, TOWNSHIP_A): 120,
        (JOBS, TOWNSHIP_B): 95,
        (LOANS, "429005"): D("12.34"),
        (CERTIFICATES, TOWNSHIP_A): 40,
        (SENIOR, TOWNSHIP_A): 12,
    }
    assert {v.channel for v in stored.values()} == {Channel.IMPORT}
    assert stored[(JOBS, TOWNSHIP_A)].remark == "快报"
    history = FigureChange.objects.all()
    assert history.count() == 5
    assert {(h.channel, h.old_value, h.changed_by) for h in history} == {(Channel.IMPORT, None, bureau_user)}
    assert all("3月报表.xlsx" in h.note for h in history)


def test_the_preview_writes_nothing_until_confirmed(bureau_client):
    preview = upload(bureau_client, xlsx([value_row(JOBS, TOWNSHIP_A, 3, 120)]))

    assert preview.context["confirm_form"]
    assert "新增" in preview.content.decode()
    assert snapshot() == ([], 0)


def test_an_unknown_indicator_code_is_shown_with_its_row_and_nothing_is_written(bureau_client, put):
    put(JOBS, TOWNSHIP_A, 2024, 2, 100)
    before = snapshot()
    content = xlsx(
        [
            value_row(JOBS, TOWNSHIP_A, 3, 120),
            value_row("employment.no_such_thing", TOWNSHIP_A, 3, 5),
            value_row(JOBS, TOWNSHIP_B, 3, 95),
        ]
    )

    preview = upload(bureau_client, content)

    page = preview.content.decode()
    assert "confirm_form" not in preview.context or not preview.context["confirm_form"]
    assert "第3行" in page  # Excel row 3: the header is row 1
    assert "2024年的指标体系中没有指标代码“employment.no_such_thing”" in page
    assert [row.number for row in preview.context["result"].invalid_rows] == [2]
    assert snapshot() == before


def test_a_negative_value_is_shown_with_its_row_and_nothing_is_written(bureau_client, put):
    put(JOBS, TOWNSHIP_A, 2024, 2, 100)
    before = snapshot()
    content = xlsx([value_row(JOBS, TOWNSHIP_B, 3, 95), value_row(JOBS, TOWNSHIP_A, 3, -4)])

    preview = upload(bureau_client, content)

    page = preview.content.decode()
    assert "第3行" in page
    assert "数值不能为负数" in page
    assert not preview.context.get("confirm_form")
    assert snapshot() == before


def test_every_problem_in_the_file_is_listed_at_once(bureau_client):
    content = xlsx(
        [
            value_row(JOBS, TOWNSHIP_A, 3, 1.5),
            value_row(JOBS, "429005999", 3, 1),
            value_row(JOBS, TOWNSHIP_A, "三月", 1),
            value_row("social_insurance.ecard_coverage", "429005", 3, 50),
        ]
    )

    page = upload(bureau_client, content).content.decode()

    for expected in ("须为整数", "区划代码“429005999”不存在", "月份“三月”须为整数", "比率型指标"):
        assert expected in page
    for row in ("第2行", "第3行", "第4行", "第5行"):
        assert row in page
    assert snapshot() == ([], 0)


def test_a_part_larger_than_its_whole_in_the_same_file_is_refused(bureau_client):
    content = xlsx([value_row(CERTIFICATES, TOWNSHIP_A, 3, 10), value_row(SENIOR, TOWNSHIP_A, 3, 20)])

    page = upload(bureau_client, content).content.decode()

    assert "不能大于" in page
    assert snapshot() == ([], 0)


def test_the_same_cell_twice_in_a_file_is_refused(bureau_client):
    content = xlsx([value_row(JOBS, TOWNSHIP_A, 3, 10), value_row(JOBS, TOWNSHIP_A, 3, 11)])

    page = upload(bureau_client, content).content.decode()

    assert "重复填报" in page
    assert snapshot() == ([], 0)


def test_a_blank_value_cell_removes_an_existing_value(bureau_client, put):
    put(JOBS, TOWNSHIP_A, 2024, 3, 120)
    put(JOBS, TOWNSHIP_B, 2024, 3, 95)
    content = xlsx([value_row(JOBS, TOWNSHIP_A, 3, None), value_row(JOBS, TOWNSHIP_B, 3, 95)])

    preview = upload(bureau_client, content)
    assert "删除" in preview.content.decode()
    confirm(bureau_client, preview)

    assert not MonthlyValue.objects.filter(org_unit__code=TOWNSHIP_A).exists()
    assert MonthlyValue.objects.get(org_unit__code=TOWNSHIP_B).value == 95
    removal = FigureChange.objects.order_by("-id").first()
    assert (removal.old_value, removal.new_value, removal.channel) == (120, None, Channel.IMPORT)


def test_a_blank_value_cell_for_an_unreported_figure_stores_nothing_not_zero(bureau_client):
    import_file(bureau_client, xlsx([value_row(JOBS, TOWNSHIP_A, 3, ""), value_row(JOBS, TOWNSHIP_B, 3, 0)]))

    assert list(MonthlyValue.objects.values_list("org_unit__code", "value")) == [(TOWNSHIP_B, 0)]


def test_a_file_as_townships_send_it_is_read(bureau_client):
    """Division codes typed as numbers, padded headers, blank lines, numbers as text with commas."""
    headers = [f" {h} " for h in VALUE_HEADERS]
    content = xlsx(
        [
            [JOBS, "城镇新增就业人数", "人", int(TOWNSHIP_A), "园林街道", 2024, 3, "1,200", None],
            [None] * 9,
            [JOBS, "城镇新增就业人数", "人", float(TOWNSHIP_B), "杨市街道", "2024.0", "3", 95.0, None],
        ],
        headers=headers,
    )

    import_file(bureau_client, content)

    assert sorted(MonthlyValue.objects.values_list("org_unit__code", "value")) == [
        (TOWNSHIP_A, 1200),
        (TOWNSHIP_B, 95),
    ]


def test_a_file_without_the_value_column_is_refused_whole(bureau_client, put):
    put(JOBS, TOWNSHIP_A, 2024, 3, 120)
    headers = [h for h in VALUE_HEADERS if h != "数值"]
    content = xlsx([[JOBS, "", "", TOWNSHIP_A, "", 2024, 3, ""]], headers=headers)

    preview = upload(bureau_client, content)

    page = preview.content.decode()
    assert "文件缺少必需的列:数值" in page
    assert "Traceback" not in page
    assert not preview.context.get("confirm_form")
    assert MonthlyValue.objects.get().value == 120


def test_a_csv_import_works_too(bureau_client):
    content = "\n".join(
        [",".join(VALUE_HEADERS), f"{JOBS},,,{TOWNSHIP_A},,2024,3,88,", f"{JOBS},,,{TOWNSHIP_B},,2024,3,77,"]
    ).encode("utf-8-sig")

    import_file(bureau_client, content, name="报表.csv", fmt="csv")

    assert sorted(MonthlyValue.objects.values_list("value", flat=True)) == [77, 88]


def test_a_confirmed_import_writes_nothing_if_the_data_changed_since_the_preview(bureau_client, put):
    preview = upload(
        bureau_client, xlsx([value_row(SENIOR, TOWNSHIP_A, 3, 20), value_row(JOBS, TOWNSHIP_A, 3, 5)])
    )
    assert preview.context["confirm_form"]
    put(CERTIFICATES, TOWNSHIP_A, 2024, 3, 10)  # meanwhile someone reports a smaller whole
    before = snapshot()

    response = confirm(bureau_client, preview)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:indicators_monthlyvalue_import")
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any("没有写入任何数据" in m and "不能大于" in m for m in shown)
    assert snapshot() == before


def test_the_export_is_an_xlsx_with_chinese_headers_names_and_units(bureau_client, put):
    put(JOBS, TOWNSHIP_A, 2024, 3, 120)
    put(LOANS, "429005", 2024, 3, "12.34")
    selected = {f"monthlyvalueresource_{name}": "on" for name in MonthlyValueResource().get_export_order()}

    response = bureau_client.post(
        reverse("admin:indicators_monthlyvalue_export"), {"format": format_index("xlsx"), **selected}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == VALUE_HEADERS
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code[JOBS][1:8] == ("城镇新增就业人数", "人", TOWNSHIP_A, "园林街道", 2024, 3, 120)
    assert by_code[LOANS][2] == "万元"
    assert by_code[LOANS][7] == pytest.approx(12.34)


def test_an_exported_file_imports_back_unchanged(bureau_client, put):
    put(JOBS, TOWNSHIP_A, 2024, 3, 120)
    selected = {f"monthlyvalueresource_{name}": "on" for name in MonthlyValueResource().get_export_order()}
    exported = bureau_client.post(
        reverse("admin:indicators_monthlyvalue_export"), {"format": format_index("xlsx"), **selected}
    ).content
    before = snapshot()

    import_file(bureau_client, exported)

    assert snapshot() == before


def test_an_import_that_changes_only_a_remark_is_in_the_history(bureau_client, bureau_user, put):
    put(JOBS, TOWNSHIP_A, 2024, 3, 120)

    import_file(bureau_client, xlsx([value_row(JOBS, TOWNSHIP_A, 3, 120, "经核实")]), name="更正.xlsx")

    assert MonthlyValue.objects.get().remark == "经核实"
    latest = FigureChange.objects.order_by("-id").first()
    assert (latest.old_value, latest.new_value, latest.old_remark, latest.new_remark) == (
        120,
        120,
        "",
        "经核实",
    )
    assert (latest.changed_by, latest.channel, latest.note) == (
        bureau_user,
        Channel.IMPORT,
        "批量导入:更正.xlsx",
    )


# --- quotas ---


def quota_row(code: str, org: str, target, note: str = "") -> list:
    return [code, "", "", org, "", 2024, target, note]


def test_a_quota_import_sets_every_target_through_the_service(bureau_client):
    content = xlsx(
        [quota_row(JOBS, "429005", 30000, "省厅下达"), quota_row(JOBS, TOWNSHIP_A, 2600)],
        headers=QUOTA_HEADERS,
    )

    import_file(bureau_client, content, model="quota")

    assert sorted(Quota.objects.values_list("org_unit__code", "target", "note")) == [
        ("429005", 30000, "省厅下达"),
        (TOWNSHIP_A, 2600, ""),
    ]
    assert set(FigureChange.objects.values_list("subject", "channel")) == {
        (FigureChange.Subject.QUOTA, Channel.IMPORT)
    }


def test_a_quota_import_that_changes_only_a_note_is_in_the_history(bureau_client, bureau_user, set_quota):
    set_quota(JOBS, "429005", 2024, 30000)

    import_file(
        bureau_client,
        xlsx([quota_row(JOBS, "429005", 30000, "省厅下达")], headers=QUOTA_HEADERS),
        model="quota",
    )

    assert Quota.objects.get().note == "省厅下达"
    latest = FigureChange.objects.order_by("-id").first()
    assert (latest.subject, latest.old_value, latest.new_value) == (FigureChange.Subject.QUOTA, 30000, 30000)
    assert (latest.old_remark, latest.new_remark, latest.changed_by, latest.channel) == (
        "",
        "省厅下达",
        bureau_user,
        Channel.IMPORT,
    )


def test_a_quota_of_zero_in_a_file_is_refused_and_nothing_is_written(bureau_client, set_quota):
    set_quota(JOBS, "429005", 2024, 30000)
    content = xlsx([quota_row(JOBS, "429005", 31000), quota_row(JOBS, TOWNSHIP_A, 0)], headers=QUOTA_HEADERS)

    preview = upload(bureau_client, content, model="quota")

    page = preview.content.decode()
    assert "第3行" in page and "必须大于0" in page
    assert list(Quota.objects.values_list("target", flat=True)) == [30000]


def test_a_blank_target_in_a_quota_file_removes_the_quota(bureau_client, set_quota):
    set_quota(JOBS, "429005", 2024, 30000)
    set_quota(JOBS, TOWNSHIP_A, 2024, 2600)
    content = xlsx(
        [quota_row(JOBS, "429005", 30000), quota_row(JOBS, TOWNSHIP_A, None)], headers=QUOTA_HEADERS
    )

    import_file(bureau_client, content, model="quota")

    assert list(Quota.objects.values_list("org_unit__code", "target")) == [("429005", 30000)]
    removal = FigureChange.objects.order_by("-id").first()
    assert (removal.old_value, removal.new_value, removal.channel) == (2600, None, Channel.IMPORT)


def test_the_quota_export_has_chinese_headers(bureau_client, set_quota):
    set_quota(JOBS, "429005", 2024, 30000)
    selected = {f"quotaresource_{name}": "on" for name in QuotaResource().get_export_order()}

    response = bureau_client.post(
        reverse("admin:indicators_quota_export"), {"format": format_index("xlsx"), **selected}
    )

    rows = list(openpyxl.load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == QUOTA_HEADERS
    assert rows[1][6] == 30000


@pytest.mark.parametrize("role", ["leader_user", "township_a_user"])
def test_an_import_posted_by_a_leader_or_township_user_is_refused(request, client, role, indicators):
    user = request.getfixturevalue(role)
    user.is_staff = True
    user.save()
    client.force_login(user)

    response = upload(client, xlsx([value_row(JOBS, TOWNSHIP_A, 3, 120)]))

    assert admin_refused(response)
    assert not MonthlyValue.objects.exists()
