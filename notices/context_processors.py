"""The unread count in the top bar of every page. Lazy: a page that does not show the badge (the admin,
errors) asks nothing; one that does asks one count on a partial index (Delivery.delivery_unread)."""

from __future__ import annotations

from functools import cached_property

from accounts import permissions


class NoticeBadge:
    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        if not permissions.has_portal_role(self.user):
            return 0
        from .selectors import unread_count

        return unread_count(user=self.user)


def unread_notices(request) -> dict:
    return {"notices": NoticeBadge(getattr(request, "user", None))}
