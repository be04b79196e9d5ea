"""The report's outline and wording as data (dashboard/report_outline.py): every declared indicator the
outline names exists, every phrase belongs to an item, and the bureau's rounded figures come from the
exact ones by the declared rule (100余期, 3400余人次, 250余份, 约1.1万人)."""

from decimal import Decimal

import pytest

from dashboard.report_outline import OUTLINE, PHRASES, Approx
from indicators.catalog import registered_specs


@pytest.mark.parametrize(
    ("rule", "value", "written"),
    [
        (Approx("余", 100), 104, "100余"),  # SYB讲师培训班 104 期
        (Approx("余", 100), 3436, "3400余"),  # 劳动监察投诉举报 3,436 人次
        (Approx("余", 10), 256, "250余"),  # 诚信等级评价报告 256 份
        (Approx("余", 100), 100, "100余"),
        (Approx("余", 100), 99, None),  # below one step: written exactly
        (Approx("约", 1000), 10986, "约1.1万"),  # 回潜就业创业 10,986 人
        (Approx("约", 1000), 8449, "约8000"),
        (Approx("约", 1000), 9500, "约1万"),  # half up, then in 万
        (Approx("约", 1000), 482, None),
    ],
)
def test_the_bureaus_rounding_rules(rule, value, written):
    assert rule.write(Decimal(value)) == written


def test_every_code_of_the_outline_is_declared_once_and_phrased():
    declared = {spec.code for spec in registered_specs()}
    named = [code for section in OUTLINE for item in section.items for code in item.codes]
    assert len(named) == len(set(named))  # an indicator is written in one item
    assert not set(named) - declared
    assert set(PHRASES) == set(named)  # a phrase for each, and no phrase outside the outline


def test_the_outline_keeps_the_reports_numbering():
    assert [s.ordinal for s in OUTLINE] == ["(一)", "(二)", "(三)", "(四)"]
    assert [len(s.items) for s in OUTLINE] == [6, 2, 3, 4]  # as the 2024 report numbers them
    prose = [(s.ordinal, n) for s in OUTLINE for n, item in enumerate(s.items, 1) if not item.codes]
    assert prose == [("(一)", 5), ("(四)", 1)]  # 劳务品牌, 争议处置机制: the bureau's words alone
