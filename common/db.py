"""Bulk writes for the large batches (a city-wide report is 100,000 figures), and an exact SUM of
decimals on every backend."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.db import connection, models
from django.db.models import Sum


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: list[tuple]) -> None:
    """INSERT plain tuples (field names; foreign keys by their *_id attname) in a few statements.
    On PostgreSQL through COPY or psycopg2's execute_values: building a model instance per row and
    letting bulk_create compile it cost about half of a 100,000-figure upload (reporting benchmark).
    Elsewhere (SQLite quick start) through bulk_create."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=2000
        )
        return
    columns = [model._meta.get_field(_field_name(f)).column for f in fields]
    insert_table_rows(model._meta.db_table, columns, rows)


def insert_table_rows(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    """INSERT plain tuples into a table by its column names (a temporary table has no model): COPY or
    execute_values on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table, names = quote(table), ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        elif len(rows) >= COPY_FROM_ROWS:
            _copy(cursor.cursor, table, names, rows)
        else:
            from psycopg2.extras import execute_values

            execute_values(cursor.cursor, f"INSERT INTO {table} ({names}) VALUES %s", rows, page_size=5000)


# From this many rows COPY beats INSERT … VALUES: no per-row quoting on the client (psycopg2's mogrify
# was a sixth of a 100,000-figure approval) and the server's bulk-load path.
COPY_FROM_ROWS = 1000
COPY_CHUNK_ROWS = 10_000


def _copy(cursor, table: str, columns: str, rows: list[tuple]) -> None:
    """COPY … FROM STDIN as CSV, written a column at a time: one converter per column, chosen by the
    type of its values and run over the whole column (a value at a time was 3.3 million
    calls for a 100,000-figure approval, most of its time). Text is always quoted and a quoted value is
    never NULL, so None (an unquoted empty field) and "" stay apart; decimals are written as their own
    exact text (PostgreSQL reads 1E+1 and 0.000001 back exactly), times in ISO 8601 with their offset."""
    for start in range(0, len(rows), COPY_CHUNK_ROWS):  # chunks: the CSV text never holds a whole batch
        columns_text = [
            _csv_column(column) for column in zip(*rows[start : start + COPY_CHUNK_ROWS], strict=True)
        ]
        lines = map(",".join, zip(*columns_text, strict=True))
        buffer = io.StringIO("\n".join(lines) + "\n")
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer)


def _csv_column(column: tuple) -> list[str]:
    kinds = set(map(type, column)) - {type(None)}
    if len(kinds) != 1:  # all NULL, or mixed types (rare): a value at a time
        return [_csv_text(v) for v in column]
    convert = _converter(kinds.pop())
    return ["" if v is None else convert(v) for v in column]


def _csv_text(value) -> str:
    return "" if value is None else _converter(type(value))(value)


def _converter(kind: type):
    if issubclass(kind, (dict, list, tuple, bytes)):
        raise TypeError(f"insert_rows writes no {kind.__name__} values")
    return _CSV_BY_TYPE.get(kind, _quoted)


def _quoted(value) -> str:
    text = str(value)
    return '"' + text.replace('"', '""') + '"'


_CSV_BY_TYPE = {
    int: str,
    bool: lambda v: "true" if v else "false",
    float: repr,
    Decimal: str,  # exact, in the Decimal's own notation
    datetime: datetime.isoformat,
    str: _quoted,
}


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
