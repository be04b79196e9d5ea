"""The one write path for monthly values and quotas. The admin, the API, township uploads, registers
and commands all call these functions, so every door applies the same rules and leaves the same history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.permissions import actor_of, can_write_figures, is_bureau
from common.errors import PermissionDeniedError, PortalError, Problem, ProblemKind, refusal
from common.numbers import SIGNIFICANT_DIGITS, significant_digits
from common.years import year_in_range, year_out_of_range_message
from orgs.models import OrgUnit

from . import batch_write
from .models import EXPLANATION_MAX_CHARS, VALUE_PLACES, Channel, FigureChange, Indicator, MonthlyValue, Quota
from .rules import Finding, rule_findings
from .signals import figures_changed

# The PostgreSQL constraint trigger that guards "其中" parts (see migration 0002).
PART_WITHIN_WHOLE_TRIGGER = "monthly_value_part_within_whole"


@dataclass
class ValueEntry:
    """One figure to write. value None means "not reported": an existing value is removed."""

    indicator: Indicator
    org_unit: OrgUnit
    year: int
    month: int
    value: Decimal | None
    remark: str = ""
    # Where the figure came from in a spreadsheet, so that problems name the sheet, row and column.
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    # Why a figure a 核实 rule flags is right (indicators.rules): kept with the figure and its history.
    explanation: str = ""

    @cached_property
    def key(self) -> tuple[int, int, int, int]:
        # Cached: a 100,000-figure batch asks for every key several times (checks, write, history).
        return (self.indicator.pk, self.org_unit.pk, self.year, self.month)

    def problem(
        self, message: str, field: str | None = None, *, kind: ProblemKind = ProblemKind.INVALID
    ) -> Problem:
        return Problem(message, field=field, kind=kind, sheet=self.sheet, row=self.row, column=self.column)


@dataclass
class Counts:
    """What a batch did to its cells (or to those at one unit)."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def include(self, change: batch_write.Change) -> None:
        self.created += change.created
        self.updated += change.changed - change.created - change.deleted
        self.deleted += change.deleted
        self.unchanged += change.cells - change.changed


@dataclass
class ApplyResult(Counts):
    years: set[int] = field(default_factory=set)
    # What changed, for the recompute: the indicators, and the units whose own figures changed.
    indicator_ids: set[int] = field(default_factory=set)
    org_unit_ids: set[int] = field(default_factory=set)
    # The counts at each unit (a township's report of a city-wide file): of_unit.
    units: dict[int, Counts] = field(default_factory=dict, repr=False)

    def include(self, change: batch_write.Change) -> None:
        """Count one indicator's cells at one unit in one year (indicators.batch_write.changes)."""
        super().include(change)
        self.units.setdefault(change.org_unit_id, Counts()).include(change)
        if change.changed:
            self.years.add(change.year)
            self.indicator_ids.add(change.indicator_id)
            self.org_unit_ids.add(change.org_unit_id)

    def of_unit(self, org_unit_id: int) -> Counts:
        """What the batch did at one unit (a township's report of a city-wide file)."""
        return self.units.get(org_unit_id, Counts())


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def shown(value: Decimal) -> str:
    """A number as a person would write it back: 12, not 12.000000 nor 1.2E+1."""
    return format(value.normalize(), "f")


def value_problems(entry: ValueEntry, today: date | None = None, channel: str | None = None) -> list[Problem]:
    """Rules about one figure on its own (no database state needed). Only the register feeds
    (channel REGISTER) may write an indicator that a register produces."""
    return [
        *_indicator_problems(entry, channel),
        *_unit_and_month_problems(entry, today or timezone.localdate()),
        *_figure_problems(entry),
    ]


def _indicator_problems(entry: ValueEntry, channel: str | None) -> list[Problem]:
    ind = entry.indicator
    if ind.year != entry.year:
        message = f"“{ind.name}”是{ind.year}年指标体系中的指标,不能填报{entry.year}年的数据。"
    elif ind.is_register_fed and channel != Channel.REGISTER:
        message = f"“{ind.name}”由“{ind.fed_by}”自动汇总,不能手工填报或修改;请在该台账中更正记录。"
    elif ind.is_ratio:
        message = f"“{ind.name}”是比率型指标,由分子、分母自动计算,不能直接填报。"
    elif not ind.is_active:
        message = f"“{ind.name}”已从{ind.year}年的指标体系中停用,不能填报。"
    else:
        return []
    return [entry.problem(message, "indicator")]


