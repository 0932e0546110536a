"""The history as a browser shows it: delete in the tree, restore from the recent changes."""

import pytest

from doelenboom import services
from doelenboom.models import Inspanning, Stap
from tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree(db):
    prog = builders.programma(naam="Alliantie van Kracht", slug="avk", korte_naam="AVK")
    builders.member(prog, "programmaleider", "leider")
    goal = builders.goal_chain(prog, titel="Huishoudens zijn vroegtijdig in beeld", code="1.1")
    other = builders.operationeel_doel(goal.strategisch_doel, titel="Samenhang", code="1.2")
    hanze = builders.partner(prog, naam="Hanzehogeschool", slug="hanze")
    inspanning = builders.inspanning(
        prog, titel="Inzetten op vroegsignalering", code="A1", doelen=[goal]
    )
    Stap.objects.create(inspanning=inspanning, volgorde=1, naam="Pilotfase")
    # An edit of links only: a version with its link changes under it.
    services.update_item(
        inspanning,
        {},
        expected_versie=1,
        links=services.InspanningLinks(
            goals=[goal.pk, other.pk], partners={hanze.pk: "kennispartner"}
        ),
    )
    return {"prog": prog, "goal": goal, "inspanning": inspanning}


def test_delete_in_the_tree_then_restore_from_the_recent_changes(
    page, live_server, login, tree, assert_accessible
):
    pk = tree["inspanning"].pk
    login("leider")
    # The tree's delete question, as its actions menu opens it without JavaScript.
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/inspanning/{pk}/verwijderen/")
    page.get_by_role("button", name="Ja, verwijderen").click()
    page.get_by_text("Inspanning “Inzetten op vroegsignalering” verwijderd.").wait_for()
    assert not Inspanning.objects.filter(pk=pk).exists()

    page.get_by_role("link", name="Recente wijzigingen").click()
    page.get_by_role("heading", name="Recente wijzigingen").wait_for()
    assert page.get_by_text("tot 90 dagen na het verwijderen").is_visible()
    assert_accessible()

    page.get_by_role("link", name="Inzetten op vroegsignalering").first.click()
    page.get_by_role("heading", name="Verwijderd").wait_for()
    assert_accessible()  # a deleted item's history, with its restore button
    page.go_back()

    page.get_by_role("button", name="Herstellen Inspanning Inzetten op vroegsignalering").click()
    page.get_by_text("Inspanning “Inzetten op vroegsignalering” hersteld.").wait_for()
    restored = Inspanning.objects.get(pk=pk)
    assert restored.doelen.count() == 2
    assert restored.partnerrollen.get().rol == "kennispartner"
    assert restored.stappen.get().naam == "Pilotfase"
    assert_accessible()

    page.goto(f"{live_server.url}/programmas/avk/doelenboom/inspanning/{pk}/geschiedenis/")
    assert page.get_by_text("hersteld (versie 4)").is_visible()
    assert page.get_by_role("button", name="Terugdraaien + zodat 1.2 Samenhang").is_visible()
    assert_accessible()  # versions, link changes and their undo buttons
