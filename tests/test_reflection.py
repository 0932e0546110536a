"""The yearly eiland van reflectie: the years, sessions with questions and contributions (with
scores beside last year's), decisions per operational goal, trends — and who may change them."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from fasering import reflection, services
from fasering.models import (
    Inbreng,
    Reflectie,
    Reflectiebesluit,
    Reflectiesessie,
    Reflectievraag,
    Trend,
)
from programmes.models import Groep
from tests import builders
from tests.queries import page_queries

HTMX = {"HX-Request": "true"}
AUG_2023, JUL_2024 = datetime.date(2023, 8, 1), datetime.date(2024, 7, 1)


def url(name: str, prog, *args) -> str:
    return reverse(f"fasering:{name}", args=[prog.slug, *args])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def year(prog, cast):
    """AVK-like: two strategic goals, faseplan 1 holding goal 1.1, the 2024 reflection on it
    with the managers' session, a question and a scored contribution; and 2023's scores."""
    goal = builders.goal_chain(prog, titel="Huishoudens zijn vroegtijdig in beeld", code="1.1")
    other = builders.operationeel_doel(goal.strategisch_doel, titel="We leren", code="1.2")
    sd2 = builders.strategisch_doel(goal.strategisch_doel.ambitie, titel="Werkveld", code="2")
    third = builders.operationeel_doel(sd2, titel="Maatwerk", code="2.1")
    plan = services.create_faseplan(
        prog, nummer=1, titel="Faseplan 1", start=AUG_2023, eind=JUL_2024
    )
    services.set_goals(plan, [goal.pk])
    leider = cast["leider"]
    vorig = reflection.create_reflectie(prog, leider, jaar=2023)
    oud = reflection.save_sessie(vorig, leider, deelnemers="Managers")[0]
    oude_vraag = reflection.save_vraag(oud, leider, tekst="Geloof je erin?")[0]
    reflection.save_inbreng(
        oude_vraag, leider, tekst="Ze wisten het", score_onderwerp="Ik weet dit", score="7,2"
    )
    reflectie = reflection.create_reflectie(prog, leider, jaar=2024, faseplan=plan)
    groep = Groep.objects.create(programma=prog, naam="Stuurgroep", soort="stuurgroep")
    sessie = reflection.save_sessie(
        reflectie,
        leider,
        deelnemers="Managers/leidinggevenden",
        datum=datetime.date(2024, 6, 13),
        begeleider="Lauren Algra",
        kanten=["wij", "ik"],
    )[0]
    vraag = reflection.save_vraag(
        sessie, leider, tekst="Ik: Geloof je in dit programma?", kant="ik"
    )[0]
    inbreng = reflection.save_inbreng(
        vraag, leider, tekst="Er moet verbinding zijn.", score_onderwerp="ik weet dit", score="6,9"
    )[0]
    trend = reflection.save_trend(
        reflectie, leider, letter="A", titel="Kennishub", startmoment="direct na de zomer"
    )[0]
    return {
        "prog": prog,
        "goal": goal,
        "other": other,
        "third": third,
        "plan": plan,
        "reflectie": reflectie,
        "groep": groep,
        "sessie": sessie,
        "vraag": vraag,
        "inbreng": inbreng,
        "trend": trend,
    }


def page(year) -> str:
    return url("reflection", year["prog"], 2024)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


# -- the years ------------------------------------------------------------------------------


def test_the_list_shows_each_year_with_its_sessions_and_decisions(year, cast):
    reflection.decide_goal(
        year["reflectie"], None, year["goal"], besluit="volgend", reden="Loopt", expected_versie=0
    )
    html = logged_in(cast["lezer"]).get(url("reflection_list", year["prog"])).content.decode()

    assert html.index("Eiland van reflectie 2024") < html.index("Eiland van reflectie 2023")
    row = html[html.index("Eiland van reflectie 2024") :]
    assert 'data-label="Sessies">1<' in row and 'data-label="Besluiten">1<' in row
    # A reader may not start a year.
    assert "Nieuw eiland van reflectie" not in html


def test_leader_starts_a_year_looking_back_on_a_faseplan(year, cast):
    client = logged_in(cast["team"])

    response = client.post(
        url("reflection_list", year["prog"]),
        {"jaar": "2025", "faseplan": year["plan"].pk, "inleiding": "Elk jaar nodigen we uit."},
    )

    assert response.status_code == 302
    assert response["Location"] == url("reflection", year["prog"], 2025)
    created = Reflectie.objects.get(programma=year["prog"], jaar=2025)
    assert (created.faseplan, created.inleiding) == (year["plan"], "Elk jaar nodigen we uit.")
    assert created.history.get().history_user == cast["team"]


def test_a_second_reflection_on_the_same_year_is_refused_on_the_year(year, cast):
    response = logged_in(cast["leider"]).post(
        url("reflection_list", year["prog"]), {"jaar": "2024", "faseplan": ""}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_jaar">Jaar</a>: Er is al een eiland van reflectie over 2024.' in html
    assert Reflectie.objects.filter(programma=year["prog"]).count() == 2


def test_a_faseplan_of_another_programme_is_refused(year, cast):
    elders = builders.programma()
    plan = services.create_faseplan(elders, nummer=1, titel="X", start=AUG_2023, eind=JUL_2024)
    errors = builders.validation_errors(
        lambda: reflection.create_reflectie(year["prog"], None, jaar=2030, faseplan=plan)
    )
    assert errors == {"faseplan": ["Kies een faseplan van dit programma."]}
    response = logged_in(cast["leider"]).post(
        url("reflection_list", year["prog"]), {"jaar": "2030", "faseplan": plan.pk}
    )
    assert "Kies een faseplan van dit programma." in response.content.decode()
    assert not Reflectie.objects.filter(jaar=2030).exists()


# -- the year's page ------------------------------------------------------------------------


def test_the_page_shows_sessions_with_dutch_dates_sides_in_words_and_scores(year, cast):
    html = logged_in(cast["coalitielid"]).get(page(year)).content.decode()

    assert "Managers/leidinggevenden" in html
    assert "13 juni 2024" in html and "Lauren Algra" in html
    # The sides in the model's order, as words.
    assert "<dd>IK, WIJ</dd>" in html
    assert "Ik: Geloof je in dit programma?" in html
    # The score the Dutch way, beside last year's for the same subject (other case).
    assert "Cijfer voor “ik weet dit”: <strong>6,9</strong>" in html
    assert "(vorig jaar: 7,2)" in html
    assert "Kennishub" in html and "direct na de zomer" in html
    # Readers see no edit links.
    assert "Sessie toevoegen" not in html and "Besluit vastleggen" not in html


def test_no_previous_score_shows_nothing_and_other_programmes_do_not_count(year, cast):
    elders = builders.programma()
    vorig = reflection.create_reflectie(elders, None, jaar=2023)
    sessie = reflection.save_sessie(vorig, None, deelnemers="Stuurgroep")[0]
    vraag = reflection.save_vraag(sessie, None, tekst="?")[0]
    reflection.save_inbreng(vraag, None, tekst="x", score_onderwerp="Ambassadeur", score="5")
    # Two years back does not count either.
    oud = reflection.create_reflectie(year["prog"], None, jaar=2022)
    oude = reflection.save_vraag(
        reflection.save_sessie(oud, None, deelnemers="S")[0], None, tekst="?"
    )
    reflection.save_inbreng(oude[0], None, tekst="x", score_onderwerp="ambassadeur", score="4")
    reflection.save_inbreng(
        year["vraag"], None, tekst="Trots", score_onderwerp="ik voel me ambassadeur", score="9.5"
    )

    html = logged_in(cast["lezer"]).get(page(year)).content.decode()

    assert "<strong>9,5</strong>" in html
    assert html.count("vorig jaar") == 1  # only "ik weet dit" had a score in 2023


def test_the_previous_score_is_compared_without_regard_to_case_or_spacing(year):
    pagina = reflection.page_of(year["reflectie"])
    inbreng = pagina.inbreng(year["inbreng"].pk)
    assert (inbreng.score_tekst, inbreng.vorig_tekst) == ("6,9", "7,2")
    assert reflection.score_key("  Ik   WEET dit ") == reflection.score_key("ik weet dit")


def test_decisions_list_every_goal_by_strategic_goal_with_whether_it_was_in_the_plan(year, cast):
    reflection.decide_goal(
        year["reflectie"],
        None,
        year["other"],
        besluit="later",
        faseplan_nummer=3,
        reden="Via Kansen voor Kinderen",
        expected_versie=0,
    )
    html = logged_in(cast["leider"]).get(page(year)).content.decode()
    section = html[html.index('id="besluiten"') : html.index('id="trends"')]

    assert section.index("Kansrijk perspectief") < section.index("1.1") < section.index("1.2")
    assert section.index("1.2") < section.index("Werkveld") < section.index("2.1")
    goal = section[section.index(f'id="doel-{year["goal"].pk}"') :]
    assert "<dt>In faseplan 1</dt><dd>ja</dd>" in goal[: goal.index("</dl>")]
    other = section[section.index(f'id="doel-{year["other"].pk}"') :]
    assert "<dd>nee</dd>" in other[: other.index("</dl>")]
    assert "In een later faseplan: faseplan 3" in other and "Via Kansen voor Kinderen" in other
    assert "Nog niet besloten" in section
    assert "Besloten over 1 van 3 doelen — in een later faseplan: 1." in section


def test_the_leader_gets_the_link_to_draft_the_next_faseplan(year, cast):
    try:
        draft = url("draft_next", year["prog"], 2024)
    except NoReverseMatch:  # written by another part; the page links to it once it exists
        pytest.skip("fasering:draft_next bestaat nog niet")
    assert draft in logged_in(cast["leider"]).get(page(year)).content.decode()
    assert draft not in logged_in(cast["stuurgroep"]).get(page(year)).content.decode()


def _grow(year, n: int) -> None:
    """n more sessions, each with two questions with three contributions, goals, trends."""
    leider = None
    for i in range(n):
        sessie = reflection.save_sessie(
            year["reflectie"], leider, deelnemers=f"Groep {i}", groep=year["groep"]
        )[0]
        for j in range(2):
            vraag = reflection.save_vraag(sessie, leider, tekst=f"Vraag {i}.{j}")[0]
            for k in range(3):
                reflection.save_inbreng(
                    vraag, leider, tekst=f"Inbreng {k}", score_onderwerp=f"s{k}", score=str(k)
                )
        goal = builders.operationeel_doel(year["goal"].strategisch_doel, code=f"9.{i}")
        reflection.decide_goal(
            year["reflectie"], leider, goal, besluit="stoppen", reden="Af", expected_versie=0
        )
        reflection.save_trend(year["reflectie"], leider, titel=f"Trend {i}")


@pytest.mark.parametrize("role", ["leider", "lezer"])
def test_the_page_makes_the_same_number_of_queries_whatever_its_size(year, cast, role):
    client = logged_in(cast[role])
    few = page_queries(client, page(year))
    _grow(year, 4)

    assert page_queries(client, page(year)) == few


def test_the_list_makes_the_same_number_of_queries_whatever_the_years(year, cast):
    client = logged_in(cast["leider"])
    few = page_queries(client, url("reflection_list", year["prog"]))
    for jaar in (2019, 2020, 2021):
        reflection.create_reflectie(year["prog"], None, jaar=jaar, faseplan=year["plan"])

    assert page_queries(client, url("reflection_list", year["prog"])) == few


# -- who may ------------------------------------------------------------------------------


def _writes(year) -> list[tuple[str, dict]]:
    """Every write on the page, as a browser would post it (valid data)."""
    prog, s, v, i, t = year["prog"], year["sessie"], year["vraag"], year["inbreng"], year["trend"]
    g = year["goal"]
    return [
        (url("reflection_list", prog), {"jaar": "2031"}),
        (url("reflection_intro", prog, 2024), {"inleiding-versie": 1, "inleiding-inleiding": "x"}),
        (url("reflection_session_add", prog, 2024), {"sessie-nieuw-deelnemers": "Stuurgroep"}),
        (url("reflection_session", prog, 2024, s.pk), {f"sessie-{s.pk}-deelnemers": "x"}),
        (url("reflection_session_delete", prog, 2024, s.pk), {f"sessie-{s.pk}-gegevens-versie": 1}),
        (url("reflection_question_add", prog, 2024, s.pk), {f"vraag-nieuw-{s.pk}-tekst": "?"}),
        (url("reflection_question", prog, 2024, v.pk), {f"vraag-{v.pk}-tekst": "?"}),
        (url("reflection_question_delete", prog, 2024, v.pk), {f"vraag-{v.pk}-gegevens-versie": 1}),
        (
            url("reflection_contribution_add", prog, 2024, v.pk),
            {f"inbreng-nieuw-{v.pk}-tekst": "x"},
        ),
        (url("reflection_contribution", prog, 2024, i.pk), {f"inbreng-{i.pk}-tekst": "x"}),
        (url("reflection_contribution_delete", prog, 2024, i.pk), {f"inbreng-{i.pk}-versie": 1}),
        (
            url("reflection_decision", prog, 2024, g.pk),
            {
                f"doel-{g.pk}-versie": 0,
                f"doel-{g.pk}-besluit": "stoppen",
                f"doel-{g.pk}-reden": "x",
            },
        ),
        (url("reflection_decision_clear", prog, 2024, g.pk), {f"doel-{g.pk}-versie": 0}),
        (url("reflection_trend_add", prog, 2024), {"trend-nieuw-titel": "x"}),
        (url("reflection_trend", prog, 2024, t.pk), {f"trend-{t.pk}-titel": "x"}),
        (url("reflection_trend_delete", prog, 2024, t.pk), {f"trend-{t.pk}-versie": 1}),
    ]


def _state(year) -> tuple:
    r = year["reflectie"]
    return (
        Reflectie.objects.filter(programma=year["prog"]).count(),
        fresh(r).versie,
        list(Reflectiesessie.objects.filter(reflectie=r).values_list("deelnemers", "versie")),
        list(Reflectievraag.objects.filter(sessie__reflectie=r).values_list("tekst", "versie")),
        list(Inbreng.objects.filter(vraag__sessie__reflectie=r).values_list("tekst", "versie")),
        list(Reflectiebesluit.objects.filter(reflectie=r).values_list("besluit", "versie")),
        list(Trend.objects.filter(reflectie=r).values_list("titel", "versie")),
    )


@pytest.mark.parametrize("role", ["stuurgroep", "coalitielid", "lezer"])
def test_who_may_not_plan_gets_403_on_every_write_also_crafted(year, cast, role):
    client = logged_in(cast[role])
    before = _state(year)
    for target, data in _writes(year):
        assert client.post(target, data).status_code == 403, target
        assert client.post(target, data, headers=HTMX).status_code == 403, target
    for target, _data in _writes(year)[1:]:
        assert client.get(target).status_code == 403, target
    assert _state(year) == before
    assert client.get(page(year)).status_code == 200


def test_an_outsider_gets_404_everywhere(year, cast):
    client = logged_in(cast["buitenstaander"])
    assert client.get(url("reflection_list", year["prog"])).status_code == 404
    assert client.get(page(year)).status_code == 404
    for target, data in _writes(year):
        assert client.post(target, data).status_code == 404, target


def test_an_archived_programme_is_read_only_for_the_leader_too(year, cast):
    prog = year["prog"]
    prog.gearchiveerd_op = timezone.now()
    prog.save()
    client = logged_in(cast["leider"])
    before = _state(year)
    for target, data in _writes(year):
        response = client.post(target, data)
        assert response.status_code == 403, target
    assert _state(year) == before
    html = client.get(page(year)).content.decode()
    assert "Kennishub" in html and "Sessie toevoegen" not in html


def test_objects_of_another_programmes_reflection_are_404(year, cast):
    elders = builders.programma()
    other = reflection.create_reflectie(elders, None, jaar=2024)
    sessie = reflection.save_sessie(other, None, deelnemers="Elders")[0]
    vraag = reflection.save_vraag(sessie, None, tekst="Elders?")[0]
    inbreng = reflection.save_inbreng(vraag, None, tekst="Elders")[0]
    trend = reflection.save_trend(other, None, titel="Elders")[0]
    goal = builders.goal_chain(elders, code="9.9")
    prog = year["prog"]
    client = logged_in(cast["leider"])
    for name, pk in [
        ("reflection_session", sessie.pk),
        ("reflection_session_delete", sessie.pk),
        ("reflection_question_add", sessie.pk),
        ("reflection_question", vraag.pk),
        ("reflection_question_delete", vraag.pk),
        ("reflection_contribution_add", vraag.pk),
        ("reflection_contribution", inbreng.pk),
        ("reflection_contribution_delete", inbreng.pk),
        ("reflection_trend", trend.pk),
        ("reflection_trend_delete", trend.pk),
        ("reflection_decision", goal.pk),
        ("reflection_decision_clear", goal.pk),
    ]:
        assert client.get(url(name, prog, 2024, pk)).status_code == 404, name
        assert client.post(url(name, prog, 2024, pk), {}).status_code == 404, name
    # Nor does another year of the same programme reach this year's session.
    assert client.get(url("reflection_session", prog, 2023, year["sessie"].pk)).status_code == 404
    assert client.get(url("reflection", prog, 1999)).status_code == 404
    assert (fresh(sessie).deelnemers, fresh(trend).titel) == ("Elders", "Elders")
    errors = builders.validation_errors(
        lambda: reflection.decide_goal(
            year["reflectie"], None, goal, besluit="stoppen", reden="x", expected_versie=0
        )
    )
    assert errors == {"operationeel_doel": ["Dit doel hoort bij een ander programma."]}


# -- sessions, questions, contributions -----------------------------------------------------


def test_leader_adds_a_session_linked_to_a_group_with_the_sides_discussed(year, cast):
    client = logged_in(cast["leider"])
    response = client.post(
        url("reflection_session_add", year["prog"], 2024),
        {
            "sessie-nieuw-deelnemers": "",
            "sessie-nieuw-groep": year["groep"].pk,
            "sessie-nieuw-datum": "2024-06-05",
            "sessie-nieuw-begeleider": "Lauren Algra",
            "sessie-nieuw-kanten": ["zij"],
        },
        headers=HTMX,
    )

    sessie = Reflectiesessie.objects.get(groep=year["groep"])
    # Left empty, "met wie" takes the group's name.
    assert (sessie.deelnemers, sessie.datum, sessie.kanten) == (
        "Stuurgroep",
        datetime.date(2024, 6, 5),
        ["zij"],
    )
    html = response.content.decode()
    assert response["HX-Retarget"] == "#sessies"
    assert "5 juni 2024" in html and "<dd>ZIJ</dd>" in html
    changed = json.loads(response["HX-Trigger-After-Settle"])["koers:changed"]
    assert changed["focus"] == f"#kop-sessie-{sessie.pk}"
    assert sessie.history.get().history_user == cast["leider"]


def test_a_group_of_another_programme_and_an_unknown_side_are_refused(year, cast):
    elders = Groep.objects.create(programma=builders.programma(), naam="X", soort="stuurgroep")
    response = logged_in(cast["leider"]).post(
        url("reflection_session_add", year["prog"], 2024),
        {"sessie-nieuw-groep": elders.pk, "sessie-nieuw-kanten": ["hun"]},
    )
    html = response.content.decode()
    assert "Kies een groep van dit programma." in html
    assert "Kies alleen ZIJ, HET, IK of WIJ." in html
    assert Reflectiesessie.objects.filter(reflectie=year["reflectie"]).count() == 1
    errors = builders.validation_errors(
        lambda: reflection.save_sessie(year["reflectie"], None, deelnemers="", kanten=["hun"])
    )
    assert set(errors) == {"kanten", "deelnemers"}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("6,9", "6.9"),
        ("6.9", "6.9"),
        (" 9,5 ", "9.5"),
        ("10", "10.0"),
        ("0", "0.0"),
        ("7,0", "7.0"),
    ],
)
def test_a_score_is_typed_with_a_comma_or_a_point(typed, stored):
    assert reflection.parse_score(typed) == Decimal(stored)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("10,1", "tussen 0 en 10"),
        ("11", "tussen 0 en 10"),
        ("-1", "tussen 0 en 10"),
        ("6,95", "hoogstens één cijfer achter de komma"),
        ("zes", "Vul een cijfer in, bijvoorbeeld 6,9."),
        ("6,9,1", "Vul een cijfer in, bijvoorbeeld 6,9."),
    ],
)
def test_a_score_outside_0_to_10_or_not_a_number_is_refused(typed, message):
    with pytest.raises(ValidationError, match=message):
        reflection.parse_score(typed)


def test_adding_a_contribution_with_a_score_in_place(year, cast):
    vraag = year["vraag"]
    prefix = f"inbreng-nieuw-{vraag.pk}"
    response = logged_in(cast["team"]).post(
        url("reflection_contribution_add", year["prog"], 2024, vraag.pk),
        {
            f"{prefix}-tekst": "Ik voel me ambassadeur",
            f"{prefix}-score_onderwerp": "Ik voel me ambassadeur",
            f"{prefix}-score": "9,5",
        },
        headers=HTMX,
    )

    inbreng = Inbreng.objects.get(tekst="Ik voel me ambassadeur")
    assert inbreng.score == Decimal("9.5")
    assert response["HX-Retarget"] == f"#vraag-{vraag.pk}"
    assert "<strong>9,5</strong>" in response.content.decode()
    changed = json.loads(response["HX-Trigger-After-Settle"])["koers:changed"]
    assert changed == {"focus": f"#inbreng-{inbreng.pk}", "message": "Inbreng toegevoegd."}


def test_a_score_out_of_range_is_refused_on_its_field_and_nothing_is_saved(year, cast):
    vraag = year["vraag"]
    prefix = f"inbreng-nieuw-{vraag.pk}"
    response = logged_in(cast["leider"]).post(
        url("reflection_contribution_add", year["prog"], 2024, vraag.pk),
        {f"{prefix}-tekst": "Te hoog", f"{prefix}-score_onderwerp": "x", f"{prefix}-score": "12"},
        headers=HTMX,
    )

    html = response.content.decode()
    assert f'href="#id_{prefix}-score">Cijfer</a>: Een cijfer ligt tussen 0 en 10' in html
    assert 'value="Te hoog"' not in html and "Te hoog" in html  # the text is kept
    assert not Inbreng.objects.filter(tekst="Te hoog").exists()
    focus = json.loads(response["HX-Trigger-After-Settle"])["koers:changed"]["focus"]
    assert focus == f"#fout-{prefix}"


def test_a_score_needs_what_it_is_for_and_the_other_way_round(year):
    vraag = year["vraag"]
    errors = builders.validation_errors(
        lambda: reflection.save_inbreng(vraag, None, tekst="x", score=Decimal("6.9"))
    )
    assert list(errors) == ["score_onderwerp"]
    errors = builders.validation_errors(
        lambda: reflection.save_inbreng(vraag, None, tekst="x", score_onderwerp="ik weet dit")
    )
    assert list(errors) == ["score"]
    errors = builders.validation_errors(
        lambda: reflection.save_inbreng(vraag, None, tekst="x", score_onderwerp="a", score=11)
    )
    assert errors == {"score": ["Een cijfer ligt tussen 0 en 10, bijvoorbeeld 6,9."]}


def test_the_edit_form_shows_the_score_with_a_comma(year, cast):
    inbreng = year["inbreng"]
    html = (
        logged_in(cast["leider"])
        .get(url("reflection_contribution", year["prog"], 2024, inbreng.pk), headers=HTMX)
        .content.decode()
    )
    assert f'name="inbreng-{inbreng.pk}-score" id="id_inbreng-{inbreng.pk}-score" value="6,9"' in (
        html
    )
    # In place it is a list item, in the list it replaces.
    assert html.lstrip().startswith(
        f'<li class="koers-fp-bewerken koers-rf-bewerken" id="inbreng-{inbreng.pk}"'
    )


def test_deleting_a_session_takes_its_questions_and_contributions_with_history(year, cast):
    sessie = year["sessie"]
    client = logged_in(cast["leider"])
    confirm = client.get(url("reflection_session_delete", year["prog"], 2024, sessie.pk))
    assert "1 vragen en 1 keer inbreng" in confirm.content.decode()

    response = client.post(
        url("reflection_session_delete", year["prog"], 2024, sessie.pk),
        {f"sessie-{sessie.pk}-gegevens-versie": sessie.versie},
    )

    assert response.status_code == 302 and response["Location"].endswith("#sessies")
    assert not Reflectievraag.objects.filter(pk=year["vraag"].pk).exists()
    gone = Inbreng.history.filter(id=year["inbreng"].pk).first()
    assert (gone.history_type, gone.history_change_reason) == ("-", "Sessie verwijderd")


# -- decisions ------------------------------------------------------------------------------


def _decide(year, client, goal=None, headers=None, **data):
    goal = goal or year["goal"]
    values = {"versie": 0, "besluit": "", "faseplan_nummer": "", "reden": "", **data}
    return client.post(
        url("reflection_decision", year["prog"], 2024, goal.pk),
        {f"doel-{goal.pk}-{k}": v for k, v in values.items()},
        headers=headers or {},
    )


def test_a_decision_needs_a_reason(year, cast):
    response = _decide(year, logged_in(cast["leider"]), besluit="volgend", reden="  ")

    assert "Reden</a>: Geef de reden van dit besluit." in response.content.decode()
    assert not Reflectiebesluit.objects.exists()


def test_later_needs_a_faseplan_above_the_next_one(year, cast):
    client = logged_in(cast["leider"])
    response = _decide(year, client, besluit="later", faseplan_nummer="2", reden="Eerst onderzoek")
    assert (
        "Een later faseplan komt na het volgende (faseplan 2): kies 3 of hoger."
        in response.content.decode()
    )
    response = _decide(year, client, besluit="later", reden="Eerst onderzoek")
    assert "Zeg in welk later faseplan dit doel start." in response.content.decode()
    assert not Reflectiebesluit.objects.exists()

    response = _decide(year, client, besluit="later", faseplan_nummer="3", reden="Eerst onderzoek")

    assert response.status_code == 302
    assert response["Location"].endswith(f"#doel-{year['goal'].pk}")
    besluit = Reflectiebesluit.objects.get()
    assert (besluit.besluit, besluit.faseplan_nummer, besluit.reden) == (
        "later",
        3,
        "Eerst onderzoek",
    )
    assert besluit.history.get().history_user == cast["leider"]


def test_without_a_plan_reflected_on_the_next_is_the_programmes_next(year):
    reflectie = reflection.create_reflectie(year["prog"], None, jaar=2025)
    assert reflection.next_plan_number(reflectie) == 2
    with pytest.raises(ValidationError, match="kies 3 of hoger"):
        reflection.decide_goal(
            reflectie,
            None,
            year["goal"],
            besluit="later",
            faseplan_nummer=2,
            reden="x",
            expected_versie=0,
        )


def test_changing_and_clearing_a_decision_in_place(year, cast):
    client = logged_in(cast["team"])
    goal = year["goal"]
    _decide(year, client, besluit="later", faseplan_nummer="3", reden="Later")
    besluit = Reflectiebesluit.objects.get()

    response = _decide(
        year,
        client,
        headers=HTMX,
        versie=besluit.versie,
        besluit="volgend",
        faseplan_nummer="4",
        reden="Toch nu",
    )

    besluit.refresh_from_db()
    # "volgend" keeps no number; still one decision per goal.
    assert (besluit.besluit, besluit.faseplan_nummer, besluit.versie) == ("volgend", None, 2)
    html = response.content.decode()
    assert response["HX-Retarget"] == f"#doel-{goal.pk}"
    assert "In het volgende faseplan (faseplan 2)" in html
    # The count above the goals comes along out of band.
    assert 'id="besluiten-teller" data-hx-swap-oob="true"' in html

    response = client.post(
        url("reflection_decision_clear", year["prog"], 2024, goal.pk),
        {f"doel-{goal.pk}-versie": besluit.versie},
        headers=HTMX,
    )

    assert not Reflectiebesluit.objects.exists()
    assert "Nog niet besloten" in response.content.decode()
    gone = Reflectiebesluit.history.filter(id=besluit.pk).first()
    assert (gone.history_type, gone.reden) == ("-", "Toch nu")


def test_choosing_not_decided_yet_in_the_form_removes_the_decision(year, cast):
    client = logged_in(cast["leider"])
    _decide(year, client, besluit="stoppen", reden="Afgerond")
    besluit = Reflectiebesluit.objects.get()
    response = _decide(year, client, versie=besluit.versie, besluit="", reden="")
    assert response.status_code == 302
    assert not Reflectiebesluit.objects.exists()


# -- trends ---------------------------------------------------------------------------------


def test_trend_form_suggests_start_moments_and_saves_in_place(year, cast):
    client = logged_in(cast["leider"])
    form = client.get(url("reflection_trend_add", year["prog"], 2024), headers=HTMX)
    html = form.content.decode()
    assert 'list="id_trend-nieuw-startmoment-keuzes"' in html
    assert '<option value="direct na de zomer"></option>' in html
    assert '<option value="verderop in het jaar"></option>' in html

    response = client.post(
        url("reflection_trend_add", year["prog"], 2024),
        {
            "trend-nieuw-letter": "f.",
            "trend-nieuw-titel": "Randvoorwaarden RUG",
            "trend-nieuw-startmoment": "verderop in het jaar",
        },
        headers=HTMX,
    )

    trend = Trend.objects.get(titel="Randvoorwaarden RUG")
    assert (trend.letter, trend.startmoment) == ("F", "verderop in het jaar")
    assert response["HX-Retarget"] == "#trends"
    assert "F. Randvoorwaarden RUG" in response.content.decode()


# -- stale edits ----------------------------------------------------------------------------


def test_a_stale_contribution_edit_is_refused_and_the_input_kept(year, cast):
    inbreng = year["inbreng"]
    seen = inbreng.versie
    reflection.save_inbreng(
        inbreng.vraag,
        cast["team"],
        inbreng,
        expected_versie=seen,
        tekst="Eerst door het team",
        score_onderwerp="ik weet dit",
        score="7",
    )
    prefix = f"inbreng-{inbreng.pk}"
    stale = {
        f"{prefix}-versie": seen,
        f"{prefix}-tekst": "Mijn eigen tekst",
        f"{prefix}-score_onderwerp": "ik weet dit",
        f"{prefix}-score": "6,8",
    }
    client = logged_in(cast["leider"])

    response = client.post(
        url("reflection_contribution", year["prog"], 2024, inbreng.pk), stale, headers=HTMX
    )

    html = response.content.decode()
    assert "Iemand anders heeft deze inbreng intussen gewijzigd" in html
    assert "Mijn eigen tekst" in html and 'value="6,8"' in html
    inbreng.refresh_from_db()
    assert (inbreng.tekst, inbreng.score) == ("Eerst door het team", Decimal("7.0"))
    # The form now carries the stored version: saving again is a deliberate choice.
    assert f'name="{prefix}-versie" value="{inbreng.versie}"' in html
    client.post(
        url("reflection_contribution", year["prog"], 2024, inbreng.pk),
        {**stale, f"{prefix}-versie": inbreng.versie},
    )
    inbreng.refresh_from_db()
    assert (inbreng.tekst, inbreng.score) == ("Mijn eigen tekst", Decimal("6.8"))


def test_a_stale_session_question_and_trend_edit_are_refused(year, cast):
    s, v, t = year["sessie"], year["vraag"], year["trend"]
    reflection.save_sessie(year["reflectie"], None, s, expected_versie=s.versie, deelnemers="A")
    reflection.save_vraag(s, None, v, expected_versie=v.versie, tekst="Nieuw?")
    reflection.save_trend(year["reflectie"], None, t, expected_versie=t.versie, titel="Nieuw")
    client = logged_in(cast["leider"])
    for name, prefix, field, mine in [
        ("reflection_session", f"sessie-{s.pk}", "deelnemers", "Mijn sessie"),
        ("reflection_question", f"vraag-{v.pk}", "tekst", "Mijn vraag"),
        ("reflection_trend", f"trend-{t.pk}", "titel", "Mijn trend"),
    ]:
        obj_pk = int(prefix.rsplit("-", 1)[1])
        posted = {f"{prefix}-versie": 1, f"{prefix}-{field}": mine}
        html = client.post(url(name, year["prog"], 2024, obj_pk), posted).content.decode()
        assert "intussen gewijzigd" in html and mine in html, name
    assert (fresh(s).deelnemers, fresh(v).tekst, fresh(t).titel) == ("A", "Nieuw?", "Nieuw")


def test_a_stale_decision_is_refused_also_when_someone_decided_first(year, cast):
    reflection.decide_goal(
        year["reflectie"], None, year["goal"], besluit="stoppen", reden="Eerst", expected_versie=0
    )
    # The form was opened when nothing was decided yet (version 0).
    response = _decide(year, logged_in(cast["leider"]), besluit="volgend", reden="Mijn reden")

    html = response.content.decode()
    assert "intussen gewijzigd" in html and "Mijn reden" in html
    assert Reflectiebesluit.objects.get().reden == "Eerst"


def test_a_stale_delete_is_refused_and_the_confirmation_shown_again(year, cast):
    inbreng = year["inbreng"]
    seen = inbreng.versie
    reflection.save_inbreng(
        inbreng.vraag,
        None,
        inbreng,
        expected_versie=seen,
        tekst="Aangevuld",
        score_onderwerp="ik weet dit",
        score="6,9",
    )
    response = logged_in(cast["leider"]).post(
        url("reflection_contribution_delete", year["prog"], 2024, inbreng.pk),
        {f"inbreng-{inbreng.pk}-versie": seen},
        headers=HTMX,
    )
    html = response.content.decode()
    assert "intussen gewijzigd" in html and "Aangevuld" in html
    assert Inbreng.objects.filter(pk=inbreng.pk).exists()


def test_an_unchanged_save_writes_nothing(year, cast):
    trend = year["trend"]
    prefix = f"trend-{trend.pk}"
    response = logged_in(cast["leider"]).post(
        url("reflection_trend", year["prog"], 2024, trend.pk),
        {
            f"{prefix}-versie": trend.versie,
            f"{prefix}-letter": "A",
            f"{prefix}-titel": "Kennishub",
            f"{prefix}-startmoment": "direct na de zomer",
        },
        headers=HTMX,
    )
    assert json.loads(response["HX-Trigger-After-Settle"])["koers:changed"]["message"] == (
        "Niets gewijzigd."
    )
    assert fresh(trend).versie == trend.versie
    assert trend.history.count() == 1


# -- every write also works without htmx ----------------------------------------------------


def _valid_writes(year) -> list[tuple[str, dict, str]]:
    """Each write with valid data and the piece of the page it returns to."""
    prog, s, v, i, t, g = (
        year["prog"],
        year["sessie"],
        year["vraag"],
        year["inbreng"],
        year["trend"],
        year["goal"],
    )
    return [
        (
            url("reflection_intro", prog, 2024),
            {"inleiding-versie": 1, "inleiding-inleiding": "Drie eilanden."},
            "#inleiding",
        ),
        (
            url("reflection_session_add", prog, 2024),
            {"sessie-nieuw-deelnemers": "Programmateam", "sessie-nieuw-datum": "10-6-2024"},
            "#sessie-",
        ),
        (
            url("reflection_session", prog, 2024, s.pk),
            {f"sessie-{s.pk}-versie": s.versie, f"sessie-{s.pk}-deelnemers": "Managers"},
            f"#sessie-{s.pk}",
        ),
        (
            url("reflection_question_add", prog, 2024, s.pk),
            {
                f"vraag-nieuw-{s.pk}-tekst": "Wij: hoe ervaar je de samenwerking?",
                f"vraag-nieuw-{s.pk}-kant": "wij",
            },
            "#vraag-",
        ),
        (
            url("reflection_question", prog, 2024, v.pk),
            {f"vraag-{v.pk}-versie": v.versie, f"vraag-{v.pk}-tekst": "Ik: geloof je erin?"},
            f"#vraag-{v.pk}",
        ),
        (
            url("reflection_contribution_add", prog, 2024, v.pk),
            {f"inbreng-nieuw-{v.pk}-tekst": "Meer massa krijgen"},
            "#inbreng-",
        ),
        (
            url("reflection_contribution", prog, 2024, i.pk),
            {
                f"inbreng-{i.pk}-versie": i.versie,
                f"inbreng-{i.pk}-tekst": "Verbinding",
                f"inbreng-{i.pk}-score_onderwerp": "ik weet dit",
                f"inbreng-{i.pk}-score": "6.9",
            },
            f"#inbreng-{i.pk}",
        ),
        (
            url("reflection_decision", prog, 2024, g.pk),
            {
                f"doel-{g.pk}-versie": 0,
                f"doel-{g.pk}-besluit": "volgend",
                f"doel-{g.pk}-reden": "Zat in faseplan 1 en komt ook in faseplan 2",
            },
            f"#doel-{g.pk}",
        ),
        (
            url("reflection_trend_add", prog, 2024),
            {"trend-nieuw-titel": "Verborgen armoede"},
            "#trend-",
        ),
        (
            url("reflection_trend", prog, 2024, t.pk),
            {f"trend-{t.pk}-versie": t.versie, f"trend-{t.pk}-titel": "Kennishub: agenderen"},
            f"#trend-{t.pk}",
        ),
        (
            url("reflection_contribution_delete", prog, 2024, i.pk),
            {f"inbreng-{i.pk}-versie": i.versie + 1},
            f"#vraag-{v.pk}",
        ),
        (
            url("reflection_decision_clear", prog, 2024, g.pk),
            {f"doel-{g.pk}-versie": 1},
            f"#doel-{g.pk}",
        ),
        (
            url("reflection_trend_delete", prog, 2024, t.pk),
            {f"trend-{t.pk}-versie": t.versie + 1},
            "#trends",
        ),
        (
            url("reflection_question_delete", prog, 2024, v.pk),
            {f"vraag-{v.pk}-gegevens-versie": v.versie + 1},
            f"#sessie-{s.pk}",
        ),
        (
            url("reflection_session_delete", prog, 2024, s.pk),
            {f"sessie-{s.pk}-gegevens-versie": s.versie + 1},
            "#sessies",
        ),
    ]


def test_every_write_works_as_a_plain_form_post(year, cast):
    client = logged_in(cast["leider"])
    for target, data, anchor in _valid_writes(year):
        response = client.post(target, data)
        assert response.status_code == 302, (target, response.content.decode()[-3000:])
        assert anchor in response["Location"], (target, response["Location"])
        assert response["Location"].startswith(page(year))
        # The page it lands on says what happened.
        landed = client.get(response["Location"]).content.decode()
        assert 'class="utrecht-alert utrecht-alert--ok"' in landed, target
    assert not Reflectiesessie.objects.filter(pk=year["sessie"].pk).exists()
    assert fresh(year["reflectie"]).inleiding == "Drie eilanden."
    assert Reflectiesessie.objects.get(deelnemers="Programmateam").datum == datetime.date(
        2024, 6, 10
    )


def test_every_write_works_in_place_with_htmx(year, cast):
    client = logged_in(cast["leider"])
    for target, data, _anchor in _valid_writes(year):
        response = client.post(target, data, headers=HTMX)
        assert response.status_code == 200, target
        # The answer is the piece it replaces on the page.
        piece = response["HX-Retarget"].removeprefix("#")
        assert f'id="{piece}"' in response.content.decode(), target
        assert "koers:changed" in response["HX-Trigger-After-Settle"], target
        assert "<html" not in response.content.decode(), target


def test_every_form_opens_in_place_and_as_a_page_of_its_own(year, cast):
    client = logged_in(cast["leider"])
    for target, _data, _anchor in _valid_writes(year):
        own = client.get(target).content.decode()
        # A page of its own holds no list: the form is never an <li> there.
        assert "<h1" in own and '<div class="koers-fp-bewerken' in own, target
        inplace = client.get(target, headers=HTMX)
        assert "<h1" not in inplace.content.decode(), target
        focus = json.loads(inplace["HX-Trigger-After-Settle"])["koers:changed"]["focus"]
        assert focus.startswith("#"), target


def test_cancel_brings_the_piece_back(year, cast):
    client = logged_in(cast["leider"])
    for deel in [
        "inleiding",
        "sessies",
        "sessie-nieuw",
        f"sessie-{year['sessie'].pk}",
        f"vraag-nieuw-{year['sessie'].pk}",
        f"vraag-{year['vraag'].pk}",
        f"inbreng-nieuw-{year['vraag'].pk}",
        f"inbreng-{year['inbreng'].pk}",
        f"doel-{year['goal'].pk}",
        "besluiten",
        "trends",
        "trend-nieuw",
        f"trend-{year['trend'].pk}",
    ]:
        response = client.get(url("reflection_part", year["prog"], 2024, deel), headers=HTMX)
        assert f'id="{deel}"' in response.content.decode(), deel
        plain = client.get(url("reflection_part", year["prog"], 2024, deel))
        assert plain.status_code == 302 and plain["Location"].endswith(f"#{deel}")
    for wrong in ["sessie-x", "vraag-9999", "niets", "doel-nieuw-1"]:
        response = client.get(url("reflection_part", year["prog"], 2024, wrong), headers=HTMX)
        assert response.status_code == 404, wrong
