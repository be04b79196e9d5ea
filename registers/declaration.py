"""A register declared once, on its model: which fields are its columns and in what order, how the
admin lists, filters and searches it, how the API filters it, what an import matches rows by. The
doors are built from this and from the fields themselves (registers.resources.register_resource,
registers.api.register_serializer / register_viewset, registers.admin.RegisterAdmin): a column's
header is its field's verbose_name, the widget reading its cells follows the field's type
(registers.widgets.widget_for), the API and the admin form take the same fields in the same order.

    class TrainingClass(RegisterRecord):
        ...fields...
        register = Register(
            columns=["name", "training_type", "org_unit", ORG_NAME, "start_on", "end_on", ...],
            list_filter=["training_type", "org_unit", "end_on"],
            search_fields=["name"],
            date_hierarchy="end_on",
        )

Adding a column: the field on the model and its name in `columns` (and in `list_display` where one is
given; in `happened` for a date that cannot be after today; a rule on its value in Meta.constraints,
registers.validators' `*_rule`, is the database's CHECK and the users' message at once). Adding a
register: the model with its declaration, a line in its app's admin.py and api.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class Column:
    """A column whose header is not its field's verbose_name (创业项目名称 for 创业项目(经营主体)名称: the
    header users' files carry), or one that `shows` a related value beside the record for the reader
    (the org unit's name): exported, never imported."""

    field: str
    header: str
    shows: str = ""


# The org unit's name beside its division code (the employment ledgers have it).
ORG_NAME = Column("org_name", "区镇街道", shows="org_unit__name")


@dataclass
class Register:
    """The declaration (see the module's docstring). Every option but `columns` may be left out."""

    # The sheet's columns in order (after 系统编号), each a field name or a Column; the remark is last
    # on every sheet, form and API of its own accord.
    columns: Sequence[str | Column]
    # The fields an import matches rows by (an org unit's month); without one, the sheet starts with
    # 系统编号, the record's id: a row with one corrects that record, a row without one adds a record.
    import_key: Sequence[str] = ()
    list_display: Sequence[str] = ()  # the admin's change list; default: the columns
    list_filter: Sequence[str] = ()
    search_fields: Sequence[str] = ()
    date_hierarchy: str | None = None
    # Groups of the admin form, titled (受理与审限: [...]); the other columns come first, untitled.
    sections: Mapping[str, Sequence[str]] = field(default_factory=dict)
    api_filters: Sequence[str] | Mapping[str, Sequence[str]] = ()
    # The path from a record to the org unit it counts at, where it is not its own `org_unit` (a
    # station's month: its station's). Records without one are the city's own.
    org_path: str = ""
    # How other registers' sheets name a record of this one (a station by its name), and what they
    # are told when it is not registered.
    named_by: str = ""
    unknown: str = "请先登记。"
    # 个人信息保护: the fields that identify a person and how each is masked (registers.personal.Personal):
    # masked in every list (admin, API), shown whole only to bureau staff opening one record (logged).
    personal: Mapping[str, str] = field(default_factory=dict)

    # The record's own rules beyond its fields' and Meta.constraints' (registers.validators.RecordErrors.of
    # asks them all): the org levels it may count at (registered_at; the message names the record by
    # `counted_as`, or else by the model's verbose_name), and its dates (or years) of what has happened,
    # none after today (this year), each named by its field's verbose_name.
    counted_at: Sequence[str] = ()
    counted_as: str = ""
    happened: Sequence[str] = ()

    model: type[models.Model] = field(init=False, repr=False)

    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        """Django hands the declaration its model when the class is made."""
        self.model = cls
        setattr(cls, name, self)

    @property
    def fields(self) -> list[str]:
        """The fields every door writes, in the sheet's order: the API's fields and the admin form's."""
        return [
            c if isinstance(c, str) else c.field for c in self.columns if isinstance(c, str) or not c.shows
        ]

    @property
    def org(self) -> str | None:
        """The path to the org unit the records count at; None for the city's own records."""
        if self.org_path:
            return self.org_path
        return "org_unit" if any(f.name == "org_unit" for f in self.model._meta.fields) else None

    def relations(self, names: Sequence[str]) -> list[str]:
        """Which of `names` are the model's own foreign keys."""
        own = {f.name for f in self.model._meta.fields if f.many_to_one}
        return [name for name in names if name in own]
