"""A large batch's figures are judged with what value_problems checks of an indicator, and of a unit
and month, decided once per batch, and a figure plainly within the rules read off its digits
(indicators.services._entry_problems). Whatever the batch holds, the problems are those value_problems
words for each entry, in the same order."""

from __future__ import annotations

from decimal import Decimal

import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.models import Channel, Indicator
from indicators.services import ValueEntry, _entry_problems, value_problems
from orgs.models import OrgUnit

FIGURES = st.one_of(
    st.none(),
    st.decimals(min_value=-5, max_value=Decimal("1E15"), allow_nan=False, allow_infinity=False, places=None),
    st.sampled_from(
        [
            Decimal("12.50"),
            Decimal("12.5"),
            Decimal("-0"),
            Decimal("0E-9"),
            Decimal("1E+3"),
            Decimal("99999999999999.999999"),
            Decimal("100000000000000"),
            Decimal("1234567890123456"),
            Decimal("0.1234567"),
            Decimal("3.000000"),
            Decimal("12345678901234.56"),
            Decimal("1234567890123.4"),
            Decimal("123.000000"),  # as the database hands a figure back
            Decimal("12.340000"),
            Decimal("99999999999999.000000"),
            Decimal("100000000000000.000000"),
        ]
    ),
)


@time_machine.travel("2024-12-05 10:00 +0800", tick=False)
def test_batch_judges_each_figure_as_value_problems_does(indicator_sets, orgs):
    indicators = list(Indicator.objects.filter(year=2024).order_by("code"))
    retired = indicators[20]  # one instance per indicator in a batch, as a query gives them
    retired.is_active = False
    closed = OrgUnit(pk=10**9, code="429005999", name="停用的街道", is_active=False)
    units = [orgs["429005001"], orgs["429005002"], closed]
    explanation = st.sampled_from(["", "核实过", "长" * 600])

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from([*indicators[:20], *indicators[21:], retired]),
                st.sampled_from(units),
                st.sampled_from([(2024, 11), (2024, 12), (2025, 1), (2023, 13), (1900, 1)]),
                FIGURES,
                explanation,
            ),
            max_size=40,
        ),
        st.sampled_from([Channel.UPLOAD, Channel.REGISTER]),
    )
    def judged(rows, channel):
        entries = [
            ValueEntry(
                indicator=ind, org_unit=unit, year=year, month=month, value=value, explanation=text, row=n
            )
            for n, (ind, unit, (year, month), value, text) in enumerate(rows)
        ]
        expected, seen = [], set()
        for entry in entries:
            expected += value_problems(entry, channel=channel)
            if entry.key in seen:
                expected.append("twice")
            seen.add(entry.key)
        got = [p if "重复填报" not in p.message else "twice" for p in _entry_problems(entries, None, channel)]
        assert [str(p) for p in got] == [str(p) for p in expected]

    judged()
