"""The yearly eiland van reflectie: the reads behind its pages and every write people make there.

One user action is one call here, in one transaction. What is edited in place carries a
`versie`: a save based on an older version is refused (`StaleEdit`), never silently applied,
and an unchanged save writes nothing. Writes save per object, so django-simple-history
records who changed what, with a reason. Refusals are ValidationErrors naming the field.

Decisions per operational goal seed the next faseplan: "volgend" is the faseplan after the
one reflected on, "later" names a higher number.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import attrgetter
from typing import Any

from babel.numbers import format_decimal
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Model, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formats import LOCALE
from doelenboom.models import OperationeelDoel
from fasering import queries
from fasering.models import (
    Besluit,
    Faseplan,
    FaseplanItem,
    Inbreng,
    Kant,
    Reflectie,
    Reflectiebesluit,
    Reflectiesessie,
    Reflectievraag,
    Trend,
)
from fasering.services import StaleEdit, _check_version, next_number
from programmes.models import Groep, Programma

# What each side of the Lemniscaat asks, as the AVK's reflection put it.
KANT_UITLEG = {
    Kant.ZIJ: gettext_lazy("de beweging: stimuleren we die goed?"),
    Kant.HET: gettext_lazy("het programma: de stand van zaken"),
    Kant.IK: gettext_lazy("ikzelf: geloof ik hierin, voel ik eigenaarschap?"),
    Kant.WIJ: gettext_lazy("de samenwerking: hoe zitten we erin?"),
}

# Suggestions for when a trend is picked up; any other text is fine too.
STARTMOMENTEN = (
    gettext_lazy("direct na de zomer"),
    gettext_lazy("verderop in het jaar"),
)


def kant_label(value: str) -> str:
    """ "ZIJ — de beweging: stimuleren we die goed?" """
    return f"{Kant(value).label} \N{EM DASH} {KANT_UITLEG[Kant(value)]}"


# -- scores ---------------------------------------------------------------------------------

_SCORE = re.compile(r"([+-]?\d+)(?:[.,](\d+))?")
TEN = Decimal(10)


def parse_score(text: str | None) -> Decimal | None:
    """A score as people type it: "6,9" or "6.9", 0 to 10, at most one decimal; None if empty.

    Raises ValidationError with a Dutch message for anything else.
    """
    text = (text or "").strip()
    if not text:
        return None
    match = _SCORE.fullmatch(text)
    if not match:
        raise ValidationError(_("Vul een cijfer in, bijvoorbeeld 6,9."), code="invalid")
    try:
        value = Decimal(f"{match[1]}.{match[2] or 0}")
    except InvalidOperation:  # pragma: no cover - the pattern lets only digits through
        raise ValidationError(_("Vul een cijfer in, bijvoorbeeld 6,9."), code="invalid") from None
    return _checked_score(value).quantize(Decimal("0.1"))


def _checked_score(value: Decimal) -> Decimal:
    """`value`, if it is from 0 to 10 with at most one decimal; else a ValidationError."""
    if not 0 <= value <= TEN:
        raise ValidationError(_("Een cijfer ligt tussen 0 en 10, bijvoorbeeld 6,9."), code="range")
    if value != value.quantize(Decimal("0.1")):
        raise ValidationError(
            _("Een cijfer heeft hoogstens één cijfer achter de komma, bijvoorbeeld 6,9."),
            code="decimals",
        )
    return value


def score_label(value: Decimal | None) -> str:
    """A score the Dutch way: "6,9" ("" for none)."""
    if value is None:
        return ""
    return format_decimal(value, format="0.0", locale=LOCALE)


def score_key(onderwerp: str) -> str:
    """What a score is for, compared across years: case and spacing do not count."""
    return " ".join(onderwerp.split()).casefold()


# -- reads ----------------------------------------------------------------------------------


def reflections(programma: Programma) -> QuerySet[Reflectie]:
    """The programme's reflections, newest year first, with their counts. One query."""
    return (
        Reflectie.objects.filter(programma=programma)
        .select_related("faseplan")
        .annotate(
            aantal_sessies=Count("sessies", distinct=True),
            aantal_besluiten=Count("besluiten", distinct=True),
        )
        .order_by("-jaar")
    )


