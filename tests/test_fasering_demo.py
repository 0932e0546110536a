"""The fasering demo data: AVK Faseplan 1 (000/001), the KvNH planning and risks (003/004),
AVK's 2024 eiland van reflectie (002) with Faseplan 2 drafted from it, demo status updates."""

import datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from avk.demo import load_demo
from core.loading import LoadReport
from doelenboom.models import Inspanning
from fasering import drafting, progress
from fasering.demo import load_fasering
from fasering.models import (
    Besluit,
    Faseplan,
    FaseplanItem,
    Inbreng,
    Licht,
    Projectplanning,
    Reflectie,
    Risico,
    Statusupdate,
)
from programmes.demo import DemoProgramme
from programmes.models import GroepLid, Lidmaatschap, Organisatie, Programma


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


# -- AVK's 2024 eiland van reflectie (002) -------------------------------------------------------


def _reflectie() -> Reflectie:
    return Reflectie.objects.get(programma__slug="avk", jaar=2024)


def test_avk_reflection_2024_looks_back_on_faseplan_1_in_three_sessions(demo):
    reflectie = _reflectie()

    assert reflectie.faseplan == _plan()
    sessies = [
        (s.deelnemers, s.datum, s.kanten, s.groep.naam if s.groep else None, s.begeleider)
        for s in reflectie.sessies.select_related("groep")
    ]
    facilitator = "Lauren Algra (Algra Consulting)"
    assert sessies == [
        ("Stuurgroep", datetime.date(2024, 6, 5), ["zij"], "Stuurgroep", facilitator),
        ("Programmateam", datetime.date(2024, 6, 10), ["het"], "Programmateam", facilitator),
        (
            "Managers/leidinggevenden",
            datetime.date(2024, 6, 13),
            ["ik", "wij"],
            None,
            facilitator,
        ),
    ]


def test_avk_reflection_questions_and_contributions_in_the_documents_words(demo):
    sessies = {s.deelnemers: s for s in _reflectie().sessies.all()}

    stuurgroep = list(sessies["Stuurgroep"].vragen.all())
    assert [v.kant for v in stuurgroep] == ["zij", "zij", "zij"]
    assert stuurgroep[0].tekst.startswith("Hoe zien jullie je eigen rol")
    assert "Netwerk vraagt om aansprekende ambassadeurs" in {
        i.tekst for i in stuurgroep[0].inbreng.all()
    }
    assert stuurgroep[2].inbreng.last().tekst.startswith("Voorkom pleisters plakken")
    het = list(sessies["Programmateam"].vragen.all())
    assert len(het) == 2
    assert het[0].inbreng.count() == 17
    managers = list(sessies["Managers/leidinggevenden"].vragen.all())
    assert [v.kant for v in managers] == ["ik", "wij"]
    assert managers[1].inbreng.filter(tekst__startswith="1x per kwartaal").exists()


def test_avk_managers_give_6_9_for_knowing_and_9_5_for_feeling_ambassador(demo):
    scores = {
        i.score_onderwerp: i.score
        for i in Inbreng.objects.filter(vraag__sessie__reflectie=_reflectie(), score__isnull=False)
    }

    assert scores == {"ik weet dit": Decimal("6.9"), "ik voel me ambassadeur": Decimal("9.5")}


def test_avk_decision_per_operational_goal_from_the_het_part(demo):
    besluiten = {
        b.operationeel_doel.code: b
        for b in _reflectie().besluiten.select_related("operationeel_doel")
    }

    assert besluiten["1.5"].besluit == Besluit.LATER
    assert besluiten["1.5"].faseplan_nummer == 3
    assert "Kansen voor Kinderen" in besluiten["1.5"].reden
    volgend = {code for code, b in besluiten.items() if b.besluit == Besluit.VOLGEND}
    expected = {f"1.{n}" for n in (1, 2, 3, 4, 6, 7, 8)} | {f"2.{n}" for n in range(1, 8)}
    assert volgend == expected | {f"3.{n}" for n in range(1, 7)} | {f"4.{n}" for n in range(1, 5)}
    # 002 does not mention 2.8: no decision is invented for it.
    assert "2.8" not in besluiten
    assert besluiten["1.1"].reden == (
        "Zat in faseplan 1 en komt ook in faseplan 2. Met daarbij aandacht voor mensen die "
        "afstand hebben tot de arbeidsmarkt en ervaringsdeskundigen."
    )
    # "We leren van elkaar" and "We weten wat effectief is" were decided as strategic goals.
    assert "strategisch doel 3 “We leren van elkaar”" in besluiten["3.5"].reden
    assert "strategisch doel 4 “We weten wat effectief is”" in besluiten["4.2"].reden


