"""A programme's progress at a glance: the dashboard's figures and the progress list behind them.

Pure reads, in a fixed number of queries whatever the number of inspanningen and updates.
The dashboard and the list read the same rows (`progress_rows`) and pick them with the same
test (`Filters.keep`), so every figure on the dashboard is exactly the length of the list its
link opens.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.formats import long_date
from doelenboom.models import Inspanning, Stap
from fasering import progress
from fasering.access import may_plan
from fasering.models import Faseplan, Licht, Statusupdate
from fasering.planning import ProjectSchedule, add_months, project_schedules
from fasering.remarks import plans_with_open_remarks
from programmes.access import ProgrammaAccess
from programmes.models import Programma

# The filter value for "no update yet", beside the three lights.
GEEN = "geen"
LIGHTS = (Licht.OP_KOERS.value, Licht.AANDACHT.value, Licht.RISICO.value, GEEN)
# Managers are asked for capacity one quarter ahead (KvNH): projects starting within it.
KWARTAAL = "kwartaal"
QUARTER_MONTHS = 3
# How many projects behind plan and stale inspanningen the dashboard names (the rest is
# behind the figure's link), and how many of the latest updates it shows.
BEHIND_SHOWN = 5
STALE_SHOWN = 5
LATEST_SHOWN = 10


def light_label(licht: str | None) -> str:
    """The light in words: "Op koers", "Aandacht nodig", "Risico" or "Nog geen update"."""
    if not licht or licht == GEEN:
        return _("Nog geen update")
    return str(Licht(licht).label)


def quarter_end(today: datetime.date) -> datetime.date:
    """The last day a project may start on to count as starting in the coming quarter."""
    return add_months(today, QUARTER_MONTHS)


def starts_in_quarter(start: datetime.date | None, today: datetime.date) -> bool:
    """today < start ≤ today + 3 months: capacity for it is asked now."""
    return start is not None and today < start <= quarter_end(today)


@dataclass(frozen=True)
class Filters:
    """What the progress list shows; every filter given must hold (and)."""

    licht: str = ""  # one of LIGHTS, or "" for every light
    achter: bool = False  # behind the planning
    stil: bool = False  # no update in STALE_DAYS days
    start_kwartaal: bool = False  # starts in the coming quarter

    @property
    def active(self) -> bool:
        return bool(self.licht or self.achter or self.stil or self.start_kwartaal)

    def query(self) -> str:
        """The GET parameters of the list with these filters ("licht=risico&achter=1")."""
        params = []
        if self.licht:
            params.append(("licht", self.licht))
        if self.achter:
            params.append(("achter", "1"))
        if self.stil:
            params.append(("stil", "1"))
        if self.start_kwartaal:
            params.append(("start", KWARTAAL))
        return urlencode(params)

    def keep(self, row: "Row") -> bool:
        if self.licht and (row.licht or GEEN) != self.licht:
            return False
        if self.achter and not row.behind:
            return False
        if self.stil and not row.stale:
            return False
        return not (self.start_kwartaal and not row.starts_in_quarter)

    def words(self, today: datetime.date) -> list[str]:
        """Each filter in words, for the sentence above the list."""
        parts = []
        if self.licht:
            parts.append(light_label(self.licht))
        if self.achter:
            parts.append(_("achter op de planning"))
        if self.stil:
            parts.append(_("geen update in %(dagen)s dagen") % {"dagen": progress.STALE_DAYS})
        if self.start_kwartaal:
            parts.append(
                _("start na vandaag, uiterlijk %(datum)s")
                % {"datum": long_date(quarter_end(today))}
            )
        return parts


def parse_filters(params: Mapping[str, str]) -> tuple[Filters, list[str]]:
    """The filters of a GET request, and a Dutch message per value that is not a choice
    (that filter is then left out, the rest still applies)."""
    errors = []
    licht = params.get("licht", "")
    if licht not in ("", *LIGHTS):
        errors.append(
            _("Stoplicht: „%(waarde)s” is geen keuze; alle stoplichten worden getoond.")
            % {"waarde": licht[:40]}
        )
        licht = ""
    flags = {}
    for name, on, label in (
        ("achter", "1", _("Achter op de planning")),
        ("stil", "1", _("Geen update in %(dagen)s dagen") % {"dagen": progress.STALE_DAYS}),
        ("start", KWARTAAL, _("Start in het komende kwartaal")),
    ):
        value = params.get(name, "")
        if value not in ("", on):
            errors.append(
                _("%(veld)s: „%(waarde)s” is geen keuze; dit filter is niet toegepast.")
                % {"veld": label, "waarde": value[:40]}
            )
        flags[name] = value == on
    return (
        Filters(
            licht=licht,
            achter=flags["achter"],
            stil=flags["stil"],
            start_kwartaal=flags["start"],
        ),
        errors,
    )


@dataclass
class Row:
    """One inspanning with its latest status and, for a project, where it stands on its plan.

    Plain values rather than a model instance: a long programme has a thousand rows, and the
    dashboard counts them all."""

    pk: int
    code: str
    titel: str
    groep: str  # the carrying group's name, or ""
    indicatieve_ondersteuning: str
    licht: str | None  # of the latest update; None without updates
    datum: datetime.date | None  # of the latest update
    stap_id: int | None  # the latest update's step
    stale: bool
    labels: dict[str, str]  # each light in words, translated once for all rows
    schedule: ProjectSchedule | None = None  # only for projects (with a stappenplan)
    reported: tuple[int, Stap] | None = None  # the latest update's step, numbered from 1
    planned: tuple[int, Stap] | None = None  # the step the planning has for today
    behind: bool = False
    starts_in_quarter: bool = False
    may_report: bool = False

    def __str__(self) -> str:
        return f"{self.code} {self.titel}" if self.code else self.titel

    @property
    def licht_key(self) -> str:
        return self.licht or GEEN

    @property
    def licht_label(self) -> str:
        return self.labels[self.licht_key]

    @property
    def start(self) -> datetime.date | None:
        return self.schedule.start if self.schedule else None

    @property
    def steps_total(self) -> int:
        return len(self.schedule.inspanning.stappen.all()) if self.schedule else 0


ROW_FIELDS = ("pk", "code", "titel", "groep__naam", "indicatieve_ondersteuning")


def progress_rows(
    programma: Programma,
    filters: Filters | None = None,
    today: datetime.date | None = None,
) -> list[Row]:
    """The programme's inspanningen that pass `filters`, each with its latest status and
    planning. At most five queries (three without projects), whatever the number of
    inspanningen and updates."""
    today = today or timezone.localdate()
    filters = filters or Filters()
    annotated = progress.with_latest_status(Inspanning.objects.filter(programma=programma))
    values = annotated.order_by("volgorde", "code", "id").values(
        *ROW_FIELDS, "laatste_licht", "laatste_datum", "laatste_stap_id"
    )
    # The stale rule lives in fasering.progress; ask it rather than repeat it.
    # (Unordered: the model's default order joins the programme table.)
    stale_ids = set(progress.stale(annotated.order_by(), today).values_list("pk", flat=True))
    schedules = {s.inspanning.pk: s for s in project_schedules(programma)}
    labels = {key: light_label(key) for key in LIGHTS}
    rows = []
    for v in values:
        row = Row(
            pk=v["pk"],
            code=v["code"],
            titel=v["titel"],
            groep=v["groep__naam"] or "",
            indicatieve_ondersteuning=v["indicatieve_ondersteuning"],
            licht=v["laatste_licht"],
            datum=v["laatste_datum"],
            stap_id=v["laatste_stap_id"],
            stale=v["pk"] in stale_ids,
            labels=labels,
        )
        schedule = schedules.get(row.pk)
        if schedule is not None:
            reported_number = progress.step_number(schedule, row.stap_id)
            stappen = list(schedule.inspanning.stappen.all())
            row.schedule = schedule
            row.reported = (
                (reported_number, stappen[reported_number - 1]) if reported_number else None
            )
            row.planned = progress.planned_step(schedule, today)
            row.behind = progress.behind_plan(schedule, row.stap_id, today)
            row.starts_in_quarter = starts_in_quarter(schedule.start, today)
        if filters.keep(row):
            rows.append(row)
    return rows


def mark_reportable(rows: Iterable[Row], user: AbstractBaseUser, access: ProgrammaAccess) -> None:
    """Set `may_report` on each row as fasering.progress.may_report answers it, in at most
    one query for all rows (may_report itself asks the database once per inspanning)."""
    if access.archived:
        carried: set[int] | None = set()
    elif may_plan(user, access):
        carried = None  # the leader and team report on everything
    else:
        carried = set(
            Inspanning.objects.filter(programma=access.programma)
            .filter(progress.carried_by(user))
            .values_list("pk", flat=True)
        )
    for row in rows:
        row.may_report = carried is None or row.pk in carried


@dataclass(frozen=True)
class LightFigure:
    key: str  # one of LIGHTS
    label: str
    count: int
    words: str  # "3 inspanningen"
    filters: Filters


@dataclass
class Dashboard:
    """Everything the programme page's "Voortgang" shows."""

    programma: Programma
    today: datetime.date
    total: int  # inspanningen
    lights: list[LightFigure]
    projects: int  # inspanningen with a stappenplan
    unplanned: list[ProjectSchedule]  # projects without dates (no start, or a problem)
    behind_count: int
    behind_first: list[Row]
    stale_count: int
    stale_first: list[Row]
    capacity: list[Row]
    latest: list[Statusupdate]
    open_remarks: list[Faseplan]
    # The filters of each figure's list, for its link.
    behind_filters: Filters = field(default_factory=lambda: Filters(achter=True))
    stale_filters: Filters = field(default_factory=lambda: Filters(stil=True))
    capacity_filters: Filters = field(default_factory=lambda: Filters(start_kwartaal=True))

    @property
    def capacity_end(self) -> datetime.date:
        return quarter_end(self.today)

    @property
    def stale_days(self) -> int:
        return progress.STALE_DAYS

    @property
    def stale_since(self) -> datetime.date:
        """An inspanning without an update on or after this day is stale."""
        return progress.stale_before(self.today)

    @property
    def behind_words(self) -> str:
        return count_words(self.programma, self.behind_count)

    @property
    def stale_words(self) -> str:
        return count_words(self.programma, self.stale_count)

    @property
    def capacity_words(self) -> str:
        return count_words(self.programma, len(self.capacity))

    @property
    def updated(self) -> int:
        """Inspanningen with at least one update."""
        return self.total - next(f.count for f in self.lights if f.key == GEEN)


