"""Every write to the goal tree that people make in the browser or through an import.

One browser action is one call here, in one transaction: an edit saves the item's fields and,
for an inspanning, its goals, partners and steps together, or nothing at all. Edits are
version-checked: a save based on an older `versie` than the stored one is refused with the
other person's change, never silently applied. Writes save per object, so that
django-simple-history records who changed what, and why.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formats import long_date
from core.history import field_changes, tracked_fields, who
from doelenboom.adopted import adopted_plan_of
from doelenboom.conflicts import Merge, MergeResult, OtherEdit, merge_values
from doelenboom.history import (
    LINK_KINDS,
    LinkKind,
    deleted_together,
    describe_link,
    item_names,
    link_revertable,
    links_of,
    restorable_until,
    restore_days,
)
from doelenboom.levels import AMBITIE, INSPANNING, LEVELS, OPERATIONEEL_DOEL, Level, level_of
from doelenboom.models import (
    Bijdrage,
    Inspanning,
    InspanningPartner,
    OperationeelDoel,
    Stap,
    Versioned,
)
from programmes.models import Organisatie


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


def _base_version(current: Versioned, expected_versie: int) -> Any | None:
    """The history record of the version an editor started from, if it is kept."""
    history = current.history.order_by("-history_date", "-history_id")
    return history.filter(versie=expected_versie).first()


def _other_edit(
    current: Versioned,
    expected_versie: int,
    merged: MergeResult | None = None,
    *,
    choice_missing: bool = False,
) -> OtherEdit:
    history = current.history.order_by("-history_date", "-history_id")
    latest = history.first()
    base = _base_version(current, expected_versie)
    changes = field_changes(type(current), base, current) if base else []
    return OtherEdit(
        who=who(latest) if latest else _("systeem"),
        when=latest.history_date if latest else None,
        reason=(latest.history_change_reason or "") if latest else "",
        changes=changes,
        versie=current.versie,
        conflicts=tuple(merged.conflicts) if merged else (),
        kept=tuple(merged.kept) if merged else (),
        choice_missing=choice_missing,
    )


def _locked_current(obj: Versioned, expected_versie: int) -> Versioned:
    """The stored item, locked until the transaction ends; refused if it moved on."""
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    if current.versie != expected_versie and not _only_moved_since(current, expected_versie):
        raise EditConflict(current, _other_edit(current, expected_versie))
    return current


def _only_moved_since(current: Versioned, expected_versie: int) -> bool:
    """Whether the item is as it was at `expected_versie` but for its place among siblings.

    A move is a version of its own, yet changes nothing an editor sees: an edit or revert
    started before it may go through. Compared are the tracked fields and the item's links.
    """
    if expected_versie > current.versie:
        return False
    base = (
        current.history.filter(versie=expected_versie, history_type__in=["+", "~"])
        .order_by("-history_date", "-history_id")
        .first()
    )
    if base is None or field_changes(type(current), base, current):
        return False
    return not any(
        kind.model.history.filter(
            **{kind.owner_field: current.pk}, history_date__gt=base.history_date
        ).exists()
        for kind in links_of(level_of(current))
    )


def _validated[M: models.Model](obj: M, subject: Callable[[M], str]) -> None:
    """full_clean, with every message prefixed by what it is about (a partner, a step)."""
    try:
        obj.full_clean()
    except ValidationError as error:
        raise ValidationError(
            [f"{subject(obj)}: {message}" for message in error.messages], code="invalid"
        ) from error


def _save(obj: Versioned, reason: str, *, when: datetime | None = None) -> None:
    obj.versie += 1
    obj._change_reason = reason or None
    obj.full_clean()
    with _recorded_at(when, obj):
        obj.save()


@contextmanager
def _recorded_at(when: datetime | None, *objs: models.Model) -> Iterator[None]:
    """History rows written for `objs` in this block carry the moment `when`.

    One edit writes the item's version and its link changes with the same moment, which is
    how the history pages show the link changes under their version (doelenboom/history.py).
    """
    if when is None:
        yield
        return
    for obj in objs:
        obj._history_date = when
    try:
        yield
    finally:
        for obj in objs:
            # simple-history reads the attribute on every save; a stale one would misdate.
            obj.__dict__.pop("_history_date", None)


@transaction.atomic
def update_item(
    obj: Versioned,
    values: dict[str, Any],
    *,
    expected_versie: int,
    reason: str = "",
    links: InspanningLinks | None = None,
    merge: Merge | None = None,
) -> tuple[Versioned, bool]:
    """Save one edit of a tree item, all or nothing, if nobody changed it since `expected_versie`.

    Applies `values` to the item's own fields and, for an inspanning, sets its goals, partners
    and steps (`links`) in the same transaction. Returns the saved item and whether anything
    changed; an unchanged edit writes nothing (no version bump, no history row). Raises
    EditConflict when the stored version is newer, and ValidationError (naming the field,
    partner or step) when any part is invalid; either way nothing is written.

    With `merge` (an editor in the browser), a newer stored version is merged field by field
    (doelenboom.conflicts): the other person's changes the editor did not touch stay, and
    EditConflict is raised only while a field both changed has no choice of the editor.
    """
    if merge is None:
        current = _locked_current(obj, expected_versie)
    else:
        current = type(obj).objects.select_for_update().get(pk=obj.pk)
        if current.versie != expected_versie:
            values = _merged(current, expected_versie, values, merge)
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    for name in changed:
        setattr(current, name, values[name])
    when = timezone.now()
    if changed:
        _save(current, reason, when=when)
    links_changed = links is not None and _set_links(current, links, reason, when=when)
    if links_changed and not changed:
        _save(current, reason, when=when)  # an edit of links only is a version too
    if (changed or links_changed) and not reason.strip():
        _require_reason_if_adopted(current)  # raising rolls back what was saved above
    return current, bool(changed) or links_changed


def _require_reason_if_adopted(obj: Versioned) -> None:
    """An edit of an item in the current vastgesteld faseplan must say why (also an import or
    a crafted post, which skip the form)."""
    plan = adopted_plan_of(obj)
    if plan:
        raise ValidationError(
            {
                "reden": _("Geef een reden: dit onderdeel staat in het vastgestelde %(plan)s.")
                % {"plan": plan}
            },
            code="reason_required",
        )


def _merged(
    current: Versioned, expected_versie: int, values: dict[str, Any], merge: Merge
) -> dict[str, Any]:
    """The values to save once merged with the newer stored version; EditConflict if any
    field both changed still waits for the editor's choice."""
    merged = merge_values(current, _base_version(current, expected_versie), values, merge)
    if merged.conflicts:
        missing = merge.seen == current.versie
        raise EditConflict(
            current, _other_edit(current, expected_versie, merged, choice_missing=missing)
        )
    return merged.values


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
    when = timezone.now()
    with _recorded_at(when, obj):
        obj.save()
    if links is not None:
        _set_links(obj, links, reason, when=when)
    return obj


