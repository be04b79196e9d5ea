"""The one write path of every register record (loans, cases, certificates, ...), whatever the door:
the admin, the API, a spreadsheet import, the demo loaders. Each write

- is done by bureau staff (or by the system: user None) and validated with the model's own rules
  (full_clean: the same Chinese messages at every door);
- is recorded field by field in RecordChange (who, when, old → new, through which door);
- recounts the monthly values the register feeds (indicators.feeds.feed_recount, which writes them
  through monthly_values_apply with channel REGISTER) for the months the record counted in before and
  after the write — once per batch, in the same transaction: a figure rule the recount breaks undoes
  the records too.

The months a record counted in before an update are read with the old rows, one query per batch (never
one per row), so no door has to remember anything on the instance.

    with records_batch(user=request.user) as batch:   # many writes, one recount at the end
        record_delete(user=request.user, record=a, door=Door.ADMIN, batch=batch)
        record_delete(user=request.user, record=b, door=Door.ADMIN, batch=batch)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from accounts.permissions import actor_of, is_bureau, is_portal_bureau, visible_org_units
from common.errors import PermissionDeniedError, PortalError, Problem
from indicators.feeds import Period, feed_periods, feed_recount

from .models import Door, RecordChange

# Fields the history leaves out: the audit fields themselves say who and when.
AUDIT_FIELDS = frozenset({"id", "created_at", "updated_at", "updated_by"})


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0


@dataclass
class RecordsBatch:
    """Writes that are recounted together, once, at the end of their `records_batch` block: every
    write given `batch=` adds the months it touched here instead of recounting them at once."""

    user: object
    periods: dict[type[models.Model], set[Period]] = field(default_factory=dict)

    def add(self, model: type[models.Model], periods: Iterable[Period]) -> None:
        self.periods.setdefault(model, set()).update(periods)

    def recount(self) -> None:
        pending, self.periods = self.periods, {}
        for model, periods in pending.items():
            feed_recount(model=model, periods=periods, user=self.user)


@contextmanager
def records_batch(*, user) -> Iterator[RecordsBatch]:
    """An atomic block whose writes, each given the batch it yields (`batch=`), are recounted once at
    its end. Registers whose figures depend on each other (a part fed by one, its whole by another)
    are recounted together, after every record is in place. A write not given the batch recounts its
    own months at once, whatever block it is in."""
    batch = RecordsBatch(user=user)
    with transaction.atomic():
        yield batch
        batch.recount()


def _touched(model: type[models.Model], periods: set[Period], *, user, batch: RecordsBatch | None) -> None:
    if batch is not None:
        batch.add(model, periods)
    else:
        feed_recount(model=model, periods=periods, user=user)


# ----------------------------------------------------------------------------- rules


def _check_writer(user, model: type[models.Model], records: Sequence[models.Model]) -> None:
    # user None is a trusted system process (the demo loaders, commands).
    if user is None:
        return
    if not is_bureau(user):
        raise PermissionDeniedError("只有局业务科室可以修改业务台账。")
    if not is_portal_bureau(user):
        _check_records_within(user, model, records)


def _check_records_within(user, model: type[models.Model], records: Sequence[models.Model]) -> None:
    """Bureau staff of a unit below the portal's own (a prefecture's, a county's) write the records
    of the units under theirs, as they are and as they were stored; records of no unit (the city's own
    competitions, certification bodies) are the portal's own bureau's alone. Fail closed."""
    path = getattr(getattr(model, "register", None), "org", None)
    if path is None:
        raise PermissionDeniedError("这类台账属于本门户的顶层单位,只有其局业务科室可以修改。")
    ids = {_record_org_id(record, path) for record in records}
    ids |= set(model.objects.filter(pk__in=[r.pk for r in records if r.pk]).values_list(path, flat=True))
    within = set(visible_org_units(user).filter(id__in=[i for i in ids if i]).values_list("id", flat=True))
    if ids - within:
        raise PermissionDeniedError("台账记录所属单位不在您所属单位的辖区内,不能修改。")


def _record_org_id(record: models.Model, path: str) -> int | None:
    """The org unit a record counts at, along its declaration's path (a station's month: its station's)."""
    *hops, last = path.split("__")
    for hop in hops:
        record = getattr(record, hop, None)
        if record is None:
            return None
    return getattr(record, f"{last}_id", None)


