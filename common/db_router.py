"""Dashboard reads on a streaming replica (PostgreSQL's own physical replication), when one is named
(`DATABASE_REPLICA_URL`): the leadership pages and their JSON read nothing but figures already
committed, so a standby a few milliseconds behind serves them and the primary keeps its CPU for the
writes and the completion engine. Everything else reads the primary: the session and the account
(read by the middleware before the view), every write, and anything inside a transaction (which must
see its own writes). Without a replica, or with it down, the router is inert."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

REPLICA = "replica"
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)
log = logging.getLogger(__name__)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads in a dashboard request (ReplicaReadsMiddleware) go to the replica; everything else, and
    every write, to the primary."""

    def db_for_read(self, model, **hints) -> str | None:
        if not _replica_reads.get() or not replica_configured():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:  # a transaction reads its own writes
            return None
        return REPLICA

    def db_for_write(self, model, **hints) -> str | None:
        return DEFAULT_DB_ALIAS if replica_configured() else None

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        return True if replica_configured() else None  # the same rows, one of them a copy

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool | None:
        if db == REPLICA:
            return False  # a standby is read-only: it gets the schema by replication
        return None


def _replica_answers() -> bool:
    """The replica is reachable (a kept connection is checked once per request, as the primary's)."""
    try:
        connections[REPLICA].ensure_connection()
        return True
    except DatabaseError as exc:
        log.warning("replica unavailable, dashboard reads from the primary: %s", exc)
        return False


class ReplicaReadsMiddleware:
    """Marks the view of a GET or HEAD under REPLICA_READ_PATHS as reading from the replica. After
    every middleware that reads the session, the account and the second factor (from the primary);
    only django-axes' lockout page comes after it.
    A replica that does not answer is left aside for that request (the page still comes, from the
    primary)."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):
        reads = (
            replica_configured()
            and request.method in ("GET", "HEAD")
            and request.path.startswith(tuple(settings.REPLICA_READ_PATHS))
            and _replica_answers()
        )
        if not reads:
            return self.get_response(request)
        token = _replica_reads.set(True)
        try:
            return self.get_response(request)
        finally:
            _replica_reads.reset(token)
