"""Where a figure came from (追溯). Every figure the dashboards show is a completion cell: an indicator
at an org unit, year to date at the end of a month, as the engine (completion/engine.py) made it from
the stored monthly values:

- its **parts**: the unit's own entries (市本级's, for the city) and each unit directly below it with
  everything under that (a township and its villages), through OrgUnitClosure as the engine rolls up;
  a flow adds months 1..M, a stock takes each reporting unit's latest level up to M, a ratio divides
  the rolled-up numerator by the rolled-up denominator (two sets of parts);
- for a part and one month, the **sources**: each stored MonthlyValue with the door it came through
  (its latest FigureChange: who, when, the 核实说明), the township report whose approval wrote it
  (FigureChange.submission_pk: version, who uploaded and approved, the kept file and the row), the
  month's other versions, and for a register-fed figure the records counted (provenance.records).

Each read is a fixed number of queries whatever the number of units, months or changes (tested by
growing the data): the figure's page three, a part's five."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from common.numbers import divide_half_up
from completion.models import Completion
from indicators.models import VALUE_PLACES, Channel, FigureChange, Indicator, MonthlyValue
from orgs.models import OrgUnit, OrgUnitClosure
from reporting.models import Submission, SubmissionValue

FLOW, STOCK, RATIO = Indicator.Kind.FLOW, Indicator.Kind.STOCK, Indicator.Kind.RATIO
# A part's page lists the cells' latest changes; older ones stay in the admin's history.
HISTORY_SHOWN = 20


def door_label(channel: str | None) -> str:
    return Channel(channel).label if channel in Channel.values else ""


# ----------------------------------------------------------------------------- a figure and its parts


@dataclass(frozen=True)
class Cell:
    """A part's stored figure for one month (the month's amount, or a level at its end)."""

    month: int
    value: Decimal | None
    channels: tuple[str, ...] = ()  # the doors of the values stored there
    counted: bool = True  # a stock: the month whose level the figure takes (each unit's latest)

    @property
    def doors(self) -> str:
        return "、".join(door_label(c) for c in self.channels)


@dataclass(frozen=True)
class Part:
    org_code: str
    org_name: str
    own: bool  # the figure's own unit's own entries (本级), not a unit below it
    cells: list[Cell]
    figure: Decimal | None  # what this part adds to the figure

    @property
    def label(self) -> str:
        return f"{self.org_name}(本级)" if self.own else self.org_name


@dataclass(frozen=True)
class Component:
    """One indicator's parts: the figure's own, or a ratio's numerator or denominator."""

    indicator: Indicator
    role: str  # "" / "分子" / "分母"
    parts: list[Part]

    @property
    def total(self) -> Decimal | None:
        figures = [p.figure for p in self.parts if p.figure is not None]
        return sum(figures, Decimal(0)) if figures else None

    @property
    def shown_parts(self) -> list[Part]:
        """Every unit below for what the townships report (a unit with nothing is news: it has not
        reported); otherwise the units with figures (a register's or the bureau's, often the city's
        alone), and the unit's own entries always."""
        if self.indicator.township_reported:
            return self.parts
        return [
            p
            for p in self.parts
            if p.own or p.figure is not None or any(c.value is not None for c in p.cells)
        ]


@dataclass(frozen=True)
class FigureProvenance:
    indicator: Indicator
    org: OrgUnit
    year: int
    month: int
    figure: Decimal | None  # the engine's, as every page shows it
    components: list[Component]

    @property
    def months(self) -> range:
        return range(1, self.month + 1)

    @property
    def from_parts(self) -> Decimal | None:
        """The figure made again from the parts, as the engine makes it."""
        if self.indicator.kind != RATIO:
            return self.components[0].total
        top, bottom = (c.total for c in self.components)
        if top is None or not bottom:
            return None
        return divide_half_up(top * 100, bottom, VALUE_PLACES)

    @property
    def parts_agree(self) -> bool:
        """False while the engine has not yet taken in the latest change (the page then says so)."""
        return self.from_parts == self.figure


