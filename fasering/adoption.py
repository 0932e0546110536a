"""The status flow of a faseplan: concept → ter besluitvorming → vastgesteld (→ vervangen).

Adopting freezes a plan: everything it shows is stored as its snapshot (fasering.content), so
later edits to the goal tree never change what was adopted. Only one plan per period is
vastgesteld: adopting a plan whose period overlaps an adopted one marks that one vervangen.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formats import long_date
from doelenboom.models import Ambitie, Inspanning, OperationeelDoel, StrategischDoel
from fasering.compare import DOEL, INSPANNING, compare_contents
from fasering.content import build_content
from fasering.models import Faseplan

Status = Faseplan.Status


def _locked(faseplan: Faseplan, expected_versie: int | None, status: str) -> Faseplan:
    """The plan's row, locked, if nobody changed it since `expected_versie` and it is in
    `status`; ValidationError otherwise, and nothing is written."""
    current = Faseplan.objects.select_for_update().get(pk=faseplan.pk)
    expected = faseplan.versie if expected_versie is None else expected_versie
    if current.versie != expected:
        raise ValidationError(
            _("Iemand anders heeft dit faseplan intussen gewijzigd; bekijk het opnieuw."),
            code="conflict",
        )
    if current.status != status:
        raise ValidationError(
            _("Dit faseplan heeft de status %(status)s; dat kan nu niet.")
            % {"status": current.get_status_display().lower()},
            code="status",
        )
    return current


def _require(user, perm: str, faseplan: Faseplan) -> None:
    if faseplan.programma.gearchiveerd_op is not None:
        raise PermissionDenied(_("Dit programma is gearchiveerd en alleen te lezen."))
    if not user.has_perm(perm, faseplan.programma):
        raise PermissionDenied(_("U mag de status van dit faseplan niet wijzigen."))


def _save(faseplan: Faseplan, user, reason: str) -> None:
    faseplan.versie += 1
    faseplan._change_reason = reason
    faseplan._history_user = user
    faseplan.save()


@transaction.atomic
def submit_faseplan(faseplan: Faseplan, user, *, expected_versie: int | None = None) -> Faseplan:
    """Put a concept plan ter besluitvorming (the programme leader), recording who and when."""
    _require(user, "fasering.submit_faseplan", faseplan)
    current = _locked(faseplan, expected_versie, Status.CONCEPT)
    current.status = Status.TER_BESLUITVORMING
    current.ter_besluitvorming_op = timezone.now()
    current.ter_besluitvorming_door = user
    _save(current, user, _("Ter besluitvorming gebracht"))
    return current


@transaction.atomic
def withdraw_submission(
    faseplan: Faseplan, user, *, expected_versie: int | None = None
) -> Faseplan:
    """Take a plan back from besluitvorming to concept (the programme leader)."""
    _require(user, "fasering.submit_faseplan", faseplan)
    current = _locked(faseplan, expected_versie, Status.TER_BESLUITVORMING)
    current.status = Status.CONCEPT
    current.ter_besluitvorming_op = None
    current.ter_besluitvorming_door = None
    _save(current, user, _("Teruggenomen naar concept"))
    return current


def overlapping_adopted(faseplan: Faseplan) -> QuerySet[Faseplan]:
    """The adopted plans of the same programme whose period overlaps this plan's: adopting
    this plan marks them vervangen."""
    return (
        Faseplan.objects.filter(
            programma_id=faseplan.programma_id,
            status=Status.VASTGESTELD,
            start__lte=faseplan.eind,
            eind__gte=faseplan.start,
        )
        .exclude(pk=faseplan.pk)
        .order_by("nummer")
    )


@transaction.atomic
def adopt_faseplan(
    faseplan: Faseplan,
    user,
    besloten_op: datetime.date | None,
    besluit: str = "",
    *,
    expected_versie: int | None = None,
) -> Faseplan:
    """Adopt a plan that is ter besluitvorming (the leader or a stuurgroep member).

    Side effects, in one transaction: the plan becomes vastgesteld with the decision date,
    text, who recorded it and when, and its snapshot (fasering.content) freezes what it
    shows; each adopted plan whose period overlaps it becomes vervangen by it. Raises
    ValidationError on "besloten_op" for a missing or future date, writing nothing.
    """
    _require(user, "fasering.adopt_faseplan", faseplan)
    if besloten_op is None:
        raise ValidationError(
            {"besloten_op": _("Vul de datum van het besluit in.")}, code="required"
        )
    if besloten_op > timezone.localdate():
        raise ValidationError(
            {"besloten_op": _("De datum van het besluit ligt in de toekomst.")}, code="future"
        )
    current = _locked(faseplan, expected_versie, Status.TER_BESLUITVORMING)
    for earlier in overlapping_adopted(current).select_for_update():
        earlier.status = Status.VERVANGEN
        earlier.vervangen_door = current
        _save(earlier, user, _("Vervangen door %(titel)s") % {"titel": current.titel})
    current.status = Status.VASTGESTELD
    current.besloten_op = besloten_op
    current.besluit = besluit.strip()
    current.vastgesteld_door = user
    current.vastgesteld_op = timezone.now()
    current.snapshot = build_content(current)
    _save(current, user, _("Vastgesteld op %(datum)s") % {"datum": long_date(besloten_op)})
    return current


# -- the reason rule: which tree items are in the current adopted plan ----------------------------


def _goal_ids(obj) -> tuple[int | None, set[int], int | None]:
    """(programme id, the operational goals `obj` stands for, its inspanning id)."""
    if isinstance(obj, Inspanning):
        return obj.programma_id, set(), obj.pk
    if isinstance(obj, OperationeelDoel):
        programma_id = (
            StrategischDoel.objects.filter(pk=obj.strategisch_doel_id)
            .values_list("ambitie__programma_id", flat=True)
            .first()
        )
        return programma_id, {obj.pk}, None
    if isinstance(obj, StrategischDoel):
        goals = OperationeelDoel.objects.filter(strategisch_doel=obj)
        programma_id = Ambitie.objects.filter(pk=obj.ambitie_id).values_list(
            "programma_id", flat=True
        )
        return programma_id.first(), set(goals.values_list("pk", flat=True)), None
    if isinstance(obj, Ambitie):
        goals = OperationeelDoel.objects.filter(strategisch_doel__ambitie=obj)
        return obj.programma_id, set(goals.values_list("pk", flat=True)), None
    return None, set(), None


def adopted_plan_name(obj) -> str | None:
    """The title of the vastgesteld plan of its programme that holds `obj` (an ambitie,
    strategic or operational goal, or inspanning), judged by what the plan froze; or None."""
    programma_id, goal_ids, inspanning_id = _goal_ids(obj)
    if programma_id is None or not (goal_ids or inspanning_id):
        return None
    plans = Faseplan.objects.filter(
        programma_id=programma_id, status=Status.VASTGESTELD, snapshot__isnull=False
    ).only("titel", "snapshot")
    for plan in plans:
        for doel in plan.snapshot.get("doelen", []):
            if doel.get("doel_id") in goal_ids:
                return plan.titel
            if inspanning_id and any(
                i.get("inspanning_id") == inspanning_id for i in doel.get("inspanningen", [])
            ):
                return plan.titel
    return None


# -- what changed in the tree since adoption ------------------------------------------------------


@dataclass(frozen=True)
class ChangesSince:
    """What the live tree changed in an adopted plan's goals and inspanningen."""

    doelen_gewijzigd: int = 0
    doelen_verwijderd: int = 0
    inspanningen_gewijzigd: int = 0
    inspanningen_verwijderd: int = 0
    # Per changed or removed part, a line such as "A1 Titel: titel, partners gewijzigd".
    details: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return (
            self.doelen_gewijzigd
            + self.doelen_verwijderd
            + self.inspanningen_gewijzigd
            + self.inspanningen_verwijderd
        )

    @property
    def anything(self) -> bool:
        return self.total > 0

    @property
    def sentence(self) -> str:
        """E.g. "Sinds de vaststelling zijn 2 inspanningen gewijzigd en 1 doel verwijderd uit
        de doelenboom." ("" when nothing changed)."""
        parts = []
        if n := self.doelen_gewijzigd:
            parts.append(ngettext("%(n)s doel gewijzigd", "%(n)s doelen gewijzigd", n) % {"n": n})
        if n := self.inspanningen_gewijzigd:
            parts.append(
                ngettext("%(n)s inspanning gewijzigd", "%(n)s inspanningen gewijzigd", n) % {"n": n}
            )
        if n := self.doelen_verwijderd:
            parts.append(ngettext("%(n)s doel verwijderd", "%(n)s doelen verwijderd", n) % {"n": n})
        if n := self.inspanningen_verwijderd:
            parts.append(
                ngettext("%(n)s inspanning verwijderd", "%(n)s inspanningen verwijderd", n)
                % {"n": n}
            )
        if not parts:
            return ""
        listed = parts[0]
        if len(parts) > 1:
            listed = _("%(eerste)s en %(laatste)s") % {
                "eerste": ", ".join(parts[:-1]),
                "laatste": parts[-1],
            }
        if self.total == 1:
            return _("Sinds de vaststelling is %(wat)s in de doelenboom.") % {"wat": listed}
        return _("Sinds de vaststelling zijn %(wat)s in de doelenboom.") % {"wat": listed}


