"""The API every register shares: anyone signed in reads the records of the org units they may see
(a township user only its own township's); only bureau staff write. A write validates the record with
the model's own rules (full_clean: the same Chinese messages as the admin and the import) and goes
through registers.services, which records it and recounts the values it feeds in one transaction."""

from __future__ import annotations

import copy
from functools import cache

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers, viewsets
from rest_framework.validators import UniqueForDateValidator, UniqueTogetherValidator, UniqueValidator

from accounts.permissions import RecordScope, sees_personal_data
from audit.models import Kind
from audit.services import security_event_record
from common.permissions import IsBureauOrReadOnly, PortalBureauOrReadOnly
from orgs.models import OrgUnit

from .models import Door
from .personal import masked
from .services import record_create, record_delete, record_update


class OrgCodeField(serializers.SlugRelatedField):
    """An org unit by its division code; an unknown code is refused in Chinese."""

    default_error_messages = {
        "does_not_exist": "区划代码“{value}”不存在,请核对。",
        "invalid": "区划代码无效。",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", OrgUnit.objects.all())
        super().__init__(slug_field="code", **kwargs)


class RegisterSerializer(serializers.ModelSerializer):
    updated_by = serializers.StringRelatedField(read_only=True)

    # The org unit (where a register has one) is given by its division code.
    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        if field_name == "org_unit":
            field_class = OrgCodeField
            kwargs.pop("to_field", None)
        return field_class, kwargs

    # Uniqueness is left to the model's full_clean below, whose messages are the Chinese ones the admin
    # and the import give; DRF's own unique validators would answer first, in their words.
    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        kwargs["validators"] = [v for v in kwargs.get("validators", []) if not isinstance(v, UniqueValidator)]
        return field_class, kwargs

    def get_validators(self):
        unique = (UniqueTogetherValidator, UniqueForDateValidator)
        return [v for v in super().get_validators() if not isinstance(v, unique)]

    def to_representation(self, instance):
        """个人信息保护: the declared personal fields masked unless the view says this reader may see
        this one record whole (RegisterViewSet.get_serializer_context)."""
        data = super().to_representation(instance)
        if self.context.get("personal_masked", True):
            for name, kind in self.Meta.model.register.personal.items():
                if name in data:
                    data[name] = masked(kind, data[name])
        return data

    def validate(self, attrs):
        record = copy.copy(self.instance) if self.instance else self.Meta.model()
        for name, value in attrs.items():
            setattr(record, name, value)
        try:
            record.full_clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return attrs


# What every record has beside its own fields: the remark (written), who changed it last and when (read).
AUDIT_FIELDS = ["remark", "created_at", "updated_at", "updated_by"]


@cache
def register_serializer(model: type[models.Model]) -> type[RegisterSerializer]:
    """A register's serializer: the record's id, the fields its declaration names (model.register, in
    the sheet's order) and the audit fields, every write checked by RegisterSerializer (the model's
    own rules)."""
    meta = type("Meta", (), {"model": model, "fields": ["id", *model.register.fields, *AUDIT_FIELDS]})
    return type(f"{model.__name__}Serializer", (RegisterSerializer,), {"Meta": meta})


class RegisterViewSet(viewsets.ModelViewSet):
    """Made by register_viewset from a register's declaration: `queryset`, `serializer_class`,
    `org_field` (the path to the org unit; None for records of the city itself, read by those who see
    the whole city) and `filterset_fields`. `public = True` only for published policy that anyone
    signed in reads (the insurance rates) — a declared rule, never a default. The org unit and the
    last editor are read with the records."""

    permission_classes = [IsBureauOrReadOnly]
    org_field: str | None = "org_unit"
    public: bool = False

    def get_permissions(self):
        # The city's own records (no org unit) are written by the portal's own bureau alone.
        if self.org_field is None:
            return [PortalBureauOrReadOnly()]
        return super().get_permissions()

    def get_queryset(self):
        records = super().get_queryset().select_related("updated_by")
        if self.public:
            return records
        scope = RecordScope.of(self.request.user)
        if self.org_field is None:
            return scope.city_records(records)
        return scope.records(records.select_related(self.org_field), self.org_field)

    # 个人信息保护: lists are masked for everyone; one record (and the echo of one's own write) is whole
    # for those who keep the registers.
    WHOLE_RECORD_ACTIONS = ("retrieve", "create", "update", "partial_update")

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        whole = self.action in self.WHOLE_RECORD_ACTIONS and sees_personal_data(self.request.user)
        context["personal_masked"] = not whole
        return context

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        model = self.queryset.model
        if model.register.personal and sees_personal_data(request.user):
            security_event_record(
                kind=Kind.PERSONAL_DATA_VIEWED,
                request=request,
                object=f"{model._meta.verbose_name} #{kwargs.get('pk')}",
                detail="接口",
            )
        return response

    # Every door writes through registers.services (recorded, recounted, atomic).
    def perform_create(self, serializer) -> None:
        record = serializer.Meta.model(**serializer.validated_data)
        serializer.instance = record_create(user=self.request.user, record=record, door=Door.API)

    def perform_update(self, serializer) -> None:
        record = serializer.instance
        record_update(user=self.request.user, record=record, changes=serializer.validated_data, door=Door.API)

    def perform_destroy(self, instance) -> None:
        record_delete(user=self.request.user, record=instance, door=Door.API)


def register_viewset(model: type[models.Model], *mixins: type, **attrs) -> type[RegisterViewSet]:
    """A register's API from its declaration (model.register); `mixins` add actions (a year's
    summary), `attrs` set anything else (public = True)."""
    declared = {
        "queryset": model._default_manager.all(),
        "serializer_class": register_serializer(model),
        "org_field": model.register.org,
        "filterset_fields": model.register.api_filters or None,
    }
    return type(f"{model.__name__}ViewSet", (*mixins, RegisterViewSet), {**declared, **attrs})
