"""The programme dashboard: lights, behind plan, stale, capacity, latest updates; every figure
links to the list with exactly its rows; a fixed number of queries; outsiders get 404."""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from core.formats import long_date
from doelenboom.models import Inspanning, Stap
from fasering import overview
from fasering.models import Faseplan, Opmerking, Projectplanning, Statusupdate
from fasering.planning import add_months
from programmes.models import Groep, Programma
from tests import builders
from tests.queries import count_queries, page_queries

TODAY = datetime.date(2026, 12, 2)


def update(
    inspanning: Inspanning,
    datum: datetime.date,
    licht: str = "op_koers",
    stap: Stap | None = None,
    auteur=None,
    geplaatst_op: datetime.datetime | None = None,
) -> Statusupdate:
    made = Statusupdate.objects.create(
        inspanning=inspanning,
        datum=datum,
        licht=licht,
        stap=stap,
        gebeurd="Overleg gevoerd.",
        auteur=auteur,
    )
    if geplaatst_op is not None:
        # auto_now_add overrides a value given at creation; set the posting time afterwards.
        Statusupdate.objects.filter(pk=made.pk).update(geplaatst_op=geplaatst_op)
    return made


def project(
    prog: Programma, code: str, start: datetime.date | None, steps: int = 4, **kw
) -> Inspanning:
    """A project of `steps` steps of three months each, planned to start on `start`."""
    made = builders.inspanning(prog, code=code, titel=f"Project {code}", categorie="project", **kw)
    for n in range(1, steps + 1):
        Stap.objects.create(inspanning=made, volgorde=n, naam=f"Stap {n}", doorlooptijd_maanden=3)
    if start is not None:
        Projectplanning.objects.create(inspanning=made, start=start)
    return made


def first_of_month(day: datetime.date, months: int) -> datetime.date:
    return add_months(day.replace(day=1), months)


@dataclass
class Scenario:
    """A programme whose every figure is known, relative to `today`."""

    programma: Programma
    today: datetime.date
    op_koers: Inspanning  # risico earlier, op koers on the latest date
    aandacht: Inspanning  # two updates on one date: the later posted (aandacht) wins
    zonder: Inspanning  # never updated
    grens: Inspanning  # last update exactly 90 days ago: not stale
    stil: Inspanning  # last update 91 days ago: stale
    achter: Inspanning  # project at planned step 4, reported step 2
    bij: Inspanning  # project at planned step 4, reported step 4
    straks: Inspanning  # project starting next month (capacity)
    later: Inspanning  # project starting in four months (not yet capacity)
    ongepland: Inspanning  # project without a planning


def scenario(prog: Programma, today: datetime.date, auteur=None) -> Scenario:
    goal = builders.goal_chain(prog)
    groep = Groep.objects.create(programma=prog, naam="Werkgroep Schulden", soort="werkgroep")

    def plain(code: str) -> Inspanning:
        return builders.inspanning(
            prog, code=code, titel=f"Inspanning {code}", doelen=[goal], groep=groep
        )

    s = Scenario(
        programma=prog,
        today=today,
        op_koers=plain("A1"),
        aandacht=plain("A2"),
        zonder=plain("A3"),
        grens=plain("A4"),
        stil=plain("A5"),
        # Ten months in, with 4 steps of 3 months: step 4.
        achter=project(prog, "P1", first_of_month(today, -10), indicatieve_ondersteuning="x"),
        bij=project(prog, "P2", first_of_month(today, -10)),
        straks=project(
            prog,
            "P3",
            first_of_month(today, 1),
            indicatieve_ondersteuning="Twee dagen per week een beleidsmedewerker.",
        ),
        later=project(prog, "P4", first_of_month(today, 4)),
        ongepland=project(prog, "P5", None),
    )
    update(s.op_koers, today - datetime.timedelta(days=30), "risico", auteur=auteur)
    update(s.op_koers, today - datetime.timedelta(days=10), "op_koers", auteur=auteur)
    posted = timezone.now()
    same_day = today - datetime.timedelta(days=5)
    update(s.aandacht, same_day, "aandacht", geplaatst_op=posted, auteur=auteur)
    update(
        s.aandacht,
        same_day,
        "risico",
        geplaatst_op=posted - datetime.timedelta(hours=1),
        auteur=auteur,
    )
    update(s.grens, today - datetime.timedelta(days=90), "aandacht")
    update(s.stil, today - datetime.timedelta(days=91), "risico")
    steps_achter = list(s.achter.stappen.all())
    update(s.achter, today - datetime.timedelta(days=3), "aandacht", stap=steps_achter[1])
    steps_bij = list(s.bij.stappen.all())
    update(s.bij, today - datetime.timedelta(days=3), "op_koers", stap=steps_bij[3])
    return s