def changes_between(old: dict, new: dict) -> ChangesSince:
    """Count the goals and inspanningen of `old` that changed or are gone in `new`."""
    comparison = compare_contents(old, new)

    def count(parts, kind: str) -> int:
        return sum(1 for part in parts if part.kind == kind)

    changed = [change.part for change in comparison.changed]
    details = [
        _("%(onderdeel)s: %(velden)s gewijzigd")
        % {
            "onderdeel": change.part.label,
            "velden": ", ".join(c.veld.lower() for c in change.changes),
        }
        for change in comparison.changed
    ]
    details += [
        _("%(onderdeel)s: uit de doelenboom verwijderd") % {"onderdeel": part.label}
        for part in comparison.went_out
    ]
    return ChangesSince(
        doelen_gewijzigd=count(changed, DOEL),
        doelen_verwijderd=count(comparison.went_out, DOEL),
        inspanningen_gewijzigd=count(changed, INSPANNING),
        inspanningen_verwijderd=count(comparison.went_out, INSPANNING),
        details=tuple(details),
    )


def changes_since_adoption(faseplan: Faseplan) -> ChangesSince | None:
    """What changed in the tree since `faseplan` was adopted (None if it is not frozen)."""
    if not faseplan.frozen:
        return None
    return changes_between(faseplan.snapshot, build_content(faseplan))


# -- what the status block of a plan's page offers ------------------------------------------------


@dataclass(frozen=True)
class StatusPanel:
    """The status controls `user` gets on the plan's page, and the banner of a frozen plan."""

    may_submit: bool = False
    may_withdraw: bool = False
    may_adopt: bool = False
    changes: ChangesSince | None = None

    @property
    def any_control(self) -> bool:
        return self.may_submit or self.may_withdraw or self.may_adopt


def status_panel(faseplan: Faseplan, user) -> StatusPanel:
    active = faseplan.programma.gearchiveerd_op is None
    leads = active and user.has_perm("fasering.submit_faseplan", faseplan.programma)
    adopts = active and user.has_perm("fasering.adopt_faseplan", faseplan.programma)
    waiting = faseplan.status == Status.TER_BESLUITVORMING
    return StatusPanel(
        may_submit=leads and faseplan.status == Status.CONCEPT,
        may_withdraw=leads and waiting,
        may_adopt=adopts and waiting,
        changes=changes_since_adoption(faseplan) if faseplan.status == Status.VASTGESTELD else None,
    )
