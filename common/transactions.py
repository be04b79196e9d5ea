"""The one place that reads Django's private list of the callbacks waiting for the current transaction
to commit (`connection.run_on_commit`, a list of `(savepoint ids, callback, robust)` tuples in Django
5.2). The completion queue looks there to ask for a year's recompute once per transaction, however many
figures the transaction changes. `tests/common/test_transactions.py` fails, naming the Django version,
if an upgrade changes that layout."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection


def on_commit_pending() -> list[Callable[[], None]]:
    """The callbacks registered with transaction.on_commit in the current transaction, oldest first
    (none outside a transaction)."""
    return [entry[1] for entry in getattr(connection, "run_on_commit", [])]
