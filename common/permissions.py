"""API permissions. Every endpoint starts from HasPortalRole (the DRF default): signed in AND given a
role, so a fresh account with no role reads nothing, whatever the endpoint forgets."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.permissions import has_portal_role, is_bureau, is_portal_bureau, sees_whole_subtree


class HasPortalRole(BasePermission):
    message = "您的账号尚未分配角色,不能使用门户的接口。请联系系统管理员开通权限。"

    def has_permission(self, request, view) -> bool:
        return has_portal_role(request.user)


class IsBureauOrReadOnly(HasPortalRole):
    """Anyone with a role reads (scoped by the view's queryset); only bureau staff write."""

    message = "只有局业务科室可以修改数据。"

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        return request.method in SAFE_METHODS or is_bureau(request.user)


class SeesWholeCity(HasPortalRole):
    """Leadership and bureau staff (who see everything under their unit) read; nobody else."""

    message = "只有局领导和局业务科室可以查看。"

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and sees_whole_subtree(request.user)


class PortalBureauOrReadOnly(HasPortalRole):
    """Anyone with a role reads (scoped by the view's queryset); only the bureau of the portal's own
    unit writes: what the whole portal shares (the year's indicator set and rules, the city's own
    records). A lower unit's bureau is refused at the door, before a field is read."""

    message = "只有本门户顶层单位的局业务科室可以修改。"

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        return request.method in SAFE_METHODS or is_portal_bureau(request.user)


class IsBureau(HasPortalRole):
    """Bureau staff (and superusers) only: the API's documentation, for those who program against it."""

    message = "接口文档供局业务科室查看。"

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and is_bureau(request.user)
