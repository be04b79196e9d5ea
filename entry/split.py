"""Splitting a quota into parts that add up exactly (pure functions, no database).

The city hands its provincial quota down to the 23 townships and 市本级. Shares rarely divide a count
evenly (7,000 people by last year's shares is 1,283.4 + 611.9 + …), and rounding each part on its own
makes the parts add up to 6,999 or 7,001. The largest-remainder method (Hamilton's) rounds every part
down to the indicator's unit, then gives the units left over, one each, to the parts whose rounding
cut off the most; ties go to the earlier part (the bureau's order), so the same input always gives
the same split."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from math import floor


def split_largest_remainder(total: Decimal, weights: Sequence[Decimal], places: int = 0) -> list[Decimal]:
    """`total` in parts proportional to `weights`, each a multiple of 10^-places, adding up to `total`
    exactly. All weights zero (nobody reported last year) splits equally. `total` must itself be a
    multiple of 10^-places and not negative; weights not negative; at least one part."""
    if not weights:
        raise ValueError("at least one part is needed")
    if total < 0 or any(w < 0 for w in weights):
        raise ValueError("total and weights must not be negative")
    unit = Fraction(1, 10**places)
    units_total = Fraction(total) / unit
    if units_total.denominator != 1:
        raise ValueError(f"{total} is not a whole number of 10^-{places}")
    weight_sum = sum(Fraction(w) for w in weights)
    shares = (
        [Fraction(w) / weight_sum for w in weights]
        if weight_sum
        else [Fraction(1, len(weights))] * len(weights)
    )
    exact = [units_total * share for share in shares]
    floors = [floor(x) for x in exact]
    left = int(units_total) - sum(floors)
    # The largest remainders first; on a tie the earlier part (stable sort on the index).
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(n).scaleb(-places) for n in floors]


def split_equally(total: Decimal, parts: int, places: int = 0) -> list[Decimal]:
    """`total` in `parts` equal parts, rounded to 10^-places by the largest remainder (the first parts
    get the units left over)."""
    return split_largest_remainder(total, [Decimal(1)] * parts, places)
