"""How a batch of figures is written: set-based, in a handful of statements whatever its size, on every
backend. The figures to write are a *source*, a relation of rows

    (seq, indicator_id, org_unit_id, year, month, value, remark, explanation, note, submission_pk)

one per cell (value NULL: not reported, an existing figure is removed; text stored stripped, a blank
figure's remark and explanation ignored). A township's approved report is its own source: the rows the
draft already holds (reporting's SubmissionValue, joined to its submission). Figures from any other door
are first staged in a temporary table of that shape (`staged`). Then, against the stored figures:

1. the changed cells are counted (by indicator, unit and year: what the recompute and the result need);
2. each changed cell's history row is written (FigureChange), old and new side by side, in `seq` order;
3. the cells blanked are deleted, the changed ones updated, the new ones inserted.

A cell is unchanged when its value, remark and explanation are all the same (a remark-only change is
history too). The stored rows are locked first (PostgreSQL), so the history's old side is what was
replaced; a cell someone else inserts meanwhile makes the insert fail on the unique constraint, and the
whole batch is refused, as before. Measured on a city-wide report (100,004 figures): the Python round
trip it replaces built and sent 200,000 rows (reporting benchmark)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from common.db import analyze_if_believed_empty, insert_table_rows

from .models import FigureChange, MonthlyValue

SOURCE_COLUMNS = (
    "seq",
    "indicator_id",
    "org_unit_id",
    "year",
    "month",
    "value",
    "remark",
    "explanation",
    "note",
    "submission_pk",
)
STAGE = "figure_batch_stage"
FETCH_ROWS = 5000


@dataclass(frozen=True)
class Source:
    """A relation of SOURCE_COLUMNS, as SQL (a subquery) with its parameters."""

    sql: str
    params: tuple = ()


@dataclass(frozen=True)
class Change:
    """The changes of one indicator at one unit in one year (usually one cell)."""

    indicator_id: int
    org_unit_id: int
    year: int
    changed: int
    created: int
    deleted: int
    cells: int


def staged(rows: Sequence[tuple]) -> Source:
    """Stage rows of SOURCE_COLUMNS in this connection's temporary table (made on first use, emptied
    before each batch, analysed after: PostgreSQL never analyses a temporary table by itself, and the
    statistics of an earlier batch would plan this one for another size) and return it as a source."""
    table = connection.ops.quote_name(STAGE)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} (seq integer NOT NULL, indicator_id bigint NOT NULL,"
            " org_unit_id bigint NOT NULL, year integer NOT NULL, month integer NOT NULL, value numeric NULL,"
            " remark text NOT NULL, explanation text NOT NULL, note text NOT NULL, submission_pk bigint NULL)"
        )
        cursor.execute(f"DELETE FROM {table}")
    insert_table_rows(STAGE, SOURCE_COLUMNS, list(rows))
    if connection.vendor == "postgresql":  # told what it holds now, not what an earlier batch held
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    return Source(f"SELECT {', '.join(SOURCE_COLUMNS)} FROM {table}")


def _names() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {"mv": quote(MonthlyValue._meta.db_table), "fc": quote(FigureChange._meta.db_table)}


# The source row s and the stored row mv are the same cell; they hold the same figure.
_SAME_CELL = "mv.year = s.year AND mv.indicator_id = s.indicator_id AND mv.org_unit_id = s.org_unit_id AND mv.month = s.month"
_UNCHANGED = (
    "((mv.id IS NULL AND s.value IS NULL) OR (mv.id IS NOT NULL AND s.value IS NOT NULL AND mv.value = s.value"
    " AND mv.remark = s.remark AND mv.explanation = s.explanation))"
)


def changes(source: Source) -> Iterator[Change]:
    """Lock the stored cells the source names (PostgreSQL) and count, per indicator, unit and year, the
    cells that change: written, created, deleted, and all the source holds. Yielded as read, a few
    thousand at a time (a city-wide file has 100,000 of them): to be consumed before the write.

    First the figures' table is analysed if PostgreSQL believes it empty (common.db): planned as one
    row, the delete below ran as a nested loop over every stored figure for every figure written,
    minutes for a demo's batch (found by the test suite hanging)."""
    analyze_if_believed_empty([MonthlyValue])
    names = _names()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT count(*) FROM (SELECT mv.id FROM {names['mv']} mv JOIN ({source.sql}) s ON {_SAME_CELL}"
                " ORDER BY mv.id FOR UPDATE OF mv) locked",
                source.params,
            )
        cursor.execute(
            f"SELECT s.indicator_id, s.org_unit_id, s.year,"
            f" SUM(CASE WHEN {_UNCHANGED} THEN 0 ELSE 1 END),"
            " SUM(CASE WHEN mv.id IS NULL AND s.value IS NOT NULL THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN mv.id IS NOT NULL AND s.value IS NULL THEN 1 ELSE 0 END), COUNT(*)"
            f" FROM ({source.sql}) s LEFT JOIN {names['mv']} mv ON {_SAME_CELL}"
            " GROUP BY s.indicator_id, s.org_unit_id, s.year",
            source.params,
        )
        while rows := cursor.fetchmany(FETCH_ROWS):
            yield from (Change(*row) for row in rows)


