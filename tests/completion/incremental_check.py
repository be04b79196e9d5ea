"""Random edits, recomputed incrementally, against the whole year recomputed: the same cells, on
PostgreSQL (tests/completion/test_incremental.py, in the test database) and on SQLite (the same
check in a subprocess with the local settings, as `make run` has it: `python -m
tests.completion.incremental_check`).

The world: a small province with every level (province → prefectures → counties, one county-level
city directly under the province as 潜江 is → townships → villages), the 2024 catalogue with every
indicator typed by hand (flows, stocks, a ceiling, ratios and their parts), figures and quotas at
every level. An example is a few batches of edits (a figure set, changed or removed at any unit and
month; a quota set or removed); after each batch the queue's run (`completion_catch_up`) recomputes
what the batch changed, incrementally; at the end the whole year is recomputed and every cell must
be as the incremental runs left it."""

from __future__ import annotations

import random
import sys
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

YEAR = 2024

# (code, name, level, parent code)
TREE = [
    ("420000", "测试省", "province", None),
    ("420100", "甲市", "prefecture", "420000"),
    ("420500", "乙市", "prefecture", "420000"),
    ("420102", "甲市一区", "county", "420100"),
    ("420103", "甲市二区", "county", "420100"),
    ("420502", "乙市一区", "county", "420500"),
    ("429005", "潜江市", "county", "420000"),  # 省直管: directly under the province
    ("420102001", "一区一街", "township", "420102"),
    ("420102002", "一区二街", "township", "420102"),
    ("420103001", "二区一街", "township", "420103"),
    ("420502001", "乙一街", "township", "420502"),
    ("420502002", "乙二街", "township", "420502"),
    ("429005001", "园林街道", "township", "429005"),
    ("429005002", "杨市街道", "township", "429005"),
    ("420102001001", "一街一村", "village", "420102001"),
    ("429005001001", "园林一社区", "village", "429005001"),
]
UNITS = len(TREE)
# Figures are kept small: no validation rule of the year (the city's residents, last year's whole
# city) stands in the way, and "其中" parts are often above their whole, which the write path refuses:
# such an edit is left out, as a user's would be.
BATCH = st.lists(
    st.tuples(
        st.sampled_from(["value", "value", "value", "remove", "quota", "no_quota"]),
        st.integers(0, UNITS - 1),
        st.integers(0, 10_000),  # the indicator, modulo the typed ones
        st.integers(1, 12),
        st.integers(0, 400),
    ),
    min_size=1,
    max_size=6,
)
BATCHES = st.lists(BATCH, min_size=1, max_size=4)


def world_build() -> tuple[list, list, list]:
    """The tree, the 2024 set typed by hand, and seeded figures and quotas at every level."""
    from indicators.catalog import registered_specs
    from indicators.catalog_sync import indicator_catalog_sync
    from indicators.models import Indicator
    from orgs.models import OrgUnit
    from orgs.services import org_closure_rebuild

    units: dict[str, OrgUnit] = {}
    for order, (code, name, level, parent) in enumerate(TREE):
        kind = {"province": "province", "prefecture": "prefecture", "county": "urban"}.get(level, "street")
        units[code] = OrgUnit.objects.create(
            code=code, name=name, level=level, kind=kind, parent=units.get(parent), sort_order=order
        )
    org_closure_rebuild()
    indicator_catalog_sync(years=[YEAR])
    declared = {spec.code: spec.township_reported for spec in registered_specs()}
    for indicator in Indicator.objects.filter(year=YEAR, source=Indicator.Source.REGISTER):
        indicator.fed_by = ""
        indicator.source = Indicator.Source.TOWNSHIP if declared[indicator.code] else Indicator.Source.BUREAU
        indicator.save(update_fields=["fed_by", "source"])
    _shared_numerator_ratio()
    catalogue = list(Indicator.objects.filter(year=YEAR).order_by("sort_order", "code"))
    typed = [i for i in catalogue if i.kind != Indicator.Kind.RATIO]
    _seed(list(units.values()), typed, catalogue)
    return list(units.values()), typed, catalogue


def _shared_numerator_ratio() -> None:
    """A second ratio on 调解结案数 (the catalogue's ratios share only denominators): a change to its
    denominator must not recompute the other ratio on the same numerator half-way."""
    from indicators.models import Indicator

    of = {i.code: i for i in Indicator.objects.filter(year=YEAR)}
    Indicator.objects.create(
        year=YEAR,
        code="labor_relations.mediated_per_arbitration",
        name="调解结案数与仲裁结案数之比",
        area="labor_relations",
        unit="%",
        kind=Indicator.Kind.RATIO,
        source=Indicator.Source.COMPUTED,
        numerator=of["labor_relations.cases_mediated"],
        denominator=of["labor_relations.arbitration_closed"],
        sort_order=9999,
    )


