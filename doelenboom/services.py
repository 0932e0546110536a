"""Every write to the goal tree that people make in the browser.

Edits are version-checked: a save based on an older `versie` than the stored one is refused
with the other person's change, never silently applied. All writes save per object so that
django-simple-history records who changed what, and why.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from doelenboom.models import (
    Ambitie,
    Bijdrage,
    Inspanning,
    InspanningPartner,
    OperationeelDoel,
    StrategischDoel,
    Versioned,
)

TREE_MODELS: dict[str, type[Versioned]] = {
    "ambitie": Ambitie,
    "strategisch-doel": StrategischDoel,
    "operationeel-doel": OperationeelDoel,
    "inspanning": Inspanning,
}

# Fields that are bookkeeping, never shown as a change or restored by a revert.
_UNTRACKED = {"id", "versie", "volgorde"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class OtherEdit:
    """What someone else changed since the version an editor started from."""

    who: str
    when: Any
    reason: str
    changes: list[FieldChange]


class EditConflict(Exception):
    def __init__(self, current: Versioned, other: OtherEdit) -> None:
        super().__init__("edit conflict")
        self.current = current
        self.other = other


def _display(
    field: models.Field, value: Any, fk_labels: dict[tuple[str, Any], str] | None = None
) -> str:
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
    return str(value)


def fk_labels_for(model: type[models.Model], records: list[Any]) -> dict[tuple[str, Any], str]:
    """Names of every object the records' foreign keys point at: one query per key field."""
    labels: dict[tuple[str, Any], str] = {}
    for field in tracked_fields(model):
        if not isinstance(field, models.ForeignKey):
            continue
        ids = {getattr(r, field.attname) for r in records} - {None}
        for obj in field.related_model._default_manager.filter(pk__in=ids):
            labels[(field.name, obj.pk)] = str(obj)
    return labels


def tracked_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in _UNTRACKED and f.editable and not f.primary_key
    ]


def field_changes(
    model: type[models.Model],
    old: Any,
    new: Any,
    fk_labels: dict[tuple[str, Any], str] | None = None,
) -> list[FieldChange]:
    """The differences between two versions (instances or historical records)."""
    changes = []
    for field in tracked_fields(model):
        before, after = getattr(old, field.attname), getattr(new, field.attname)
        if before != after:
            changes.append(
                FieldChange(
                    str(field.verbose_name),
                    _display(field, before, fk_labels),
                    _display(field, after, fk_labels),
                )
            )
    return changes


def _who(record: Any) -> str:
    user = getattr(record, "history_user", None)
    if user is None:
        return _("onbekend")
    return user.get_full_name() or user.get_username()


def _other_edit(current: Versioned, expected_versie: int) -> OtherEdit:
    history = current.history.order_by("-history_date", "-history_id")
    latest = history.first()
    base = history.filter(versie=expected_versie).first()
    changes = field_changes(type(current), base, current) if base else []
    return OtherEdit(
        who=_who(latest) if latest else _("onbekend"),
        when=latest.history_date if latest else None,
        reason=(latest.history_change_reason or "") if latest else "",
        changes=changes,
    )


def _save(obj: Versioned, reason: str) -> None:
    obj.versie += 1
    obj._change_reason = reason or None
    obj.full_clean()
    obj.save()


@transaction.atomic
def update_item(
    obj: Versioned, values: dict[str, Any], *, expected_versie: int, reason: str = ""
) -> tuple[Versioned, bool]:
    """Apply `values` to a tree item if nobody changed it since `expected_versie`.

    Returns the saved item and whether anything changed; an unchanged form writes nothing
    (no version bump, no history row). Raises EditConflict when the stored version is newer.
    """
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    if current.versie != expected_versie:
        raise EditConflict(current, _other_edit(current, expected_versie))
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if not changed:
        return current, False
    for name in changed:
        setattr(current, name, values[name])
    _save(current, reason)
    return current, True


def _next_volgorde(queryset: models.QuerySet) -> int:
    last = queryset.aggregate(m=models.Max("volgorde"))["m"]
    return 0 if last is None else last + 1


@transaction.atomic
def create_item(obj: Versioned, *, reason: str = "") -> Versioned:
    """Add a new item at the end of its siblings. Side effect: one history row."""
    obj.volgorde = _next_volgorde(siblings(obj))
    obj._change_reason = reason or None
    obj.full_clean()
    obj.save()
    return obj


def siblings(obj: Versioned) -> models.QuerySet:
    model = type(obj)
    if isinstance(obj, Ambitie):
        return model.objects.filter(programma_id=obj.programma_id)
    if isinstance(obj, StrategischDoel):
        return model.objects.filter(ambitie_id=obj.ambitie_id)
    if isinstance(obj, OperationeelDoel):
        return model.objects.filter(strategisch_doel_id=obj.strategisch_doel_id)
    return model.objects.filter(programma_id=obj.programma_id)


