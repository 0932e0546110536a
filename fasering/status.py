"""Status updates on an inspanning: posting one, correcting it, and its timeline.

Who may post is decided in fasering.progress (the carrying group, the leader and team); the
author may correct an update for 24 hours. Every write is one transaction, validated in
full, with a history row that says why; a refusal names the field it is about.
"""

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formats import long_date
from doelenboom.models import Inspanning, Stap
from fasering.models import Statusupdate
from fasering.planning import ProjectSchedule, project_schedules, step_label
from fasering.progress import CORRECTION_WINDOW, behind_plan, may_correct, planned_step
from fasering.services import StaleEdit
from programmes.models import Programma

FIELDS = ("datum", "stap", "licht", "voortgang", "gebeurd", "volgende_stappen", "document")
TEXT_FIELDS = ("gebeurd", "volgende_stappen", "document")
# A link to a document opens in the browser: web addresses only (no javascript:, ftp:, file:).
DOCUMENT_SCHEMES = ("http", "https")


# -- reads ----------------------------------------------------------------------------------


def inspanning_of(programma: Programma, pk: int) -> Inspanning:
    """One inspanning of the programme, with its carrying group and steps; 404 otherwise."""
    return get_object_or_404(
        Inspanning.objects.select_related("groep", "programma").prefetch_related("stappen"),
        programma=programma,
        pk=pk,
    )


def update_of(inspanning: Inspanning, pk: int) -> Statusupdate:
    """One update of `inspanning`; 404 for an update of another inspanning."""
    return get_object_or_404(
        Statusupdate.objects.select_related("auteur", "stap"), inspanning=inspanning, pk=pk
    )


def schedule_of(inspanning: Inspanning) -> ProjectSchedule | None:
    """The computed planning of a project; None for an inspanning without a stappenplan.

    The whole programme is computed: a project may start after another one ends.
    """
    if not inspanning.stappen.all():
        return None
    for schedule in project_schedules(inspanning.programma):
        if schedule.inspanning.pk == inspanning.pk:
            return schedule
    return None


def suggested_step(
    inspanning: Inspanning,
    schedule: ProjectSchedule | None,
    today: datetime.date | None = None,
) -> Stap | None:
    """The step a new update starts from: that of the latest update, else the step the
    planning has for today (None when neither says)."""
    steps = {stap.pk: stap for stap in inspanning.stappen.all()}
    if not steps:
        return None
    latest = inspanning.statusupdates.filter(stap__isnull=False).values_list("stap_id").first()
    if latest and latest[0] in steps:
        return steps[latest[0]]
    planned = planned_step(schedule, today or timezone.localdate()) if schedule else None
    return planned[1] if planned else None


def planned_label(schedule: ProjectSchedule | None, day: datetime.date) -> str:
    """What the planning says about `day`, in words ("" without a stappenplan)."""
    if schedule is None:
        return ""
    if not schedule.steps:
        return _("nog niet gepland")
    planned = planned_step(schedule, day)
    if planned is None:
        return _("nog niet begonnen (start %(start)s)") % {"start": long_date(schedule.start)}
    return step_label(planned[1], planned[0])


@dataclass(frozen=True)
class TimelineEntry:
    update: Statusupdate
    reported: str  # "2. Pilotfase", or "" without a step
    planned: str  # what the planning had for the update's date, "" without a stappenplan
    behind: bool  # the reported step lies before the planned one
    may_correct: bool

    @property
    def document_host(self) -> str:
        """Where the document lives ("sharepoint.com"), to say where its link leads."""
        return urlsplit(self.update.document).hostname or ""


def timeline(
    inspanning: Inspanning, user, now: datetime.datetime | None = None
) -> list[TimelineEntry]:
    """Every update of `inspanning`, newest first, beside what the planning had for its date.

    A fixed number of queries, however many updates there are.
    """
    now = now or timezone.now()
    schedule = schedule_of(inspanning)
    numbers = {stap.pk: n for n, stap in enumerate(inspanning.stappen.all(), start=1)}
    updates = Statusupdate.objects.filter(inspanning=inspanning).select_related("auteur", "stap")
    entries = []
    for update in updates:
        number = numbers.get(update.stap_id)
        reported = step_label(update.stap, number) if number else ""
        entries.append(
            TimelineEntry(
                update=update,
                reported=reported,
                planned=planned_label(schedule, update.datum),
                behind=bool(schedule) and behind_plan(schedule, update.stap_id, update.datum),
                may_correct=may_correct(user, update, now),
            )
        )
    return entries


