"""The Excel import page in the browser: upload, preview, errors, confirmation and axe-core."""

import pytest

from doelenboom.models import Inspanning
from tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = builders.SHEET_HEADER
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def tree(db):
    prog = builders.programma(naam="Alliantie van Kracht", slug="avk", korte_naam="AVK")
    builders.member(prog, "programmaleider", "leider")
    builders.vroegsignalering(prog, code="1.7", partner_naam="Hanzehogeschool Groningen")
    return prog


def _xlsx(rows: list[list], header: list[str] = HEADER, title: str = "Inspanningen") -> bytes:
    return builders.xlsx(rows, header, title)


def _upload(page, data: bytes) -> None:
    page.get_by_label("Excel-bestand (.xlsx)").set_input_files(
        {"name": "inspanningen.xlsx", "mimeType": XLSX, "buffer": data}
    )
    page.get_by_role("button", name="Bestand controleren").click()
    page.wait_for_load_state()


def test_import_page_preview_and_confirmation_pass_axe(
    page, live_server, login, tree, assert_accessible
):
    login("leider")
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/importeren/")
    assert page.get_by_role("heading", name="Inspanningen importeren uit Excel").is_visible()
    assert page.get_by_role("link", name="Download de inspanningen als Excel-bestand (.xlsx)")
    assert_accessible()

    _upload(
        page,
        _xlsx(
            [
                ["A1", "Actie", "Vroegsignalering in de wijk", "1.7", "Hanzehogeschool Groningen"],
                ["", "Onderzoeken", "Monitoren van trends", "", ""],
            ]
        ),
    )

    table = page.get_by_role("table", name="Wat de import met elke rij doet")
    assert table.is_visible()
    assert table.get_by_role("rowheader", name="Vroegsignalering in de wijk").is_visible()
    assert page.evaluate("document.activeElement.id") == "voorvertoning-kop"
    assert Inspanning.objects.get(code="A1").titel == "Inzetten op vroegsignalering"
    assert_accessible()

    page.get_by_role("button", name="Wijzigingen doorvoeren").click()
    page.wait_for_url(f"{live_server.url}/programmas/avk/doelenboom/")

    assert page.get_by_text("Excel-import doorgevoerd: 1 toegevoegd, 1 gewijzigd").is_visible()
    assert Inspanning.objects.get(code="A1").titel == "Vroegsignalering in de wijk"
    assert Inspanning.objects.filter(titel="Monitoren van trends").exists()


def test_refused_file_shows_the_errors_with_focus_and_passes_axe(
    page, live_server, login, tree, assert_accessible
):
    login("leider")
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/importeren/")

    _upload(page, _xlsx([["A1", "Feest", "Iets", "9.9", "Onbekend BV"]]))

    alert = page.get_by_role("alert")
    assert "Het bestand is niet ingelezen" in alert.inner_text()
    assert "rij 2, cel D2: doel '9.9' bestaat niet in dit programma." in alert.inner_text()
    assert page.evaluate("document.activeElement.id") == "foutenoverzicht"
    assert page.title().startswith("Fout:")
    assert Inspanning.objects.get(code="A1").titel == "Inzetten op vroegsignalering"
    assert_accessible()