def figure_provenance(*, indicator: Indicator, org: OrgUnit, year: int, month: int) -> FigureProvenance:
    """The completion cell of `indicator` at `org` (year to date at the end of `month`) and its parts,
    month by month. Three queries: the cell, the part units, the stored values."""
    inputs = [indicator] if indicator.kind != RATIO else [indicator.numerator, indicator.denominator]
    roles = [""] if indicator.kind != RATIO else ["分子", "分母"]
    figure = next(
        iter(
            Completion.objects.filter(indicator=indicator, org_unit=org, year=year, month=month)
            .order_by()
            .values_list("actual", flat=True)[:1]
        ),
        None,
    )
    units = list(OrgUnit.objects.filter(Q(pk=org.pk) | Q(parent_id=org.pk)).order_by("sort_order", "code"))
    stored = _stored_by_part([i.pk for i in inputs], org=org, year=year, month=month)
    components = [
        Component(ind, role, [_part(ind, unit, unit.pk == org.pk, stored, month) for unit in units])
        for ind, role in zip(inputs, roles, strict=True)
    ]
    return FigureProvenance(indicator, org, year, month, figure, components)


# (indicator id, part id) -> [(org unit id, month, value, channel)]
Stored = dict[tuple[int, int], list[tuple[int, int, Decimal, str]]]


def _stored_by_part(indicator_ids: list[int], *, org: OrgUnit, year: int, month: int) -> Stored:
    """Every value stored under `org` in months 1..month, each with the part it belongs to: the unit
    directly below `org` it lies under, or `org` itself for its own entries. One query."""
    below = OrgUnitClosure.objects.filter(ancestor_id=org.pk).values("descendant_id")
    part_of = OrgUnitClosure.objects.filter(
        descendant_id=OuterRef("org_unit_id"), ancestor__parent_id=org.pk
    ).values("ancestor_id")[:1]
    rows = (
        MonthlyValue.objects.filter(
            indicator_id__in=indicator_ids, year=year, month__lte=month, org_unit_id__in=below
        )
        .annotate(part_id=Coalesce(Subquery(part_of), Value(org.pk), output_field=models.BigIntegerField()))
        .values_list("indicator_id", "part_id", "org_unit_id", "month", "value", "channel")
        .order_by()
    )
    stored: Stored = defaultdict(list)
    for indicator_id, part_id, unit_id, m, value, channel in rows:
        stored[(indicator_id, part_id)].append((unit_id, m, value, channel))
    return stored


def _part(indicator: Indicator, unit: OrgUnit, own: bool, stored: Stored, month: int) -> Part:
    values = stored.get((indicator.pk, unit.pk), [])
    by_month: dict[int, list[tuple[int, Decimal, str]]] = defaultdict(list)
    for unit_id, m, value, channel in values:
        by_month[m].append((unit_id, value, channel))
    if indicator.kind == STOCK:
        # Each reporting unit's latest level up to the month, as the engine carries it.
        latest: dict[int, tuple[int, Decimal]] = {}
        for unit_id, m, value, _ in values:
            if unit_id not in latest or m > latest[unit_id][0]:
                latest[unit_id] = (m, value)
        counted = {m for m, _ in latest.values()}
        figure = sum((v for _, v in latest.values()), Decimal(0)) if latest else None
    else:
        counted = set(by_month)
        figure = sum((v for _, _, v, _ in values), Decimal(0)) if values else None
    cells = [
        Cell(
            m,
            sum((v for _, v, _ in by_month[m]), Decimal(0)) if by_month.get(m) else None,
            tuple(sorted({c for _, _, c in by_month.get(m, [])})),
            m in counted,
        )
        for m in range(1, month + 1)
    ]
    return Part(unit.code, unit.name, own, cells, figure)


# ----------------------------------------------------------------------------- a part's sources


@dataclass(frozen=True)
class ReportSource:
    """One version of a township's month report, and what it said of the indicator."""

    submission: Submission
    value: Decimal | None  # as sent (None: left blank or not in the file)
    sheet: str
    row: int | None
    remark: str
    explanation: str
    counted: bool  # its approval wrote the figure stored now


@dataclass(frozen=True)
class Source:
    """One stored value and the door it came through (its latest change)."""

    org_code: str
    org_name: str
    value: Decimal
    remark: str
    explanation: str
    channel: str
    changed_by: str
    changed_at: datetime | None
    note: str
    submission_pk: int | None

    @property
    def door(self) -> str:
        return door_label(self.channel)


@dataclass(frozen=True)
class PartProvenance:
    indicator: Indicator
    unit: OrgUnit
    own: bool
    year: int
    month: int
    sources: list[Source]
    reports: list[ReportSource]  # the month's versions sent by the township(s), newest first
    history: list[FigureChange]  # the cells' changes, newest first (at most HISTORY_SHOWN)
    more_history: bool

    @property
    def total(self) -> Decimal | None:
        return sum((s.value for s in self.sources), Decimal(0)) if self.sources else None

    @property
    def channels(self) -> set[str]:
        return {s.channel for s in self.sources}


