"""The domain apps' first indicator sets are tables (indicators.tsv): read strictly, so a typing error
in one stops the start naming the file and line instead of seeding a wrong indicator."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps

from indicators.catalog import FLOW, STOCK, IndicatorSpec, registered_specs, specs_from_table


def _table(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "indicators.tsv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_table_reads_comments_defaults_and_typed_cells(tmp_path):
    path = _table(
        tmp_path,
        "# a comment\n"
        "code\tname\tunit\tkind\tvalue_places\ttownship_reported\n"
        "employment.a\t甲\t人\n"
        "\n"
        "# another\n"
        "employment.b\t乙\t万元\tstock\t2\tfalse\n",
    )
    assert specs_from_table(path) == [
        IndicatorSpec("employment.a", "甲", "人"),
        IndicatorSpec("employment.b", "乙", "万元", STOCK, value_places=2, township_reported=False),
    ]
    assert specs_from_table(path)[0].kind == FLOW


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("code\tname\tunit\tcolour\n", "indicators.tsv:1: unknown columns ['colour']"),
        ("code\tname\tunit\nemployment.a\t甲\t人\t多余\n", "indicators.tsv:2: 4 cells, the header has 3"),
        ("code\tname\tunit\tvalue_places\nemployment.a\t甲\t人\t两\n", "indicators.tsv:2: invalid literal"),
        ("code\tname\tunit\ttownship_reported\nemployment.a\t甲\t人\tno\n", "indicators.tsv:2: “no” is not"),
        ("code\tname\nemployment.a\t甲\n", "indicators.tsv:2: "),  # unit missing: required
    ],
)
def test_a_wrong_table_stops_naming_the_file_and_line(tmp_path, text, said):
    with pytest.raises(ValueError) as caught:
        specs_from_table(_table(tmp_path, text))
    assert str(caught.value).startswith(said)


def test_each_domain_app_declares_its_own_areas_indicators_once():
    codes = [spec.code for spec in registered_specs()]
    assert len(codes) == len(set(codes)) >= 100
    for label in ("employment", "social_insurance", "talent", "labor_relations"):
        table = specs_from_table(Path(apps.get_app_config(label).path) / "indicators.tsv")
        assert table and all(spec.area == label for spec in table), label
        assert set(table) <= set(registered_specs())
