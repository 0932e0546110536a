"""Members and invitations in the browser: inviting with htmx, accepting the mailed link in a
fresh browser, confirmation steps, focus, axe-core, and a phone's width."""

import re

import pytest
from django.core import mail

from programmes import members
from programmes.models import Lidmaatschap, Rol
from tests import builders
from tests.browser.conftest import WCAG_21_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"https?://[^/\s]+(/uitnodiging/[A-Za-z0-9_-]+/)")


@pytest.fixture
def programme(db):
    prog = builders.programma(
        naam="Regiovisie Kop van Noord-Holland", slug="kvnh", korte_naam="KvNH"
    )
    leider = builders.member(prog, "programmaleider", "leider")
    leider.first_name, leider.last_name, leider.email = "Lotte", "Leider", "lotte@example.org"
    leider.save()
    lezer = builders.member(prog, "lezer", "lezer")
    lezer.first_name, lezer.last_name = "Lars", "Lezer"
    lezer.save()
    return prog


@pytest.fixture
def check(axe, html_pages, request):
    """axe-core and the Nu HTML Checker on any page, also one of another browser context."""

    def _check(page) -> None:
        results = axe.run(page, options=WCAG_21_AA)
        assert results.violations_count == 0, results.generate_report()
        html_pages.save(page.content(), f"{request.node.nodeid} {page.url}")

    return _check


def _wait_for_focus(page, element_id: str) -> None:
    page.wait_for_function("(id) => document.activeElement.id === id", arg=element_id)


def _fits_a_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_leader_invites_and_the_invitee_sets_a_password_and_lands_on_the_programme(
    page, live_server, login, programme, new_context, check, assert_accessible
):
    login("leider")
    page.goto(f"{live_server.url}/programmas/kvnh/leden/")
    page.evaluate("window.__zelfde = true")
    assert page.get_by_role("heading", name="Leden", level=1).is_visible()
    assert_accessible()

    page.get_by_label("E-mailadres").fill("noor@example.org")
    page.get_by_label("Rol", exact=True).select_option("programmateam")
    page.get_by_role("button", name="Uitnodiging versturen").click()

    notice = page.locator("#leden-melding")
    notice.wait_for()
    _wait_for_focus(page, "leden-melding")
    assert "noor@example.org is uitgenodigd als Programmateam" in notice.inner_text()
    assert page.evaluate("window.__zelfde === true")  # swapped in place, no reload
    assert page.get_by_role("heading", name="noor@example.org", level=3).is_visible()
    assert_accessible()

    link = LINK.search(mail.outbox[-1].body).group(1)
    invitee = new_context().new_page()
    invitee.goto(f"{live_server.url}{link}")
    assert invitee.get_by_role(
        "heading", name="Uitnodiging voor Regiovisie Kop van Noord-Holland"
    ).is_visible()
    check(invitee)
    invitee.get_by_label("Voornaam").fill("Noor")
    invitee.get_by_label("Achternaam").fill("de Vries")
    invitee.get_by_label("Wachtwoord", exact=True).fill("zeilboot-Texel-2026")
    invitee.get_by_label("Wachtwoord herhalen").fill("zeilboot-Texel-2026")
    invitee.get_by_role("button", name="Account maken en uitnodiging aannemen").click()

    invitee.wait_for_url(f"{live_server.url}/programmas/kvnh/")
    assert invitee.get_by_text("Welkom in Koers. U bent nu Programmateam").is_visible()
    check(invitee)
    assert Lidmaatschap.objects.get(user__email="noor@example.org").rol == Rol.PROGRAMMATEAM


def test_a_used_link_says_so_in_a_fresh_browser(
    live_server, programme, new_context, check, console_errors
):
    console_errors.allow(r"\b410\b", url="/uitnodiging/")
    leider = programme.lidmaatschappen.get(rol=Rol.PROGRAMMALEIDER).user
    members.invite_member(
        programma=programme,
        email="noor@example.org",
        rol=Rol.LEZER,
        invited_by=leider,
        absolute_url=lambda path: f"{live_server.url}{path}",
    )
    link = LINK.search(mail.outbox[-1].body).group(1)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    members.accept_invitation(
        token,
        account=members.NewAccount(first_name="Noor", last_name="de Vries", password="x9!kT-lang"),
    )

    page = new_context().new_page()
    page.goto(f"{live_server.url}{link}")

    assert page.get_by_role("heading", name="Deze uitnodiging is al gebruikt").is_visible()
    check(page)