@pytest.fixture
def scene(prog, cast) -> Scenario:
    return scenario(prog, TODAY, auteur=cast["team"])


def pks(rows) -> set[int]:
    return {r.pk for r in rows}


# -- the figures --------------------------------------------------------------------------------


def test_each_light_counts_the_latest_update_by_date_then_posting_time(scene):
    d = overview.dashboard(scene.programma, TODAY)

    counts = {f.key: f.count for f in d.lights}
    # op koers: A1 (latest date) and P2; aandacht: A2 (posted later), A4, P1; risico: A5;
    # none: A3, P3, P4, P5.
    assert counts == {"op_koers": 2, "aandacht": 3, "risico": 1, "geen": 4}
    assert d.total == 10 and d.updated == 6
    words = {f.key: f.words for f in d.lights}
    assert words["risico"] == "1 inspanning" and words["geen"] == "4 inspanningen"


def test_a_later_date_wins_over_a_later_posting(scene):
    # Posted now, but about an earlier day: the update of the later day stays the latest.
    update(scene.op_koers, TODAY - datetime.timedelta(days=20), "risico")

    counts = {f.key: f.count for f in overview.dashboard(scene.programma, TODAY).lights}

    assert counts["op_koers"] == 2 and counts["risico"] == 1


def test_behind_plan_is_a_reported_step_before_todays_planned_step(scene):
    d = overview.dashboard(scene.programma, TODAY)

    assert d.behind_count == 1 and pks(d.behind_first) == {scene.achter.pk}
    (row,) = d.behind_first
    assert (row.reported[0], row.planned[0]) == (2, 4)
    # Five projects, one without a planning.
    assert d.projects == 5
    assert [s.inspanning.pk for s in d.unplanned] == [scene.ongepland.pk]


def test_a_project_not_yet_started_or_without_a_reported_step_is_not_behind(scene):
    # P3 starts next month; an update with no step says nothing about the plan.
    update(scene.straks, TODAY, "aandacht", stap=scene.straks.stappen.first())
    update(scene.ongepland, TODAY, "risico", stap=scene.ongepland.stappen.first())
    update(scene.bij, TODAY, "risico")

    assert pks(overview.dashboard(scene.programma, TODAY).behind_first) == {scene.achter.pk}


def test_stale_is_no_update_in_90_days_with_the_edge_on_day_90(scene):
    d = overview.dashboard(scene.programma, TODAY)

    stale = {scene.zonder.pk, scene.stil.pk, scene.straks.pk, scene.later.pk, scene.ongepland.pk}
    assert d.stale_count == 5
    assert pks(overview.progress_rows(scene.programma, overview.Filters(stil=True), TODAY)) == (
        stale
    )
    # Exactly 90 days ago is still in time; a day later it is stale.
    assert scene.grens.pk not in stale
    tomorrow = overview.dashboard(scene.programma, TODAY + datetime.timedelta(days=1))
    assert tomorrow.stale_count == 6
    # Never updated first, then the longest silent; the dashboard names five.
    assert [r.pk for r in d.stale_first][-1] == scene.stil.pk
    assert len(d.stale_first) == overview.STALE_SHOWN


def test_capacity_is_a_start_after_today_and_within_three_months(prog):
    start = datetime.date(2027, 3, 1)
    p = project(prog, "K1", start, indicatieve_ondersteuning="0,2 fte")

    def picked(today: datetime.date) -> bool:
        return p.pk in pks(overview.dashboard(prog, today).capacity)

    # Three months after 1 December is 1 March: in; after 30 November is 28 February: out.
    assert picked(datetime.date(2026, 12, 1))
    assert not picked(datetime.date(2026, 11, 30))
    # The day before the start: in; on the start day it has started: out.
    assert picked(datetime.date(2027, 2, 28))
    assert not picked(start)
    assert overview.quarter_end(datetime.date(2026, 12, 1)) == start


def test_capacity_lists_the_projects_of_the_coming_quarter_with_their_support(scene):
    d = overview.dashboard(scene.programma, TODAY)

    assert [r.pk for r in d.capacity] == [scene.straks.pk]
    assert d.capacity[0].start == first_of_month(TODAY, 1)
    assert d.capacity_end == datetime.date(2027, 3, 2)


