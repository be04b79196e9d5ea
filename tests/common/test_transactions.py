"""One recompute request per transaction and year, however many figures the transaction changes
(completion.services.completion_request_recompute), and none left by a transaction rolled back."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_burst_of_changes_in_one_transaction_asks_for_one_recompute(indicators, orgs, put):
    """What the adapter is for: one recompute request per transaction and year."""
    from completion.models import RecomputeRequest

    before = RecomputeRequest.objects.count()
    with transaction.atomic():
        for month in (1, 2, 3):
            put("employment.urban_new_jobs", "429005001", 2024, month, "10")
        assert RecomputeRequest.objects.count() - before == 1


def test_a_transaction_rolled_back_asks_nothing_and_the_next_one_asks_afresh(indicators, orgs, put):
    from completion.models import CompletionRun, RecomputeRequest

    runs = CompletionRun.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        put("employment.urban_new_jobs", "429005001", 2024, 1, "10")
        raise RuntimeError("the save fails after its request was written")
    assert not RecomputeRequest.objects.exists() and CompletionRun.objects.count() == runs

    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint rolled back
            put("employment.urban_new_jobs", "429005001", 2024, 2, "10")
            raise RuntimeError
        put("employment.urban_new_jobs", "429005002", 2024, 3, "10")
        put("employment.unemployed_reemployed", "429005001", 2024, 3, "5")
        (request,) = RecomputeRequest.objects.all()  # one, covering both changes
        assert len(request.indicator_ids) == 2 and len(request.org_unit_ids) == 2
        assert CompletionRun.objects.count() == runs  # queued only when the transaction commits
    assert CompletionRun.objects.count() == runs + 1 and not RecomputeRequest.objects.exists()
    assert connection.in_atomic_block is False
