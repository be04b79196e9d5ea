"""Writes to org units. The closure table is derived and rebuilt after every change."""

from __future__ import annotations

from django.db import transaction

from .models import OrgUnit, OrgUnitClosure
from .reference import CITY, TOWNSHIPS
from .signals import org_tree_changed


def _closure_rows() -> set[tuple[int, int, int]]:
    parents = dict(OrgUnit.objects.values_list("id", "parent_id"))
    rows = set()
    for unit_id in parents:
        ancestor, depth, seen = unit_id, 0, set()
        while ancestor is not None and ancestor not in seen:
            seen.add(ancestor)
            rows.add((ancestor, unit_id, depth))
            ancestor, depth = parents[ancestor], depth + 1
    return rows


@transaction.atomic
def org_closure_rebuild() -> int:
    """Recompute every ancestor/descendant pair (a province's 1,400 units above the villages and
    their 465 service points: ~8,000 rows, cheap enough to compare and redo whole). When the tree
    changed, the figures rolled up along it are out of date: `org_tree_changed` says so."""
    rows = _closure_rows()
    stored = set(OrgUnitClosure.objects.values_list("ancestor_id", "descendant_id", "depth"))
    if rows == stored:
        return len(rows)
    OrgUnitClosure.objects.all().delete()
    OrgUnitClosure.objects.bulk_create(
        (OrgUnitClosure(ancestor_id=a, descendant_id=d, depth=depth) for a, d, depth in sorted(rows)),
        batch_size=2000,
    )
    # A pair gone is a unit moved (or removed): the roll-ups above it change. New pairs alone are a
    # new unit, with no figures yet to roll up.
    if stored - rows:
        org_tree_changed.send(sender=OrgUnit)
    return len(rows)


@transaction.atomic
def org_unit_save(*, unit: OrgUnit) -> OrgUnit:
    unit.full_clean()
    unit.save()
    org_closure_rebuild()
    return unit


@transaction.atomic
def org_units_load_reference() -> tuple[OrgUnit, list[OrgUnit]]:
    """Create or update the city and its 23 townships from the official codes (idempotent). The city
    is a county-level city governed by the province directly (省直管); in its own portal it is the top."""
    city, _ = OrgUnit.objects.update_or_create(
        code=CITY[0], defaults=dict(name=CITY[1], level="county", kind="city", parent=None, sort_order=0)
    )
    townships = []
    for order, (code, name, kind) in enumerate(TOWNSHIPS, start=1):
        unit, _ = OrgUnit.objects.update_or_create(
            code=code, defaults=dict(name=name, level="township", kind=kind, parent=city, sort_order=order)
        )
        townships.append(unit)
    org_closure_rebuild()
    return city, townships
