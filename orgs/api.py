from rest_framework import serializers, viewsets

from accounts.permissions import visible_org_units

from .models import OrgUnit


class OrgUnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "level", "kind", "parent", "sort_order", "is_active"]


class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """组织机构:全市、23个区镇街道及其下属村(社区)。区镇街道用户只能看到本区镇街道。"""

    serializer_class = OrgUnitSerializer
    lookup_field = "code"
    filterset_fields = ["level", "kind", "is_active"]

    def get_queryset(self):
        return visible_org_units(self.request.user).select_related("parent").order_by("sort_order", "code")
