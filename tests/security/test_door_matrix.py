"""Every door of the portal, tried by every role, with the other township's ids and codes.

The rules are declared here, one per URL pattern the resolver knows (router actions included). A new
URL without a rule fails `test_every_url_has_a_declared_rule`, so no endpoint can be added without
saying who may use it. `test_every_door_answers_every_role_as_declared` then tries each one as each
role on the demo data (township B's objects for the ids), and checks that nothing township A is
shown names township B; `test_no_role_can_write_what_it_may_not` tries the writes.

Roles: anon (signed out), none (an account without a role), a (园林街道, is_staff ticked by
mistake), b (杨市街道), leader (is_staff ticked too), bureau, root (superuser), unit_a (bureau staff of
a unit below the portal's own, here 园林街道 itself: what a prefecture's or a county's bureau is in a
province's portal, reaching its own unit and what lies under it, never township B nor the city's own
records, nor the admin's unscoped lists), and the three administrators of 三员分立: sysadmin
(accounts), secadmin (roles, locks, tokens), auditor (the security log). The administrators reach no
business door: a rule that does not name them refuses them (403)."""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.models import User
from completion.models import Completion
from indicators.models import Channel, Indicator, MonthlyValue, Quota, SetChange, ValidationRule
from indicators.sets import indicator_set_copy
from notices.models import Delivery, Notice
from notices.services import reminders_send_manual
from reporting.models import LockOverride, Submission
from reporting.services.upload import submission_upload
from reporting.services.workflow import submission_confirm
from reporting.templates_xlsx import template_workbook
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B
from tests.reporting.conftest import fill

ROLES = ("anon", "none", "a", "b", "leader", "bureau", "root", "unit_a", "sysadmin", "secadmin", "auditor")
# Roles that must never be shown township B (its name or code) in an answer.
SEES_A_ONLY = ("a", "unit_a")
ADMINS = ("sysadmin", "secadmin", "auditor")
JOBS = "employment.urban_new_jobs"
LOANS = "employment.guarantee_loan_amount"  # counted from a register
RESIDENTS = "social_insurance.resident_population"  # entered by the bureau at the city
CITY = "429005"
LOGIN = "login"  # a redirect to the sign-in page
ADMIN_LOGIN = "admin-login"  # a redirect to the admin's sign-in page
# What township B's name and code look like in any page, JSON, xlsx or docx shown to township A.
B_MARKERS = ("杨市街道", TOWNSHIP_B)


@dataclass(frozen=True)
class Door:
    """Who may GET a URL (status per role) and with which arguments: `kwargs` names objects of
    township B (resolved on the demo data), `query` adds a query string."""

    expect: dict[str, tuple]
    kwargs: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)


def rule(**by_role) -> dict[str, tuple]:
    """Statuses per role; `rest` for the business roles not named, `admins` (default 403: refused) for
    the three administrators not named."""
    rest = by_role.pop("rest", None)
    admins = by_role.pop("admins", 403)
    out = {}
    for role in ROLES:
        found = by_role.get(role, admins if role in ADMINS else rest)
        assert found is not None, role
        out[role] = found if isinstance(found, tuple) else (found,)
    return out


# The rules, by kind of door.
SIGNED_IN_PAGE = rule(anon=LOGIN, none=403, rest=200)
SIGNED_IN_API = rule(anon=(401, 403), none=403, rest=200)
# Leadership pages: the leadership and bureau of any unit, for what lies under it.
WHOLE_CITY_PAGE = rule(anon=LOGIN, none=403, a=403, b=403, rest=200)
BUREAU_PAGE = rule(anon=LOGIN, none=403, a=403, b=403, leader=403, rest=200)
B_ONLY_PAGE = rule(anon=LOGIN, none=403, a=(403, 404), unit_a=(403, 404), rest=200)  # township B's object
B_ONLY_API = rule(anon=(401, 403), none=403, a=(403, 404), unit_a=(403, 404), rest=200)
CITY_ONLY_API = rule(anon=(401, 403), none=403, a=404, b=404, unit_a=404, rest=200)  # the city's own records
# The city's own unit asked by name: only those over it.
CITY_UNIT_PAGE = rule(anon=LOGIN, none=403, a=403, b=403, unit_a=403, rest=200)
POST_ONLY_PAGE = rule(anon=LOGIN, none=403, rest=405)
POST_ONLY_API = rule(anon=(401, 403), none=403, a=(403, 405), b=(403, 405), leader=(403, 405), rest=405)
WHOLE_CITY_API = rule(anon=(401, 403), none=403, a=403, b=403, rest=200)
OPEN_PAGE = rule(rest=200, admins=200)
# One's own password and second factor: every account with a role, the administrators included.
OWN_ACCOUNT_PAGE = rule(anon=LOGIN, none=403, rest=200, admins=200)
# The admin is the bureau's: nobody else ever gets a page of it, whatever is_staff says (they are sent
# to the admin's sign-in page; a page that takes POST only says 405 to anyone). Its sign-in and
# sign-out pages are open.
REFUSED = (ADMIN_LOGIN, 403, 404, 405)
ADMIN_PAGE = rule(
    anon=REFUSED,
    none=403,
    a=REFUSED,
    b=REFUSED,
    leader=REFUSED,
    unit_a=(403, 405),
    rest="any",
    admins=(403, 405),
)
# The admin's own pages (index, an app's list): the account administrators enter the site and see only
# their models; the audit administrator is not let in at all.
ADMIN_SITE_PAGE = rule(
    anon=REFUSED, none=403, a=REFUSED, b=REFUSED, leader=REFUSED, rest="any", admins="any", auditor=403
)
# Accounts: the system and the security administrator (and the superuser); bureau staff no more.
ACCOUNTS_ADMIN_PAGE = rule(
    anon=REFUSED, none=403, a=REFUSED, b=REFUSED, leader=REFUSED, bureau=(403, 405), unit_a=(403, 405),
    root="any", sysadmin="any", secadmin="any",
)  # fmt: skip
# Roles, groups, tokens, sign-in locks and records: the security administrator's.
SECURITY_ADMIN_PAGE = rule(
    anon=REFUSED, none=403, a=REFUSED, b=REFUSED, leader=REFUSED, bureau=(403, 405), unit_a=(403, 405),
    root="any", sysadmin=(403, 405), secadmin="any",
)  # fmt: skip
OPEN_ADMIN_PAGE = rule(none=403, rest="any", admins="any")
ENTRY_PAGE = rule(anon=ADMIN_LOGIN, none=403, a=ADMIN_LOGIN, b=ADMIN_LOGIN, leader=ADMIN_LOGIN, rest=200)
# The entry pages among the admin's: a lower unit's bureau uses them for its own units (tried above).
ENTRY_ADMIN_PAGE = {**ADMIN_PAGE, "unit_a": ("any",)}
# Township B's month sheet, and the split of the city's quota: the bureau over them (the city's).
ENTRY_CITY_PAGE = rule(
    anon=ADMIN_LOGIN, none=403, a=ADMIN_LOGIN, b=ADMIN_LOGIN, leader=ADMIN_LOGIN, unit_a=403, rest=200
)