def _unit_and_month_problems(entry: ValueEntry, today: date) -> list[Problem]:
    problems = []
    if not entry.org_unit.is_active:
        problems.append(entry.problem(f"“{entry.org_unit.name}”已停用,不能填报。", "org_unit"))
    if not 1 <= entry.month <= 12:
        problems.append(entry.problem(f"月份“{entry.month}”无效,须在1至12之间。", "month"))
    elif not year_in_range(entry.year):
        problems.append(entry.problem(year_out_of_range_message(entry.year), "year"))
    elif (entry.year, entry.month) > (today.year, today.month):
        problems.append(entry.problem(f"{entry.year}年{entry.month}月尚未到来,不能填报。", "month"))
    return problems


def _figure_problems(entry: ValueEntry) -> list[Problem]:
    ind, value = entry.indicator, entry.value
    problems = []
    if len(entry.explanation) > EXPLANATION_MAX_CHARS:
        problems.append(entry.problem(f"核实说明最多{EXPLANATION_MAX_CHARS}个字。", "explanation"))
    if value is None:
        return problems
    if value < 0:
        problems.append(entry.problem(f"“{ind.name}”的数值不能为负数(填写的是{shown(value)})。", "value"))
    elif _places(value) > ind.value_places:
        rule = "须为整数" if ind.value_places == 0 else f"最多保留{ind.value_places}位小数"
        problems.append(
            entry.problem(f"“{ind.name}”以“{ind.unit}”计,{rule}(填写的是{shown(value)})。", "value")
        )
    elif _places(value) > VALUE_PLACES or value >= Decimal(10) ** (20 - VALUE_PLACES):
        problems.append(entry.problem(f"“{ind.name}”的数值{shown(value)}超出可保存的范围。", "value"))
    elif significant_digits(value) > SIGNIFICANT_DIGITS:
        problems.append(entry.problem(_too_many_digits(f"“{ind.name}”的数值", value), "value"))
    return problems


def _plainly_fine_figure(entry: ValueEntry) -> bool:
    """True when _figure_problems has nothing to say, read off the figure's digits alone: not negative,
    no more places than the indicator keeps but zeros, below the storable range, and within the
    significant digits. A figure this cannot clear is judged by _figure_problems itself."""
    value = entry.value
    if len(entry.explanation) > EXPLANATION_MAX_CHARS:
        return False
    if value is None:
        return True
    sign, digits, exponent = value.as_tuple()
    if sign or not isinstance(exponent, int):
        return False
    # Places beyond those kept may only hold zeros (a figure read back from the database has six).
    extra = -exponent - min(entry.indicator.value_places, VALUE_PLACES)
    if extra > 0:
        if any(digits[-extra:]):
            return False
        digits, exponent = digits[: max(len(digits) - extra, 1)], exponent + extra
    return len(digits) + exponent <= 20 - VALUE_PLACES and len(digits) <= SIGNIFICANT_DIGITS


def _too_many_digits(what: str, value: Decimal) -> str:
    # The quick start's SQLite would keep the figure rounded to 15 digits: refused on every backend,
    # so every backend keeps the same figures.
    return f"{what}{shown(value)}超过{SIGNIFICANT_DIGITS}位有效数字,超出可保存的范围。"


