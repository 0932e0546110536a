"""Mijn werk and the profile in a browser: where a login lands, accessible and readable at
390 px, and the reminder switch worked by keyboard alone."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from avk.demo import DEMO_PASSWORD
from doelenboom.models import Inspanning
from fasering.models import Faseplan, Licht, Opmerking, Statusupdate
from programmes.models import Profiel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    # Logging in lands on Mijn werk.
    page.wait_for_url(f"{live_server.url}/mijn-werk/")


def _fits_a_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} schuift zijwaarts: {width} px"


def test_kartrekker_lands_on_my_work_and_turns_reminders_off_by_keyboard(
    page, live_server, demo, assert_accessible
):
    carried = Inspanning.objects.filter(
        programma__slug="avk", groep__naam="Werkgroep Monitoring en evaluatie"
    ).order_by("volgorde", "code", "pk")
    recent, old = carried[0], carried[1]
    today = timezone.localdate()
    Statusupdate.objects.create(
        inspanning=recent, datum=today, licht=Licht.AANDACHT, gebeurd="Eerste meting gedaan."
    )
    Statusupdate.objects.create(
        inspanning=old,
        datum=today - datetime.timedelta(days=120),
        licht=Licht.OP_KOERS,
        gebeurd="Gestart.",
    )
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, "kartrekker.avk")

    expect(page.get_by_role("heading", name="Mijn werk", level=1)).to_be_visible()
    cards = page.get_by_role("list", name="Inspanningen van uw groepen in AVK").get_by_role(
        "listitem"
    )
    expect(cards).to_have_count(carried.count())
    card = cards.filter(has_text=old.titel)
    expect(card.get_by_text("Geen update in 90 dagen")).to_be_visible()
    expect(card.get_by_text("Op koers")).to_be_visible()
    expect(cards.filter(has_text=recent.titel).get_by_text("Aandacht nodig")).to_be_visible()
    expect(card.get_by_role("link", name=f"Update geven over {old.titel}")).to_be_visible()
    assert_accessible()
    _fits_a_phone(page)

    page.get_by_role("link", name="Herinneringen aan- of uitzetten").click()
    page.wait_for_url(f"{live_server.url}/profiel/")
    switch = page.get_by_role("switch", name="Herinneringen per e-mail")
    expect(switch).to_be_checked()
    assert_accessible()
    _fits_a_phone(page)

    # By keyboard: Tab from the last name to the switch, Space turns it off, Tab, Enter saves.
    page.get_by_label("Achternaam").focus()
    page.keyboard.press("Tab")
    expect(switch).to_be_focused()
    page.keyboard.press("Space")
    expect(switch).not_to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Opslaan")).to_be_focused()
    page.keyboard.press("Enter")

    page.get_by_text("Herinneringen per e-mail staan uit").wait_for()
    expect(page.get_by_role("switch", name="Herinneringen per e-mail")).not_to_be_checked()
    assert Profiel.objects.get(user__username="kartrekker.avk").herinneringen is False
    assert_accessible()
    _fits_a_phone(page)


def test_stuurgroep_member_sees_their_open_remark_and_the_leader_an_empty_state(
    page, live_server, demo, assert_accessible
):
    plan = Faseplan.objects.filter(programma__slug="avk").order_by("nummer").first()
    Opmerking.objects.create(
        faseplan=plan,
        sectie="begroting",
        tekst="Is de bijdrage van de gemeenten voor 2024 al toegezegd?",
        auteur=get_user_model().objects.get(username="stuurgroep.avk"),
    )
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, "stuurgroep.avk")

    remarks = page.get_by_role("region", name="Uw open opmerkingen")
    expect(remarks.get_by_role("link", name=f"{plan.titel}, bij de begroting")).to_be_visible()
    expect(remarks.get_by_text("Nog niet beantwoord")).to_be_visible()
    assert_accessible()
    _fits_a_phone(page)

    page.context.clear_cookies()
    _log_in(page, live_server, "leider.avk")
    expect(
        page.get_by_text("Uw groepen voeren zelf geen projecten of inspanningen uit")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Voortgang van AVK")).to_be_visible()
    assert_accessible()
    _fits_a_phone(page)
