"""Planning: the network planning of a faseplan and the multi-year planning of projects.

Dates are computed, never drawn by hand: a project starts in its own start month or when the
project it follows ends; each step starts when the previous one ends and lasts its
doorlooptijd in months, halves included ("1,5 maand").
"""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from core import gantt
from core.formats import LOCALE, long_date
from doelenboom.durations import months, months_number
from doelenboom.models import Ambitie, Bijdrage, Inspanning, Stap
from fasering.models import Projectplanning
from programmes.models import Programma

# ---------------------------------------------------------------------------------------------
# Month arithmetic


def add_months(day: datetime.date, months: Decimal | int) -> datetime.date:
    """`day` plus a number of months: whole months keep the day of the month (clamped to the
    month's last day); a half month adds half the days of the month it lands in."""
    months = Decimal(months)
    whole = int(months)
    total = day.year * 12 + day.month - 1 + whole
    year, month = divmod(total, 12)
    month += 1
    result = day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
    rest = months - whole
    if rest:
        days = calendar.monthrange(result.year, result.month)[1]
        extra = (rest * days).to_integral_value(rounding=ROUND_HALF_UP)
        result += datetime.timedelta(days=int(extra))
    return result


def parse_month(value: str) -> datetime.date:
    """ "2023-08" → 1 August 2023."""
    year, month = value.split("-")[:2]
    return datetime.date(int(year), int(month), 1)


# ---------------------------------------------------------------------------------------------
# Network planning of a faseplan (from its content dict, live or snapshot alike)


def network_planning(content: dict) -> dict:
    """The Gantt of a faseplan's content and the items not yet planned in a fase.

    An item runs from its start fase's first month to the end of that fase, or to the end of
    the plan's period when it runs on (`loopt_door`).
    """
    start = parse_month(content["periode"]["start"])
    end = gantt.next_month(parse_month(content["periode"]["eind"]))
    fases = {
        fase["naam"]: (parse_month(fase["start"]), gantt.next_month(parse_month(fase["eind"])))
        for fase in content.get("fases", [])
    }
    groups: list[gantt.Group] = []
    unplanned: list[dict] = []
    for doel in content.get("doelen", []):
        doel_label = f"{doel['code']} {doel['titel']}".strip()
        items = doel.get("inspanningen") or [doel]
        rows = []
        for item in items:
            label = f"{item['code']} {item['titel']}".strip()
            fase = fases.get(item.get("start_fase") or "")
            if fase is None:
                unplanned.append({"doel": doel_label, "label": label})
                continue
            bar_end = end if item.get("loopt_door") else fase[1]
            note = _("start in %(fase)s") % {"fase": item["start_fase"]}
            if item.get("loopt_door"):
                note += ", " + _("loopt door")
            bar = gantt.Bar(
                label,
                fase[0],
                max(bar_end, fase[1]),
                kind="doorlopend" if item.get("loopt_door") else "standaard",
                note=note,
            )
            rows.append(gantt.Row(label, (bar,)))
        if rows:
            groups.append(gantt.Group(doel_label, tuple(rows)))
    markers = [gantt.Marker(fase_start, naam) for naam, (fase_start, _end) in fases.items()]
    if fases:
        markers.append(gantt.Marker(max(e for _s, e in fases.values()), _("einde")))
    titel = content.get("titel", "")
    chart = gantt.render(
        title=_("Netwerkplanning van %(titel)s") % {"titel": titel},
        description=_(
            "Balkenschema van %(periode)s: per operationeel doel een balk per "
            "inspanning, van de startfase tot het einde van die fase of, als ze doorloopt, tot "
            "het einde van de periode. Gestreepte balken lopen door. De fasegrenzen zijn "
            "gestippelde lijnen. Dezelfde gegevens staan in de tabel onder het schema."
        )
        % {"periode": gantt.period_label(start, end)},
        start=start,
        end=end,
        groups=groups,
        markers=markers,
        ident=f"netwerkplanning-{content.get('nummer', '')}",
    )
    return {"chart": chart if groups else None, "niet_ingepland": unplanned}


# ---------------------------------------------------------------------------------------------
# Multi-year planning of projects (inspanningen with a stappenplan)