# The register APIs: (list name, model of township B's object or None for the city's own records).
REGISTER_APIS = {
    "employment-guarantee-loan": "employment.GuaranteeLoan",
    "employment-training-class": "employment.TrainingClass",
    "employment-returnee-startup": "employment.ReturneeStartup",
    "employment-gig-station": "employment.GigStation",
    "employment-gig-station-month": "employment.GigStationMonth",
    "insured-count": "social_insurance.InsuredCount",
    "card-issuance": "social_insurance.CardIssuance",
    "land-estimate": "social_insurance.LandRequisitionEstimate",
    "recruitment-plan": "talent.RecruitmentPlan",
    "campus-recruitment": "talent.CampusRecruitment",
    "skill-certificate": "talent.SkillCertificate",
    "dispute-case": "labor_relations.DisputeCase",
    "wage-arrears-case": "labor_relations.WageArrearsCase",
    "wage-arrears-lead": "labor_relations.WageArrearsLead",
    "inspection-complaint": "labor_relations.InspectionComplaint",
    "credit-rating": "labor_relations.CreditRating",
    "blacklist-entry": "labor_relations.BlacklistEntry",
}
CITY_REGISTER_APIS = {
    "certification-body": "talent.CertificationBody",
    "skill-competition": "talent.SkillCompetition",
    "competition-award": "talent.CompetitionAward",
}

