"""Every write to a faseplan that people make in the browser.

One browser action is one call here, in one transaction. The plan's texts and each item are
version-checked (`versie`): a save based on an older version is refused, never silently
applied. Writes save per object, so django-simple-history records who changed what, and why.
A frozen plan (vastgesteld or vervangen, or with a snapshot) refuses every edit.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from doelenboom.models import DoelPartner, Inspanning, InspanningPartner, OperationeelDoel
from fasering import queries
from fasering.content import TEXT_SECTIONS, month_label
from fasering.models import Fase, Faseplan, FaseplanItem, Middelen
from programmes.models import Organisatie, Programma

EDITABLE = (Faseplan.Status.CONCEPT, Faseplan.Status.TER_BESLUITVORMING)


class PlanFrozen(ValidationError):
    """The plan is adopted (or replaced) and may no longer change."""


class StaleEdit(ValidationError):
    """Someone else saved the same thing since the editor opened it."""


def editable(faseplan: Faseplan) -> bool:
    return faseplan.status in EDITABLE and faseplan.snapshot is None


def frozen_message(faseplan: Faseplan) -> str:
    return _("Faseplan %(nummer)s is %(status)s en kan niet meer worden gewijzigd.") % {
        "nummer": faseplan.nummer,
        "status": faseplan.get_status_display().lower(),
    }


def _refuse_if_frozen(faseplan: Faseplan) -> None:
    if not editable(faseplan):
        raise PlanFrozen(frozen_message(faseplan))


def _locked_plan(faseplan: Faseplan) -> Faseplan:
    current = Faseplan.objects.select_for_update().get(pk=faseplan.pk)
    _refuse_if_frozen(current)
    return current


def _check_version(current_versie: int, expected_versie: int, what: str) -> None:
    if current_versie != expected_versie:
        raise StaleEdit(
            _(
                "Iemand anders heeft %(what)s intussen gewijzigd. Uw invoer is nog niet "
                "opgeslagen. Kijk in een nieuw tabblad wat er nu staat; sla daarna opnieuw op "
                "om uw versie te bewaren."
            )
            % {"what": what},
            params={"versie": current_versie},
        )


def _save(obj, reason: str) -> None:
    obj._change_reason = reason or None
    obj.save()


def _bump(faseplan: Faseplan, reason: str) -> None:
    faseplan.versie += 1
    _save(faseplan, reason)


# -- the plan -------------------------------------------------------------------------------


def next_number(programma: Programma) -> int:
    highest = queries.faseplannen(programma).aggregate(n=Max("nummer"))["n"]
    return (highest or 0) + 1


@transaction.atomic
def create_faseplan(
    programma: Programma, *, nummer: int, titel: str, start: datetime.date, eind: datetime.date
) -> Faseplan:
    if queries.faseplannen(programma).filter(nummer=nummer).exists():
        raise ValidationError(
            {"nummer": _("Dit programma heeft al een faseplan met nummer %(n)s.") % {"n": nummer}}
        )
    faseplan = Faseplan(programma=programma, nummer=nummer, titel=titel, start=start, eind=eind)
    faseplan.full_clean()
    _save(faseplan, _("Faseplan aangemaakt"))
    return faseplan


@transaction.atomic
def update_faseplan_texts(
    faseplan: Faseplan, texts: dict[str, str], *, expected_versie: int, reason: str = ""
) -> bool:
    """Save the plan's text sections; False when nothing changed."""
    current = _locked_plan(faseplan)
    _check_version(current.versie, expected_versie, _("de teksten van dit faseplan"))
    changed = False
    for name in TEXT_SECTIONS:
        if name in texts and getattr(current, name) != texts[name]:
            setattr(current, name, texts[name])
            changed = True
    if changed:
        _bump(current, reason)
    return changed


# -- fases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FaseValues:
    naam: str
    start: datetime.date
    eind: datetime.date


