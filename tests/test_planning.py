"""Planning: month arithmetic, the project schedule, set_project_planning and the pages."""

import datetime
import itertools
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from doelenboom.models import Inspanning, Stap
from fasering.models import Projectplanning
from fasering.planning import (
    add_months,
    network_planning,
    project_schedules,
    set_project_planning,
    step_dates,
)
from programmes.models import Programma
from tests import builders
from tests.queries import page_queries

D = datetime.date


# -- month arithmetic ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2024, 1, 1), 1, D(2024, 2, 1)),
        (D(2024, 11, 1), 3, D(2025, 2, 1)),  # over the year's end
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # a month end in a leap year
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 3, 31), 1, D(2024, 4, 30)),
        (D(2024, 1, 1), 12, D(2025, 1, 1)),
        (D(2024, 2, 1), Decimal("0.5"), D(2024, 2, 16)),  # 29 days: half is 14,5 → 15
        (D(2023, 2, 1), Decimal("0.5"), D(2023, 2, 15)),  # 28 days: half is 14
        (D(2024, 1, 1), Decimal("1.5"), D(2024, 2, 16)),
        (D(2024, 4, 1), Decimal("0.5"), D(2024, 4, 16)),  # 30 days
        (D(2024, 8, 16), Decimal("2.5"), D(2024, 11, 1)),  # 16 Oct + half of October (16)
    ],
)
def test_months_are_added_as_calendar_months_and_half_months_as_half_their_days(start, months, end):
    assert add_months(start, months) == end


# -- the schedule of projects -------------------------------------------------------------------


def project(prog, code, *months, doel=None):
    obj = builders.inspanning(
        prog, code=code, titel=f"Project {code}", categorie="project", doelen=[doel] if doel else []
    )
    for number, value in enumerate(months, start=1):
        Stap.objects.create(
            inspanning=obj,
            volgorde=number,
            naam=f"Stap {number}",
            doorlooptijd_maanden=Decimal(str(value)),
        )
    return obj


def plan(obj, start=None, after=None):
    return Projectplanning.objects.create(inspanning=obj, start=start, start_na=after)


def schedule_of(prog):
    return {s.inspanning.code: s for s in project_schedules(prog)}


def test_each_step_starts_when_the_previous_one_ends(prog):
    p = project(prog, "3a", 3, 1.5, 12, 0.5)
    plan(p, start=D(2024, 1, 1))
    steps = schedule_of(prog)["3a"].steps
    assert [(s.start, s.end) for s in steps] == [
        (D(2024, 1, 1), D(2024, 4, 1)),
        (D(2024, 4, 1), D(2024, 5, 17)),  # 1,5 months: April plus half of May (15,5 → 16)
        (D(2024, 5, 17), D(2025, 5, 17)),
        (D(2025, 5, 17), D(2025, 6, 2)),  # half of May again: 16 days
    ]


def test_a_project_after_another_starts_when_that_one_ends_and_chains_follow(prog):
    a = project(prog, "3a", 3, 3)
    b = project(prog, "3b", 2)
    c = project(prog, "3c", 1)
    plan(a, start=D(2024, 1, 1))
    plan(b, after=a)
    plan(c, after=b)
    schedule = schedule_of(prog)
    assert schedule["3b"].start == D(2024, 7, 1)
    assert schedule["3c"].start == D(2024, 9, 1)
    assert schedule["3c"].end == D(2024, 10, 1)


def test_dependants_move_when_a_date_before_them_changes(prog):
    a = project(prog, "3a", 3)
    b = project(prog, "3b", 2)
    c = project(prog, "3c", 1)
    plan(a, start=D(2024, 1, 1))
    plan(b, after=a)
    plan(c, after=b)
    set_project_planning(a, start=D(2025, 3, 1), start_na=None, expected_versie=1)
    schedule = schedule_of(prog)
    assert schedule["3b"].start == D(2025, 6, 1)
    assert schedule["3c"].start == D(2025, 8, 1)


def test_a_dependant_with_its_own_later_month_waits_for_that_month(prog):
    a = project(prog, "3a", 2)
    b = project(prog, "3b", 1)
    plan(a, start=D(2024, 1, 1))
    plan(b, start=D(2024, 6, 1), after=a)
    assert schedule_of(prog)["3b"].start == D(2024, 6, 1)


def test_a_half_month_step_in_february_of_a_leap_year(prog):
    p = project(prog, "4a", 1.5, 0.5)
    plan(p, start=D(2024, 1, 1))
    steps = schedule_of(prog)["4a"].steps
    assert steps[0].end == D(2024, 2, 16)
    assert steps[1].end == D(2024, 3, 2)  # + 15 days: half of February's 29, rounded


