"""The steering group's part of journey 2 that faseplannen cover: the leader puts a plan
forward, a stuurgroep member leaves a remark beside a goal, the leader answers it, the member
adopts the plan; the tree changes afterwards (with the reason it now asks for), and the adopted
plan still shows what was adopted. The page prints with its network planning on the paper."""

import datetime

import pytest

from fasering.models import Fase, Faseplan, FaseplanItem
from tests import builders
from tests.browser.conftest import WCAG_21_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(db):
    prog = builders.programma(naam="Alliantie van Kracht", slug="avk", korte_naam="AVK")
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
    fase_a = Fase.objects.create(
        faseplan=faseplan,
        naam="Fase A",
        start=datetime.date(2023, 8, 1),
        eind=datetime.date(2023, 12, 1),
    )
    Fase.objects.create(
        faseplan=faseplan,
        naam="Fase B",
        start=datetime.date(2024, 1, 1),
        eind=datetime.date(2024, 7, 1),
    )
    goal_item = FaseplanItem.objects.create(
        faseplan=faseplan, operationeel_doel=goal, start_fase=fase_a, loopt_door=True
    )
    goal_item.partners.set([hanze])
    FaseplanItem.objects.create(
        faseplan=faseplan, operationeel_doel=goal, inspanning=first, start_fase=fase_a
    )
    return {"plan": faseplan, "goal_item": goal_item, "inspanning": first}


@pytest.fixture
def check(axe, html_pages, request):
    def _check(page) -> None:
        results = axe.run(page, options=WCAG_21_AA)
        assert results.violations_count == 0, results.generate_report()
        html_pages.save(page.content(), f"{request.node.nodeid} {page.url}")

    return _check


def _log_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/mijn-werk/")


def test_stuurgroep_remarks_then_adopts_and_the_adopted_plan_stays_as_adopted(
    page, live_server, plan, check
):
    url = f"{live_server.url}/programmas/avk/faseplannen/1/"
    goal_section = f"doel-{plan['goal_item'].pk}"

    _log_in(page, live_server, "leider")
    page.goto(url)
    page.get_by_role("link", name="Ter besluitvorming brengen").click()
    page.get_by_role("button", name="Ja, ter besluitvorming brengen").click()
    page.wait_for_url(url)

    # The stuurgroep member finds the plan through the navigation and remarks on a goal.
    _log_in(page, live_server, "stuurgroep")
    page.get_by_role("link", name="Alliantie van Kracht").click()
    page.get_by_role("navigation", name="Programmanavigatie").get_by_role(
        "link", name="Faseplannen"
    ).click()
    page.get_by_role("link", name="Faseplan 1").first.click()
    page.wait_for_url(url)
    check(page)
    remarks = page.locator(f"#opmerkingen-{goal_section}")
    remarks.get_by_role("textbox").fill("Is Fase A niet te krap voor de wijkteams?")
    remarks.get_by_role("button", name="Opmerking plaatsen").click()
    page.locator(f"#opmerkingen-{goal_section}").get_by_text(
        "Is Fase A niet te krap voor de wijkteams?"
    ).wait_for()
    check(page)
    # A stuurgroep member cannot edit the plan or the tree.
    assert page.get_by_role("link", name="Fases bewerken").count() == 0

    # The leader answers.
    _log_in(page, live_server, "leider")
    page.goto(url)
    answer = page.locator(f"#opmerkingen-{goal_section}")
    answer.get_by_label("Antwoord").fill("Nee: het loopt door in Fase B.")
    answer.get_by_role("button", name="Antwoorden").click()
    page.locator(f"#opmerkingen-{goal_section}").get_by_text(
        "Nee: het loopt door in Fase B."
    ).wait_for()
    check(page)

    # The member adopts it with the date of the decision.
    _log_in(page, live_server, "stuurgroep")
    page.goto(url)
    page.get_by_role("link", name="Vaststellen").click()
    page.get_by_label("Datum van het besluit").fill("2023-07-04")
    page.get_by_role("button", name="Ja, vaststellen").click()
    page.wait_for_url(url)
    assert "Vastgesteld op 4 juli 2023" in page.locator("#faseplan-status").inner_text()
    check(page)

    # The tree changes afterwards: the form asks a reason, and the plan keeps its old title.
    _log_in(page, live_server, "leider")
    inspanning = plan["inspanning"]
    old_title = inspanning.titel
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/inspanning/{inspanning.pk}/bewerken/")
    assert page.get_by_text("Faseplan 1").first.is_visible()  # why a reason is asked
    page.get_by_label("Titel").fill("Vroegsignalering in elke wijk")
    page.get_by_label("Reden van de wijziging").fill("Na de evaluatie")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    inspanning.refresh_from_db()
    assert inspanning.titel == "Vroegsignalering in elke wijk"

    page.goto(url)
    main = page.locator("main")
    assert old_title in main.inner_text()
    assert "Vroegsignalering in elke wijk" not in main.locator("#sectie-doelen").inner_text()
    check(page)

    # Printed: the network planning is on the paper and fits the page's width.
    page.emulate_media(media="print")
    chart = page.locator("#sectie-planning svg").first
    assert chart.is_visible()
    box = chart.bounding_box()
    page_width = page.evaluate("document.documentElement.clientWidth")
    assert box["width"] > 200 and box["x"] + box["width"] <= page_width + 1
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