def _validate(record: models.Model, *, unique: bool = True) -> list[Problem]:
    # In a batch, a relation given as a loaded object exists: asking again would cost a query a row.
    # (Not for one record: excluding a field would skip the uniqueness checks it takes part in.)
    loaded = (
        []
        if unique
        else [f.name for f in record._meta.concrete_fields if f.many_to_one and f.is_cached(record)]
    )
    try:
        record.full_clean(exclude=loaded, validate_unique=unique, validate_constraints=unique)
    except ValidationError as exc:
        return [
            Problem(
                message if unique else f"“{record}”:{message}",
                field=None if name == NON_FIELD_ERRORS else name,
            )
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return []


class UniqueKeys:
    """The unique values (fields, unique constraints) of the records of one batch seen so far: two
    records that share one would be refused by the database at the batch's end, in English; here
    the model's own message names them, without a query."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        groups = [(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
        groups += [tuple(c.fields) for c in model._meta.total_unique_constraints]
        groups += [tuple(t) for t in model._meta.unique_together]
        # unique field names -> {their values: the tag of the record first seen with them}
        self.seen: dict[tuple[str, ...], dict[tuple, object]] = {names: {} for names in groups}

    def clash(self, record: models.Model, tag: object = None) -> tuple[tuple[str, ...], object] | None:
        """The first unique value `record` shares with one seen before: its field names and the tag the
        earlier record was seen with (an import's sheet row). The record's values are remembered."""
        found = None
        for names, seen in self.seen.items():
            key = tuple(getattr(record, self.model._meta.get_field(n).attname) for n in names)
            if None in key or "" in key:
                continue
            if key in seen:
                found = found or (names, seen[key])
            else:
                seen[key] = tag
        return found


def _load_relations(model: type[models.Model], records: Sequence[models.Model]) -> list[Problem]:
    """The objects the records point at, one query per relation for the whole batch (validation and the
    history then ask no row by row); a pointer to nothing is a problem, named with its record."""
    relations = [f for f in model._meta.concrete_fields if f.many_to_one]
    prefetch_related_objects(list(records), *[f.name for f in relations])
    return [
        Problem(f"“{record}”:{f.verbose_name}(编号{getattr(record, f.attname)})不存在。", field=f.name)
        for record in records
        for f in relations
        if getattr(record, f.attname) is not None and f.get_cached_value(record, None) is None
    ]


def _duplicates(model: type[models.Model], records: Sequence[models.Model]) -> list[Problem]:
    keys = UniqueKeys(model)
    return [
        Problem(f"“{record}”:{record.unique_error_message(model, names).messages[0]}", field=names[0])
        for record in records
        if (clash := keys.clash(record))
        for names in [clash[0]]
    ]


def _saved(write) -> None:
    """Run a write; a database constraint it breaks (two imports at once) is told in Chinese."""
    try:
        with transaction.atomic():
            write()
    except IntegrityError as exc:
        raise PortalError(f"台账记录未保存:与已有记录冲突或数据不完整({exc})。") from exc


# ----------------------------------------------------------------------------- history


def _shown(record: models.Model, f: models.Field) -> str:
    """A field's value as users read it: a choice's label, an org unit's name, a date as 2024-03-05."""
    if f.choices:
        return str(getattr(record, f"get_{f.name}_display")())
    value = getattr(record, f.name) if f.is_relation else getattr(record, f.attname)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _tracked(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in AUDIT_FIELDS]


def _diff(old: models.Model | None, new: models.Model | None, model) -> list[dict]:
    out = []
    for f in _tracked(model):
        before = "" if old is None else _shown(old, f)
        after = "" if new is None else _shown(new, f)
        if before != after:
            out.append({"field": f.name, "label": str(f.verbose_name), "old": before, "new": after})
    return out


def _history(action: str, pairs: Sequence[tuple], *, user, door: str) -> None:
    """pairs: (old record or None, new record or None), one per record written."""
    if not pairs:
        return
    now = timezone.now()
    who, name = actor_of(user)
    rows = []
    for old, new in pairs:
        record = new if new is not None else old
        changes = _diff(old, new, type(record))
        if action == RecordChange.Action.UPDATE and not changes:
            continue
        rows.append(
            RecordChange(
                content_type=ContentType.objects.get_for_model(type(record)),
                object_id=record.pk,
                object_repr=str(record)[:200],
                action=action,
                changes=changes,
                changed_at=now,
                changed_by=who,
                changed_by_name=name,
                door=door,
            )
        )
    RecordChange.objects.bulk_create(rows)


def _old_rows(model: type[models.Model], records: Sequence[models.Model]) -> dict:
    """The stored rows of records about to be updated: one query for the whole batch."""
    relations = [f.name for f in _tracked(model) if f.many_to_one]
    return model._default_manager.select_related(*relations).in_bulk([r.pk for r in records])


def _audit(records: Iterable[models.Model], *, user) -> None:
    who = actor_of(user)[0]
    for record in records:
        if hasattr(record, "updated_by_id"):
            record.updated_by = who


# ----------------------------------------------------------------------------- one record


def record_create(
    *, user, record: models.Model, door: str = Door.COMMAND, batch: RecordsBatch | None = None
) -> models.Model:
    """Add a register record (validated, recorded, its month recounted: now, or with `batch`)."""
    _check_writer(user, type(record), [record])
    problems = _validate(record)
    if problems:
        raise PortalError(problems)
    model = type(record)
    with transaction.atomic():
        _audit([record], user=user)
        _saved(record.save)
        _history(RecordChange.Action.CREATE, [(None, record)], user=user, door=door)
        _touched(model, feed_periods(model, record), user=user, batch=batch)
    return record


def record_update(
    *,
    user,
    record: models.Model,
    door: str = Door.COMMAND,
    changes: dict | None = None,
    batch: RecordsBatch | None = None,
):
    """Save the edits made to a register record (set on it, or given as `changes`); both the month it
    counted in and the month it counts in now are recounted."""
    _check_writer(user, type(record), [record])
    for name, value in (changes or {}).items():
        setattr(record, name, value)
    problems = _validate(record)
    if problems:
        raise PortalError(problems)
    model = type(record)
    with transaction.atomic():
        old = _old_rows(model, [record]).get(record.pk)
        _audit([record], user=user)
        _saved(record.save)
        _history(RecordChange.Action.UPDATE, [(old, record)], user=user, door=door)
        before = feed_periods(model, old) if old is not None else set()
        _touched(model, before | feed_periods(model, record), user=user, batch=batch)
    return record


def record_delete(
    *, user, record: models.Model, door: str = Door.COMMAND, batch: RecordsBatch | None = None
) -> None:
    """Delete a register record; its history stays, its month is recounted."""
    _check_writer(user, type(record), [record])
    model = type(record)
    with transaction.atomic():
        _history(RecordChange.Action.DELETE, [(record, None)], user=user, door=door)
        periods = feed_periods(model, record)
        _protected_delete(record.delete)
        _touched(model, periods, user=user, batch=batch)


def _protected_delete(delete) -> None:
    try:
        delete()
    except models.ProtectedError as exc:
        names = "、".join(sorted({str(o) for o in exc.protected_objects})[:5])
        raise PortalError(f"该记录仍被其他记录引用({names}),请先处理这些记录再删除。") from exc


# ----------------------------------------------------------------------------- many records


def records_import(
    *,
    user,
    model: type[models.Model],
    created: Sequence[models.Model] = (),
    updated: Sequence[models.Model] = (),
    deleted: Sequence[models.Model] = (),
    door: str = Door.IMPORT,
    fields: Sequence[str] | None = None,
    batch: RecordsBatch | None = None,
) -> ImportResult:
    """Write many records of one register at once, all or nothing: every record validated (every
    problem named, with the record it is about), then bulk writes, the history, and one recount of
    every month touched. `fields`: which fields an update writes (default: every editable one).
    Uniqueness is left to the database's constraints (no query per record)."""
    _check_writer(user, model, [*created, *updated, *deleted])
    problems = _load_relations(model, [*created, *updated, *deleted])
    problems += [p for r in [*created, *updated] for p in _validate(r, unique=False)]
    problems += _duplicates(model, [*created, *updated])
    if problems:
        raise PortalError(problems)
    written = [f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key]
    written = list(fields) if fields is not None else written
    with transaction.atomic():
        old = _old_rows(model, updated) if updated else {}
        periods: set[Period] = set()
        for record in [*old.values(), *deleted]:
            periods |= feed_periods(model, record)
        _history(RecordChange.Action.DELETE, [(r, None) for r in deleted], user=user, door=door)
        if deleted:
            _protected_delete(model._default_manager.filter(pk__in=[r.pk for r in deleted]).delete)
        now = timezone.now()
        for record in updated:
            record.updated_at = now
        _audit([*created, *updated], user=user)
        update_fields = [*written, *(n for n in ("updated_at", "updated_by") if hasattr(model, n))]
        _saved(lambda: model._default_manager.bulk_create(created, batch_size=500))
        _saved(lambda: model._default_manager.bulk_update(updated, update_fields, batch_size=500))
        _history(RecordChange.Action.CREATE, [(None, r) for r in created], user=user, door=door)
        _history(RecordChange.Action.UPDATE, [(old.get(r.pk), r) for r in updated], user=user, door=door)
        for record in [*created, *updated]:
            periods |= feed_periods(model, record)
        _touched(model, periods, user=user, batch=batch)
    return ImportResult(created=len(created), updated=len(updated), deleted=len(deleted))


def record_upsert(
    *,
    user,
    model: type[models.Model],
    lookup: dict,
    values: dict,
    door: str = Door.COMMAND,
    batch: RecordsBatch | None = None,
):
    """update_or_create through this service: the record matching `lookup` gets `values` (nothing is
    written, nor recorded, when it has them already), or a new one is added."""
    record = model._default_manager.filter(**lookup).first()
    if record is None:
        return record_create(user=user, record=model(**lookup, **values), door=door, batch=batch)
    if any(getattr(record, name) != value for name, value in values.items()):
        record_update(user=user, record=record, changes=values, door=door, batch=batch)
    return record