def test_projects_without_start_or_dependency_are_not_planned(prog):
    a = project(prog, "3a", 2)
    b = project(prog, "3b", 1)
    plan(b, after=a)
    schedule = schedule_of(prog)
    assert schedule["3a"].steps == [] and schedule["3a"].start is None
    assert schedule["3b"].steps == []
    assert "3a" in schedule["3b"].problem


def test_inspanningen_without_a_stappenplan_are_no_projects(prog):
    builders.inspanning(prog, code="x", titel="Geen stappen")
    project(prog, "3a", 1)
    assert list(schedule_of(prog)) == ["3a"]


# -- refusals -----------------------------------------------------------------------------------


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_a_dependency_cycle_is_refused_naming_the_projects(prog):
    a = project(prog, "3a", 2)
    b = project(prog, "3b", 2)
    plan(a, start=D(2024, 1, 1))
    plan(b, after=a)
    with pytest.raises(ValidationError) as error:
        set_project_planning(a, start=None, start_na=b, expected_versie=1)
    assert "3a → 3b → 3a" in messages_of(error.value)
    assert Projectplanning.objects.get(inspanning=a).start == D(2024, 1, 1)


def test_a_longer_cycle_is_refused_too(prog):
    a, b, c = (project(prog, code, 1) for code in ("3a", "3b", "3c"))
    plan(a, start=D(2024, 1, 1))
    plan(b, after=a)
    plan(c, after=b)
    with pytest.raises(ValidationError) as error:
        set_project_planning(a, start=None, start_na=c, expected_versie=1)
    assert "3a → 3c → 3b → 3a" in messages_of(error.value)


def test_a_project_cannot_start_after_itself(prog):
    a = project(prog, "3a", 1)
    with pytest.raises(ValidationError) as error:
        set_project_planning(a, start=None, start_na=a, expected_versie=0)
    assert "3a kan niet na zichzelf starten" in messages_of(error.value)


@pytest.mark.parametrize("months", ["0", "-1"])
def test_a_step_of_zero_or_negative_months_is_refused_naming_the_step(prog, months):
    p = project(prog, "3a", 2)
    Stap.objects.create(
        inspanning=p, volgorde=2, naam="Pilot", doorlooptijd_maanden=Decimal(months)
    )
    with pytest.raises(ValidationError) as error:
        set_project_planning(p, start=D(2024, 1, 1), start_na=None, expected_versie=0)
    text = messages_of(error.value)
    assert "Stap “2. Pilot” van 3a" in text and "minstens een halve maand" in text
    assert not Projectplanning.objects.exists()


def test_a_step_of_zero_months_is_refused_in_the_computation(prog):
    p = project(prog, "3a", 2)
    Stap.objects.create(inspanning=p, volgorde=2, naam="Pilot", doorlooptijd_maanden=0)
    with pytest.raises(ValidationError) as error:
        step_dates(p, D(2024, 1, 1), list(p.stappen.all()))
    assert "2. Pilot" in messages_of(error.value)
    plan(p, start=D(2024, 1, 1))
    schedule = schedule_of(prog)["3a"]
    assert schedule.steps == [] and "2. Pilot" in schedule.problem


