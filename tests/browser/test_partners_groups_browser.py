"""Partners and groups managed in the browser by the programme leader: suggestions while
typing, the two-step form without JavaScript, a group with a kartrekker; axe-core and a
phone's width on every page."""

import pytest

from programmes.models import Groep, GroepLid, Partnerschap
from tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


@pytest.fixture
def avk(db):
    prog = builders.programma(naam="Alliantie van Kracht", slug="avk", korte_naam="AVK")
    builders.member(prog, "programmaleider", "leider")
    builders.partner(prog, naam="CMO STAMM", slug="cmo-stamm", soort="kennispartner")
    builders.organisatie(naam="Hanzehogeschool Groningen", slug="hanze", soort="onderwijs")
    return prog


def _fits_a_phone(page) -> None:
    """No sideways scrolling at 390 px, checked on the page as it is."""
    size = page.viewport_size
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(size)
    assert width <= PHONE_WIDTH, f"{page.url} schuift zijwaarts op {PHONE_WIDTH} px: {width} px"


def _wait_for_focus(page, element_id: str) -> None:
    page.wait_for_function("(id) => document.activeElement.id === id", arg=element_id)


def test_leader_adds_a_partner_by_choosing_a_suggestion(
    page, live_server, login, avk, assert_accessible
):
    login("leider")
    page.goto(f"{live_server.url}/programmas/avk/partners/")
    _fits_a_phone(page)
    page.get_by_role("link", name="Partner toevoegen").click()
    page.wait_for_url(f"{live_server.url}/programmas/avk/partners/toevoegen/")
    assert_accessible()

    naam = page.get_by_label("Naam van de organisatie")
    naam.press_sequentially("Hanzehogeschool")
    choices = page.get_by_role("group", name="Welke organisatie bedoelt u?")
    choices.wait_for()
    # The change is announced, and focus stays where the person types.
    page.wait_for_function("() => document.getElementById('aankondiging').textContent.length > 0")
    assert "1 organisatie gevonden" in page.locator("#aankondiging").text_content()
    assert page.evaluate("document.activeElement.id") == "id_naam"
    assert_accessible()
    _fits_a_phone(page)

    page.keyboard.press("Tab")
    suggestion = choices.get_by_role("radio", name="Hanzehogeschool Groningen")
    suggestion.check()
    page.get_by_role("button", name="Partner toevoegen").click()

    page.wait_for_url(f"{live_server.url}/programmas/avk/partners/#partner-hanze")
    assert page.get_by_text("Hanzehogeschool Groningen is nu partner van AVK.").is_visible()
    assert page.get_by_role("link", name="Hanzehogeschool Groningen").is_visible()
    assert Partnerschap.objects.filter(programma=avk, organisatie__slug="hanze").exists()
    assert_accessible()

    # Ending it: a confirmation with today's date; it then stands among the former partners.
    page.get_by_role("link", name="Hanzehogeschool Groningen").click()
    page.get_by_role("heading", name="Hanzehogeschool Groningen", level=1).wait_for()
    assert_accessible()
    _fits_a_phone(page)
    page.get_by_role("link", name="Partnerschap beëindigen").click()
    assert_accessible()
    _fits_a_phone(page)
    page.get_by_role("button", name="Ja, partnerschap beëindigen").click()
    former = page.get_by_role("region", name="Voormalige partners")
    assert former.get_by_role("link", name="Hanzehogeschool Groningen").is_visible()
    assert_accessible()
    _fits_a_phone(page)


def test_without_javascript_the_name_comes_first_then_the_choice(
    page_without_javascript, live_server, avk
):
    page = page_without_javascript("leider")
    page.goto(f"{live_server.url}/programmas/avk/partners/toevoegen/")
    page.get_by_label("Naam van de organisatie").fill("Stichting Kwartiermaker")
    page.get_by_role("button", name="Verder").click()

    page.get_by_role("radio", name="Nieuwe organisatie „Stichting Kwartiermaker” aanmaken").check()
    page.get_by_label("Soort organisatie").select_option("welzijn")
    page.get_by_role("button", name="Partner toevoegen").click()

    assert page.get_by_text("Stichting Kwartiermaker is nu partner van AVK.").is_visible()
    partner = Partnerschap.objects.get(programma=avk, organisatie__naam="Stichting Kwartiermaker")
    assert partner.organisatie.soort == "welzijn"


def test_leader_creates_a_group_with_a_kartrekker(page, live_server, login, avk, assert_accessible):
    login("leider")
    page.goto(f"{live_server.url}/programmas/avk/groepen/")
    assert_accessible()
    page.get_by_role("link", name="Nieuwe groep").click()
    page.get_by_label("Naam").fill("Werkgroep Monitoring en evaluatie")
    page.get_by_label("Soort").select_option("werkgroep")
    assert_accessible()
    _fits_a_phone(page)
    page.get_by_role("button", name="Groep aanmaken").click()

    page.get_by_role("heading", name="Werkgroep Monitoring en evaluatie", level=1).wait_for()
    page.evaluate("window.__zelfde = true")
    assert_accessible()

    # A partner, added in place with htmx: focus lands on the new member and it is announced.
    page.get_by_label("Organisatie").select_option(label="CMO STAMM")
    page.get_by_label("Persoon of functie").fill("Onderzoeker armoede")
    page.get_by_role("button", name="Lid toevoegen").click()
    lid = page.locator(".koers-member", has_text="CMO STAMM")
    lid.wait_for()
    groep = Groep.objects.get(programma=avk)
    member = GroepLid.objects.get(groep=groep)
    _wait_for_focus(page, f"lid-{member.pk}")
    page.wait_for_function(
        "() => document.getElementById('aankondiging').textContent.includes('CMO STAMM')"
    )
    assert page.evaluate("window.__zelfde === true")

    # The kartrekker, chosen among the members.
    page.get_by_role("group", name="Wie trekt de kar?").get_by_label(
        "Onderzoeker armoede — CMO STAMM"
    ).check()
    page.get_by_role("button", name="Kartrekker opslaan").click()
    _wait_for_focus(page, "kartrekkers-kop")
    assert page.get_by_text("Kartrekker: Onderzoeker armoede — CMO STAMM").is_visible()
    member.refresh_from_db()
    assert member.rol == "kartrekker"
    assert_accessible()
    _fits_a_phone(page)

    # The other pages of a group: change a member, the group itself, or delete it.
    page.get_by_role("link", name="Wijzigen Onderzoeker armoede — CMO STAMM").click()
    page.get_by_label("Rol in de groep").wait_for()
    assert_accessible()
    _fits_a_phone(page)
    page.get_by_role("link", name="Annuleren").click()
    page.get_by_role("link", name="Naam en omschrijving wijzigen").click()
    assert_accessible()
    _fits_a_phone(page)
    page.get_by_role("link", name="Annuleren").click()
    page.get_by_role("link", name="Groep verwijderen").click()
    page.get_by_text("Alleen een lege groep kan weg.").wait_for()
    assert_accessible()
    _fits_a_phone(page)

    page.get_by_role("link", name="Groepen", exact=True).last.click()
    page.wait_for_url(f"{live_server.url}/programmas/avk/groepen/")
    card = page.get_by_role("article", name="Werkgroep Monitoring en evaluatie")
    card.get_by_text("Kartrekker").wait_for()  # is_visible() would not wait for the page
    assert_accessible()
    _fits_a_phone(page)