def _part_whole_problems(entries: list[ValueEntry]) -> list[Problem]:
    """A "其中" part may never exceed its whole in the same month, judged on the state after the
    whole batch is applied (a batch may lower a whole and its part together)."""
    parent_of = dict(
        Indicator.objects.filter(year__in={e.year for e in entries}, parent__isnull=False).values_list(
            "id", "parent_id"
        )
    )
    related = set(parent_of) | set(parent_of.values())
    touched = [e for e in entries if e.indicator.pk in related]
    if not touched:
        return []
    cells = {(e.org_unit.pk, e.year, e.month) for e in touched}
    state = {
        (ind, org, y, m): v
        for ind, org, y, m, v in MonthlyValue.objects.filter(
            indicator_id__in=related,
            org_unit_id__in={c[0] for c in cells},
            year__in={c[1] for c in cells},
            month__in={c[2] for c in cells},
        ).values_list("indicator_id", "org_unit_id", "year", "month", "value")
    }
    by_key = {e.key: e for e in entries}
    state.update({key: e.value for key, e in by_key.items()})
    names = dict(Indicator.objects.filter(id__in=related).values_list("id", "name"))
    problems = []
    for org, year, month in sorted(cells):
        for part, whole in parent_of.items():
            part_value, whole_value = (
                state.get((part, org, year, month)),
                state.get((whole, org, year, month)),
            )
            if part_value is None or whole_value is None or part_value <= whole_value:
                continue
            culprit = by_key.get((part, org, year, month)) or by_key[(whole, org, year, month)]
            problems.append(
                culprit.problem(
                    f"“{names[part]}”({part_value:g})不能大于它所属的“{names[whole]}”({whole_value:g})"
                    f"({year}年{month}月)。",
                    "value",
                )
            )
    return problems


@dataclass
class FigureCheck:
    """What a batch of figures meets at the gate: problems refuse it (a broken rule of the write path, a
    强制 validation rule, a 核实 one nobody explained), findings are every validation rule it breaks, to
    show (the 核实 ones with their explanation, the 提示 ones)."""

    problems: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def unexplained(self) -> list[Finding]:
        return [f for f in self.findings if f.needs_explanation]

    @property
    def notices(self) -> list[Problem]:
        """The findings that do not stop the batch, as things to read."""
        return [f.notice() for f in self.findings if f.severity != "mandatory" and not f.needs_explanation]


def figures_check(*, entries: list[ValueEntry], user, channel: str | None = None) -> FigureCheck:
    """The one gate every door's figures pass: the write path's own rules, then (when those hold) the
    year's validation rules. A register recount has nobody to write an explanation, so there a 核实
    finding is told, not required (the records are the explanation)."""
    problems = _entry_problems(entries, user, channel)
    if problems:
        return FigureCheck(problems=problems)
    problems = _part_whole_problems(entries)
    findings = rule_findings(entries)
    for finding in findings:
        if finding.severity == "mandatory" or (finding.needs_explanation and channel != Channel.REGISTER):
            problems.append(finding.problem())
    return FigureCheck(problems=problems, findings=findings)


def monthly_values_check(*, entries: list[ValueEntry], user, channel: str | None = None) -> list[Problem]:
    """Every problem with a batch of figures, all at once, without writing anything."""
    return figures_check(entries=entries, user=user, channel=channel).problems


def _entry_problems(entries: list[ValueEntry], user, channel: str | None) -> list[Problem]:
    """value_problems for each entry, with what it checks of an indicator, and of a unit and month,
    decided once per batch (a city-wide report is 100,000 figures of 4,000 indicators and 23 units):
    only an entry whose indicator, unit or figure has something wrong is judged again, for the words."""
    problems: list[Problem] = []
    seen: set[tuple] = set()
    allowed: dict[int, bool] = {}
    indicator_fine: dict[tuple[int, int], bool] = {}
    unit_month_fine: dict[tuple[int, int, int], bool] = {}
    today = timezone.localdate()
    for entry in entries:
        org_id = entry.org_unit.pk
        if org_id not in allowed:
            # user None is a trusted system process (commands, registers, demo data).
            allowed[org_id] = user is None or can_write_figures(user, org_id)
        if not allowed[org_id]:
            problems.append(
                entry.problem(
                    f"您没有填报或修改“{entry.org_unit.name}”数据的权限。",
                    "org_unit",
                    kind=ProblemKind.PERMISSION,
                )
            )
        key = (entry.indicator.pk, entry.year)
        if key not in indicator_fine:
            indicator_fine[key] = not _indicator_problems(entry, channel)
        if not indicator_fine[key]:
            problems += _indicator_problems(entry, channel)
        key = (org_id, entry.year, entry.month)
        if key not in unit_month_fine:
            unit_month_fine[key] = not _unit_and_month_problems(entry, today)
        if not unit_month_fine[key]:
            problems += _unit_and_month_problems(entry, today)
        if not _plainly_fine_figure(entry):
            problems += _figure_problems(entry)
        if entry.key in seen:
            problems.append(
                entry.problem(
                    f"“{entry.indicator.name}”在{entry.year}年{entry.month}月重复填报,请只保留一行。",
                    "indicator",
                )
            )
        seen.add(entry.key)
    return problems


