"""Faseplannen: the list, a plan's page, and editing its fases, goals, items and texts."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from doelenboom.models import DoelPartner
from fasering import services
from fasering.content import build_content
from fasering.forms import FaseForm
from fasering.models import Fase, Faseplan, Risico
from tests import builders
from tests.queries import count_queries, page_queries

HTMX = {"HX-Request": "true"}
AUG_2023, DEC_2023 = datetime.date(2023, 8, 1), datetime.date(2023, 12, 1)
JAN_2024, JUL_2024 = datetime.date(2024, 1, 1), datetime.date(2024, 7, 1)


@pytest.fixture
def tree(prog, cast):
    goal = builders.goal_chain(prog, titel="Huishoudens zijn vroegtijdig in beeld", code="1.1")
    other = builders.operationeel_doel(goal.strategisch_doel, titel="Samenhang", code="1.2")
    hanze = builders.partner(prog, naam="Hanzehogeschool", slug="hanze")
    leger = builders.partner(prog, naam="Leger des Heils", slug="leger")
    DoelPartner.objects.create(operationeel_doel=goal, organisatie=leger, rol="betrokken")
    insp = builders.inspanning(
        prog,
        titel="Inzetten op vroegsignalering",
        code="A1",
        doelen=[goal],
        partners=[(hanze, "trekker")],
    )
    elsewhere = builders.inspanning(prog, titel="Ander werk", code="B1", doelen=[other])
    plan = services.create_faseplan(
        prog, nummer=1, titel="Faseplan 1", start=AUG_2023, eind=JUL_2024
    )
    return {
        "prog": prog,
        "goal": goal,
        "other": other,
        "insp": insp,
        "elsewhere": elsewhere,
        "hanze": hanze,
        "leger": leger,
        "plan": plan,
    }


def url(name: str, prog, *args) -> str:
    return reverse(f"fasering:{name}", args=[prog.slug, *args])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def planned(tree) -> dict:
    """The plan with two fases, the goal and its inspanning taken up."""
    plan = tree["plan"]
    services.add_fase(plan, services.FaseValues("Fase A", AUG_2023, DEC_2023))
    services.add_fase(plan, services.FaseValues("Fase B", JAN_2024, JUL_2024))
    services.set_goals(plan, [tree["goal"].pk])
    services.set_inspanningen(plan, tree["goal"], [tree["insp"].pk])
    plan.refresh_from_db()
    return tree


# -- list and create ------------------------------------------------------------------------


def test_list_shows_number_title_dutch_period_and_status_text(tree, cast):
    response = logged_in(cast["lezer"]).get(url("list", tree["prog"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Faseplan 1" in html
    assert "augustus 2023 \N{EN DASH} juli 2024" in html
    assert "Concept" in html
    assert "Nieuw faseplan" not in html  # a reader gets no form


def test_leader_creates_a_plan_with_the_next_number_prefilled(tree, cast):
    client = logged_in(cast["leider"])
    html = client.get(url("list", tree["prog"])).content.decode()
    assert 'name="nummer" id="id_nummer" value="2"' in html
    assert 'type="month"' in html
    response = client.post(
        url("list", tree["prog"]),
        {"nummer": "2", "titel": "Faseplan 2", "start": "2024-08", "eind": "2025-07"},
    )
    assert response.status_code == 302
    plan = Faseplan.objects.get(programma=tree["prog"], nummer=2)
    assert (plan.start, plan.eind) == (datetime.date(2024, 8, 1), datetime.date(2025, 7, 1))
    assert plan.history.first().history_change_reason == "Faseplan aangemaakt"


@pytest.mark.parametrize(
    ("typed", "month"),
    [
        ("2023-08", datetime.date(2023, 8, 1)),
        ("augustus 2023", datetime.date(2023, 8, 1)),
        ("Aug. 2023", datetime.date(2023, 8, 1)),
        ("mrt 2024", datetime.date(2024, 3, 1)),
        ("8-2023", datetime.date(2023, 8, 1)),
        ("12/2024", datetime.date(2024, 12, 1)),
    ],
)
def test_a_month_may_be_typed_where_the_browser_has_no_month_picker(typed, month):
    form = FaseForm({"naam": "Fase A", "start": typed, "eind": "december 2024"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == month


@pytest.mark.parametrize("typed", ["ma 2024", "13-2024", "augustus", "2023-8-1"])
def test_an_unclear_month_is_refused_with_an_example(typed):
    form = FaseForm({"naam": "Fase A", "start": typed, "eind": "december 2024"})
    assert form.errors["start"] == ["Vul een maand in, bijvoorbeeld 2023-08 of augustus 2023."]


def test_create_refuses_a_bad_month_and_a_taken_number_in_dutch(tree, cast):
    client = logged_in(cast["team"])
    response = client.post(
        url("list", tree["prog"]),
        {"nummer": "1", "titel": "Nog een", "start": "augustus", "eind": "2024-07"},
    )
    html = response.content.decode()
    assert "Vul een maand in, bijvoorbeeld 2023-08 of augustus 2023." in html
    response = client.post(
        url("list", tree["prog"]),
        {"nummer": "1", "titel": "Nog een", "start": "2024-08", "eind": "2024-01"},
    )
    assert "De eindmaand ligt vóór de beginmaand." in response.content.decode()
    response = client.post(
        url("list", tree["prog"]),
        {"nummer": "1", "titel": "Nog een", "start": "2024-08", "eind": "2025-01"},
    )
    assert "al een faseplan met nummer 1" in response.content.decode()
    assert Faseplan.objects.filter(programma=tree["prog"]).count() == 1


# -- permissions ----------------------------------------------------------------------------


def _writes(tree) -> list[tuple[str, dict]]:
    prog, plan = tree["prog"], tree["plan"]
    item = plan.items.get(inspanning__isnull=True)
    fase = plan.fases.first()
    return [
        (url("list", prog), {"nummer": "5", "titel": "X", "start": "2024-08", "eind": "2024-09"}),
        (url("texts", prog, 1), {"versie": plan.versie, "context": "x"}),
        (url("fases", prog, 1), {"nieuw-naam": "C", "nieuw-start": "2024-01"}),
        (url("fase", prog, 1, fase.pk), {f"fase-{fase.pk}-naam": "X"}),
        (url("fase_delete", prog, 1, fase.pk), {}),
        (url("goals", prog, 1), {"doelen": [tree["other"].pk]}),
        (url("inspanningen", prog, 1, tree["goal"].pk), {"inspanningen": []}),
        (url("item", prog, 1, item.pk), {f"item-{item.pk}-versie": item.versie}),
    ]


@pytest.mark.parametrize("role", ["lezer", "coalitielid", "stuurgroep"])
def test_who_may_not_plan_gets_403_on_every_write_also_crafted(tree, cast, role):
    planned(tree)
    client = logged_in(cast[role])
    before = build_content(tree["plan"])
    for target, data in _writes(tree):
        assert client.post(target, data).status_code == 403, target
        assert client.post(target, data, headers=HTMX).status_code == 403, target
    gets = [w for i, w in enumerate(_writes(tree)) if i in (1, 2, 5, 6, 7)]
    for target, _data in gets:
        assert client.get(target).status_code == 403, target
    assert build_content(Faseplan.objects.get(pk=tree["plan"].pk)) == before
    html = client.get(url("detail", tree["prog"], 1)).content.decode()
    assert "Fases bewerken" not in html and "Planning bewerken" not in html


def test_another_programme_gets_404(tree, cast):
    planned(tree)
    client = logged_in(cast["buitenstaander"])
    assert client.get(url("list", tree["prog"])).status_code == 404
    assert client.get(url("detail", tree["prog"], 1)).status_code == 404
    for target, data in _writes(tree):
        assert client.post(target, data).status_code == 404, target


def test_items_and_fases_of_another_plan_are_404(tree, cast):
    planned(tree)
    other_prog = builders.programma(slug="ander")
    other = services.create_faseplan(
        other_prog, nummer=1, titel="Elders", start=AUG_2023, eind=JUL_2024
    )
    fase = services.add_fase(other, services.FaseValues("Fase X", AUG_2023, DEC_2023))
    client = logged_in(cast["leider"])
    assert client.post(url("fase_delete", tree["prog"], 1, fase.pk)).status_code == 404
    assert client.get(url("detail", tree["prog"], 9)).status_code == 404
    assert Fase.objects.filter(pk=fase.pk).exists()


def test_frozen_plan_refuses_every_edit(tree, cast):
    planned(tree)
    plan = tree["plan"]
    Faseplan.objects.filter(pk=plan.pk).update(status=Faseplan.Status.VASTGESTELD)
    client = logged_in(cast["leider"])
    for target, data in _writes(tree)[1:]:
        response = client.post(target, data)
        assert response.status_code == 409, target
        assert "kan niet meer worden gewijzigd" in response.content.decode()
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="vastgesteld en kan niet meer"):
        services.update_faseplan_texts(plan, {"context": "x"}, expected_versie=plan.versie)
    html = client.get(url("detail", tree["prog"], 1)).content.decode()
    assert "Teksten bewerken" not in html


# -- fases ----------------------------------------------------------------------------------


def test_fases_may_not_overlap_and_the_message_names_them(tree):
    plan = tree["plan"]
    services.add_fase(plan, services.FaseValues("Fase A", AUG_2023, DEC_2023))
    with pytest.raises(ValidationError) as error:
        services.add_fase(plan, services.FaseValues("Fase B", datetime.date(2023, 12, 1), JUL_2024))
    assert "Fase A en Fase B overlappen" in error.value.messages[0]
    assert "december 2023" in error.value.messages[0]
    services.add_fase(plan, services.FaseValues("Fase B", JAN_2024, JUL_2024))
    assert list(plan.fases.values_list("naam", flat=True)) == ["Fase A", "Fase B"]


def test_a_fase_lies_inside_the_plan_period(tree):
    plan = tree["plan"]
    with pytest.raises(ValidationError) as error:
        services.add_fase(plan, services.FaseValues("Fase C", JAN_2024, datetime.date(2024, 8, 1)))
    message = error.value.messages[0]
    assert "Fase C (januari 2024 \N{EN DASH} augustus 2024) valt buiten de periode" in message
    with pytest.raises(ValidationError, match="vóór"):
        services.add_fase(plan, services.FaseValues("Fase D", AUG_2023, datetime.date(2023, 7, 1)))
    assert not plan.fases.exists()


def test_updating_a_fase_checks_against_the_others_only(tree):
    planned(tree)
    fase_a = tree["plan"].fases.get(naam="Fase A")
    services.update_fase(
        fase_a, services.FaseValues("Fase A", AUG_2023, datetime.date(2023, 11, 1))
    )
    with pytest.raises(ValidationError, match="overlappen"):
        services.update_fase(fase_a, services.FaseValues("Fase A", AUG_2023, JAN_2024))


def test_a_stale_fase_edit_or_delete_is_refused_and_the_input_kept(tree, cast):
    planned(tree)
    prog = tree["prog"]
    fase_a = tree["plan"].fases.get(naam="Fase A")
    seen = fase_a.versie
    # Someone else shortens Fase A first.
    services.update_fase(
        fase_a,
        services.FaseValues("Fase A", AUG_2023, datetime.date(2023, 11, 1)),
        expected_versie=seen,
    )
    client = logged_in(cast["leider"])

    response = client.post(
        url("fase", prog, 1, fase_a.pk),
        {
            f"fase-{fase_a.pk}-naam": "Fase A (start)",
            f"fase-{fase_a.pk}-start": "2023-08",
            f"fase-{fase_a.pk}-eind": "2023-10",
            f"fase-{fase_a.pk}-versie": seen,
        },
        headers=HTMX,
    )
    html = response.content.decode()
    assert "Iemand anders heeft Fase A intussen gewijzigd" in html
    assert 'value="Fase A (start)"' in html
    response = client.post(url("fase_delete", prog, 1, fase_a.pk), {"versie": seen}, headers=HTMX)
    assert (
        "Iemand anders heeft Fase A intussen gewijzigd"
        in json.loads(response["HX-Trigger-After-Settle"])["koers:changed"]["message"]
    )
    fase_a.refresh_from_db()
    assert (fase_a.naam, fase_a.eind, fase_a.versie) == (
        "Fase A",
        datetime.date(2023, 11, 1),
        seen + 1,
    )


def test_set_fases_replaces_them_keeping_items_by_name(tree):
    planned(tree)
    plan = tree["plan"]
    item = plan.items.get(inspanning__isnull=True)
    item.start_fase = plan.fases.get(naam="Fase B")
    item.save()
    services.set_fases(
        plan,
        [services.FaseValues("Fase B", JAN_2024, JUL_2024)],
        reason="Fase A vervalt",
    )
    item.refresh_from_db()
    assert item.start_fase.naam == "Fase B"
    assert list(plan.fases.values_list("naam", flat=True)) == ["Fase B"]


def test_fase_form_posts_save_delete_and_show_dutch_errors(tree, cast):
    client = logged_in(cast["leider"])
    prog = tree["prog"]
    response = client.post(
        url("fases", prog, 1),
        {"nieuw-naam": "Fase A", "nieuw-start": "2023-08", "nieuw-eind": "2023-12"},
    )
    assert response.status_code == 302
    response = client.post(
        url("fases", prog, 1),
        {"nieuw-naam": "Fase B", "nieuw-start": "2023-10", "nieuw-eind": "2024-07"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert "Fase A en Fase B overlappen" in html
    assert 'value="2023-10"' in html  # the input is kept
    fase = Fase.objects.get(naam="Fase A")
    response = client.post(url("fase_delete", prog, 1, fase.pk), {"versie": 1}, headers=HTMX)
    assert (
        "Fase A verwijderd."
        in json.loads(response["HX-Trigger-After-Settle"])["koers:changed"]["message"]
    )
    assert not Fase.objects.filter(pk=fase.pk).exists()


# -- goals and inspanningen -----------------------------------------------------------------


def test_picking_a_goal_takes_the_tree_partners_as_a_start(tree):
    plan = tree["plan"]
    services.set_goals(plan, [tree["goal"].pk], reason="Prioriteit")
    item = plan.items.get()
    assert [org.naam for org in item.partners.all()] == ["Leger des Heils"]
    services.set_inspanningen(plan, tree["goal"], [tree["insp"].pk])
    insp_item = plan.items.get(inspanning=tree["insp"])
    assert [org.naam for org in insp_item.partners.all()] == ["Hanzehogeschool"]
    assert item.history.first().history_change_reason == "Prioriteit"


def test_dropping_a_goal_drops_its_inspanningen(tree):
    planned(tree)
    services.set_goals(tree["plan"], [tree["other"].pk])
    assert list(tree["plan"].items.values_list("operationeel_doel", "inspanning")) == [
        (tree["other"].pk, None)
    ]


def test_an_inspanning_not_serving_the_goal_is_refused(tree, cast):
    planned(tree)
    with pytest.raises(ValidationError, match="draagt niet bij aan"):
        services.set_inspanningen(tree["plan"], tree["goal"], [tree["elsewhere"].pk])
    foreign_prog = builders.programma(slug="vreemd")
    foreign = builders.inspanning(foreign_prog, titel="Vreemd werk")
    client = logged_in(cast["leider"])
    response = client.post(
        url("inspanningen", tree["prog"], 1, tree["goal"].pk), {"inspanningen": [foreign.pk]}
    )
    assert "“Vreemd werk” draagt niet bij aan" in response.content.decode()
    assert not tree["plan"].items.filter(inspanning=foreign).exists()


def test_a_goal_of_another_programme_is_refused(tree, cast):
    foreign = builders.goal_chain(builders.programma(slug="vreemd"))
    with pytest.raises(ValidationError, match="niet bij dit programma"):
        services.set_goals(tree["plan"], [foreign.pk])
    client = logged_in(cast["leider"])
    response = client.post(url("goals", tree["prog"], 1), {"doelen": [foreign.pk]})
    assert response.status_code == 200  # the form refuses an unknown choice
    assert not tree["plan"].items.exists()


def test_goals_form_groups_by_strategic_goal_and_saves_in_place(tree, cast):
    client = logged_in(cast["team"])
    html = client.get(url("goals", tree["prog"], 1), headers=HTMX).content.decode()
    assert "<legend" in html and "Kansrijk perspectief" in html
    response = client.post(
        url("goals", tree["prog"], 1), {"doelen": [tree["goal"].pk]}, headers=HTMX
    )
    html = response.content.decode()
    assert 'id="sectie-doelen"' in html and "Huishoudens zijn vroegtijdig in beeld" in html
    assert response["HX-Retarget"] == "#sectie-doelen"


# -- items ----------------------------------------------------------------------------------


def _item_post(item, **values) -> dict:
    data = {
        "versie": item.versie,
        "start_fase": "",
        "partners_vrij": "",
        "middelen": "onbekend",
        "middelen_toelichting": "",
        "toelichting": "",
        "reden": "",
    }
    data.update(values)
    return {f"item-{item.pk}-{key}": value for key, value in data.items()}


def test_item_edit_sets_fase_partners_means_and_free_partners(tree, cast):
    planned(tree)
    plan = tree["plan"]
    item = plan.items.get(inspanning=tree["insp"])
    fase_a = plan.fases.get(naam="Fase A")
    client = logged_in(cast["leider"])
    response = client.post(
        url("item", tree["prog"], 1, item.pk),
        _item_post(
            item,
            start_fase=fase_a.pk,
            loopt_door="on",
            partners=[tree["leger"].pk],
            partners_vrij="mensen uit de wijk zelf\n",
            middelen="weinig",
            middelen_toelichting="Uren van de kartrekker",
            reden="Uit het overleg",
        ),
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#doel-{plan.items.get(inspanning__isnull=True).pk}"
    html = response.content.decode()
    assert "mensen uit de wijk zelf" in html and "Weinig aanvullende middelen" in html
    # The network planning follows the new start fase without a reload (out of band).
    assert 'id="sectie-planning" aria-labelledby="kop-planning" data-hx-swap-oob="true"' in html
    item.refresh_from_db()
    assert (item.start_fase, item.loopt_door, item.middelen) == (fase_a, True, "weinig")
    assert item.versie == 2
    assert item.history.first().history_change_reason == "Uit het overleg"
    entry = build_content(plan)["doelen"][0]["inspanningen"][0]
    assert entry["partners"] == [
        {"naam": "Leger des Heils", "organisatie_id": tree["leger"].pk},
        {"naam": "mensen uit de wijk zelf", "organisatie_id": None},
    ]


def test_stale_item_save_is_refused_and_the_input_kept(tree, cast):
    planned(tree)
    item = tree["plan"].items.get(inspanning=tree["insp"])
    first, second = logged_in(cast["leider"]), logged_in(cast["team"])
    stale = _item_post(item, toelichting="Mijn toelichting")
    first.post(url("item", tree["prog"], 1, item.pk), _item_post(item, toelichting="Eerste"))
    response = second.post(url("item", tree["prog"], 1, item.pk), stale, headers=HTMX)
    html = response.content.decode()
    assert "intussen gewijzigd" in html
    assert "Mijn toelichting" in html
    item.refresh_from_db()
    assert item.toelichting == "Eerste"
    # Saving again is a deliberate choice: the form now carries the current version.
    assert f'name="item-{item.pk}-versie" value="{item.versie}"' in html
    second.post(
        url("item", tree["prog"], 1, item.pk), {**stale, f"item-{item.pk}-versie": item.versie}
    )
    item.refresh_from_db()
    assert item.toelichting == "Mijn toelichting"


def test_item_refuses_a_fase_of_another_plan(tree):
    planned(tree)
    other = services.create_faseplan(
        tree["prog"], nummer=2, titel="Twee", start=AUG_2023, eind=JUL_2024
    )
    fase = services.add_fase(other, services.FaseValues("Fase X", AUG_2023, DEC_2023))
    item = tree["plan"].items.get(inspanning__isnull=True)
    values = services.ItemValues(fase, False, [], "", "geen", "", "")
    with pytest.raises(ValidationError, match="ander faseplan"):
        services.update_item(item, values, expected_versie=item.versie)


# -- texts ----------------------------------------------------------------------------------


def test_texts_are_saved_with_reason_and_rendered_as_rich_text(tree, cast):
    client = logged_in(cast["leider"])
    plan = tree["plan"]
    response = client.post(
        url("texts", tree["prog"], 1),
        {
            "versie": plan.versie,
            "context": "Eerste alinea.\n\n- punt een\n- punt twee",
            "keuzes": "Prioriteren",
            "structurele_activiteiten": "",
            "organisatie": "",
            "reden": "Eerste versie",
        },
        headers=HTMX,
    )
    html = response.content.decode()
    assert '<ul class="utrecht-unordered-list"><li>punt een</li>' in html
    assert json.loads(response["HX-Trigger-After-Settle"])["koers:changed"]["focus"] == (
        "#kop-teksten"
    )
    plan.refresh_from_db()
    assert plan.keuzes == "Prioriteren"
    assert plan.history.first().history_change_reason == "Eerste versie"


def test_stale_text_save_is_refused(tree, cast):
    plan = tree["plan"]
    services.update_faseplan_texts(plan, {"context": "Nieuw"}, expected_versie=plan.versie)
    response = logged_in(cast["leider"]).post(
        url("texts", tree["prog"], 1),
        {
            "versie": plan.versie,
            "context": "Oud",
            "keuzes": "",
            "structurele_activiteiten": "",
            "organisatie": "",
        },
    )
    html = response.content.decode()
    assert "intussen gewijzigd" in html and "Oud" in html
    plan.refresh_from_db()
    assert plan.context == "Nieuw"


def test_the_plain_form_fallback_redirects_to_the_section(tree, cast):
    client = logged_in(cast["leider"])
    page = client.get(url("texts", tree["prog"], 1))
    assert "<h1" in page.content.decode()
    response = client.post(
        url("texts", tree["prog"], 1),
        {
            "versie": tree["plan"].versie,
            "context": "x",
            "keuzes": "",
            "structurele_activiteiten": "",
            "organisatie": "",
        },
    )
    assert response.status_code == 302
    assert response.url.endswith("#sectie-teksten")


# -- content and the page -------------------------------------------------------------------


def test_content_dict_has_the_shared_shape(tree):
    planned(tree)
    Risico.objects.create(
        programma=tree["prog"], omschrijving="Te weinig capaciteit", kans="hoog", impact="middel"
    )
    Risico.objects.create(programma=tree["prog"], omschrijving="Opgelost", status="gesloten")
    content = build_content(tree["plan"])
    json.dumps(content)
    assert set(content) == {
        "nummer",
        "titel",
        "status",
        "periode",
        "fases",
        "teksten",
        "doelen",
        "risicos",
    }
    assert content["periode"] == {"start": "2023-08", "eind": "2024-07"}
    assert content["fases"][0] == {"naam": "Fase A", "start": "2023-08", "eind": "2023-12"}
    assert set(content["teksten"]) == {
        "context",
        "keuzes",
        "structurele_activiteiten",
        "organisatie",
    }
    goal = content["doelen"][0]
    assert set(goal) == {
        "item_id",
        "doel_id",
        "code",
        "titel",
        "strategisch_doel",
        "start_fase",
        "loopt_door",
        "partners",
        "middelen",
        "toelichting",
        "inspanningen",
    }
    assert goal["strategisch_doel"] == "Kansrijk perspectief"
    assert goal["middelen"] == {"klasse": "onbekend", "toelichting": ""}
    assert set(goal["inspanningen"][0]) == {
        "item_id",
        "inspanning_id",
        "code",
        "titel",
        "start_fase",
        "loopt_door",
        "partners",
        "middelen",
        "toelichting",
    }
    assert [r["omschrijving"] for r in content["risicos"]] == ["Te weinig capaciteit"]
    assert set(content["risicos"][0]) == {
        "id",
        "soort",
        "omschrijving",
        "kans",
        "impact",
        "beheersmaatregel",
        "eigenaar",
        "status",
        "bij",
    }


def test_frozen_plan_page_shows_its_snapshot(tree, cast):
    planned(tree)
    plan = tree["plan"]
    snapshot = build_content(plan)
    snapshot["doelen"][0]["titel"] = "Titel zoals vastgesteld"
    Faseplan.objects.filter(pk=plan.pk).update(snapshot=snapshot, status="vastgesteld")
    html = logged_in(cast["lezer"]).get(url("detail", tree["prog"], 1)).content.decode()
    assert "Titel zoals vastgesteld" in html
    assert "Huishoudens zijn vroegtijdig in beeld</h4>" not in html


def test_page_shows_goals_grouped_with_their_inspanningen_and_risks(tree, cast):
    planned(tree)
    Risico.objects.create(programma=tree["prog"], omschrijving="Te weinig capaciteit")
    html = logged_in(cast["team"]).get(url("detail", tree["prog"], 1)).content.decode()
    assert '<h3 class="utrecht-heading-3" id="sd-1">Kansrijk perspectief</h3>' in html
    assert "Inzetten op vroegsignalering" in html
    assert "Te weinig capaciteit" in html
    assert "Fase A</strong>: augustus 2023 \N{EN DASH} december 2023" in html


def _grow(tree, n: int) -> None:
    """Add n goals, each with an inspanning, a partner and a risk, all in the plan."""
    prog, plan = tree["prog"], tree["plan"]
    sd = tree["goal"].strategisch_doel
    goals = [tree["goal"].pk]
    for i in range(n):
        goal = builders.operationeel_doel(sd, titel=f"Extra doel {i}")
        org = builders.partner(prog)
        builders.inspanning(prog, titel=f"Extra {i}", doelen=[goal], partners=[(org, "trekker")])
        Risico.objects.create(programma=prog, omschrijving=f"Risico {i}")
        goals.append(goal.pk)
    services.set_goals(plan, goals)
    for goal_id in goals[1:]:
        goal = sd.operationele_doelen.get(pk=goal_id)
        services.set_inspanningen(plan, goal, [i.pk for i in goal.inspanningen.all()])


def test_page_and_content_use_a_fixed_number_of_queries(tree, cast):
    planned(tree)
    client = logged_in(cast["leider"])
    page = url("detail", tree["prog"], 1)
    before = page_queries(client, page)
    _, content_before = count_queries(lambda: build_content(tree["plan"]))
    _grow(tree, 6)
    assert page_queries(client, page) == before
    _, content_after = count_queries(lambda: build_content(tree["plan"]))
    assert content_after == content_before
    assert page_queries(client, url("list", tree["prog"])) <= before
