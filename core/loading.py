"""Idempotent loading of fixture data: match on natural keys, save only what differs.

Used by each app's demo module, so that loading the demo twice writes nothing, not even a
history row.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import models

DEMO_REASON = "Demodata geladen uit de programmadocumenten"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    per_model: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, model: type[models.Model]) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        key = f"{model._meta.verbose_name_plural}"
        self.per_model[key] = self.per_model.get(key, 0) + 1

    @property
    def detail(self) -> str:
        """What changed per model, e.g. "3 inspanningen, 1 stappen"."""
        return describe_counts(self.per_model)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def upsert(
    report: LoadReport, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> models.Model:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**{**lookup, **values})
        obj._change_reason = DEMO_REASON
        obj.full_clean()
        obj.save()
        report.count("created", model)
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj._change_reason = DEMO_REASON
        obj.full_clean()
        obj.save()
        report.count("updated", model)
    return obj


def prune(report: LoadReport, queryset: models.QuerySet, keep_pks: set[int]) -> None:
    # Delete one by one so that simple_history records each removal.
    for obj in queryset.exclude(pk__in=keep_pks):
        obj.delete()
        report.count("deleted", type(obj))


def texts(data: dict[str, Any], *names: str) -> dict[str, str]:
    """The named text fields of a fixture item, "" where missing."""
    return {name: data.get(name) or "" for name in names}


def describe_counts(per_model: dict[str, int]) -> str:
    """Counts per model name as one line for a command's report, alphabetically."""
    return ", ".join(f"{n} {name}" for name, n in sorted(per_model.items()))