def part_units(unit: OrgUnit, *, own: bool) -> models.QuerySet:
    """The units a part covers: the unit's own entries only, or the unit and everything under it."""
    if own:
        return OrgUnit.objects.filter(pk=unit.pk).values_list("pk", flat=True)
    return OrgUnitClosure.objects.filter(ancestor_id=unit.pk).values_list("descendant_id", flat=True)


def part_provenance(
    *, indicator: Indicator, unit: OrgUnit, own: bool, year: int, month: int
) -> PartProvenance:
    """What is stored for `indicator` in one month at `unit` (its own entries, or with everything
    under it) and where each value came from. Five queries: the values (each with its latest
    change's id), those changes, the cells' history, the month's reports sent and their rows."""
    units = part_units(unit, own=own)
    cell = FigureChange.objects.filter(
        subject=FigureChange.Subject.VALUE, indicator=indicator, year=year, month=month
    )
    latest_change = cell.filter(org_unit_id=OuterRef("org_unit_id")).order_by("-changed_at", "-id")
    values = list(
        MonthlyValue.objects.filter(indicator=indicator, year=year, month=month, org_unit_id__in=units)
        .annotate(latest_change_id=Subquery(latest_change.values("id")[:1]))
        .select_related("org_unit", "updated_by")
        .order_by("org_unit__sort_order", "org_unit__code")
    )
    latest = FigureChange.objects.in_bulk([mv.latest_change_id for mv in values if mv.latest_change_id])
    sources = [_source(mv, latest.get(mv.latest_change_id)) for mv in values]
    history = list(
        cell.filter(org_unit_id__in=units)
        .select_related("org_unit")
        .order_by("-changed_at", "-id")[: HISTORY_SHOWN + 1]
    )
    counted = {s.submission_pk for s in sources if s.submission_pk}
    return PartProvenance(
        indicator=indicator,
        unit=unit,
        own=own,
        year=year,
        month=month,
        sources=sources,
        reports=_reports(indicator, units, year, month, counted),
        history=history[:HISTORY_SHOWN],
        more_history=len(history) > HISTORY_SHOWN,
    )


def _source(mv: MonthlyValue, change: FigureChange | None) -> Source:
    """A value's door from its latest change; a value with no history (loaded before the history
    existed) from the value's own record of its last writer."""
    if change is not None and change.new_value == mv.value:
        who, at, channel = change.changed_by_name or "系统", change.changed_at, change.channel
        note, submission_pk = change.note, change.submission_pk
    else:
        who = (mv.updated_by.get_full_name() or mv.updated_by.username) if mv.updated_by else "系统"
        at, channel, note, submission_pk = mv.updated_at, mv.channel, "", None
    return Source(
        org_code=mv.org_unit.code,
        org_name=mv.org_unit.name,
        value=mv.value,
        remark=mv.remark,
        explanation=mv.explanation,
        channel=channel,
        changed_by=who,
        changed_at=at,
        note=note,
        submission_pk=submission_pk,
    )


def _reports(indicator: Indicator, units, year: int, month: int, counted: set[int]) -> list[ReportSource]:
    """Every version the township(s) sent for the month (never a draft), newest first, with the row
    that gave the indicator; for an indicator not in the townships' template only the versions that
    carried it (none, unless the year's set changed). Two queries."""
    submissions = list(
        Submission.objects.filter(township_id__in=units, year=year, month=month)
        .exclude(status=Submission.Status.DRAFT)
        .select_related("township", "created_by", "reviewed_by")
        .order_by("township__sort_order", "-version")
    )
    rows = {
        r["submission_id"]: r
        for r in SubmissionValue.objects.filter(submission__in=submissions, indicator=indicator).values(
            "submission_id", "value", "sheet", "row", "remark", "explanation"
        )
    }
    return [
        ReportSource(
            submission=s,
            value=rows.get(s.pk, {}).get("value"),
            sheet=rows.get(s.pk, {}).get("sheet", ""),
            row=rows.get(s.pk, {}).get("row"),
            remark=rows.get(s.pk, {}).get("remark", ""),
            explanation=rows.get(s.pk, {}).get("explanation", ""),
            counted=s.pk in counted,
        )
        for s in submissions
        if indicator.township_reported or s.pk in rows
    ]
