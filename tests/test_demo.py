"""The demo data: the real AVK and KvNH documents, loaded by one idempotent command."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from avk.demo import DEMO_USERS, load_demo
from doelenboom.models import Ambitie, Inspanning, OperationeelDoel, StrategischDoel
from programmes.models import Lidmaatschap, Programma, Rol

# Every test uses the `demo` fixture (tests/conftest.py): loaded once, each test rolled back.


def _history_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.label.split(".")[1].startswith("Historical")
    }


def test_avk_tree_matches_the_faseplan_and_bijlage_1(demo):
    avk = Programma.objects.get(slug="avk")

    assert avk.ambities.count() == 1
    assert "langdurig in armoede" in avk.ambities.get().titel
    assert set(
        StrategischDoel.objects.filter(ambitie__programma=avk).values_list(
            "programmalijn", flat=True
        )
    ) == {"Doelgroep", "Werkveld", "Effectiviteit en leren"}
    # "We hebben 26 operationele doelen."
    assert OperationeelDoel.objects.filter(strategisch_doel__ambitie__programma=avk).count() == 26
    counts = {
        categorie: avk.inspanningen.filter(categorie=categorie).count()
        for categorie in Inspanning.Categorie.values
    }
    # Bijlage 1 (58 distinct), plus the structural activities and the ALGEMEEN items of 001.
    assert counts == {
        "actie": 31,
        "onderzoeken": 11,
        "uitproberen": 8,
        "organisatorisch": 11,
        "structureel": 4,
        "project": 0,
    }


def test_avk_inspanning_listed_under_two_goals_is_one_inspanning_linked_twice(demo):
    speeddates = Inspanning.objects.get(
        programma__slug="avk", titel__startswith="Speeddates organiseren"
    )

    assert speeddates.code == "A17"
    assert {d.code for d in speeddates.doelen.all()} == {"2.3", "2.5"}
    assert Inspanning.objects.filter(programma__slug="avk", titel=speeddates.titel).count() == 1


def test_avk_general_and_organisational_inspanningen_belong_to_the_programme(demo):
    dagelijks_bestuur = Inspanning.objects.filter(
        programma__slug="avk", titel__startswith="Het dagelijks bestuur wordt gevraagd"
    )

    assert dagelijks_bestuur.count() == 5
    assert not dagelijks_bestuur.filter(doelen__isnull=False).exists()
    assert not Inspanning.objects.filter(
        programma__slug="avk", categorie="structureel", doelen__isnull=False
    ).exists()


def test_avk_groups_and_budget_partners(demo):
    avk = Programma.objects.get(slug="avk")
    werkgroepen = set(avk.groepen.filter(soort="werkgroep").values_list("naam", flat=True))

    assert len(werkgroepen) == 4
    for thema in ("Ervaringsdeskundigheid en werk", "Monitoring en evaluatie", "Communicatie"):
        assert any(thema in naam for naam in werkgroepen)
    assert avk.groepen.filter(soort="stuurgroep").exists()
    assert avk.groepen.filter(soort="programmateam").exists()
    assert avk.organisaties.filter(naam__icontains="Hanzehogeschool").exists()


def test_ocr_errors_of_the_sources_are_fixed(demo):
    texts = " ".join(
        [
            *Programma.objects.values_list("omschrijving", flat=True),
            *Ambitie.objects.values_list("omschrijving", flat=True),
            *Inspanning.objects.values_list("titel", flat=True),
        ]
    )

    assert "Veenkoloniën" in texts
    for garbled in ("Veenkolonién", "financiéle", "moskeeén", "TLUD"):
        assert garbled not in texts


def test_kvnh_has_eight_ambities_of_which_3_and_4_worked_out(demo):
    kvnh = Programma.objects.get(slug="kvnh")
    ambities = {a.code: a for a in kvnh.ambities.all()}

    assert sorted(ambities) == [str(n) for n in range(1, 9)]
    assert ambities["3"].titel == "Voorkomen en vroegtijdig verhelpen van problemen"
    assert ambities["4"].titel == "Zo veel mogelijk zelf oplossen"
    worked_out = {code for code, a in ambities.items() if a.uitgewerkt}
    assert worked_out == {"3", "4"}
    # Not worked out means no invented goals below them.
    assert not StrategischDoel.objects.filter(ambitie__programma=kvnh, ambitie__uitgewerkt=False)
    assert kvnh.label_strategisch_doel == "Thema"
    assert kvnh.label_inspanning_mv == "Projecten"
    assert sorted(kvnh.werkgebied) == ["Den Helder", "Hollands Kroon", "Schagen", "Texel"]


def test_kvnh_worked_out_ambities_have_a_coalition_and_projects_a_project_group(demo):
    kvnh = Programma.objects.get(slug="kvnh")

    coalities = kvnh.groepen.filter(soort="coalitie")
    assert sorted(coalities.values_list("naam", flat=True)) == [
        "Coalitie ambitie 3",
        "Coalitie ambitie 4",
    ]
    assert {a.code: a.groep.naam for a in kvnh.ambities.filter(groep__isnull=False)} == {
        "3": "Coalitie ambitie 3",
        "4": "Coalitie ambitie 4",
    }
    projects = kvnh.inspanningen.select_related("groep")
    assert all(p.groep.soort == "projectgroep" and p.titel in p.groep.naam for p in projects)


def test_kvnh_projects_carry_their_step_plans(demo):
    projects = {
        p.code: p
        for p in Inspanning.objects.filter(programma__slug="kvnh").prefetch_related("stappen")
    }

    assert sorted(projects) == ["3a", "3b", "3c", "4a", "4b"]
    assert projects["3a"].titel == "Het Huis van de Kop"
    assert projects["3b"].titel == "De Kop in Beeld"
    assert [s.doorlooptijd_maanden for s in projects["3b"].stappen.all()] == [2, 1, 6, 5]
    assert len(projects["4a"].stappen.all()) == 7
    assert len(projects["4b"].stappen.all()) == 8
    assert all(p.categorie == "project" for p in projects.values())
    assert projects["3b"].faq_probleem
    assert projects["4a"].indicatieve_ondersteuning
    assert all(p.doelen.exists() for p in projects.values())


def test_one_demo_account_per_role_per_programme(demo):
    for slug in ("avk", "kvnh"):
        rollen = set(
            Lidmaatschap.objects.filter(programma__slug=slug).values_list("rol", flat=True)
        )
        assert rollen == set(Rol.values)
    assert len(DEMO_USERS) == 10
    assert get_user_model().objects.get(username="beheer").is_superuser


def test_loading_twice_changes_nothing_not_even_history(demo):
    before = _history_counts()
    tree_before = list(OperationeelDoel.objects.values_list("pk", "code", "strategisch_doel_id"))

    report = load_demo()

    assert not report.changed
    assert _history_counts() == before
    assert list(OperationeelDoel.objects.values_list("pk", "code", "strategisch_doel_id")) == (
        tree_before
    )


def test_load_demo_command_reports_that_nothing_changed(demo, capsys):
    call_command("load_demo")

    assert "niets veranderd" in capsys.readouterr().out


def test_demo_tree_renders_every_inspanning_of_both_programmes(demo, client):
    client.force_login(get_user_model().objects.get(username="beheer"))
    for programma in Programma.objects.all():
        html = client.get(reverse("doelenboom:tree", args=[programma.slug])).content.decode()
        for titel in programma.inspanningen.values_list("titel", flat=True):
            assert escape(titel) in html, titel
