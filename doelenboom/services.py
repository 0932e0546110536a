"""Every write to the goal tree that people make in the browser or through an import.

One browser action is one call here, in one transaction: an edit saves the item's fields and,
for an inspanning, its goals, partners and steps together, or nothing at all. Edits are
version-checked: a save based on an older `versie` than the stored one is refused with the
other person's change, never silently applied. Writes save per object, so that
django-simple-history records who changed what, and why.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from core.history import FieldChange, field_changes, tracked_fields, who
from doelenboom.levels import AMBITIE, INSPANNING, OPERATIONEEL_DOEL, level_of
from doelenboom.models import (
    Bijdrage,
    Inspanning,
    InspanningPartner,
    OperationeelDoel,
    Stap,
    Versioned,
)
from programmes.models import Organisatie


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


@dataclass(frozen=True)
class InspanningLinks:
    """What an edit of an inspanning sets besides its own fields.

    `partners` maps organisatie id to rol. `steps` are the stappenplan rows to save (new or
    changed, not yet saved) and `removed_steps` those to delete.
    """

    goals: Sequence[int]
    partners: dict[int, str]
    steps: Sequence[Stap] = field(default_factory=tuple)
    removed_steps: Sequence[Stap] = field(default_factory=tuple)


def _other_edit(current: Versioned, expected_versie: int) -> OtherEdit:
    history = current.history.order_by("-history_date", "-history_id")
    latest = history.first()
    base = history.filter(versie=expected_versie).first()
    changes = field_changes(type(current), base, current) if base else []
    return OtherEdit(
        who=who(latest) if latest else _("systeem"),
        when=latest.history_date if latest else None,
        reason=(latest.history_change_reason or "") if latest else "",
        changes=changes,
    )


def _locked_current(obj: Versioned, expected_versie: int) -> Versioned:
    """The stored item, locked until the transaction ends; refused if it moved on."""
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    if current.versie != expected_versie:
        raise EditConflict(current, _other_edit(current, expected_versie))
    return current


def _validated[M: models.Model](obj: M, subject: Callable[[M], str]) -> None:
    """full_clean, with every message prefixed by what it is about (a partner, a step)."""
    try:
        obj.full_clean()
    except ValidationError as error:
        raise ValidationError(
            [f"{subject(obj)}: {message}" for message in error.messages], code="invalid"
        ) from error


def _save(obj: Versioned, reason: str) -> None:
    obj.versie += 1
    obj._change_reason = reason or None
    obj.full_clean()
    obj.save()


@transaction.atomic
def update_item(
    obj: Versioned,
    values: dict[str, Any],
    *,
    expected_versie: int,
    reason: str = "",
    links: InspanningLinks | None = None,
) -> tuple[Versioned, bool]:
    """Save one edit of a tree item, all or nothing, if nobody changed it since `expected_versie`.

    Applies `values` to the item's own fields and, for an inspanning, sets its goals, partners
    and steps (`links`) in the same transaction. Returns the saved item and whether anything
    changed; an unchanged edit writes nothing (no version bump, no history row). Raises
    EditConflict when the stored version is newer, and ValidationError (naming the field,
    partner or step) when any part is invalid; either way nothing is written.
    """
    current = _locked_current(obj, expected_versie)
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    for name in changed:
        setattr(current, name, values[name])
    if changed:
        _save(current, reason)
    links_changed = links is not None and _set_links(current, links, reason)
    return current, bool(changed) or links_changed


def _next_volgorde(queryset: models.QuerySet) -> int:
    last = queryset.aggregate(m=models.Max("volgorde"))["m"]
    return 0 if last is None else last + 1


@transaction.atomic
def create_item(
    obj: Versioned, *, reason: str = "", links: InspanningLinks | None = None
) -> Versioned:
    """Add a new item at the end of its siblings, with its links, all or nothing.

    Side effects: the item and each link and step, each with one history row. Raises
    ValidationError, writing nothing, when any part is invalid.
    """
    obj.volgorde = _next_volgorde(level_of(obj).siblings(obj))
    obj._change_reason = reason or None
    obj.full_clean()
    obj.save()
    if links is not None:
        _set_links(obj, links, reason)
    return obj


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
    queryset = level_of(obj).siblings(obj)
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


def _set_links(inspanning: Versioned, links: InspanningLinks, reason: str) -> bool:
    if level_of(inspanning) is not INSPANNING:
        raise TypeError("Only an inspanning has goals, partners and steps.")
    steps = _set_steps(inspanning, links.steps, links.removed_steps, reason=reason)
    goals = set_goals(inspanning, links.goals, reason=reason)
    partners = set_partners(inspanning, links.partners, reason=reason)
    return steps or goals or partners


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
    history row giving `reason`; a message names the organisation it is about. Returns
    whether anything changed.
    """
    changed = False
    existing = {r.organisatie_id: r for r in inspanning.partnerrollen.select_related("organisatie")}
    for org_id, link in existing.items():
        if org_id not in roles:
            link._change_reason = reason or None
            link.delete()
            changed = True
        elif link.rol != roles[org_id]:
            link.rol = roles[org_id]
            link._change_reason = reason or None
            _validated(link, _organisation_name)
            link.save()
            changed = True
    for org_id, rol in roles.items():
        if org_id not in existing:
            link = InspanningPartner(inspanning=inspanning, organisatie_id=org_id, rol=rol)
            link._change_reason = reason or None
            _validated(link, _organisation_name)
            link.save()
            changed = True
    return changed


