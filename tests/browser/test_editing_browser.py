"""Inline editing as a browser shows it: htmx swaps, focus, announcements, keyboard, axe."""

import pytest

from doelenboom.models import Inspanning, OperationeelDoel
from tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree(db):
    prog = builders.programma(naam="Alliantie van Kracht", slug="avk", korte_naam="AVK")
    builders.member(prog, "programmaleider", "leider")
    goal = builders.goal_chain(prog, titel="Huishoudens zijn vroegtijdig in beeld", code="1.1")
    second = builders.operationeel_doel(
        goal.strategisch_doel, titel="Samenhang verkend", code="1.2"
    )
    builders.inspanning(prog, titel="Inzetten op vroegsignalering", code="A1", doelen=[goal])
    return {"prog": prog, "goal": goal, "second": second}


@pytest.fixture
def tree_page(page, live_server, login, tree):
    login("leider")
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/")
    page.evaluate("window.__zelfde = true")
    return page


def _wait_for_focus(page, element_id: str) -> None:
    page.wait_for_function("(id) => document.activeElement.id === id", arg=element_id)


def _same_page(page) -> bool:
    return page.evaluate("window.__zelfde === true")


def test_edit_in_place_by_keyboard_moves_focus_and_announces(tree_page, tree, assert_accessible):
    page = tree_page
    goal = tree["goal"]
    page.get_by_role("link", name="Bewerken Huishoudens zijn vroegtijdig in beeld").focus()
    page.keyboard.press("Enter")

    title = page.locator(f"#id_operationeel_doel-{goal.pk}-titel")
    title.wait_for()
    _wait_for_focus(page, f"id_operationeel_doel-{goal.pk}-titel")
    assert_accessible()
    title.fill("Huishoudens zijn op tijd in beeld")
    page.keyboard.press("Enter")

    heading = page.locator(f"#titel-operationeel_doel-{goal.pk}")
    heading.filter(has_text="Huishoudens zijn op tijd in beeld").wait_for()
    _wait_for_focus(page, f"titel-operationeel_doel-{goal.pk}")
    page.wait_for_function("() => document.getElementById('aankondiging').textContent.length > 0")
    assert "opgeslagen" in page.locator("#aankondiging").text_content()
    assert _same_page(page)
    goal.refresh_from_db()
    assert goal.titel == "Huishoudens zijn op tijd in beeld"


def test_cancel_an_edit_restores_the_item(tree_page, tree):
    page = tree_page
    page.get_by_role("link", name="Bewerken Samenhang verkend").click()
    page.get_by_role("link", name="Annuleren").click()

    page.get_by_role("heading", name="Samenhang verkend").wait_for()
    assert page.locator("form.koers-edit").count() == 0
    assert _same_page(page)


def test_add_an_inspanning_under_a_goal_by_keyboard(tree_page, tree):
    page = tree_page
    page.get_by_role("link", name="+ Inspanning toevoegen — Samenhang verkend").focus()
    page.keyboard.press("Enter")

    prefix = f"nieuw-inspanning-{tree['second'].pk}"
    page.locator(f"#id_{prefix}-titel").wait_for()
    _wait_for_focus(page, f"id_{prefix}-titel")
    page.keyboard.type("Breder kijken dan alleen financiële problematiek")
    page.locator(f"#id_{prefix}-categorie").select_option("actie")
    page.get_by_role("button", name="Toevoegen").click()

    section = page.locator(f"#operationeel_doel-{tree['second'].pk}")
    section.get_by_role(
        "link", name="Breder kijken dan alleen financiële problematiek", exact=True
    ).wait_for()
    created = Inspanning.objects.get(titel="Breder kijken dan alleen financiële problematiek")
    _wait_for_focus(page, f"titel-inspanning-{created.pk}-{tree['second'].pk}")
    assert list(created.doelen.all()) == [tree["second"]]
    assert _same_page(page)


def test_reorder_goals_with_the_move_buttons(tree_page, tree):
    page = tree_page

    page.get_by_role("button", name="Omlaag Huishoudens zijn vroegtijdig in beeld").click()

    page.wait_for_function(
        "() => document.querySelectorAll('.koers-od h4')[0].textContent.includes('Samenhang')"
    )
    assert _same_page(page)
    order = list(OperationeelDoel.objects.order_by("volgorde", "id").values_list("code", flat=True))
    assert order == ["1.2", "1.1"]


def test_delete_asks_first_then_removes_the_item(tree_page, tree):
    page = tree_page
    page.get_by_role("link", name="Verwijderen Samenhang verkend").click()

    question = page.get_by_text("Weet u zeker dat u de operationele doelstelling")
    question.wait_for()
    page.wait_for_function("() => document.activeElement.id.startsWith('verwijder-')")
    page.get_by_role("button", name="Ja, verwijderen").click()

    page.locator(f"#operationeel_doel-{tree['second'].pk}").wait_for(state="detached")
    assert not OperationeelDoel.objects.filter(pk=tree["second"].pk).exists()
    assert _same_page(page)


def test_history_and_recent_changes_pages_pass_axe(
    page, live_server, login, tree, assert_accessible
):
    login("leider")
    goal = tree["goal"]
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/operationeel_doel/{goal.pk}/bewerken/")
    page.get_by_label("Titel").fill("Nieuwe titel")
    page.get_by_label("Reden van de wijziging").fill("Na het eiland van reflectie")
    page.get_by_role("button", name="Opslaan").click()
    assert_accessible()  # the tree with edit controls, after a plain post

    page.goto(
        f"{live_server.url}/programmas/avk/doelenboom/operationeel_doel/{goal.pk}/geschiedenis/"
    )
    assert page.get_by_text("Na het eiland van reflectie").is_visible()
    assert_accessible()
    page.get_by_role("button", name="Terugzetten naar versie 1").click()
    page.get_by_text("Teruggezet naar versie 1.").wait_for()
    assert_accessible()

    page.goto(f"{live_server.url}/programmas/avk/wijzigingen/")
    assert page.get_by_role("heading", name="Recente wijzigingen").is_visible()
    assert_accessible()


def test_edit_add_and_delete_work_with_javascript_off(page_without_javascript, live_server, tree):
    page = page_without_javascript("leider")
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/")

    page.get_by_role("link", name="Bewerken Samenhang verkend").click()
    page.get_by_label("Titel").fill("Samenhang tussen problemen verkend")
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_role("heading", name="Samenhang tussen problemen verkend").is_visible()
    assert page.get_by_text("opgeslagen").first.is_visible()

    page.get_by_role("link", name="+ Inspanning toevoegen — Samenhang tussen problemen").click()
    page.get_by_label("Titel").fill("Delen van kennis over prioritering")
    page.get_by_label("Categorie").select_option("actie")
    page.get_by_role("button", name="Toevoegen").click()
    assert page.get_by_role(
        "link", name="Delen van kennis over prioritering", exact=True
    ).is_visible()

    page.get_by_role("link", name="Verwijderen Delen van kennis over prioritering").click()
    page.get_by_role("button", name="Ja, verwijderen").click()
    assert page.get_by_text("verwijderd").first.is_visible()
    assert not Inspanning.objects.filter(titel="Delen van kennis over prioritering").exists()
    page.context.close()