def _seed(units: list, typed: list, catalogue: list) -> None:
    from indicators.models import Channel
    from indicators.services import ValueEntry, monthly_values_apply

    rng = random.Random(2024)
    for unit in units:
        entries = [
            ValueEntry(indicator=i, org_unit=unit, year=YEAR, month=m, value=Decimal(rng.randint(0, 30)))
            for i in rng.sample(typed, 8)
            for m in sorted(rng.sample(range(1, 13), 4))
        ]
        _quietly(
            lambda batch=entries: monthly_values_apply(entries=batch, user=None, channel=Channel.COMMAND)
        )
        for indicator in rng.sample(catalogue, 4):
            _quota(indicator, unit, rng.randint(1, 90))


def _quietly(write) -> None:
    """A write the rules refuse ("其中" above its whole) is left out, as a user's would be."""
    from django.db import transaction

    from common.errors import PortalError

    try:
        with transaction.atomic():
            write()
    except PortalError:
        pass


def _quota(indicator, unit, target: int | None) -> None:
    from indicators.models import Channel, Quota
    from indicators.services import quota_delete, quota_set

    if target is None:
        for quota in Quota.objects.filter(indicator=indicator, org_unit=unit, year=YEAR):
            quota_delete(quota=quota, user=None, channel=Channel.COMMAND)
        return
    _quietly(
        lambda: quota_set(
            indicator=indicator,
            org_unit=unit,
            year=YEAR,
            target=Decimal(target),
            user=None,
            channel="command",
        )
    )


def batch_apply(batch, units: list, typed: list, catalogue: list) -> None:
    """One transaction's edits (the service's own transaction is a savepoint here)."""
    from indicators.models import Channel
    from indicators.services import ValueEntry, monthly_values_apply

    entries = {}
    for action, unit_at, indicator_at, month, amount in batch:
        unit = units[unit_at]
        if action in ("quota", "no_quota"):
            _quota(catalogue[indicator_at % len(catalogue)], unit, amount + 1 if action == "quota" else None)
            continue
        indicator = typed[indicator_at % len(typed)]
        value = None if action == "remove" else Decimal(amount)
        entries[(indicator.pk, unit.pk, month)] = ValueEntry(
            indicator=indicator, org_unit=unit, year=YEAR, month=month, value=value
        )
    if entries:
        batch_entries = list(entries.values())
        _quietly(lambda: monthly_values_apply(entries=batch_entries, user=None, channel=Channel.COMMAND))


def cells() -> list[tuple]:
    from completion.models import Completion

    fields = ("indicator_id", "org_unit_id", "month", "actual", "numerator", "denominator", "quota")
    fields += ("completion_rate", "time_progress", "gap", "status")
    return sorted(Completion.objects.filter(year=YEAR).values_list(*fields))


def differences(batches, units: list, typed: list, catalogue: list) -> list[str]:
    """Apply the batches, each recomputed incrementally; then the whole year. What differs."""
    from completion.services import completion_catch_up, completion_recompute

    completion_recompute(year=YEAR)
    for batch in batches:
        batch_apply(batch, units, typed, catalogue)
        run = completion_catch_up(year=YEAR)
        if run is not None and run.org_units is None:
            return [f"the run after {batch} recomputed the whole year, not incrementally"]
    incremental = cells()
    completion_recompute(year=YEAR)
    whole = cells()
    only_incremental = sorted(set(incremental) - set(whole))
    only_whole = sorted(set(whole) - set(incremental))
    return [f"incremental only: {c}" for c in only_incremental[:10]] + [
        f"whole year only: {c}" for c in only_whole[:10]
    ]


def check_in_savepoint(batches, world) -> list[str]:
    """`differences`, leaving the database as it was (the example's own savepoint)."""
    from django.db import transaction

    with transaction.atomic():
        found = differences(batches, *world)
        transaction.set_rollback(True)
    return found


def main(examples: int) -> None:
    """SQLite, the local settings: a fresh database, the world, `examples` random examples."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    import completion.services as services

    call_command("migrate", verbosity=0, interactive=False)
    assert connection.vendor == "sqlite", connection.vendor
    services.INCREMENTAL_MAX_UNIT_SHARE = 1.0  # every run incremental, however much of the tree it touches
    world = world_build()

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(batches=BATCHES)
    def incremental_equals_whole(batches):
        found = check_in_savepoint(batches, world)
        assert not found, "\n".join(found)

    incremental_equals_whole()
    print(f"sqlite: {examples} examples, incremental == whole year")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
