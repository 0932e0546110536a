"""Drafting faseplan N+1 from the decisions and trends of an eiland van reflectie."""

import datetime
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from doelenboom.models import Bijdrage, DoelPartner
from fasering import drafting
from fasering.models import (
    Besluit,
    Fase,
    Faseplan,
    FaseplanItem,
    Middelen,
    Reflectie,
    Reflectiebesluit,
    Trend,
)
from tests import builders
from tests.queries import count_queries

AUG_2023, JUL_2024 = datetime.date(2023, 8, 1), datetime.date(2024, 7, 1)
HEADING = "Trends en ontwikkelingen uit het eiland van reflectie 2024"


@pytest.fixture
def setup(prog, cast):
    """Faseplan 1 (adopted) with goal 1.1 and its inspanning; the 2024 reflection on it."""
    g1 = builders.goal_chain(prog, code="1.1", titel="Jongeren kiezen een passende opleiding")
    sd = g1.strategisch_doel
    g2 = builders.operationeel_doel(sd, code="1.2", titel="Prettig in de wijk")
    g3 = builders.operationeel_doel(sd, code="1.3", titel="Tevreden over werk")
    g4 = builders.operationeel_doel(sd, code="1.4", titel="Informele hulp")
    g5 = builders.operationeel_doel(sd, code="1.5", titel="Veilige pedagogische omgeving")
    hanze = builders.partner(prog, naam="Hanzehogeschool", slug="hanze")
    leger = builders.partner(prog, naam="Leger des Heils", slug="leger")
    ggd = builders.partner(prog, naam="GGD", slug="ggd")
    DoelPartner.objects.create(operationeel_doel=g2, organisatie=leger, rol="betrokken")
    i1 = builders.inspanning(
        prog, code="A1", titel="Talenten", doelen=[g1], partners=[(ggd, "trekker")]
    )
    i1b = builders.inspanning(prog, code="A2", titel="Vervoer", doelen=[g1])
    i2 = builders.inspanning(
        prog, code="O1", titel="Wat speelt er", doelen=[g2], partners=[(hanze, "trekker")]
    )
    i3 = builders.inspanning(prog, code="U1", titel="Ontmoeten", doelen=[g2])
    i4 = builders.inspanning(prog, code="A3", titel="Banen", doelen=[g3])
    i5 = builders.inspanning(prog, code="A4", titel="Initiatieven", doelen=[g4])

    plan1 = Faseplan.objects.create(
        programma=prog, nummer=1, titel="Faseplan 1", start=AUG_2023, eind=JUL_2024
    )
    fase = Fase.objects.create(faseplan=plan1, naam="Fase A", start=AUG_2023, eind=AUG_2023)
    goal_item = FaseplanItem.objects.create(
        faseplan=plan1,
        operationeel_doel=g1,
        start_fase=fase,
        loopt_door=True,
        partners_vrij="ervaringsdeskundigen\ninwoners",
        middelen=Middelen.WEINIG,
        middelen_toelichting="handgeld",
        toelichting="Samen met het onderwijs",
    )
    goal_item.partners.set([hanze, leger])
    insp_item = FaseplanItem.objects.create(
        faseplan=plan1,
        operationeel_doel=g1,
        inspanning=i1,
        start_fase=fase,
        middelen=Middelen.NODIG,
        volgorde=1,
    )
    insp_item.partners.set([hanze])
    plan1.status = Faseplan.Status.VASTGESTELD
    plan1.save()

    reflectie = Reflectie.objects.create(programma=prog, jaar=2024, faseplan=plan1)
    decide(reflectie, g1, Besluit.VOLGEND, reden="Zat in faseplan 1 en komt ook in faseplan 2.")
    decide(reflectie, g2, Besluit.VOLGEND)
    decide(reflectie, g3, Besluit.LATER, 2)
    decide(reflectie, g4, Besluit.LATER, 3)
    decide(reflectie, g5, Besluit.STOPPEN)
    Trend.objects.create(
        reflectie=reflectie, letter="A", titel="Kennishub", startmoment="direct na de zomer"
    )
    Trend.objects.create(reflectie=reflectie, letter="B", titel="Verborgen armoede", volgorde=1)
    return {
        "prog": prog,
        "cast": cast,
        "reflectie": reflectie,
        "plan1": plan1,
        "goals": {g.code: g for g in (g1, g2, g3, g4, g5)},
        "insp": {i.code: i for i in (i1, i1b, i2, i3, i4, i5)},
        "hanze": hanze,
        "leger": leger,
        "ggd": ggd,
    }


def decide(reflectie, goal, besluit, nummer=None, reden="Besloten in het programmateam."):
    return Reflectiebesluit.objects.update_or_create(
        reflectie=reflectie,
        operationeel_doel=goal,
        defaults={"besluit": besluit, "faseplan_nummer": nummer, "reden": reden},
    )[0]


