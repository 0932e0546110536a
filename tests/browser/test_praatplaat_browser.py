import re
from pathlib import Path

import pytest
from django.conf import settings

from avk.demo import DEMO_PASSWORD
from doelenboom.models import Ambitie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRAATPLAAT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "praatplaat.css"
BUILT_CSS = Path(settings.BASE_DIR) / "static" / "dist" / "koers.css"
MARKER = "/* praatplaat */"


def _serve_praatplaat_css_if_not_built(page) -> None:
    """Until build_assets includes praatplaat.css, append it to the served koers.css.

    Not page.add_style_tag: that injects an inline <style>, which the CSP (style-src 'self')
    rightly blocks. Appending to the stylesheet response keeps the CSP as it is.
    """
    built = BUILT_CSS.read_text(encoding="utf-8") if BUILT_CSS.is_file() else ""
    if MARKER in built:
        return
    extra = PRAATPLAAT_CSS.read_text(encoding="utf-8")

    def handle(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text() + "\n" + extra)

    page.route(re.compile(r".*/static/dist/koers\.css.*"), handle)


def test_praatplaat_of_kvnh_ambitie_3_passes_axe_and_prints_on_one_a4_landscape_page(
    page, live_server, login, assert_accessible, demo
):
    ambitie = Ambitie.objects.get(programma__slug="kvnh", code="3")
    _serve_praatplaat_css_if_not_built(page)
    login("leider.kvnh", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/programmas/kvnh/ambities/{ambitie.pk}/praatplaat/")

    assert page.get_by_role("heading", level=1, name=re.compile(ambitie.titel)).is_visible()
    assert page.get_by_role("heading", level=2, name="Veelgestelde vragen").is_visible()
    assert page.get_by_role("link", name="3b De Kop in Beeld").is_visible()
    assert page.get_by_role("link", name="Terug naar de doelenboom").is_visible()
    assert_accessible()

    page.emulate_media(media="print")
    assert page.get_by_text("Afdrukken of opslaan als PDF").is_hidden()
    pdf = page.pdf(format="A4", landscape=True, prefer_css_page_size=True)

    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    # The named page's own size: A4 landscape (842 by 595 pt).
    width, height = map(float, re.search(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups())
    assert round(width) == 842 and round(height) == 595
