from __future__ import annotations

import time
from collections.abc import Iterable

from django.db import connection
from django.db.models import QuerySet

from .models import OrgUnit, OrgUnitClosure


def org_root() -> OrgUnit:
    """The portal's own unit, the top of its tree (the city in Qianjiang's portal)."""
    return OrgUnit.objects.get(parent__isnull=True)


# Org units change a few times a year and the dashboards read one on every request: each process keeps
# what it looked up for a minute. A save or delete in this process forgets everything at once (see
# OrgsConfig.ready); other processes see a renamed unit within the minute.
ORG_CACHE_SECONDS = 60
_org_cache: dict[str, tuple[float, OrgUnit | None]] = {}


def org_by_code(code: str | None) -> OrgUnit | None:
    """An org unit by its division code (the portal's own unit when code is empty)."""
    key = code or ""
    hit = _org_cache.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    found = OrgUnit.objects.filter(code=code).first() if code else org_root()
    if not connection.in_atomic_block:  # never keep what a transaction may still roll back
        _org_cache[key] = (time.monotonic() + ORG_CACHE_SECONDS, found)
    return found


def org_cache_clear(**kwargs) -> None:
    _org_cache.clear()


def org_subtree_ids(org_unit_id: int) -> QuerySet:
    """Ids of the unit itself and everything under it."""
    return OrgUnitClosure.objects.filter(ancestor_id=org_unit_id).values("descendant_id")


def org_ancestor_ids(org_unit_ids: Iterable[int]) -> set[int]:
    """The units themselves and every unit above them: the cells a change at these units moves."""
    ids = set(org_unit_ids)
    if not ids:
        return set()
    found = OrgUnitClosure.objects.filter(descendant_id__in=ids).values_list("ancestor_id", flat=True)
    return set(found)


def org_is_within(org_unit_id: int, ancestor_id: int) -> bool:
    """The unit is the ancestor or lies under it."""
    return OrgUnitClosure.objects.filter(ancestor_id=ancestor_id, descendant_id=org_unit_id).exists()