def _organisation_name(link: InspanningPartner) -> str:
    return Organisatie.objects.filter(pk=link.organisatie_id).values_list(
        "naam", flat=True
    ).first() or str(link.organisatie_id)


def _step_name(stap: Stap) -> str:
    return _("stap „%(naam)s”") % {"naam": stap.naam}


def _set_steps(
    inspanning: Inspanning, steps: Sequence[Stap], removed: Sequence[Stap], *, reason: str
) -> bool:
    """Save the given stappenplan rows and delete the removed ones, each with a history row."""
    for stap in removed:
        stap._change_reason = reason or None
        stap.delete()
    for stap in steps:
        stap.inspanning = inspanning
        stap._change_reason = reason or None
        _validated(stap, _step_name)
        stap.save()
    return bool(steps or removed)


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
    level = level_of(obj)
    if level.goals_below is None:  # an inspanning: only its own links go
        return DeleteImpact(
            links=obj.bijdragen.count(),
            partners=obj.partnerrollen.count(),
            stappen=obj.stappen.count(),
        )
    goals = level.goals_under(obj)
    links = Bijdrage.objects.filter(operationeel_doel__in=goals)
    # Inspanningen left without any goal once these links go.
    orphaned = (
        Inspanning.objects.filter(pk__in=links.values("inspanning"))
        .exclude(bijdragen__in=Bijdrage.objects.exclude(operationeel_doel__in=goals))
        .count()
    )
    return DeleteImpact(
        strategische_doelen=obj.strategische_doelen.count() if level is AMBITIE else 0,
        operationele_doelen=0 if level is OPERATIONEEL_DOEL else goals.count(),
        links=links.count(),
        orphaned=orphaned,
    )


@transaction.atomic
def delete_item(obj: Versioned, *, reason: str = "") -> None:
    """Delete an item with everything below it; every deleted row gets a history record."""
    obj._change_reason = reason or None
    obj.delete()


@transaction.atomic
def revert_item(
    obj: Versioned, record: Any, *, expected_versie: int, reason: str = ""
) -> Versioned:
    """Restore the item's own fields as they were in `record` (a history record of it).

    Checked against `expected_versie` under the row lock, as an edit is: raises EditConflict,
    writing nothing, when someone saved in between. Recorded as a new version with a reason
    naming the version restored; links to goals and partners are their own history and are
    not changed by a revert.
    """
    current = _locked_current(obj, expected_versie)
    for tracked in tracked_fields(type(current)):
        setattr(current, tracked.attname, getattr(record, tracked.attname))
    _save(
        current,
        reason or _("Teruggezet naar versie %(versie)s") % {"versie": record.versie},
    )
    return current
