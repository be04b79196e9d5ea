"""Exact decimal helpers. The bureau rounds 四舍五入 (half up), never banker's rounding."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import floor

# What SQLite (the quick start) keeps of a decimal: it stores a binary double, which gives back exactly
# any decimal of up to 15 significant digits (DBL_DIG). The write path refuses longer figures on every
# backend, so that each backend stores the same figure.
SIGNIFICANT_DIGITS = 15


def round_half_up(value: Decimal | None, places: int) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def divide_half_up(numerator: Decimal | int, denominator: Decimal | int, places: int) -> Decimal:
    """numerator ÷ denominator rounded half up to `places`, exactly: nothing is rounded before the last
    step (a Decimal division first rounds the quotient to 28 digits, SQL's ROUND(a / b) to the
    division's own precision, which can turn 0.00004999…9 into a half that rounds up)."""
    quotient = Fraction(numerator) / Fraction(denominator) * 10**places
    units = floor(abs(quotient) + Fraction(1, 2))
    return Decimal(units if quotient >= 0 else -units).scaleb(-places)


def significant_digits(value: Decimal) -> int:
    """12367 -> 5, 1545.7482 -> 8, 0.0012 -> 2, 39000 -> 2 (trailing zeros of a whole number cost nothing)."""
    return len(value.normalize().as_tuple().digits) if value else 0


def format_decimal(value: Decimal | None, places: int, *, grouping: bool = True) -> str:
    """12367 -> '12,367'; None -> '—' (not reported is never shown as zero)."""
    if value is None:
        return "—"
    rounded = round_half_up(value, places)
    return f"{rounded:,.{places}f}" if grouping else f"{rounded:.{places}f}"


def format_figure(value: Decimal | None, max_places: int) -> str:
    """A figure as the bureau writes it: grouped, rounded half up to at most max_places, no trailing
    zeros (39,000万元; 1,545.7482万元; 70.58%)."""
    if value is None:
        return "—"
    rounded = round_half_up(value, max_places).normalize()
    places = max(0, -rounded.as_tuple().exponent)
    return f"{rounded:,.{places}f}"


# How the portal writes numbers (issue 22 point 6), one rule for every page, workbook and the API's
# *_display fields:
# - figures as the bureau writes them (format_figure): thousands grouped, at the places the figure
#   has, never trailing zeros (26万元, 1,545.7482万元, 10,917人);
# - every percentage (完成率, 时序进度, 与进度差, 预计完成率, a ratio's own rate in a rate column) at
#   PERCENT_PLACES, half up, whatever the indicator: a column then reads 95.9%, 92.0%, 89.0%, 128.2%.
#   The indicator's own `rate_places` is the precision of the bureau's written report (work_report,
#   format_rate), where a rate stands alone in a sentence; a gap in points is format_points.
PERCENT_PLACES = 1


def format_percent(value: Decimal | None, *, sign: bool = False, unit: bool = True) -> str:
    """95.8977 -> '95.9%'; a gap with sign=True and unit=False -> '+4.3' / '-17.0'; None -> '—'."""
    if value is None:
        return "—"
    text = format_decimal(value, PERCENT_PLACES)
    if sign and round_half_up(value, PERCENT_PLACES) > 0:
        text = "+" + text
    return text + ("%" if unit else "")


def format_points(value: Decimal | None) -> str:
    """A gap in percentage points, signed, at PERCENT_PLACES: 4.25 -> '+4.3', -17 -> '-17.0'; None -> '—'."""
    return format_percent(value, sign=True, unit=False)


def format_rate(value: Decimal | None, places: int) -> str:
    """A rate as the bureau's written report has it, at the indicator's own `places` (rate_places),
    half up, every place written and no grouping: 176.667 -> '176.7%', at 2 places '176.67%'; None -> '—'."""
    if value is None:
        return "—"
    return f"{round_half_up(value, places):.{places}f}%"