# -- who may correct ------------------------------------------------------------------------


def require_correct(user, update: Statusupdate, now: datetime.datetime | None = None) -> None:
    """Refuse a correction, saying why: only the author, and only for 24 hours."""
    if may_correct(user, update, now):
        return
    if update.auteur_id != getattr(user, "pk", None):
        raise PermissionDenied(
            _("Alleen wie deze statusupdate plaatste, kan haar corrigeren. Plaats een nieuwe.")
        )
    until = timezone.localtime(update.geplaatst_op + CORRECTION_WINDOW)
    raise PermissionDenied(
        _(
            "Een statusupdate is 24 uur te corrigeren; deze kon tot %(datum)s om %(tijd)s. "
            "Plaats een nieuwe statusupdate."
        )
        % {"datum": long_date(until), "tijd": until.strftime("%H:%M")}
    )


# -- writes ---------------------------------------------------------------------------------


def _clean_values(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {name: values.get(name) for name in FIELDS}
    for name in TEXT_FIELDS:
        cleaned[name] = (cleaned[name] or "").replace("\r\n", "\n").strip()
    return cleaned


def _validate(update: Statusupdate, today: datetime.date) -> None:
    """The rules beyond the model's own: no date in the future, web links only."""
    errors: dict[str, str] = {}
    if update.datum and update.datum > today:
        errors["datum"] = _("De datum ligt in de toekomst; vul vandaag of een eerdere dag in.")
    if update.document and urlsplit(update.document).scheme.lower() not in DOCUMENT_SCHEMES:
        errors["document"] = _("Geef een link die begint met http:// of https://.")
    try:
        update.full_clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages[0])
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def post_statusupdate(
    inspanning: Inspanning,
    user,
    *,
    today: datetime.date | None = None,
    **values: Any,
) -> Statusupdate:
    """Record a status update on `inspanning` by `user` (its author).

    Who may post is the caller's check (fasering.progress.require_report). Raises
    ValidationError naming the field (a date after `today`, a step of another project, a
    percentage outside 0 to 100, a link that is not http(s)), writing nothing. Side effects:
    the Statusupdate saved with a history row.
    """
    update = Statusupdate(inspanning=inspanning, auteur=user, versie=1, **_clean_values(values))
    _validate(update, today or timezone.localdate())
    update._change_reason = _("Statusupdate geplaatst")
    update._history_user = user
    update.save()
    return update


@transaction.atomic
def correct_statusupdate(
    update: Statusupdate,
    user,
    *,
    expected_versie: int,
    now: datetime.datetime | None = None,
    reason: str = "",
    **values: Any,
) -> bool:
    """Save the author's correction of `update`, within 24 hours of posting (at `now`).

    Returns whether anything changed; an unchanged correction writes nothing. Raises
    PermissionDenied for anyone but the author or after 24 hours; StaleEdit (code
    "conflict") if the update changed since `expected_versie`; ValidationError naming the
    field for bad input. Side effects: the update saved with `gewijzigd_op` and a history
    row carrying `reason`.
    """
    now = now or timezone.now()
    current = Statusupdate.objects.select_for_update().filter(pk=update.pk).first()
    if current is None:
        raise ValidationError(_("Deze statusupdate bestaat niet meer."), code="conflict")
    require_correct(user, current, now)
    if current.versie != expected_versie:
        raise StaleEdit(
            _(
                "Deze statusupdate is intussen gecorrigeerd. Uw correctie is nog niet "
                "opgeslagen: bekijk wat er nu staat en voer haar opnieuw in."
            ),
            code="conflict",
        )
    changed = {
        name: value
        for name, value in _clean_values(values).items()
        if getattr(current, name) != value
    }
    if not changed:
        return False
    for name, value in changed.items():
        setattr(current, name, value)
    _validate(current, timezone.localdate(now))
    current.gewijzigd_op = now
    current.versie += 1
    current._change_reason = reason.strip() or _("Statusupdate gecorrigeerd")
    current._history_user = user
    current.save()
    return True
