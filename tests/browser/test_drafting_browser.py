"""Drafting Faseplan 2 from AVK's 2024 eiland van reflectie, in a browser: the preview says
what would change, the confirm applies it, and a second look has nothing left to change."""

import pytest
from django.urls import reverse

from avk.demo import DEMO_PASSWORD
from fasering.models import Faseplan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    # Wherever the site lands after logging in (the programme list, or Mijn werk).
    page.wait_for_url(lambda url: "/inloggen/" not in url)


def _fits_a_phone(page) -> None:
    size = page.viewport_size
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(size)
    assert width <= PHONE_WIDTH, f"{page.url} schuift zijwaarts op {PHONE_WIDTH} px: {width} px"


def test_leader_previews_and_drafts_faseplan_2(page, live_server, demo, assert_accessible):
    # The demo holds Faseplan 2 drafted already; start from before that.
    Faseplan.objects.get(programma__slug="avk", nummer=2).delete()
    _log_in(page, live_server, "leider.avk")
    url = live_server.url + reverse("fasering:draft_next", args=["avk", 2024])

    page.goto(url)
    assert page.get_by_role("heading", level=1).inner_text() == "Faseplan 2 opstellen"
    assert "24 doelen erbij" in page.locator("#samenvatting").inner_text()
    assert "september 2024 \u2013 september 2025" in page.locator("#nieuw-plan").inner_text()
    assert page.get_by_text("1.5 Ouders ervaren dat ze hun kinderen").count() == 1
    assert not Faseplan.objects.filter(programma__slug="avk", nummer=2).exists()
    assert_accessible()
    _fits_a_phone(page)

    page.get_by_role("button", name="Faseplan 2 opstellen").click()
    page.get_by_text("Faseplan 2 is opgesteld uit het eiland van reflectie 2024.").wait_for()
    plan = Faseplan.objects.get(programma__slug="avk", nummer=2)
    assert plan.status == Faseplan.Status.CONCEPT
    assert plan.items.filter(inspanning__isnull=True).count() == 24

    page.goto(url)
    page.get_by_text("Er is niets te wijzigen").wait_for()
    assert page.get_by_role("button", name="Wijzigingen doorvoeren").count() == 0
    assert_accessible()
    _fits_a_phone(page)
