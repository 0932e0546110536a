"""The praatplaat of an ambitie: one page with its themes, goals, projects and their FAQ.

A programme manager uses it to talk about an ambitie (KvNH Regiovisie, "praatplaat" at the end
of each programme chapter). It is read in a fixed number of queries, whatever its size, and
carries a short version of long texts so that the printed plaat stays on one A4 page.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects

from doelenboom.models import (
    Ambitie,
    Bijdrage,
    Inspanning,
    OperationeelDoel,
    PartnerRol,
    StrategischDoel,
)
from programmes.models import Programma

# Print lengths (characters). Project descriptions and FAQ answers share a budget, so that more
# of them print shorter; a text over its length prints cut at a word, with a "zie projectblad"
# note for FAQ answers. The screen always shows the whole text.
AMBITIE_PRINT_LENGTH = 700
OMSCHRIJVING_PRINT_BUDGET = 720
OMSCHRIJVING_PRINT_LENGTH = (90, 240)  # (shortest, longest) per project
FAQ_PRINT_BUDGET = 1700
FAQ_PRINT_LENGTH = (140, 420)  # (shortest, longest) per answer

# Above these sizes the printed plaat switches to its densest type.
DENSE_GOALS = 8
DENSE_PROJECTS = 5
DENSE_FAQ_ANSWERS = 8

_ROLE_ORDER = [PartnerRol.TREKKER, PartnerRol.BETROKKEN, PartnerRol.KENNISPARTNER]


@dataclass(frozen=True)
class Tekst:
    """A text in full (screen) and, when that is too long for the printed plaat, shortened."""

    volledig: str
    kort: str

    @property
    def ingekort(self) -> bool:
        return self.kort != self.volledig


def shorten(text: str, limit: int) -> Tekst:
    """`text`, and a version of at most `limit` characters cut at a word boundary with "…"."""
    text = (text or "").strip()
    if len(text) <= limit:
        return Tekst(text, text)
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return Tekst(text, cut.rstrip(" ,;:.-\N{EN DASH}") + "…")


@dataclass(frozen=True)
class FaqAntwoord:
    vraag: str
    antwoord: Tekst


@dataclass(frozen=True)
class PartnerGroep:
    """The partners of a project with one role, e.g. the trekkers."""

    rol: str
    label: str
    namen: list[str]


@dataclass
class Project:
    inspanning: Inspanning
    doelen: list[OperationeelDoel]  # the goals of this ambitie it serves, in tree order
    elders: list[OperationeelDoel]  # goals of other ambities it also serves
    partners: list[PartnerGroep]
    omschrijving: Tekst
    faq: list[FaqAntwoord]

    @property
    def kort_label(self) -> str:
        return self.inspanning.code or self.inspanning.titel


@dataclass
class Doelstelling:
    doel: OperationeelDoel
    projecten: list[Project]


@dataclass
class Thema:
    doel: StrategischDoel
    doelstellingen: list[Doelstelling]


@dataclass
class Praatplaat:
    ambitie: Ambitie
    omschrijving: Tekst
    themas: list[Thema]
    projecten: list[Project]

    @property
    def programma(self) -> Programma:
        return self.ambitie.programma

    @property
    def uitgewerkt(self) -> bool:
        return self.ambitie.uitgewerkt

    @property
    def met_faq(self) -> list[Project]:
        return [p for p in self.projecten if p.faq]

    @property
    def zonder_faq(self) -> list[Project]:
        return [p for p in self.projecten if not p.faq]

    @property
    def dicht(self) -> bool:
        """Whether the printed plaat needs its smallest type to stay on one page."""
        goals = sum(len(t.doelstellingen) for t in self.themas)
        answers = sum(len(p.faq) for p in self.projecten)
        return (
            goals > DENSE_GOALS
            or len(self.projecten) > DENSE_PROJECTS
            or answers > DENSE_FAQ_ANSWERS
        )


def _partner_groups(inspanning: Inspanning) -> list[PartnerGroep]:
    by_role: dict[str, list[str]] = {}
    for rol in inspanning.partnerrollen.all():
        by_role.setdefault(rol.rol, []).append(rol.organisatie.naam)
    return [
        PartnerGroep(rol=rol.value, label=str(rol.label), namen=sorted(by_role[rol]))
        for rol in _ROLE_ORDER
        if rol in by_role
    ]


def share(budget: int, parts: int, bounds: tuple[int, int]) -> int:
    """Each of `parts` texts' print length: an equal share of `budget`, within `bounds`."""
    shortest, longest = bounds
    return max(shortest, min(longest, budget // max(parts, 1)))


def praatplaat_for(ambitie: Ambitie) -> Praatplaat:
    """The praatplaat of `ambitie`, in five queries after the ambitie itself.

    Themes and goals come from one prefetch (kept if the caller already made it); the
    inspanningen serving any goal of the ambitie come with their goals and partners.
    An inspanning serving two goals shows once among the projects and under both goals.
    """
    prefetch_related_objects(
        [ambitie],
        Prefetch(
            "strategische_doelen",
            queryset=StrategischDoel.objects.prefetch_related("operationele_doelen"),
        ),
    )
    themas_rows = list(ambitie.strategische_doelen.all())
    goals = [od for sd in themas_rows for od in sd.operationele_doelen.all()]
    goal_order = {od.pk: index for index, od in enumerate(goals)}

    inspanningen: list[Inspanning] = []
    if goals:
        inspanningen = list(
            Inspanning.objects.filter(
                programma_id=ambitie.programma_id,
                pk__in=Bijdrage.objects.filter(operationeel_doel__in=goal_order.keys()).values(
                    "inspanning_id"
                ),
            ).with_links()
        )
    omschrijving_length = share(
        OMSCHRIJVING_PRINT_BUDGET, len(inspanningen), OMSCHRIJVING_PRINT_LENGTH
    )
    faq_length = share(FAQ_PRINT_BUDGET, sum(len(i.faq) for i in inspanningen), FAQ_PRINT_LENGTH)

    projecten: list[Project] = []
    by_goal: dict[int, list[Project]] = {}
    for inspanning in inspanningen:
        served = [b.operationeel_doel for b in inspanning.bijdragen.all()]
        own = sorted((od for od in served if od.pk in goal_order), key=lambda od: goal_order[od.pk])
        project = Project(
            inspanning=inspanning,
            doelen=own,
            elders=sorted(
                (od for od in served if od.pk not in goal_order), key=lambda od: (od.code, od.pk)
            ),
            partners=_partner_groups(inspanning),
            omschrijving=shorten(inspanning.omschrijving, omschrijving_length),
            faq=[
                FaqAntwoord(vraag=str(vraag), antwoord=shorten(antwoord, faq_length))
                for vraag, antwoord in inspanning.faq
            ],
        )
        projecten.append(project)
        for od in own:
            by_goal.setdefault(od.pk, []).append(project)

    return Praatplaat(
        ambitie=ambitie,
        omschrijving=shorten(ambitie.omschrijving, AMBITIE_PRINT_LENGTH),
        themas=[
            Thema(
                doel=sd,
                doelstellingen=[
                    Doelstelling(doel=od, projecten=by_goal.get(od.pk, []))
                    for od in sd.operationele_doelen.all()
                ],
            )
            for sd in themas_rows
        ],
        projecten=projecten,
    )
