"""Archiving and deleting a programme in the browser: keyboard, focus, axe-core, a phone."""

import pytest

from programmes.lifecycle import archive_programma
from programmes.models import Programma
from tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# One long word, which pushes a narrow page sideways unless the page wraps it.
LONG_WORD = "Samenwerkingsverbandprogrammaregiovisiesociaaldomeinkopvannoordholland"
LONG_NAME = "Regiovisie Sociaal Domein Kop van Noord-Holland 2024-2029, proefomgeving"


@pytest.fixture
def admin(db):
    user = builders.user("beheerder")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def prog(db):
    programma = builders.programma(naam="Proefprogramma Koers", slug="proef", korte_naam="Proef")
    goal = builders.goal_chain(programma, code="1.1")
    hanze = builders.partner(programma, naam="Hanzehogeschool", slug="hanze")
    builders.inspanning(programma, doelen=[goal], partners=[(hanze, "trekker")])
    builders.member(programma, "programmaleider", "leider")
    return programma


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_admin_archives_a_programme_and_restores_it(
    page, live_server, login, admin, prog, assert_accessible
):
    login("beheerder")
    page.goto(f"{live_server.url}/programmas/proef/")
    beheer = page.get_by_role("region", name="Beheer van dit programma")
    beheer.get_by_role("link", name="Archiveren").click()
    page.wait_for_url(f"{live_server.url}/programmas/proef/archiveren/")
    assert page.get_by_role("heading", name="Programma archiveren", level=1).is_visible()
    assert_accessible()

    page.get_by_role("button", name="Archiveren").click()
    # Wait for the answer itself: right after a click, the old page may still be there.
    page.locator("#foutenoverzicht").wait_for()
    assert _focused(page) == "foutenoverzicht"
    assert page.title().startswith("Fout:")
    assert_accessible()

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert _focused(page) == "id_reden"
    page.keyboard.type("Proef afgerond")
    page.keyboard.press("Enter")

    page.wait_for_url(f"{live_server.url}/programmas/")
    archive = page.get_by_role("region", name="Gearchiveerd")
    assert archive.get_by_role("link", name="Proefprogramma Koers").is_visible()
    assert page.locator(".koers-cards").count() == 0
    assert_accessible()

    archive.get_by_role("link", name="Proefprogramma Koers").click()
    page.wait_for_url(f"{live_server.url}/programmas/proef/")
    assert page.get_by_text("Dit programma is gearchiveerd en alleen te lezen.").is_visible()
    assert_accessible()

    page.get_by_role("button", name="Terugzetten uit het archief").click()
    page.wait_for_url(f"{live_server.url}/programmas/proef/")
    assert page.get_by_text("is teruggezet uit het archief").is_visible()
    prog.refresh_from_db()
    assert prog.gearchiveerd_op is None


def test_admin_deletes_a_programme_after_typing_its_name(
    page, live_server, login, admin, prog, assert_accessible
):
    login("beheerder")
    page.goto(f"{live_server.url}/programmas/proef/")
    page.get_by_role("region", name="Beheer van dit programma").get_by_role(
        "link", name="Verwijderen"
    ).click()
    page.wait_for_url(f"{live_server.url}/programmas/proef/verwijderen/")
    assert page.get_by_text("1 inspanning", exact=True).is_visible()
    assert_accessible()

    page.get_by_label("Naam van het programma").fill("Proefprogramma")
    page.get_by_role("button", name="Definitief verwijderen").click()
    page.locator("#foutenoverzicht").wait_for()
    assert _focused(page) == "foutenoverzicht"
    field = page.get_by_label("Naam van het programma")
    assert field.get_attribute("aria-invalid") == "true"
    assert Programma.objects.filter(slug="proef").exists()
    assert_accessible()

    field.fill("Proefprogramma Koers")
    field.press("Enter")
    page.wait_for_url(f"{live_server.url}/programmas/")
    assert page.get_by_text("Programma „Proefprogramma Koers” is verwijderd").is_visible()
    assert not Programma.objects.filter(slug="proef").exists()


def test_lifecycle_pages_do_not_scroll_sideways_on_a_phone(new_context, live_server, admin, prog):
    prog.naam = LONG_WORD
    prog.save()
    other = builders.programma(naam=LONG_NAME, slug="ander")
    archive_programma(other, reason="Proef")
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("beheerder")
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/mijn-werk/")

    too_wide = []
    for url in [
        "/programmas/",
        "/programmas/ander/",
        "/programmas/proef/",
        "/programmas/proef/archiveren/",
        "/programmas/proef/verwijderen/",
        "/programmas/ander/verwijderen/",
    ]:
        page.goto(f"{live_server.url}{url}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{url}: {width} px")
    assert not too_wide, "Deze pagina's schuiven zijwaarts op 390 px:\n" + "\n".join(too_wide)