def test_latest_updates_are_the_newest_ten(scene, cast):
    for n in range(12):
        update(scene.zonder, TODAY - datetime.timedelta(days=200 + n), "risico")

    latest = overview.dashboard(scene.programma, TODAY).latest

    assert len(latest) == 10
    # Newest date first; on one date the later posted first.
    assert [(u.inspanning.code, u.licht) for u in latest[:4]] == [
        ("P2", "op_koers"),
        ("P1", "aandacht"),
        ("A2", "aandacht"),
        ("A2", "risico"),
    ]
    assert latest[2].auteur == cast["team"]
    assert [u.datum for u in latest] == sorted((u.datum for u in latest), reverse=True)


def test_nothing_of_another_programme_is_counted(scene):
    other = builders.programma(slug="ander")
    scenario(other, TODAY)

    d = overview.dashboard(scene.programma, TODAY)

    assert d.total == 10 and len(d.latest) == 8
    assert all(u.inspanning.programma_id == scene.programma.pk for u in d.latest)


# -- the page -----------------------------------------------------------------------------------


@pytest.fixture
def live(prog, cast) -> Scenario:
    """The scenario around the real today, for the pages (they read today's date)."""
    return scenario(prog, timezone.localdate(), auteur=cast["team"])


def _dashboard_html(client, slug: str = "test") -> str:
    response = client.get(reverse("programmes:detail", args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


FIGURE = re.compile(r'<a class="utrecht-link" id="cijfer-([\w-]+)" href="([^"]+)">([^<]+)</a>')


def _listed(client, href: str) -> set[int]:
    response = client.get(href.replace("&amp;", "&"))
    assert response.status_code == 200
    return {
        int(pk)
        for pk in re.findall(
            r'<tr class="utrecht-table__row" id="voortgang-(\d+)"', response.content.decode()
        )
    }


def test_every_figure_links_to_a_list_of_exactly_its_rows(client, cast, live):
    client.force_login(cast["lezer"])
    today = timezone.localdate()
    d = overview.dashboard(live.programma, today)
    expected = {
        **{
            f"licht-{f.key}": {
                r.pk for r in overview.progress_rows(live.programma, f.filters, today)
            }
            for f in d.lights
        },
        "achter": pks(overview.progress_rows(live.programma, d.behind_filters, today)),
        "stil": pks(overview.progress_rows(live.programma, d.stale_filters, today)),
        "capaciteit": pks(d.capacity),
    }

    figures = FIGURE.findall(_dashboard_html(client))

    assert {name for name, _href, _text in figures} == set(expected)
    for name, href, text in figures:
        listed = _listed(client, href)
        assert listed == expected[name], name
        assert text == overview.count_words(live.programma, len(listed)), name
    # The figures are the scenario's: nothing is empty by accident.
    assert expected["achter"] == {live.achter.pk}
    assert expected["capaciteit"] == {live.straks.pk}
    assert len(expected["stil"]) == 5


def test_the_dashboard_says_each_light_in_words_with_its_badge(client, cast, live):
    client.force_login(cast["lezer"])

    html = _dashboard_html(client)

    for key, words in [
        ("op_koers", "Op koers"),
        ("aandacht", "Aandacht nodig"),
        ("risico", "Risico"),
        ("geen", "Nog geen update"),
    ]:
        assert f'<span class="koers-licht koers-licht--{key}">{words}</span>' in html
    assert (
        "Capaciteit aanvragen: start tot en met "
        + long_date(overview.quarter_end(timezone.localdate()))
        in html
    )
    assert "Twee dagen per week een beleidsmedewerker." in html
    assert "1 project is nog niet gepland" in html
    assert f'href="{reverse("fasering:planning", args=["test"])}"' in html


def test_the_dashboard_folds_in_the_open_stuurgroep_remarks(client, cast, live):
    plan = Faseplan.objects.create(
        programma=live.programma,
        nummer=2,
        titel="Faseplan 2",
        start=datetime.date(2025, 1, 1),
        eind=datetime.date(2025, 12, 1),
    )
    for _ in range(2):
        Opmerking.objects.create(
            faseplan=plan, sectie="planning", tekst="Waarom zo laat?", auteur=cast["stuurgroep"]
        )
    client.force_login(cast["lezer"])

    html = _dashboard_html(client)

    part = html[html.index('id="voortgang-opmerkingen-kop"') :]
    assert "2 open opmerkingen op Faseplan 2" in part
    assert html.index('id="voortgang-kop"') < html.index("2 open opmerkingen op Faseplan 2")


def test_a_programme_without_inspanningen_says_what_is_missing(client, cast, prog):
    client.force_login(cast["leider"])

    html = _dashboard_html(client)

    assert "Er zijn nog geen inspanningen, dus nog geen voortgang om te tonen." in html
    assert f'href="{reverse("doelenboom:tree", args=["test"])}">Inspanningen vastleggen' in html
    assert 'id="cijfer-' not in html


def test_a_programme_without_updates_or_plannings_says_so_and_where_to_fix_it(client, cast, prog):
    goal = builders.goal_chain(prog)
    builders.inspanning(prog, code="A1", doelen=[goal])
    project(prog, "P1", None)
    client.force_login(cast["leider"])

    html = _dashboard_html(client)

    assert "0 van de 2 inspanningen hebben een statusupdate" in html
    assert "Nog geen statusupdates." in html
    assert "1 project is nog niet gepland" in html
    assert "Geen project heeft nog een startdatum." in html
    assert f'href="{reverse("fasering:planning", args=["test"])}">Projecten inplannen' in html
    assert "Geen open opmerkingen." in html


def test_a_programme_without_projects_says_there_is_no_planning_to_compare(client, cast, prog):
    builders.inspanning(prog, code="A1")
    client.force_login(cast["lezer"])

    assert "heeft een stappenplan, dus er is geen planning" in _dashboard_html(client)


def test_the_dashboard_names_five_projects_behind_and_links_to_all(client, cast, live):
    today = timezone.localdate()
    for n in range(6):
        late = project(live.programma, f"L{n}", first_of_month(today, -10))
        update(late, today, "aandacht", stap=late.stappen.first())
    client.force_login(cast["lezer"])

    html = _dashboard_html(client)

    part = html[html.index('id="voortgang-achter-kop"') : html.index('id="voortgang-stil-kop"')]
    assert part.count("<li>") == overview.BEHIND_SHOWN
    assert ">7 inspanningen</a>: de laatst gemelde stap ligt vóór" in part
    assert (
        f'href="{reverse("fasering:progress", args=["test"])}?achter=1">Alle 7 inspanningen' in part
    )


def test_a_member_of_another_programme_gets_404(client, cast, live):
    client.force_login(cast["buitenstaander"])

    assert client.get(reverse("programmes:detail", args=["test"])).status_code == 404


# -- query counts ------------------------------------------------------------------------------


def _grow(prog: Programma, inspanningen: int, updates: int) -> None:
    goal = builders.goal_chain(prog)
    groep, _ = Groep.objects.get_or_create(programma=prog, naam="Coalitie", soort="coalitie")
    start = Inspanning.objects.filter(programma=prog).count()
    today = timezone.localdate()
    for n in range(start, start + inspanningen):
        item = (
            project(prog, f"P{n}", first_of_month(today, -n), groep=groep)
            if n % 2 == 0
            else builders.inspanning(prog, code=f"A{n}", doelen=[goal], groep=groep)
        )
        stap = item.stappen.first()
        for k in range(updates):
            update(
                item,
                today - datetime.timedelta(days=40 * k + n),
                ("op_koers", "aandacht", "risico")[k % 3],
                stap=stap,
            )


def test_the_dashboard_makes_the_same_queries_for_one_and_for_many(prog, cast):
    small = builders.programma(slug="klein")
    _grow(small, 1, 1)
    _grow(prog, 12, 6)

    _, one = count_queries(lambda: overview.dashboard(small))
    _, many = count_queries(lambda: overview.dashboard(prog))

    assert one == many == 7


def test_the_programme_page_makes_the_same_queries_for_one_and_for_many(client, cast, prog):
    client.force_login(cast["lezer"])
    _grow(prog, 1, 1)
    one = page_queries(client, reverse("programmes:detail", args=["test"]))
    _grow(prog, 12, 6)
    Opmerking.objects.create(
        faseplan=Faseplan.objects.create(
            programma=prog,
            nummer=1,
            titel="Faseplan 1",
            start=datetime.date(2025, 1, 1),
            eind=datetime.date(2025, 6, 1),
        ),
        sectie="planning",
        tekst="Graag toelichten.",
        auteur=cast["stuurgroep"],
    )

    many = page_queries(client, reverse("programmes:detail", args=["test"]))

    assert one == many