def latest_updates(programma: Programma, limit: int = LATEST_SHOWN) -> list[Statusupdate]:
    """The programme's newest updates (by date, then posting time), with inspanning and author."""
    return list(
        Statusupdate.objects.filter(inspanning__programma=programma)
        .select_related("inspanning", "auteur")
        .only(
            "datum",
            "licht",
            "geplaatst_op",
            "inspanning__code",
            "inspanning__titel",
            "inspanning__programma_id",
            "auteur__username",
            "auteur__first_name",
            "auteur__last_name",
        )
        .order_by("-datum", "-geplaatst_op", "-id")[:limit]
    )


def dashboard(programma: Programma, today: datetime.date | None = None) -> Dashboard:
    """The programme's progress: lights, behind plan, stale, capacity to ask, latest updates
    and open stuurgroep remarks. At most seven queries, whatever the size of the programme."""
    today = today or timezone.localdate()
    rows = progress_rows(programma, today=today)
    counts = dict.fromkeys(LIGHTS, 0)
    for row in rows:
        counts[row.licht_key] += 1
    stale = sorted(
        (r for r in rows if r.stale),
        # Longest silent first; never updated before all.
        key=lambda r: (r.datum is not None, r.datum or today),
    )
    schedules = [r.schedule for r in rows if r.schedule is not None]
    behind = [r for r in rows if r.behind]
    return Dashboard(
        programma=programma,
        today=today,
        total=len(rows),
        lights=[
            LightFigure(
                key,
                light_label(key),
                counts[key],
                count_words(programma, counts[key]),
                Filters(licht=key),
            )
            for key in LIGHTS
        ],
        projects=len(schedules),
        unplanned=[s for s in schedules if not s.steps],
        behind_count=len(behind),
        behind_first=behind[:BEHIND_SHOWN],
        stale_count=len(stale),
        stale_first=stale[:STALE_SHOWN],
        capacity=sorted((r for r in rows if r.starts_in_quarter), key=lambda r: r.start),
        latest=latest_updates(programma),
        open_remarks=list(plans_with_open_remarks(programma)),
    )


def count_words(programma: Programma, count: int) -> str:
    """ "3 inspanningen", "1 project": the number with the programme's own name for them."""
    label = programma.label_inspanning if count == 1 else programma.label_inspanning_mv
    return f"{number_format(count, force_grouping=True)} {label.lower()}"


def describe(programma: Programma, filters: Filters, count: int, today: datetime.date) -> str:
    """The list's filter in words: "Risico: 3 inspanningen"."""
    parts = filters.words(today)
    if not parts:
        return _("Zonder filter: %(aantal)s") % {"aantal": count_words(programma, count)}
    what = ", ".join(parts)
    return f"{what[0].upper()}{what[1:]}: {count_words(programma, count)}"
