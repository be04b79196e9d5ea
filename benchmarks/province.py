"""The synthetic province of `make bench-province`, built at run time from a seed (nothing committed):
1 province, 17 prefectures, 103 county-level units (3 of them directly under the province, as 潜江
is), 1,250 townships; the 2024 catalogue plus generated indicators, 105 in all; every township's
figure of every typed indicator in every month of 2024 (~1.3M monthly values) and a quota at every
unit. Loaded with COPY (the write path's history and checks are not what this measures); the "其中"
parts are generated within their wholes, so the database's own guard would pass them."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from decimal import Decimal

from benchmarks.completion import log, part_within_whole_trigger_off, sql, table

SEED = 420000
YEAR = 2024
PREFECTURES, COUNTIES, TOWNSHIPS, DIRECT_COUNTIES = 17, 103, 1250, 3
INDICATORS = 105


@dataclass
class Province:
    province: int
    prefectures: list[int]
    counties: list[int]
    townships: list[int]
    indicators: list[int] = field(default_factory=list)  # typed (not ratios), the year's
    parents: dict[int, int] = field(default_factory=dict)  # unit id -> parent id


def _counties_per_prefecture(rng: random.Random) -> list[int]:
    """100 counties over 17 prefectures, 4 to 8 each."""
    shares = [4] * PREFECTURES
    for _ in range(COUNTIES - DIRECT_COUNTIES - sum(shares)):
        shares[rng.randrange(PREFECTURES)] += 1
    return shares


def build_tree(rng: random.Random) -> Province:
    from orgs.models import OrgUnit
    from orgs.services import org_closure_rebuild

    top = OrgUnit.objects.create(code="420000", name="合成省", level="province", kind="province")
    made = Province(top.pk, [], [], [])
    county_units: list[OrgUnit] = []
    for p, share in enumerate(_counties_per_prefecture(rng), start=1):
        prefecture = OrgUnit.objects.create(
            code=f"42{p:02d}00",
            name=f"合成{p}市",
            level="prefecture",
            kind="prefecture",
            parent=top,
            sort_order=p,
        )
        made.prefectures.append(prefecture.pk)
        county_units += [
            OrgUnit(code=f"42{p:02d}{c:02d}", name=f"合成{p}市{c}区", level="county", kind="urban",
                    parent=prefecture, sort_order=c)
            for c in range(1, share + 1)
        ]  # fmt: skip
    county_units += [
        OrgUnit(
            code=f"4290{c:02d}", name=f"直管{c}市", level="county", kind="city", parent=top, sort_order=90 + c
        )
        for c in range(4, 4 + DIRECT_COUNTIES)
    ]
    counties = OrgUnit.objects.bulk_create(county_units)
    made.counties = [c.pk for c in counties]
    townships = []
    for n in range(TOWNSHIPS):
        county = counties[n % len(counties)]
        townships.append(
            OrgUnit(code=f"{county.code}{n // len(counties) + 1:03d}", name=f"合成街道{n + 1}", level="township",
                    kind="street", parent=county, sort_order=n)
        )  # fmt: skip
    made.townships = [t.pk for t in OrgUnit.objects.bulk_create(townships)]
    made.parents = dict(OrgUnit.objects.values_list("id", "parent_id"))
    org_closure_rebuild()
    return made


def build_catalogue() -> list:
    """The 2024 set as the domain apps declare it (typed by hand, register feeds included, so every
    township reports it), plus generated flows and stocks up to INDICATORS."""
    from indicators.catalog_sync import indicator_catalog_sync
    from indicators.models import Indicator

    indicator_catalog_sync(years=[YEAR])
    Indicator.objects.filter(year=YEAR, source=Indicator.Source.REGISTER).update(
        fed_by="", source=Indicator.Source.TOWNSHIP
    )
    Indicator.objects.filter(year=YEAR, source=Indicator.Source.BUREAU).update(
        source=Indicator.Source.TOWNSHIP
    )
    have = Indicator.objects.filter(year=YEAR).count()
    Indicator.objects.bulk_create(
        Indicator(year=YEAR, code=f"employment.province_{n:03d}", name=f"合成指标{n:03d}", area="employment",
                  unit="人", kind="stock" if n % 4 == 0 else "flow", sort_order=5000 + n)
        for n in range(INDICATORS - have)
    )  # fmt: skip
    return list(Indicator.objects.filter(year=YEAR).exclude(kind="ratio").order_by("sort_order", "code"))


def _figure(rng: random.Random, size: int, places: int) -> Decimal:
    return (
        Decimal(rng.randint(size, size * 3)).scaleb(-places)
        if places
        else Decimal(rng.randint(size, size * 3))
    )


def _value_lines(made: Province, catalogue: list, rng: random.Random, out, totals: dict) -> int:
    """A township's figure per indicator and month, written to `out` as COPY lines; a "其中" part at
    most its whole (the catalogue orders a whole before its parts). `totals` gathers each township's
    year per indicator, for the quotas."""
    now, written = "2024-12-31 00:00:00+08", 0
    for org in made.townships:
        size, own = rng.randint(5, 60), {}
        for ind in catalogue:
            year_total = Decimal(0)
            for month in range(1, 13):
                value = _figure(rng, size, ind.value_places)
                whole = own.get((ind.parent_id, month)) if ind.parent_id else None
                value = min(value, whole) if whole is not None else value
                own[(ind.pk, month)] = value
                year_total += value
                out.write(f"{ind.pk}\t{org}\t{YEAR}\t{month}\t{value}\t\t\tcommand\t{now}\n")
                written += 1
            totals[(ind.pk, org)] = year_total
    return written


def _quota_lines(made: Province, totals: dict, rng: random.Random) -> str:
    """Every unit a quota of every typed indicator: about its year, so statuses spread."""
    rolled: dict[tuple[int, int], Decimal] = {}
    for (ind, org), value in totals.items():
        unit = org
        while unit is not None:
            rolled[(ind, unit)] = rolled.get((ind, unit), Decimal(0)) + value
            unit = made.parents.get(unit)
    now = "2024-01-01 00:00:00+08"
    return "".join(
        f"{ind}\t{org}\t{YEAR}\t{max(Decimal(1), (total * Decimal(rng.uniform(0.8, 1.2))).quantize(Decimal(1)))}\t\t{now}\n"
        for (ind, org), total in rolled.items()
    )


def load_figures(made: Province, catalogue: list) -> int:
    import tempfile

    from django.db import connection, transaction

    from indicators.models import MonthlyValue, Quota

    rng, totals = random.Random(SEED + 1), {}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as values:
        written = _value_lines(made, catalogue, rng, values, totals)
        values.seek(0)
        quotas = _quota_lines(made, totals, rng)
        with transaction.atomic(), part_within_whole_trigger_off(), connection.cursor() as cursor:
            columns = (
                "indicator_id, org_unit_id, year, month, value, remark, explanation, channel, updated_at"
            )
            cursor.cursor.copy_expert(f"COPY {table(MonthlyValue)} ({columns}) FROM STDIN", values)
            columns = "indicator_id, org_unit_id, year, target, note, updated_at"
            cursor.cursor.copy_expert(f"COPY {table(Quota)} ({columns}) FROM STDIN", io.StringIO(quotas))
    sql(f"ANALYZE {table(MonthlyValue)}, {table(Quota)}")
    return written


def build() -> Province:
    rng = random.Random(SEED)
    made = build_tree(rng)
    catalogue = build_catalogue()
    made.indicators = [i.pk for i in catalogue]
    values = load_figures(made, catalogue)
    log(f"province: {len(made.prefectures)} prefectures, {len(made.counties)} counties, "
        f"{len(made.townships)} townships; {len(catalogue)} typed indicators; {values:,} monthly values")  # fmt: skip
    return made
