"""The four levels of the goal tree, known in one place.

Each level knows its model, its edit form, how it is scoped to a programme, its parent, its
label in the programme's own words and its DOM ids. Editing, services and history look a
level up here instead of keeping their own dicts keyed by level or chains of isinstance.
"""

from dataclasses import dataclass

from django.db import models
from django.urls import reverse

from doelenboom.forms import (
    AmbitieForm,
    InspanningForm,
    OperationeelDoelForm,
    StrategischDoelForm,
    TreeItemForm,
)
from doelenboom.models import Ambitie, Inspanning, OperationeelDoel, StrategischDoel, Versioned
from programmes.models import Programma


@dataclass(frozen=True)
class Level:
    key: str  # "strategisch_doel": the one spelling, in URLs, DOM ids and label fields
    model: type[Versioned]
    form: type[TreeItemForm]
    scope: str  # lookup from an item to its Programma
    parent: str | None = None  # level under which a new item of this level is added
    parent_field: str | None = None  # foreign key to that parent, if the item has one
    goals_below: str | None = None  # lookup from an OperationeelDoel to an item of this level

    @property
    def siblings_field(self) -> str:
        """The field shared by the items the tree shows side by side (ordered by volgorde)."""
        return self.parent_field or "programma_id"

    def label(self, programma: Programma, *, plural: bool = False) -> str:
        return programma.level_label(self.key, plural=plural)

    def dom_id(self, pk: int) -> str:
        return f"{self.key}-{pk}"

    def siblings(self, obj: Versioned) -> models.QuerySet:
        return self.model.objects.filter(**{self.siblings_field: getattr(obj, self.siblings_field)})

    def goals_under(self, obj: Versioned) -> models.QuerySet:
        """The operational goals that go when `obj` is deleted."""
        return OperationeelDoel.objects.filter(**{self.goals_below: obj.pk})


AMBITIE = Level(
    "ambitie", Ambitie, AmbitieForm, "programma", goals_below="strategisch_doel__ambitie"
)
STRATEGISCH_DOEL = Level(
    "strategisch_doel",
    StrategischDoel,
    StrategischDoelForm,
    "ambitie__programma",
    parent="ambitie",
    parent_field="ambitie_id",
    goals_below="strategisch_doel",
)
OPERATIONEEL_DOEL = Level(
    "operationeel_doel",
    OperationeelDoel,
    OperationeelDoelForm,
    "strategisch_doel__ambitie__programma",
    parent="strategisch_doel",
    parent_field="strategisch_doel_id",
    goals_below="pk",
)
# An inspanning hangs under its goals through Bijdrage links, not a parent key.
INSPANNING = Level(
    "inspanning", Inspanning, InspanningForm, "programma", parent="operationeel_doel"
)

LEVELS: dict[str, Level] = {
    level.key: level for level in (AMBITIE, STRATEGISCH_DOEL, OPERATIONEEL_DOEL, INSPANNING)
}
_BY_MODEL = {level.model: level for level in LEVELS.values()}


def level_of(obj: Versioned) -> Level:
    return _BY_MODEL[type(obj)]


def tree_urls(programma: Programma) -> dict[str, str]:
    """URL prefixes for the tree's many per-item links.

    Reversing a URL per link cost a third of the tree page's time; these prefixes are
    reversed once and the item part appended in the template (tests follow the links).
    """
    return {
        "boom": reverse("doelenboom:tree", args=[programma.slug]),
        "partners": reverse("doelenboom:partners", args=[programma.slug]),
        "inspanningen": reverse("programmes:detail", args=[programma.slug]) + "inspanningen/",
    }
