"""The validation rules of a year's indicator set (ValidationRule), and the one place they are judged.
Every door — the township upload's preview and its approval, the month sheet, the admin, the API, the
register recounts — hands its figures to `rule_findings` (through indicators.services), so a figure is
refused, asked about or noted in the same words wherever it arrives.

Severities (the national statistics system's audit classes):
- 强制 (mandatory): refused, whatever is said about it;
- 核实 (verify): accepted only with a written explanation (EXPLANATION_MIN_CHARS or more), which stays
  with the figure, is shown to the reviewer and kept in its history. A register recount has no one to
  write it, so there a 核实 finding is told like a 提示 (the records themselves are the explanation);
- 提示 (note): told, never in the way.

What the rules read beyond the batch is read once per batch, whatever its size: the rules of its years
(1 query), the resident population (1), the units' own figures of the indicators concerned over the
window the rules look back on (1), and last year's city totals (1)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q

from common.errors import Problem, ProblemKind
from common.numbers import format_figure

from .models import (
    EXPLANATION_LABEL,
    EXPLANATION_MIN_CHARS,
    Indicator,
    MonthlyValue,
    Severity,
    ValidationRule,
)

Rule = ValidationRule
PEOPLE = "人"
# DHIS2's outlier detection: modified z-score = 0.6745 × (x − median) ÷ MAD, flagged above 3.5.
MAD_FACTOR = Decimal("0.6745")
OUTLIER_HISTORY_MONTHS = 36
OUTLIER_MIN_POINTS = 6


@dataclass(frozen=True)
class BuiltIn:
    key: str
    fields: dict


# Every year's set starts with these; the bureau may change their severity or switch them off, and a
# copied year keeps them (by key).
BUILT_IN = (
    BuiltIn(
        "people_within_population",
        dict(
            name="人数不能超过全市常住人口",
            severity=Severity.MANDATORY,
            kind=Rule.Kind.BOUND,
            unit=PEOPLE,
            operator=Rule.Operator.LE,
            bound=Rule.Bound.POPULATION,
            scope=Rule.Scope.ALL,
            advice="请检查是否多填了位数或填错了单位(如把“万人”填成了“人”)。",
        ),
    ),
    BuiltIn(
        "township_within_city_last_year",
        dict(
            name="单个区镇街道不超过全市上年全年数",
            severity=Severity.VERIFY,
            kind=Rule.Kind.BOUND,
            operator=Rule.Operator.LE,
            bound=Rule.Bound.CITY_LAST_YEAR,
            scope=Rule.Scope.TOWNSHIPS,
            advice="一个区镇街道一个月的数超过了全市去年全年,请核实。",
        ),
    ),
    BuiltIn(
        "change_against_last_year",
        dict(
            name="与去年同月相差超过3倍",
            severity=Severity.NOTE,
            kind=Rule.Kind.CHANGE,
            against=Rule.Against.SAME_MONTH_LAST_YEAR,
            threshold=Decimal(3),
            scope=Rule.Scope.ALL,
        ),
    ),
    BuiltIn(
        "outlier_own_history",
        dict(
            name="与本单位历史数据相比异常",
            severity=Severity.NOTE,
            kind=Rule.Kind.OUTLIER,
            threshold=Decimal("3.5"),
            scope=Rule.Scope.ALL,
        ),
    ),
)


def builtin_rules_seed(*, year: int) -> None:
    """Give a year the built-in rules it does not have yet."""
    have = set(Rule.objects.filter(year=year).exclude(builtin="").values_list("builtin", flat=True))
    Rule.objects.bulk_create(
        Rule(year=year, builtin=b.key, sort_order=(i + 1) * 10, **b.fields)
        for i, b in enumerate(BUILT_IN)
        if b.key not in have
    )


# ----------------------------------------------------------------------------- findings


@dataclass(frozen=True)
class Finding:
    """A rule a figure breaks."""

    entry: object  # indicators.services.ValueEntry
    rule_id: int
    severity: str
    message: str  # the same words at every door

    @property
    def needs_explanation(self) -> bool:
        return self.severity == Severity.VERIFY and not explained(getattr(self.entry, "explanation", ""))

    @property
    def severity_label(self) -> str:
        return Severity(self.severity).label

    def problem(self) -> Problem:
        """As a refusal: a 强制 finding, or a 核实 one nobody explained."""
        if self.severity == Severity.MANDATORY:
            return self.entry.problem(f"{self.message}不能保存。", "value")
        return self.entry.problem(
            f"{self.message}如确实无误,请填写{EXPLANATION_LABEL}(至少{EXPLANATION_MIN_CHARS}个字)。",
            "explanation",
            kind=ProblemKind.EXPLAIN,
        )

    def notice(self) -> Problem:
        """As something to read: a 提示, or a 核实 finding with its explanation."""
        told = getattr(self.entry, "explanation", "")
        tail = f"{EXPLANATION_LABEL}:{told}" if told and self.severity == Severity.VERIFY else ""
        return self.entry.problem(f"【{self.severity_label}】{self.message}{tail}", "value")


def explained(text: str | None) -> bool:
    """An explanation counts when it says something: EXPLANATION_MIN_CHARS characters, spaces aside."""
    return len("".join((text or "").split())) >= EXPLANATION_MIN_CHARS


def rule_findings(entries: list) -> list[Finding]:
    """Every rule of the entries' years that a reported figure breaks. Removals (value None) break none,
    nor does a figure sent again as it is stored (it was judged when it was written: a township sending
    its whole month again is asked only about what it changed)."""
    reported = [e for e in entries if e.value is not None]
    if not reported:
        return []
    rules = list(
        Rule.objects.filter(year__in={e.year for e in reported}, is_active=True)
        .select_related("indicator", "right_indicator")
        .order_by("year", "sort_order", "id")
    )
    if not rules:
        return []
    context = _Context(reported, rules)
    judged = [e for e in reported if context.stored(e) != e.value]
    findings = []
    for rule in rules:
        for entry in judged:
            if _applies(rule, entry):
                message = _judge(rule, entry, context)
                if message:
                    findings.append(Finding(entry, rule.pk, rule.severity, message + _advice(rule)))
    return findings


def _applies(rule: Rule, entry) -> bool:
    ind = entry.indicator
    if rule.year != entry.year or ind.is_ratio:
        return False
    if rule.scope == Rule.Scope.TOWNSHIPS and entry.org_unit.level != "township":
        return False
    if rule.indicator_id is not None:
        return rule.indicator_id == ind.pk
    return not rule.unit or rule.unit == ind.unit


def _advice(rule: Rule) -> str:
    return rule.advice if rule.advice else ""


# ----------------------------------------------------------------------------- what the rules read


Cell = tuple[str, int, int, int]  # (indicator code, org unit id, year, month)


class _Context:
    """What the batch's rules need beyond the batch, read once: the units' own figures over the window
    the rules look back on (the batch's figures laid over them), the resident population, last year's
    city totals."""

    def __init__(self, entries: list, rules: list[Rule]):
        self.entries = entries
        self.rules = rules
        self._figures: dict[Cell, Decimal] | None = None
        self._population: Decimal | None = None
        self._city_last_year: dict[tuple[str, int], Decimal | None] | None = None
        self.kinds = {e.indicator.code: e.indicator.kind for e in entries}

    # -- the units' figures, by indicator code (a code is the same indicator in every year)
    def figures(self) -> dict[Cell, Decimal]:
        if self._figures is None:
            self._stored = self._read_figures()
            self._figures = dict(self._stored)
            for e in self.entries:  # the batch as it would stand after the write
                self._figures[(e.indicator.code, e.org_unit.pk, e.year, e.month)] = e.value
        return self._figures

    def stored(self, entry) -> Decimal | None:
        """The figure stored now for the entry's cell."""
        self.figures()
        return self._stored.get((entry.indicator.code, entry.org_unit.pk, entry.year, entry.month))

    def _read_figures(self) -> dict[Cell, Decimal]:
        codes = {e.indicator.code for e in self.entries}
        codes |= {r.right_indicator.code for r in self.rules if r.right_indicator_id}
        first = min(e.year for e in self.entries) - OUTLIER_HISTORY_MONTHS // 12 - 1
        rows = MonthlyValue.objects.filter(
            indicator__code__in=codes,
            org_unit_id__in={e.org_unit.pk for e in self.entries},
            year__gte=first,
            year__lte=max(e.year for e in self.entries),
        ).values_list("indicator__code", "org_unit_id", "year", "month", "value")
        return {(code, org, y, m): v for code, org, y, m, v in rows}

    def figure(self, code: str, org: int, year: int, month: int, basis: str) -> Decimal | None:
        """A unit's figure of one month, or (basis ytd) from January to that month: a flow's sum, a
        stock's latest level."""
        figures = self.figures()
        if basis != Rule.Basis.YEAR_TO_DATE:
            return figures.get((code, org, year, month))
        months = [figures.get((code, org, year, m)) for m in range(1, month + 1)]
        known = [v for v in months if v is not None]
        if not known:
            return None
        if self.kinds.get(code) == Indicator.Kind.STOCK:
            return next(v for v in reversed(months) if v is not None)
        return sum(known, Decimal(0))

    def history(self, code: str, org: int, year: int, month: int) -> list[Decimal]:
        """The unit's own figures of the OUTLIER_HISTORY_MONTHS months before this one."""
        figures, out = self.figures(), []
        index = year * 12 + month - 1
        for back in range(1, OUTLIER_HISTORY_MONTHS + 1):
            y, m = divmod(index - back, 12)
            value = figures.get((code, org, y, m + 1))
            if value is not None:
                out.append(value)
        return out

    def population(self) -> Decimal:
        if self._population is None:
            latest = (
                MonthlyValue.objects.filter(
                    indicator__code=settings.RESIDENT_POPULATION_INDICATOR, org_unit__parent__isnull=True
                )
                .order_by("-year", "-month")
                .values_list("value", flat=True)
                .first()
            )
            fallback = Decimal(settings.RESIDENT_POPULATION_FALLBACK)
            self._population = latest if latest and latest > 0 else fallback
        return self._population

    def city_last_year(self, code: str, year: int) -> Decimal | None:
        """The whole city's figure of the year before (every unit's: flows summed over the year, stock
        levels at each unit's last report of the year)."""
        if self._city_last_year is None:
            self._city_last_year = self._read_city_last_year()
        return self._city_last_year.get((code, year - 1))

    def _read_city_last_year(self) -> dict[tuple[str, int], Decimal | None]:
        """Only a year reported in every month has a whole total: a year the portal began in November
        would make every township's January look too big."""
        wanted = {(e.indicator.code, e.year - 1) for e in self.entries}
        q = Q()
        for code, year in wanted:
            q |= Q(indicator__code=code, year=year)
        rows = MonthlyValue.objects.filter(q).values_list(
            "indicator__code", "indicator__kind", "org_unit_id", "year", "month", "value"
        )
        totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
        months: dict[tuple[str, int], set[int]] = defaultdict(set)
        levels: dict[tuple[str, int, int], tuple[int, Decimal]] = {}
        for code, kind, org, year, month, value in rows:
            months[(code, year)].add(month)
            if kind == Indicator.Kind.STOCK:
                if (code, year, org) not in levels or levels[(code, year, org)][0] < month:
                    levels[(code, year, org)] = (month, value)
            else:
                totals[(code, year)] += value
        for (code, year, _org), (_month, value) in levels.items():
            totals[(code, year)] += value
        return {key: total for key, total in totals.items() if len(months[key]) == 12}


# ----------------------------------------------------------------------------- judging one figure

_OPS = {
    Rule.Operator.LE: (lambda a, b: a <= b, "超过"),
    Rule.Operator.LT: (lambda a, b: a < b, "达到或超过"),
    Rule.Operator.GE: (lambda a, b: a >= b, "低于"),
    Rule.Operator.GT: (lambda a, b: a > b, "未超过"),
}


def _shown(value: Decimal, indicator: Indicator) -> str:
    return format_figure(value, indicator.value_places) + indicator.unit


def _left(rule: Rule, entry, context: _Context) -> tuple[Decimal | None, str]:
    """The figure the rule judges and how to name it ("填报…", "1-3月累计…")."""
    if rule.basis == Rule.Basis.YEAR_TO_DATE and entry.indicator.kind == Indicator.Kind.FLOW:
        value = context.figure(entry.indicator.code, entry.org_unit.pk, entry.year, entry.month, rule.basis)
        return value, f"{entry.year}年1-{entry.month}月累计"
    return entry.value, "填报"


def _judge(rule: Rule, entry, context: _Context) -> str | None:
    judge = {
        Rule.Kind.BOUND: _judge_bound,
        Rule.Kind.COMPARE: _judge_bound,
        Rule.Kind.CHANGE: _judge_change,
        Rule.Kind.OUTLIER: _judge_outlier,
    }[rule.kind]
    return judge(rule, entry, context)


def _right(rule: Rule, entry, context: _Context) -> tuple[Decimal | None, str]:
    """The other side of a bound or a comparison, before the factor, and its name."""
    code, org = entry.indicator.code, entry.org_unit.pk
    if rule.kind == Rule.Kind.COMPARE or rule.bound == Rule.Bound.INDICATOR:
        other = rule.right_indicator
        if other is None:
            return None, ""
        value = context.figure(other.code, org, entry.year, entry.month, rule.basis)
        return value, f"“{other.name}”"
    if rule.bound == Rule.Bound.CONSTANT:
        return rule.constant, "规定的界限"
    if rule.bound == Rule.Bound.POPULATION:
        return context.population(), "全市常住人口"
    if rule.bound == Rule.Bound.CITY_LAST_YEAR:
        return context.city_last_year(code, entry.year), f"全市{entry.year - 1}年全年数"
    return None, ""


def _judge_bound(rule: Rule, entry, context: _Context) -> str | None:
    left, left_label = _left(rule, entry, context)
    right, right_label = _right(rule, entry, context)
    if left is None or right is None:
        return None
    limit = right * rule.factor
    holds, verb = _OPS[rule.operator]
    if holds(left, limit):
        return None
    times = "" if rule.factor == 1 else f"的{rule.factor.normalize():f}倍"
    return (
        f"“{entry.indicator.name}”{left_label}{_shown(left, entry.indicator)},"
        f"{verb}{right_label}{times}({_shown(limit, entry.indicator)})。"
    )


def _judge_change(rule: Rule, entry, context: _Context) -> str | None:
    code, org, year, month = entry.indicator.code, entry.org_unit.pk, entry.year, entry.month
    if rule.against == Rule.Against.LAST_MONTH:
        (y, m), label = ((year - 1, 12) if month == 1 else (year, month - 1)), "上月"
    else:
        (y, m), label = (year - 1, month), "去年同月"
    before = context.figures().get((code, org, y, m))
    factor = rule.threshold or Decimal(3)
    if not before or before <= 0:
        return None
    value = entry.value
    if value <= before * factor and value * factor >= before:
        return None
    return (
        f"“{entry.indicator.name}”填报{_shown(value, entry.indicator)},{label}为"
        f"{_shown(before, entry.indicator)},相差超过{factor.normalize():f}倍。"
    )


def _judge_outlier(rule: Rule, entry, context: _Context) -> str | None:
    history = context.history(entry.indicator.code, entry.org_unit.pk, entry.year, entry.month)
    if len(history) < OUTLIER_MIN_POINTS:
        return None
    median = statistics.median(history)
    mad = statistics.median(abs(v - median) for v in history)
    if mad == 0:
        return None
    score = MAD_FACTOR * (entry.value - median) / mad
    limit = rule.threshold or Decimal("3.5")
    if abs(score) <= limit:
        return None
    return (
        f"“{entry.indicator.name}”填报{_shown(entry.value, entry.indicator)},与本单位前"
        f"{len(history)}个月的数据(中位数{_shown(median, entry.indicator)})相比明显异常"
        f"(修正Z分数{score.quantize(Decimal('0.1'))},超过{limit.normalize():f})。"
    )


def rule_describe(rule: Rule) -> str:
    """A rule in one line, for the admin and the API: “人”计的指标 ≤ 全市常住人口."""
    subject = (
        f"“{rule.indicator.name}”"
        if rule.indicator_id
        else (f"以“{rule.unit}”计的指标" if rule.unit else "全部指标")
    )
    if rule.kind in (Rule.Kind.BOUND, Rule.Kind.COMPARE):
        other = {
            Rule.Bound.CONSTANT: f"{rule.constant}",
            Rule.Bound.POPULATION: "全市常住人口",
            Rule.Bound.CITY_LAST_YEAR: "全市上年全年数",
        }.get(rule.bound, f"“{rule.right_indicator.name}”" if rule.right_indicator_id else "")
        times = "" if rule.factor == 1 else f" × {rule.factor.normalize():f}"
        sign = {"le": "≤", "lt": "<", "ge": "≥", "gt": ">"}[rule.operator]
        return f"{subject}({rule.get_basis_display()}) {sign} {other}{times}"
    if rule.kind == Rule.Kind.CHANGE:
        return f"{subject}与{rule.get_against_display()}相差不超过{(rule.threshold or 3).normalize():f}倍"
    return f"{subject}修正Z分数不超过{(rule.threshold or Decimal('3.5')).normalize():f}"


def rules_for_years(years: Iterable[int]) -> list[Rule]:
    return list(Rule.objects.filter(year__in=set(years)).select_related("indicator", "right_indicator"))
