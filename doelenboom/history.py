"""Reading the goal tree's history: per item, and programme-wide ("recente wijzigingen").

Each page costs a fixed number of queries: history rows are fetched per model, and the
differences between versions are computed in Python.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from core.history import FieldChange, field_changes, fk_labels_for, who
from doelenboom.levels import LEVELS, Level, level_of
from doelenboom.models import (
    Bijdrage,
    DoelPartner,
    Inspanning,
    InspanningPartner,
    OperationeelDoel,
)
from programmes.models import Programma


def _action_label(history_type: str) -> str:
    # Looked up per call: a translation made at import time would freeze one language.
    return {"+": _("aangemaakt"), "~": _("gewijzigd"), "-": _("verwijderd")}.get(
        history_type, history_type
    )


@dataclass
class Entry:
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


def _entries(
    model: type[Model], records: list[Any], kind: str, kind_label: str = ""
) -> list[Entry]:
    """Entries for records of one model, each compared with the version before it."""
    labels = fk_labels_for(model, records)
    by_object: dict[int, list[Any]] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_object.setdefault(record.id, []).append(record)
    entries = []
    for versions in by_object.values():
        previous = None
        for record in versions:
            changes = (
                field_changes(model, previous, record, labels)
                if previous is not None and record.history_type == "~"
                else []
            )
            entries.append(
                Entry(
                    record=record,
                    when=record.history_date,
                    who=who(record),
                    action=_action_label(record.history_type),
                    deleted=record.history_type == "-",
                    reason=record.history_change_reason or "",
                    changes=changes,
                    subject=str(getattr(record, "titel", "")),
                    kind=kind,
                    kind_label=kind_label,
                    object_id=record.id,
                    versie=getattr(record, "versie", None),
                )
            )
            previous = record
    return entries


def _link_entries(records: list[Any], describe) -> list[Entry]:
    return [
        Entry(
            record=r,
            when=r.history_date,
            who=who(r),
            action=_("koppeling toegevoegd")
            if r.history_type == "+"
            else (_("koppeling verwijderd") if r.history_type == "-" else _("koppeling gewijzigd")),
            reason=r.history_change_reason or "",
            subject=describe(r),
        )
        for r in records
    ]


def item_history(obj: Model) -> list[Entry]:
    """Every version of one tree item, newest first, with what changed in each."""
    model = type(obj)
    records = list(model.history.filter(id=obj.pk).select_related("history_user"))
    entries = _entries(model, records, level_of(obj).key)
    if entries:
        newest = max(entries, key=lambda e: (e.when, e.record.history_id))
        newest.is_current = True
    if isinstance(obj, Inspanning):
        goals = list(
            Bijdrage.history.filter(inspanning_id=obj.pk).select_related(
                "history_user", "operationeel_doel"
            )
        )
        entries += _link_entries(
            goals,
            lambda r: _("zodat: %(doel)s") % {"doel": _safe(r, "operationeel_doel")},
        )
        partners = list(
            InspanningPartner.history.filter(inspanning_id=obj.pk).select_related(
                "history_user", "organisatie"
            )
        )
        entries += _link_entries(partners, _describe_partner)
    if isinstance(obj, OperationeelDoel):
        partners = list(
            DoelPartner.history.filter(operationeel_doel_id=obj.pk).select_related(
                "history_user", "organisatie"
            )
        )
        entries += _link_entries(partners, _describe_partner)
    return sorted(entries, key=lambda e: (e.when, e.record.history_id), reverse=True)


def _describe_partner(record: Any) -> str:
    return _("partner: %(org)s (%(rol)s)") % {
        "org": _safe(record, "organisatie"),
        "rol": record.get_rol_display(),
    }


def _safe(record: Any, name: str) -> str:
    try:
        return str(getattr(record, name))
    except Model.DoesNotExist:
        return _("(verwijderd)")


def _history_in(level: Level, programma: Programma, ids: dict[str, Any]) -> Any:
    """The history rows of one level's items in the programme, deleted items included.

    Scoped through the parents' history rows, so an item whose parent was deleted still shows.
    """
    if level.parent_field is None:
        return level.model.history.filter(programma_id=programma.pk)
    return level.model.history.filter(**{f"{level.parent_field}__in": ids[level.parent]})


def recent_changes(programma: Programma, limit: int = 100) -> list[Entry]:
    """The newest changes to the programme's tree, across all levels."""
    ids: dict[str, Any] = {}
    entries: list[Entry] = []
    for level in LEVELS.values():
        queryset = _history_in(level, programma, ids)
        ids[level.key] = queryset.values("id")
        newest = list(
            queryset.select_related("history_user").order_by("-history_date", "-history_id")[:limit]
        )
        if not newest:
            continue
        # The versions just before the shown ones, to tell what changed.
        record_ids = {r.id for r in newest}
        oldest = min(r.history_date for r in newest)
        earlier = list(
            level.model.history.filter(id__in=record_ids, history_date__lt=oldest).order_by(
                "id", "-history_date"
            )
        )
        before = {}
        for record in earlier:
            before.setdefault(record.id, record)
        shown = {r.history_id for r in newest}
        entries += [
            e
            for e in _entries(
                level.model, [*before.values(), *newest], level.key, level.label(programma)
            )
            if e.record.history_id in shown
        ]
    entries.sort(key=lambda e: (e.when, e.record.history_id), reverse=True)
    return entries[:limit]