def changed_cells(source: Source) -> list[tuple[int, int | None]]:
    """(seq, stored id or None) of each cell that changes, in seq order: for the admin's log of the
    doors that keep one (small batches)."""
    names = _names()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.seq, mv.id FROM ({source.sql}) s LEFT JOIN {names['mv']} mv ON {_SAME_CELL}"
            f" WHERE NOT {_UNCHANGED} ORDER BY s.seq",
            source.params,
        )
        return cursor.fetchall()


def write(source: Source, *, at: datetime, actor_id: int | None, actor_name: str, channel: str) -> None:
    """History first (it reads the figures replaced), then the figures: deleted, updated, inserted."""
    names = _names()
    now = connection.ops.adapt_datetimefield_value(at)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {names['fc']} (subject, indicator_id, org_unit_id, year, month, old_value, new_value,"
            " old_remark, new_remark, explanation, changed_at, changed_by_id, changed_by_name, channel, note,"
            " submission_pk)"
            " SELECT %s, s.indicator_id, s.org_unit_id, s.year, s.month, mv.value, s.value,"
            " COALESCE(mv.remark, ''), CASE WHEN s.value IS NULL THEN '' ELSE s.remark END,"
            " CASE WHEN s.value IS NULL THEN '' ELSE s.explanation END, %s, %s, %s, %s, s.note, s.submission_pk"
            f" FROM ({source.sql}) s LEFT JOIN {names['mv']} mv ON {_SAME_CELL}"
            f" WHERE NOT {_UNCHANGED} ORDER BY s.seq",
            (FigureChange.Subject.VALUE, now, actor_id, actor_name, channel, *source.params),
        )
        cursor.execute(
            f"DELETE FROM {names['mv']} WHERE id IN (SELECT mv.id FROM ({source.sql}) s"
            f" JOIN {names['mv']} mv ON {_SAME_CELL} WHERE s.value IS NULL)",
            source.params,
        )
        cursor.execute(
            f"UPDATE {names['mv']} AS mv SET value = s.value, remark = s.remark, explanation = s.explanation,"
            f" channel = %s, updated_at = %s, updated_by_id = %s FROM ({source.sql}) s"
            f" WHERE {_SAME_CELL} AND s.value IS NOT NULL AND NOT {_UNCHANGED}",
            (channel, now, actor_id, *source.params),
        )
        cursor.execute(
            f"INSERT INTO {names['mv']} (indicator_id, org_unit_id, year, month, value, remark, explanation,"
            " channel, updated_at, updated_by_id)"
            " SELECT s.indicator_id, s.org_unit_id, s.year, s.month, s.value, s.remark, s.explanation, %s, %s, %s"
            f" FROM ({source.sql}) s WHERE s.value IS NOT NULL AND NOT EXISTS"
            f" (SELECT 1 FROM {names['mv']} mv WHERE {_SAME_CELL}) ORDER BY s.seq",
            (channel, now, actor_id, *source.params),
        )