def _defer_part_check() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {PART_WITHIN_WHOLE_TRIGGER} DEFERRED")


def _run_part_check_now() -> None:
    """Fire the deferred database check inside this transaction, so a violation the service missed
    (two users writing at once) surfaces here as a Chinese message and not at some later commit."""
    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {PART_WITHIN_WHOLE_TRIGGER} IMMEDIATE")
    except IntegrityError as exc:
        diag = getattr(exc.__cause__, "diag", None)
        raise PortalError(getattr(diag, "message_primary", None) or str(exc)) from exc


def monthly_values_apply(
    *,
    entries: list[ValueEntry],
    user,
    channel: str,
    note: str = "",
    submission_pk: int | None = None,
    source: batch_write.Source | None = None,
) -> ApplyResult:
    """Write a batch of figures in one transaction, or nothing if anything is wrong.
    Records each change in the history (with the township report it came from, when an approval
    writes it: `submission_pk`) and queues the recompute of the years touched. The figures are written
    set-based (indicators.batch_write): staged first, unless `source` says where the very same figures
    already stand in the database (an approved report's rows: reporting.services.workflow), with the
    history's note and report on each row."""
    if source is not None and channel in ADMIN_LOGGED_DOORS:
        raise ValueError("A door that keeps an admin log writes staged entries, not a source.")
    problems = monthly_values_check(entries=entries, user=user, channel=channel)
    if problems:
        raise refusal(problems)
    result = ApplyResult()
    try:
        with transaction.atomic():
            _defer_part_check()
            _write_values(
                entries,
                user=user,
                channel=channel,
                source=source or _staged(entries, note=note, submission_pk=submission_pk),
                result=result,
            )
            _run_part_check_now()
            # Inside the transaction: the recompute request is recorded with the change, or not at all.
            if result.years:
                figures_changed.send(
                    sender=MonthlyValue,
                    years=result.years,
                    indicators=result.indicator_ids,
                    org_units=result.org_unit_ids,
                )
    except IntegrityError as exc:
        raise PortalError(f"数据未保存:{exc}") from exc
    return result


def _staged(entries: list[ValueEntry], *, note: str, submission_pk: int | None) -> batch_write.Source:
    """The entries as a source, in their order; a blank figure keeps no remark or explanation."""
    return batch_write.staged(
        [
            (
                seq,
                e.indicator.pk,
                e.org_unit.pk,
                e.year,
                e.month,
                e.value,
                "" if e.value is None else e.remark,
                "" if e.value is None else e.explanation.strip(),
                note[:200],
                submission_pk,
            )
            for seq, e in enumerate(entries)
        ]
    )


def _write_values(
    entries: list[ValueEntry], *, user, channel: str, source: batch_write.Source, result: ApplyResult
) -> None:
    actor, actor_name = actor_of(user)
    for change in batch_write.changes(source):  # read before the write changes what it counts
        result.include(change)
    logged = _before_log(entries, source) if channel in ADMIN_LOGGED_DOORS and actor else None
    batch_write.write(
        source,
        at=timezone.now(),
        actor_id=actor.pk if actor else None,
        actor_name=actor_name,
        channel=channel,
    )
    if logged:
        _log_values_for_admin(logged, user=actor, channel=channel)


def _before_log(entries: list[ValueEntry], source: batch_write.Source) -> list[tuple]:
    """(entry, stored id, old value, old remark) of each entry that changes, read before the write."""
    cells = batch_write.changed_cells(source)
    old = dict(
        (pk, (value, remark))
        for pk, value, remark in MonthlyValue.objects.filter(
            pk__in=[pk for _, pk in cells if pk is not None]
        ).values_list("pk", "value", "remark")
    )
    return [(entries[seq], pk, *old.get(pk, (None, ""))) for seq, pk in cells]


# Doors that keep no Django admin log of their own. Their writes leave a LogEntry as well, so that the
# admin's object history (历史) lists them beside the admin's own edits, naming the door. (The admin
# logs its own; imports, township uploads and register recounts have their own records: the file, the
# submission, the register record.) FigureChange stays the full record of every door.
ADMIN_LOGGED_DOORS = {Channel.API: "通过API"}


