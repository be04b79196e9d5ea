"""Seeds a year's indicator set from the catalogue the domain apps declare (catalog.py) and keeps the
register marks (feeds.py) true in every set. Above both and above services: feeds writes its figures
through services, so the sync cannot live in services without an import cycle.

The declarations are only a beginning: once a year has a set, the bureau keeps it (indicators.sets) and
the sync never renames, reorders or retires what the bureau decided. What stays code is which register
feeds which indicator, since a feed counts records, which is code."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .catalog import IndicatorSpec, registered_specs
from .feeds import fed_indicators
from .models import Indicator

Source = Indicator.Source


def spec_source(spec: IndicatorSpec, fed: dict[str, str]) -> str:
    if spec.kind == Indicator.Kind.RATIO:
        return Source.COMPUTED
    if spec.code in fed:
        return Source.REGISTER
    return Source.TOWNSHIP if spec.township_reported else Source.BUREAU


def years_with_a_set() -> list[int]:
    return list(Indicator.objects.order_by("year").values_list("year", flat=True).distinct())


@transaction.atomic
def indicator_catalog_sync(*, years: Iterable[int] | None = None, add_declared: bool = False) -> int:
    """Seed each of `years` that has no set from the declarations, and in every year that has one add the
    register-fed indicators declared since and keep their register's name right. Without years: every
    year that has a set, and on a database with none, this year (Asia/Shanghai). `add_declared` also adds
    to the years named every declared indicator their set has never had (the demo's report year, when
    the declarations grew: a year's set is otherwise the bureau's). Returns how many indicators the
    years named hold."""
    existing = set(years_with_a_set())
    wanted = set(years) if years is not None else existing or {timezone.localdate().year}
    fed = fed_indicators()
    for year in sorted(wanted - existing):
        _seed(year, fed)
    for year in sorted(existing):
        _mark_registers(year, fed)
    if add_declared:
        for year in sorted(wanted & existing):
            _add_declared(year, fed)
    return Indicator.objects.filter(year__in=wanted).count()


def _seed(year: int, fed: dict[str, str]) -> None:
    """A year's set as the domain apps declare it, in their order, in three statements: the counted
    indicators, then the ratios (which must name their numerator and denominator when written), then
    the "其中" parts' wholes. A spec names other indicators by code; they must be declared before it."""
    specs = registered_specs()
    rows = {
        spec.code: _build(
            year,
            spec,
            source=spec_source(spec, fed),
            fed_by=fed.get(spec.code, "") if spec.kind != Indicator.Kind.RATIO else "",
            sort_order=order * 10,
        )
        for order, spec in enumerate(specs, start=1)
    }
    for spec in specs:
        for ref in (spec.parent, spec.numerator, spec.denominator):
            if ref is not None and [s.code for s in specs].index(ref) > specs.index(spec):
                raise ValueError(
                    f"indicator {spec.code!r} refers to {ref!r}, which must be declared before it"
                )
    Indicator.objects.bulk_create([rows[s.code] for s in specs if s.kind != Indicator.Kind.RATIO])
    ratios = [s for s in specs if s.kind == Indicator.Kind.RATIO]
    for spec in ratios:
        rows[spec.code].numerator, rows[spec.code].denominator = rows[spec.numerator], rows[spec.denominator]
    Indicator.objects.bulk_create([rows[s.code] for s in ratios])
    parts = [rows[s.code] for s in specs if s.parent]
    for part in parts:
        part.parent = rows[next(s.parent for s in specs if s.code == part.code)]
    Indicator.objects.bulk_update(parts, ["parent"])
    from .rules import builtin_rules_seed  # rules sit above the models, beside the sync

    builtin_rules_seed(year=year)


def _mark_registers(year: int, fed: dict[str, str]) -> None:
    """A register-fed indicator names the register that counts it; one whose feed is gone from the code
    becomes the bureau's to enter; one declared since the year was made joins the year's set."""
    rows = {i.code: i for i in Indicator.objects.filter(year=year)}
    for indicator in rows.values():
        if indicator.source == Source.REGISTER and indicator.code not in fed:
            indicator.source, indicator.fed_by = Source.BUREAU, ""
            indicator.save(update_fields=["source", "fed_by"])
        elif indicator.source == Source.REGISTER and indicator.fed_by != fed[indicator.code]:
            indicator.fed_by = fed[indicator.code]
            indicator.save(update_fields=["fed_by"])
    _add_declared(year, fed, codes=set(fed))


def _add_declared(year: int, fed: dict[str, str], *, codes: set[str] | None = None) -> None:
    """Every declared indicator (of `codes`, if given) the year's set has never had, in declaration order
    after what it has."""
    rows = {i.code: i for i in Indicator.objects.filter(year=year)}
    last = max((i.sort_order for i in rows.values()), default=0)
    for spec in registered_specs():
        if spec.code in rows or (codes is not None and spec.code not in codes):
            continue
        refs = [rows.get(code) for code in (spec.parent, spec.numerator, spec.denominator) if code]
        if any(ref is None for ref in refs):
            continue  # what it refers to is not in the year's set: the bureau decides
        last += 10
        row = _build(
            year,
            spec,
            source=spec_source(spec, fed),
            fed_by=fed.get(spec.code, "") if spec.kind != Indicator.Kind.RATIO else "",
            sort_order=last,
            parent=rows.get(spec.parent) if spec.parent else None,
            numerator=rows.get(spec.numerator) if spec.numerator else None,
            denominator=rows.get(spec.denominator) if spec.denominator else None,
        )
        row.save()
        rows[spec.code] = row


def _build(year: int, spec: IndicatorSpec, **fields) -> Indicator:
    return Indicator(
        year=year,
        code=spec.code,
        name=spec.name,
        area=spec.area,
        unit=spec.unit,
        kind=spec.kind,
        direction=spec.direction,
        value_places=spec.value_places,
        rate_places=spec.rate_places,
        description=spec.description,
        **fields,
    )
