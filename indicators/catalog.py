"""Domain apps declare their indicators here (in their AppConfig.ready) instead of the core importing
them: the core stays free of domain knowledge. The declarations are the first year's indicator set
(`indicator_catalog_sync` seeds a year that has none); from then on the bureau keeps each year's set in
the portal (indicators.sets), and only the register feeds stay in code."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

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


def specs_from_table(path: Path) -> list[IndicatorSpec]:
    """An app's first indicator set, a table (its indicators.tsv): a header row naming IndicatorSpec's
    fields, then an indicator a line, tab-separated, an empty cell the field's default; `#` lines are
    comments. A cell or a column the spec does not know stops the start, naming the file and line."""
    known = {f.name: f.type for f in fields(IndicatorSpec)}
    header: list[str] = []
    specs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header:
            header = cells
            if unknown := set(header) - set(known):
                raise ValueError(f"{path.name}:{number}: unknown columns {sorted(unknown)}")
            continue
        if len(cells) > len(header):
            raise ValueError(f"{path.name}:{number}: {len(cells)} cells, the header has {len(header)}")
        try:
            values = {
                name: _cell(known[name], cell) for name, cell in zip(header, cells, strict=False) if cell
            }
            specs.append(IndicatorSpec(**values))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{path.name}:{number}: {exc}") from None
    return specs


def _cell(kind: str, cell: str) -> object:
    if kind == "int":
        return int(cell)
    if kind == "bool":
        if cell not in ("true", "false"):
            raise ValueError(f"“{cell}” is not true or false")
        return cell == "true"
    return cell
