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
from common.db import insert_rows
from common.errors import PermissionDeniedError, PortalError, Problem, ProblemKind, refusal
from common.numbers import SIGNIFICANT_DIGITS, significant_digits
from common.years import year_in_range, year_out_of_range_message
from orgs.models import OrgUnit

from .models import EXPLANATION_MAX_CHARS, VALUE_PLACES, Channel, FigureChange, Indicator, MonthlyValue, Quota
from .rules import Finding, rule_findings
from .signals import figures_changed

# Rows written as tuples (common.db.insert_rows), in this order.
NEW_VALUE_FIELDS = (
    "indicator_id",
    "org_unit_id",
    "year",
    "month",
    "value",
    "remark",
    "explanation",
    "channel",
    "updated_at",
    "updated_by_id",
)
HISTORY_FIELDS = (
    "subject",
    "indicator_id",
    "org_unit_id",
    "year",
    "month",
    "old_value",
    "new_value",
    "old_remark",
    "new_remark",
    "explanation",
    "changed_at",
    "changed_by_id",
    "changed_by_name",
    "channel",
    "note",
    "submission_pk",
)

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
class ApplyResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    years: set[int] = field(default_factory=set)
    # What changed, for the recompute: the indicators, and the units whose own figures changed.
    indicator_ids: set[int] = field(default_factory=set)
    org_unit_ids: set[int] = field(default_factory=set)


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def shown(value: Decimal) -> str:
    """A number as a person would write it back: 12, not 12.000000 nor 1.2E+1."""
    return format(value.normalize(), "f")


def value_problems(entry: ValueEntry, today: date | None = None, channel: str | None = None) -> list[Problem]:
    """Rules about one figure on its own (no database state needed). Only the register feeds
    (channel REGISTER) may write an indicator that a register produces."""
    ind, value = entry.indicator, entry.value
    problems = []
    if ind.year != entry.year:
        problems.append(
            entry.problem(
                f"“{ind.name}”是{ind.year}年指标体系中的指标,不能填报{entry.year}年的数据。", "indicator"
            )
        )
    elif ind.is_register_fed and channel != Channel.REGISTER:
        problems.append(
            entry.problem(
                f"“{ind.name}”由“{ind.fed_by}”自动汇总,不能手工填报或修改;请在该台账中更正记录。",
                "indicator",
            )
        )
    elif ind.is_ratio:
        problems.append(
            entry.problem(f"“{ind.name}”是比率型指标,由分子、分母自动计算,不能直接填报。", "indicator")
        )
    elif not ind.is_active:
        problems.append(
            entry.problem(f"“{ind.name}”已从{ind.year}年的指标体系中停用,不能填报。", "indicator")
        )
    if not entry.org_unit.is_active:
        problems.append(entry.problem(f"“{entry.org_unit.name}”已停用,不能填报。", "org_unit"))
    if not 1 <= entry.month <= 12:
        problems.append(entry.problem(f"月份“{entry.month}”无效,须在1至12之间。", "month"))
    elif not year_in_range(entry.year):
        problems.append(entry.problem(year_out_of_range_message(entry.year), "year"))
    elif (entry.year, entry.month) > ((today := today or timezone.localdate()).year, today.month):
        problems.append(entry.problem(f"{entry.year}年{entry.month}月尚未到来,不能填报。", "month"))
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
    problems: list[Problem] = []
    seen: set[tuple] = set()
    allowed: dict[int, bool] = {}
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
        problems += value_problems(entry, today, channel)
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
    *, entries: list[ValueEntry], user, channel: str, note: str = "", submission_pk: int | None = None
) -> ApplyResult:
    """Write a batch of figures in one transaction, or nothing if anything is wrong.
    Records each change in the history (with the township report it came from, when an approval
    writes it: `submission_pk`) and queues the recompute of the years touched."""
    problems = monthly_values_check(entries=entries, user=user, channel=channel)
    if problems:
        raise refusal(problems)
    result = ApplyResult()
    try:
        with transaction.atomic():
            _defer_part_check()
            _write_values(
                entries, user=user, channel=channel, note=note, submission_pk=submission_pk, result=result
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


def _write_values(
    entries: list[ValueEntry],
    *,
    user,
    channel: str,
    note: str,
    submission_pk: int | None,
    result: ApplyResult,
) -> None:
    by_key = {e.key: e for e in entries}
    existing = {
        (mv.indicator_id, mv.org_unit_id, mv.year, mv.month): mv
        # order_by(): no Meta ordering, whose joins would make FOR UPDATE lock indicator and org rows too.
        for mv in MonthlyValue.objects.select_for_update()
        .order_by()
        .filter(
            indicator_id__in={k[0] for k in by_key},
            org_unit_id__in={k[1] for k in by_key},
            year__in={k[2] for k in by_key},
            month__in={k[3] for k in by_key},
        )
    }
    actor, actor_name = actor_of(user)
    actor_id = actor.pk if actor else None
    now = timezone.now()
    to_create, to_update, to_delete, history = [], [], [], []
    logged: list[tuple] | None = [] if channel in ADMIN_LOGGED_DOORS and actor else None
    for key, entry in by_key.items():
        current = existing.get(key)
        old, old_remark = (current.value, current.remark) if current else (None, "")
        new_remark = "" if entry.value is None else entry.remark
        explanation = "" if entry.value is None else entry.explanation.strip()
        old_explanation = current.explanation if current else ""
        if old == entry.value and old_remark == new_remark and old_explanation == explanation:
            result.unchanged += 1
            continue
        if entry.value is None:
            to_delete.append(current.pk)
        elif current is None:
            to_create.append(
                (
                    entry.indicator.pk,
                    entry.org_unit.pk,
                    entry.year,
                    entry.month,
                    entry.value,
                    entry.remark,
                    explanation,
                    channel,
                    now,
                    actor_id,
                )
            )
        else:
            current.value, current.remark, current.channel = entry.value, entry.remark, channel
            current.explanation = explanation
            current.updated_by, current.updated_at = actor, now
            to_update.append(current)
        result.years.add(entry.year)
        result.indicator_ids.add(key[0])
        result.org_unit_ids.add(key[1])
        # Every change is history, a remark-only one too (the value then reads the same on both sides).
        history.append(
            (
                FigureChange.Subject.VALUE,
                *key,
                old,
                entry.value,
                old_remark,
                new_remark,
                explanation,
                now,
                actor_id,
                actor_name,
                channel,
                note[:200],
                submission_pk,
            )
        )
        if logged is not None:
            logged.append((entry, current and current.pk, old, old_remark))
    MonthlyValue.objects.filter(pk__in=to_delete).delete()
    insert_rows(MonthlyValue, NEW_VALUE_FIELDS, to_create)
    MonthlyValue.objects.bulk_update(
        to_update, ["value", "remark", "explanation", "channel", "updated_by", "updated_at"], batch_size=2000
    )
    insert_rows(FigureChange, HISTORY_FIELDS, history)
    if logged:
        _log_values_for_admin(logged, user=actor, channel=channel)
    result.created, result.updated, result.deleted = len(to_create), len(to_update), len(to_delete)


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
