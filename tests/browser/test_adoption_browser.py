"""Adopting a faseplan in the browser: the leader puts it forward, the stuurgroep adopts it
with the decision date, and the page then shows the frozen plan with its status."""

import datetime

import pytest

from fasering.models import Fase, Faseplan, FaseplanItem
from tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def plan(db):
    prog = builders.programma(naam="Proefprogramma Koers", slug="proef", korte_naam="Proef")
    goal, hanze, first = builders.vroegsignalering(prog)
    builders.member(prog, "programmaleider", "leider")
    builders.member(prog, "stuurgroep", "stuurgroep")
    faseplan = Faseplan.objects.create(
        programma=prog,
        nummer=1,
        titel="Faseplan 1",
        start=datetime.date(2023, 8, 1),
        eind=datetime.date(2024, 7, 1),
    )
    fase = Fase.objects.create(
        faseplan=faseplan,
        naam="Fase A",
        start=datetime.date(2023, 8, 1),
        eind=datetime.date(2023, 12, 1),
    )
    item = FaseplanItem.objects.create(faseplan=faseplan, operationeel_doel=goal, start_fase=fase)
    item.partners.set([hanze])
    FaseplanItem.objects.create(
        faseplan=faseplan, operationeel_doel=goal, inspanning=first, start_fase=fase
    )
    return faseplan


def test_leader_submits_and_stuurgroep_adopts_with_the_keyboard(
    page, live_server, login, plan, assert_accessible
):
    url = f"{live_server.url}/programmas/proef/faseplannen/1/"
    login("leider")
    page.goto(url)
    page.get_by_role("link", name="Ter besluitvorming brengen").click()
    page.wait_for_url(f"{url}ter-besluitvorming/")
    assert_accessible()
    page.get_by_role("button", name="Ja, ter besluitvorming brengen").click()
    page.wait_for_url(url)
    assert page.get_by_text("Faseplan 1 is ter besluitvorming gebracht.").is_visible()

    page.context.clear_cookies()
    login("stuurgroep")
    page.goto(url)
    page.get_by_role("link", name="Vaststellen").click()
    page.wait_for_url(f"{url}vaststellen/")
    assert_accessible()

    # Without a date the form says what is missing, and the plan is not adopted.
    page.get_by_role("button", name="Ja, vaststellen").click()
    page.get_by_text("Vul de datum van het besluit in.").first.wait_for()
    assert_accessible()

    date = page.get_by_label("Datum van het besluit")
    date.focus()
    date.fill("2023-07-04")
    besluit = page.get_by_role("textbox", name="Besluit (optioneel)")
    besluit.fill("Akkoord met de fasering.")
    besluit.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(url)

    status = page.locator("#faseplan-status")
    assert "Vastgesteld op 4 juli 2023 door de stuurgroep" in status.inner_text()
    assert status.get_by_role("link", name="Vaststellen").count() == 0
    assert_accessible()

    page.set_viewport_size(PHONE)
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    plan.refresh_from_db()
    assert plan.status == Faseplan.Status.VASTGESTELD
    assert plan.snapshot is not None