@transaction.atomic
def move_item(
    obj: Versioned, direction: str, *, within_goal: OperationeelDoel | None = None
) -> bool:
    """Swap an item with its neighbour among its siblings ("up" or "down").

    An inspanning moves among the inspanningen of `within_goal` (as the tree shows them), or
    among those without a goal. Renumbers the siblings first, so old gaps or ties never block
    a move. A move is one version of the moved item, with one history row; the neighbours'
    `volgorde` (untracked bookkeeping) is saved without a history row. Returns whether it
    moved.
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
    # Numbered from 0, or from 1 where the moved item's number would not change (a tie in
    # older data): the history tells a move by the changed `volgorde`.
    first = 1 if ordered[target].volgorde == target else 0
    for position, item in enumerate(ordered, start=first):
        if item.pk == obj.pk:
            item.volgorde = position
            item.versie += 1
            item._change_reason = _("Volgorde aangepast")
            item.save()
        elif item.volgorde != position:
            item.volgorde = position
            item.skip_history_when_saving = True
            item.save(update_fields=["volgorde"])
    obj.volgorde, obj.versie = ordered[target].volgorde, ordered[target].versie
    return True


def _set_links(
    inspanning: Versioned, links: InspanningLinks, reason: str, *, when: datetime | None = None
) -> bool:
    if level_of(inspanning) is not INSPANNING:
        raise TypeError("Only an inspanning has goals, partners and steps.")
    steps = _set_steps(inspanning, links.steps, links.removed_steps, reason=reason, when=when)
    goals = set_goals(inspanning, links.goals, reason=reason, when=when)
    partners = set_partners(inspanning, links.partners, reason=reason, when=when)
    return steps or goals or partners


@transaction.atomic
def set_goals(
    inspanning: Inspanning,
    goal_ids: Iterable[int],
    *,
    reason: str = "",
    when: datetime | None = None,
) -> bool:
    """Link the inspanning to exactly these goals.

    Each link added or removed is its own history row, with `reason` (and the moment `when`
    of the edit it is part of); a new link is validated (a goal of another programme is
    refused). Returns whether anything changed.
    """
    wanted = set(goal_ids)
    existing = {b.operationeel_doel_id: b for b in inspanning.bijdragen.all()}
    for goal_id, link in existing.items():
        if goal_id not in wanted:
            link._change_reason = reason or None
            with _recorded_at(when, link):
                link.delete()
    for goal_id in sorted(wanted - set(existing)):
        link = Bijdrage(inspanning=inspanning, operationeel_doel_id=goal_id)
        link._change_reason = reason or None
        link.full_clean()
        with _recorded_at(when, link):
            link.save()
    return wanted != set(existing)


@transaction.atomic
def set_partners(
    inspanning: Inspanning,
    roles: dict[int, str],
    *,
    reason: str = "",
    when: datetime | None = None,
) -> bool:
    """Make the inspanning's partners exactly `roles` (organisatie id → rol).

    Deletes, changes and creates InspanningPartner rows one by one, each validated and with a
    history row giving `reason` (and the moment `when` of the edit it is part of); a message
    names the organisation it is about. Returns whether anything changed.
    """
    changed = False
    existing = {r.organisatie_id: r for r in inspanning.partnerrollen.select_related("organisatie")}
    for org_id, link in existing.items():
        if org_id not in roles:
            link._change_reason = reason or None
            with _recorded_at(when, link):
                link.delete()
            changed = True
        elif link.rol != roles[org_id]:
            link.rol = roles[org_id]
            link._change_reason = reason or None
            _validated(link, _organisation_name)
            with _recorded_at(when, link):
                link.save()
            changed = True
    for org_id, rol in roles.items():
        if org_id not in existing:
            link = InspanningPartner(inspanning=inspanning, organisatie_id=org_id, rol=rol)
            link._change_reason = reason or None
            _validated(link, _organisation_name)
            with _recorded_at(when, link):
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
    inspanning: Inspanning,
    steps: Sequence[Stap],
    removed: Sequence[Stap],
    *,
    reason: str,
    when: datetime | None = None,
) -> bool:
    """Save the given stappenplan rows and delete the removed ones, each with a history row."""
    for stap in removed:
        stap._change_reason = reason or None
        with _recorded_at(when, stap):
            stap.delete()
    for stap in steps:
        stap.inspanning = inspanning
        stap._change_reason = reason or None
        _validated(stap, _step_name)
        with _recorded_at(when, stap):
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
    """Delete an item with everything below it; every deleted row gets a history record.

    The rows of one delete share its moment and `reason`, and each deleted item's row is a
    version of its own (`versie` + 1), so that restore_item finds what went together. Raises
    ValidationError on "reden", deleting nothing, when the item (or anything below it) is in
    the current vastgesteld faseplan and no reason is given.
    """
    if not reason.strip():
        _require_reason_if_adopted(obj)  # deleting adopted content is a change that says why
    collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
    collector.collect([obj])
    deleted = [row for rows in collector.data.values() for row in rows]
    for row in deleted:
        row._change_reason = reason or None
        if isinstance(row, Versioned):
            row.versie += 1
    with _recorded_at(timezone.now(), *deleted):
        collector.delete()


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


# -- undoing a link change, restoring a deleted item -----------------------------------------------


def _link_fields(model: type[models.Model]) -> list[models.Field]:
    # A step's order is the person's own choice in the stappenplan, so it goes back too.
    return [f for f in model._meta.concrete_fields if not f.primary_key]


@transaction.atomic
def revert_link_change(
    item: Versioned, kind: LinkKind, record: Any, *, expected_versie: int, reason: str = ""
) -> Versioned:
    """Undo one change to an item's links: re-create a removed link (with its old id), remove
    an added one, or set a changed one back to what it was.

    Checked against `expected_versie` under the row lock, as an edit is (EditConflict). The
    undo is a new version of the item, with the link change under it. Raises
    ValidationError, writing nothing, when the old state cannot come back: the link changed
    again since, the organisation is no longer a partner of the programme, the goal is gone.
    """
    current = _locked_current(item, expected_versie)
    if kind.owner != level_of(current).key or getattr(record, kind.owner_field) != current.pk:
        raise ValueError("This link change is not one of the item's.")
    change = describe_link(kind, record)
    live = {obj.pk: obj for obj in kind.model.objects.filter(**{kind.owner_field: current.pk})}
    latest = not kind.model.history.filter(id=record.id, history_id__gt=record.history_id).exists()
    if not link_revertable(kind, record, live, latest=latest):
        raise ValidationError(_link_gone(change), code="changed_since")
    when = timezone.now()
    reason = reason or _("Teruggedraaid: %(wijziging)s") % {"wijziging": change.text}
    if record.history_type == "+":
        link = live[record.id]
        link._change_reason = reason
        with _recorded_at(when, link):
            link.delete()
    else:
        if record.history_type == "-":
            link, source = record.instance, record
        else:
            link, source = live[record.id], change.previous
        for name in (f.attname for f in _link_fields(kind.model)):
            setattr(link, name, getattr(source, name))
        missing = _missing_target(link, change.subject)
        if missing:
            raise ValidationError(missing, code="gone")
        link._change_reason = reason
        _validated(link, lambda _link: change.subject)
        with _recorded_at(when, link):
            link.save(force_insert=record.history_type == "-")
    _save(current, reason, when=when)
    return current


def _link_gone(change: Any) -> str:
    if change.sign == "+":
        return _("„%(wat)s” is al weer weg.") % {"wat": change.subject}
    if change.sign == "-":
        return _("„%(wat)s” is er al weer.") % {"wat": change.subject}
    return _(
        "„%(wat)s” is daarna nog eens gewijzigd of verwijderd; draai eerst die wijziging terug."
    ) % {"wat": change.subject}


def _missing_target(obj: models.Model, subject: str) -> str:
    """Why `obj` cannot be saved because something it points at is gone ("" if all is there)."""
    for model_field in obj._meta.concrete_fields:
        if not isinstance(model_field, models.ForeignKey):
            continue
        value = getattr(obj, model_field.attname)
        if value is None or model_field.related_model._default_manager.filter(pk=value).exists():
            continue
        target = _LEVEL_BY_MODEL.get(model_field.related_model)
        name = item_names(target, {value}).get(value, "") if target else ""
        return _("%(wat)s: %(soort)s “%(naam)s” bestaat niet meer.") % {
            "wat": subject,
            "soort": model_field.related_model._meta.verbose_name,
            "naam": name or value,
        }
    return ""


_LEVEL_BY_MODEL: dict[type[models.Model], Level] = {level.model: level for level in LEVELS.values()}


class ParentDeleted(Exception):
    """The item cannot come back before its parent does."""

    def __init__(self, level: Level, parent_id: int) -> None:
        super().__init__("parent deleted")
        self.level = level
        self.parent_id = parent_id


@dataclass(frozen=True)
class Restored:
    item: Versioned
    items: int  # items below it restored with it
    links: int  # links (goals, partners, steps) restored
    left_out: list[str]  # links that could not come back, in words


@transaction.atomic
def restore_item(level: Level, record: Any, *, reason: str = "") -> Restored:
    """Bring a deleted item back as it was, with its id, and what was deleted with it.

    `record` is the item's "-" history row. What went with it (the items below it and the
    links of all of them) is found by history.deleted_together. Side effects: every restored
    row is saved with its old id and a "+" history row, all with one moment and `reason`
    ("Hersteld"); each item's version is one more than its deleted version. A link whose
    organisation is no longer a partner of the programme, or whose other end is gone, is left
    out and named in `left_out`. Raises ParentDeleted when the item's parent is gone (restore
    that first), and ValidationError, writing nothing, when the item is back already, was
    deleted longer than KOERS_RESTORE_DAYS ago, or clashes with what exists now.
    """
    model = level.model
    newest = model.history.filter(id=record.id).order_by("-history_date", "-history_id").first()
    if (
        record.history_type != "-"
        or newest is None
        or newest.history_id != record.history_id
        or model.objects.filter(pk=record.id).exists()
    ):
        raise ValidationError(_("Dit is al hersteld."), code="restored")
    if timezone.now() > restorable_until(record):
        raise ValidationError(
            _(
                "Verwijderd op %(datum)s, langer dan %(dagen)s dagen geleden: "
                "herstellen kan niet meer."
            )
            % {
                "datum": long_date(timezone.localtime(record.history_date)),
                "dagen": restore_days(),
            },
            code="too_late",
        )
    if level.parent_field:
        parent_id = getattr(record, level.parent_field)
        if not LEVELS[level.parent].model.objects.filter(pk=parent_id).exists():
            raise ParentDeleted(LEVELS[level.parent], parent_id)
    together = deleted_together(level, record)
    when = timezone.now()
    reason = reason or _("Hersteld")
    item = _recreate(record, reason, when)
    items = 0
    for key in ("strategisch_doel", "operationeel_doel"):
        for row in together.get(key, []):
            _recreate(row, reason, when)
            items += 1
    links, left_out = 0, []
    for key in ("stap", "doel", "partner", "doelpartner"):
        kind = LINK_KINDS[key]
        for row in together.get(key, []):
            problem = _recreate_link(kind, row, reason, when)
            if problem:
                left_out.append(problem)
            else:
                links += 1
    return Restored(item, items, links, left_out)


def _recreate(record: Any, reason: str, when: datetime) -> Versioned:
    """A deleted item saved again from its "-" row, with its old id, as a new version."""
    obj = record.instance
    obj.versie = record.versie + 1
    for model_field in obj._meta.concrete_fields:
        # An optional group that is gone since is dropped, as deleting it would have done.
        if isinstance(model_field, models.ForeignKey) and model_field.null:
            value = getattr(obj, model_field.attname)
            if value and not model_field.related_model._default_manager.filter(pk=value).exists():
                setattr(obj, model_field.attname, None)
    obj._change_reason = reason
    _validated(obj, str)
    with _recorded_at(when, obj):
        obj.save(force_insert=True)
    return obj


def _recreate_link(kind: LinkKind, record: Any, reason: str, when: datetime) -> str:
    """Save a deleted link again from its "-" row; "" when it worked, else why it could not."""
    change = describe_link(kind, record)
    if kind.model.objects.filter(pk=record.id).exists():
        return ""
    link = record.instance
    problem = _missing_target(link, change.subject)
    if problem:
        return problem
    try:
        link.full_clean()
    except ValidationError as error:
        return f"{change.subject}: {' '.join(error.messages)}"
    link._change_reason = reason
    with _recorded_at(when, link):
        link.save(force_insert=True)
    return ""
