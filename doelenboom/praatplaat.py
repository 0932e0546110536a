"""The praatplaat of an ambitie: one page with its themes, goals, projects and their FAQ.

A programme manager uses it to talk about an ambitie (KvNH Regiovisie, "praatplaat" at the end
of each programme chapter). It is read in a fixed number of queries, whatever its size, and
carries a short version of long texts so that the printed plaat stays on one A4 page.
"""

import math
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

# The printed plaat is one A4 landscape page (static/css/praatplaat.css). Long texts print
# whole as long as the page has room, counted in lines of its print type (7.5 pt): below the
# header the ambitie's text runs across the page in two columns; below that, the themes, the
# projects and the FAQ each fill a column of the remaining height. Where a column has more
# than fits, its texts share the room left: short ones print whole, the longer ones are cut at
# a word with "…" (FAQ answers with a "zie projectblad" note). A plaat that does not fit even
# so prints in its densest type (6.5 pt). The screen always shows every text whole.
# Measured in WeasyPrint and Chromium with the plaat's own fonts.
PAGE_LINES = 48  # lines of print between the plaat's header and its footer
THEME_CHARS = 50  # characters on a line of the themes column
COLUMN_CHARS = 60  # … of the projects column and the FAQ column
WIDE_COLUMN_CHARS = 125  # … of the projects column when there is no FAQ column beside it
AMBITIE_CHARS = 145  # … of the ambitie's text, its two columns together
AMBITIE_PRINT_LENGTH = 1100
AMBITIE_SHORTER = (600, 300)  # when even the small type is too full, the ambitie gives way
SHORTEST = 90  # a text is never cut shorter than this
NOTE_CHARS = 35  # the "(ingekort, zie projectblad 3b)" after a shortened answer

# Above these sizes the printed plaat always takes its densest type, which holds about a
# sixth more on each line and a sixth more lines.
DENSE_GOALS = 8
DENSE_PROJECTS = 5
DENSE_FAQ_ANSWERS = 8
DENSE_GAIN = 7.5 / 6.5

_ROLE_ORDER = [PartnerRol.TREKKER, PartnerRol.BETROKKEN, PartnerRol.KENNISPARTNER]


@dataclass(frozen=True)
class Tekst:
    """A text in full (screen) and, when that is too long for the printed plaat, shortened."""

    volledig: str
    kort: str

    @property
    def ingekort(self) -> bool:
        return self.kort != self.volledig


def whole(text: str) -> Tekst:
    text = (text or "").strip()
    return Tekst(text, text)


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
    dicht: bool = False  # printed in the smallest type, to stay on one page

    @property
    def programma(self) -> Programma:
        return self.ambitie.programma

    @property
    def uitgewerkt(self) -> bool:
        return self.ambitie.uitgewerkt

    @property
    def met_faq(self) -> list[Project]:
        return [p for p in self.projecten if p.faq]


def _partner_groups(inspanning: Inspanning) -> list[PartnerGroep]:
    by_role: dict[str, list[str]] = {}
    for rol in inspanning.partnerrollen.all():
        by_role.setdefault(rol.rol, []).append(rol.organisatie.naam)
    return [
        PartnerGroep(rol=rol.value, label=str(rol.label), namen=sorted(by_role[rol]))
        for rol in _ROLE_ORDER
        if rol in by_role
    ]


def _lines(length: int, chars: float) -> int:
    """Lines a text of `length` characters takes on lines of `chars`, its last line whole."""
    return math.ceil(length / chars) if length else 0