def test_confirmation_steps_inline_and_as_pages(
    page, live_server, login, programme, assert_accessible
):
    lezer = Lidmaatschap.objects.get(user__username="lezer")
    login("leider")
    page.goto(f"{live_server.url}/programmas/kvnh/leden/")

    # htmx: the confirmation opens inside the member's card, with focus on the question.
    page.get_by_role("link", name="Toegang intrekken van Lars Lezer").click()
    _wait_for_focus(page, f"lid-{lezer.pk}-vraag")
    assert_accessible()
    page.get_by_role("link", name="Annuleren").click()
    _wait_for_focus(page, f"lid-{lezer.pk}-naam")

    page.get_by_label("Nieuwe rol voor Lars Lezer").select_option("stuurgroep")
    page.get_by_role("button", name="Rol wijzigen van Lars Lezer").click()
    _wait_for_focus(page, f"lid-{lezer.pk}-vraag")
    page.get_by_role("button", name="Ja, rol wijzigen").click()
    page.locator("#leden-melding").wait_for()
    _wait_for_focus(page, "leden-melding")
    assert "De rol van Lars Lezer is nu Stuurgroep." in page.locator("#leden-melding").inner_text()
    lezer.refresh_from_db()
    assert lezer.rol == Rol.STUURGROEP
    assert_accessible()

    # Without htmx: each confirmation is a page of its own.
    page.goto(f"{live_server.url}/programmas/kvnh/leden/{lezer.pk}/toegang-intrekken/")
    assert page.get_by_role("heading", name="Toegang intrekken", level=1).is_visible()
    assert_accessible()
    page.goto(f"{live_server.url}/programmas/kvnh/leden/{lezer.pk}/rol/")
    page.get_by_label("Nieuwe rol").select_option("lezer")
    page.get_by_role("button", name="Verder").click()
    page.get_by_role("button", name="Ja, rol wijzigen").wait_for()
    assert_accessible()
    page.get_by_role("button", name="Ja, rol wijzigen").click()
    page.wait_for_url(f"{live_server.url}/programmas/kvnh/leden/")
    lezer.refresh_from_db()
    assert lezer.rol == Rol.LEZER

    members.invite_member(
        programma=programme,
        email="sanne@example.org",
        rol=Rol.LEZER,
        invited_by=lezer.programma.lidmaatschappen.get(rol=Rol.PROGRAMMALEIDER).user,
        absolute_url=lambda path: f"{live_server.url}{path}",
    )
    invitation = programme.uitnodigingen.get()
    page.goto(f"{live_server.url}/programmas/kvnh/leden/uitnodigingen/{invitation.pk}/intrekken/")
    assert_accessible()
    page.get_by_role("button", name="Ja, uitnodiging intrekken").click()
    page.wait_for_url(f"{live_server.url}/programmas/kvnh/leden/")
    assert page.get_by_text("De uitnodiging van sanne@example.org is ingetrokken").is_visible()


def test_member_pages_fit_a_phone(live_server, programme, new_context):
    lezer = Lidmaatschap.objects.get(user__username="lezer")
    lezer.user.email = "een-heel-lang-adres.van.iemand@gemeente-hollands-kroon.example.nl"
    lezer.user.save()
    members.invite_member(
        programma=programme,
        email="nog-een-heel-lang-adres@gemeente-den-helder.example.nl",
        rol=Rol.COALITIELID,
        invited_by=programme.lidmaatschappen.get(rol=Rol.PROGRAMMALEIDER).user,
        absolute_url=lambda path: f"{live_server.url}{path}",
    )
    invitation = programme.uitnodigingen.get()
    link = LINK.search(mail.outbox[-1].body).group(1)

    anonymous = new_context(viewport=PHONE).new_page()
    anonymous.goto(f"{live_server.url}{link}")
    _fits_a_phone(anonymous)

    page = new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("leider")
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/mijn-werk/")
    for path in [
        "/programmas/kvnh/leden/",
        f"/programmas/kvnh/leden/{lezer.pk}/toegang-intrekken/",
        f"/programmas/kvnh/leden/{lezer.pk}/rol/",
        f"/programmas/kvnh/leden/uitnodigingen/{invitation.pk}/intrekken/",
    ]:
        page.goto(f"{live_server.url}{path}")
        _fits_a_phone(page)