DOORS: dict[str, Door] = {
    # Signing in and out; changing one's own password (the portal's page, every role that has one; the
    # admin's password pages only send bureau staff here).
    "login": Door(OPEN_PAGE),
    "logout": Door(rule(anon=405, none=405, rest=405, admins=405)),
    "password_change": Door(OWN_ACCOUNT_PAGE),
    # The second factor: one's own (with it not required here, verifying sends to enrolment first).
    "two_factor": Door(OWN_ACCOUNT_PAGE),
    "two_factor_enrol": Door(OWN_ACCOUNT_PAGE),
    "two_factor_verify": Door(rule(anon=LOGIN, none=403, rest=302, admins=302)),
    "two_factor_recovery_codes": Door(rule(anon=LOGIN, none=403, rest=405, admins=405)),
    # The security log: the audit administrator's alone, not even the superuser's.
    "audit:log": Door(rule(anon=LOGIN, none=403, rest=403, auditor=200)),
    "audit:log?kind": Door(rule(anon=LOGIN, none=403, rest=403, auditor=200), query={"kind": "sign_in"}),
    "audit:export": Door(rule(anon=LOGIN, none=403, rest=403, auditor=200)),
    # Landing page and dashboards: a township user sees its own township only.
    # An administrator is sent to the part that is theirs (the admin, the security log).
    "portal:home": Door(rule(anon=LOGIN, none=403, rest=200, admins=302)),
    "dashboard:cockpit": Door(rule(anon=LOGIN, none=403, a=302, b=302, rest=200)),
    "dashboard:cockpit?org=B": Door(
        rule(anon=LOGIN, none=403, a=403, b=302, unit_a=403, rest=200), query={"org": TOWNSHIP_B}
    ),
    "dashboard:cockpit-xlsx": Door(SIGNED_IN_PAGE),
    "dashboard:cockpit-xlsx?org=B": Door(B_ONLY_PAGE, query={"org": TOWNSHIP_B}),
    "dashboard:warnings": Door(SIGNED_IN_PAGE),
    "dashboard:warnings?org=B": Door(B_ONLY_PAGE, query={"org": TOWNSHIP_B}),
    "dashboard:warnings?filters": Door(
        SIGNED_IN_PAGE, query={"area": "employment", "sort": "gap", "group": "unit", "indicator": JOBS}
    ),
    "dashboard:warnings-xlsx": Door(SIGNED_IN_PAGE),
    "dashboard:warnings-xlsx?org=B": Door(B_ONLY_PAGE, query={"org": TOWNSHIP_B}),
    # The scorecard ranks every township against the others: leadership and bureau only, any org asked.
    "dashboard:scorecard": Door(WHOLE_CITY_PAGE),
    "dashboard:scorecard?org=A": Door(WHOLE_CITY_PAGE, query={"org": TOWNSHIP_A}),
    "dashboard:scorecard-xlsx": Door(WHOLE_CITY_PAGE),
    "dashboard:scorecard-xlsx?org=A": Door(WHOLE_CITY_PAGE, query={"org": TOWNSHIP_A}),
    "dashboard:report": Door(SIGNED_IN_PAGE),
    "dashboard:report?org=B": Door(B_ONLY_PAGE, query={"org": TOWNSHIP_B}),
    "dashboard:report-docx": Door(SIGNED_IN_PAGE),
    "dashboard:report-docx?org=city": Door(CITY_UNIT_PAGE, query={"org": CITY}),
    "dashboard:indicator": Door(SIGNED_IN_PAGE, kwargs={"code": JOBS}),
    "dashboard:indicator?org=B": Door(B_ONLY_PAGE, kwargs={"code": JOBS}, query={"org": TOWNSHIP_B}),
    "dashboard:ranking-xlsx": Door(SIGNED_IN_PAGE, kwargs={"code": JOBS}),
    "dashboard:ranking-xlsx?org=B": Door(B_ONLY_PAGE, kwargs={"code": JOBS}, query={"org": TOWNSHIP_B}),
    "dashboard:township": Door(B_ONLY_PAGE, kwargs={"org_code": TOWNSHIP_B}),
    "api-dashboard-cockpit": Door(SIGNED_IN_API),
    "api-dashboard-cockpit?org=B": Door(B_ONLY_API, query={"org": TOWNSHIP_B}),
    "api-dashboard-warnings": Door(SIGNED_IN_API),
    "api-dashboard-warnings?org=city": Door(
        rule(anon=(401, 403), none=403, a=403, b=403, unit_a=403, rest=200), query={"org": CITY}
    ),
    "api-dashboard-indicator": Door(SIGNED_IN_API, kwargs={"code": JOBS}),
    "api-dashboard-indicator?org=B": Door(B_ONLY_API, kwargs={"code": JOBS}, query={"org": TOWNSHIP_B}),
    # Where each figure came from (追溯): the dashboards' own scope, a township its own units only (its
    # township and villages: the city's figure, 市本级's entries and B's are refused); the register's
    # records scoped the same way. The record of differences (核对) is for whole-city eyes.
    "provenance:figure": Door(SIGNED_IN_PAGE, kwargs={"code": JOBS}),
    "provenance:figure?org=B": Door(B_ONLY_PAGE, kwargs={"code": JOBS}, query={"org": TOWNSHIP_B}),
    "provenance:figure?org=city": Door(CITY_UNIT_PAGE, kwargs={"code": JOBS}, query={"org": CITY}),
    "provenance:figure?ratio": Door(SIGNED_IN_PAGE, kwargs={"code": "labor_relations.mediation_rate"}),
    "provenance:part": Door(SIGNED_IN_PAGE, kwargs={"code": JOBS}),
    "provenance:part?org=B": Door(
        B_ONLY_PAGE, kwargs={"code": JOBS}, query={"org": TOWNSHIP_B, "year": "2024", "month": "12"}
    ),
    "provenance:part?org=city&own": Door(
        CITY_UNIT_PAGE,
        kwargs={"code": RESIDENTS},
        query={"org": CITY, "year": "2024", "month": "12", "own": "1"},
    ),
    "provenance:records": Door(SIGNED_IN_PAGE, kwargs={"code": LOANS}),
    "provenance:records?org=B": Door(
        B_ONLY_PAGE,
        kwargs={"code": LOANS},
        query={"org": TOWNSHIP_B, "year": "2024", "month": "12", "ytd": "1"},
    ),
    "provenance:records?org=city": Door(
        CITY_UNIT_PAGE,
        kwargs={"code": LOANS},
        query={"org": CITY, "year": "2024", "month": "12", "ytd": "1"},
    ),
    "provenance:records?typed": Door(rule(anon=LOGIN, none=403, rest=404), kwargs={"code": JOBS}),
    "provenance:reconciliation": Door(WHOLE_CITY_PAGE),
    "provenance:reconciliation?org=A": Door(WHOLE_CITY_PAGE, query={"org": TOWNSHIP_A}),
    # Township reporting.
    "reporting:index": Door(SIGNED_IN_PAGE),
    "reporting:template": Door(B_ONLY_PAGE, kwargs={"code": TOWNSHIP_B, "year": "2024", "month": "11"}),
    "reporting:template?city": Door(
        rule(anon=LOGIN, none=403, a=403, b=403, leader=403, unit_a=403, rest=200),
        kwargs={"code": CITY, "year": "2024", "month": "11"},
    ),
    "reporting:upload": Door(POST_ONLY_PAGE),
    "reporting:detail": Door(B_ONLY_PAGE, kwargs={"pk": "obj:submission"}),
    "reporting:file": Door(B_ONLY_PAGE, kwargs={"pk": "obj:submission"}),
    "reporting:confirm": Door(POST_ONLY_PAGE, kwargs={"pk": "obj:submission"}),
    "reporting:approve": Door(POST_ONLY_PAGE, kwargs={"pk": "obj:submission"}),
    "reporting:return": Door(POST_ONLY_PAGE, kwargs={"pk": "obj:submission"}),
    "reporting:approve-unflagged": Door(POST_ONLY_PAGE),
    "reporting:status": Door(WHOLE_CITY_PAGE),
    "reporting:status-export": Door(WHOLE_CITY_PAGE),
    "reporting:unlock": Door(POST_ONLY_PAGE),
    # Notices: everyone signed in has an inbox of their own; 一键催报 is the bureau's (POST, tried below).
    "notices:list": Door(SIGNED_IN_PAGE),
    "notices:read": Door(POST_ONLY_PAGE, kwargs={"pk": "obj:notices.Delivery"}),
    "notices:read-all": Door(POST_ONLY_PAGE),
    "notices:remind": Door(POST_ONLY_PAGE),
    # The bureau's data entry inside the admin (entry/urls.py, admin_view): the bureau's alone; a
    # township or leader account, is_staff or not, is sent to the admin's sign-in page.
    "entry:sheet": Door(ENTRY_PAGE),
    "entry:sheet?org=B": Door(ENTRY_CITY_PAGE, query={"org": TOWNSHIP_B, "year": "2024", "month": "12"}),
    "entry:overview": Door(ENTRY_PAGE, query={"year": "2024", "month": "12"}),
    "entry:split": Door(ENTRY_CITY_PAGE, query={"year": "2024", "method": "share"}),
    "entry:split-export": Door(ENTRY_CITY_PAGE, query={"year": "2024"}),
    "entry:split-import": Door(
        rule(anon=ADMIN_LOGIN, none=403, a=ADMIN_LOGIN, b=ADMIN_LOGIN, leader=ADMIN_LOGIN, rest=405)
    ),
    # What a typed cell would give (the sheet's script asks it): a POST of the sheet's form, nothing written.
    "entry:sheet-rates": Door(
        rule(anon=ADMIN_LOGIN, none=403, a=ADMIN_LOGIN, b=ADMIN_LOGIN, leader=ADMIN_LOGIN, rest=405)
    ),
    # The API: every list scoped, every object of township B hidden from township A.
    "api-root": Door(SIGNED_IN_API),
    "schema": Door(SIGNED_IN_API),
    # The API's documentation: for the bureau's staff, who program against it.
    "api-docs": Door(BUREAU_PAGE),
    "api-redoc": Door(BUREAU_PAGE),
    "org-unit-list": Door(SIGNED_IN_API),
    "org-unit-detail": Door(B_ONLY_API, kwargs={"code": TOWNSHIP_B}),
    # The year's indicator set and its rules: everyone with a role reads them (the template, the pages
    # follow them); only the bureau keeps them (tried below); the record of changes is for whole-city eyes.
    "indicator-list": Door(SIGNED_IN_API),
    "indicator-list?year": Door(SIGNED_IN_API, query={"year": "2024"}),
    "indicator-detail": Door(SIGNED_IN_API, kwargs={"code": JOBS}),
    "indicator-retire": Door(POST_ONLY_API, kwargs={"code": JOBS}),
    "indicator-restore": Door(POST_ONLY_API, kwargs={"code": JOBS}),
    "indicator-copy-year": Door(POST_ONLY_API),
    "validation-rule-list": Door(SIGNED_IN_API),
    "validation-rule-detail": Door(SIGNED_IN_API, kwargs={"pk": "obj:indicators.ValidationRule"}),
    "indicator-change-list": Door(WHOLE_CITY_API),
    "indicator-change-detail": Door(WHOLE_CITY_API, kwargs={"pk": "obj:indicators.SetChange"}),
    "quota-list": Door(SIGNED_IN_API),
    "quota-detail": Door(B_ONLY_API, kwargs={"pk": "obj:indicators.Quota"}),
    "monthly-value-list": Door(SIGNED_IN_API),
    "monthly-value-detail": Door(B_ONLY_API, kwargs={"pk": "obj:indicators.MonthlyValue"}),
    "completion-list": Door(SIGNED_IN_API),
    "completion-detail": Door(B_ONLY_API, kwargs={"pk": "obj:completion.Completion"}),
    "unemployment-rate-list": Door(SIGNED_IN_API),  # the city's published rates: every role reads them
    "unemployment-rate-detail": Door(
        SIGNED_IN_API, kwargs={"pk": "obj:social_insurance.UnemploymentInsuranceRate"}
    ),
    "unemployment-rate-calculate": Door(SIGNED_IN_API, query={"payroll": "100000", "date": "2024-06-30"}),
    "employment-gig-station-month-year-totals": Door(SIGNED_IN_API, query={"year": "2024"}),
    "recruitment-plan-summary": Door(SIGNED_IN_API, query={"year": "2024"}),
    "campus-recruitment-summary": Door(SIGNED_IN_API, query={"year": "2024"}),
    "skill-certificate-summary": Door(SIGNED_IN_API, query={"year": "2024"}),
    "skill-competition-summary": Door(SIGNED_IN_API, query={"year": "2024"}),
    **{f"{name}-list": Door(SIGNED_IN_API) for name in REGISTER_APIS},
    **{
        f"{name}-detail": Door(B_ONLY_API, kwargs={"pk": f"obj:{model}"})
        for name, model in REGISTER_APIS.items()
    },
    **{f"{name}-list": Door(SIGNED_IN_API) for name in CITY_REGISTER_APIS},
    **{
        f"{name}-detail": Door(CITY_ONLY_API, kwargs={"pk": f"obj:{model}"})
        for name, model in CITY_REGISTER_APIS.items()
    },
}
# Objects that belong to no township: the city's rates, the year's rules and their record of changes.
CITY_WIDE_OBJECTS = {
    "social_insurance.UnemploymentInsuranceRate",
    "indicators.ValidationRule",
    "indicators.SetChange",
}
# Who decides who holds which powers (三员分立): accounts, the system and security administrators; the
# rest the security administrator alone.
ACCOUNT_ADMIN_MODELS = {"accounts.user"}
SECURITY_ADMIN_MODELS = {
    "auth.group",
    "authtoken.tokenproxy",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}