def reflection_of(programma: Programma, jaar: int) -> Reflectie:
    """The programme's reflection of `jaar`; 404 for any other."""
    return get_object_or_404(
        Reflectie.objects.select_related("faseplan", "programma"), programma=programma, jaar=jaar
    )


def faseplan_choices(programma: Programma) -> QuerySet[Faseplan]:
    return queries.faseplannen(programma)


def groep_choices(programma: Programma) -> QuerySet[Groep]:
    return Groep.objects.filter(programma=programma).order_by("volgorde", "naam")


def next_plan_number(reflectie: Reflectie) -> int:
    """The faseplan that follows the one reflected on; without one, the programme's next."""
    if reflectie.faseplan_id:
        return reflectie.faseplan.nummer + 1
    return next_number(reflectie.programma)


def default_year(programma: Programma) -> int:
    """The year after the newest reflection, or this year for a first one."""
    newest = Reflectie.objects.filter(programma=programma).aggregate(j=Max("jaar"))["j"]
    return newest + 1 if newest else timezone.localdate().year


@dataclass
class DoelBesluit:
    """One operational goal of the programme with what this reflection decided for it."""

    doel: OperationeelDoel
    besluit: Reflectiebesluit | None
    in_faseplan: bool


@dataclass
class Pagina:
    """Everything the reflection's page shows, read in a fixed number of queries."""

    reflectie: Reflectie
    volgend_nummer: int
    sessies: list[Reflectiesessie] = field(default_factory=list)
    doelen: list[DoelBesluit] = field(default_factory=list)
    trends: list[Trend] = field(default_factory=list)

    @property
    def besloten(self) -> int:
        return sum(1 for d in self.doelen if d.besluit)

    def per_besluit(self) -> list[tuple[str, int]]:
        """How many goals got each decision, in words: [("In het volgende faseplan", 14), …]."""
        counts = {value: 0 for value in Besluit.values}
        for doel in self.doelen:
            if doel.besluit:
                counts[doel.besluit.besluit] += 1
        return [(Besluit(value).label, n) for value, n in counts.items() if n]

    # One of what the page shows, by its pk; LookupError when the page holds no such one.

    def sessie(self, pk: int) -> Reflectiesessie:
        return _find(self.sessies, pk)

    def vraag(self, pk: int) -> Reflectievraag:
        return _find((v for s in self.sessies for v in s.vragen.all()), pk)

    def inbreng(self, pk: int) -> Inbreng:
        vragen = (v for s in self.sessies for v in s.vragen.all())
        return _find((i for v in vragen for i in v.inbreng.all()), pk)

    def doel(self, pk: int) -> DoelBesluit:
        return _find(self.doelen, pk, key=lambda d: d.doel.pk)

    def trend(self, pk: int) -> Trend:
        return _find(self.trends, pk)


def _find[T](items: Iterable[T], pk: int, key: Callable[[T], int] = attrgetter("pk")) -> T:
    for item in items:
        if key(item) == pk:
            return item
    raise LookupError(pk)


def previous_scores(reflectie: Reflectie) -> dict[str, Decimal]:
    """The scores of the programme's reflection a year earlier, by what they are for. One query.

    When one subject was scored twice that year, the first in the page's order counts.
    """
    rows = (
        Inbreng.objects.filter(
            vraag__sessie__reflectie__programma_id=reflectie.programma_id,
            vraag__sessie__reflectie__jaar=reflectie.jaar - 1,
            score__isnull=False,
        )
        .exclude(score_onderwerp="")
        .order_by(
            "vraag__sessie__volgorde",
            "vraag__sessie__id",
            "vraag__volgorde",
            "vraag__id",
            "volgorde",
            "id",
        )
        .values_list("score_onderwerp", "score")
    )
    found: dict[str, Decimal] = {}
    for onderwerp, score in rows:
        found.setdefault(score_key(onderwerp), score)
    return found


