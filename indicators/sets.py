"""The yearly indicator sets (年度指标体系) and their validation rules, kept by bureau staff: the one write
path for them, whichever door (the admin, the API, a command, the demo) the change comes through.

- A year's set is its own rows (Indicator.year): "copy last year's set" starts a new year, then the
  bureau adds, renames, changes and retires indicators of that year only. 2024's pages and templates keep
  2024's rows whatever 2027's set becomes.
- The code is an indicator's identity across years and never changes; a renamed indicator keeps it
  (and so its history), a retired one stays in its past years' sets.
- Retiring an indicator that already has figures in the year asks for confirmation and never deletes
  them; only an indicator with nothing hanging off it may be deleted from a year.
- Every change is recorded in SetChange (who, when, which field, old and new, the door)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from accounts.permissions import actor_of, is_portal_bureau
from common.errors import PermissionDeniedError, PortalError, Problem, refusal
from common.years import year_in_range, year_out_of_range_message

from .feeds import fed_indicators
from .models import Area, Channel, FigureChange, Indicator, MonthlyValue, Quota, SetChange, ValidationRule
from .rules import builtin_rules_seed
from .signals import figures_changed

CODE_PATTERN = re.compile(r"^(employment|social_insurance|talent|labor_relations)\.[a-z][a-z0-9_]{1,50}$")
# What the bureau may change of a year's indicator (the code and the year never change).
EDITABLE = (
    "name",
    "area",
    "unit",
    "kind",
    "direction",
    "source",
    "value_places",
    "rate_places",
    "parent",
    "numerator",
    "denominator",
    "sort_order",
    "description",
)
# Changes that alter what the figures mean to the engine: the year is recomputed after them.
RECOMPUTED = {"kind", "direction", "parent", "numerator", "denominator", "is_active"}


def _require_bureau(user) -> None:
    # The year's set is the whole portal's: kept by the bureau of its own unit (the top of the tree).
    if user is not None and not is_portal_bureau(user):
        raise PermissionDeniedError("只有局业务科室可以维护年度指标体系和校验规则。")


def _record(*, user, channel: str, year: int, subject: str, action: str, obj=None, **fields) -> SetChange:
    actor, actor_name = actor_of(user)
    return SetChange.objects.create(
        year=year,
        subject=subject,
        action=action,
        object_id=getattr(obj, "pk", None),
        code=getattr(obj, "code", "") if subject == SetChange.Subject.INDICATOR else "",
        object_repr=str(obj)[:200] if obj is not None else f"{year}年指标体系",
        changed_by=actor,
        changed_by_name=actor_name,
        channel=channel,
        **fields,
    )


# ----------------------------------------------------------------------------- copying a year


@dataclass
class CopyResult:
    indicators: int = 0
    rules: int = 0
    left_out: list[str] = field(default_factory=list)  # codes not copied (retired, or missing a part)


@transaction.atomic
def indicator_set_copy(*, from_year: int, to_year: int, user, channel: str) -> CopyResult:
    """Start `to_year` as a copy of `from_year`'s indicators in use (names, units, kinds, parts, ratios,
    order, who supplies them) and its validation rules. Quotas are not copied: the province hands down
    new ones, and they hang off the new year's set. Refused if `to_year` has a set already."""
    _require_bureau(user)
    if not year_in_range(to_year):
        raise PortalError(year_out_of_range_message(to_year), field="year")
    if Indicator.objects.filter(year=to_year).exists():
        raise PortalError(
            f"{to_year}年已有指标体系,不能再复制;请在该年度的指标体系中逐项修改。", field="year"
        )
    source = list(Indicator.objects.filter(year=from_year, is_active=True).order_by("sort_order", "code"))
    if not source:
        raise PortalError(f"{from_year}年没有在用的指标,无法复制。", field="year")
    result = CopyResult()
    fed = fed_indicators()
    copies = _copy_indicators(source, to_year, fed, result)
    result.rules = _copy_rules(from_year, to_year, copies)
    builtin_rules_seed(year=to_year)
    _record(
        user=user,
        channel=channel,
        year=to_year,
        subject=SetChange.Subject.SET,
        action=SetChange.Action.COPY,
        note=f"由{from_year}年复制:{result.indicators}项指标,{result.rules}条校验规则"[:200],
        new_value="、".join(result.left_out) and f"未复制:{'、'.join(result.left_out)}",
    )
    return result


