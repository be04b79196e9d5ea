"""The register cells as bureau staff type them: every accepted form read to the one value, every other
form refused in Chinese naming the column and the value, and each widget's render read back by its clean
(an exported file imports again unchanged)."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.db import models

from orgs.models import OrgUnit
from registers.widgets import (
    ChoiceWidget,
    DayWidget,
    DecimalWidget,
    LookupWidget,
    TextWidget,
    WholeNumberWidget,
    YesNoWidget,
    excel_serial_day,
)


class Kind(models.TextChoices):
    PENSION = "pension", "养老保险"
    INJURY = "injury", "工伤保险"
    SENIOR = "senior", "高级工"
    SENIOR_TECHNICIAN = "senior_technician", "高级技师"


def refusal(widget, value) -> str:
    with pytest.raises(ValueError) as caught:
        widget.clean(value)
    return str(caught.value)


# ---------------------------------------------------------------------------------------- dates

MARCH_5 = date(2024, 3, 5)


@pytest.mark.parametrize(
    "typed",
    [
        "2024-03-05",
        "2024-3-5",
        "2024/3/5",
        "2024/03/05",
        "2024年3月5日",
        "2024年03月05日",
        "2024.3.5",
        " 2024-03-05 ",
        "2024-03-05 00:00:00",
        "２０２４－３－５",  # full-width, as typed in WPS
        "２０２４年３月５日",
        MARCH_5,
        datetime(2024, 3, 5, 0, 0),
        45356,  # an Excel serial number (a date cell formatted as a number)
        45356.0,
        "45356",
    ],
)
def test_a_date_is_read_in_every_form_staff_type(typed):
    assert DayWidget("发放日期").clean(typed) == MARCH_5


@pytest.mark.parametrize(
    "typed",
    ["2024-02-30", "2024-13-01", "5/3/2024", "2024-3", "三月五日", "2024", "45356.5", "昨天", "2024-03-05x"],
)
def test_anything_else_in_a_date_column_is_refused_naming_it_and_the_forms(typed):
    message = refusal(DayWidget("发放日期"), typed)
    assert message.startswith(f"发放日期“{typed}”不是有效的日期")
    assert "2024-03-05、2024/3/5、2024年3月5日、2024.3.5" in message


def test_excel_serials_follow_the_1900_system():
    assert excel_serial_day(45356) == MARCH_5
    assert excel_serial_day(45292) == date(2024, 1, 1)
    assert excel_serial_day(36526) == date(2000, 1, 1)
    assert excel_serial_day(2024) is None  # a year typed alone is not a date


def test_a_blank_date_cell_is_no_date_and_a_date_renders_back():
    widget = DayWidget("结案日期")
    assert widget.clean("") is None and widget.clean(None) is None
    assert widget.render(MARCH_5) == "2024-03-05" and widget.render(None) == ""
    assert widget.render(MARCH_5, force_native_type=True) == MARCH_5
    assert widget.clean(widget.render(MARCH_5)) == MARCH_5


# ---------------------------------------------------------------------------------------- yes/no


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("是", True), ("否", False), ("有", True), ("无", False),
        ("Y", True), ("y", True), ("N", False), ("n", False),
        ("1", True), ("0", False), (1, True), (0, False), (1.0, True),
        ("TRUE", True), ("true", True), ("True", True), ("FALSE", False), ("false", False),
        ("Ｙ", True), ("ＴＲＵＥ", True), ("１", True), ("０", False),  # full-width
        (True, True), (False, False), (" 是 ", True),
    ],
)  # fmt: skip
def test_yes_and_no_are_read_in_every_form_staff_type(typed, meant):
    assert YesNoWidget("移送公安").clean(typed) is meant


@pytest.mark.parametrize("typed", ["不是", "√", "×", "yes", "no", "2", "已移送", "是的", "-"])
def test_anything_else_is_refused_never_read_as_no(typed):
    message = refusal(YesNoWidget("移送公安", blank=False), typed)
    assert message == f"移送公安“{typed}”无效,请填是/否(也可填有/无、Y/N、1/0、TRUE/FALSE)。"


def test_a_blank_cell_means_the_fields_default_or_is_refused_where_there_is_none():
    assert YesNoWidget("运营中", blank=True).clean("") is True
    assert YesNoWidget("终局裁决", blank=False).clean(None) is False
    assert refusal(YesNoWidget("我市承办"), "").startswith("我市承办不能为空")


def test_yes_and_no_render_back():
    widget = YesNoWidget("移送公安")
    assert (widget.render(True), widget.render(False), widget.render(None)) == ("是", "否", "")
    assert widget.clean(widget.render(False)) is False


# ---------------------------------------------------------------------------------------- choices


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("养老保险", "pension"),
        ("pension", "pension"),
        ("养老", "pension"),  # the short name, beginning one label only
        ("工伤保险", "injury"),
        ("高级工", "senior"),
        ("高级技师", "senior_technician"),
        (" 高级工 ", "senior"),
        ("", ""),
    ],
)
def test_a_choice_is_read_by_its_label_or_its_stored_value(typed, meant):
    assert ChoiceWidget("险种", Kind).clean(typed) == meant


@pytest.mark.parametrize("typed", ["医疗保险", "高级", "养", "Pension", "保险"])
def test_an_unknown_or_ambiguous_choice_is_refused_listing_the_labels(typed):
    message = refusal(ChoiceWidget("险种", Kind), typed)
    assert message == f"险种“{typed}”无效,须为:养老保险、工伤保险、高级工、高级技师。"


def test_choices_given_as_pairs_and_rendered_as_labels():
    widget = ChoiceWidget("等级", Kind.choices)
    assert widget.render("senior") == "高级工" and widget.render("") == ""
    assert widget.clean(widget.render("senior_technician")) == "senior_technician"


# ---------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("12367", D("12367")),
        ("12,367", D("12367")),
        ("1,234,567.89", D("1234567.89")),
        ("１２，３６７.５", D("12367.5")),  # full-width digits and comma
        (" 12 367 ", D("12367")),
        ("0.0001", D("0.0001")),
        ("-300", D("-300")),
        (12367, D("12367")),
        (0.1, D("0.1")),  # exactly what the cell shows, never the float's binary value
        (12.5, D("12.5")),
        (D("1545.7482"), D("1545.7482")),
    ],
)
def test_money_is_read_exactly(typed, meant):
    value = DecimalWidget("涉案金额(元)").clean(typed)
    assert value == meant and isinstance(value, D)


@pytest.mark.parametrize("typed", ["十万", "12,36", "1e5", "12.3.4", "NaN", "Infinity", "12元", True])
def test_anything_else_in_a_money_column_is_refused(typed):
    assert refusal(DecimalWidget("涉案金额(元)"), typed) == f"涉案金额(元)“{typed}”不是有效的数字。"


def test_money_renders_plain_and_reads_back():
    widget = DecimalWidget("贷款金额(万元)")
    assert widget.render(D("12.500000")) == "12.5" and widget.render(D("1.2E+4")) == "12000"
    assert widget.render(D("12.5"), force_native_type=True) == D("12.5")
    assert widget.clean(widget.render(D("1545.7482"))) == D("1545.7482")
    assert widget.clean("") is None and widget.render(None) == ""


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2024", 2024),
        (2024, 2024),
        (2024.0, 2024),
        ("2024.0", 2024),
        ("1,200", 1200),
        ("１２", 12),
        ("-3", -3),
    ],
)
def test_counts_are_whole_numbers(typed, meant):
    value = WholeNumberWidget("培训人数").clean(typed)
    assert value == meant and isinstance(value, int)


@pytest.mark.parametrize("typed", ["3.5", 3.5, "三月", "12人", "1e3"])
def test_a_count_that_is_not_whole_is_refused(typed):
    assert refusal(WholeNumberWidget("月份"), typed) == f"月份“{typed}”须为整数。"


def test_counts_render_back():
    widget = WholeNumberWidget("培训人数")
    assert (
        widget.render(120) == "120" and widget.render(None) == "" and widget.clean(widget.render(120)) == 120
    )


# ---------------------------------------------------------------------------------------- text and records


def test_text_is_kept_as_typed_but_for_excels_number_tail():
    widget = TextWidget("案号")
    assert widget.clean(2024001.0) == "2024001"
    assert widget.clean(" 潜江市某公司（分公司） ") == "潜江市某公司（分公司）"  # full-width brackets kept
    assert widget.clean(None) == "" and widget.render(None) == ""


@pytest.mark.django_db
def test_a_record_is_found_by_its_code_or_refused_in_chinese():
    city = OrgUnit.objects.create(
        code="999901", name="试验市", level=OrgUnit.Level.CITY, kind=OrgUnit.Kind.values[0]
    )
    widget = LookupWidget("区划代码", OrgUnit)
    assert widget.clean(999901.0) == city and widget.clean("９９９９０１") == city
    assert widget.render(city) == "999901"
    assert refusal(widget, "999901999") == "区划代码“999901999”不存在,请核对。"
    by_name = LookupWidget("上级驿站", OrgUnit, field="name", missing="请先登记该驿站。")
    assert by_name.clean("试验市") == city
    assert refusal(by_name, "无此站") == "上级驿站“无此站”不存在,请先登记该驿站。"
