"""Forms and page chrome as a phone, a zoomed browser and forced colours show them."""

import pytest

from avk.demo import DEMO_PASSWORD
from doelenboom.models import Inspanning

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# A 1280 px wide window at 200% zoom lays pages out in 640 CSS pixels.
ZOOMED = {"width": 640, "height": 400}


def _log_in(page, live_server, username: str = "leider.kvnh") -> None:
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/mijn-werk/")


def _edit_url(live_server, inspanning: Inspanning) -> str:
    return (
        f"{live_server.url}/programmas/{inspanning.programma.slug}/doelenboom/"
        f"inspanning/{inspanning.pk}/bewerken/"
    )


def test_header_takes_less_than_a_fifth_of_a_phone_screen(new_context, live_server, demo):
    page = new_context(viewport=PHONE).new_page()
    _log_in(page, live_server)

    page.goto(f"{live_server.url}/programmas/kvnh/doelenboom/")

    height = page.locator("header.koers-header").bounding_box()["height"]
    assert height < PHONE["height"] / 5, f"header {height} px"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Every navigation link is still there and can be reached by keyboard.
    nav = page.get_by_role("navigation", name="Programmanavigatie")
    for name in ("Overzicht", "Doelenboom", "Partners"):
        link = nav.get_by_role("link", name=name)
        link.focus()
        assert page.evaluate("document.activeElement.textContent.trim()") == name


def test_goal_list_of_an_inspanning_stays_within_its_form_on_a_phone(
    new_context, live_server, demo
):
    page = new_context(viewport=PHONE).new_page()
    _log_in(page, live_server, "leider.avk")
    # AVK's 26 goals include long ones that once widened the list past the form.
    inspanning = Inspanning.objects.filter(programma__slug="avk", code="A1").get()

    page.goto(_edit_url(live_server, inspanning))

    form = page.locator("form.koers-edit").bounding_box()
    for selector in (".koers-checklist", ".koers-checklist label"):
        for box in page.locator(selector).evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().right)"
        ):
            assert box <= form["x"] + form["width"] + 0.5, selector
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_selects_show_an_arrow_fit_a_zoomed_page_and_fall_back_in_forced_colours(
    new_context, live_server, demo
):
    page = new_context(viewport=ZOOMED).new_page()
    _log_in(page, live_server)
    inspanning = Inspanning.objects.filter(programma__slug="kvnh", code="3b").get()
    page.goto(_edit_url(live_server, inspanning))
    select = page.get_by_label("Categorie")

    style = select.evaluate(
        "el => { const s = getComputedStyle(el); return [s.appearance, s.backgroundImage]; }"
    )
    assert style[0] == "none" and "select-pijl.svg" in style[1]
    arrow = page.evaluate(
        "fetch(getComputedStyle(document.querySelector('.utrecht-select'))"
        ".backgroundImage.slice(5, -2)).then(r => r.status)"
    )
    assert arrow == 200  # served from static/img, allowed by the CSP
    form = page.locator("form.koers-edit").bounding_box()
    for right in page.locator("select").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().right)"
    ):
        assert right <= form["x"] + form["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= ZOOMED["width"]

    page.emulate_media(forced_colors="active")
    style = select.evaluate(
        "el => { const s = getComputedStyle(el); return [s.appearance, s.backgroundImage]; }"
    )
    assert style == ["auto", "none"]
