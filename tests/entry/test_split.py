"""The largest-remainder split: parts in the indicator's unit that always add up to the total."""

from decimal import Decimal

import pytest

from entry.split import split_equally, split_largest_remainder

D = Decimal


def test_parts_add_up_exactly_where_rounding_each_part_would_not():
    # 100 in thirds: rounding each part gives 33 + 33 + 33 = 99.
    parts = split_largest_remainder(D(100), [D(1), D(1), D(1)])

    assert parts == [D(34), D(33), D(33)]
    assert sum(parts) == D(100)


def test_the_leftover_units_go_to_the_largest_remainders():
    # 7,000 by shares 12,367 / 5,698 / 2,908: exact 4127.7…, 1901.7…, 970.4…
    parts = split_largest_remainder(D(7000), [D(12367), D(5698), D(2908)])

    assert parts == [D(4128), D(1902), D(970)]


def test_a_tie_goes_to_the_earlier_part_so_the_split_is_always_the_same():
    assert split_largest_remainder(D(5), [D(1), D(1)]) == [D(3), D(2)]
    assert split_largest_remainder(D(5), [D(1), D(1)]) == split_largest_remainder(D(5), [D(1), D(1)])


def test_amounts_split_to_their_decimal_places():
    parts = split_largest_remainder(D("100.00"), [D(1), D(1), D(1)], places=2)

    assert parts == [D("33.34"), D("33.33"), D("33.33")]
    assert sum(parts) == D("100.00")


def test_nobody_reported_last_year_splits_equally():
    assert split_largest_remainder(D(10), [D(0), D(0), D(0), D(0)]) == [D(3), D(3), D(2), D(2)]


def test_a_part_with_no_share_gets_nothing():
    assert split_largest_remainder(D(10), [D(0), D(3), D(1)]) == [D(0), D(8), D(2)]


def test_equal_split_of_the_city_quota_into_24_parts_adds_up():
    parts = split_equally(D(7000), 24)

    assert sum(parts) == D(7000)
    assert set(parts) == {D(292), D(291)}
    assert parts[:16] == [D(292)] * 16  # 7000 = 24 × 291 + 16


def test_a_total_finer_than_the_unit_is_refused():
    with pytest.raises(ValueError):
        split_largest_remainder(D("10.5"), [D(1), D(1)])


@pytest.mark.parametrize("weights", [[], [D(-1), D(2)]])
def test_no_parts_or_a_negative_weight_is_refused(weights):
    with pytest.raises(ValueError):
        split_largest_remainder(D(10), weights)