def _change_message(door: str, label: str, old, new, old_remark: str, new_remark: str) -> str:
    """通过API修改:数值 10 → 12;备注“” → “核实后更正”。 (Only what changed.)"""

    def figure(value) -> str:
        return "—" if value is None else shown(value)

    if old is None:
        parts, verb = [f"{label} {figure(new)}"] + ([f"备注“{new_remark}”"] if new_remark else []), "新增"
    elif new is None:
        parts, verb = [f"原{label} {figure(old)}"], "删除"
    else:
        parts = [f"{label} {figure(old)} → {figure(new)}"] if old != new else []
        parts += [f"备注“{old_remark}” → “{new_remark}”"] if old_remark != new_remark else []
        verb = "修改"
    return f"{door}{verb}:{';'.join(parts)}。"


def _log_values_for_admin(logged: list[tuple], *, user, channel: str) -> None:
    from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
    from django.contrib.contenttypes.models import ContentType

    created = [entry for entry, pk, _, _ in logged if pk is None]
    new_pks = (
        {
            (mv.indicator_id, mv.org_unit_id, mv.year, mv.month): mv.pk
            for mv in MonthlyValue.objects.filter(
                indicator_id__in={e.indicator.pk for e in created},
                org_unit_id__in={e.org_unit.pk for e in created},
                year__in={e.year for e in created},
                month__in={e.month for e in created},
            ).only("pk", "indicator_id", "org_unit_id", "year", "month")
        }
        if created
        else {}
    )
    content_type = ContentType.objects.get_for_model(MonthlyValue)
    LogEntry.objects.bulk_create(
        LogEntry(
            user_id=user.pk,
            content_type_id=content_type.pk,
            object_id=str(pk or new_pks[entry.key]),
            object_repr=f"{entry.year}年{entry.month}月 {entry.org_unit.name} {entry.indicator.name}"[:200],
            action_flag=ADDITION if pk is None else DELETION if entry.value is None else CHANGE,
            change_message=_change_message(
                ADMIN_LOGGED_DOORS[channel], "数值", old, entry.value, old_remark, entry.remark
            ),
        )
        for entry, pk, old, old_remark in logged
    )


def monthly_value_set(
    *,
    indicator: Indicator,
    org_unit: OrgUnit,
    year: int,
    month: int,
    value: Decimal | None,
    user,
    channel: str,
    remark: str = "",
    explanation: str = "",
) -> MonthlyValue | None:
    """Set (or with value None, remove) one figure. Returns the stored row, or None when removed."""
    entry = ValueEntry(
        indicator=indicator,
        org_unit=org_unit,
        year=year,
        month=month,
        value=value,
        remark=remark,
        explanation=explanation,
    )
    monthly_values_apply(entries=[entry], user=user, channel=channel)
    return MonthlyValue.objects.filter(indicator=indicator, org_unit=org_unit, year=year, month=month).first()


def monthly_values_delete(*, values: Iterable[MonthlyValue], user, channel: str) -> ApplyResult:
    entries = [
        ValueEntry(indicator=v.indicator, org_unit=v.org_unit, year=v.year, month=v.month, value=None)
        for v in values
    ]
    return monthly_values_apply(entries=entries, user=user, channel=channel)


def quota_problems(
    *, indicator: Indicator, org_unit: OrgUnit, year: int, target: Decimal | None, user
) -> list[Problem]:
    problems = []
    if user is not None and not is_bureau(user):  # None: a trusted system process
        problems.append(
            Problem("只有局业务科室可以设定或修改年度目标。", field="org_unit", kind=ProblemKind.PERMISSION)
        )
    elif user is not None and not can_write_figures(user, org_unit.pk):  # a unit outside the bureau's
        problems.append(
            Problem(
                f"您没有设定“{org_unit.name}”年度目标的权限。", field="org_unit", kind=ProblemKind.PERMISSION
            )
        )
    if not year_in_range(year):
        problems.append(Problem(year_out_of_range_message(year), field="year"))
    elif indicator.year != year:
        problems.append(
            Problem(
                f"“{indicator.name}”是{indicator.year}年指标体系中的指标,不能设定{year}年的目标。",
                field="year",
            )
        )
    elif not indicator.is_active:
        problems.append(
            Problem(f"“{indicator.name}”已从{year}年的指标体系中停用,不能设定目标。", field="indicator")
        )
    if target is None or target <= 0:
        problems.append(
            Problem(
                f"“{indicator.name}”的年度目标必须大于0(填写的是{target if target is None else shown(target)})。",
                field="target",
            )
        )
    elif indicator.is_ratio and target > 100:
        problems.append(
            Problem(f"“{indicator.name}”是比率,目标不能超过100%(填写的是{shown(target)})。", field="target")
        )
    elif _places(target) > VALUE_PLACES:
        problems.append(Problem(f"年度目标最多保留{VALUE_PLACES}位小数。", field="target"))
    elif target >= Decimal(10) ** (20 - VALUE_PLACES):
        problems.append(
            Problem(f"“{indicator.name}”的年度目标{shown(target)}超出可保存的范围。", field="target")
        )
    elif significant_digits(target) > SIGNIFICANT_DIGITS:
        problems.append(Problem(_too_many_digits(f"“{indicator.name}”的年度目标", target), field="target"))
    return problems


