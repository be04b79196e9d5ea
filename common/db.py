"""Bulk writes for the large batches (a city-wide report is 100,000 figures), and an exact SUM of
decimals on every backend."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.db import connection, models
from django.db.models import Sum


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: list[tuple]) -> None:
    """INSERT plain tuples (field names; foreign keys by their *_id attname) in a few statements.
    On PostgreSQL through psycopg2's execute_values: building a model instance per row and letting
    bulk_create compile it cost about half of a 100,000-figure upload (reporting benchmark).
    Elsewhere (SQLite quick start) through bulk_create."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=2000
        )
        return
    columns = ", ".join(
        connection.ops.quote_name(model._meta.get_field(_field_name(f)).column) for f in fields
    )
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if len(rows) >= COPY_FROM_ROWS:
            _copy(cursor.cursor, table, columns, rows)
            return
        from psycopg2.extras import execute_values

        execute_values(cursor.cursor, f"INSERT INTO {table} ({columns}) VALUES %s", rows, page_size=5000)


# From this many rows COPY beats INSERT … VALUES: no per-row quoting on the client (psycopg2's mogrify
# was a sixth of a 100,000-figure approval) and the server's bulk-load path.
COPY_FROM_ROWS = 1000
COPY_CHUNK_ROWS = 10_000


def _copy(cursor, table: str, columns: str, rows: list[tuple]) -> None:
    """COPY … FROM STDIN as CSV. Text is always quoted and a quoted value is never NULL, so None (an
    unquoted empty field) and "" stay apart; numbers, decimals and times are written as PostgreSQL
    reads them back exactly."""
    for start in range(0, len(rows), COPY_CHUNK_ROWS):  # chunks: the CSV text never holds a whole batch
        buffer = io.StringIO()
        csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(
            tuple(_csv_value(v) for v in row) for row in rows[start : start + COPY_CHUNK_ROWS]
        )
        buffer.seek(0)
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer)


def _csv_value(value):
    if value is None:
        return _NULL
    if isinstance(value, (int, float)):  # bool is an int: written True/False
        return value
    if isinstance(value, Decimal):
        return _Number(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (dict, list, tuple, bytes)):
        raise TypeError(f"insert_rows writes no {type(value).__name__} values")
    return str(value)


class _Number(float):
    """A Decimal written unquoted and exactly: csv quotes everything that is not a number, and a float
    would round it. The text is the Decimal's own."""

    def __new__(cls, value: Decimal | None):
        number = super().__new__(cls, 0)
        number.text = "" if value is None else format(value, "f")
        return number

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


_NULL = _Number(None)  # an unquoted empty field: NULL in PostgreSQL's CSV format


def _field_name(name: str) -> str:
    return name[:-3] if name.endswith("_id") else name


class DecimalSum(Sum):
    """SUM of a DecimalField, exact on every backend. PostgreSQL adds NUMERIC exactly. SQLite (the quick
    start) keeps a decimal as a binary double, or as an integer when it is whole, and adds those: floats
    drift (0.1 + 0.2), and a sum of whole amounts is an integer that a later `/ 10000` divides as one
    (追发工资 lost its 万元 decimals). So on SQLite each value is first counted in whole units of its
    field's last decimal place, which doubles add exactly (below 2^53), and the sum is divided back
    once: Django reads the double to 15 significant digits, which gives the exact sum back."""

    def as_sqlite(self, compiler, connection, **extra_context):
        scale = 10 ** (getattr(self.get_source_fields()[0], "decimal_places", None) or 0)
        units = self.copy()
        # ROUND: value × scale is a whole number only up to the double's last bit.
        units.template = f"%(function)s(%(distinct)sROUND(%(expressions)s * {scale}))"
        sql, params = units.as_sql(compiler, connection, **extra_context)
        return f"({sql} / {scale}.0)", params


def analyze(tables: Sequence[type[models.Model]]) -> None:
    """Fresh planner statistics for tables just filled in bulk, before a large query reads them in the
    same transaction (the demo's year recompute after its 40,000 figures). Autovacuum sees no row that
    is not committed, and a table it last saw empty (rows rolled back, a new database) is planned as
    if empty: measured on the demo, a load then took 214 s instead of 20 s, 79 s of it in the engine's
    one statement run as nested loops. ANALYZE within the transaction counts its own new rows.
    PostgreSQL only: SQLite's planner keeps no such estimate to go stale."""
    if connection.vendor != "postgresql" or not tables:
        return
    names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {names}")


def analyze_if_believed_empty(tables: Sequence[type[models.Model]]) -> list[str]:
    """ANALYZE those of `tables` that PostgreSQL's statistics say hold no row while the table has pages
    (reltuples 0, relpages > 0): the planner then estimates every scan of it at one row, whatever it
    holds now, and joins by nested loops. That is the state autovacuum leaves a table in when it last
    looked after a large write was rolled back or deleted; rows written since in the open transaction
    are invisible to it. One catalog query; the tables analysed are returned. PostgreSQL only."""
    if connection.vendor != "postgresql" or not tables:
        return []
    by_name = {model._meta.db_table: model for model in tables}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND relkind = 'r' "
            "AND reltuples = 0 AND relpages > 0 AND pg_table_is_visible(oid)",
            [list(by_name)],
        )
        stale = [name for (name,) in cursor.fetchall()]
    analyze([by_name[name] for name in stale])
    return stale
