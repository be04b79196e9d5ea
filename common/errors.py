"""The one error type users see. Services raise it with Chinese messages; the API turns it into
one JSON shape, forms and the admin show each problem next to its field, uploads next to the cell."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    message: str
    field: str | None = None
    # Where a problem sits in a spreadsheet: sheet name, 1-based row, column letter or header.
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"工作表“{self.sheet}”")
        if self.row:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"{self.column}列")
        return ("".join(where) + ":" if where else "") + self.message


class PortalError(Exception):
    """A rule was broken. Carries every problem found, not just the first."""

    def __init__(self, problems: str | Problem | list[Problem], *, field: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(problems, field=field)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return ";".join(str(p) for p in self.problems)


class PermissionDeniedError(PortalError):
    """The user may not act on this org unit or object."""
