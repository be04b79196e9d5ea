"""The demo's current year: the year of last month (Asia/Shanghai), January to last month, so that the
cockpit opens on a year in progress with townships ahead and behind and the month now due half
reported. Everything is derived from 2024's figures (demo.figures) and seeded by the year and the
month, never by random global state: the same date gives the same figures.

- Quotas: the city's is 2024's actual × QUOTA_FACTOR (the province raised most of them after a year
  at 176%); each township's share is in proportion to what it did in 2024.
- Figures: each township's 2024 month × the indicator's PACE × the township's pace (TOWNSHIP_PACE by
  role) × a little noise. Two townships are far behind, some behind; one (SILENT) has reported nothing
  for the last SILENT_MONTHS months.
- The month now due goes through the reporting workflow (reporting.services.upload, .workflow:
  upload of the township's own template, confirm, approve, return), by demo accounts that cannot sign
  in: most approved, some pending, 园林街道 returned with a reason, 杨市街道 resubmitted as version 2
  (version 1 superseded), one confirmed after the deadline when today is past it (before the deadline
  no report can be late), the rest missing. Those months' figures count only once approved, as for
  every township.
- Registers: each domain app's demo_registers_load(year, townships, through_month=…, batch=…)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from common.numbers import round_half_up
from indicators.models import Channel, Indicator, MonthlyValue
from indicators.services import ValueEntry, quota_set
from orgs.models import OrgUnit
from orgs.selectors import org_root
from reporting.models import Submission
from reporting.services.locks import month_is_locked, report_deadline
from reporting.services.upload import submission_upload
from reporting.services.workflow import submission_approve, submission_confirm, submission_return
from reporting.templates_xlsx import template_workbook

from . import figures as F
from .making import split_exactly

# This year's quota as a multiple of 2024's actual (typed and register-fed flows alike).
QUOTA_FACTOR = {
    "employment.urban_new_jobs": Decimal("0.92"),
    "employment.unemployed_reemployed": Decimal("0.95"),
    "employment.hardship_reemployed": Decimal("1.05"),
    "employment.graduates_employed": Decimal("0.90"),
    "employment.returnee_startups": Decimal("0.95"),
    "employment.skills_training": Decimal("1.00"),
    "social_insurance.flexible_new_insured": Decimal("0.97"),
    "talent.skill_certificates": Decimal("0.90"),
    "talent.senior_workers": Decimal("1.00"),
    "talent.technicians": Decimal("1.25"),
}
# This year's pace of the typed township flows as a multiple of 2024's months.
PACE = {
    "employment.urban_new_jobs": 1.00,
    "employment.unemployed_reemployed": 0.93,
    "employment.hardship_reemployed": 0.88,
    "employment.graduates_employed": 0.97,
    "social_insurance.flexible_new_insured": 0.97,
    "employment.returned_workers": 1.02,
}
TYPED_FLOWS = list(PACE)
TOWNSHIP_PACE = {
    "ahead": (1.02, 1.15),
    "behind": (0.85, 0.93),
    "far_behind": (0.62, 0.70),
    "silent": (1.0, 1.0),
}
FAR_BEHIND, BEHIND = 2, 5
SILENT_MONTHS = 3
# Demo logins (create_demo_users) are for 园林 and 杨市: each finds its own story in the month now due.
RETURNED, RESUBMITTED = "429005001", "429005002"
PENDING, MISSING = 3, 3
RETURN_REASON = "城镇新增就业人数较上月增幅过大,请核实并附花名册后重新上报。"
REVIEWER = "demo_reviewer"


@dataclass(frozen=True)
class DemoYear:
    year: int
    due_month: int  # last month: the one whose report is due now (12 for a closed year)
    today: date
    closed: bool = False  # the year before the year in progress: all twelve months reported

    @property
    def seed(self) -> str:
        return f"demo/{self.year}/{self.due_month}"

    @property
    def typed_through(self) -> int:
        """The last month whose figures are in (reported and approved): all of a closed year's."""
        return 12 if self.closed else self.due_month - 1


def demo_year_for(today: date) -> DemoYear | None:
    """The year of last month and last month, or None while last month is still in 2024 (F.YEAR)."""
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return DemoYear(year, month, today) if year > F.YEAR else None


def previous_year_for(dy: DemoYear) -> DemoYear | None:
    """The year before the year in progress, whole and closed, when it is not the report's year itself
    (so that 上年同期, 上年实绩 and the split by last year's shares have a year to read)."""
    year = dy.year - 1
    return DemoYear(year, 12, dy.today, closed=True) if year > F.YEAR else None


