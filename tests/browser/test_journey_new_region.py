"""Journey 7 from start to finish: a new region's leader starts a programme, invites the team,
adds partners and a group, builds the tree from their spreadsheet and sees it; axe-core and the
Nu HTML Checker on every page the journey passes, all without the Django admin."""

import re

import pytest
from django.core import mail

from doelenboom.models import Inspanning, OperationeelDoel
from programmes.models import Groep, Lidmaatschap, Organisatie, Programma, Rol
from tests import builders
from tests.browser.conftest import WCAG_21_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LINK = re.compile(r"https?://[^/\s]+(/uitnodiging/[A-Za-z0-9_-]+/)")
HEADER = ["Code", "Categorie", "Project", "Zodat (doel)", "Partners", "Thema"]


def _sheet(category_of_row_3: str) -> bytes:
    return builders.xlsx(
        [
            [
                "3a",
                "Project",
                "Preventieve schuldhulp",
                "3.1 Minder schulden",
                "Hanzehogeschool Groningen (trekker)",
                "Bestaanszekerheid",
            ],
            [
                "3b",
                category_of_row_3,
                "Wijkteams versterken",
                "3.2 Sterke wijken",
                "Buurtteam Noord",
                "Bestaanszekerheid",
            ],
            [
                "3c",
                "Actie",
                "Vroegsignalering",
                "3.1 Minder schulden",
                "GGD Hollands Noorden",
                "Bestaanszekerheid",
            ],
        ],
        HEADER,
    )


@pytest.fixture
def check(axe, html_pages, request):
    """axe-core at zero violations, and the page to the Nu HTML Checker, in any context."""

    def _check(page) -> None:
        results = axe.run(page, options=WCAG_21_AA)
        assert results.violations_count == 0, results.generate_report()
        html_pages.save(page.content(), f"{request.node.nodeid} {page.url}")

    return _check


def _upload(page, data: bytes) -> None:
    page.get_by_label("Excel-bestand (.xlsx)").set_input_files(
        {"name": "projecten-op-een-rij.xlsx", "mimeType": XLSX, "buffer": data}
    )
    page.get_by_role("button", name="Bestand controleren").click()
    page.wait_for_load_state()


