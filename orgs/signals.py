"""`org_tree_changed` is sent inside the transaction that changed which unit hangs under which (the
closure table was rebuilt and differs). Completion listens: every stored roll-up may now add up the
wrong units, so every year with figures is recomputed whole. The orgs app imports no one."""

from django.dispatch import Signal

# no kwargs
org_tree_changed = Signal()
