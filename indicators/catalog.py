"""Domain apps declare their indicators here (in their AppConfig.ready) instead of the core importing
them: the core stays free of domain knowledge. The declarations are the first year's indicator set
(`indicator_catalog_sync` seeds a year that has none); from then on the bureau keeps each year's set in
the portal (indicators.sets), and only the register feeds stay in code."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Area, Indicator

FLOW, STOCK, RATIO = Indicator.Kind.FLOW, Indicator.Kind.STOCK, Indicator.Kind.RATIO


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit: str
    kind: str = FLOW
    value_places: int = 0
    rate_places: int = 1
    parent: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    township_reported: bool = True  # else the bureau enters it (a register feed overrides both)
    description: str = ""
    direction: str = Indicator.Direction.HIGHER

    @property
    def area(self) -> str:
        area = self.code.split(".", 1)[0]
        if area not in Area.values:
            raise ValueError(f"indicator code {self.code!r} must start with one of {Area.values}")
        return area


_specs: dict[str, IndicatorSpec] = {}


def register(*specs: IndicatorSpec) -> None:
    for spec in specs:
        _specs[spec.code] = spec


def registered_specs() -> list[IndicatorSpec]:
    return list(_specs.values())
