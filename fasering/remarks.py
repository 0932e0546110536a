"""Remarks (opmerkingen) of the stuurgroep on a faseplan that is ter besluitvorming.

A remark sits on one section of the plan (`Opmerking.sectie`): "doel-<item id>", "planning",
"begroting" or "tekst-<name>". The programme leader answers it or resolves it; resolved
remarks stay, folded away. Who may do which is checked by the views (fasering/rules.py); the
services check what the data allows, each in one transaction and saved per object so that
the history records it.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from fasering.compare import TEXT_SECTIONS
from fasering.models import Faseplan, FaseplanItem, Opmerking
from programmes.models import Programma

MAX_LENGTH = 4000


def section_label(faseplan: Faseplan, sectie: str, items: dict[int, str] | None = None) -> str:
    """The section's name in a sentence ("doel 1.1 Vroegsignalering", "de planning").

    `items` maps a goal item's id to its code and title; without it, it is looked up.
    Raises ValidationError for a section the plan does not have.
    """
    if sectie == "planning":
        return _("de planning")
    if sectie == "begroting":
        return _("de begroting")
    if sectie.startswith("tekst-") and sectie[6:] in TEXT_SECTIONS:
        return str(TEXT_SECTIONS[sectie[6:]]).lower()
    if sectie.startswith("doel-") and sectie[5:].isdigit():
        item_id = int(sectie[5:])
        if items is None:
            items = _goal_items(faseplan, item_id)
        if item_id in items:
            return _("doel %(doel)s") % {"doel": items[item_id]}
    raise ValidationError({"sectie": _("Dit onderdeel bestaat niet in dit faseplan.")})


def _goal_items(faseplan: Faseplan, item_id: int | None = None) -> dict[int, str]:
    items = FaseplanItem.objects.filter(faseplan=faseplan, inspanning__isnull=True)
    if item_id is not None:
        items = items.filter(pk=item_id)
    rows = items.values_list("pk", "operationeel_doel__code", "operationeel_doel__titel")
    return {pk: f"{code} {titel}".strip() for pk, code, titel in rows}


def _clean_text(text: str, field_name: str, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field_name: missing})
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            {field_name: _("Houd het bij %(n)d tekens of minder.") % {"n": MAX_LENGTH}}
        )
    return text


@transaction.atomic
def add_remark(faseplan: Faseplan, sectie: str, tekst: str, user: AbstractBaseUser) -> Opmerking:
    """Leave a remark on a section of a plan that is ter besluitvorming."""
    faseplan = Faseplan.objects.select_for_update().get(pk=faseplan.pk)
    if faseplan.status != Faseplan.Status.TER_BESLUITVORMING:
        raise ValidationError(
            _(
                "Opmerkingen kunnen alleen worden geplaatst zolang het faseplan ter "
                "besluitvorming ligt."
            )
        )
    section_label(faseplan, sectie)
    opmerking = Opmerking(
        faseplan=faseplan,
        sectie=sectie,
        tekst=_clean_text(tekst, "tekst", _("Schrijf uw opmerking.")),
        auteur=user,
    )
    opmerking._change_reason = _("Opmerking geplaatst")
    opmerking.save()
    return opmerking


@transaction.atomic
def answer_remark(opmerking: Opmerking, antwoord: str, user: AbstractBaseUser) -> Opmerking:
    """Answer a remark (again: a new answer replaces the earlier one, which history keeps)."""
    opmerking = Opmerking.objects.select_for_update().get(pk=opmerking.pk)
    if not opmerking.open:
        raise ValidationError(_("Deze opmerking is al afgehandeld."))
    opmerking.antwoord = _clean_text(antwoord, "antwoord", _("Schrijf uw antwoord."))
    opmerking.beantwoord_door = user
    opmerking.beantwoord_op = timezone.now()
    opmerking._change_reason = _("Opmerking beantwoord")
    opmerking.save()
    return opmerking


@transaction.atomic
def resolve_remark(opmerking: Opmerking, user: AbstractBaseUser) -> Opmerking:
    """Mark a remark as dealt with; it then folds away on the plan."""
    opmerking = Opmerking.objects.select_for_update().get(pk=opmerking.pk)
    if not opmerking.open:
        raise ValidationError(_("Deze opmerking is al afgehandeld."))
    opmerking.afgehandeld_op = timezone.now()
    opmerking._change_reason = _("Opmerking afgehandeld door %(wie)s") % {
        "wie": user.get_full_name() or user.get_username()
    }
    opmerking.save()
    return opmerking


# -- reading ---------------------------------------------------------------------------------


@dataclass
class SectionRemarks:
    label: str
    open: list[Opmerking] = field(default_factory=list)
    afgehandeld: list[Opmerking] = field(default_factory=list)


@dataclass
class PlanRemarks:
    """All remarks of a plan by section, read in one go for the whole page."""

    faseplan: Faseplan
    by_section: dict[str, tuple[list[Opmerking], list[Opmerking]]]
    items: dict[int, str]
    may_add: bool
    may_answer: bool

    @property
    def accepts_remarks(self) -> bool:
        return self.faseplan.status == Faseplan.Status.TER_BESLUITVORMING

    def section(self, sectie: str) -> SectionRemarks:
        try:
            label = section_label(self.faseplan, sectie, self.items)
        except ValidationError:
            label = sectie
        open_, done = self.by_section.get(sectie, ([], []))
        return SectionRemarks(label, open_, done)


def plan_remarks(faseplan: Faseplan, user: AbstractBaseUser, *, archived: bool) -> PlanRemarks:
    """The remarks of `faseplan` and what `user` may do with them (two queries)."""
    by_section: dict[str, tuple[list[Opmerking], list[Opmerking]]] = defaultdict(lambda: ([], []))
    for opmerking in Opmerking.objects.filter(faseplan=faseplan).select_related(
        "auteur", "beantwoord_door"
    ):
        open_, done = by_section[opmerking.sectie]
        (open_ if opmerking.open else done).append(opmerking)
    programma = faseplan.programma
    return PlanRemarks(
        faseplan=faseplan,
        by_section=dict(by_section),
        items=_goal_items(faseplan),
        may_add=not archived
        and faseplan.status == Faseplan.Status.TER_BESLUITVORMING
        and user.has_perm("fasering.add_opmerking", programma),
        may_answer=not archived and user.has_perm("fasering.answer_opmerking", programma),
    )


def plans_with_open_remarks(programma: Programma) -> QuerySet[Faseplan]:
    """The programme's plans that have open remarks, in one query, each with `aantal_open`
    and `eerste_sectie`, the section of the oldest open remark (to link to)."""
    oldest_open = Opmerking.objects.filter(faseplan=OuterRef("pk"), afgehandeld_op=None).order_by(
        "geplaatst_op", "id"
    )
    return (
        Faseplan.objects.filter(programma=programma)
        .annotate(
            aantal_open=Count("opmerkingen", filter=Q(opmerkingen__afgehandeld_op=None)),
            eerste_sectie=Subquery(oldest_open.values("sectie")[:1]),
        )
        .filter(aantal_open__gt=0)
        .order_by("nummer")
    )
