"""common.transactions reads Django's private list of on_commit callbacks; this fails loudly if an
upgrade changes its layout (then change common/transactions.py, the only place that reads it)."""

from __future__ import annotations

import django
import pytest
from django.db import connection, transaction

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_pending_callbacks_are_read_as_django_keeps_them():
    from common.transactions import on_commit_pending

    def first() -> None: ...

    def second() -> None: ...

    assert on_commit_pending() == []
    with transaction.atomic():
        transaction.on_commit(first)
        with transaction.atomic():
            transaction.on_commit(second, robust=True)
        entries = getattr(connection, "run_on_commit", None)
        assert isinstance(entries, list) and all(isinstance(e, tuple) and len(e) == 3 for e in entries), (
            f"Django {django.get_version()} keeps connection.run_on_commit differently: {entries!r}"
        )
        assert on_commit_pending() == [first, second]
    assert on_commit_pending() == []


def test_a_burst_of_changes_in_one_transaction_asks_for_one_recompute(indicators, orgs, put):
    """What the adapter is for: one recompute request per transaction and year."""
    from completion.models import RecomputeRequest

    before = RecomputeRequest.objects.count()
    with transaction.atomic():
        for month in (1, 2, 3):
            put("employment.urban_new_jobs", "429005001", 2024, month, "10")
        assert RecomputeRequest.objects.count() - before == 1
