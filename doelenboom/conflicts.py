"""Merging an edit with what someone else saved after the editor opened the form.

Per field, compared with the version the editor started from (the base):
- only the editor changed it: the editor's value is saved;
- only the other person changed it: their value stays, without asking;
- both changed it to the same value: nothing to decide;
- both changed it differently: a conflict. The editor is shown both values and chooses per
  field: keep mine, take theirs, or edit. Choices count only when made against the version
  now stored (`Merge.seen`), so a choice never applies to a change the editor has not seen.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from core.history import FieldChange, display

KEEP_MINE = "mijn"
TAKE_THEIRS = "hun"
EDIT = "bewerk"
CHOICES = (KEEP_MINE, TAKE_THEIRS, EDIT)


@dataclass(frozen=True)
class FieldConflict:
    """A field both editors changed, differently: shown with both values, for a choice."""

    name: str
    label: str
    theirs: str
    mine: str


@dataclass(frozen=True)
class Merge:
    """How the editor resolved the conflicts shown to them, field name → choice."""

    choices: Mapping[str, str] = field(default_factory=dict)
    seen: int | None = None  # the version whose changes the editor was shown


@dataclass(frozen=True)
class MergeResult:
    values: dict[str, Any]  # what to save: the editor's values and the choices made
    conflicts: list[FieldConflict]  # still to be decided: nothing may be saved
    kept: list[str]  # fields only the other person changed; their value stays


def comparable(value: Any) -> Any:
    """A field value as stored: a related object as its key, text with plain newlines."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def _same(a: Any, b: Any) -> bool:
    return comparable(a) == comparable(b)


def merge_values(
    current: models.Model, base: Any | None, values: Mapping[str, Any], merge: Merge
) -> MergeResult:
    """The editor's `values` merged with `current`, given the version they started from.

    `base` is that version (a history record), or None when it is unknown: then every field
    where the editor's value differs from the stored one is a conflict.
    """
    meta = type(current)._meta
    choices = merge.choices if merge.seen == getattr(current, "versie", None) else {}
    result = MergeResult(values={}, conflicts=[], kept=[])
    for name, mine in values.items():
        model_field = meta.get_field(name)
        theirs = getattr(current, model_field.attname)
        if base is not None:
            before = getattr(base, model_field.attname)
            if _same(theirs, before):
                result.values[name] = mine
                continue
            if _same(mine, before):
                result.kept.append(name)
                continue
        if _same(mine, theirs):
            result.values[name] = mine
            continue
        choice = choices.get(name, "")
        if choice in (KEEP_MINE, EDIT):
            result.values[name] = mine
        elif choice != TAKE_THEIRS:
            result.conflicts.append(
                FieldConflict(
                    name=name,
                    label=str(model_field.verbose_name),
                    theirs=display(model_field, theirs),
                    mine=display(model_field, comparable(mine)),
                )
            )
    return result


@dataclass(frozen=True)
class OtherEdit:
    """What someone else changed since the version an editor started from.

    For an edit merged field by field (update_item with `merge`): `versie` is the version
    now stored, `conflicts` the fields both changed that wait for the editor's choice, and
    `kept` the fields only the other person changed, whose value stays.
    """

    who: str
    when: Any
    reason: str
    changes: list[FieldChange]
    versie: int = 0
    conflicts: Sequence[FieldConflict] = ()
    kept: Sequence[str] = ()
    choice_missing: bool = False  # the editor had been shown these conflicts and chose nothing
