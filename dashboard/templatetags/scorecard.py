"""A scorecard row's cells, written in Python (`{% score_cells row year month %}`): a province's page has
2,000 of them, and as template code, a {% provenance_url %} (a reverse()) and seven lookups each, they
were most of the page's time. Each indicator's figure page is reversed once per page."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from dashboard.scorecard import ScoreRow

register = template.Library()

CELL = (
    '<td class="num sc-{status}" data-status="{status}" data-code="{code}"{sort} title="{title}">'
    '<a class="source" href="{href}">{rate}</a>{gap}</td>'
)


@register.simple_tag(takes_context=True)
def score_cells(
    context: template.Context, row: ScoreRow, year: int, month: int, sortable: bool = True
) -> SafeString:
    """The row's cells: the rate linked to the figure's page (provenance), the gap to schedule under it,
    the status as a class, the hover text; `sortable` rows carry each column's sort value."""
    paths = context.render_context.setdefault("score_cells_paths", {})
    query = urlencode({"org": row.org_code, "year": year, "month": month})

    def cell(i: int, c) -> dict:
        code = c.indicator.code
        if code not in paths:
            paths[code] = reverse("provenance:figure", args=[code])
        return {
            "status": c.status,
            "code": code,
            "sort": format_html(' data-col{}="{}"', i, c.sort_value) if sortable else "",
            "title": c.title,
            "href": f"{paths[code]}?{query}",
            "rate": c.rate_display,
            "gap": format_html('<span class="gap">{}</span>', c.gap_display) if c.gap_display else "",
        }

    return SafeString("".join(format_html(CELL, **cell(i, c)) for i, c in enumerate(row.cells)))
