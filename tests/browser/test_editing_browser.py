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


def _open_actions(page, titel: str):
    """Open an item's menu of actions by keyboard and wait for its controls to load."""
    summary = page.locator("summary.koers-menu__knop", has_text=f"Acties {titel}")
    summary.focus()
    page.keyboard.press("Enter")
    menu = summary.locator("xpath=..")
    menu.locator(".koers-menu__lijst").wait_for()
    return menu


def test_edit_in_place_by_keyboard_moves_focus_and_announces(tree_page, tree, assert_accessible):
    page = tree_page
    goal = tree["goal"]
    _open_actions(page, "Huishoudens zijn vroegtijdig in beeld")
    assert_accessible()  # the tree with a menu open
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").startswith("Bewerken Huishoudens")
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
    message = page.locator("#aankondiging")
    assert "opgeslagen" in message.text_content()
    # Seen as well as heard: the message shows on screen, within the window.
    assert message.is_visible()
    box = message.bounding_box()
    assert box["width"] > 100 and 0 <= box["y"] < page.viewport_size["height"]
    assert_accessible()
    assert _same_page(page)
    goal.refresh_from_db()
    assert goal.titel == "Huishoudens zijn op tijd in beeld"


def test_cancel_an_edit_restores_the_item(tree_page, tree):
    page = tree_page
    _open_actions(page, "Samenhang verkend").get_by_role("link", name="Bewerken").click()
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

    _open_actions(page, "Huishoudens zijn vroegtijdig in beeld").get_by_role(
        "button", name="Omlaag Huishoudens zijn vroegtijdig in beeld"
    ).click()

    page.wait_for_function(
        "() => document.querySelectorAll('.koers-od h4')[0].textContent.includes('Samenhang')"
    )
    assert _same_page(page)
    order = list(OperationeelDoel.objects.order_by("volgorde", "id").values_list("code", flat=True))
    assert order == ["1.2", "1.1"]


def test_delete_asks_first_then_removes_the_item_and_stays_at_the_parent(tree_page, tree):
    page = tree_page
    _open_actions(page, "Samenhang verkend").get_by_role("link", name="Verwijderen").click()

    question = page.get_by_text("Weet u zeker dat u de operationele doelstelling")
    question.wait_for()
    page.wait_for_function("() => document.activeElement.id.startsWith('verwijder-')")
    page.get_by_role("button", name="Ja, verwijderen").click()

    page.locator(f"#operationeel_doel-{tree['second'].pk}").wait_for(state="detached")
    assert not OperationeelDoel.objects.filter(pk=tree["second"].pk).exists()
    _wait_for_focus(page, f"titel-strategisch_doel-{tree['second'].strategisch_doel_id}")
    page.locator("#aankondiging").filter(has_text="verwijderd").wait_for()
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
    page.get_by_text("Teruggezet naar versie 1;").first.wait_for()
    assert_accessible()

    page.goto(f"{live_server.url}/programmas/avk/wijzigingen/")
    assert page.get_by_role("heading", name="Recente wijzigingen").is_visible()
    assert_accessible()


def test_edit_add_and_delete_work_with_javascript_off(page_without_javascript, live_server, tree):
    page = page_without_javascript("leider")
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/")

    # Without JavaScript the menu opens natively and its link leads to the actions' page.
    page.locator("summary", has_text="Acties Samenhang verkend").click()
    page.get_by_role("link", name="Alle acties Samenhang verkend").click()
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

    page.locator("summary", has_text="Acties Delen van kennis over prioritering").click()
    page.get_by_role("link", name="Alle acties Delen van kennis over prioritering").click()
    page.get_by_role("link", name="Verwijderen Delen van kennis over prioritering").click()
    page.get_by_role("button", name="Ja, verwijderen").click()
    assert page.get_by_text("verwijderd").first.is_visible()
    assert page.url.endswith(f"#operationeel_doel-{tree['second'].pk}")  # back at its goal
    assert not Inspanning.objects.filter(titel="Delen van kennis over prioritering").exists()
    page.context.close()


def test_edit_conflict_between_two_browsers_asks_per_field_and_saves_the_choice(
    page, new_context, live_server, login, tree, assert_accessible
):
    builders.member(tree["prog"], "programmateam", "team")
    goal = tree["goal"]
    edit = f"{live_server.url}/programmas/avk/doelenboom/operationeel_doel/{goal.pk}/bewerken/"
    login("leider")
    page.goto(edit)
    other = new_context().new_page()
    other.goto(f"{live_server.url}/inloggen/")
    other.get_by_label("Gebruikersnaam").fill("team")
    other.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
    other.get_by_role("button", name="Inloggen").click()
    other.wait_for_url(f"{live_server.url}/mijn-werk/")
    other.goto(edit)
    other.get_by_label("Titel").fill("Titel van het team")
    other.get_by_label("Omschrijving").fill("Omschrijving van het team.")
    other.get_by_role("button", name="Opslaan").click()
    other.wait_for_url(f"{live_server.url}/programmas/avk/doelenboom/**")

    page.get_by_label("Titel").fill("Titel van de leider")
    page.get_by_role("button", name="Opslaan").click()

    page.get_by_text("team heeft dit intussen gewijzigd").wait_for()
    choice = page.get_by_role("group", name="Titel")
    assert choice.get_by_text("Titel van het team").is_visible()
    assert choice.get_by_text("Titel van de leider").first.is_visible()
    box = choice.get_by_role("textbox", name="Titel")
    assert box.is_hidden()  # only for "Zelf aanpassen"
    assert_accessible()

    page.get_by_role("button", name="Opslaan").click()  # without a choice
    page.get_by_text("Niet opgeslagen: kies eerst bij elk veld wat er blijft.").wait_for()
    goal.refresh_from_db()
    assert goal.titel == "Titel van het team"
    assert_accessible()

    page.get_by_role("group", name="Titel").get_by_label("Zelf aanpassen").check()
    box = page.get_by_role("group", name="Titel").get_by_role("textbox", name="Titel")
    assert box.is_visible()
    box.fill("Titel van ons samen")
    page.get_by_role("button", name="Opslaan").click()

    page.get_by_role("heading", name="Titel van ons samen").wait_for()
    goal.refresh_from_db()
    assert (goal.titel, goal.omschrijving) == ("Titel van ons samen", "Omschrijving van het team.")
