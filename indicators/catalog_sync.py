"""Writes the indicator catalogue the domain apps declare (catalog.py) and which of them registers
feed (feeds.py) into the Indicator table. Above both and above services: feeds writes its figures
through services, so the sync cannot live in services without an import cycle."""

from __future__ import annotations

from django.db import transaction

from .catalog import registered_specs
from .feeds import fed_indicators
from .models import Indicator


@transaction.atomic
def indicator_catalog_sync() -> int:
    """Create or update the indicators the domain apps declare (by code). A spec names its parent,
    numerator and denominator by code; they must be declared before it. Returns how many."""
    fed = fed_indicators()
    ids = dict(Indicator.objects.values_list("code", "id"))

    def ref(code: str | None, of: str) -> int | None:
        if code is not None and code not in ids:
            raise ValueError(f"indicator {of!r} refers to {code!r}, which must be declared before it")
        return ids.get(code)

    specs = registered_specs()
    for order, spec in enumerate(specs, start=1):
        indicator, _ = Indicator.objects.update_or_create(
            code=spec.code,
            defaults=dict(
                name=spec.name,
                area=spec.area,
                unit=spec.unit,
                kind=spec.kind,
                value_places=spec.value_places,
                rate_places=spec.rate_places,
                # A register-fed figure is never typed, so it is in no township's template.
                township_reported=spec.township_reported and spec.code not in fed,
                fed_by=fed.get(spec.code, ""),
                description=spec.description,
                sort_order=order * 10,
                parent_id=ref(spec.parent, spec.code),
                numerator_id=ref(spec.numerator, spec.code),
                denominator_id=ref(spec.denominator, spec.code),
            ),
        )
        ids[spec.code] = indicator.pk
    return len(specs)
