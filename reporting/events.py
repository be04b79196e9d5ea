"""Who hears of a report's confirm, return or approval once it has committed. reporting knows nothing of
its listeners: an app that wants to hear (notices) subscribes in its AppConfig.ready(), so reporting
sits below it in the layering and the two never import each other. A plain list of callables, called
in order after the commit — not a Django signal: who listens is declared in one line, and a listener's
failure is logged by on_commit(robust=True), never undoing the review."""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[..., object]  # listener(*, submission_id: int, event: str)

_listeners: list[Listener] = []


def submission_events_subscribe(listener: Listener) -> None:
    if listener not in _listeners:  # ready() may run twice in tests
        _listeners.append(listener)


def submission_event_listeners() -> list[Listener]:
    return list(_listeners)