def apply(reflectie) -> drafting.Draft:
    draft = drafting.draft_next(reflectie)
    return drafting.apply_draft(reflectie, expected_digest=draft.digest)


def plan2(prog) -> Faseplan:
    return Faseplan.objects.get(programma=prog, nummer=2)


def items(plan) -> dict[tuple[str, str], FaseplanItem]:
    return {
        (i.operationeel_doel.code, i.inspanning.code if i.inspanning else ""): i
        for i in plan.items.select_related("operationeel_doel", "inspanning", "start_fase")
    }


def partner_names(item) -> set[str]:
    return set(item.partners.values_list("naam", flat=True))


def url(prog, jaar=2024) -> str:
    return reverse("fasering:draft_next", args=[prog.slug, jaar])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def digest_of(html: str) -> str:
    return re.search(r'name="digest" value="([0-9a-f]{64})"', html).group(1)


def history_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.label.startswith("fasering.Historical")
    }


# -- what it takes ------------------------------------------------------------------------------


def test_drafting_creates_the_next_plan_as_a_concept_from_the_month_after_plan_n(setup):
    apply(setup["reflectie"])

    plan = plan2(setup["prog"])
    assert (plan.titel, plan.status) == ("Faseplan 2", Faseplan.Status.CONCEPT)
    # Faseplan 1 ran August 2023 up to July 2024: twelve months, so August 2024 to July 2025.
    assert (plan.start, plan.eind) == (datetime.date(2024, 8, 1), datetime.date(2025, 7, 1))
    assert not plan.fases.exists()
    assert plan.history.latest().history_change_reason == (
        "opgesteld uit het eiland van reflectie 2024"
    )


def test_goals_for_the_next_plan_are_taken_and_later_or_stopped_ones_are_not(setup):
    apply(setup["reflectie"])

    goals = set(
        plan2(setup["prog"])
        .items.filter(inspanning__isnull=True)
        .values_list("operationeel_doel__code", flat=True)
    )
    # 1.3 is "later" with number 2, which is this plan; 1.4 is for plan 3; 1.5 stops.
    assert goals == {"1.1", "1.2", "1.3"}


def test_a_goal_of_plan_n_keeps_its_items_of_plan_n_but_not_their_start_fase(setup):
    apply(setup["reflectie"])

    taken = items(plan2(setup["prog"]))
    goal = taken[("1.1", "")]
    assert partner_names(goal) == {"Hanzehogeschool", "Leger des Heils"}
    assert goal.partners_vrij == "ervaringsdeskundigen\ninwoners"
    assert (goal.middelen, goal.middelen_toelichting) == (Middelen.WEINIG, "handgeld")
    assert goal.toelichting == "Samen met het onderwijs"
    assert goal.loopt_door is True
    assert goal.start_fase is None
    inspanning = taken[("1.1", "A1")]
    # Plan 1's partners, not the tree's (GGD is the tree's trekker).
    assert partner_names(inspanning) == {"Hanzehogeschool"}
    assert inspanning.middelen == Middelen.NODIG
    # A2 serves 1.1 in the tree but was not in plan 1: it does not come with the goal.
    assert ("1.1", "A2") not in taken


def test_an_inspanning_of_plan_n_that_no_longer_serves_its_goal_is_not_carried(setup):
    Bijdrage.objects.filter(inspanning=setup["insp"]["A1"]).delete()

    apply(setup["reflectie"])

    taken = items(plan2(setup["prog"]))
    assert ("1.1", "") in taken
    assert ("1.1", "A1") not in taken


def test_a_goal_new_to_the_plan_comes_with_the_trees_inspanningen_and_partners(setup):
    apply(setup["reflectie"])

    taken = items(plan2(setup["prog"]))
    assert {key for key in taken if key[0] == "1.2"} == {("1.2", ""), ("1.2", "O1"), ("1.2", "U1")}
    assert partner_names(taken[("1.2", "")]) == {"Leger des Heils"}
    assert partner_names(taken[("1.2", "O1")]) == {"Hanzehogeschool"}
    assert taken[("1.2", "O1")].middelen == Middelen.ONBEKEND
    assert ("1.3", "A3") in taken


def test_the_preview_asks_as_many_queries_for_three_new_goals_as_for_five(setup):
    _, fewer = count_queries(lambda: drafting.draft_next(setup["reflectie"]))
    for code in ("1.4", "1.5"):  # two more goals new to the plan, each with inspanningen
        decide(setup["reflectie"], setup["goals"][code], Besluit.VOLGEND)
    builders.inspanning(setup["prog"], code="A9", titel="Opvoeden", doelen=[setup["goals"]["1.5"]])

    draft, more = count_queries(lambda: drafting.draft_next(setup["reflectie"]))

    assert len([item for item in draft.added if item.is_goal]) == 5
    assert more == fewer


