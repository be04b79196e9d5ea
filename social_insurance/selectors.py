"""Reads of the social insurance registers, aggregated in the database."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from accounts.permissions import RecordScope
from orgs.models import OrgUnit
from orgs.selectors import org_subtree_ids

from .models import CardIssuance, InsuredCount


def _in_subtree(queryset, org_unit: OrgUnit | None, scope: RecordScope):
    """The records of an org unit and everything under it (None: the whole city) that the reader may see."""
    queryset = scope.records(queryset)
    return queryset if org_unit is None else queryset.filter(org_unit_id__in=org_subtree_ids(org_unit.pk))


def card_issuance_summary(
    *, year: int, scope: RecordScope, month: int = 12, org_unit: OrgUnit | None = None
) -> dict[str, int]:
    """Cards issued this year up to the month, and in all up to the month's end (opening records
    included), for an org unit and everything under it (None: the whole city)."""
    records = _in_subtree(CardIssuance.objects.all(), org_unit, scope)
    upto = Q(year__lt=year) | Q(year=year, month__lte=month)
    this_year = Q(year=year, month__lte=month)
    totals = records.aggregate(
        physical_this_year=Coalesce(Sum("physical_cards", filter=this_year), 0),
        physical_total=Coalesce(Sum("physical_cards", filter=upto), 0),
        ecards_this_year=Coalesce(Sum("ecards_signed", filter=this_year), 0),
        ecards_total=Coalesce(Sum("ecards_signed", filter=upto), 0),
    )
    return {key: int(value) for key, value in totals.items()}


def insured_levels(
    *, year: int, month: int, scope: RecordScope, org_unit: OrgUnit | None = None
) -> dict[str, Decimal | None]:
    """Insured persons per insurance type at a month's end (summed over the units that reported that
    month); None for a type nobody reported."""
    records = _in_subtree(InsuredCount.objects.filter(year=year, month=month), org_unit, scope)
    found = dict(records.values_list("insurance_type").annotate(total=Sum("insured")).order_by())
    return {kind: found.get(kind) for kind in ("pension", "injury", "unemployment")}
