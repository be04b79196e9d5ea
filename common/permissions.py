from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.permissions import is_bureau


class IsBureauOrReadOnly(BasePermission):
    """Anyone signed in reads (scoped by the view's queryset); only bureau staff write."""

    message = "只有局业务科室可以修改数据。"

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or is_bureau(request.user)