def _copy_indicators(
    source: list[Indicator], year: int, fed: dict, result: CopyResult
) -> dict[int, Indicator]:
    """The copies by the id of what they copy, written in three statements (ratios after what they
    divide, "其中" wholes set last). A ratio whose numerator or denominator was retired is left out."""
    by_id = {i.pk: i for i in source}
    copies: dict[int, Indicator] = {}
    for ind in source:
        if ind.is_ratio and not (ind.numerator_id in by_id and ind.denominator_id in by_id):
            result.left_out.append(ind.code)
            continue
        copy = Indicator(
            **{
                f: getattr(ind, f)
                for f in (*EDITABLE, "code", "fed_by", "is_active")
                if f not in ("parent", "numerator", "denominator")
            }
        )
        copy.year = year
        if copy.source == Indicator.Source.REGISTER and ind.code not in fed:
            copy.source, copy.fed_by = Indicator.Source.BUREAU, ""
        copies[ind.pk] = copy
    counted = [c for pk, c in copies.items() if not by_id[pk].is_ratio]
    Indicator.objects.bulk_create(counted)
    ratios = [(by_id[pk], c) for pk, c in copies.items() if by_id[pk].is_ratio]
    for old, copy in ratios:
        copy.numerator, copy.denominator = copies[old.numerator_id], copies[old.denominator_id]
    Indicator.objects.bulk_create([c for _, c in ratios])
    parts = []
    for pk, copy in copies.items():
        parent = by_id[pk].parent_id
        if parent is not None:
            copy.parent = copies.get(parent)
            parts.append(copy)
    Indicator.objects.bulk_update(parts, ["parent"])
    result.indicators = len(copies)
    return copies


def _copy_rules(from_year: int, to_year: int, copies: dict[int, Indicator]) -> int:
    """The year's rules, each pointing at the new year's copies; a rule about an indicator that was not
    copied goes too."""
    rules = []
    for rule in ValidationRule.objects.filter(year=from_year).order_by("sort_order", "id"):
        if (rule.indicator_id and rule.indicator_id not in copies) or (
            rule.right_indicator_id and rule.right_indicator_id not in copies
        ):
            continue
        rule.pk, rule.year = None, to_year
        rule.indicator = copies.get(rule.indicator_id) if rule.indicator_id else None
        rule.right_indicator = copies.get(rule.right_indicator_id) if rule.right_indicator_id else None
        rules.append(rule)
    ValidationRule.objects.bulk_create(rules)
    return len(rules)


# ----------------------------------------------------------------------------- one indicator


def _figures_of(indicator: Indicator) -> int:
    """How many monthly values and quotas the indicator has in its year."""
    return (
        MonthlyValue.objects.filter(indicator=indicator).count()
        + Quota.objects.filter(indicator=indicator).count()
    )