@transaction.atomic
def move_item(
    obj: Versioned, direction: str, *, within_goal: OperationeelDoel | None = None
) -> bool:
    """Swap an item with its neighbour among its siblings ("up" or "down").

    An inspanning moves among the inspanningen of `within_goal` (as the tree shows them), or
    among those without a goal. Renumbers the siblings 0..n first, so old gaps or ties never
    block a move. Each item whose position changes is saved (and so gets a history row).
    Returns whether it moved.
    """
    queryset = siblings(obj)
    if isinstance(obj, Inspanning):
        if within_goal is not None:
            queryset = queryset.filter(bijdragen__operationeel_doel=within_goal)
        else:
            queryset = queryset.filter(bijdragen__isnull=True)
    ordered = list(queryset.select_for_update().order_by("volgorde", "id"))
    index = next(i for i, item in enumerate(ordered) if item.pk == obj.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        if item.volgorde != position:
            item.volgorde = position
            item._change_reason = _("Volgorde aangepast")
            item.save()
    return True


@transaction.atomic
def set_goals(inspanning: Inspanning, goal_ids: Iterable[int], *, reason: str = "") -> bool:
    """Link the inspanning to exactly these goals.

    Each link added or removed is its own history row, with `reason`; a new link is validated
    (a goal of another programme is refused). Returns whether anything changed.
    """
    wanted = set(goal_ids)
    existing = {b.operationeel_doel_id: b for b in inspanning.bijdragen.all()}
    for goal_id, link in existing.items():
        if goal_id not in wanted:
            link._change_reason = reason or None
            link.delete()
    for goal_id in sorted(wanted - set(existing)):
        link = Bijdrage(inspanning=inspanning, operationeel_doel_id=goal_id)
        link._change_reason = reason or None
        link.full_clean()
        link.save()
    return wanted != set(existing)


@transaction.atomic
def set_partners(inspanning: Inspanning, roles: dict[int, str], *, reason: str = "") -> bool:
    """Make the inspanning's partners exactly `roles` (organisatie id → rol).

    Deletes, changes and creates InspanningPartner rows one by one, each validated and with a
    history row giving `reason`. Returns whether anything changed.
    """
    changed = False
    existing = {r.organisatie_id: r for r in inspanning.partnerrollen.all()}
    for org_id, link in existing.items():
        if org_id not in roles:
            link._change_reason = reason or None
            link.delete()
            changed = True
        elif link.rol != roles[org_id]:
            link.rol = roles[org_id]
            link._change_reason = reason or None
            link.full_clean()
            link.save()
            changed = True
    for org_id, rol in roles.items():
        if org_id not in existing:
            link = InspanningPartner(inspanning=inspanning, organisatie_id=org_id, rol=rol)
            link._change_reason = reason or None
            link.full_clean()
            link.save()
            changed = True
    return changed


@dataclass(frozen=True)
class DeleteImpact:
    """What goes with an item when it is deleted, for the confirmation question."""

    strategische_doelen: int = 0
    operationele_doelen: int = 0
    links: int = 0
    orphaned: int = 0
    partners: int = 0
    stappen: int = 0

    @property
    def anything(self) -> bool:
        return any(vars(self).values())


def delete_impact(obj: Versioned) -> DeleteImpact:
    if isinstance(obj, Inspanning):
        return DeleteImpact(
            links=obj.bijdragen.count(),
            partners=obj.partnerrollen.count(),
            stappen=obj.stappen.count(),
        )
    if isinstance(obj, Ambitie):
        goals = OperationeelDoel.objects.filter(strategisch_doel__ambitie=obj)
        sds = obj.strategische_doelen.count()
    elif isinstance(obj, StrategischDoel):
        goals = obj.operationele_doelen.all()
        sds = 0
    else:
        goals = OperationeelDoel.objects.filter(pk=obj.pk)
        sds = 0
    links = Bijdrage.objects.filter(operationeel_doel__in=goals)
    affected = links.values("inspanning")
    # Inspanningen left without any goal once these links go.
    orphaned = (
        Inspanning.objects.filter(pk__in=affected)
        .exclude(bijdragen__in=Bijdrage.objects.exclude(operationeel_doel__in=goals))
        .count()
    )
    return DeleteImpact(
        strategische_doelen=sds,
        operationele_doelen=goals.count() if not isinstance(obj, OperationeelDoel) else 0,
        links=links.count(),
        orphaned=orphaned,
    )


@transaction.atomic
def delete_item(obj: Versioned, *, reason: str = "") -> None:
    """Delete an item with everything below it; every deleted row gets a history record."""
    obj._change_reason = reason or None
    obj.delete()


@transaction.atomic
def revert_item(obj: Versioned, record: Any, *, reason: str = "") -> Versioned:
    """Restore the item's own fields as they were in `record` (a history record of it).

    Recorded as a new version with a reason naming the version restored; links to goals and
    partners are their own history and are not changed by a revert.
    """
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    for field in tracked_fields(type(current)):
        setattr(current, field.attname, getattr(record, field.attname))
    _save(
        current,
        reason or _("Teruggezet naar versie %(versie)s") % {"versie": record.versie},
    )
    return current