def page_of(reflectie: Reflectie) -> Pagina:
    """The reflection's page: sessions with their questions and contributions (each score
    beside last year's), every operational goal with its decision and whether the plan
    reflected on held it, and the trends. A fixed number of queries, whatever the sizes."""
    pagina = Pagina(reflectie, next_plan_number(reflectie))
    inbreng = Inbreng.objects.order_by("volgorde", "id")
    vragen = Reflectievraag.objects.order_by("volgorde", "id").prefetch_related(
        Prefetch("inbreng", queryset=inbreng)
    )
    pagina.sessies = list(
        Reflectiesessie.objects.filter(reflectie=reflectie)
        .select_related("groep")
        .prefetch_related(Prefetch("vragen", queryset=vragen))
        .order_by("volgorde", "datum", "id")
    )
    vorig = previous_scores(reflectie)
    for sessie in pagina.sessies:
        for vraag in sessie.vragen.all():
            for item in vraag.inbreng.all():
                item.score_tekst = score_label(item.score)
                earlier = vorig.get(score_key(item.score_onderwerp or ""))
                item.vorig_tekst = score_label(earlier) if item.score is not None else ""
    besluiten = {
        b.operationeel_doel_id: b for b in Reflectiebesluit.objects.filter(reflectie=reflectie)
    }
    in_plan: set[int] = set()
    if reflectie.faseplan_id:
        in_plan = set(
            FaseplanItem.objects.filter(
                faseplan_id=reflectie.faseplan_id, inspanning__isnull=True
            ).values_list("operationeel_doel_id", flat=True)
        )
    pagina.doelen = [
        DoelBesluit(doel, besluiten.get(doel.pk), doel.pk in in_plan)
        for doel in queries.programme_goals(reflectie.programma)
    ]
    pagina.trends = list(Trend.objects.filter(reflectie=reflectie).order_by("volgorde", "id"))
    return pagina


# Objects named in a URL, each scoped to the reflection (404 for another's).


def sessie_of(reflectie: Reflectie, pk: int) -> Reflectiesessie:
    return get_object_or_404(Reflectiesessie, reflectie=reflectie, pk=pk)


def vraag_of(reflectie: Reflectie, pk: int) -> Reflectievraag:
    return get_object_or_404(
        Reflectievraag.objects.select_related("sessie"), sessie__reflectie=reflectie, pk=pk
    )


def inbreng_of(reflectie: Reflectie, pk: int) -> Inbreng:
    return get_object_or_404(
        Inbreng.objects.select_related("vraag__sessie"), vraag__sessie__reflectie=reflectie, pk=pk
    )


def trend_of(reflectie: Reflectie, pk: int) -> Trend:
    return get_object_or_404(Trend, reflectie=reflectie, pk=pk)


def goal_of(reflectie: Reflectie, pk: int) -> OperationeelDoel:
    """An operational goal of the reflection's programme; 404 for another programme's."""
    return get_object_or_404(
        OperationeelDoel.objects.select_related("strategisch_doel"),
        strategisch_doel__ambitie__programma_id=reflectie.programma_id,
        pk=pk,
    )


def decision_of(reflectie: Reflectie, doel: OperationeelDoel) -> Reflectiebesluit | None:
    return Reflectiebesluit.objects.filter(reflectie=reflectie, operationeel_doel=doel).first()


# -- writes: shared -------------------------------------------------------------------------


def _text(value: Any) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def _write(obj: Model, user, reason: str) -> None:
    """Save one object as a new version, with who and why in its history."""
    obj.full_clean()
    obj.versie += 1
    obj._change_reason = reason or None
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj.save()


def _create(obj: Model, user, reason: str) -> None:
    obj.versie = 0  # _write counts this first save as version 1
    _write(obj, user, reason)


def _next_volgorde(qs: QuerySet) -> int:
    last = qs.aggregate(n=Max("volgorde"))["n"]
    return 0 if last is None else last + 1