def test_the_trends_become_one_block_of_the_context_text(setup):
    apply(setup["reflectie"])

    assert plan2(setup["prog"]).context == (
        f"{HEADING}\n- A. Kennishub (direct na de zomer)\n- B. Verborgen armoede"
    )


# -- running it again ---------------------------------------------------------------------------


def test_running_it_twice_changes_nothing_the_second_time(setup):
    apply(setup["reflectie"])
    before = history_counts()
    count = FaseplanItem.objects.count()

    again = drafting.draft_next(setup["reflectie"])
    assert not again.has_changes
    assert (again.added, again.removed, again.context_action) == ([], [], drafting.UNCHANGED)
    drafting.apply_draft(setup["reflectie"], expected_digest=again.digest)

    assert FaseplanItem.objects.count() == count
    assert Faseplan.objects.filter(programma=setup["prog"]).count() == 2
    assert history_counts() == before
    assert plan2(setup["prog"]).context.count(HEADING) == 1


def test_a_rerun_replaces_the_trends_block_and_keeps_the_rest_of_the_text(setup):
    apply(setup["reflectie"])
    plan = plan2(setup["prog"])
    plan.context = f"Armoede is hardnekkig.\r\n\r\n{plan.context}\r\n\r\nTot slot."
    plan.save()
    Trend.objects.filter(letter="B").update(titel="Verborgen armoede in dorpen")

    draft = drafting.draft_next(setup["reflectie"])
    assert draft.context_action == drafting.CHANGED
    drafting.apply_draft(setup["reflectie"], expected_digest=draft.digest)

    context = plan2(setup["prog"]).context
    assert context.startswith("Armoede is hardnekkig.\r\n\r\n")
    assert context.endswith("\r\n\r\nTot slot.")
    assert context.count(HEADING) == 1
    assert "- B. Verborgen armoede in dorpen" in context
    assert "- B. Verborgen armoede\r" not in context


def test_a_goal_no_longer_decided_for_the_plan_is_previewed_as_removed_and_removed(setup):
    apply(setup["reflectie"])
    decide(setup["reflectie"], setup["goals"]["1.2"], Besluit.STOPPEN)

    draft = drafting.draft_next(setup["reflectie"])
    assert [r.doel for r in draft.removed_goals] == ["1.2 Prettig in de wijk"]
    assert {r.inspanning for r in draft.removed_inspanningen} == {
        "O1 Wat speelt er",
        "U1 Ontmoeten",
    }
    assert draft.removed_goals[0].besluit == "Stoppen"
    drafting.apply_draft(setup["reflectie"], expected_digest=draft.digest)

    assert not plan2(setup["prog"]).items.filter(operationeel_doel__code="1.2").exists()
    assert plan2(setup["prog"]).items.filter(operationeel_doel__code="1.1").exists()


def test_goals_the_team_added_without_a_decision_stay_and_edits_are_kept(setup):
    apply(setup["reflectie"])
    plan = plan2(setup["prog"])
    extra = builders.operationeel_doel(setup["goals"]["1.1"].strategisch_doel, code="1.9")
    FaseplanItem.objects.create(faseplan=plan, operationeel_doel=extra)
    edited = plan.items.get(operationeel_doel__code="1.2", inspanning__isnull=True)
    edited.toelichting = "Via Jong Hoogeveen"
    edited.save()

    assert not drafting.draft_next(setup["reflectie"]).has_changes
    assert plan.items.filter(operationeel_doel=extra).exists()


def test_the_next_plan_no_longer_a_concept_is_refused_and_nothing_changes(setup):
    apply(setup["reflectie"])
    plan = plan2(setup["prog"])
    plan.status = Faseplan.Status.VASTGESTELD
    plan.save()
    decide(setup["reflectie"], setup["goals"]["1.2"], Besluit.STOPPEN)
    before = history_counts()

    draft = drafting.draft_next(setup["reflectie"])
    assert "Faseplan 2 is vastgesteld" in draft.refusal
    assert not draft.has_changes
    with pytest.raises(drafting.DraftRefused):
        drafting.apply_draft(setup["reflectie"], expected_digest=draft.digest)
    response = logged_in(setup["cast"]["leider"]).post(url(setup["prog"]), {"digest": draft.digest})

    assert response.status_code == 409
    assert "Faseplan 2 is vastgesteld" in response.content.decode()
    assert history_counts() == before
    assert plan.items.filter(operationeel_doel__code="1.2").exists()


def test_without_a_reflected_plan_the_next_number_follows_the_last_plan_not_a_concept(setup):
    reflectie = setup["reflectie"]
    reflectie.faseplan = None
    reflectie.save()

    draft = drafting.draft_next(reflectie)

    assert (draft.nummer, draft.vorige) == (2, setup["plan1"])
    assert (draft.start, draft.eind) == (datetime.date(2024, 8, 1), datetime.date(2025, 7, 1))