# --- the URLs the resolver knows ---


def url_patterns() -> list[tuple[str, str | None]]:
    """(route, name) of every URL, namespaces joined ("reporting:detail"), router actions included."""

    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = namespace
                if p.namespace:
                    inner = f"{namespace}:{p.namespace}" if namespace else p.namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern):
                name = p.name and (f"{namespace}:{p.name}" if namespace else p.name)
                yield prefix + str(p.pattern), name

    return list(walk(get_resolver().url_patterns))


def is_admin(route: str) -> bool:
    return route.startswith("admin/")


def test_every_url_has_a_declared_rule():
    declared = {key.split("?")[0] for key in DOORS}
    missing = sorted(
        {
            name or route
            for route, name in url_patterns()
            if not is_admin(route) and (name or route) not in declared
        }
    )
    assert not missing, f"URLs without a rule in the door matrix (add each, for every role): {missing}"


def test_every_admin_page_refuses_everyone_but_the_bureau_by_its_own_rules():
    """The admin site only checks is_staff; each registered admin must decide by role itself."""
    from accounts.admin import AccountAdminMixin
    from common.admin import BureauOnlyAdminMixin

    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        account_admin = label in ACCOUNT_ADMIN_MODELS | SECURITY_ADMIN_MODELS
        expected = AccountAdminMixin if account_admin else BureauOnlyAdminMixin
        assert isinstance(model_admin, expected), f"{label}: {type(model_admin).__name__} decides by role?"