def _locked(obj: Model, expected_versie: int | None, what: str) -> Model:
    """The stored object, locked; StaleEdit when it changed (or went) since the editor saw it."""
    current = type(obj).objects.select_for_update().filter(pk=obj.pk).first()
    if current is None:
        raise StaleEdit(
            _("Iemand anders heeft %(what)s intussen verwijderd. Uw invoer is niet opgeslagen.")
            % {"what": what},
            params={"versie": 0},
        )
    _check_version(current.versie, expected_versie if expected_versie is not None else -1, what)
    return current


def _apply(obj: Model, values: dict[str, Any]) -> bool:
    """Set the values that differ; whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _delete(obj: Model, user, reason: str) -> None:
    obj._change_reason = reason or None
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj.delete()


@dataclass(frozen=True)
class _Soort:
    """A kind of thing added to the reflection's page: what it belongs to, and its words."""

    model: type[Model]
    parent: str  # the field naming what it belongs to
    what: Promise  # in a refusal: "deze sessie"
    added: Promise  # the history reasons
    changed: Promise
    deleted: Promise


_SESSIE = _Soort(
    Reflectiesessie,
    "reflectie",
    gettext_lazy("deze sessie"),
    gettext_lazy("Sessie toegevoegd"),
    gettext_lazy("Sessie gewijzigd"),
    gettext_lazy("Sessie verwijderd"),
)
_VRAAG = _Soort(
    Reflectievraag,
    "sessie",
    gettext_lazy("deze vraag"),
    gettext_lazy("Vraag toegevoegd"),
    gettext_lazy("Vraag gewijzigd"),
    gettext_lazy("Vraag verwijderd"),
)
_INBRENG = _Soort(
    Inbreng,
    "vraag",
    gettext_lazy("deze inbreng"),
    gettext_lazy("Inbreng toegevoegd"),
    gettext_lazy("Inbreng gewijzigd"),
    gettext_lazy("Inbreng verwijderd"),
)
_TREND = _Soort(
    Trend,
    "reflectie",
    gettext_lazy("deze trend"),
    gettext_lazy("Trend toegevoegd"),
    gettext_lazy("Trend gewijzigd"),
    gettext_lazy("Trend verwijderd"),
)
# What goes with a deleted session or question, each with its own history row.
_BELOW = {Reflectiesessie: "vragen", Reflectievraag: "inbreng"}


def _save(
    soort: _Soort,
    parent: Model,
    obj: Model | None,
    cleaned: dict[str, Any],
    user,
    expected_versie: int | None,
    reason: str,
) -> tuple[Any, bool]:
    """Add `obj` (None) at the end of its parent's list, or save an edit based on
    `expected_versie`; (object, changed)."""
    if obj is None:
        siblings = soort.model.objects.filter(**{soort.parent: parent})
        obj = soort.model(**{soort.parent: parent}, volgorde=_next_volgorde(siblings), **cleaned)
        _create(obj, user, reason or str(soort.added))
        return obj, True
    current = _locked(obj, expected_versie, str(soort.what))
    if not _apply(current, cleaned):
        return current, False
    _write(current, user, reason or str(soort.changed))
    return current, True


def _remove(soort: _Soort, obj: Model, user, expected_versie: int | None, reason: str) -> None:
    """Delete `obj` with what hangs below it, unless it changed since `expected_versie`."""
    current = _locked(obj, expected_versie, str(soort.what))
    _delete_tree(current, user, reason or str(soort.deleted))


def _delete_tree(obj: Model, user, reason: str) -> None:
    if below := _BELOW.get(type(obj)):
        for child in getattr(obj, below).all():
            _delete_tree(child, user, reason)
    _delete(obj, user, reason)


# -- the reflection itself ------------------------------------------------------------------


def _check_faseplan(programma: Programma, faseplan: Faseplan | None) -> None:
    if faseplan is not None and faseplan.programma_id != programma.pk:
        raise ValidationError({"faseplan": _("Kies een faseplan van dit programma.")})


