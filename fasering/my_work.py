"""Mijn werk: what a user carries across their programmes, and their open remarks.

Read in a fixed number of queries whatever the number of programmes, inspanningen, updates
and remarks: the memberships, the carried inspanningen with their latest status (one query,
fasering.progress.with_latest_status), the open remarks, and the goal names of the remarks'
sections.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from doelenboom.levels import tree_urls
from doelenboom.models import Inspanning
from fasering.models import Faseplan, FaseplanItem, Licht, Opmerking
from fasering.progress import carried_by, stale_before, with_latest_status
from fasering.remarks import section_label
from programmes.models import Lidmaatschap, Programma, Rol

# The light of an inspanning without any update, as the badge's modifier (koers-licht--geen).
NO_LIGHT = "geen"


@dataclass(frozen=True)
class Carried:
    """An inspanning the user's group carries, with its latest status."""

    inspanning: Inspanning
    licht: str  # op_koers, aandacht, risico or "geen"
    laatste_datum: datetime.date | None
    stil: bool  # no update in 90 days (or none at all): the reminders go out for it

    @property
    def licht_label(self) -> str:
        if self.licht == NO_LIGHT:
            return _("Nog geen status")
        return Licht(self.licht).label


@dataclass
class ProgrammeWork:
    programma: Programma
    rol: str
    carried: list[Carried] = field(default_factory=list)

    @property
    def rol_label(self) -> str:
        return Rol(self.rol).label

    @property
    def inspanningen_url(self) -> str:
        """Prefix of the links to an inspanning's page ("<pk>/") and update form
        ("<pk>/status/nieuw/"): reversed once, not per card (tests follow the links)."""
        return tree_urls(self.programma)["inspanningen"]

    @property
    def plans(self) -> bool:
        """Leader or team: the progress of the whole programme is theirs to follow."""
        return self.rol in (Rol.PROGRAMMALEIDER, Rol.PROGRAMMATEAM)


@dataclass(frozen=True)
class OpenRemark:
    opmerking: Opmerking
    sectie_label: str

    @property
    def beantwoord(self) -> bool:
        return bool(self.opmerking.antwoord)


@dataclass
class MyWork:
    programmes: list[ProgrammeWork]
    remarks: list[OpenRemark]
    # A stuurgroep member somewhere, or someone with open remarks: the remarks section shows.
    shows_remarks: bool
    # Faseplannen ter besluitvorming in the programmes where the user helps decide on them.
    to_decide: list[Faseplan] = field(default_factory=list)

    @property
    def carrying(self) -> list[ProgrammeWork]:
        return [p for p in self.programmes if p.carried]

    @property
    def carried_count(self) -> int:
        return sum(len(p.carried) for p in self.programmes)

    @property
    def stil_count(self) -> int:
        return sum(1 for p in self.programmes for c in p.carried if c.stil)


def my_work(user: AbstractBaseUser, today: datetime.date | None = None) -> MyWork:
    """What `user` carries in each programme they are still a member of (archived ones left
    out), grouped per programme in name order, and the remarks they left that are still open."""
    today = today or timezone.localdate()
    before = stale_before(today)
    memberships = list(
        Lidmaatschap.objects.filter(user=user, programma__gearchiveerd_op__isnull=True)
        .select_related("programma")
        .order_by("programma__naam", "programma__pk")
    )
    programmes = {lid.programma_id: ProgrammeWork(lid.programma, lid.rol) for lid in memberships}

    # A subquery rather than a join, so that a user listed twice in a group still sees each
    # inspanning once.
    carried = (
        with_latest_status(
            Inspanning.objects.filter(
                pk__in=Inspanning.objects.filter(carried_by(user)).values("pk"),
                programma_id__in=list(programmes),
            )
        )
        .select_related("groep")
        .order_by("volgorde", "code", "pk")
    )
    for inspanning in carried:
        work = programmes[inspanning.programma_id]
        # Known already: the template asks the programme for its labels without a query.
        inspanning.programma = work.programma
        datum = inspanning.laatste_datum
        work.carried.append(
            Carried(
                inspanning=inspanning,
                licht=inspanning.laatste_licht or NO_LIGHT,
                laatste_datum=datum,
                stil=datum is None or datum < before,
            )
        )

    remarks = _open_remarks(user, programmes)
    steers = any(lid.rol == Rol.STUURGROEP for lid in memberships)
    return MyWork(
        programmes=list(programmes.values()),
        remarks=remarks,
        shows_remarks=steers or bool(remarks),
        to_decide=_plans_to_decide(memberships, programmes),
    )


def _plans_to_decide(memberships: list, programmes: dict[int, ProgrammeWork]) -> list[Faseplan]:
    """The plans ter besluitvorming where the user is stuurgroep member or leader (who remark
    on and adopt them); one query, none without such a role."""
    deciding = [
        lid.programma_id for lid in memberships if lid.rol in (Rol.STUURGROEP, Rol.PROGRAMMALEIDER)
    ]
    if not deciding:
        return []
    plans = list(
        Faseplan.objects.filter(
            programma_id__in=deciding, status=Faseplan.Status.TER_BESLUITVORMING
        ).order_by("programma__naam", "nummer")
    )
    for plan in plans:
        plan.programma = programmes[plan.programma_id].programma
    return plans


def _open_remarks(user: AbstractBaseUser, programmes: dict[int, ProgrammeWork]) -> list[OpenRemark]:
    opmerkingen = list(
        Opmerking.objects.filter(
            auteur=user, afgehandeld_op__isnull=True, faseplan__programma_id__in=list(programmes)
        )
        .select_related("faseplan")
        .order_by("faseplan__programma__naam", "faseplan__nummer", "geplaatst_op", "pk")
    )
    # The goal names of "doel-<item>" sections, read together rather than per remark.
    item_ids = {
        int(o.sectie[5:])
        for o in opmerkingen
        if o.sectie.startswith("doel-") and o.sectie[5:].isdigit()
    }
    items: dict[int, str] = {}
    if item_ids:
        rows = FaseplanItem.objects.filter(pk__in=item_ids).values_list(
            "pk", "operationeel_doel__code", "operationeel_doel__titel"
        )
        items = {pk: f"{code} {titel}".strip() for pk, code, titel in rows}
    result = []
    for opmerking in opmerkingen:
        opmerking.faseplan.programma = programmes[opmerking.faseplan.programma_id].programma
        try:
            label = section_label(opmerking.faseplan, opmerking.sectie, items)
        except ValidationError:
            label = opmerking.sectie
        result.append(OpenRemark(opmerking, label))
    return result