def test_a_start_before_the_end_of_the_project_it_follows_is_refused(prog):
    a = project(prog, "3a", 6)
    b = project(prog, "3b", 1)
    plan(a, start=D(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        set_project_planning(b, start=D(2024, 3, 1), start_na=a, expected_versie=0)
    text = messages_of(error.value)
    assert "3b kan niet in maart 2024 beginnen" in text and "30 juni 2024" in text


def test_a_project_of_another_programme_is_refused(prog):
    a = project(prog, "3a", 1)
    elders = builders.programma(slug="ander")
    other = project(elders, "9z", 1)
    with pytest.raises(ValidationError) as error:
        set_project_planning(a, start=None, start_na=other, expected_versie=0)
    assert "9z hoort bij een ander programma" in messages_of(error.value)


def test_an_outdated_version_is_refused(prog):
    a = project(prog, "3a", 1)
    plan(a, start=D(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        set_project_planning(a, start=D(2024, 5, 1), start_na=None, expected_versie=0)
    assert "intussen door iemand anders gewijzigd" in messages_of(error.value)


def test_setting_the_planning_keeps_its_history(prog):
    a = project(prog, "3a", 1)
    saved = set_project_planning(a, start=D(2024, 1, 1), start_na=None, expected_versie=0)
    saved = set_project_planning(a, start=D(2024, 2, 1), start_na=None, expected_versie=1)
    assert saved.versie == 2
    assert saved.history.count() == 2
    assert saved.history.first().history_change_reason == "Planning van 3a aangepast"


# -- the network planning of a faseplan ---------------------------------------------------------


def content(**overrides):
    def item(item_id, code, titel, fase, loopt_door=False, inspanningen=()):
        return {
            "item_id": item_id,
            "code": code,
            "titel": titel,
            "start_fase": fase,
            "loopt_door": loopt_door,
            "inspanningen": list(inspanningen),
        }

    return {
        "nummer": 1,
        "titel": "Faseplan 1",
        "status": "concept",
        "periode": {"start": "2023-08", "eind": "2024-07"},
        "fases": [
            {"naam": "Fase A", "start": "2023-08", "eind": "2023-12"},
            {"naam": "Fase B", "start": "2024-01", "eind": "2024-07"},
        ],
        "teksten": {},
        "doelen": [
            item(1, "1.1", "Vroeg in beeld", "Fase A", loopt_door=True),
            item(
                2,
                "1.2",
                "Schulden <voorkomen>",
                None,
                inspanningen=[
                    item(3, "A1", "Inzetten op vroegsignalering", "Fase A"),
                    item(4, "A2", "Budgetcoaching", "Fase B"),
                    item(5, "A3", "Buurtteam", None),
                ],
            ),
        ],
        "risicos": [],
        **overrides,
    }


def test_network_planning_bars_run_from_the_start_fase_to_its_end_or_the_periods_end():
    planning = network_planning(content())
    rows = {(r.label, r.period) for r in planning["chart"].table}
    assert rows == {
        ("1.1 Vroeg in beeld", "augustus 2023 t/m juli 2024"),  # loopt door
        ("A1 Inzetten op vroegsignalering", "augustus 2023 t/m december 2023"),
        ("A2 Budgetcoaching", "januari 2024 t/m juli 2024"),
    }
    assert planning["niet_ingepland"] == [
        {"doel": "1.2 Schulden <voorkomen>", "label": "A3 Buurtteam"}
    ]


def test_network_planning_renders_svg_with_title_desc_and_a_table_of_every_bar():
    html = render_to_string("fasering/netwerkplanning.html", {"content": content()})
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "foreignObject" not in html and "<script" not in html
    assert "Schulden &lt;voorkomen&gt;" in html and "<voorkomen>" not in html
    table = html.split("<table", 1)[1]
    for label in ("1.1 Vroeg in beeld", "A1 Inzetten op vroegsignalering", "A2 Budgetcoaching"):
        assert label in table
    assert "A3 Buurtteam — nog niet ingepland" in html
    assert ">Fase A</text>" in html and ">Fase B</text>" in html


def test_network_planning_without_planned_items_says_so():
    html = render_to_string("fasering/netwerkplanning.html", {"content": content(doelen=[])})
    assert "Nog geen doelen of inspanningen in een fase ingepland." in html


# -- the planning page --------------------------------------------------------------------------


@pytest.fixture
def planned(prog):
    goal = builders.goal_chain(prog)
    a = project(prog, "3a", 3, 1.5, doel=goal)
    b = project(prog, "3b", 2, doel=goal)
    project(prog, "3c", 4)
    plan(a, start=D(2024, 1, 1))
    plan(b, after=a)
    return {"a": a, "b": b, "goal": goal}


def planning_url(prog):
    return reverse("fasering:planning", args=[prog.slug])


def post_url(prog, obj):
    return reverse("fasering:planning_project", args=[prog.slug, obj.pk])


def form_data(obj, start="", after="", versie=0):
    prefix = f"p{obj.pk}"
    return {f"{prefix}-start": start, f"{prefix}-start_na": after, f"{prefix}-versie": versie}


def test_the_planning_page_shows_a_bar_per_step_and_lists_unplanned_projects(
    client, cast, prog, planned
):
    client.force_login(cast["lezer"])
    response = client.get(planning_url(prog))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="gantt-balk"') == 3
    assert "Nog niet gepland" in html and "3c Project 3c" in html
    assert 'aria-labelledby="planning-' in html and "foreignObject" not in html
    assert "Planning opslaan" not in html  # a reader gets no forms


def test_the_planning_page_filters_by_ambitie_without_javascript(client, cast, prog, planned):
    other = builders.goal_chain(prog, titel="Ander doel")
    other.strategisch_doel.ambitie.titel = "Gezonde jeugd"
    other.strategisch_doel.ambitie.save()
    project(prog, "4a", 2, doel=other)
    client.force_login(cast["lezer"])
    url = planning_url(prog)
    everything = client.get(url).content.decode()
    only = client.get(
        url, {"ambitie": planned["goal"].strategisch_doel.ambitie.pk}
    ).content.decode()
    assert "4a Project 4a" in everything
    assert "4a Project 4a" not in only and "3a Project 3a" in only


def test_the_page_renders_one_projects_form_only_when_asked(client, cast, prog, planned):
    client.force_login(cast["team"])
    url = planning_url(prog)

    listed = client.get(url).content.decode()
    assert "Planning wijzigen" in listed
    assert 'name="p' not in listed  # no form fields until a project is chosen
    one = client.get(url, {"wijzig": planned["a"].pk}).content.decode()
    assert one.count("Planning opslaan") == 1
    assert f'name="p{planned["a"].pk}-start"' in one

    client.force_login(cast["lezer"])
    assert "Planning wijzigen" not in client.get(url, {"wijzig": planned["a"].pk}).content.decode()


def test_an_editor_sets_a_start_month_and_the_dependants_move(client, cast, prog, planned):
    client.force_login(cast["team"])
    response = client.post(
        post_url(prog, planned["a"]), form_data(planned["a"], start="2025-02", versie=1)
    )
    assert response.status_code == 302
    schedule = schedule_of(prog)
    assert schedule["3a"].start == D(2025, 2, 1)
    assert schedule["3b"].start == D(2025, 6, 16)
    page = client.get(response["Location"]).content.decode()
    assert "De planning van 3a is opgeslagen." in page


def test_a_cycle_posted_in_the_form_is_shown_naming_the_projects(client, cast, prog, planned):
    client.force_login(cast["leider"])
    response = client.post(
        post_url(prog, planned["a"]),
        form_data(planned["a"], after=planned["b"].pk, versie=1),
    )
    assert response.status_code == 400
    assert "3a → 3b → 3a" in response.content.decode()
    assert Projectplanning.objects.get(inspanning=planned["a"]).start_na is None


@pytest.mark.parametrize("role", ["lezer", "coalitielid", "stuurgroep"])
def test_who_may_not_plan_gets_403_on_a_crafted_post(client, cast, prog, planned, role):
    client.force_login(cast[role])
    response = client.post(
        post_url(prog, planned["a"]), form_data(planned["a"], start="2030-01", versie=1)
    )
    assert response.status_code == 403
    assert Projectplanning.objects.get(inspanning=planned["a"]).start == D(2024, 1, 1)


def test_an_archived_programme_refuses_planning(client, cast, prog, planned):
    Programma.objects.filter(pk=prog.pk).update(gearchiveerd_op=datetime.datetime.now(datetime.UTC))
    client.force_login(cast["leider"])
    response = client.post(
        post_url(prog, planned["a"]), form_data(planned["a"], start="2030-01", versie=1)
    )
    assert response.status_code == 403


def test_a_project_of_another_programme_is_404(client, cast, prog, planned):
    elders = Programma.objects.get(slug="elders")
    foreign = project(elders, "9z", 1)
    client.force_login(cast["leider"])
    response = client.post(post_url(prog, foreign), form_data(foreign, start="2025-01"))
    assert response.status_code == 404
    assert not Projectplanning.objects.filter(inspanning=foreign).exists()


def test_outsiders_get_404_on_the_planning_page(client, cast, prog, planned):
    client.force_login(cast["buitenstaander"])
    assert client.get(planning_url(prog)).status_code == 404


def test_the_planning_page_makes_as_many_queries_however_many_projects(client, cast, prog, planned):
    client.force_login(cast["leider"])
    before = page_queries(client, planning_url(prog))
    goal = builders.goal_chain(prog, titel="Nog een doel")
    previous = planned["b"]
    for n in range(6):
        extra = project(prog, f"5{n}", 1, 2, doel=goal)
        plan(extra, after=previous)
        previous = extra
    assert page_queries(client, planning_url(prog)) == before


# -- KvNH -----------------------------------------------------------------------------------------


def test_the_kvnh_planning_page_renders_fast(client, demo):
    kvnh = Programma.objects.get(slug="kvnh")
    projects = list(
        Inspanning.objects.filter(programma=kvnh, stappen__isnull=False).distinct().order_by("code")
    )
    assert projects, "KvNH has projects with a stappenplan"
    Projectplanning.objects.filter(inspanning__in=projects).delete()
    plan(projects[0], start=D(2024, 9, 1))
    for before, after in itertools.pairwise(projects):
        plan(after, after=before)
    client.force_login(builders.user("kvnh-meter", is_superuser=True))
    url = planning_url(kvnh)
    client.get(url)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    assert min(timings) < 0.150, timings
    assert response.content.decode().count('class="gantt-balk"') == sum(
        p.stappen.count() for p in projects
    )