def _check_fases(faseplan: Faseplan, fases: Sequence[FaseValues]) -> None:
    """Each fase lies inside the plan's period, ends after it starts, and none overlap."""
    errors: list[str] = []
    names = [f.naam.strip().lower() for f in fases]
    for fase in fases:
        if not fase.naam.strip():
            errors.append(_("Een fase heeft geen naam."))
        if names.count(fase.naam.strip().lower()) > 1:
            errors.append(_("Er zijn twee fases met de naam “%(naam)s”.") % {"naam": fase.naam})
        if fase.eind < fase.start:
            errors.append(
                _("%(naam)s eindigt (%(eind)s) vóór zij begint (%(start)s).")
                % {
                    "naam": fase.naam,
                    "start": month_label(fase.start),
                    "eind": month_label(fase.eind),
                }
            )
        elif fase.start < faseplan.start or fase.eind > faseplan.eind:
            errors.append(
                _(
                    "%(naam)s (%(start)s \u2013 %(eind)s) valt buiten de periode van het faseplan "
                    "(%(plan_start)s \u2013 %(plan_eind)s)."
                )
                % {
                    "naam": fase.naam,
                    "start": month_label(fase.start),
                    "eind": month_label(fase.eind),
                    "plan_start": month_label(faseplan.start),
                    "plan_eind": month_label(faseplan.eind),
                }
            )
    ordered = sorted((f for f in fases if f.eind >= f.start), key=lambda f: f.start)
    for earlier, later in pairwise(ordered):
        if later.start <= earlier.eind:
            errors.append(
                _("%(a)s en %(b)s overlappen: %(b)s begint in %(maand)s, vóór %(a)s is afgelopen.")
                % {"a": earlier.naam, "b": later.naam, "maand": month_label(later.start)}
            )
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))


def _values(fase: Fase) -> FaseValues:
    return FaseValues(fase.naam, fase.start, fase.eind)


@transaction.atomic
def set_fases(faseplan: Faseplan, fases: Sequence[FaseValues], *, reason: str = "") -> None:
    """Replace the plan's fases by `fases` (matched by name, so items keep their start fase)."""
    current = _locked_plan(faseplan)
    _check_fases(current, fases)
    existing = {fase.naam.lower(): fase for fase in current.fases.all()}
    wanted = {f.naam.strip().lower(): f for f in fases}
    for key, fase in existing.items():
        if key not in wanted:
            fase._change_reason = reason or None
            fase.delete()
    for key, values in wanted.items():
        fase = existing.get(key) or Fase(faseplan=current)
        fase.naam, fase.start, fase.eind = values.naam.strip(), values.start, values.eind
        _save(fase, reason)
    _bump(current, reason)


@transaction.atomic
def add_fase(faseplan: Faseplan, values: FaseValues, *, reason: str = "") -> Fase:
    current = _locked_plan(faseplan)
    _check_fases(current, [*map(_values, current.fases.all()), values])
    fase = Fase(faseplan=current, naam=values.naam.strip(), start=values.start, eind=values.eind)
    _save(fase, reason)
    _bump(current, reason)
    return fase


def _locked_fase(fase: Fase, expected_versie: int | None) -> Fase:
    """The stored fase, locked; refused when someone changed it since `expected_versie`."""
    stored = Fase.objects.select_for_update().get(pk=fase.pk)
    if expected_versie is not None:
        _check_version(stored.versie, expected_versie, _("%(naam)s") % {"naam": stored.naam})
    return stored


@transaction.atomic
def update_fase(
    fase: Fase, values: FaseValues, *, reason: str = "", expected_versie: int | None = None
) -> Fase:
    """Change a fase; with `expected_versie`, refused (StaleEdit) if it changed since."""
    current = _locked_plan(fase.faseplan)
    fase = _locked_fase(fase, expected_versie)
    others = [_values(f) for f in current.fases.exclude(pk=fase.pk)]
    _check_fases(current, [*others, values])
    fase.naam, fase.start, fase.eind = values.naam.strip(), values.start, values.eind
    fase.versie += 1
    _save(fase, reason)
    _bump(current, reason)
    return fase


@transaction.atomic
def delete_fase(fase: Fase, *, reason: str = "", expected_versie: int | None = None) -> None:
    """Delete a fase; items that started in it keep no start fase. With `expected_versie`,
    refused (StaleEdit) if the fase changed since the editor saw it."""
    current = _locked_plan(fase.faseplan)
    fase = _locked_fase(fase, expected_versie)
    for item in current.items.filter(start_fase=fase):
        item.start_fase = None
        item.versie += 1
        _save(item, reason)
    fase._change_reason = reason or None
    fase.delete()
    _bump(current, reason)


# -- goals and inspanningen -----------------------------------------------------------------


def _new_item(faseplan: Faseplan, goal: OperationeelDoel, volgorde: int, **kw) -> FaseplanItem:
    item = FaseplanItem(
        faseplan=faseplan, operationeel_doel=goal, volgorde=volgorde, middelen=Middelen.ONBEKEND
    )
    for name, value in kw.items():
        setattr(item, name, value)
    return item