@transaction.atomic
def create_reflectie(
    programma: Programma,
    user,
    *,
    jaar: int,
    faseplan: Faseplan | None = None,
    inleiding: str = "",
) -> Reflectie:
    """Start the eiland van reflectie of `jaar`, looking back on `faseplan`.

    Raises ValidationError on "jaar" when the programme already has one that year, on
    "faseplan" for another programme's plan; writes nothing then. Side effects: the
    Reflectie with a history row.
    """
    if not jaar or not 2000 <= jaar <= 2100:
        raise ValidationError({"jaar": _("Vul een jaartal in, bijvoorbeeld 2024.")})
    _check_faseplan(programma, faseplan)
    if Reflectie.objects.filter(programma=programma, jaar=jaar).exists():
        raise ValidationError(
            {"jaar": _("Er is al een eiland van reflectie over %(jaar)s.") % {"jaar": jaar}}
        )
    reflectie = Reflectie(
        programma=programma, jaar=jaar, faseplan=faseplan, inleiding=_text(inleiding)
    )
    _create(reflectie, user, _("Eiland van reflectie aangemaakt"))
    return reflectie


@transaction.atomic
def update_reflectie(
    reflectie: Reflectie,
    user,
    *,
    expected_versie: int | None,
    faseplan: Faseplan | None,
    inleiding: str,
    reason: str = "",
) -> bool:
    """Change which faseplan is reflected on and the introduction; False when unchanged.

    Raises StaleEdit when someone changed it since `expected_versie`.
    """
    current = _locked(reflectie, expected_versie, _("de inleiding"))
    _check_faseplan(current.programma, faseplan)
    if not _apply(current, {"faseplan": faseplan, "inleiding": _text(inleiding)}):
        return False
    _write(current, user, reason or _("Inleiding gewijzigd"))
    return True


# -- sessions -------------------------------------------------------------------------------


def _sessie_values(reflectie: Reflectie, values: dict[str, Any]) -> dict[str, Any]:
    groep: Groep | None = values.get("groep")
    chosen = set(values.get("kanten") or [])
    errors: dict[str, str] = {}
    unknown = chosen - set(Kant.values)
    if unknown:
        errors["kanten"] = _("Kies alleen ZIJ, HET, IK of WIJ.")
    if groep is not None and groep.programma_id != reflectie.programma_id:
        errors["groep"] = _("Kies een groep van dit programma.")
    deelnemers = _text(values.get("deelnemers"))
    if not deelnemers and groep is not None and "groep" not in errors:
        deelnemers = groep.naam
    if not deelnemers:
        errors["deelnemers"] = _("Zeg met wie de sessie was, bijvoorbeeld Stuurgroep.")
    _refuse(errors)
    return {
        "groep": groep,
        "deelnemers": deelnemers,
        "datum": values.get("datum"),
        "begeleider": _text(values.get("begeleider")),
        # In the model's order, each once, whatever order the form sent.
        "kanten": [k for k in Kant.values if k in chosen],
        "samenvatting": _text(values.get("samenvatting")),
    }


@transaction.atomic
def save_sessie(
    reflectie: Reflectie,
    user,
    sessie: Reflectiesessie | None = None,
    *,
    expected_versie: int | None = None,
    reason: str = "",
    **values: Any,
) -> tuple[Reflectiesessie, bool]:
    """Record a new session (`sessie` None) or save an edit of one; (session, changed).

    Values: groep, deelnemers (the group's name when left empty), datum, begeleider,
    kanten (ZIJ/HET/IK/WIJ), samenvatting. Raises ValidationError naming the field, or
    StaleEdit for an edit based on an older version; writes nothing then.
    """
    return _save(
        _SESSIE, reflectie, sessie, _sessie_values(reflectie, values), user, expected_versie, reason
    )


@transaction.atomic
def delete_sessie(
    sessie: Reflectiesessie, user, *, expected_versie: int | None, reason: str = ""
) -> None:
    """Delete a session with its questions and contributions (their history keeps them)."""
    _remove(_SESSIE, sessie, user, expected_versie, reason)


# -- questions ------------------------------------------------------------------------------


