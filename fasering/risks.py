"""A programme's risks and randvoorwaarden (preconditions), with their mitigation.

Reads for the risk page, and every write people make there: one call is one transaction,
checked against the `versie` the editor started from, and saved per object so that
django-simple-history records who changed what, with a reason. A risk may be tied to an
ambitie or an inspanning (project) of its own programme only.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from doelenboom.models import Ambitie, Inspanning
from fasering.access import require_plan
from fasering.models import Risico
from programmes.access import ProgrammaAccess
from programmes.models import Programma

FIELDS = (
    "soort",
    "omschrijving",
    "kans",
    "impact",
    "beheersmaatregel",
    "eigenaar",
    "status",
    "ambitie",
    "inspanning",
)

OPEN = "open"
ALLE = "alle"


def require_risk_edit(access: ProgrammaAccess, user) -> None:
    """Refuse a write to the risks (also a crafted POST) to all but the leader and team."""
    require_plan(
        user, access, _("Alleen de programmaleider en het programmateam beheren de risico's.")
    )


# -- reads ----------------------------------------------------------------------------------


@dataclass
class SoortRisicos:
    soort: str
    label: str
    risicos: list[Risico] = field(default_factory=list)


def risks_by_soort(programma: Programma, toon: str = ALLE) -> list[SoortRisicos]:
    """The programme's risks, then its randvoorwaarden; only the open ones if `toon` is "open".

    Both sections are always there, so the page can say when one is empty. Two queries.
    """
    sections = {
        Risico.Soort.RISICO: SoortRisicos(Risico.Soort.RISICO, _("Risico's")),
        Risico.Soort.RANDVOORWAARDE: SoortRisicos(
            Risico.Soort.RANDVOORWAARDE, _("Randvoorwaarden")
        ),
    }
    risicos = Risico.objects.filter(programma=programma).select_related("ambitie", "inspanning")
    if toon == OPEN:
        risicos = risicos.filter(status=Risico.Status.OPEN)
    for risico in risicos.order_by("volgorde", "id"):
        risico.kop, risico.rest = heading_and_rest(risico.omschrijving)
        sections[risico.soort].risicos.append(risico)
    return list(sections.values())


def heading_and_rest(omschrijving: str, words: int = 16) -> tuple[str, str]:
    """A short heading for a risk (its first paragraph, or its opening words) and the text
    still to show below it, so nothing is said twice and nothing is lost."""
    first, _sep, rest = omschrijving.strip().partition("\n\n")
    first_words = first.split()
    if len(first_words) <= words:
        return " ".join(first_words), rest.strip()
    return " ".join(first_words[:words]) + " …", omschrijving.strip()


def risk_of(programma: Programma, pk: int) -> Risico:
    """One risk of the programme; 404 for another programme's."""
    return get_object_or_404(
        Risico.objects.select_related("ambitie", "inspanning"), programma=programma, pk=pk
    )


def ambitie_choices(programma: Programma):
    return Ambitie.objects.filter(programma=programma).order_by("volgorde", "id")


def inspanning_choices(programma: Programma):
    return Inspanning.objects.filter(programma=programma).order_by("volgorde", "id")


# -- writes ---------------------------------------------------------------------------------


def _clean_values(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {name: values.get(name) for name in FIELDS}
    for name in ("omschrijving", "beheersmaatregel", "eigenaar"):
        cleaned[name] = (cleaned[name] or "").replace("\r\n", "\n").strip()
    for name in ("kans", "impact"):
        cleaned[name] = cleaned[name] or ""
    return cleaned


def _save(risico: Risico, user, reason: str) -> None:
    risico.full_clean()
    risico.versie += 1
    risico._change_reason = reason
    risico._history_user = user
    risico.save()


@transaction.atomic
def create_risico(programma: Programma, user, *, reason: str = "", **values: Any) -> Risico:
    """Record a new risk or randvoorwaarde of the programme, at the end of its list.

    Raises ValidationError (writing nothing) for an ambitie or inspanning of another
    programme or a missing description. Side effects: the Risico saved with a history row.
    """
    last = (
        Risico.objects.filter(programma=programma)
        .order_by("-volgorde")
        .values_list("volgorde", flat=True)
    ).first()
    risico = Risico(
        programma=programma,
        volgorde=0 if last is None else last + 1,
        **_clean_values(values),
    )
    risico.versie = 0  # _save counts this first save as version 1
    _save(risico, user, reason or _("Risico toegevoegd"))
    return risico


def _locked(risico: Risico, expected_versie: int) -> Risico:
    current = Risico.objects.select_for_update().filter(pk=risico.pk).first()
    if current is None:
        raise ValidationError(
            _("Iemand anders heeft dit risico intussen verwijderd."), code="conflict"
        )
    if current.versie != expected_versie:
        raise ValidationError(
            _(
                "Iemand anders heeft dit risico intussen gewijzigd. Bekijk de nieuwe versie "
                "en voer uw wijziging opnieuw in."
            ),
            code="conflict",
        )
    return current


@transaction.atomic
def update_risico(
    risico: Risico, user, *, expected_versie: int, reason: str = "", **values: Any
) -> bool:
    """Save an edit of a risk if nobody changed it since `expected_versie`.

    Returns whether anything changed; an unchanged edit writes nothing. Raises
    ValidationError (code "conflict" for a newer version; else naming the field), writing
    nothing. Side effects: the Risico saved with a history row carrying `reason`.
    """
    current = _locked(risico, expected_versie)
    changed = {
        name: value
        for name, value in _clean_values(values).items()
        if getattr(current, name) != value
    }
    if not changed:
        return False
    for name, value in changed.items():
        setattr(current, name, value)
    _save(current, user, reason or _("Risico gewijzigd"))
    return True


@transaction.atomic
def delete_risico(risico: Risico, user, *, expected_versie: int, reason: str = "") -> None:
    """Delete a risk if nobody changed it since `expected_versie` (else ValidationError).

    Side effects: the Risico deleted; the history keeps what it said, with `reason`.
    """
    current = _locked(risico, expected_versie)
    current._change_reason = reason or _("Risico verwijderd")
    current._history_user = user
    current.delete()
