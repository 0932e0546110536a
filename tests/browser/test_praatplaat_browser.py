import re

import pytest

from avk.demo import DEMO_PASSWORD
from doelenboom.models import Ambitie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_praatplaat_of_kvnh_ambitie_3_passes_axe_and_prints_on_one_a4_landscape_page(
    page, live_server, login, assert_accessible, demo
):
    ambitie = Ambitie.objects.get(programma__slug="kvnh", code="3")
    login("leider.kvnh", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/programmas/kvnh/ambities/{ambitie.pk}/praatplaat/")

    assert page.get_by_role("heading", level=1, name=re.compile(ambitie.titel)).is_visible()
    assert page.get_by_role("heading", level=2, name="Veelgestelde vragen").is_visible()
    assert page.get_by_role("link", name="3b De Kop in Beeld").is_visible()
    assert page.get_by_role("link", name="Terug naar de doelenboom").is_visible()
    assert_accessible()

    page.emulate_media(media="print")
    assert page.get_by_role("button", name="Afdrukken of opslaan als PDF").is_hidden()
    # Printed with background graphics on, the paper stays white: no grey page behind.
    for element in ("document.documentElement", "document.body"):
        colour = page.evaluate(f"getComputedStyle({element}).backgroundColor")
        assert colour in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), (element, colour)
    pdf = page.pdf(format="A4", landscape=True, prefer_css_page_size=True, print_background=True)

    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    # The named page's own size: A4 landscape (842 by 595 pt).
    width, height = map(float, re.search(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups())
    assert round(width) == 842 and round(height) == 595


def test_print_button_opens_the_print_dialog(page, live_server, login, demo):
    ambitie = Ambitie.objects.get(programma__slug="kvnh", code="4")
    login("leider.kvnh", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/programmas/kvnh/ambities/{ambitie.pk}/praatplaat/")
    # Count the calls instead of opening a real dialog (set from the test, not the page).
    page.evaluate("() => { window.__afgedrukt = 0; window.print = () => window.__afgedrukt++; }")

    page.get_by_role("button", name="Afdrukken of opslaan als PDF").click()

    assert page.evaluate("window.__afgedrukt") == 1


def test_without_javascript_the_page_explains_printing_and_shows_no_dead_button(
    page_without_javascript, live_server, demo
):
    ambitie = Ambitie.objects.get(programma__slug="kvnh", code="3")
    page = page_without_javascript("leider.kvnh", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/programmas/kvnh/ambities/{ambitie.pk}/praatplaat/")

    assert page.get_by_role("button", name="Afdrukken of opslaan als PDF").count() == 0
    assert page.get_by_text("en als printer", exact=False).is_visible()
    page.context.close()
