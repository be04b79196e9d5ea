"""Writes to org units. The closure table is derived and rebuilt after every change."""

from __future__ import annotations

from django.db import transaction

from .models import OrgUnit, OrgUnitClosure
from .reference import CITY, TOWNSHIPS


@transaction.atomic
def org_closure_rebuild() -> int:
    """Recompute every ancestor/descendant pair. A few hundred rows: cheap enough to redo whole."""
    parents = dict(OrgUnit.objects.values_list("id", "parent_id"))
    rows = []
    for unit_id in parents:
        ancestor, depth, seen = unit_id, 0, set()
        while ancestor is not None and ancestor not in seen:
            seen.add(ancestor)
            rows.append(OrgUnitClosure(ancestor_id=ancestor, descendant_id=unit_id, depth=depth))
            ancestor, depth = parents[ancestor], depth + 1
    OrgUnitClosure.objects.all().delete()
    OrgUnitClosure.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@transaction.atomic
def org_unit_save(*, unit: OrgUnit) -> OrgUnit:
    unit.full_clean()
    unit.save()
    org_closure_rebuild()
    return unit


@transaction.atomic
def org_units_load_reference() -> tuple[OrgUnit, list[OrgUnit]]:
    """Create or update the city and its 23 townships from the official codes (idempotent)."""
    city, _ = OrgUnit.objects.update_or_create(
        code=CITY[0], defaults=dict(name=CITY[1], level="city", kind="city", parent=None, sort_order=0)
    )
    townships = []
    for order, (code, name, kind) in enumerate(TOWNSHIPS, start=1):
        unit, _ = OrgUnit.objects.update_or_create(
            code=code, defaults=dict(name=name, level="township", kind=kind, parent=city, sort_order=order)
        )
        townships.append(unit)
    org_closure_rebuild()
    return city, townships
