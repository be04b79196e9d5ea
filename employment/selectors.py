"""Reads of the employment registers for pages, exports and the API. Aggregation in the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Sum

from .models import GigStation, GigStationMonth

# The network from the top down, as the report lists it.
LEVEL_ORDER = [GigStation.Kind.HUB, GigStation.Kind.BRANCH, GigStation.Kind.TOWNSHIP, GigStation.Kind.VILLAGE]


@dataclass(frozen=True)
class GigTotals:
    org_code: str  # 429005 (市本级) for the hub and branches, else the township
    org_name: str
    level: str  # GigStation.Kind
    level_label: str
    stations: int  # stations with a record that year
    services: int
    registrations: int
    job_postings: int
    consultations: int
    placements: int


def gig_station_year_totals(*, year: int, org_unit_ids=None) -> list[GigTotals]:
    """A year's service counts by org unit (township, or 市本级 for the hub and the branches) and
    network level, in one query. `org_unit_ids` narrows to the units a user may see."""
    months = GigStationMonth.objects.filter(year=year)
    if org_unit_ids is not None:
        months = months.filter(station__org_unit__in=org_unit_ids)
    rows = list(
        months.values(
            level=F("station__kind"),
            org_code=F("station__org_unit__code"),
            org_name=F("station__org_unit__name"),
            org_order=F("station__org_unit__sort_order"),
        )
        .annotate(stations=Count("station", distinct=True), **{n: Sum(n) for n in GigStationMonth.COUNTS})
        .order_by()
    )
    totals = [
        GigTotals(
            org_code=row["org_code"],
            org_name=row["org_name"],
            level=row["level"],
            level_label=GigStation.Kind(row["level"]).label,
            stations=row["stations"],
            **{name: row[name] for name in GigStationMonth.COUNTS},
        )
        for row in rows
    ]
    sort_key = {row["org_code"]: row["org_order"] for row in rows}
    return sorted(totals, key=lambda t: (sort_key[t.org_code], t.org_code, LEVEL_ORDER.index(t.level)))


def gig_network_year_totals(*, year: int) -> dict[str, int]:
    """The whole network's year: the report's 3.4万 services, 4,017 registrations and so on."""
    sums = GigStationMonth.objects.filter(year=year).aggregate(
        **{name: Sum(name) for name in GigStationMonth.COUNTS}
    )
    return {name: sums[name] or 0 for name in GigStationMonth.COUNTS}


def gig_station_counts() -> dict[str, int]:
    """Active stations by network level."""
    found = dict(
        GigStation.objects.filter(is_active=True).values_list("kind").annotate(n=Count("id")).order_by()
    )
    return {kind.value: found.get(kind, 0) for kind in LEVEL_ORDER}
