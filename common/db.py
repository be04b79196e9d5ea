"""Bulk writes for the large batches (a city-wide report is 100,000 figures)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models


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
    from psycopg2.extras import execute_values

    columns = ", ".join(
        connection.ops.quote_name(model._meta.get_field(_field_name(f)).column) for f in fields
    )
    with connection.cursor() as cursor:
        execute_values(
            cursor.cursor,
            f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES %s",
            rows,
            page_size=5000,
        )


def _field_name(name: str) -> str:
    return name[:-3] if name.endswith("_id") else name