def fill(lengths: list[int], budget: float) -> list[int]:
    """Print lengths for texts of `lengths` characters that share `budget` characters.

    Texts shorter than their share print whole and leave the rest to the others; the longer
    ones get equal shares, never below SHORTEST.
    """
    limits = [0] * len(lengths)
    remaining, left = budget, len(lengths)
    for index in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        share = max(SHORTEST, int(remaining // left))
        limits[index] = min(lengths[index], share)
        remaining -= limits[index]
        left -= 1
    return limits


def _project_lines(project: Project, chars: float, gain: float) -> float:
    """The lines a project takes in its column besides its description's text: its title
    (bold), "Draagt bij aan", a line per partner role, its box and the description's margins
    and last line, partly filled."""
    i = project.inspanning
    title = len(f"{i.code} {i.titel} {i.get_categorie_display()}")
    served = sum(len(od.code or od.titel) + 2 for od in (*project.doelen, *project.elders))
    partners = sum(
        _lines(len(g.label) + sum(len(n) + 2 for n in g.namen), chars) for g in project.partners
    )
    return _lines(title, chars * 0.9) + _lines(16 + served, chars) + partners + 2.5 * gain


def _theme_lines(themas: list[Thema], chars: float, gain: float) -> float:
    """The lines the themes column takes: its heading, per theme its label, title and box,
    per goal its code and title and the line naming its projects."""
    lines = 2 * gain
    for thema in themas:
        lines += 2.5 * gain + _lines(len(thema.doel.titel), chars * 0.9)
        for d in thema.doelstellingen:
            via = sum(len(p.kort_label) + 2 for p in d.projecten) + 12
            lines += _lines(len(d.doel.code) + len(d.doel.titel) + 1, chars) + 0.5 * gain
            lines += _lines(via, chars / 0.875)
    return lines


@dataclass
class _PrintPlan:
    """The print lengths for one type size, and whether everything fits at least SHORTEST."""

    ambitie: int
    projects: list[int]
    answers: list[int]
    fits: bool


def _print_plan(
    ambitie: Ambitie,
    themas: list[Thema],
    projecten: list[Project],
    dense: bool,
    ambitie_length: int = AMBITIE_PRINT_LENGTH,
) -> _PrintPlan:
    """Print lengths in the normal or the `dense` type. Margins and borders are fixed sizes,
    so in the small type they take more of its (smaller) lines."""
    gain = DENSE_GAIN if dense else 1
    chars = (COLUMN_CHARS if any(p.faq for p in projecten) else WIDE_COLUMN_CHARS) * gain
    ambitie_length = min(len(ambitie.omschrijving.strip()), ambitie_length)
    # The ambitie's row: its heading, its text in two columns and its padding; then each
    # column's heading.
    room = PAGE_LINES * gain - _lines(ambitie_length, AMBITIE_CHARS * gain) - 6 * gain

    lengths = [len(p.omschrijving.volledig) for p in projecten]
    free = room - sum(_project_lines(p, chars, gain) for p in projecten)
    projects = fill(lengths, free * chars)

    faq_chars = COLUMN_CHARS * gain
    answers = [item for p in projecten for item in p.faq]
    used = sum(
        _lines(len(p.inspanning.code) + len(p.inspanning.titel) + 1, faq_chars * 0.9) + gain
        for p in projecten
        if p.faq
    )
    used += sum(_lines(len(item.vraag), faq_chars) + 1.5 * gain for item in answers)
    free_faq = room - used - NOTE_CHARS * len(answers) / faq_chars
    answer_lengths = fill([len(item.antwoord.volledig) for item in answers], free_faq * faq_chars)

    def needed(lengths: list[int], chars: float) -> float:
        return sum(_lines(min(length, SHORTEST), chars) for length in lengths)

    fits = (
        _theme_lines(themas, THEME_CHARS * gain, gain) <= room + 2 * gain
        and needed(lengths, chars) <= free
        and needed(answer_lengths, faq_chars) <= free_faq
    )
    return _PrintPlan(ambitie_length, projects, answer_lengths, fits)


def _shorten_for_print(
    ambitie: Ambitie, themas: list[Thema], projecten: list[Project], dense: bool
) -> tuple[Tekst, bool]:
    """Shorten the texts to what the printed page holds, in its normal type if they fit and
    `dense` does not ask for the small type anyway; returns the ambitie's text (shortened
    likewise) and whether the plaat prints in the small type."""
    plan = _print_plan(ambitie, themas, projecten, dense)
    if not plan.fits and not dense:
        dense = True
        plan = _print_plan(ambitie, themas, projecten, dense)
    for length in AMBITIE_SHORTER:
        if plan.fits:
            break
        plan = _print_plan(ambitie, themas, projecten, dense, length)
    for project, limit in zip(projecten, plan.projects, strict=True):
        project.omschrijving = shorten(project.omschrijving.volledig, limit)
    limits = iter(plan.answers)
    for project in projecten:
        project.faq = [
            FaqAntwoord(item.vraag, shorten(item.antwoord.volledig, next(limits)))
            for item in project.faq
        ]
    return shorten(ambitie.omschrijving, plan.ambitie), dense


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
            omschrijving=whole(inspanning.omschrijving),
            # Questions without an answer are left out, also when the answer is only spaces.
            faq=[
                FaqAntwoord(vraag=str(vraag), antwoord=whole(antwoord))
                for vraag, antwoord in inspanning.faq
                if antwoord.strip()
            ],
        )
        projecten.append(project)
        for od in own:
            by_goal.setdefault(od.pk, []).append(project)
    themas = [
        Thema(
            doel=sd,
            doelstellingen=[
                Doelstelling(doel=od, projecten=by_goal.get(od.pk, []))
                for od in sd.operationele_doelen.all()
            ],
        )
        for sd in themas_rows
    ]
    answers = sum(len(p.faq) for p in projecten)
    dense = (
        len(goals) > DENSE_GOALS or len(projecten) > DENSE_PROJECTS or answers > DENSE_FAQ_ANSWERS
    )
    omschrijving, dense = _shorten_for_print(ambitie, themas, projecten, dense)
    return Praatplaat(
        ambitie=ambitie,
        omschrijving=omschrijving,
        themas=themas,
        projecten=projecten,
        dicht=dense,
    )