def indicator_problems(indicator: Indicator, *, adding: bool) -> list[Problem]:
    """Every problem with an indicator of a year's set as it would be saved: the model's own checks (in
    Chinese), a code the bureau can keep, references within the same year, who supplies it."""
    problems = []
    if adding and not CODE_PATTERN.match(indicator.code or ""):
        problems.append(
            Problem(
                "指标代码须为“业务领域.英文小写名称”,如 employment.gig_station_services"
                "(业务领域为 employment、social_insurance、talent、labor_relations 之一;"
                "名称用小写字母、数字和下划线,以字母开头)。",
                field="code",
            )
        )
    elif adding and not indicator.code.startswith(f"{indicator.area}."):
        problems.append(
            Problem(
                f"指标代码须以所属业务领域“{indicator.area}.”开头(所选领域:{Area(indicator.area).label})。",
                field="code",
            )
        )
    if adding and Indicator.objects.filter(year=indicator.year, code=indicator.code).exists():
        problems.append(
            Problem(f"{indicator.year}年的指标体系中已有代码为“{indicator.code}”的指标。", field="code")
        )
    if adding:
        earlier = (
            Indicator.objects.filter(code=indicator.code)
            .exclude(year=indicator.year)
            .order_by("-year")
            .first()
        )
        if earlier and earlier.kind != indicator.kind:
            problems.append(
                Problem(
                    f"代码“{indicator.code}”在{earlier.year}年是{earlier.get_kind_display()}指标“{earlier.name}”,"
                    "同一代码跨年度须是同一指标;新指标请另起代码。",
                    field="code",
                )
            )
    problems += _reference_problems(indicator)
    problems += _source_problems(indicator)
    try:
        indicator.full_clean(exclude=["code"] if not adding else None, validate_unique=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            problems += [Problem(m, field=None if name == "__all__" else name) for m in messages]
    return problems


def _reference_problems(indicator: Indicator) -> list[Problem]:
    problems = []
    for name, label in (("parent", "“其中”所属指标"), ("numerator", "分子指标"), ("denominator", "分母指标")):
        other = getattr(indicator, name)
        if other is None:
            continue
        if other.year != indicator.year:
            problems.append(
                Problem(f"{label}“{other.name}”是{other.year}年的指标,须选本年度的指标。", field=name)
            )
        elif other.pk == indicator.pk:
            problems.append(Problem(f"{label}不能是指标自己。", field=name))
        elif name == "parent" and other.parent_id is not None:
            problems.append(Problem(f"“{other.name}”本身是“其中”项,不能再作为上一级指标。", field=name))
        elif name == "parent" and (other.kind != indicator.kind or other.unit != indicator.unit):
            problems.append(
                Problem(
                    f"“其中”项须与所属指标“{other.name}”的类型和计量单位相同({other.get_kind_display()},{other.unit})。",
                    field=name,
                )
            )
        elif name != "parent" and other.is_ratio:
            problems.append(Problem(f"{label}“{other.name}”本身是比率,不能再作分子或分母。", field=name))
    return problems


def _source_problems(indicator: Indicator) -> list[Problem]:
    fed = fed_indicators()
    if indicator.is_ratio:
        indicator.source, indicator.fed_by = Indicator.Source.COMPUTED, ""
        return []
    if indicator.source == Indicator.Source.COMPUTED:
        return [
            Problem(
                "只有比率型指标由分子、分母计算;请选择由区镇街道填报、局业务科室录入或业务台账汇总。",
                field="source",
            )
        ]
    if indicator.source == Indicator.Source.REGISTER:
        if indicator.code not in fed:
            return [
                Problem(
                    f"没有业务台账汇总“{indicator.code}”:台账汇总的指标由系统按台账记录计算,须由开发人员声明。"
                    "请选择由区镇街道填报或局业务科室录入。",
                    field="source",
                )
            ]
        indicator.fed_by = fed[indicator.code]
    else:
        indicator.fed_by = ""
    return []


@transaction.atomic
def indicator_add(*, indicator: Indicator, user, channel: str) -> Indicator:
    """Add an indicator to a year's set (unsaved `indicator`, its year set)."""
    _require_bureau(user)
    problems = indicator_problems(indicator, adding=True)
    if problems:
        raise refusal(problems)
    indicator.save()
    _record(user=user, channel=channel, year=indicator.year, subject=SetChange.Subject.INDICATOR,
            action=SetChange.Action.ADD, obj=indicator, new_value=_summary(indicator))  # fmt: skip
    return indicator


def _summary(indicator: Indicator) -> str:
    return (
        f"{indicator.name};{indicator.get_area_display()};{indicator.unit};{indicator.get_kind_display()};"
        f"{indicator.get_direction_display()};{indicator.get_source_display()}"
    )


def _shown(indicator: Indicator, name: str) -> str:
    value = getattr(indicator, name)
    if isinstance(value, Indicator):
        return value.name
    display = getattr(indicator, f"get_{name}_display", None)
    return str(display() if display else ("" if value is None else value))


@transaction.atomic
def indicator_update(*, indicator: Indicator, changes: dict, user, channel: str) -> Indicator:
    """Change fields of one year's indicator (never its code or year). Each changed field is recorded;
    a change the engine reads (kind, direction, parts, ratio) recomputes the year."""
    _require_bureau(user)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise PortalError(f"不能修改:{'、'.join(sorted(unknown))}(指标代码和年度建立后不能修改)。")
    stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = {name: _shown(stored, name) for name in changes}
    for name, value in changes.items():
        setattr(stored, name, value)
    if stored.kind != Indicator.Kind.RATIO:
        stored.numerator = stored.denominator = None
    problems = indicator_problems(stored, adding=False)
    if (
        "kind" in changes
        and _figures_of(stored)
        and changes["kind"] != Indicator.objects.get(pk=stored.pk).kind
    ):
        problems.append(
            Problem(f"“{stored.name}”在{stored.year}年已有数据,不能改变指标类型;请新建指标。", field="kind")
        )
    if problems:
        raise refusal(problems)
    stored.save()
    changed = [name for name in changes if _shown(stored, name) != before[name]]
    for name in changed:
        _record(user=user, channel=channel, year=stored.year, subject=SetChange.Subject.INDICATOR,
                action=SetChange.Action.CHANGE, obj=stored, field=str(Indicator._meta.get_field(name).verbose_name),
                old_value=before[name], new_value=_shown(stored, name))  # fmt: skip
    if RECOMPUTED & set(changed):
        figures_changed.send(sender=Indicator, years={stored.year})
    return stored


@transaction.atomic
def indicator_retire(*, indicator: Indicator, user, channel: str, confirmed: bool = False) -> Indicator:
    """Take an indicator out of its year's set: it leaves the year's templates, pages and quota split;
    its figures stay (and come back if it is restored). With figures, only when `confirmed`."""
    _require_bureau(user)
    stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if not stored.is_active:
        return stored
    figures = _figures_of(stored)
    if figures and not confirmed:
        raise PortalError(
            f"“{stored.name}”在{stored.year}年已有{figures}条数据(月度数据和目标)。停用后数据保留但不再显示和计算;"
            "请确认后再停用。",
            field="confirmed",
        )
    in_use = Indicator.objects.filter(
        Q(parent=stored) | Q(numerator=stored) | Q(denominator=stored), is_active=True
    )
    if in_use.exists():
        names = "、".join(i.name for i in in_use)
        raise PortalError(f"“{stored.name}”是在用指标{names}的组成部分,请先停用或修改这些指标。")
    stored.is_active = False
    stored.save(update_fields=["is_active"])
    _record(user=user, channel=channel, year=stored.year, subject=SetChange.Subject.INDICATOR,
            action=SetChange.Action.RETIRE, obj=stored, note=f"已有数据{figures}条,保留" if figures else "")  # fmt: skip
    figures_changed.send(sender=Indicator, years={stored.year})
    return stored


@transaction.atomic
def indicator_restore(*, indicator: Indicator, user, channel: str) -> Indicator:
    _require_bureau(user)
    stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if stored.is_active:
        return stored
    for ref in (stored.parent, stored.numerator, stored.denominator):
        if ref is not None and not ref.is_active:
            raise PortalError(f"“{stored.name}”所依赖的“{ref.name}”已停用,请先恢复它。")
    stored.is_active = True
    stored.save(update_fields=["is_active"])
    _record(user=user, channel=channel, year=stored.year, subject=SetChange.Subject.INDICATOR,
            action=SetChange.Action.RESTORE, obj=stored)  # fmt: skip
    figures_changed.send(sender=Indicator, years={stored.year})
    return stored


@transaction.atomic
def indicator_delete(*, indicator: Indicator, user, channel: str) -> None:
    """Delete an indicator added by mistake: only one with no figures, quotas, history or rules in its
    year (anything else is retired, never deleted)."""
    _require_bureau(user)
    blockers = _figures_of(indicator) + FigureChange.objects.filter(indicator=indicator).count()
    if (
        blockers
        or Indicator.objects.filter(
            Q(parent=indicator) | Q(numerator=indicator) | Q(denominator=indicator)
        ).exists()
    ):
        raise PortalError(f"“{indicator.name}”已有数据、修改记录或被其他指标引用,不能删除;如不再使用请停用。")
    ValidationRule.objects.filter(Q(indicator=indicator) | Q(right_indicator=indicator)).delete()
    _record(user=user, channel=channel, year=indicator.year, subject=SetChange.Subject.INDICATOR,
            action=SetChange.Action.DELETE, obj=indicator, old_value=_summary(indicator))  # fmt: skip
    indicator.delete()


# ----------------------------------------------------------------------------- validation rules

RULE_FIELDS = (
    "name",
    "severity",
    "kind",
    "indicator",
    "unit",
    "basis",
    "operator",
    "bound",
    "right_indicator",
    "constant",
    "factor",
    "against",
    "threshold",
    "scope",
    "advice",
    "is_active",
    "sort_order",
)


def rule_problems(rule: ValidationRule) -> list[Problem]:
    """What a rule must say to be judged: each kind its own parts, indicators of the rule's year."""
    Rule = ValidationRule
    problems = []
    need = {
        Rule.Kind.BOUND: [("bound", "请选择比较对象。")],
        Rule.Kind.COMPARE: [("right_indicator", "请选择与之比较的指标。")],
        Rule.Kind.CHANGE: [
            ("against", "请选择对比期(上月或去年同月)。"),
            ("threshold", "请填写阈值(相差几倍)。"),
        ],
        Rule.Kind.OUTLIER: [("threshold", "请填写阈值(修正Z分数上限,常用3.5)。")],
    }[rule.kind]
    for name, message in need:
        if getattr(rule, name) in (None, ""):
            problems.append(Problem(message, field=name))
    if rule.kind == Rule.Kind.BOUND and rule.bound == Rule.Bound.CONSTANT and rule.constant is None:
        problems.append(Problem("比较对象为固定数值时,请填写固定数值。", field="constant"))
    if rule.kind == Rule.Kind.BOUND and rule.bound == Rule.Bound.INDICATOR and rule.right_indicator is None:
        problems.append(Problem("比较对象为另一指标时,请选择比较指标。", field="right_indicator"))
    if rule.threshold is not None and rule.threshold <= 0:
        problems.append(Problem("阈值必须大于0。", field="threshold"))
    if rule.kind == Rule.Kind.CHANGE and rule.threshold is not None and rule.threshold <= 1:
        problems.append(Problem("变动幅度的阈值是倍数,须大于1(如3表示相差超过3倍)。", field="threshold"))
    for name in ("indicator", "right_indicator"):
        other = getattr(rule, name)
        if other is not None and other.year != rule.year:
            problems.append(
                Problem(f"“{other.name}”是{other.year}年的指标,规则须选本年度的指标。", field=name)
            )
    try:
        rule.full_clean(validate_unique=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            problems += [Problem(m, field=None if name == "__all__" else name) for m in messages]
    return problems


@transaction.atomic
def rule_save(*, rule: ValidationRule, user, channel: str) -> ValidationRule:
    """Add or change a year's validation rule; each changed field is recorded."""
    _require_bureau(user)
    problems = rule_problems(rule)
    if problems:
        raise refusal(problems)
    before = ValidationRule.objects.filter(pk=rule.pk).first() if rule.pk else None
    rule.save()
    if before is None:
        _record(user=user, channel=channel, year=rule.year, subject=SetChange.Subject.RULE,
                action=SetChange.Action.ADD, obj=rule, new_value=_rule_text(rule))  # fmt: skip
        return rule
    for name in RULE_FIELDS:
        old, new = _shown_rule(before, name), _shown_rule(rule, name)
        if old != new:
            _record(user=user, channel=channel, year=rule.year, subject=SetChange.Subject.RULE,
                    action=SetChange.Action.CHANGE, obj=rule, field=str(ValidationRule._meta.get_field(name).verbose_name),
                    old_value=old, new_value=new)  # fmt: skip
    return rule


@transaction.atomic
def rule_delete(*, rule: ValidationRule, user, channel: str) -> None:
    _require_bureau(user)
    if rule.builtin:
        raise PortalError("内置规则不能删除,如不需要请停用。")
    _record(user=user, channel=channel, year=rule.year, subject=SetChange.Subject.RULE,
            action=SetChange.Action.DELETE, obj=rule, old_value=_rule_text(rule))  # fmt: skip
    rule.delete()


def _rule_text(rule: ValidationRule) -> str:
    from .rules import rule_describe

    return f"{rule.get_severity_display()}:{rule_describe(rule)}"


def _shown_rule(rule: ValidationRule, name: str) -> str:
    value = getattr(rule, name)
    if isinstance(value, Indicator):
        return value.name
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    display = getattr(rule, f"get_{name}_display", None)
    if display and value not in (None, ""):
        return str(display())
    return "" if value is None else str(value)


def channel_label(channel: str) -> str:
    return Channel(channel).label
