"""Writes of the bureau's data entry, each through the core's one write path: the month sheet through
`monthly_values_apply`, the quota split through `quota_set` / `quota_delete`, so every rule, the
history and the recompute are the same as for every other door."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from accounts.permissions import can_write_figures, is_bureau, is_portal_bureau
from common.errors import PermissionDeniedError, PortalError, Problem, ProblemKind
from completion.rule import completion_rate
from indicators.models import Channel, Indicator, MonthlyValue, Quota
from indicators.services import (
    ApplyResult,
    ValueEntry,
    figures_check,
    monthly_values_apply,
    quota_delete,
    quota_set,
    shown,
    value_problems,
)
from orgs.models import OrgUnit
from orgs.selectors import org_root
from reporting.parsing import NumberError, UnitError, parse_number, to_indicator_unit
from reporting.services.locks import month_is_locked, report_lock_date

from .selectors import is_editable, month_sheet, sheet_indicators

SHEET_NOTE = "后台月度填报"


@dataclass
class SheetOutcome:
    """What a save of the sheet came to, by indicator code: `problems` (nothing is written while there
    is one; a 核实 figure nobody explained is one, and its cell asks for the explanation: `to_explain`)
    and `notes` (提示 findings and explained 核实 ones: told, never in the way)."""

    problems: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    to_explain: set[str] = field(default_factory=set)
    notes: dict[str, list[str]] = field(default_factory=dict)
    result: ApplyResult | None = None

    @property
    def saved(self) -> bool:
        return self.result is not None

    @property
    def problem_count(self) -> int:
        return sum(len(v) for v in self.problems.values()) + len(self.general)


def read_figure(text: str, indicator: Indicator) -> Decimal | None:
    """A cell as a clerk types or pastes it (1,234 / １２３４ / 1.2万 / 3.9亿元), in the indicator's unit.
    Blank is "not reported". Raises NumberError / UnitError with the Chinese message."""
    value, unit = parse_number(text)
    return None if value is None else to_indicator_unit(value, unit, indicator.unit)


def month_sheet_save(
    *,
    org_unit: OrgUnit,
    year: int,
    month: int,
    typed: dict[str, str],
    shown_before: dict[str, str],
    user,
    explanations: dict[str, str] | None = None,
) -> SheetOutcome:
    """Save one unit's month as typed on the sheet: every editable cell at once, all or nothing.
    `typed` is the text of each cell by indicator code, `shown_before` the figure the page showed (a
    cell someone else changed since is refused, not overwritten), `explanations` the 核实说明 typed
    beside a figure a 核实 rule flags (the year's validation rules, as at every door)."""
    explanations = explanations or {}
    outcome = SheetOutcome()
    if not can_write_figures(user, org_unit.pk):
        raise PermissionDeniedError(f"您没有填报或修改“{org_unit.name}”数据的权限。")
    if (
        not org_unit.is_upper
        and not is_bureau(user)
        and month_is_locked(township=org_unit, year=year, month=month)
    ):
        lock = report_lock_date(year, month)
        raise PortalError(f"{year}年{month}月已于{lock:%Y年%m月%d日}锁定,如需更正请联系局业务科室解锁。")
    editable = [i for i in sheet_indicators(org_unit, year) if i.code in typed and is_editable(i, org_unit)]
    stored = {
        mv.indicator_id: mv
        for mv in MonthlyValue.objects.filter(
            org_unit=org_unit, year=year, month=month, indicator__in=editable
        ).select_related("updated_by")
    }
    entries = []
    for ind in editable:
        try:
            value = read_figure(typed[ind.code], ind)
        except (NumberError, UnitError) as error:
            outcome.problems.setdefault(ind.code, []).append(str(error))
            continue
        current = stored.get(ind.pk)
        _refuse_if_changed_meanwhile(outcome, ind, current, shown_before.get(ind.code, ""))
        unchanged = (current.value if current else None) == value
        explanation = explanations.get(ind.code, current.explanation if current and unchanged else "")
        entry = ValueEntry(
            indicator=ind, org_unit=org_unit, year=year, month=month, value=value,
            remark=current.remark if current and value is not None else "", column=ind.code,
            explanation=explanation.strip(),
        )  # fmt: skip
        entries.append(entry)
    check = figures_check(entries=entries, user=user, channel=Channel.SHEET)
    for p in check.problems:
        _file(outcome, p)
        if p.kind == ProblemKind.EXPLAIN:
            outcome.to_explain.add(p.column)
    for note in check.notices:
        outcome.notes.setdefault(note.column, []).append(note.message)
    if outcome.problems or outcome.general:
        return outcome
    try:
        outcome.result = monthly_values_apply(
            entries=entries, user=user, channel=Channel.SHEET, note=SHEET_NOTE
        )
    except PortalError as error:  # someone wrote at the same moment, or the database's own check
        for p in error.problems:
            _file(outcome, p)
    return outcome


@dataclass(frozen=True)
class CellPreview:
    """What one typed cell of the sheet would give if saved now."""

    rate: Decimal | None  # the completion rate (completion.rule), at RATE_PLACES; None: no rate
    problem: str  # why the save would refuse it ("" when it would not)
    changed: bool  # differs from the figure the page showed


def month_sheet_preview(
    *, org_unit: OrgUnit, year: int, month: int, typed: dict[str, str], shown_before: dict[str, str]
) -> dict[str, CellPreview]:
    """The sheet's cells as the save would read them, written nowhere: each typed cell read by the
    save's own parser (read_figure), checked by the write path's rules for one figure (value_problems),
    and the completion rate it would give by the one completion rule. The sheet shows these as the
    clerk types (static/entry/sheet.js asks entry:sheet-rates), so the page never computes a rate or
    reads a number its own way. Only the unit's editable cells, by indicator code."""
    sheet = month_sheet(org_unit=org_unit, year=year, month=month)
    out = {}
    for row in sheet.rows:
        ind, code = row.indicator, row.indicator.code
        if code not in typed or not row.editable:
            continue
        before = _read_or_none(shown_before.get(code, ""), ind)
        try:
            value = read_figure(typed[code], ind)
        except (NumberError, UnitError) as error:
            out[code] = CellPreview(rate=None, problem=str(error), changed=True)
            continue
        entry = ValueEntry(indicator=ind, org_unit=org_unit, year=year, month=month, value=value)
        problems = value_problems(entry, channel=Channel.SHEET)
        rate = (
            None
            if problems
            else completion_rate(row.actual_with(value), 1, row.quota, ceiling=ind.is_ceiling)
        )
        out[code] = CellPreview(
            rate=rate, problem=problems[0].message if problems else "", changed=value != before
        )
    return out


def _read_or_none(text: str, ind: Indicator) -> Decimal | None:
    try:
        return read_figure(text, ind)
    except (NumberError, UnitError):
        return None


def _refuse_if_changed_meanwhile(outcome: SheetOutcome, ind: Indicator, current, before: str) -> None:
    now = "" if current is None else shown(current.value)
    try:
        then = read_figure(before, ind)
    except (NumberError, UnitError):
        then = None
    if (then is None and now == "") or (then is not None and now == shown(then)):
        return
    who = (
        current.updated_by.get_full_name() or current.updated_by.username
        if current and current.updated_by
        else "他人"
    )
    outcome.problems.setdefault(ind.code, []).append(
        f"打开本页后,此数值已被{who}改为“{now or '空'}”(原为“{before or '空'}”),请刷新页面核对后再填。"
    )


def _file(outcome: SheetOutcome, problem: Problem) -> None:
    if problem.column:
        outcome.problems.setdefault(problem.column, []).append(problem.message)
    else:
        outcome.general.append(problem.message)


# --- the quota split ---


@dataclass
class SplitOutcome:
    problems: dict[str, list[str]] = field(default_factory=dict)  # by "code" or "code:org"
    changed: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def splittable(indicator: Indicator) -> bool:
    """A rate is not split (every township keeps the city's rate to reach); counts and amounts are."""
    return indicator.is_active and not indicator.is_ratio


def quota_split_problems(
    *,
    indicator: Indicator,
    city_quota: Decimal | None,
    parts: dict[str, Decimal | None],
    rest_at_city: bool,
) -> list[tuple[str, str]]:
    """Every problem with one indicator's split, as (where, message): where = indicator code for the
    whole, "code:org" for one part. The parts may not exceed the city quota; falling short is allowed
    only with the remainder left at 市本级 explicitly."""
    code, unit = indicator.code, indicator.unit
    if not splittable(indicator):
        return [(code, f"“{indicator.name}”是比率型指标,目标是比率,不分解。")]
    if city_quota is None:
        return [(code, f"尚未设定{indicator.name}的全市年度目标,请先在“年度目标任务”中录入,再分解。")]
    problems = []
    for org, value in parts.items():
        if value is None:
            continue
        if value < 0:
            problems.append((f"{code}:{org}", f"不能为负数(填写的是{shown(value)})。"))
        elif -value.normalize().as_tuple().exponent > indicator.value_places:
            rule = "须为整数" if indicator.value_places == 0 else f"最多保留{indicator.value_places}位小数"
            problems.append((f"{code}:{org}", f"以“{unit}”计,{rule}(填写的是{shown(value)})。"))
    if problems:
        return problems
    total = sum((v for v in parts.values() if v is not None), Decimal(0))
    if total > city_quota:
        problems.append(
            (
                code,
                f"分解合计{shown(total)}{unit},超过全市目标{shown(city_quota)}{unit} {shown(total - city_quota)}{unit},不能保存。",
            )
        )
    elif total < city_quota and not rest_at_city:
        problems.append(
            (
                code,
                f"分解合计{shown(total)}{unit},比全市目标{shown(city_quota)}{unit}少{shown(city_quota - total)}{unit}:"
                "请补足,或勾选“余数留在市本级”。",
            )
        )
    return problems


def quota_split_check(
    *, year: int, splits: dict[Indicator, tuple[dict[str, Decimal | None], bool]], user
) -> SplitOutcome:
    """Every problem of every indicator's split at once, without writing."""
    outcome = SplitOutcome()
    # The split is the portal's own unit's quota among all its townships: its bureau's alone.
    if not is_portal_bureau(user):
        raise PermissionDeniedError("只有局业务科室可以分解年度目标。")
    city = org_root()
    city_quotas = dict(
        Quota.objects.filter(org_unit=city, year=year, indicator__in=list(splits)).values_list(
            "indicator_id", "target"
        )
    )
    for indicator, (parts, rest_at_city) in splits.items():
        for where, message in quota_split_problems(
            indicator=indicator, city_quota=city_quotas.get(indicator.pk), parts=parts,
            rest_at_city=rest_at_city,
        ):  # fmt: skip
            outcome.problems.setdefault(where, []).append(message)
    return outcome


@transaction.atomic
def quota_split_apply(
    *,
    year: int,
    splits: dict[Indicator, tuple[dict[str, Decimal | None], bool]],
    user,
    channel: str = Channel.SPLIT,
    note: str = "",
) -> SplitOutcome:
    """Write the townships' parts of each indicator's split (all indicators, or nothing): a part
    sets the township's quota, a blank or zero part removes it. 市本级's part is the city quota less
    the townships' (the city's own row is the provincial quota, never overwritten). Every change goes
    through quota_set / quota_delete: their rules, their history (channel = this door)."""
    outcome = quota_split_check(year=year, splits=splits, user=user)
    if not outcome.ok:
        return outcome
    townships = {o.code: o for o in OrgUnit.objects.filter(level=OrgUnit.Level.TOWNSHIP)}
    existing = {
        (q.indicator_id, q.org_unit.code): q
        for q in Quota.objects.select_related("org_unit", "indicator").filter(
            year=year, indicator__in=list(splits), org_unit__level=OrgUnit.Level.TOWNSHIP
        )
    }
    for indicator, (parts, _) in splits.items():
        for code, value in parts.items():
            if code not in townships:
                continue  # 市本级's part: not stored, it is what the townships leave of the city quota
            current = existing.get((indicator.pk, code))
            if value:
                if current is None or current.target != value:
                    quota_set(
                        indicator=indicator, org_unit=townships[code], year=year, target=value,
                        user=user, channel=channel, note=note or (current.note if current else ""),
                    )  # fmt: skip
                    outcome.changed += 1
            elif current is not None:
                quota_delete(quota=current, user=user, channel=channel)
                outcome.changed += 1
    return outcome