def _record_quota_change(*, quota: Quota, old, new, old_note: str, new_note: str, user, channel: str) -> None:
    actor, actor_name = actor_of(user)
    FigureChange.objects.create(
        subject=FigureChange.Subject.QUOTA,
        indicator=quota.indicator,
        org_unit=quota.org_unit,
        year=quota.year,
        old_value=old,
        new_value=new,
        old_remark=old_note,
        new_remark=new_note,
        changed_by=actor,
        changed_by_name=actor_name,
        channel=channel,
    )


def _log_quota_for_admin(quota: Quota, *, old, new, old_note: str, user, channel: str) -> None:
    """See ADMIN_LOGGED_DOORS. Written before a deletion, while the quota still has its id."""
    from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry

    actor = actor_of(user)[0]
    if channel not in ADMIN_LOGGED_DOORS or actor is None:
        return
    message = _change_message(ADMIN_LOGGED_DOORS[channel], "年度目标", old, new, old_note, quota.note)
    flag = ADDITION if old is None else DELETION if new is None else CHANGE
    LogEntry.objects.log_actions(actor.pk, [quota], flag, message, single_object=True)


@transaction.atomic
def quota_set(
    *, indicator: Indicator, org_unit: OrgUnit, year: int, target: Decimal, user, channel: str, note: str = ""
) -> Quota:
    """Set the annual target of an indicator at an org unit (bureau staff only)."""
    problems = quota_problems(indicator=indicator, org_unit=org_unit, year=year, target=target, user=user)
    if problems:
        raise refusal(problems)
    quota = (
        Quota.objects.select_for_update()
        .filter(indicator=indicator, org_unit=org_unit, year=year)
        .order_by()
        .first()
    )
    old, old_note = (quota.target, quota.note) if quota else (None, "")
    if old == target and old_note == note:
        return quota  # nothing changes: no save, no history, the last person to change it stays
    if quota is None:
        quota = Quota(indicator=indicator, org_unit=org_unit, year=year)
    quota.target, quota.note, quota.updated_by = target, note, actor_of(user)[0]
    quota.save()
    # A note-only change is history too; only a new target moves the completion figures.
    _record_quota_change(
        quota=quota, old=old, new=target, old_note=old_note, new_note=note, user=user, channel=channel
    )
    _log_quota_for_admin(quota, old=old, new=target, old_note=old_note, user=user, channel=channel)
    if old != target:
        figures_changed.send(sender=Quota, years={year}, indicators={indicator.pk}, org_units={org_unit.pk})
    return quota


@transaction.atomic
def quota_delete(*, quota: Quota, user, channel: str) -> None:
    if user is not None and not (is_bureau(user) and can_write_figures(user, quota.org_unit_id)):
        raise PermissionDeniedError("只有局业务科室可以删除年度目标。")
    _record_quota_change(
        quota=quota, old=quota.target, new=None, old_note=quota.note, new_note="", user=user, channel=channel
    )
    _log_quota_for_admin(quota, old=quota.target, new=None, old_note=quota.note, user=user, channel=channel)
    year, indicator_id, org_unit_id = quota.year, quota.indicator_id, quota.org_unit_id
    quota.delete()
    figures_changed.send(sender=Quota, years={year}, indicators={indicator_id}, org_units={org_unit_id})