def township_roles(dy: DemoYear, townships: list[OrgUnit]) -> dict[str, str]:
    """code -> ahead / behind / far_behind / silent. The demo logins' townships stay ahead (their story
    is in the month's reports); a closed year has nobody silent (all its months are in)."""
    rng = random.Random(f"demo/{dy.year}/roles")
    others = [t.code for t in townships if t.code not in (RETURNED, RESUBMITTED)]
    rng.shuffle(others)
    roles = dict.fromkeys((t.code for t in townships), "ahead")
    roles[others[0]] = "behind" if dy.closed else "silent"
    for code in others[1 : 1 + FAR_BEHIND]:
        roles[code] = "far_behind"
    for code in others[1 + FAR_BEHIND : 1 + FAR_BEHIND + BEHIND]:
        roles[code] = "behind"
    return roles


def due_month_states(dy: DemoYear, townships: list[OrgUnit], roles: dict[str, str]) -> dict[str, str]:
    """code -> approved / pending / returned / resubmitted / late / missing for the month now due."""
    rng = random.Random(f"{dy.seed}/states")
    states = {RETURNED: "returned", RESUBMITTED: "resubmitted"}
    rest = [t.code for t in townships if t.code not in states and roles[t.code] != "silent"]
    rng.shuffle(rest)
    late = 1 if dy.today > report_deadline(dy.year, dy.due_month) else 0
    for i, code in enumerate(rest):
        states[code] = (
            "pending"
            if i < PENDING
            else "missing"
            if i < PENDING + MISSING
            else "late"
            if i < PENDING + MISSING + late
            else "approved"
        )
    states.update({code: "missing" for code, role in roles.items() if role == "silent"})
    return states


# ----------------------------------------------------------------------------- figures


def _last_years_cells(
    ind: dict[str, Indicator], townships: list[OrgUnit]
) -> dict[tuple[str, str, int], Decimal]:
    """2024's township months of the typed flows, (code, township code, month) -> value. One query."""
    rows = MonthlyValue.objects.filter(
        year=F.YEAR, indicator__code__in=TYPED_FLOWS, org_unit__in=townships
    ).values_list("indicator__code", "org_unit__code", "month", "value")
    return {(c, o, m): v for c, o, m, v in rows}


def _township_paces(dy: DemoYear, townships: list[OrgUnit], roles: dict[str, str]) -> dict[str, float]:
    rng = random.Random(f"demo/{dy.year}/paces")
    return {t.code: rng.uniform(*TOWNSHIP_PACE[roles[t.code]]) for t in townships}


def township_figures(
    dy: DemoYear, ind: dict[str, Indicator], townships: list[OrgUnit], roles: dict[str, str]
) -> dict[tuple[str, str, int], Decimal]:
    """(code, township code, month) -> this year's figure for months 1..due_month (the silent township's
    last SILENT_MONTHS left out)."""
    last = _last_years_cells(ind, townships)
    paces = _township_paces(dy, townships, roles)
    out = {}
    for code in TYPED_FLOWS:
        for t in townships:
            rng = random.Random(f"demo/{dy.year}/{code}/{t.code}")
            for month in range(1, dy.due_month + 1):
                noise = rng.uniform(0.9, 1.1)  # drawn for every month, so a month's figure never moves
                if roles[t.code] == "silent" and month > dy.due_month - SILENT_MONTHS:
                    continue
                base = float(last.get((code, t.code, month), 0))
                out[(code, t.code, month)] = round_half_up(
                    Decimal(base * PACE[code] * paces[t.code] * noise), 0
                )
    return out


def _last_years_totals(townships: list[OrgUnit]) -> dict[tuple[str, str], Decimal]:
    """(code, township code) -> 2024's year total of the quota flows, added up in Python (exact on
    SQLite too). One query."""
    totals: dict[tuple[str, str], Decimal] = {}
    rows = MonthlyValue.objects.filter(
        year=F.YEAR, indicator__code__in=QUOTA_FACTOR, org_unit__in=townships
    ).values_list("indicator__code", "org_unit__code", "value")
    for code, org, value in rows:
        totals[(code, org)] = totals.get((code, org), Decimal(0)) + value
    return totals