def _vraag_values(values: dict[str, Any]) -> dict[str, Any]:
    tekst = _text(values.get("tekst"))
    kant = values.get("kant") or ""
    errors: dict[str, str] = {}
    if not tekst:
        errors["tekst"] = _("Vul de vraag in.")
    if kant and kant not in Kant.values:
        errors["kant"] = _("Kies ZIJ, HET, IK of WIJ, of geen kant.")
    _refuse(errors)
    return {"tekst": tekst, "kant": kant}


@transaction.atomic
def save_vraag(
    sessie: Reflectiesessie,
    user,
    vraag: Reflectievraag | None = None,
    *,
    expected_versie: int | None = None,
    reason: str = "",
    **values: Any,
) -> tuple[Reflectievraag, bool]:
    """Put a new question to the session (`vraag` None) or save an edit; (question, changed).

    Values: tekst, kant (optional). Refusals as in `save_sessie`.
    """
    return _save(_VRAAG, sessie, vraag, _vraag_values(values), user, expected_versie, reason)


@transaction.atomic
def delete_vraag(
    vraag: Reflectievraag, user, *, expected_versie: int | None, reason: str = ""
) -> None:
    """Delete a question with its contributions (their history keeps them)."""
    _remove(_VRAAG, vraag, user, expected_versie, reason)


# -- contributions --------------------------------------------------------------------------


def _inbreng_values(values: dict[str, Any]) -> dict[str, Any]:
    tekst = _text(values.get("tekst"))
    onderwerp = " ".join((values.get("score_onderwerp") or "").split())
    score = values.get("score")
    errors: dict[str, str] = {}
    if not tekst:
        errors["tekst"] = _("Vul de inbreng in.")
    if score is not None:
        try:
            score = parse_score(score) if isinstance(score, str) else _checked_score(Decimal(score))
        except ValidationError as error:
            errors["score"] = error.messages[0]
    if score is not None and not onderwerp and "score" not in errors:
        errors["score_onderwerp"] = _(
            "Zeg waarvoor het cijfer is, bijvoorbeeld “ik voel me ambassadeur”."
        )
    if onderwerp and score is None and "score" not in errors:
        errors["score"] = _("Vul het cijfer in, bijvoorbeeld 6,9, of laat “cijfer voor” leeg.")
    _refuse(errors)
    return {"tekst": tekst, "score_onderwerp": onderwerp, "score": score}


@transaction.atomic
def save_inbreng(
    vraag: Reflectievraag,
    user,
    inbreng: Inbreng | None = None,
    *,
    expected_versie: int | None = None,
    reason: str = "",
    **values: Any,
) -> tuple[Inbreng, bool]:
    """Record what was brought in on a question (`inbreng` None) or save an edit.

    Values: tekst; optionally score (0 to 10, one decimal; "6,9" or "6.9" as text too) with
    score_onderwerp, what it is for. Refusals as in `save_sessie`.
    """
    return _save(_INBRENG, vraag, inbreng, _inbreng_values(values), user, expected_versie, reason)


@transaction.atomic
def delete_inbreng(
    inbreng: Inbreng, user, *, expected_versie: int | None, reason: str = ""
) -> None:
    _remove(_INBRENG, inbreng, user, expected_versie, reason)


# -- decisions per operational goal ---------------------------------------------------------


def _decision_what(doel: OperationeelDoel) -> str:
    return _("het besluit over “%(doel)s”") % {"doel": doel.titel}


def _locked_decision(
    reflectie: Reflectie, doel: OperationeelDoel, expected_versie: int | None
) -> Reflectiebesluit | None:
    """The goal's decision, locked; StaleEdit when it is not the one the editor saw.

    Version 0 stands for "no decision yet": a decision made meanwhile is a change too.
    """
    # Lock the reflection: two first decisions on the same goal queue up here.
    Reflectie.objects.select_for_update().filter(pk=reflectie.pk).first()
    current = (
        Reflectiebesluit.objects.select_for_update()
        .filter(reflectie=reflectie, operationeel_doel=doel)
        .first()
    )
    seen = expected_versie if expected_versie is not None else -1
    _check_version(current.versie if current else 0, seen, _decision_what(doel))
    return current


