"""What the signed-in user may do, for the menus. Pages never compare role strings themselves:
they ask the same rules every door asks (accounts.permissions)."""

from __future__ import annotations

from . import permissions


def portal_access(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "can": {
            "use_portal": permissions.has_portal_role(user),
            "bureau": permissions.is_bureau(user),
            "whole_city": permissions.sees_whole_subtree(user),  # leadership of its unit's subtree
            "township": permissions.is_township(user),
            "report": permissions.is_bureau(user) or permissions.is_township(user),
            # 三员分立: the administrators' own parts of the system.
            "manage_accounts": permissions.manages_accounts(user),
            "audit": permissions.is_audit_admin(user),
            "own_account": permissions.has_portal_role(user) or bool(permissions.admin_role(user)),
            # The API's documentation is for those who program against it: the bureau's staff.
            "api_docs": permissions.is_bureau(user),
        }
    }
