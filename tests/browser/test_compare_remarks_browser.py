"""The compare page and leaving, answering and resolving a remark, as a browser shows them."""

import datetime

import pytest

from fasering.models import Fase, Faseplan, FaseplanItem, Opmerking
from tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _plan(prog, nummer: int, **kw) -> Faseplan:
    return Faseplan.objects.create(
        programma=prog,
        nummer=nummer,
        titel=f"Faseplan {nummer}",
        start=datetime.date(2023, 8, 1),
        eind=datetime.date(2024, 7, 1),
        **kw,
    )


@pytest.fixture
def plans(db):
    prog = builders.programma(naam="Alliantie van Kracht", slug="avk", korte_naam="AVK")
    builders.member(prog, "programmaleider", "leider")
    builders.member(prog, "stuurgroep", "stuurgroep")
    goal = builders.goal_chain(prog, code="1.1", titel="Huishoudens zijn vroegtijdig in beeld")
    second = builders.operationeel_doel(goal.strategisch_doel, code="1.2", titel="Schuldhulp")
    eerste = _plan(
        prog,
        1,
        status=Faseplan.Status.VASTGESTELD,
        context="Armoede in Assen is hardnekkig.",
    )
    tweede = _plan(
        prog,
        2,
        status=Faseplan.Status.TER_BESLUITVORMING,
        context="Armoede in Assen en Emmen is <b>hardnekkig</b>.",
    )
    for plan in (eerste, tweede):
        fase = Fase.objects.create(
            faseplan=plan, naam="Fase A", start=plan.start, eind=datetime.date(2023, 12, 1)
        )
        FaseplanItem.objects.create(
            faseplan=plan, operationeel_doel=goal, start_fase=fase, loopt_door=plan is tweede
        )
    FaseplanItem.objects.create(faseplan=tweede, operationeel_doel=second)
    return {"prog": prog, "eerste": eerste, "tweede": tweede}


def test_compare_page_by_keyboard_choice(page, live_server, login, plans, assert_accessible):
    login("leider")
    page.goto(f"{live_server.url}/programmas/avk/faseplannen/vergelijken/?a=1&b=2")
    page.wait_for_url("**/faseplannen/1/vergelijken/2/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Faseplan 1 en Faseplan 2 vergeleken"
    )
    assert page.locator("#samenvatting").inner_text() == (
        "1 onderdeel erbij, 1 onderdeel gewijzigd en 1 tekst gewijzigd."
    )
    assert page.get_by_role("table", name="Onderdelen die in Faseplan 2 zijn bijgekomen")
    changed = page.get_by_role("table", name="Wat per onderdeel is gewijzigd, van Faseplan 1")
    assert "Loopt door in de volgende fase" in changed.inner_text()
    inserted = page.locator(".koers-woordverschil ins").first
    assert " ".join(inserted.inner_text().split()) == "toegevoegd: en Emmen"
    assert "<b>hardnekkig</b>" in page.locator(".koers-woordverschil").first.inner_text()
    assert_accessible()
    # The choice of plans at the foot works by keyboard and swaps them.
    page.select_option("#vergelijk-a", "2")
    page.select_option("#vergelijk-b", "1")
    page.locator("#vergelijk-b").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/faseplannen/2/vergelijken/1/")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible()


def _wait_for_focus(page, element_id: str) -> None:
    page.wait_for_function("(id) => document.activeElement.id === id", arg=element_id)


def test_leaving_and_resolving_a_remark_by_keyboard(
    page, live_server, login, plans, assert_accessible
):
    login("stuurgroep")
    page.goto(f"{live_server.url}/programmas/avk/faseplannen/2/")
    page.evaluate("window.__zelfde = true")
    field = page.get_by_label("Uw opmerking bij de planning")
    field.focus()
    page.keyboard.type("Is Fase B niet te krap?")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    opmerking = Opmerking.objects.filter(sectie="planning")
    page.locator("#opmerkingen-planning .koers-opmerking").wait_for()
    pk = opmerking.get().pk
    _wait_for_focus(page, f"opmerking-{pk}")
    page.wait_for_function(
        "() => document.getElementById('aankondiging').textContent.includes('geplaatst')"
    )
    assert page.evaluate("window.__zelfde === true"), "htmx swapped it in place"
    assert_accessible()

    page.context.clear_cookies()
    login("leider")
    page.goto(f"{live_server.url}/programmas/avk/faseplannen/2/")
    page.get_by_label("Antwoord", exact=True).focus()
    page.keyboard.type("Nee, Fase B loopt door tot juli.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    _wait_for_focus(page, f"opmerking-{pk}")
    assert "Nee, Fase B loopt door tot juli." in page.locator(f"#opmerking-{pk}").inner_text()
    resolve = page.locator(f"#opmerking-{pk} button", has_text="Afhandelen")
    resolve.focus()
    page.keyboard.press("Enter")
    _wait_for_focus(page, "opmerkingen-planning-kop")
    assert page.locator("#opmerkingen-planning details summary").inner_text() == (
        "1 afgehandelde opmerking"
    )
    assert_accessible()
    assert not opmerking.get().open