def _check_goal(reflectie: Reflectie, doel: OperationeelDoel) -> None:
    if not OperationeelDoel.objects.filter(
        pk=doel.pk, strategisch_doel__ambitie__programma_id=reflectie.programma_id
    ).exists():
        raise ValidationError({"operationeel_doel": _("Dit doel hoort bij een ander programma.")})


@transaction.atomic
def decide_goal(
    reflectie: Reflectie,
    user,
    doel: OperationeelDoel,
    *,
    besluit: str,
    reden: str = "",
    faseplan_nummer: int | None = None,
    expected_versie: int | None,
) -> tuple[Reflectiebesluit | None, bool]:
    """Record or change what the reflection decided for `doel`; (decision, changed).

    `besluit` "volgend" (the next faseplan), "later" (faseplan `faseplan_nummer`, higher than
    the next one) or "stoppen", each with a reason; "" takes the decision back to "nog niet
    besloten". `expected_versie` is the decision's version the editor saw, 0 for none.
    Raises ValidationError naming the field, or StaleEdit; writes nothing then.
    """
    _check_goal(reflectie, doel)
    current = _locked_decision(reflectie, doel, expected_versie)
    if not besluit:
        if current is None:
            return None, False
        _delete(current, user, _("Besluit teruggezet naar nog niet besloten"))
        return None, True
    reden = _text(reden)
    volgend = next_plan_number(reflectie)
    errors: dict[str, str] = {}
    if besluit not in Besluit.values:
        errors["besluit"] = _("Kies een besluit.")
    if not reden:
        errors["reden"] = _("Geef de reden van dit besluit.")
    if besluit == Besluit.LATER:
        if not faseplan_nummer:
            errors["faseplan_nummer"] = _("Zeg in welk later faseplan dit doel start.")
        elif faseplan_nummer <= volgend:
            errors["faseplan_nummer"] = _(
                "Een later faseplan komt na het volgende (faseplan %(volgend)s): "
                "kies %(eerste)s of hoger."
            ) % {"volgend": volgend, "eerste": volgend + 1}
    else:
        faseplan_nummer = None
    _refuse(errors)
    values = {"besluit": besluit, "reden": reden, "faseplan_nummer": faseplan_nummer}
    if current is None:
        decision = Reflectiebesluit(reflectie=reflectie, operationeel_doel=doel, **values)
        _create(decision, user, _("Besluit vastgelegd"))
        return decision, True
    if not _apply(current, values):
        return current, False
    _write(current, user, _("Besluit gewijzigd"))
    return current, True


@transaction.atomic
def clear_decision(
    reflectie: Reflectie, user, doel: OperationeelDoel, *, expected_versie: int | None
) -> bool:
    """Take the goal back to "nog niet besloten"; whether there was a decision to remove.

    The history keeps the decision and its reason. StaleEdit when it changed meanwhile.
    """
    _decision, changed = decide_goal(
        reflectie, user, doel, besluit="", expected_versie=expected_versie
    )
    return changed


# -- trends ---------------------------------------------------------------------------------


def _trend_values(values: dict[str, Any]) -> dict[str, Any]:
    titel = _text(values.get("titel"))
    if not titel:
        raise ValidationError({"titel": _("Vul de trend of ontwikkeling in.")})
    return {
        "letter": _text(values.get("letter")).rstrip(".").upper(),
        "titel": titel,
        "toelichting": _text(values.get("toelichting")),
        "startmoment": _text(values.get("startmoment")),
    }


@transaction.atomic
def save_trend(
    reflectie: Reflectie,
    user,
    trend: Trend | None = None,
    *,
    expected_versie: int | None = None,
    reason: str = "",
    **values: Any,
) -> tuple[Trend, bool]:
    """Record a trend or development to pick up (`trend` None), or save an edit.

    Values: letter ("A"), titel, toelichting, startmoment ("direct na de zomer").
    Refusals as in `save_sessie`.
    """
    return _save(_TREND, reflectie, trend, _trend_values(values), user, expected_versie, reason)


@transaction.atomic
def delete_trend(trend: Trend, user, *, expected_versie: int | None, reason: str = "") -> None:
    _remove(_TREND, trend, user, expected_versie, reason)