def test_every_read_only_admin_refuses_writes_even_to_a_superuser(rf, db):
    """ReadOnlyAdminMixin must win over the role mixin: a submission's status or a history row must
    never be edited in the admin (its bases were once in the wrong order)."""
    from common.admin import ReadOnlyAdminMixin

    root = User(username="root", is_superuser=True, is_staff=True, is_active=True)
    request = rf.get("/admin/")
    request.user = root
    checked = 0
    for model_admin in admin.site._registry.values():
        for candidate in [model_admin, *model_admin.get_inline_instances(request)]:
            if isinstance(candidate, ReadOnlyAdminMixin):
                checked += 1
                name = type(candidate).__name__
                assert (
                    not candidate.has_add_permission(request, None)
                    if hasattr(candidate, "parent_model")
                    else not candidate.has_add_permission(request)
                ), name
                assert not candidate.has_change_permission(request) and not candidate.has_delete_permission(
                    request
                ), name
    assert checked >= 6


# --- the world the doors are tried in ---


@pytest.fixture
def world(demo, orgs, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    users = {
        "none": User.objects.create_user("none", password="pw"),
        "a": User.objects.create_user(
            "a", password="pw", role="township", org_unit=orgs[TOWNSHIP_A], is_staff=True
        ),
        "b": User.objects.create_user("b", password="pw", role="township", org_unit=orgs[TOWNSHIP_B]),
        "leader": User.objects.create_user("leader", password="pw", role="leader", is_staff=True),
        "bureau": User.objects.create_user("bureau", password="pw", role="bureau", is_staff=True),
        "root": User.objects.create_superuser("root", password="pw"),
        "unit_a": User.objects.create_user(
            "unit_a", password="pw", role="bureau", org_unit=orgs[TOWNSHIP_A], is_staff=True
        ),
        "sysadmin": User.objects.create_user("sysadmin", password="pw", role="sysadmin", is_staff=True),
        "secadmin": User.objects.create_user("secadmin", password="pw", role="secadmin", is_staff=True),
        "auditor": User.objects.create_user("auditor", password="pw", role="auditor", is_staff=True),
    }
    _give_township_b_one_of_each(orgs[TOWNSHIP_B])
    # This year's set, begun as the bureau begins one (the record of set changes has a row, and the pages
    # that open on this year have its indicators).
    this_year = timezone.localdate().year
    indicator_set_copy(from_year=2024, to_year=this_year, user=users["bureau"], channel=Channel.ADMIN)
    submissions = {}
    for code in (TOWNSHIP_A, TOWNSHIP_B):
        data = fill(template_workbook(township=orgs[code], year=2024, month=12), {})
        preview = submission_upload(user=users["bureau"], township=orgs[code], year=2024, month=12,
                                    data=_with_a_figure(data), filename=f"{code}.xlsx")  # fmt: skip
        assert preview.ok, preview.problems
        submissions[code] = submission_confirm(submission=preview.submission, user=users["bureau"])
    # October 2025 has no report and no figure (the demo's 2024 months are the bureau's, 局代录): both
    # townships owe it, and get a 催报 in their inbox.
    reminders_send_manual(
        user=users["bureau"], townships=[orgs[TOWNSHIP_A], orgs[TOWNSHIP_B]], year=2025, month=10
    )
    return users, submissions


def _give_township_b_one_of_each(township_b) -> None:
    """The demo keeps some registers at 市本级 only; township B gets a copy of one record of each, so
    that every register has an object of B's for the doors to be tried with."""
    from django.db import models

    for label in REGISTER_APIS.values():
        model = apps.get_model(label)
        if label == "employment.GigStationMonth" or model.objects.filter(org_unit=township_b).exists():
            continue
        record = model.objects.order_by("pk").first()
        record.pk = None
        record.org_unit = township_b
        for f in model._meta.fields:
            if f.unique and not f.primary_key and isinstance(f, models.CharField):
                setattr(record, f.name, f"{getattr(record, f.name)}-B"[: f.max_length])
        record.save()


def _with_a_figure(data: bytes) -> bytes:
    return fill(data, {"employment.unemployed_reemployed": 3})


def _object_of_b(label: str, submissions) -> str:
    if label == "submission":
        return str(submissions[TOWNSHIP_B].pk)
    model = apps.get_model(label)
    if label in {v for v in CITY_REGISTER_APIS.values()} or label in CITY_WIDE_OBJECTS:
        found = model.objects.order_by("pk").first()
    else:
        path = {
            "employment.GigStationMonth": "station__org_unit__code",
            "notices.Delivery": "notice__township__code",
        }.get(label, "org_unit__code")
        found = model.objects.filter(**{path: TOWNSHIP_B}).order_by("pk").first()
    assert found is not None, f"the demo has no {label} of township B"
    return str(found.pk)


def _client(role: str, users) -> Client:
    client = Client()
    if role != "anon":
        client.force_login(users[role])
    return client


def _outcome(response) -> object:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        if location.startswith("/accounts/login/"):
            return LOGIN
    return response.status_code


def _body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind or "wordprocessingml" in kind or content[:2] == b"PK":
        import zipfile

        with zipfile.ZipFile(io.BytesIO(content)) as package:
            return " ".join(
                package.read(n).decode("utf-8", "ignore") for n in package.namelist() if n.endswith(".xml")
            )
    try:
        return content.decode()
    except UnicodeDecodeError:
        return ""


def _url(key: str, door: Door, routes: dict[str, str], submissions) -> str:
    from django.urls import reverse

    name = key.split("?")[0]
    kwargs = {
        k: (_object_of_b(v.removeprefix("obj:"), submissions) if v.startswith("obj:") else v)
        for k, v in door.kwargs.items()
    }
    url = reverse(name, kwargs=kwargs or None)
    if door.query:
        url += "?" + "&".join(f"{k}={v}" for k, v in door.query.items())
    return url


def _admin_urls() -> list[tuple[str, str | None, str]]:
    """(url, model label or None, route) for every admin page, object pages with a real object."""
    from django.urls import reverse

    out = []
    for route, name in url_patterns():
        if not is_admin(route) or "(?P<url>" in route:
            continue
        if name is None:  # the redirect from admin/<app>/<model>/<id>/ to its change page
            continue
        short = name.split(":", 1)[1]
        model_admin = next(
            (
                ma
                for m, ma in admin.site._registry.items()
                if short.startswith(f"{m._meta.app_label}_{m._meta.model_name}_")
            ),
            None,
        )
        kwargs = {}
        for param in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route):
            param = param[0] or param[1]
            if param in kwargs:
                continue
            if param in ("object_id", "id"):
                obj = model_admin.model.objects.order_by("pk").first() if model_admin else None
                if obj is None:
                    break
                kwargs[param] = obj.pk
            elif param == "app_label":
                kwargs[param] = "indicators"
            elif param == "content_type_id":
                from django.contrib.contenttypes.models import ContentType

                value = MonthlyValue.objects.filter(org_unit__code=TOWNSHIP_B).first()
                kwargs.update(
                    content_type_id=ContentType.objects.get_for_model(MonthlyValue).pk, object_id=value.pk
                )
        if len(kwargs) < len(re.findall(r"<|\(\?P<", route)):
            continue
        label = model_admin.model._meta.label_lower if model_admin else None
        out.append((reverse(name, kwargs=kwargs or None), label, route))
    return out


