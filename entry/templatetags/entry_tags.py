"""Filters for the data-entry pages: figures as the bureau writes them, never a blank shown as 0."""

from __future__ import annotations

from decimal import Decimal

from django import template

from common.numbers import PERCENT_PLACES, format_decimal, format_figure
from indicators.services import shown

register = template.Library()


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def plain(value: Decimal | None) -> str:
    """For an input and data attributes: 1234.5, no grouping, no trailing zeros; None -> ""."""
    return "" if value is None else shown(value)


@register.filter
def figure(value: Decimal | None, indicator) -> str:
    return format_figure(value, indicator.value_places if not indicator.is_ratio else 2)


def rate_text(value: Decimal | None) -> str:
    """A completion rate as every rate column writes it (common.numbers.PERCENT_PLACES)."""
    return "—" if value is None else format_decimal(value, PERCENT_PLACES, grouping=False) + "%"


@register.filter
def rate(value: Decimal | None, indicator) -> str:
    return rate_text(value)