@dataclass(frozen=True)
class StepDates:
    stap: Stap
    start: datetime.date
    end: datetime.date  # exclusive: the day the next step starts


@dataclass
class ProjectSchedule:
    """A project's computed planning; `start` is None while it is not planned yet."""

    inspanning: Inspanning
    planning: Projectplanning | None
    ambitie: Ambitie | None
    steps: list[StepDates] = field(default_factory=list)
    start: datetime.date | None = None
    problem: str = ""

    @property
    def end(self) -> datetime.date | None:
        return self.steps[-1].end if self.steps else None

    @property
    def last_day(self) -> datetime.date | None:
        return self.end - datetime.timedelta(days=1) if self.steps else None

    @property
    def label(self) -> str:
        return project_label(self.inspanning)

    @property
    def start_na(self) -> Inspanning | None:
        return self.planning.start_na if self.planning else None

    @property
    def versie(self) -> int:
        return self.planning.versie if self.planning else 0


def project_label(inspanning: Inspanning) -> str:
    return inspanning.code or inspanning.titel


def step_label(stap: Stap, number: int) -> str:
    return f"{number}. {stap.naam}"


def step_dates(inspanning: Inspanning, start: datetime.date, stappen) -> list[StepDates]:
    """Each step starts when the previous ends and lasts its doorlooptijd in months.

    A step without a positive doorlooptijd cannot be planned: ValidationError naming it.
    """
    result = []
    day = start
    for number, stap in enumerate(stappen, start=1):
        duration = stap.doorlooptijd_maanden
        names = {"stap": step_label(stap, number), "project": project_label(inspanning)}
        if duration is None:
            raise ValidationError(
                _("Stap “%(stap)s” van %(project)s heeft nog geen doorlooptijd.") % names
            )
        if duration <= 0:
            raise ValidationError(
                _(
                    "Stap “%(stap)s” van %(project)s duurt %(maanden)s maanden; een stap duurt "
                    "minstens een halve maand."
                )
                % {**names, "maanden": months_number(duration)}
            )
        end = add_months(day, duration)
        if end <= day:
            raise ValidationError(
                _("Stap “%(stap)s” van %(project)s eindigt vóór haar begin.") % names
            )
        result.append(StepDates(stap, day, end))
        day = end
    return result


def dependency_cycle(
    plannings: dict[int, tuple[datetime.date | None, int | None]], names: dict[int, str], pk: int
) -> str:
    """The cycle through project `pk` along the "start na" links, as "3a → 3b → 3a", or ""."""
    path = [pk]
    current = plannings.get(pk, (None, None))[1]
    while current is not None:
        if current == pk:
            return " → ".join(names.get(p, str(p)) for p in [*path, pk])
        if current in path:
            return ""  # a cycle further on, not through `pk`
        path.append(current)
        current = plannings.get(current, (None, None))[1]
    return ""


def _schedule(
    projects: list[Inspanning],
    plannings: dict[int, tuple[datetime.date | None, int | None]],
) -> dict[int, tuple[datetime.date | None, list[StepDates], str]]:
    """Start, steps and problem of every project, following the "start na" links.

    With a "start na" a project starts when that project ends (or in its own month, if later);
    so its dependants move whenever a date before them changes.
    """
    by_pk = {p.pk: p for p in projects}
    names = {p.pk: project_label(p) for p in projects}
    done: dict[int, tuple[datetime.date | None, list[StepDates], str]] = {}

    def visit(pk: int) -> tuple[datetime.date | None, list[StepDates], str]:
        if pk in done:
            return done[pk]
        own_start, after = plannings.get(pk, (None, None))
        start, problem = own_start, ""
        cycle = dependency_cycle(plannings, names, pk)
        if cycle:
            done[pk] = (
                None,
                [],
                _("De planning draait in een kring: %(kring)s.") % {"kring": cycle},
            )
            return done[pk]
        if after is not None:
            after_steps = visit(after)[1] if after in by_pk else []
            if after_steps:
                start = max(own_start, after_steps[-1].end) if own_start else after_steps[-1].end
            else:
                start = None
                problem = _("Wacht op %(project)s, dat nog niet gepland is.") % {
                    "project": names.get(after, _("een project zonder stappenplan"))
                }
        steps: list[StepDates] = []
        if start is not None:
            try:
                steps = step_dates(by_pk[pk], start, list(by_pk[pk].stappen.all()))
            except ValidationError as error:
                problem = error.messages[0]
        done[pk] = (start, steps, problem)
        return done[pk]

    for project in projects:
        visit(project.pk)
    return done