def test_every_door_answers_every_role_as_declared(world):
    users, submissions = world
    routes = dict((name, route) for route, name in url_patterns() if name)
    failures = []
    clients = {role: _client(role, users) for role in ROLES}
    for key, door in DOORS.items():
        url = _url(key, door, routes, submissions)
        for role in ROLES:
            response = clients[role].get(url)
            got, allowed = _outcome(response), door.expect[role]
            if got not in allowed:
                failures.append(f"{role:>6} GET {url}: {got}, expected {allowed}")
            if role in SEES_A_ONLY and response.status_code == 200:
                text = _body_text(response)
                leaked = [m for m in B_MARKERS if m in text]
                if leaked:
                    failures.append(f"{role:>6} GET {url}: shows township B ({leaked})")
    assert not failures, "\n" + "\n".join(failures)


def test_every_admin_page_is_the_bureaus_alone(world):
    users, _ = world
    clients = {role: _client(role, users) for role in ROLES}
    failures = []
    for url, label, route in _admin_urls():
        if route in ("admin/login/", "admin/logout/"):
            expected = OPEN_ADMIN_PAGE
        elif label in ACCOUNT_ADMIN_MODELS:
            expected = ACCOUNTS_ADMIN_PAGE
        elif label in SECURITY_ADMIN_MODELS:
            expected = SECURITY_ADMIN_PAGE
        elif label is None and not route.startswith("admin/entry/"):
            expected = ADMIN_SITE_PAGE
        elif route.startswith("admin/entry/"):
            expected = ENTRY_ADMIN_PAGE
        else:
            expected = ADMIN_PAGE
        for role in ROLES:
            got = _outcome(clients[role].get(url))
            allowed = expected[role]
            if allowed == ("any",):
                if got == 500:
                    failures.append(f"{role:>6} GET {url}: 500")
            elif got not in allowed:
                failures.append(f"{role:>6} GET {url}: {got}, expected {allowed}")
    assert not failures, "\n" + "\n".join(failures)


# --- writes ---


def _snapshot() -> dict:
    """Enough of the state to see any write: counts, and sums of every figure."""
    state = {
        "values": list(MonthlyValue.objects.order_by("pk").values_list("pk", "value", "remark")),
        "quotas": list(Quota.objects.order_by("pk").values_list("pk", "target", "note")),
        "completion": Completion.objects.count(),
        "submissions": list(Submission.objects.order_by("pk").values_list("pk", "status")),
        "locks": LockOverride.objects.count(),
        "notices": Notice.objects.count(),
        "b_read": list(
            Delivery.objects.filter(recipient__username="b").order_by("pk").values_list("read_at")
        ),
        "indicators": list(Indicator.objects.order_by("pk").values()),
        "rules": list(ValidationRule.objects.order_by("pk").values()),
        "set_changes": SetChange.objects.count(),
    }
    for label in [
        *REGISTER_APIS.values(),
        *CITY_REGISTER_APIS.values(),
        "social_insurance.UnemploymentInsuranceRate",
    ]:
        model = apps.get_model(label)
        state[label] = model.objects.count(), str(model.objects.order_by("-pk").values().first())
    return state