@transaction.atomic
def set_goals(faseplan: Faseplan, goal_ids: Iterable[int], *, reason: str = "") -> None:
    """Take up exactly these operational goals (with the tree's partners as a start); a goal
    that leaves the plan takes its inspanningen with it."""
    current = _locked_plan(faseplan)
    tree = queries.programme_goals(current.programma)
    order = {goal.pk: index for index, goal in enumerate(tree)}
    wanted = set(goal_ids)
    unknown = wanted - order.keys()
    if unknown:
        raise ValidationError(_("Een gekozen doel hoort niet bij dit programma."))
    items = list(current.items.all())
    have = {item.operationeel_doel_id for item in items if item.inspanning_id is None}
    for item in items:
        if item.operationeel_doel_id not in wanted:
            item._change_reason = reason or None
            item.delete()
    partners: dict[int, list[int]] = {}
    for link in DoelPartner.objects.filter(operationeel_doel_id__in=wanted - have):
        partners.setdefault(link.operationeel_doel_id, []).append(link.organisatie_id)
    for goal in tree:
        if goal.pk in wanted and goal.pk not in have:
            item = _new_item(current, goal, order[goal.pk] * 1000)
            _save(item, reason)
            item.partners.set(partners.get(goal.pk, []))
    _bump(current, reason)


@transaction.atomic
def set_inspanningen(
    faseplan: Faseplan, goal: OperationeelDoel, inspanning_ids: Iterable[int], *, reason: str = ""
) -> None:
    """Take up exactly these inspanningen under `goal`; each must serve it."""
    current = _locked_plan(faseplan)
    goal_item = current.items.filter(operationeel_doel=goal, inspanning__isnull=True).first()
    if goal_item is None:
        raise ValidationError(_("Kies eerst het doel “%(titel)s”.") % {"titel": goal.titel})
    serving = {insp.pk: insp for insp in queries.goal_inspanningen(goal)}
    wanted = set(inspanning_ids)
    for pk in wanted - serving.keys():
        titel = Inspanning.objects.filter(pk=pk).values_list("titel", flat=True).first()
        raise ValidationError(
            _("“%(insp)s” draagt niet bij aan “%(doel)s” en kan daar niet onder.")
            % {"insp": titel or pk, "doel": goal.titel}
        )
    items = list(current.items.filter(operationeel_doel=goal, inspanning__isnull=False))
    have = {item.inspanning_id for item in items}
    for item in items:
        if item.inspanning_id not in wanted:
            item._change_reason = reason or None
            item.delete()
    partners: dict[int, list[int]] = {}
    for link in InspanningPartner.objects.filter(inspanning_id__in=wanted - have):
        partners.setdefault(link.inspanning_id, []).append(link.organisatie_id)
    for index, (pk, insp) in enumerate(serving.items()):
        if pk in wanted and pk not in have:
            item = _new_item(current, goal, goal_item.volgorde + index + 1, inspanning=insp)
            _save(item, reason)
            item.partners.set(partners.get(pk, []))
    _bump(current, reason)


@dataclass(frozen=True)
class ItemValues:
    start_fase: Fase | None
    loopt_door: bool
    partners: Sequence[Organisatie]
    partners_vrij: str
    middelen: str
    middelen_toelichting: str
    toelichting: str


FIELDS = ("start_fase", "loopt_door", "partners_vrij", "middelen", "middelen_toelichting")


@transaction.atomic
def update_item(
    item: FaseplanItem, values: ItemValues, *, expected_versie: int, reason: str = ""
) -> bool:
    """Save one item's planning; False when nothing changed."""
    _locked_plan(item.faseplan)
    current = FaseplanItem.objects.select_for_update().get(pk=item.pk)
    _check_version(current.versie, expected_versie, str(current))
    if values.start_fase is not None and values.start_fase.faseplan_id != current.faseplan_id:
        raise ValidationError({"start_fase": _("Deze fase hoort bij een ander faseplan.")})
    allowed = {org.pk for org in queries.current_partners(item.faseplan.programma)}
    kept = set(current.partners.values_list("pk", flat=True))
    partner_ids = {org.pk for org in values.partners}
    if partner_ids - allowed - kept:
        raise ValidationError({"partners": _("Kies alleen partners van dit programma.")})
    changed = partner_ids != kept
    for name in (*FIELDS, "toelichting"):
        new = getattr(values, name)
        if getattr(current, name) != new:
            setattr(current, name, new)
            changed = True
    if changed:
        current.versie += 1
        current.full_clean(exclude=["faseplan", "operationeel_doel", "inspanning"])
        _save(current, reason)
        current.partners.set(partner_ids)
    return changed
