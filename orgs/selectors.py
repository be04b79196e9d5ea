from __future__ import annotations

from django.db.models import QuerySet

from .models import OrgUnit, OrgUnitClosure


def org_city() -> OrgUnit:
    return OrgUnit.objects.get(level=OrgUnit.Level.CITY)


def org_subtree_ids(org_unit_id: int) -> QuerySet:
    """Ids of the unit itself and everything under it."""
    return OrgUnitClosure.objects.filter(ancestor_id=org_unit_id).values("descendant_id")
