"""The portal's one way of writing numbers in templates (common.numbers): `{% load numbers %}`."""

from __future__ import annotations

from decimal import Decimal

from django import template

from common.numbers import format_figure, format_percent, format_points

register = template.Library()


@register.filter
def percent(value: Decimal | None) -> str:
    """95.8977 -> 95.9%."""
    return format_percent(value)


@register.filter
def points(value: Decimal | None) -> str:
    """A gap in percentage points, signed: +4.3, -17.0."""
    return format_points(value)


@register.filter
def figure(value: Decimal | None, places: int = 4) -> str:
    """10917 -> 10,917; 26.0000 -> 26; at most `places` decimals."""
    return format_figure(value, places)