def quotas_set(dy: DemoYear, ind: dict[str, Indicator], city: OrgUnit, townships: list[OrgUnit]) -> None:
    """The city's quota (2024's actual × QUOTA_FACTOR, to the ten) and its split to the townships in
    proportion to each township's 2024 year (分解到区镇街道)."""
    last = _last_years_totals(townships)
    for code, factor in QUOTA_FACTOR.items():
        target = round_half_up(F.TOWNSHIP_FLOWS[code] * factor / 10, 0) * 10
        quota_set(
            indicator=ind[code], org_unit=city, year=dy.year, target=target, user=None, channel=Channel.DEMO
        )
        weights = [float(last.get((code, t.code), 0)) + 1e-9 for t in townships]
        for township, share in zip(townships, split_exactly(target, weights), strict=True):
            if share > 0:
                quota_set(
                    indicator=ind[code],
                    org_unit=township,
                    year=dy.year,
                    target=share,
                    user=None,
                    channel=Channel.DEMO,
                )
    # A ratio's target is a rate: e-card coverage stays at the province's 66%.
    quota_set(
        indicator=ind["social_insurance.ecard_coverage"],
        org_unit=city,
        year=dy.year,
        target=F.CITY_QUOTAS["social_insurance.ecard_coverage"],
        user=None,
        channel=Channel.DEMO,
    )


def typed_entries(
    dy: DemoYear, ind: dict[str, Indicator], city: OrgUnit, figures: dict[tuple[str, str, int], Decimal]
) -> list[ValueEntry]:
    """The months before the one now due (already reported and approved), and the city's own typed
    figure (resident population) for every month up to the due one."""
    townships = {t.code: t for t in OrgUnit.objects.filter(level=OrgUnit.Level.TOWNSHIP)}
    entries = [
        ValueEntry(indicator=ind[code], org_unit=townships[org], year=dy.year, month=month, value=value)
        for (code, org, month), value in figures.items()
        if month <= dy.typed_through
    ]
    population = F.CITY_STOCKS["social_insurance.resident_population"][1]
    entries += [
        ValueEntry(
            indicator=ind["social_insurance.resident_population"],
            org_unit=city,
            year=dy.year,
            month=month,
            value=population,
        )
        for month in range(1, dy.due_month + 1)
    ]
    return entries + _city_typed_entries(dy, ind, city)


def _city_typed_entries(dy: DemoYear, ind: dict[str, Indicator], city: OrgUnit) -> list[ValueEntry]:
    """What the bureau itself enters at 市本级 (its flows and its levels), for the months before the one
    now due: 2024's month with a little noise for a flow, 2024's level grown by a year's step for each
    year since (a rate never above 100%). One query."""
    typed = [
        code
        for code in (*F.CITY_FLOWS, *F.CITY_STOCKS)
        if code in ind
        and ind[code].source == Indicator.Source.BUREAU
        and code != "social_insurance.resident_population"
    ]
    last = {
        (code, month): value
        for code, month, value in MonthlyValue.objects.filter(
            year=F.YEAR, org_unit=city, indicator__code__in=typed
        ).values_list("indicator__code", "month", "value")
    }
    entries = []
    for code in typed:
        rng = random.Random(f"demo/{dy.year}/city/{code}")
        places = ind[code].value_places
        for month in range(1, dy.typed_through + 1):
            noise = Decimal(str(rng.uniform(0.9, 1.1)))
            base = last.get((code, month))
            if base is None:
                continue
            if code in F.CITY_STOCKS:
                start, end = F.CITY_STOCKS[code]
                value = base + (end - start) * (dy.year - F.YEAR)
                value = min(value, Decimal(100)) if ind[code].unit == "%" else value
            else:
                value = base * noise
            entries.append(
                ValueEntry(
                    indicator=ind[code],
                    org_unit=city,
                    year=dy.year,
                    month=month,
                    value=round_half_up(value, places),
                )
            )
    return entries


# ----------------------------------------------------------------------------- the month now due


def _account(username: str, name: str, role: str, township: OrgUnit | None) -> User:
    """A demo account that cannot sign in (no usable password): it only stands for who did what."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": name, "role": role, "org_unit": township}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def reviewer_account() -> User:
    """The bureau's demo clerk who reviews and chases the month now due."""
    return _account(REVIEWER, "局业务科室(演示)", User.Role.BUREAU, org_root())