WRITERS_REFUSED = ("anon", "none", "a", "b", "leader", *ADMINS)
# Refused every write to township B's objects and to the city's own: the bureau of another unit.
B_WRITERS_REFUSED = (*WRITERS_REFUSED, "unit_a")


def test_no_role_but_the_bureau_can_write_through_the_api(world):
    users, submissions = world
    before = _snapshot()
    failures = []
    targets = [
        ("monthly-value", "indicators.MonthlyValue"),
        ("quota", "indicators.Quota"),
        *REGISTER_APIS.items(),
        *CITY_REGISTER_APIS.items(),
        ("unemployment-rate", "social_insurance.UnemploymentInsuranceRate"),
    ]
    from django.urls import reverse

    for role in B_WRITERS_REFUSED:
        client = _client(role, users)
        for name, label in targets:
            detail = reverse(f"{name}-detail", kwargs={"pk": _object_of_b(label, submissions)})
            for method, url, body in (
                ("post", reverse(f"{name}-list"), {"remark": "x"}),
                ("patch", detail, {"remark": "改了", "value": "999"}),
                ("put", detail, {"remark": "改了"}),
                ("delete", detail, None),
            ):
                if role == "unit_a" and method == "post":
                    continue  # a create of its own units' figures is its to make (tried for B below)
                response = getattr(client, method)(url, body, content_type="application/json")
                if response.status_code not in (401, 403, 404, 405):
                    failures.append(f"{role:>6} {method.upper()} {url}: {response.status_code}")
    assert not failures, "\n" + "\n".join(failures)
    assert _snapshot() == before


def test_no_role_but_the_bureau_can_keep_the_indicator_sets_through_the_api(world):
    users, _ = world
    from django.urls import reverse

    before = _snapshot()
    rule_id = ValidationRule.objects.filter(year=2024).first().pk
    detail = reverse("indicator-detail", kwargs={"code": JOBS}) + "?year=2024"
    attempts = [
        ("post", reverse("indicator-list") + "?year=2024", {"code": "employment.x_new", "name": "x"}),
        ("patch", detail, {"name": "改名"}),
        ("put", detail, {"name": "改名"}),
        ("delete", detail, None),
        ("post", reverse("indicator-retire", kwargs={"code": JOBS}) + "?year=2024", {"confirmed": True}),
        ("post", reverse("indicator-restore", kwargs={"code": JOBS}) + "?year=2024", {}),
        ("post", reverse("indicator-copy-year"), {"from_year": 2024, "to_year": 2030}),
        ("post", reverse("validation-rule-list") + "?year=2024", {"name": "x"}),
        ("patch", reverse("validation-rule-detail", kwargs={"pk": rule_id}), {"severity": "note"}),
        ("delete", reverse("validation-rule-detail", kwargs={"pk": rule_id}), None),
    ]
    failures = []
    for role in B_WRITERS_REFUSED:
        client = _client(role, users)
        for method, url, body in attempts:
            response = getattr(client, method)(url, body, content_type="application/json")
            if response.status_code not in (401, 403, 404, 405):
                failures.append(f"{role:>6} {method.upper()} {url}: {response.status_code}")
    assert not failures, "\n" + "\n".join(failures)
    assert _snapshot() == before


def test_basic_auth_with_the_right_password_writes_nothing(world, client):
    users, submissions = world
    users["bureau"].set_password("bureau-pw")
    users["bureau"].save()
    before = _snapshot()
    credentials = base64.b64encode(b"bureau:bureau-pw").decode()
    from django.urls import reverse

    url = reverse("monthly-value-detail", kwargs={"pk": _object_of_b("indicators.MonthlyValue", submissions)})

    response = client.patch(
        url, {"value": "999"}, content_type="application/json", HTTP_AUTHORIZATION=f"Basic {credentials}"
    )

    assert response.status_code in (401, 403)
    assert _snapshot() == before


def test_no_role_but_the_bureau_can_review_unlock_or_upload_for_another(world):
    users, submissions = world
    theirs = submissions[TOWNSHIP_B]
    before = _snapshot()
    failures = []
    from django.urls import reverse

    for role in B_WRITERS_REFUSED:
        client = _client(role, users)
        for name, data in (
            ("reporting:approve", {}),
            ("reporting:approve", {"next": "1"}),
            ("reporting:return", {"reason": "不对"}),
            ("reporting:confirm", {}),
        ):
            client.post(reverse(name, kwargs={"pk": theirs.pk}), data)
        client.post(
            reverse("reporting:approve-unflagged"), {"submissions": [theirs.pk], "year": 2024, "month": 12}
        )
        client.post(
            reverse("reporting:unlock"),
            {"township": theirs.township_id, "year": 2024, "month": 12, "days": 3, "reason": "补报"},
        )
        client.post(
            reverse("notices:remind"),
            {"townships": [theirs.township_id], "year": 2025, "month": 11, "note": "x"},
        )
        if role != "b":  # B's own inbox is B's to mark read
            b_notice = Delivery.objects.filter(recipient__username="b").first()
            client.post(reverse("notices:read", kwargs={"pk": b_notice.pk}))
            client.post(reverse("notices:read-all"))
        if role != "b":
            upload = client.post(
                reverse("reporting:upload"),
                {
                    "township": theirs.township_id,
                    "year": 2024,
                    "month": 12,
                    "file": io.BytesIO(
                        _with_a_figure(template_workbook(township=theirs.township, year=2024, month=12))
                    ),
                },
            )
            if upload.status_code not in (302, 400, 403):
                failures.append(f"{role:>6} upload for B: {upload.status_code}")
    assert not failures, "\n" + "\n".join(failures)
    after = _snapshot()
    assert after == before, "a refused role changed something"


