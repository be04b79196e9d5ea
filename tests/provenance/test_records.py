"""A register-fed figure read back from its records is the figure the recount stored: the records a
provenance page lists make exactly that figure, month by month and unit by unit (the demo's 2024,
every register that feeds an indicator)."""

from __future__ import annotations

from indicators.feeds import fed_indicators, feed_counts, feed_of, feed_records, feed_total
from indicators.models import Channel, MonthlyValue

MONTHS = (3, 11, 12)


def _stored() -> dict[tuple[str, int, int], object]:
    rows = MonthlyValue.objects.filter(year=2024, channel=Channel.REGISTER).values_list(
        "indicator__code", "org_unit_id", "month", "value"
    )
    return {(code, org, month): value for code, org, month, value in rows}


def test_the_records_of_a_unit_and_month_make_the_figure_the_recount_stored(demo_2024, city):
    stored = _stored()
    checked = 0
    for (code, org, month), value in stored.items():
        if month not in MONTHS:
            continue
        feed = feed_of(code)
        records = feed_records(feed, code, year=2024, months=[month])
        if feed.org_field is None:  # the city's own register (certification bodies): counted at the city
            records = records if org == city.pk else records.none()
        else:
            records = records.filter(**{feed.org_field: org})
        _, figure = feed_total(feed, code, records)
        assert figure == value, (code, org, month)  # 0 technicians among a month's certificates: 0 records
        checked += 1
    assert checked > 100 and {code for code, _, _ in stored} == set(fed_indicators())


def test_a_registers_counts_for_a_year_are_what_its_recount_wrote(demo_2024):
    stored = _stored()
    for code in fed_indicators():
        counted = feed_counts(feed_of(code), year=2024, months=range(1, 13))
        mine = {key: v for key, v in counted.items() if key[0] == code}
        assert mine == {key: v for key, v in stored.items() if key[0] == code}, code
