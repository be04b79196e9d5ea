"""Who may see and change which org unit. Every door (admin, pages, API, exports, uploads) asks here,
on the server. Superusers count as bureau staff."""

from __future__ import annotations

from django.db.models import QuerySet

from orgs.models import OrgUnit
from orgs.selectors import org_subtree_ids

from .models import User


def is_bureau(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == User.Role.BUREAU))


def is_leader(user) -> bool:
    return bool(user and user.is_authenticated and user.role == User.Role.LEADER)


def sees_whole_city(user) -> bool:
    return is_bureau(user) or is_leader(user)


def visible_org_units(user) -> QuerySet[OrgUnit]:
    """Bureau staff and leaders see everything; a township user its township and what lies under it."""
    if not (user and user.is_authenticated):
        return OrgUnit.objects.none()
    if sees_whole_city(user):
        return OrgUnit.objects.all()
    if user.role == User.Role.TOWNSHIP and user.org_unit_id:
        return OrgUnit.objects.filter(id__in=org_subtree_ids(user.org_unit_id))
    return OrgUnit.objects.none()


def can_see_org(user, org_unit_id: int) -> bool:
    return visible_org_units(user).filter(id=org_unit_id).exists()


def can_write_figures(user, org_unit_id: int) -> bool:
    """Bureau staff write for any unit. Township users write their own township's reports through
    the reporting workflow, which checks the same rule; leaders only read."""
    if is_bureau(user):
        return True
    return bool(
        user
        and user.is_authenticated
        and user.role == User.Role.TOWNSHIP
        and org_subtree_ids(user.org_unit_id).filter(descendant_id=org_unit_id).exists()
    )