def test_the_bureau_can_send_the_reminder_the_others_cannot(world):
    users, submissions = world
    from django.urls import reverse

    township_b = submissions[TOWNSHIP_B].township_id
    response = _client("bureau", users).post(
        reverse("notices:remind"), {"townships": [township_b], "year": 2025, "month": 11, "note": "x"}
    )

    assert response.status_code == 302
    assert Notice.objects.filter(kind="manual", township_id=township_b, month=11).count() == 1


def test_no_role_but_the_bureau_can_write_through_the_month_sheet_or_the_quota_split(world):
    users, _ = world
    before = _snapshot()
    period = f"?org={TOWNSHIP_B}&year=2024&month=12"
    split = "/admin/entry/split/?year=2024&indicator=employment.urban_new_jobs"
    cell = {"v-employment.unemployed_reemployed": "999", "o-employment.unemployed_reemployed": "3"}
    for role in B_WRITERS_REFUSED:
        client = _client(role, users)
        client.post(f"/admin/entry/sheet/{period}", cell)
        rates = client.post(f"/admin/entry/sheet/rates/{period}", cell)
        assert rates.status_code in (302, 403) and b"cells" not in rates.content, role
        client.post(split, {"year": "2024", f"q-{JOBS}-{TOWNSHIP_B}": "10", f"rest-{JOBS}": "1"})
        upload = io.BytesIO(b"\xe6\x8c\x87\xe6\xa0\x87\xe4\xbb\xa3\xe7\xa0\x81,x\n")
        upload.name = "split.csv"
        client.post("/admin/entry/split/import/?year=2024", {"file": upload})
    assert _snapshot() == before, "a refused role changed something"


def test_the_bureau_of_another_unit_cannot_create_township_bs_figures_or_quotas_through_the_api(world):
    users, _ = world
    from django.urls import reverse

    before = _snapshot()
    client = _client("unit_a", users)
    figure = {"indicator": JOBS, "org_unit": TOWNSHIP_B, "year": 2024, "month": 11, "value": "5"}
    quota = {"indicator": JOBS, "org_unit": TOWNSHIP_B, "year": 2024, "target": "500"}
    for name, body in (("monthly-value", figure), ("quota", quota)):
        response = client.post(reverse(f"{name}-list"), body, content_type="application/json")
        assert response.status_code in (400, 403), (name, response.status_code, response.content[:300])
    assert _snapshot() == before


def test_the_bureau_can_do_what_the_others_cannot(world):
    """The other side of the matrix: the same writes by bureau staff land (the rules are not just
    refusing everything)."""
    users, submissions = world
    client = _client("bureau", users)
    from django.urls import reverse

    response = client.post(reverse("reporting:approve", kwargs={"pk": submissions[TOWNSHIP_B].pk}))

    assert response.status_code == 302
    submissions[TOWNSHIP_B].refresh_from_db()
    assert submissions[TOWNSHIP_B].status == Submission.Status.APPROVED
    value = MonthlyValue.objects.get(
        indicator__code="employment.unemployed_reemployed", org_unit__code=TOWNSHIP_B, year=2024, month=12
    )
    assert value.value == Decimal(3)


def test_the_api_answers_json_only_never_the_browsable_pages(client, township_a_user):
    """DRF's browsable pages list every related row in their filter forms, whatever the reader's scope."""
    client.force_login(township_a_user)

    response = client.get("/api/v1/talent/competition-awards/", HTTP_ACCEPT="text/html")

    assert response["Content-Type"].startswith("application/json") or response.status_code == 406


# The doors a session that has not passed the second factor may still use.
FACTOR_DOORS = {
    "login",
    "logout",
    "two_factor",
    "two_factor_enrol",
    "two_factor_verify",
    "two_factor_recovery_codes",
}


def test_without_the_second_factor_a_signed_in_session_reaches_nothing_but_its_enrolment(world, settings):
    """TWO_FACTOR_REQUIRED_FOR = all: a password alone opens no door for any role. A page sends the
    person to enrol; the API answers 401; an administrator asking a business door is refused first."""
    settings.TWO_FACTOR_REQUIRED_FOR = "all"
    users, submissions = world
    clients = {role: _client(role, users) for role in ROLES if role not in ("anon", "none")}
    failures = []
    for key, door in [*DOORS.items(), ("admin:index", Door(ADMIN_SITE_PAGE))]:
        if key.split("?")[0] in FACTOR_DOORS:
            continue
        url = _url(key, door, {}, submissions)
        for role, client in clients.items():
            response = client.get(url)
            enrol = response.status_code == 302 and response["Location"].startswith(
                "/accounts/two-factor/enrol/"
            )
            # An administrator is refused a business door, or sent from "/" to its own (which asks).
            elsewhere = response.status_code == 403 or (url == "/" and response.status_code == 302)
            refused = response.status_code == 401 or (role in ADMINS and elsewhere)
            if not (enrol or refused):
                failures.append(f"{role:>8} GET {url}: {response.status_code} {response.get('Location', '')}")
    assert not failures, "\n" + "\n".join(failures)
