"""Who may see and change which org unit. Every door (admin, pages, API, exports, uploads) asks here,
on the server. Every business account belongs to a unit (a province's, a prefecture's, a county's
bureau or leadership, or a township) and reaches that unit and what lies under it; superusers count
as bureau staff of the portal's own unit. Everything fails closed: an account without a role, or
without its unit, may see and change nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from orgs.models import OrgUnit
from orgs.selectors import org_is_within, org_subtree_ids

from .models import User


def has_portal_role(user) -> bool:
    """Signed in, active, and given a business role by an administrator (superusers need none): the
    figures, registers and reports. The three administrators' roles are not business roles."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if user.role == User.Role.TOWNSHIP:
        return bool(user.org_unit_id)
    return user.role in (User.Role.BUREAU, User.Role.LEADER)


# 三员分立: each administrator's role, and who may use which part of the system through it.
ADMIN_ROLES = (User.Role.SYSTEM_ADMIN, User.Role.SECURITY_ADMIN, User.Role.AUDIT_ADMIN)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def admin_role(user) -> str:
    """The administrator's role of an active account ("" for everyone else, superusers included)."""
    if _active(user) and not user.is_superuser and user.role in ADMIN_ROLES:
        return user.role
    return ""


def is_system_admin(user) -> bool:
    """Accounts (create, names, contact, reset passwords, disable) — superusers too, outside production."""
    return _active(user) and (user.is_superuser or user.role == User.Role.SYSTEM_ADMIN)


def is_security_admin(user) -> bool:
    """Roles and permissions, sign-in locks, second factors, API tokens — superusers too."""
    return _active(user) and (user.is_superuser or user.role == User.Role.SECURITY_ADMIN)


def is_audit_admin(user) -> bool:
    """Reads and exports the security log, nothing else. Not a superuser: the log's reader is not the
    person whose actions it records."""
    return admin_role(user) == User.Role.AUDIT_ADMIN


# Where each administrator's role reaches (besides its own password and second-factor pages): the
# system and security administrators the admin's account pages (each model admin decides which;
# the bureau's data entry inside the admin is not theirs), the audit administrator the security log.
ADMIN_DOORS = {
    User.Role.SYSTEM_ADMIN: ("/admin/",),
    User.Role.SECURITY_ADMIN: ("/admin/",),
    User.Role.AUDIT_ADMIN: ("/audit/",),
}
ADMIN_NEVER = ("/admin/entry/",)
ADMIN_LANDING = {
    User.Role.SYSTEM_ADMIN: "/admin/",
    User.Role.SECURITY_ADMIN: "/admin/",
    User.Role.AUDIT_ADMIN: "/audit/",
}


def admin_door_allows(role: str, path: str) -> bool:
    return path.startswith(ADMIN_DOORS.get(role, ())) and not path.startswith(ADMIN_NEVER)


def manages_accounts(user) -> bool:
    return is_system_admin(user) or is_security_admin(user)


def sees_personal_data(user) -> bool:
    """Who may open a register record with the names (ID-card numbers, phone numbers) unmasked: the
    bureau staff who keep the registers. Lists stay masked for everyone; each opening is logged."""
    return is_bureau(user)


def actor_of(user) -> tuple[User | None, str]:
    """Who a change is recorded under: the signed-in user and the name the history shows, or (user None,
    a trusted system process such as the demo or a command) nobody and 系统."""
    if user is None or not user.is_authenticated:
        return None, "系统"
    return user, (user.get_full_name() or user.username)


def is_bureau(user) -> bool:
    return has_portal_role(user) and (user.is_superuser or user.role == User.Role.BUREAU)


def is_leader(user) -> bool:
    return has_portal_role(user) and not user.is_superuser and user.role == User.Role.LEADER


def is_township(user) -> bool:
    return has_portal_role(user) and not user.is_superuser and user.role == User.Role.TOWNSHIP


def _of_the_top(user) -> bool:
    """A superuser, or an account of the portal's own unit: one whose unit is the top of the tree, or
    a bureau or leadership account made without a unit (the quick start's, a command's)."""
    return user.is_superuser or not user.org_unit_id or user.org_unit.parent_id is None


def home_unit(user) -> OrgUnit | None:
    """The account's own unit, whose subtree it sees: the bureau's or the leadership's unit, a
    township user's township; for the portal's own leadership the top (None while there is no tree
    yet); anyone else none."""
    if not has_portal_role(user):
        return None
    if user.org_unit_id and not user.is_superuser:
        return user.org_unit  # loaded once with the account
    # Kept on the account object, which lives for one request: every door asks several times.
    if not hasattr(user, "_portal_top"):
        user._portal_top = OrgUnit.objects.filter(parent__isnull=True).first()
    return user._portal_top


def sees_whole_subtree(user) -> bool:
    """Bureau staff and leaders see everything under their unit: its 本级, every unit below it, and
    the rankings of its townships against each other. A township user sees its own township only."""
    return is_bureau(user) or is_leader(user)


def sees_whole_portal(user) -> bool:
    """Bureau staff and leaders of the portal's own unit (the top of the tree): everything, the
    records that belong to no unit (the city's own competitions, certification bodies) included."""
    return sees_whole_subtree(user) and _of_the_top(user)


def is_portal_bureau(user) -> bool:
    """Bureau staff of the portal's own unit: keep what the whole portal shares (the indicator system,
    the registers' lists in the admin, which are not scoped by unit)."""
    return is_bureau(user) and _of_the_top(user)


def visible_org_units(user) -> QuerySet[OrgUnit]:
    """The account's unit and everything under it (a prefecture's bureau: its counties, townships and
    villages; a township user: its township and villages); anyone else nothing."""
    if sees_whole_portal(user):
        return OrgUnit.objects.all()
    if not has_portal_role(user) or not user.org_unit_id:  # a township account without its township
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(id__in=org_subtree_ids(user.org_unit_id))


def can_see_org(user, org_unit_id: int) -> bool:
    return visible_org_units(user).filter(id=org_unit_id).exists()


def can_write_figures(user, org_unit_id: int) -> bool:
    """Bureau staff write for any unit under theirs. Township users write their own township's
    reports through the reporting workflow, which checks the same rule; leaders only read."""
    if is_portal_bureau(user):
        return True
    if not (is_bureau(user) or is_township(user)) or not user.org_unit_id:
        return False
    return org_is_within(org_unit_id, user.org_unit_id)


@dataclass(frozen=True)
class RecordScope:
    """Which records a reader may see, for every read that lists or adds up records (register lists,
    year summaries, totals). Selectors that aggregate records take one as a required argument, so no
    summary can add up what its reader may not see: the city's totals are for those who see the city.

    `org_unit_ids`: the units whose records count (None: every unit). `city_level`: whether records that
    belong to no unit (the city's own competitions, certification bodies) count."""

    org_unit_ids: QuerySet | None
    city_level: bool

    @classmethod
    def of(cls, user) -> RecordScope:
        if sees_whole_portal(user):
            return cls(None, True)
        return cls(visible_org_units(user).values("id"), False)  # none() for an account without a role

    @classmethod
    def whole_city(cls) -> RecordScope:
        """For trusted system readers only (commands, the demo's checks), never for a request."""
        return cls(None, True)

    def records(self, queryset: QuerySet, org_field: str = "org_unit") -> QuerySet:
        if self.org_unit_ids is None:
            return queryset
        return queryset.filter(**{f"{org_field}__in": self.org_unit_ids})

    def city_records(self, queryset: QuerySet) -> QuerySet:
        return queryset if self.city_level else queryset.none()
