"""The one error type users see. Services raise it with Chinese messages; the API turns it into
one JSON shape, forms and the admin show each problem next to its field, uploads next to the cell."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import StrEnum


class ProblemKind(StrEnum):
    """What sort of refusal a problem is. Doors decide on this (403 or 400, a 403 page or a form
    error), never on the wording of the message, which is for people and may be rephrased."""

    INVALID = "invalid"  # the input breaks a rule: fix it and try again
    PERMISSION = "permission"  # this user may not do this here, whatever the input
    # A figure a 核实 rule flags (indicators.rules): accepted once someone explains it in writing.
    EXPLAIN = "explain"


@dataclass(frozen=True)
class Problem:
    message: str
    field: str | None = None
    kind: ProblemKind = ProblemKind.INVALID
    # Where a problem sits in a spreadsheet: sheet name, 1-based row, column letter or header.
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def as_dict(self) -> dict:
        """The JSON shape of a problem; the kind stays out of it (the HTTP status carries it)."""
        return {k: v for k, v in asdict(self).items() if v is not None and k != "kind"}

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

    @property
    def kind(self) -> ProblemKind:
        """A refusal of permission only when every problem is one: if anything else is also wrong,
        the user is shown all of it as a correctable input (400), permission problems included."""
        if self.problems and all(p.kind == ProblemKind.PERMISSION for p in self.problems):
            return ProblemKind.PERMISSION
        return ProblemKind.INVALID


class PermissionDeniedError(PortalError):
    """The user may not act on this org unit or object: every problem it carries is of kind PERMISSION."""

    def __init__(self, problems: str | Problem | list[Problem], *, field: str | None = None):
        super().__init__(problems, field=field)
        self.problems = [replace(p, kind=ProblemKind.PERMISSION) for p in self.problems]


def refusal(problems: list[Problem]) -> PortalError:
    """The error to raise for these problems: a PermissionDeniedError when every one is a refusal of
    permission (so callers may catch either type), otherwise a PortalError. Decided on kind only."""
    error = PortalError(problems)
    return PermissionDeniedError(problems) if error.kind == ProblemKind.PERMISSION else error
