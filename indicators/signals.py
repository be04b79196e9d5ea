"""`figures_changed` is sent by the write services inside their transaction, after monthly values or
quotas change. The completion app listens: it records a recompute request in that same transaction
and queues the run once it commits. The core does not import it, so the dependency points one way.
It carries only which years changed: no workflow lives in receivers."""

from django.dispatch import Signal

# kwargs: years (set[int])
figures_changed = Signal()
