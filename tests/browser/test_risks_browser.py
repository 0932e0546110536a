"""The risk page in a browser: accessible, usable on a phone, and a risk recorded by form."""

import pytest
from django.urls import reverse

from avk.demo import DEMO_PASSWORD
from fasering.models import Risico

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def _log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("leider.kvnh")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/mijn-werk/")


def _fits_a_phone(page) -> None:
    size = page.viewport_size
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(size)
    assert width <= PHONE_WIDTH, f"{page.url} schuift zijwaarts op {PHONE_WIDTH} px: {width} px"


def test_leader_reads_the_kvnh_risks_and_records_one(page, live_server, demo, assert_accessible):
    _log_in(page, live_server)
    page.goto(live_server.url + reverse("fasering:risks", args=["kvnh"]))

    assert page.get_by_role("heading", name="Randvoorwaarden (6)").is_visible()
    assert page.get_by_role("heading", name="Voldoende uitvoeringscapaciteit en expertise").count()
    assert_accessible()
    _fits_a_phone(page)

    page.get_by_role("link", name="Risico of randvoorwaarde toevoegen").click()
    page.get_by_role("button", name="Toevoegen").click()
    page.get_by_role("alert").get_by_text("Vul de omschrijving in.").wait_for()
    assert_accessible()
    _fits_a_phone(page)

    page.get_by_label("Omschrijving").fill("Te weinig vrijwilligers voor de ontmoetingsplekken")
    page.get_by_label("Kans").select_option("middel")
    page.get_by_label("Hoort bij project of inspanning").select_option(
        label="3a Het Huis van de Kop"
    )
    page.get_by_role("button", name="Toevoegen").click()

    page.get_by_text("Risico vastgelegd.").wait_for()
    risico = Risico.objects.get(omschrijving__startswith="Te weinig vrijwilligers")
    assert (risico.kans, risico.inspanning.code) == ("middel", "3a")
    assert_accessible()