def _ambitie_of(inspanning: Inspanning) -> Ambitie | None:
    for bijdrage in inspanning.bijdragen.all():
        return bijdrage.operationeel_doel.strategisch_doel.ambitie
    return None


def projects_of(programma: Programma) -> list[Inspanning]:
    """The programme's projects (inspanningen with a stappenplan), with all planning needs."""
    return list(
        Inspanning.objects.filter(programma=programma, stappen__isnull=False)
        .distinct()
        .select_related("planning__start_na")
        .prefetch_related(
            Prefetch("stappen", queryset=Stap.objects.order_by("volgorde", "id")),
            Prefetch(
                "bijdragen",
                queryset=Bijdrage.objects.select_related(
                    "operationeel_doel__strategisch_doel__ambitie"
                ).order_by(
                    "operationeel_doel__strategisch_doel__ambitie__volgorde",
                    "operationeel_doel__code",
                    "operationeel_doel__id",
                ),
            ),
        )
        .order_by("volgorde", "code", "id")
    )


def _planning_of(inspanning: Inspanning) -> Projectplanning | None:
    try:
        return inspanning.planning
    except Projectplanning.DoesNotExist:
        return None


def project_schedules(programma: Programma) -> list[ProjectSchedule]:
    """Every project of the programme with its computed start and step dates."""
    projects = projects_of(programma)
    plannings = {}
    for project in projects:
        planning = _planning_of(project)
        if planning is not None:
            plannings[project.pk] = (planning.start, planning.start_na_id)
    computed = _schedule(projects, plannings)
    result = []
    for project in projects:
        start, steps, problem = computed[project.pk]
        result.append(
            ProjectSchedule(
                inspanning=project,
                planning=_planning_of(project),
                ambitie=_ambitie_of(project),
                steps=steps,
                start=start,
                problem=problem,
            )
        )
    return result


def planning_charts(
    schedules: list[ProjectSchedule], today: datetime.date | None = None
) -> list[dict]:
    """One Gantt per ambitie (on a shared axis of whole years): a group per project, a bar per
    step; each as {"ambitie": Ambitie | None, "chart": Gantt}."""
    planned = [s for s in schedules if s.steps]
    if not planned:
        return []
    today = today or timezone.localdate()
    first = datetime.date(min(s.start for s in planned).year, 1, 1)
    last = max(s.end for s in planned)
    end = last if (last.month, last.day) == (1, 1) else datetime.date(last.year + 1, 1, 1)
    sections: dict[int | None, dict] = {}
    for schedule in planned:
        key = schedule.ambitie.pk if schedule.ambitie else None
        sections.setdefault(key, {"ambitie": schedule.ambitie, "groups": []})
        rows = []
        for number, step in enumerate(schedule.steps, start=1):
            label = step_label(step.stap, number)
            kind = "standaard" if number % 2 else "alternatief"
            note = months(step.stap.doorlooptijd_maanden)
            rows.append(gantt.Row(label, (gantt.Bar(label, step.start, step.end, kind, note),)))
        heading = (
            f"{schedule.label} {schedule.inspanning.titel}"
            if schedule.inspanning.code
            else schedule.label
        )
        sections[key]["groups"].append(gantt.Group(heading, tuple(rows)))
    markers = [gantt.Marker(today, _("vandaag"), "vandaag")] if first <= today < end else []
    charts = []
    for key, section in sections.items():
        ambitie = section["ambitie"]
        name = str(ambitie) if ambitie else _("Projecten zonder ambitie")
        charts.append(
            {
                "ambitie": ambitie,
                "chart": gantt.render(
                    title=_("Meerjarenplanning: %(naam)s") % {"naam": name},
                    description=_(
                        "Balkenschema van %(periode)s: per project een balk per stap uit het "
                        "stappenplan; elke stap begint als de vorige eindigt. De rode lijn is "
                        "vandaag. Dezelfde gegevens staan in de tabel onder het schema."
                    )
                    % {"periode": gantt.period_label(first, end)},
                    start=first,
                    end=end,
                    groups=section["groups"],
                    markers=markers,
                    ident=f"planning-{key or 'overig'}",
                ),
            }
        )
    return charts


