"""A project lead posts a status update on a phone, by keyboard alone, and sees it on the
project's timeline (journey 3)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from doelenboom.models import Stap
from fasering.models import Projectplanning, Statusupdate
from programmes.models import Groep, GroepLid
from tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE}


@pytest.fixture
def kop_in_beeld(db):
    prog = builders.programma(naam="Regiovisie Test", slug="regio", korte_naam="RT")
    kartrekker = builders.member(prog, "coalitielid", "kartrekker")
    groep = Groep.objects.create(programma=prog, naam="Coalitie 3", soort="coalitie")
    GroepLid.objects.create(groep=groep, user=kartrekker)
    project = builders.inspanning(prog, code="3b", titel="De Kop in Beeld", groep=groep)
    for volgorde, (naam, maanden) in enumerate([("Onderzoek", 3), ("Pilotfase", 6)]):
        Stap.objects.create(
            inspanning=project, volgorde=volgorde, naam=naam, doorlooptijd_maanden=Decimal(maanden)
        )
    Projectplanning.objects.create(inspanning=project, start=datetime.date(2025, 1, 1))
    return prog, project


def _fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} schuift zijwaarts: {width} px"


def _tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching `selector` has the focus (a date field has a
    stop per part)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is met Tab niet te bereiken")


def test_lead_posts_an_update_by_keyboard_on_a_phone(
    page, live_server, assert_accessible, kop_in_beeld
):
    prog, project = kop_in_beeld
    # As from the link in a reminder: the project's page, by way of logging in.
    project_url = reverse("doelenboom:inspanning", args=[prog.slug, project.pk])
    page.goto(live_server.url + project_url)
    page.get_by_label("Gebruikersnaam").fill("kartrekker")
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
    page.get_by_label("Wachtwoord").press("Enter")
    page.wait_for_url(live_server.url + project_url)
    timeline = page.locator("#tijdlijn")
    timeline.get_by_text("Er is nog geen statusupdate geplaatst.").wait_for()
    assert_accessible()
    _fits_the_phone(page)

    _tab_to(page, "#tijdlijn a[href$='/status/nieuw/']")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Status bijwerken").wait_for()
    assert_accessible()
    _fits_the_phone(page)

    # Sent without a light or a story: the error summary takes the focus and says both.
    _tab_to(page, ".koers-status-form button[type=submit]")
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    summary.get_by_text("Kies op koers, aandacht nodig of risico.").wait_for()
    assert page.evaluate("document.activeElement.id") == "foutenoverzicht"
    assert summary.get_by_text("Schrijf kort wat er is gebeurd.").is_visible()
    assert_accessible()
    _fits_the_phone(page)

    # The date stays today and the step the planning's (Pilotfase); pick a light with the
    # arrow keys, type the rest.
    assert page.get_by_label("Huidige stap").input_value() == str(
        project.stappen.get(naam="Pilotfase").pk
    )
    _tab_to(page, "input[name=licht]")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("Aandacht nodig").is_checked()
    _tab_to(page, "#id_voortgang")
    page.keyboard.type("40")
    _tab_to(page, "#id_gebeurd")
    page.keyboard.type("De pilot loopt in twee gemeenten; Texel volgt later.")
    _tab_to(page, "#id_volgende_stappen")
    page.keyboard.type("Afspraak met de wijkteams van Texel.")
    _tab_to(page, ".koers-status-form button[type=submit]")
    page.keyboard.press("Enter")

    page.get_by_text("Uw statusupdate staat op de tijdlijn.").wait_for()
    assert page.url.endswith("#tijdlijn")
    entry = timeline.get_by_role("listitem").first
    assert entry.get_by_text("Aandacht nodig").is_visible()
    # Reported and planned (from January 2025, the planning is in its last step now).
    assert entry.get_by_text("2. Pilotfase", exact=True).count() == 2
    assert entry.get_by_text("achter op planning").count() == 0
    assert entry.get_by_text("De pilot loopt in twee gemeenten; Texel volgt later.").is_visible()
    assert entry.get_by_role("link", name="Corrigeren").is_visible()
    update = Statusupdate.objects.get()
    assert (update.licht, update.voortgang, update.stap.naam) == ("aandacht", 40, "Pilotfase")
    assert_accessible()
    _fits_the_phone(page)
