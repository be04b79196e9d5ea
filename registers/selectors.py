"""Reads of the register records' history."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import RecordChange


def record_changes(*, model: type[models.Model], object_id: int | str) -> list[RecordChange]:
    """A record's history, newest first, each change with its fields' old and new values."""
    try:
        pk = int(object_id)
    except (TypeError, ValueError):
        return []
    content_type = ContentType.objects.get_for_model(model)
    return list(
        RecordChange.objects.filter(content_type=content_type, object_id=pk).select_related("changed_by")
    )