def _times(dy: DemoYear, count: int) -> list[datetime]:
    """When the on-time reports were confirmed: spread evenly over the office hours (08:30-17:30) from
    the 1st of this month to now (or to the deadline's evening), oldest first — townships report at
    work, not at 02:00. Before the first morning's office hours, the hour before now."""
    now = timezone.now()
    zone = timezone.get_current_timezone()
    deadline_end = datetime.combine(report_deadline(dy.year, dy.due_month), time(17, 30), zone)
    end = min(now, deadline_end)
    hours = []  # (opening, closing) of each office day up to `end`
    day = dy.today.replace(day=1)
    while day <= timezone.localtime(end).date():
        opening, closing = (datetime.combine(day, t, zone) for t in (time(8, 30), time(17, 30)))
        if opening < end:
            hours.append((opening, min(closing, end)))
        day += timedelta(days=1)
    total = sum((b - a for a, b in hours), timedelta())
    if not total:
        step = timedelta(hours=1) / (count + 1)
        return [end - timedelta(hours=1) + step * (i + 1) for i in range(count)]
    out = []
    for i in range(count):
        left = total * (i + 1) / (count + 1)
        for a, b in hours:
            if left <= b - a:
                out.append(a + left)
                break
            left -= b - a
    return out


def _file(dy: DemoYear, township: OrgUnit, figures: dict, ind: dict[str, Indicator], scale: int = 1) -> bytes:
    this_month = {
        ind[code].pk: (
            figures[(code, township.code, dy.due_month)] * (scale if code == TYPED_FLOWS[0] else 1),
            "",
        )
        for code in TYPED_FLOWS
        if (code, township.code, dy.due_month) in figures
    }
    return template_workbook(township=township, year=dy.year, month=dy.due_month, this_month=this_month)


def _send(dy, township, user, data: bytes, version: int, at: datetime) -> Submission:
    preview = submission_upload(
        user=user,
        township=township,
        year=dy.year,
        month=dy.due_month,
        data=data,
        filename=f"{township.name}{dy.year}年{dy.due_month}月人社数据月报{'(更正)' if version > 1 else ''}.xlsx",
    )
    if not preview.ok:
        raise RuntimeError(f"演示月报未通过校验:{township.name} {[str(p) for p in preview.problems]}")
    return submission_confirm(submission=preview.submission, user=user, at=at)


def due_month_reports(
    dy: DemoYear, ind: dict[str, Indicator], townships: list[OrgUnit], states: dict[str, str], figures: dict
) -> dict[str, int]:
    """The month now due, through the reporting services. Done once: if any report of that month
    exists (a real one, or this demo's), nothing is sent again."""
    if Submission.objects.filter(year=dy.year, month=dy.due_month).exists():
        return {}
    reviewer = reviewer_account()
    sent = [t for t in townships if states[t.code] not in ("missing", "late")]
    times = dict(zip((t.code for t in sent), _times(dy, len(sent)), strict=True))
    for township in townships:
        state = states[township.code]
        if state == "missing":
            continue
        user = _account(
            f"demo_{township.code}", f"{township.name}人社服务中心(演示)", User.Role.TOWNSHIP, township
        )
        if month_is_locked(township=township, year=dy.year, month=dy.due_month):
            user = reviewer  # past the lock the township can send nothing; the bureau is never locked out
        if state == "late":
            deadline = report_deadline(dy.year, dy.due_month)
            at = min(
                timezone.now(),
                datetime.combine(deadline + timedelta(days=1), time(9, 30), timezone.get_current_timezone()),
            )
            submission_approve(
                submission=_send(dy, township, user, _file(dy, township, figures, ind), 1, at), user=reviewer
            )
            continue
        at = times[township.code]
        if state == "resubmitted":
            # Version 1 had the new jobs typed ten times over; the township sends version 2 before review.
            opening = datetime.combine(
                timezone.localtime(at).date(), time(8, 30), timezone.get_current_timezone()
            )
            first = max(at - timedelta(hours=2), min(opening, at - timedelta(minutes=1)))
            _send(dy, township, user, _file(dy, township, figures, ind, scale=10), 1, first)
            _send(dy, township, user, _file(dy, township, figures, ind), 2, at)
            continue
        scale = 3 if state == "returned" else 1  # the jump the reviewer asks about
        submission = _send(dy, township, user, _file(dy, township, figures, ind, scale=scale), 1, at)
        if state == "approved":
            submission_approve(submission=submission, user=reviewer)
        elif state == "returned":
            submission_return(submission=submission, user=reviewer, reason=RETURN_REASON)
    counts: dict[str, int] = {}
    for s in states.values():
        counts[s] = counts.get(s, 0) + 1
    return counts
