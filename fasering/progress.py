"""Progress: who may report on an inspanning, its latest status, and what counts as stale.

The one place these answers live, so that the update form, the timeline, Mijn werk, the
dashboard and the reminders agree.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from doelenboom.models import Inspanning, Stap
from fasering.access import may_plan
from fasering.models import Statusupdate
from fasering.planning import ProjectSchedule
from programmes.access import ProgrammaAccess

# An inspanning without an update for this many days is stale: the dashboard lists it and
# the reminders go out.
STALE_DAYS = 90
# The author may correct an update for this long after posting it.
CORRECTION_WINDOW = datetime.timedelta(hours=24)


def carried_by(user) -> Q:
    """Inspanningen whose group has `user` as a member (GroepLid → Groep → Inspanning)."""
    return Q(groep__leden__user=user)


def carries(user, inspanning: Inspanning) -> bool:
    if not user.is_authenticated or inspanning.groep_id is None:
        return False
    return inspanning.groep.leden.filter(user=user).exists()


def may_report(user, access: ProgrammaAccess, inspanning: Inspanning) -> bool:
    """The members of the carrying group, and the programme's leader and team (and site
    administrators); never in an archived programme."""
    if access.archived or inspanning.programma_id != access.programma.pk:
        return False
    return may_plan(user, access) or carries(user, inspanning)


def require_report(user, access: ProgrammaAccess, inspanning: Inspanning) -> None:
    """Refuse a status update (also a crafted POST) by who may not report on `inspanning`."""
    if access.archived:
        raise PermissionDenied(_("Dit programma is gearchiveerd en alleen te lezen."))
    if not may_report(user, access, inspanning):
        raise PermissionDenied(
            _("Alleen de groep die dit project uitvoert en het programmateam geven de status.")
        )


def may_correct(user, update: Statusupdate, now: datetime.datetime | None = None) -> bool:
    """The author, within 24 hours of posting."""
    now = now or timezone.now()
    return (
        user.is_authenticated
        and update.auteur_id == user.pk
        and now - update.geplaatst_op < CORRECTION_WINDOW
    )


def stale_before(today: datetime.date | None = None) -> datetime.date:
    """An inspanning whose last update is before this day (or that has none) is stale."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=STALE_DAYS)


def with_latest_status(queryset: QuerySet[Inspanning]) -> QuerySet[Inspanning]:
    """Annotate each inspanning with its latest update: `laatste_licht`, `laatste_datum`,
    `laatste_stap_id` and `laatste_update_id` (all None without updates). One query."""
    latest = Statusupdate.objects.filter(inspanning=OuterRef("pk")).order_by(
        "-datum", "-geplaatst_op", "-id"
    )
    return queryset.annotate(
        laatste_licht=Subquery(latest.values("licht")[:1]),
        laatste_datum=Subquery(latest.values("datum")[:1]),
        laatste_stap_id=Subquery(latest.values("stap_id")[:1]),
        laatste_update_id=Subquery(latest.values("id")[:1]),
    )


def stale(queryset: QuerySet[Inspanning], today: datetime.date | None = None):
    """Those of `queryset` (annotated by with_latest_status) with no update in 90 days."""
    before = stale_before(today)
    return queryset.filter(Q(laatste_datum__isnull=True) | Q(laatste_datum__lt=before))


def planned_step(schedule: ProjectSchedule, day: datetime.date) -> tuple[int, Stap] | None:
    """The step the planning has a project in on `day`, as (number from 1, step); None when
    it is not planned or `day` lies before its start. After the last step: the last step."""
    if not schedule.steps or day < schedule.steps[0].start:
        return None
    for number, dates in enumerate(schedule.steps, start=1):
        if dates.start <= day < dates.end:
            return number, dates.stap
    return len(schedule.steps), schedule.steps[-1].stap


def step_number(schedule: ProjectSchedule, stap_id: int | None) -> int | None:
    """The number (from 1) of the step with `stap_id` in the project's stappenplan."""
    if stap_id is None:
        return None
    for number, stap in enumerate(schedule.inspanning.stappen.all(), start=1):
        if stap.pk == stap_id:
            return number
    return None


def behind_plan(schedule: ProjectSchedule, reported_stap_id: int | None, day: datetime.date):
    """Whether the reported step lies before the step planned for `day`."""
    planned = planned_step(schedule, day)
    reported = step_number(schedule, reported_stap_id)
    return planned is not None and reported is not None and reported < planned[0]
