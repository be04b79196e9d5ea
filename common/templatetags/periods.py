"""{% year_bounds %}: the min and max of every year input, the years the portal keeps (common.years)."""

from django import template
from django.utils.html import format_html

from common.years import YEAR_MAX, YEAR_MIN

register = template.Library()


@register.simple_tag
def year_bounds() -> str:
    return format_html('min="{}" max="{}"', YEAR_MIN, YEAR_MAX)
