"""Reading django-simple-history records: what changed between two versions, and by whom.

Generic over models, so every app's history pages and conflict messages read the same.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Bookkeeping fields, never shown as a change or restored by a revert.
UNTRACKED = frozenset({"id", "versie", "volgorde"})

FkLabels = dict[tuple[str, Any], str]


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


def tracked_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields a person edits: shown in diffs and restored by a revert."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in UNTRACKED and f.editable and not f.primary_key
    ]


def fk_labels_for(model: type[models.Model], records: list[Any]) -> FkLabels:
    """Names of every object the records' foreign keys point at: one query per key field.

    An object that no longer exists is named "(verwijderd)" here, so that `display` never
    has to look it up again, one query per value.
    """
    labels: FkLabels = {}
    for field in tracked_fields(model):
        if not isinstance(field, models.ForeignKey):
            continue
        ids = {getattr(r, field.attname) for r in records} - {None}
        for obj in field.related_model._default_manager.filter(pk__in=ids):
            labels[(field.name, obj.pk)] = str(obj)
        for missing in ids - {pk for name, pk in labels if name == field.name}:
            labels[(field.name, missing)] = _("(verwijderd)")
    return labels


def display(field: models.Field, value: Any, fk_labels: FkLabels | None = None) -> str:
    """A stored value as people read it: choice labels, names of related objects, ja/nee."""
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        if fk_labels is not None and (field.name, value) in fk_labels:
            return fk_labels[(field.name, value)]
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else _("(verwijderd)")
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, Decimal):
        # 6 and 1,5 as Dutch readers write them, not 6.0 and 1.5.
        whole = value == value.to_integral_value()
        return number_format(value.quantize(Decimal(1)) if whole else value.normalize())
    return str(value)


def field_changes(
    model: type[models.Model], old: Any, new: Any, fk_labels: FkLabels | None = None
) -> list[FieldChange]:
    """The differences between two versions (instances or historical records)."""
    changes = []
    for field in tracked_fields(model):
        before, after = getattr(old, field.attname), getattr(new, field.attname)
        if before != after:
            changes.append(
                FieldChange(
                    str(field.verbose_name),
                    display(field, before, fk_labels),
                    display(field, after, fk_labels),
                )
            )
    return changes


def who(record: Any) -> str:
    """The person behind a history record; changes without one were made by the system."""
    user = getattr(record, "history_user", None)
    if user is None:
        return _("systeem")
    return user.get_full_name() or user.get_username()