def test_without_any_plan_the_first_plan_runs_the_calendar_year_after(prog, cast):
    reflectie = Reflectie.objects.create(programma=prog, jaar=2024)

    draft = drafting.draft_next(reflectie)

    assert draft.nummer == 1
    assert (draft.start, draft.eind) == (datetime.date(2025, 1, 1), datetime.date(2025, 12, 1))


# -- the trends block ---------------------------------------------------------------------------


def test_the_trends_block_is_added_after_the_text_and_removed_with_its_gap():
    block = f"{HEADING}\n- A. Kennishub"

    text, action = drafting.with_trends_block("Inleiding.\n", 2024, block)
    assert (text, action) == (f"Inleiding.\n\n{block}", drafting.ADDED)
    assert drafting.with_trends_block(text, 2024, block) == (text, drafting.UNCHANGED)
    assert drafting.with_trends_block(f"{text}\n\nSlot.", 2024, "") == (
        "Inleiding.\n\nSlot.",
        drafting.REMOVED,
    )
    # The block of another year is another block.
    assert drafting.with_trends_block(text, 2025, "")[1] == drafting.UNCHANGED


# -- the page -----------------------------------------------------------------------------------


def test_the_page_says_what_it_would_change_before_anything_is_written(setup):
    response = logged_in(setup["cast"]["leider"]).get(url(setup["prog"]))
    html = " ".join(response.content.decode().split())

    assert response.status_code == 200
    assert not Faseplan.objects.filter(programma=setup["prog"], nummer=2).exists()
    assert "Faseplan 2 wordt aangemaakt als concept" in html
    assert "augustus 2024 \u2013 juli 2025" in html
    assert "De periode is afgeleid" in html
    assert "3 doelen erbij (4 inspanningen), 0 doelen eruit, de trends in de tekst" in html
    assert "Context\u2019 toegevoegd." in html
    assert "zoals in Faseplan 1" in html
    assert "uit de doelenboom" in html
    assert "1.4 Informele hulp — In een later faseplan (faseplan 3)" in html
    assert "1.5 Veilige pedagogische omgeving — Stoppen" in html
    assert "Dit blok komt erbij" in html


def test_confirming_applies_the_preview_and_the_page_then_has_nothing_to_change(setup):
    client = logged_in(setup["cast"]["team"])
    digest = digest_of(client.get(url(setup["prog"])).content.decode())

    response = client.post(url(setup["prog"]), {"digest": digest})

    assert response.status_code == 302
    assert response["Location"] == reverse("fasering:detail", args=[setup["prog"].slug, 2])
    html = client.get(url(setup["prog"])).content.decode()
    assert "Er is niets te wijzigen" in html
    assert 'name="digest"' not in html


def test_a_stale_confirm_shows_the_new_preview_instead_of_applying(setup):
    client = logged_in(setup["cast"]["leider"])
    digest = digest_of(client.get(url(setup["prog"])).content.decode())
    Trend.objects.create(reflectie=setup["reflectie"], letter="C", titel="Levenlang ontwikkelen")

    response = client.post(url(setup["prog"]), {"digest": digest})

    html = response.content.decode()
    assert response.status_code == 409
    assert "De gegevens zijn gewijzigd sinds de voorvertoning" in html
    assert "C. Levenlang ontwikkelen" in html
    assert not Faseplan.objects.filter(programma=setup["prog"], nummer=2).exists()
    # The new preview's confirm applies.
    assert client.post(url(setup["prog"]), {"digest": digest_of(html)}).status_code == 302
    assert "- C. Levenlang ontwikkelen" in plan2(setup["prog"]).context


@pytest.mark.parametrize("role", ["stuurgroep", "coalitielid", "lezer"])
def test_members_who_may_not_plan_get_403_and_nothing_is_written(setup, role):
    client = logged_in(setup["cast"][role])
    digest = drafting.draft_next(setup["reflectie"]).digest

    assert client.get(url(setup["prog"])).status_code == 403
    assert client.post(url(setup["prog"]), {"digest": digest}).status_code == 403
    assert not Faseplan.objects.filter(programma=setup["prog"], nummer=2).exists()


def test_outsiders_and_unknown_years_get_404(setup):
    digest = drafting.draft_next(setup["reflectie"]).digest
    outsider = logged_in(setup["cast"]["buitenstaander"])

    assert outsider.get(url(setup["prog"])).status_code == 404
    assert outsider.post(url(setup["prog"]), {"digest": digest}).status_code == 404
    assert logged_in(setup["cast"]["leider"]).get(url(setup["prog"], 2023)).status_code == 404
    assert not Faseplan.objects.filter(programma=setup["prog"], nummer=2).exists()
