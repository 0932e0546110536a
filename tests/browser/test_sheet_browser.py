"""The Excel import page in the browser: upload, preview, errors, confirmation and axe-core."""

import pytest

from doelenboom.models import Inspanning, OperationeelDoel
from programmes.models import Organisatie
from programmes.services import create_programma
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

    table = page.get_by_role("table", name="Wat de import met elke gewijzigde rij doet")
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
    assert "rij 2, cel B2: categorie 'Feest' bestaat niet" in alert.inner_text()
    assert "1 operationele doelstelling bestaat nog niet (rij 2)" in alert.inner_text()
    assert page.evaluate("document.activeElement.id") == "foutenoverzicht"
    assert page.title().startswith("Fout:")
    assert Inspanning.objects.get(code="A1").titel == "Inzetten op vroegsignalering"
    assert_accessible()


def test_a_new_region_builds_its_tree_from_the_sheet_by_keyboard_and_passes_axe(
    page, live_server, login, assert_accessible
):
    leider = builders.user("leider.west")
    west = create_programma(
        user=leider, naam="Regio West", slug="west", looptijd_start=2025, looptijd_eind=2030
    )
    Organisatie.objects.create(naam="Hanzehogeschool Groningen", slug="hanze")
    login("leider.west")
    page.goto(f"{live_server.url}/programmas/west/doelenboom/importeren/")

    _upload(
        page,
        _xlsx(
            [
                ["A1", "Actie", "Vroegsignalering", "1.1 Huishoudens in beeld", "Hanze (trekker)"],
                ["A2", "Onderzoeken", "Monitor", "1.2", "Buurtteam Noord"],
            ]
        ),
    )
    goals = page.get_by_role("group", name="2 operationele doelstellingen bestaan nog niet")
    assert goals.get_by_role("table", name="Nieuwe operationele doelstellingen").is_visible()
    assert page.get_by_role("group", name="2 organisaties zijn nog geen partner").is_visible()
    assert page.get_by_role("button", name="Wijzigingen doorvoeren").count() == 0
    assert_accessible()

    # Checking with the titles still empty: an error summary that links to each field.
    page.get_by_role("button", name="Keuzes controleren").click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    assert "Controleer uw keuzes" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "keuzefouten"
    assert page.title().startswith("Fout:")
    assert_accessible()
    summary.get_by_role("link", name="Ambitie: titel").click()
    assert page.evaluate("document.activeElement.id") == "keuze-ambitie-titel"

    page.keyboard.type("Niemand in armoede")
    page.get_by_label("Strategische doelstelling: titel bij „Nieuw”").fill("Bestaanszekerheid")
    page.get_by_role("group", name="„Hanze” (rij 2)").get_by_label(
        "Hanzehogeschool Groningen"
    ).check()
    page.get_by_role("button", name="Keuzes controleren").click()
    page.wait_for_load_state()

    assert page.evaluate("document.activeElement.id") == "voorvertoning-kop"
    assert page.get_by_text("Partners: Hanzehogeschool Groningen (trekker)").is_visible()
    assert not OperationeelDoel.objects.exists()
    assert_accessible()
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name="Wijzigingen doorvoeren").click()
    page.wait_for_url(f"{live_server.url}/programmas/west/doelenboom/")

    assert page.get_by_text("Excel-import doorgevoerd: 2 toegevoegd").is_visible()
    assert list(
        OperationeelDoel.objects.filter(strategisch_doel__ambitie__programma=west)
        .order_by("code")
        .values_list("code", "strategisch_doel__titel", "strategisch_doel__ambitie__titel")
    ) == [
        ("1.1", "Bestaanszekerheid", "Niemand in armoede"),
        ("1.2", "Bestaanszekerheid", "Niemand in armoede"),
    ]
    assert sorted(west.organisaties.values_list("naam", flat=True)) == [
        "Buurtteam Noord",
        "Hanzehogeschool Groningen",
    ]
