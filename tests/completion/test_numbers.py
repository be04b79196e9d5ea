from decimal import Decimal as D

from common.numbers import divide_half_up, format_decimal, format_figure, round_half_up, significant_digits


def test_round_half_up_rounds_halves_away_from_zero_not_to_even():
    assert round_half_up(D("12.5"), 0) == 13
    assert round_half_up(D("106.625"), 2) == D("106.63")
    assert round_half_up(D("0.78125"), 4) == D("0.7813")


def test_round_half_up_keeps_not_reported_as_none():
    assert round_half_up(None, 1) is None


def test_format_groups_thousands_and_shows_not_reported_as_a_dash():
    assert format_decimal(D("12367"), 0) == "12,367"
    assert format_decimal(D("1545.7482"), 4) == "1,545.7482"
    assert format_decimal(None, 0) == "—"


def test_figures_show_as_the_bureau_writes_them():
    assert format_figure(D("39000.000000"), 4) == "39,000"
    assert format_figure(D("1545.748200"), 4) == "1,545.7482"
    assert format_figure(D("70.584112"), 2) == "70.58"
    assert format_figure(None, 2) == "—"


def test_a_quotient_is_rounded_half_up_once_exactly():
    assert divide_half_up(1, 128, 4) == D("0.0078")
    assert divide_half_up(100, 128, 4) == D("0.7813")  # 0.78125: half up, not to even
    assert divide_half_up(D("442") * 100, 483, 6) == D("91.511387")
    # Just below a half: a quotient rounded to a few digits first would become the half and round up.
    assert divide_half_up(D("0.499999999999999999999999999999"), 1, 0) == 0
    assert divide_half_up(D("-2.5"), 1, 0) == -3


def test_significant_digits_are_what_sqlite_must_keep():
    assert [significant_digits(D(v)) for v in ("12367", "1545.7482", "0.0012", "39000.000000", "0")] == [
        5,
        8,
        2,
        2,
        0,
    ]