def test_a_new_region_runs_its_own_programme_in_one_afternoon(
    page, live_server, login, new_context, check, settings
):
    settings.KOERS_OPEN_PROGRAMME_CREATION = True
    leader = builders.user("lotte")
    leader.first_name, leader.last_name, leader.email = "Lotte", "de Boer", "lotte@west.nl"
    leader.save()
    # Organisations already in Koers through other programmes.
    Organisatie.objects.create(naam="Hanzehogeschool Groningen", slug="hanzehogeschool")
    Organisatie.objects.create(naam="GGD Hollands Noorden", slug="ggd-hn", soort="zorg")
    login("lotte")
    check(page)

    # 1. Create the programme, naming the tree levels the way the region's plan does.
    page.get_by_role("link", name="Nieuw programma").click()
    page.get_by_label("Naam", exact=True).fill("Regiovisie West-Friesland")
    page.get_by_label("Afkorting").fill("WF")
    page.get_by_label("Beginjaar").fill("2026")
    page.get_by_label("Eindjaar").fill("2030")
    page.get_by_label("Niveau 2, enkelvoud").fill("Thema")
    page.get_by_label("Niveau 2, meervoud").fill("Thema's")
    page.get_by_label("Niveau 4, enkelvoud").fill("Project")
    page.get_by_label("Niveau 4, meervoud").fill("Projecten")
    check(page)
    page.get_by_role("button", name="Programma starten").click()
    page.get_by_role("heading", name="Regiovisie West-Friesland", level=1).wait_for()
    programma = Programma.objects.get(naam="Regiovisie West-Friesland")
    base = f"{live_server.url}/programmas/{programma.slug}"
    check(page)

    # 2. Invite a team member; they accept the mailed link in their own browser.
    page.get_by_role("link", name="Uw team uitnodigen").click()
    page.get_by_role("heading", name="Leden", level=1).wait_for()
    check(page)
    page.get_by_label("E-mailadres").fill("noor@west.nl")
    page.get_by_label("Rol", exact=True).select_option("programmateam")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.locator("#leden-melding").get_by_text("noor@west.nl is uitgenodigd").wait_for()
    check(page)

    link = LINK.search(mail.outbox[-1].body).group(1)
    invitee = new_context().new_page()
    invitee.goto(f"{live_server.url}{link}")
    check(invitee)
    invitee.get_by_label("Voornaam").fill("Noor")
    invitee.get_by_label("Achternaam").fill("Bakker")
    invitee.get_by_label("Wachtwoord", exact=True).fill("tulpenveld-Hoorn-2026")
    invitee.get_by_label("Wachtwoord herhalen").fill("tulpenveld-Hoorn-2026")
    invitee.get_by_role("button", name="Account maken en uitnodiging aannemen").click()
    invitee.wait_for_url(f"{base}/")
    check(invitee)
    assert Lidmaatschap.objects.get(programma=programma, user__email="noor@west.nl").rol == (
        Rol.PROGRAMMATEAM
    )
    invitee.get_by_role("navigation", name="Programmanavigatie").get_by_role(
        "link", name="Doelenboom"
    ).click()
    invitee.get_by_role("heading", name="Doelenboom", level=1).wait_for()

    # 3. Partners (one chosen from the suggestions) and a group with its kartrekker.
    page.goto(f"{base}/partners/")
    check(page)
    page.get_by_role("link", name="Partner toevoegen").click()
    page.wait_for_load_state()  # htmx must be listening before the name is typed
    page.get_by_label("Naam van de organisatie").fill("Hanzehogeschool")
    choices = page.get_by_role("group", name="Welke organisatie bedoelt u?")
    choices.get_by_role("radio", name="Hanzehogeschool Groningen").check()
    check(page)
    page.get_by_role("button", name="Partner toevoegen").click()
    page.get_by_text("Hanzehogeschool Groningen is nu partner van WF.").wait_for()
    check(page)

    page.goto(f"{base}/groepen/")
    check(page)
    page.get_by_role("link", name="Nieuwe groep").click()
    page.get_by_label("Naam").fill("Coalitie Bestaanszekerheid")
    page.get_by_label("Soort").select_option("coalitie")
    check(page)
    page.get_by_role("button", name="Groep aanmaken").click()
    page.get_by_role("heading", name="Coalitie Bestaanszekerheid", level=1).wait_for()
    page.get_by_label("Organisatie").select_option(label="Hanzehogeschool Groningen")
    page.get_by_label("Persoon of functie").fill("Lector armoede")
    page.get_by_role("button", name="Lid toevoegen").click()
    page.get_by_role("group", name="Wie trekt de kar?").get_by_label(
        "Lector armoede — Hanzehogeschool Groningen"
    ).check()
    page.get_by_role("button", name="Kartrekker opslaan").click()
    page.get_by_text("Kartrekker: Lector armoede — Hanzehogeschool Groningen").wait_for()
    check(page)
    assert Groep.objects.get(programma=programma).leden.get().rol == "kartrekker"

    # 4. Upload the sheet: one row has an error no choice can fix.
    page.goto(f"{base}/")
    page.get_by_role("link", name="Een overzicht „inspanningen op een rij” uploaden").click()
    _upload(page, _sheet(category_of_row_3="Feestje"))
    alert = page.get_by_role("alert")
    assert "Het bestand is niet ingelezen" in alert.inner_text()
    assert "rij 3" in alert.inner_text().lower()
    check(page)
    assert not Inspanning.objects.filter(programma=programma).exists()

    # 5. Fix that row and upload again: now the preview offers what is missing.
    _upload(page, _sheet(category_of_row_3="Actie"))
    assert page.get_by_role(
        "group", name=re.compile(r"2 operationele doelstellingen bestaan nog niet")
    ).count()
    assert page.get_by_role(
        "group", name=re.compile(r"2 organisaties zijn nog geen partner")
    ).count()
    check(page)
    page.get_by_label("Ambitie: titel").fill("Iedereen doet mee")
    page.get_by_role("group", name="„GGD Hollands Noorden” (rij 4)").get_by_role(
        "radio", name="GGD Hollands Noorden", exact=True
    ).check()
    page.get_by_role("button", name="Keuzes controleren").click()
    page.wait_for_load_state()
    check(page)
    page.get_by_role("button", name="Wijzigingen doorvoeren").click()
    page.wait_for_url(f"{base}/doelenboom/")

    # 6. The tree is there, in the region's own words.
    page.get_by_text("Excel-import doorgevoerd: 3 toegevoegd").wait_for()
    assert page.get_by_role("link", name="3a Preventieve schuldhulp").first.is_visible()
    check(page)
    assert sorted(
        OperationeelDoel.objects.filter(strategisch_doel__ambitie__programma=programma).values_list(
            "code", "strategisch_doel__titel"
        )
    ) == [("3.1", "Bestaanszekerheid"), ("3.2", "Bestaanszekerheid")]
    assert sorted(programma.organisaties.values_list("naam", flat=True)) == [
        "Buurtteam Noord",
        "GGD Hollands Noorden",
        "Hanzehogeschool Groningen",
    ]