def test_avk_trends_a_to_j_with_when_to_pick_them_up(demo):
    trends = list(_reflectie().trends.all())

    assert [t.letter for t in trends] == list("ABCDEFGHIJ")
    assert trends[0].titel.startswith("Kennishub")
    assert trends[4].titel == "Verborgen armoede"
    assert trends[5].titel == "Randvoorwaarden RUG"
    direct = "direct na de zomer en zodra het 2e faseplan gereed is"
    assert {t.startmoment for t in trends[:5]} == {direct}
    assert {t.startmoment for t in trends[5:]} == {"verderop in het jaar"}


def test_avk_faseplan_2_is_a_concept_drafted_from_the_decisions(demo):
    plan = Faseplan.objects.get(programma__slug="avk", nummer=2)
    goals = _goal_items(plan)

    assert plan.status == Faseplan.Status.CONCEPT
    assert (plan.start, plan.eind) == (datetime.date(2024, 9, 1), datetime.date(2025, 9, 1))
    assert "1.5" not in goals and "2.8" not in goals
    assert len(goals) == 24
    # Carried over from Faseplan 1, without its start fase.
    assert "uitvoerende organisaties" in goals["1.7"].partners_vrij
    assert goals["1.7"].middelen == "weinig"
    assert goals["1.7"].start_fase is None
    assert plan.context.startswith("Trends en ontwikkelingen uit het eiland van reflectie 2024\n")
    assert "- J. Minimaregelingen en gewoon geld geven (experiment) (verderop in het jaar)" in (
        plan.context
    )
    assert not drafting.draft_next(_reflectie()).has_changes


# -- demo status updates ---------------------------------------------------------------------------


def test_demo_status_updates_are_marked_recent_and_stale_with_every_light(demo):
    today = timezone.localdate()
    for slug in ("avk", "kvnh"):
        updates = list(
            Statusupdate.objects.filter(inspanning__programma__slug=slug).select_related(
                "inspanning__groep", "auteur"
            )
        )
        assert 3 <= len(updates) <= 5
        assert all(u.gebeurd.startswith("Demo-update:") for u in updates)
        assert {u.licht for u in updates} == set(Licht.values)
        ages = {(today - u.datum).days for u in updates}
        assert min(ages) < progress.STALE_DAYS < max(ages)
        for update in updates:
            # On an inspanning a group carries, by a demo account that may report on it.
            assert update.inspanning.groep is not None
            rol = Lidmaatschap.objects.get(user=update.auteur, programma__slug=slug).rol
            assert progress.carries(update.auteur, update.inspanning) or rol in (
                "programmaleider",
                "programmateam",
            )
            assert update.auteur.username.endswith(f".{slug}")


def test_de_kop_in_beeld_is_at_the_pilot_step_needing_attention_by_its_project_group(demo):
    update = Statusupdate.objects.get(inspanning__programma__slug="kvnh", inspanning__code="3b")

    assert (update.stap.naam, update.licht) == ("Pilotfase", Licht.AANDACHT)
    assert update.auteur.username == "coalitie.kvnh"
    assert progress.carries(update.auteur, update.inspanning)


def test_the_demo_coalition_member_and_kartrekker_carry_inspanningen(demo):
    User = get_user_model()
    for username, slug in (("coalitie.kvnh", "kvnh"), ("kartrekker.avk", "avk")):
        carried = Inspanning.objects.filter(
            progress.carried_by(User.objects.get(username=username)), programma__slug=slug
        )
        assert carried.exists(), username
    assert GroepLid.objects.filter(
        groep__naam="Projectgroep De Kop in Beeld", user__username="coalitie.kvnh"
    ).exists()
