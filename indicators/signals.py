"""`figures_changed` is sent by the write services inside their transaction, after monthly values or
quotas change. The completion app listens: it records a recompute request in that same transaction
and queues the run once it commits. The core does not import it, so the dependency points one way.
It carries which years changed and, where the change is figures or quotas, which indicators and which
units' own figures (so the run recomputes only those along the units' ancestors): no workflow lives
in receivers."""

from django.dispatch import Signal

# kwargs: years (set[int]); indicators, org_units (sets of ids, or absent: the whole year changed,
# as when the year's indicator set changes)
figures_changed = Signal()
