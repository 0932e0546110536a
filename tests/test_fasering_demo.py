"""The fasering demo data: AVK Faseplan 1 (000/001) and the KvNH planning and risks (003/004)."""

import datetime

from django.apps import apps

from avk.demo import load_demo
from core.loading import LoadReport
from doelenboom.models import Inspanning
from fasering.demo import load_fasering
from fasering.models import Faseplan, FaseplanItem, Projectplanning, Risico
from programmes.demo import DemoProgramme
from programmes.models import Organisatie, Programma


def _plan() -> Faseplan:
    return Faseplan.objects.get(programma__slug="avk", nummer=1)


def _goal_items(plan: Faseplan) -> dict[str, FaseplanItem]:
    return {
        item.operationeel_doel.code: item
        for item in plan.items.filter(inspanning__isnull=True).select_related(
            "operationeel_doel", "start_fase"
        )
    }


def test_avk_faseplan_1_runs_august_2023_to_august_2024_in_fase_a_and_fase_b(demo):
    plan = _plan()

    assert plan.titel == "Faseplan 1"
    # 001: "Het 1e faseplan loopt van augustus 2023 t/m augustus 2024."
    assert (plan.start, plan.eind) == (datetime.date(2023, 8, 1), datetime.date(2024, 8, 1))
    assert [(f.naam, f.start, f.eind) for f in plan.fases.all()] == [
        ("Fase A", datetime.date(2023, 8, 1), datetime.date(2023, 12, 1)),
        ("Fase B", datetime.date(2024, 1, 1), datetime.date(2024, 7, 1)),
    ]


def test_avk_faseplan_1_holds_the_goals_chosen_with_their_start_fase(demo):
    items = _goal_items(_plan())

    assert list(items) == ["1.7", "1.8", "2.1", "2.2", "4.2", "2.4", "2.6", "1.1", "3.3", "4.1"]
    start = {code: (i.start_fase.naam, i.loopt_door) for code, i in items.items()}
    assert start["1.7"] == start["1.8"] == ("Fase A", False)
    assert start["2.1"] == start["2.2"] == start["4.2"] == ("Fase A", True)
    assert start["2.4"] == start["2.6"] == ("Fase A", True)
    assert start["1.1"] == ("Fase B", False)
    assert start["3.3"] == start["4.1"] == ("Fase A", True)


def test_avk_faseplan_1_partners_and_means_in_the_documents_words(demo):
    items = _goal_items(_plan())

    vroeg = items["1.7"]
    assert "Voedselbanken" in {o.naam for o in vroeg.partners.all()}
    assert "uitvoerende organisaties betrokken bij vroegsignalering" in vroeg.partners_vrij
    assert vroeg.middelen == "weinig"
    assert "handgeld en/of projectgeld" in vroeg.middelen_toelichting
    assert items["2.4"].middelen == "onbekend"
    assert items["1.1"].middelen == "nodig"
    assert "42 partners AVK" in items["3.3"].partners_vrij.splitlines()
    # Every named partner is an organisation of the fixture, none invented for the plan.
    assert not Organisatie.objects.filter(
        faseplan_items__faseplan=_plan(), partnerschappen__isnull=True
    ).exists()


def test_avk_faseplan_1_inspanningen_sit_under_a_goal_they_serve(demo):
    plan = _plan()
    items = plan.items.filter(inspanning__isnull=False).select_related(
        "inspanning", "operationeel_doel", "start_fase"
    )

    assert {i.inspanning.code for i in items} >= {"A11", "U6", "A12", "A1", "A2", "O7"}
    for item in items:
        assert item.inspanning.doelen.filter(pk=item.operationeel_doel_id).exists()
    assert {i.start_fase.naam for i in items if i.operationeel_doel.code == "1.1"} == {"Fase B"}


def test_avk_faseplan_1_is_vastgesteld_with_its_texts_frozen(demo):
    plan = _plan()

    assert plan.status == Faseplan.Status.VASTGESTELD
    # The documents give no date of the decision: none is invented.
    assert plan.besloten_op is None
    assert "14.000 gezinnen" in plan.context
    assert "ervaringsdeskundigen" in plan.structurele_activiteiten
    snapshot = plan.snapshot
    assert snapshot["status"] == "vastgesteld"
    assert snapshot["periode"] == {"start": "2023-08", "eind": "2024-08"}
    assert [d["code"] for d in snapshot["doelen"]][:2] == ["1.7", "1.8"]
    assert snapshot["teksten"]["structurele_activiteiten"] == plan.structurele_activiteiten


def test_kvnh_projects_have_no_invented_start_months(demo):
    # 003 and 004 give each project's step durations but no start month (the planning is a
    # bijlage that is not among the documents), and no "start na": all stay unplanned.
    projects = Inspanning.objects.filter(programma__slug="kvnh", categorie="project")

    assert projects.count() == 5
    assert not Projectplanning.objects.filter(inspanning__in=projects).exists()


def test_kvnh_risks_and_randvoorwaarden_of_the_programme_plans(demo):
    risicos = Risico.objects.filter(programma__slug="kvnh")

    assert risicos.count() == 7
    first_lines = [r.omschrijving.split("\n")[0] for r in risicos.order_by("volgorde")]
    assert first_lines[0] == "Voldoende uitvoeringscapaciteit en expertise"
    assert "Samenhang met andere opgaven en doorontwikkelingen" in first_lines
    assert risicos.get(volgorde=0).soort == Risico.Soort.RISICO
    assert risicos.filter(soort=Risico.Soort.RANDVOORWAARDE).count() == 6
    # The documents rate neither likelihood nor impact.
    assert not risicos.exclude(kans="").exists()
    assert not risicos.exclude(impact="").exists()
    assert all(r.status == Risico.Status.OPEN for r in risicos)


def test_planning_rows_load_start_months_and_dependencies(demo):
    kvnh = Programma.objects.get(slug="kvnh")
    loaded = DemoProgramme(programma=kvnh, org=lambda slug: None, groepen={})
    data = {
        "planning": [{"project": "3a", "start": "2026-01"}, {"project": "3c", "start_na": "3b"}]
    }

    load_fasering(data, loaded, LoadReport())

    rows = {p.inspanning.code: p for p in Projectplanning.objects.select_related("inspanning")}
    assert rows["3a"].start == datetime.date(2026, 1, 1)
    assert rows["3c"].start is None
    assert rows["3c"].start_na.code == "3b"


def _history_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.label.startswith("fasering.Historical")
    }


def test_loading_the_fasering_twice_changes_nothing(demo):
    before = _history_counts()
    snapshot = _plan().snapshot

    report = load_demo()

    assert not report.changed, report.detail
    assert _history_counts() == before
    assert _plan().snapshot == snapshot


def test_avk_plan_inspanningen_without_partners_in_the_documents_keep_the_trees_partners(demo):
    plan = _plan()
    items = plan.items.filter(inspanning__isnull=False).select_related("inspanning")

    with_tree_partners = [i for i in items if i.inspanning.partnerrollen.exists()]
    assert with_tree_partners
    for item in with_tree_partners:
        assert set(item.partners.values_list("pk", flat=True)) == set(
            item.inspanning.partnerrollen.values_list("organisatie_id", flat=True)
        ), item.inspanning.code
    # The adopted snapshot shows them too.
    shown = {
        row["inspanning_id"]: row["partners"]
        for doel in plan.snapshot["doelen"]
        for row in doel["inspanningen"]
    }
    assert all(shown[i.inspanning_id] for i in with_tree_partners)
