"""`figures_changed` is sent by the write services after monthly values or quotas change.
The completion app listens and queues a recompute; the core does not import it, so the
dependency points one way. It carries only which years changed: no workflow lives in receivers."""

from django.dispatch import Signal

# kwargs: years (set[int])
figures_changed = Signal()
