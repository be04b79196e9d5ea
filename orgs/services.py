"""Writes to org units. The closure table is derived and rebuilt after every change."""

from __future__ import annotations

from django.db import transaction

from .models import OrgUnit, OrgUnitClosure


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
