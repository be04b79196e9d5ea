"""Reads of the employment registers for pages, exports and the API. Aggregation in the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Sum

from accounts.permissions import RecordScope

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


def gig_station_year_totals(*, year: int, scope: RecordScope) -> list[GigTotals]:
    """A year's service counts by org unit (township, or 市本级 for the hub and the branches) and
    network level, in one query, over the stations the reader may see."""
    months = scope.records(GigStationMonth.objects.filter(year=year), "station__org_unit")
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
