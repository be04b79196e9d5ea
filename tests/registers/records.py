"""Register records written the way every door writes them: through registers.services (as the
system, user None), so the feeds recount and the history records each write."""

from __future__ import annotations

from django.db import models

from registers.services import record_create, record_delete, record_update


def create_record(model: type[models.Model], **values) -> models.Model:
    return record_create(user=None, record=model(**values))


def update_record(record: models.Model, **changes) -> models.Model:
    return record_update(user=None, record=record, changes=changes)


def delete_record(record: models.Model) -> None:
    record_delete(user=None, record=record)
