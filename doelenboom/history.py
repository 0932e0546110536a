"""Reading the goal tree's history: per item, and programme-wide ("recente wijzigingen").

One edit is one version of an item. The services record the item's row and the rows of the
links that edit changed (goals, partners, steps) with the same `history_date`, and that is
how a link change is found under its version. A link change without a version at its moment
(older data, or a link made outside the services) is shown as an entry of its own.

A move is a version whose only difference is `volgorde`; a restore is a "+" row after a "-".
Each page costs a fixed number of queries: rows are fetched per model, and the differences
between versions are computed in Python.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    CharField,
    Exists,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.history import FieldChange, display, field_changes, fk_labels_for, who
from doelenboom.levels import LEVELS, Level
from doelenboom.models import (
    Bijdrage,
    DoelPartner,
    InspanningPartner,
    OperationeelDoel,
    Stap,
    Versioned,
)
from programmes.models import Organisatie, Programma

PER_PAGE = 50
MINUS = "\u2212"  # the minus sign marks a removed link, as "+" an added one
# The rows one delete wrote: the cascade runs in one transaction, well within this.
DELETED_TOGETHER_WITHIN = timedelta(seconds=5)


def restore_days() -> int:
    """How long a deleted item can be restored (setting KOERS_RESTORE_DAYS)."""
    return int(getattr(settings, "KOERS_RESTORE_DAYS", 90))


def restorable_until(record: Any) -> datetime:
    return record.history_date + timedelta(days=restore_days())


# -- links --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkKind:
    """A kind of link an item has, kept in its own history table.

    `owners` are (level key, field) pairs of the items the link hangs under; the first is the
    item whose edit form sets it (and whose version goes up when it changes).
    """

    key: str
    model: type[Model]
    owners: tuple[tuple[str, str], ...]

    @property
    def owner(self) -> str:
        return self.owners[0][0]

    @property
    def owner_field(self) -> str:
        return self.owners[0][1]


LINK_KINDS: dict[str, LinkKind] = {
    kind.key: kind
    for kind in (
        LinkKind(
            "doel",
            Bijdrage,
            (("inspanning", "inspanning_id"), ("operationeel_doel", "operationeel_doel_id")),
        ),
        LinkKind("partner", InspanningPartner, (("inspanning", "inspanning_id"),)),
        LinkKind("stap", Stap, (("inspanning", "inspanning_id"),)),
        LinkKind("doelpartner", DoelPartner, (("operationeel_doel", "operationeel_doel_id"),)),
    )
}


def unique_among_links(kind: LinkKind) -> str | None:
    """The field an item has each value of at most once among its links of this kind."""
    if kind.model is Bijdrage:
        return "operationeel_doel_id"
    if kind.model is Stap:
        return None
    return "organisatie_id"


def links_of(level: Level) -> list[LinkKind]:
    """The kinds of link an item of `level` carries itself."""
    return [kind for kind in LINK_KINDS.values() if kind.owner == level.key]


@dataclass
class LinkChange:
    """One link added ("+"), removed ("-") or changed ("~"), in words."""

    kind: LinkKind
    record: Any
    subject: str  # "Hanzehogeschool", "zodat 1.3 …", "stap 2 „Pilotfase”"
    detail: str = ""  # for an added or removed link: "trekker", "6 maanden"
    changes: list[FieldChange] = field(default_factory=list)
    revertable: bool = False
    previous: Any | None = None  # the link's row before this change, for a "~"

    @property
    def sign(self) -> str:
        return self.record.history_type

    @property
    def owner_id(self) -> int:
        return getattr(self.record, self.kind.owner_field)

    @property
    def action(self) -> str:
        return {
            "+": _("koppeling toegevoegd"),
            "-": _("koppeling verwijderd"),
        }.get(self.sign, _("koppeling gewijzigd"))

    @property
    def text(self) -> str:
        """The change on one line: "+ zodat 1.3 …", "Hanzehogeschool: betrokken → kennispartner"."""
        if self.sign in "+-":
            detail = f" ({self.detail})" if self.detail else ""
            return f"{'+' if self.sign == '+' else MINUS} {self.subject}{detail}"
        parts = [f"{c.label + ' ' if c.label else ''}{c.old} → {c.new}" for c in self.changes] or [
            _("opnieuw opgeslagen")
        ]
        return f"{self.subject}: {'; '.join(parts)}"


class _Names:
    """Names of the organisations, goals and items that link rows point at, fetched once."""

    def __init__(self) -> None:
        self.organisations: dict[int, str] = {}
        self.items: dict[tuple[str, int], str] = {}

    def load(self, records: Iterable[Any], owners: dict[str, set[int]] | None = None) -> None:
        records = list(records)
        org_ids = {r.organisatie_id for r in records if hasattr(r, "organisatie_id")}
        self.organisations.update(
            Organisatie.objects.filter(pk__in=org_ids).values_list("pk", "naam")
        )
        wanted: dict[str, set[int]] = {"operationeel_doel": set()}
        for level_key, ids in (owners or {}).items():
            wanted.setdefault(level_key, set()).update(ids)
        wanted["operationeel_doel"] |= {
            r.operationeel_doel_id for r in records if isinstance(r, Bijdrage.history.model)
        }
        for level_key, ids in wanted.items():
            self.items.update(
                ((level_key, pk), name) for pk, name in item_names(LEVELS[level_key], ids).items()
            )

    def organisation(self, pk: int) -> str:
        return self.organisations.get(pk, _("(verwijderde organisatie)"))

    def item(self, level_key: str, pk: int) -> str:
        return self.items.get((level_key, pk), _("(verwijderd)"))


def item_names(level: Level, ids: set[int]) -> dict[int, str]:
    """The names of items, live or (for deleted ones) as their history last knew them."""
    names = {obj.pk: str(obj) for obj in level.model.objects.filter(pk__in=ids)}
    missing = ids - set(names)
    if missing:
        for record in level.model.history.filter(id__in=missing).order_by(
            "id", "history_date", "history_id"
        ):
            names[record.id] = str(record.instance)  # the newest row of each id comes last
    return names


def _describe(kind: LinkKind, record: Any, previous: Any | None, names: _Names) -> LinkChange:
    change = LinkChange(kind=kind, record=record, subject="", previous=previous)
    if kind.model is Bijdrage:
        change.subject = _("zodat %(doel)s") % {
            "doel": names.item("operationeel_doel", record.operationeel_doel_id)
        }
    elif kind.model is Stap:
        change.subject = _("stap %(nummer)s „%(naam)s”") % {
            "nummer": record.volgorde,
            "naam": record.naam,
        }
        months = record.doorlooptijd_maanden
        if months:
            change.detail = ngettext(
                "%(maanden)s maand", "%(maanden)s maanden", 1 if months == 1 else 2
            ) % {"maanden": _display(Stap, "doorlooptijd_maanden", months)}
    else:
        change.subject = names.organisation(record.organisatie_id)
        change.detail = record.get_rol_display().lower()
    if record.history_type == "~" and previous is not None:
        change.changes = [
            # A partner's role reads best without its label: "betrokken → kennispartner".
            FieldChange("", c.old.lower(), c.new.lower()) if c.label == _("rol") else c
            for c in field_changes(kind.model, previous, record)
        ]
        if kind.model is Stap and previous.volgorde != record.volgorde:
            # Untracked for items, but a step's number is what the stappenplan shows.
            change.changes.append(
                FieldChange(_("volgorde"), str(previous.volgorde), str(record.volgorde))
            )
    return change


def describe_link(kind: LinkKind, record: Any) -> LinkChange:
    """One link change in words, looked up on its own (for a revert and its reason)."""
    previous = (
        kind.model.history.filter(id=record.id)
        .filter(
            Q(history_date__lt=record.history_date)
            | Q(history_date=record.history_date, history_id__lt=record.history_id)
        )
        .order_by("-history_date", "-history_id")
        .first()
    )
    names = _Names()
    names.load([record, *([previous] if previous else [])])
    return _describe(kind, record, previous, names)


def _display(model: type[Model], name: str, value: Any) -> str:
    return display(model._meta.get_field(name), value)


# -- entries ------------------------------------------------------------------------------------


def _action_label(history_type: str) -> str:
    # Looked up per call: a translation made at import time would freeze one language.
    return {"+": _("aangemaakt"), "~": _("gewijzigd"), "-": _("verwijderd")}.get(
        history_type, history_type
    )


@dataclass
class Entry:
    """One line of history: a version of an item, or a link change on its own."""

    record: Any
    when: datetime
    who: str
    action: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)
    subject: str = ""
    kind: str = ""
    kind_label: str = ""
    deleted: bool = False
    object_id: int | None = None
    versie: int | None = None
    is_current: bool = False
    is_move: bool = False
    links: list[LinkChange] = field(default_factory=list)  # the link changes of this version
    link: LinkChange | None = None  # set on a link change shown on its own
    revertable: bool = False  # a version the item can be set back to
    restorable: bool = False  # the deletion of an item that can still be restored


def _version_entry(
    level: Level, record: Any, previous: Any | None, labels: dict, kind_label: str = ""
) -> Entry:
    model = level.model
    changes = (
        field_changes(model, previous, record, labels)
        if previous is not None and record.history_type == "~"
        else []
    )
    is_move = (
        record.history_type == "~"
        and previous is not None
        and previous.volgorde != record.volgorde
        and not changes
    )
    action = _action_label(record.history_type)
    if is_move:
        action = _("verplaatst")
    elif record.history_type == "+" and previous is not None and previous.history_type == "-":
        action = _("hersteld")
    return Entry(
        record=record,
        when=record.history_date,
        who=who(record),
        action=action,
        deleted=record.history_type == "-",
        reason=record.history_change_reason or "",
        changes=changes,
        subject=str(getattr(record, "titel", "")),
        kind=level.key,
        kind_label=kind_label,
        object_id=record.id,
        versie=record.versie,
        is_move=is_move,
    )


def _link_entry(change: LinkChange, subject: str, kind_label: str = "") -> Entry:
    record = change.record
    return Entry(
        record=record,
        when=record.history_date,
        who=who(record),
        action=change.action,
        reason=record.history_change_reason or "",
        subject=subject,
        kind=change.kind.owner,
        kind_label=kind_label,
        object_id=change.owner_id,
        links=[change],
        link=change,
    )


def _newest_first(entries: list[Entry]) -> list[Entry]:
    # Versions before loose link changes of the same moment; then by row id.
    return sorted(
        entries,
        key=lambda e: (e.when, e.link is None, e.record.history_id),
        reverse=True,
    )


def _current_links(kind: LinkKind, owner_id: int) -> dict[int, Model]:
    return {obj.pk: obj for obj in kind.model.objects.filter(**{kind.owner_field: owner_id})}


def link_revertable(kind: LinkKind, record: Any, live: dict[int, Model], *, latest: bool) -> bool:
    """Whether undoing this link change can be done now, without touching a later change.

    Only the latest change of a link (`latest`) is undone; `live` are the owner's links now.
    """
    if not latest:
        return False
    if record.history_type == "+":
        return record.id in live
    if record.history_type == "-":
        unique = unique_among_links(kind)
        return record.id not in live and not (
            unique and any(getattr(obj, unique) == getattr(record, unique) for obj in live.values())
        )
    current = live.get(record.id)
    return current is not None and not field_changes(kind.model, record, current)


def item_history(
    programma: Programma, level: Level, pk: int, current: Versioned | None
) -> list[Entry]:
    """Every version of one tree item, newest first, with what changed in each.

    `current` is the live item, or None when it is deleted. Link changes made with a version
    are listed under it; others are entries of their own. Links the item is the other end of
    (an inspanning's goal, seen from the goal) show only where they went with a version of
    the item: deleted or restored with it.
    """
    model = level.model
    records = list(
        model.history.filter(id=pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    labels = fk_labels_for(model, records)
    entries: list[Entry] = []
    previous = None
    for record in records:
        entries.append(_version_entry(level, record, previous, labels))
        previous = record
    versions = {}
    for entry in entries:
        versions.setdefault(entry.when, entry)
    if current is not None:
        for entry in reversed(entries):
            if not entry.deleted:
                entry.is_current = True
                break
        for entry in entries:
            entry.revertable = (
                not entry.is_current
                and not entry.deleted
                and bool(field_changes(model, entry.record, current))
            )

    kinds = links_of(level)
    link_records = {
        kind.key: list(
            kind.model.history.filter(**{kind.owner_field: pk})
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        for kind in kinds
    }
    other_end = [
        (kind, field_name)
        for kind in LINK_KINDS.values()
        for owner, field_name in kind.owners[1:]
        if owner == level.key
    ]
    with_versions = {
        kind.key: list(
            kind.model.history.filter(**{field_name: pk}, history_date__in=list(versions))
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        for kind, field_name in other_end
    }
    names = _Names()
    names.load(
        [r for rows in [*link_records.values(), *with_versions.values()] for r in rows],
        {
            kind.owner: {getattr(r, kind.owner_field) for r in with_versions[kind.key]}
            for kind, _field in other_end
        },
    )
    for kind, _field in other_end:
        label = LEVELS[kind.owner].label(programma)
        for record in with_versions[kind.key]:
            change = _describe(kind, record, None, names)
            change.subject = f"{label} {names.item(kind.owner, getattr(record, kind.owner_field))}"
            versions[record.history_date].links.append(change)
    for kind in kinds:
        live = _current_links(kind, pk) if current is not None else {}
        latest = {r.id: r.history_id for r in link_records[kind.key]}  # oldest first
        before: dict[int, Any] = {}
        for record in link_records[kind.key]:
            change = _describe(kind, record, before.get(record.id), names)
            change.revertable = current is not None and link_revertable(
                kind, record, live, latest=latest[record.id] == record.history_id
            )
            before[record.id] = record
            version = versions.get(record.history_date)
            if version is not None:
                version.links.append(change)
            else:
                entries.append(_link_entry(change, ""))
    return _newest_first(entries)


# -- the programme's history rows -----------------------------------------------------------------


def _history_in(level: Level, programma: Programma, ids: dict[str, Any]) -> QuerySet:
    """The history rows of one level's items in the programme, deleted items included.

    Scoped through the parents' history rows, so an item whose parent was deleted still shows.
    """
    if level.parent_field is None:
        return level.model.history.filter(programma_id=programma.pk)
    return level.model.history.filter(**{f"{level.parent_field}__in": ids[level.parent]})


def _scoped(programma: Programma) -> dict[str, QuerySet]:
    """Per level key, the history rows of that level's items in the programme."""
    ids: dict[str, Any] = {}
    scoped = {}
    for level in LEVELS.values():
        scoped[level.key] = _history_in(level, programma, ids)
        ids[level.key] = scoped[level.key].values("id")
    return scoped


def latest_record(programma: Programma, level: Level, pk: int) -> Any | None:
    """The newest history row of an item of this programme (also of a deleted item)."""
    return (
        _scoped(programma)[level.key]
        .filter(id=pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )


@dataclass(frozen=True)
class Deletion:
    """A deleted item as its history page shows it: when, until when it can come back, and
    the deleted parent that has to come back first (if any)."""

    record: Any
    until: datetime
    parent_level: Level | None = None  # set when the parent is gone
    parent: Any | None = None  # the parent's newest history row, if it has one

    @property
    def in_time(self) -> bool:
        return timezone.now() <= self.until

    @property
    def parent_in_time(self) -> bool:
        return self.parent is not None and timezone.now() <= restorable_until(self.parent)


def deletion(programma: Programma, level: Level, record: Any) -> Deletion:
    if level.parent_field:
        parent_level = LEVELS[level.parent]
        parent_id = getattr(record, level.parent_field)
        if not parent_level.model.objects.filter(pk=parent_id).exists():
            parent = latest_record(programma, parent_level, parent_id)
            return Deletion(record, restorable_until(record), parent_level, parent)
    return Deletion(record, restorable_until(record))


def deleted_together(level: Level, record: Any) -> dict[str, list[Any]]:
    """The rows deleted with an item: its descendants and its and their links.

    Found through their "-" history rows written by the same delete (the same person, within a
    few seconds) whose parent ids chain to the item; only rows that are still the newest of
    their object count (not restored or deleted again since). Keyed by level or link key.
    """
    start = record.history_date - DELETED_TOGETHER_WITHIN
    end = record.history_date + DELETED_TOGETHER_WITHIN

    def rows(model: type[Model], **lookup: Any) -> list[Any]:
        history = model.history
        return list(
            history.filter(
                history_type="-",
                history_user_id=record.history_user_id,
                history_date__range=(start, end),
                **lookup,
            )
            .exclude(Exists(_later(history.model)))
            .order_by("history_date", "history_id")
        )

    found: dict[str, list[Any]] = {}
    if level.key == "inspanning":
        for key in ("doel", "partner", "stap"):
            found[key] = rows(LINK_KINDS[key].model, inspanning_id=record.id)
        return found
    goal_ids: list[int] = []
    if level.key == "ambitie":
        found["strategisch_doel"] = rows(LEVELS["strategisch_doel"].model, ambitie_id=record.id)
        sd_ids = [r.id for r in found["strategisch_doel"]]
        found["operationeel_doel"] = rows(OperationeelDoel, strategisch_doel_id__in=sd_ids)
    elif level.key == "strategisch_doel":
        found["operationeel_doel"] = rows(OperationeelDoel, strategisch_doel_id=record.id)
    if level.key == "operationeel_doel":
        goal_ids = [record.id]
    else:
        goal_ids = [r.id for r in found["operationeel_doel"]]
    found["doelpartner"] = rows(DoelPartner, operationeel_doel_id__in=goal_ids)
    found["doel"] = rows(Bijdrage, operationeel_doel_id__in=goal_ids)
    return found


def _previous(history_model: type[Model]) -> QuerySet:
    """For a subquery: the row just before the outer row, of the same object."""
    return (
        history_model._default_manager.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
    )


def _later(history_model: type[Model]) -> QuerySet:
    """For a subquery: the rows after the outer row, of the same object."""
    return history_model._default_manager.filter(id=OuterRef("id")).filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
    )


def _with_previous(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        previous_id=Subquery(_previous(queryset.model).values("history_id")[:1])
    )


# -- recent changes -----------------------------------------------------------------------------


def _stream(programma: Programma, show_moves: bool) -> QuerySet:
    """Every change in the programme's tree as (kind, history_id, moment), newest first.

    Item versions come from the four levels' tables (moves left out unless `show_moves`);
    link changes from the link tables, leaving out those made with a version of their item
    (they are shown under it).
    """
    scoped = _scoped(programma)
    parts: list[tuple[str, QuerySet]] = []
    for level in LEVELS.values():
        queryset = scoped[level.key]
        if not show_moves:
            # Only a move changes `volgorde`: edits, reverts and imports leave it alone.
            queryset = queryset.alias(
                before=Subquery(_previous(queryset.model).values("volgorde")[:1])
            ).filter(
                Q(history_type__in=["+", "-"]) | Q(before__isnull=True) | Q(volgorde=F("before"))
            )
        parts.append((level.key, queryset))
    for kind in LINK_KINDS.values():
        queryset = kind.model.history.filter(
            **{f"{kind.owner_field}__in": scoped[kind.owner].values("id")}
        )
        for owner, owner_field in kind.owners:
            same_moment = LEVELS[owner].model.history.filter(
                id=OuterRef(owner_field), history_date=OuterRef("history_date")
            )
            queryset = queryset.exclude(Exists(same_moment))
        parts.append((kind.key, queryset))
    first, *others = [
        queryset.order_by().values(
            k=Value(key, output_field=CharField()), hid=F("history_id"), at=F("history_date")
        )
        for key, queryset in parts
    ]
    return first.union(*others, all=True).order_by("-at", "-hid", "k")


@dataclass
class ChangesPage:
    page: Page
    entries: list[Entry]
    page_range: list[int | str]
    show_moves: bool


def recent_changes(
    programma: Programma, *, page: str | int | None = 1, show_moves: bool = False
) -> ChangesPage:
    """One page of the newest changes to the programme's tree, across all levels and links.

    Moves are left out unless `show_moves`. The number of queries does not grow with the
    number of changes shown.
    """
    paginator = Paginator(_stream(programma, show_moves), PER_PAGE)
    current = paginator.get_page(page)
    rows = list(current.object_list)
    entries = _page_entries(programma, rows)
    page_range = list(paginator.get_elided_page_range(current.number, on_each_side=2, on_ends=1))
    return ChangesPage(current, entries, page_range, show_moves)


def _page_entries(programma: Programma, rows: list[dict]) -> list[Entry]:
    wanted: dict[str, list[int]] = {}
    for row in rows:
        wanted.setdefault(row["k"], []).append(row["hid"])

    shown: dict[tuple[str, int], Entry] = {}
    versions: dict[tuple[str, int, datetime], Entry] = {}
    deleted: dict[str, list[Entry]] = {}
    for level in LEVELS.values():
        if level.key not in wanted:
            continue
        history = level.model.history
        page_rows = _with_previous(history.filter(history_id__in=wanted[level.key]))
        records = list(
            page_rows.annotate(newest=~Exists(_later(history.model))).select_related("history_user")
        )
        before = _previous_rows(history, page_rows)
        labels = fk_labels_for(level.model, [*records, *before.values()])
        label = level.label(programma)
        for record in records:
            entry = _version_entry(level, record, before.get(record.previous_id), labels, label)
            shown[(level.key, record.history_id)] = entry
            versions[(level.key, record.id, record.history_date)] = entry
            if entry.deleted and record.newest:
                deleted.setdefault(level.key, []).append(entry)
    _mark_restorable(deleted)

    # Link changes: those shown on their own, and those made with a version on this page.
    link_records: dict[str, list[Any]] = {}
    before_links: dict[tuple[str, int], Any] = {}
    for kind in LINK_KINDS.values():
        with_version = Q()
        for owner, owner_field in kind.owners:
            keys = [key for key in versions if key[0] == owner]
            if keys:
                with_version |= Q(
                    **{
                        f"{owner_field}__in": {key[1] for key in keys},
                        "history_date__in": {key[2] for key in keys},
                    }
                )
        own = Q(history_id__in=wanted.get(kind.key, []))
        if not with_version and kind.key not in wanted:
            continue
        page_rows = _with_previous(kind.model.history.filter(own | with_version))
        link_records[kind.key] = list(page_rows.select_related("history_user"))
        before_links.update(
            ((kind.key, hid), r) for hid, r in _previous_rows(kind.model.history, page_rows).items()
        )
    # Named: the owners of link changes shown on their own, and the inspanningen of goal
    # links, which a goal's version lists by inspanning.
    owners: dict[str, set[int]] = {}
    for key, records in link_records.items():
        kind = LINK_KINDS[key]
        for record in records:
            if record.history_id in wanted.get(key, ()) or len(kind.owners) > 1:
                owners.setdefault(kind.owner, set()).add(getattr(record, kind.owner_field))
    names = _Names()
    names.load((r for records in link_records.values() for r in records), owners)
    for key, records in link_records.items():
        kind = LINK_KINDS[key]
        for record in sorted(records, key=lambda r: r.history_id):
            change = _describe(kind, record, before_links.get((key, record.previous_id)), names)
            if record.history_id in wanted.get(key, ()):
                owner_id = getattr(record, kind.owner_field)
                shown[(key, record.history_id)] = _link_entry(
                    change,
                    names.item(kind.owner, owner_id),
                    LEVELS[kind.owner].label(programma),
                )
                continue
            for owner, owner_field in kind.owners:
                version = versions.get((owner, getattr(record, owner_field), record.history_date))
                if version is not None:
                    if owner != kind.owner:  # seen from the other end: name that end
                        label = LEVELS[kind.owner].label(programma)
                        name = names.item(kind.owner, getattr(record, kind.owner_field))
                        change.subject = f"{label} {name}"
                    version.links.append(change)
                    break
    return [shown[(row["k"], row["hid"])] for row in rows if (row["k"], row["hid"]) in shown]


def _previous_rows(history: Any, page_rows: QuerySet) -> dict[int, Any]:
    """The rows just before `page_rows`, by history_id: one query, whatever the rows are."""
    return {r.history_id: r for r in history.filter(history_id__in=page_rows.values("previous_id"))}


def _mark_restorable(deleted: dict[str, list[Entry]]) -> None:
    """Offer a restore where it can work now: still deleted, in time, parent present."""
    now = timezone.now()
    for key, entries in deleted.items():
        level = LEVELS[key]
        ids = {e.object_id for e in entries}
        alive = set(level.model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        parents: set[int] = set()
        if level.parent_field:
            parent_ids = {getattr(e.record, level.parent_field) for e in entries}
            parents = set(
                LEVELS[level.parent]
                .model.objects.filter(pk__in=parent_ids)
                .values_list("pk", flat=True)
            )
        for entry in entries:
            entry.restorable = (
                entry.object_id not in alive
                and now <= restorable_until(entry.record)
                and (not level.parent_field or getattr(entry.record, level.parent_field) in parents)
            )
