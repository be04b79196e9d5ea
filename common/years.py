"""The years the portal keeps: one range, one wording (a year outside it is a typing mistake, 2204 for
2024, not a year anybody reports)."""

YEAR_MIN, YEAR_MAX = 2000, 2100


def year_in_range(year: int) -> bool:
    return YEAR_MIN <= year <= YEAR_MAX


def year_out_of_range_message(year) -> str:
    return f"年度“{year}”无效,须在{YEAR_MIN}至{YEAR_MAX}之间。"