def set_project_planning(
    inspanning: Inspanning,
    *,
    start: datetime.date | None,
    start_na: Inspanning | None,
    expected_versie: int,
    user=None,
) -> Projectplanning:
    """Set when a project starts: in a month, after another project, or both ("after 3a, not
    before September"). All or nothing; refused with a Dutch message naming the project."""
    name = project_label(inspanning)
    if start is not None and start.day != 1:
        raise ValidationError({"start": _("Een maand begint op de eerste dag.")})
    if start_na is not None:
        if start_na.programma_id != inspanning.programma_id:
            raise ValidationError(
                {
                    "start_na": _("%(project)s hoort bij een ander programma.")
                    % {"project": project_label(start_na)}
                }
            )
        if start_na.pk == inspanning.pk:
            raise ValidationError(
                {"start_na": _("%(project)s kan niet na zichzelf starten.") % {"project": name}}
            )
    with transaction.atomic():
        planning = Projectplanning.objects.select_for_update().filter(inspanning=inspanning).first()
        current = planning.versie if planning else 0
        if current != expected_versie:
            raise ValidationError(
                _(
                    "De planning van %(project)s is intussen door iemand anders gewijzigd. "
                    "Bekijk de nieuwe planning en probeer het opnieuw."
                )
                % {"project": name}
            )
        projects = projects_of(inspanning.programma)
        by_pk = {p.pk: p for p in projects}
        if inspanning.pk not in by_pk:
            raise ValidationError(
                _("%(project)s heeft geen stappenplan en kan niet worden gepland.")
                % {"project": name}
            )
        if start_na is not None and start_na.pk not in by_pk:
            raise ValidationError(
                {
                    "start_na": _("%(project)s heeft geen stappenplan.")
                    % {"project": project_label(start_na)}
                }
            )
        # A step of 0 or fewer months is refused whatever the start.
        step_dates(
            inspanning, start or datetime.date(2000, 1, 1), list(by_pk[inspanning.pk].stappen.all())
        )
        plannings = {}
        for project in projects:
            existing = _planning_of(project)
            if existing is not None:
                plannings[project.pk] = (existing.start, existing.start_na_id)
        plannings[inspanning.pk] = (start, start_na.pk if start_na else None)
        names = {p.pk: project_label(p) for p in projects}
        cycle = dependency_cycle(plannings, names, inspanning.pk)
        if cycle:
            raise ValidationError(
                {
                    "start_na": _(
                        "%(project)s kan niet na %(na)s starten: dan wachten de projecten op "
                        "elkaar (%(kring)s)."
                    )
                    % {"project": name, "na": project_label(start_na), "kring": cycle}
                }
            )
        computed = _schedule(projects, plannings)
        if start is not None and start_na is not None:
            _after_start, after_steps, _problem = computed[start_na.pk]
            if after_steps and after_steps[-1].end > start:
                raise ValidationError(
                    {
                        "start": _(
                            "%(project)s kan niet in %(maand)s beginnen: het start na "
                            "%(na)s, en dat eindigt pas op %(einde)s."
                        )
                        % {
                            "project": name,
                            "maand": format_date(start, "MMMM y", locale=LOCALE),
                            "na": project_label(start_na),
                            "einde": long_date(after_steps[-1].end - datetime.timedelta(days=1)),
                        }
                    }
                )
        if planning is None:
            planning = Projectplanning(inspanning=inspanning, versie=0)
        planning.start = start
        planning.start_na = start_na
        planning.versie += 1
        planning._change_reason = _("Planning van %(project)s aangepast") % {"project": name}
        if user is not None:
            planning._history_user = user
        planning.full_clean()
        planning.save()
        return planning
