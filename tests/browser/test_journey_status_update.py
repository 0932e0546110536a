"""Journey 3: a project lead of KvNH gets the reminder that "De Kop in Beeld" has had no update
for 90 days, follows the link in the mail, logs in, and posts an update by keyboard alone (the
current step "Pilotfase", "aandacht nodig", a few sentences, the next steps). The update is on
the project's timeline and on the programme's dashboard; another group's project refuses them.
axe-core and the HTML checker look at every page on the way, and at the reflection pages."""

import re

import pytest
from django.core import mail

from avk.demo import DEMO_PASSWORD
from doelenboom.models import Inspanning
from fasering.models import Licht, Statusupdate
from fasering.reminders import send_reminders
from tests.browser.conftest import WCAG_21_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"(https?://\S+/status/nieuw/)")


@pytest.fixture
def check(axe, html_pages, request):
    def _check(page) -> None:
        results = axe.run(page, options=WCAG_21_AA)
        assert results.violations_count == 0, results.generate_report()
        html_pages.save(page.content(), f"{request.node.nodeid} {page.url}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} schuift zijwaarts: {width} px"

    return _check


def _tab_to(page, locator, limit: int = 60) -> None:
    """Press Tab until `locator` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} kreeg geen focus na {limit} keer Tab")


def test_a_project_lead_follows_the_reminder_and_posts_an_update_by_keyboard(
    new_context, live_server, demo, check, console_errors
):
    project = Inspanning.objects.get(programma__slug="kvnh", code="3b")
    other_group = Inspanning.objects.get(programma__slug="kvnh", code="3a")
    before = project.statusupdates.count()

    # The daily reminder run: De Kop in Beeld's last update is over 90 days old.
    result = send_reminders(base_url=live_server.url)
    mails = [m for m in mail.outbox if m.to == ["coalitie.kvnh@example.org"]]
    assert len(mails) == 1 and result.sent
    assert "De Kop in Beeld" in mails[0].body
    links = [link for link in LINK.findall(mails[0].body) if f"/{project.pk}/" in link]
    assert len(links) == 1

    # The link asks for a login first, then opens the update form.
    page = new_context(viewport=PHONE).new_page()
    page.goto(links[0])
    page.wait_for_url(re.compile(r"/inloggen/"))
    check(page)
    _tab_to(page, page.get_by_label("Gebruikersnaam"))
    page.keyboard.type("coalitie.kvnh")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(links[0])
    page.get_by_role("heading", name="Status bijwerken", level=1).wait_for()
    check(page)

    # The current step is the one last reported; the light, the text and the next steps by
    # keyboard.
    step = page.get_by_label("Huidige stap")
    assert step.locator("option:checked").inner_text().endswith("Pilotfase")
    _tab_to(page, page.get_by_role("radio").first)
    page.keyboard.press("ArrowDown")
    assert page.get_by_role("radio", name="Aandacht nodig").is_checked()
    _tab_to(page, page.get_by_label("Wat is er gebeurd"))
    page.keyboard.type("De pilot in Den Helder loopt; twee wijken doen nog niet mee.")
    _tab_to(page, page.get_by_label("Volgende stappen"))
    page.keyboard.type("Gesprek met de wijkteams van Schagen plannen.")
    _tab_to(page, page.get_by_role("button", name="Status plaatsen"))
    page.keyboard.press("Enter")

    # On the project's timeline, newest first, with its light in words.
    page.wait_for_url(re.compile(rf"/inspanningen/{project.pk}/#tijdlijn$"))
    timeline = page.locator("#tijdlijn")
    first = timeline.get_by_role("listitem").first
    first.wait_for()
    assert "De pilot in Den Helder loopt" in first.inner_text()
    assert "Aandacht nodig" in first.inner_text()
    assert "Pilotfase" in first.inner_text()
    check(page)
    assert project.statusupdates.count() == before + 1
    update = project.statusupdates.order_by("-geplaatst_op").first()
    assert update.licht == Licht.AANDACHT and update.auteur.username == "coalitie.kvnh"

    # On the dashboard: among the latest updates, and counted under "aandacht nodig".
    page.goto(f"{live_server.url}/programmas/kvnh/")
    latest = page.locator("section[aria-labelledby=voortgang-laatste-kop]")
    latest.get_by_text("De Kop in Beeld").first.wait_for()
    check(page)
    figure = page.locator("#cijfer-licht-aandacht")
    assert re.match(r"\d+ ", figure.inner_text())  # the count in words, not only colour
    _tab_to(page, figure, limit=200)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/voortgang/\?licht=aandacht"))
    page.get_by_role("link", name=re.compile("De Kop in Beeld")).first.wait_for()
    check(page)

    # Mijn werk shows the project as just updated.
    page.goto(f"{live_server.url}/mijn-werk/")
    card = page.locator(f"#werk-inspanning-{project.pk}")
    card.wait_for()
    assert "Aandacht nodig" in card.inner_text()
    check(page)

    # Another group's project: no button, and the form refuses.
    page.goto(f"{live_server.url}/programmas/kvnh/inspanningen/{other_group.pk}/")
    page.locator("#tijdlijn").wait_for()
    assert page.get_by_role("link", name="Status bijwerken").count() == 0
    console_errors.allow(r"\b403\b", url="/status/nieuw/")  # the refusal is the point
    response = page.goto(
        f"{live_server.url}/programmas/kvnh/inspanningen/{other_group.pk}/status/nieuw/"
    )
    assert response.status == 403
    assert not Statusupdate.objects.filter(inspanning=other_group, auteur=update.auteur).exists()


def test_the_reflection_pages_pass_axe_and_the_html_checker(new_context, live_server, demo, check):
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("leider.avk")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/mijn-werk/")
    check(page)

    page.get_by_role("link", name="AVK", exact=False).first.wait_for()
    page.goto(f"{live_server.url}/programmas/avk/reflectie/")
    page.get_by_role("link", name=re.compile("2024")).first.click()
    page.wait_for_url(re.compile(r"/reflectie/2024/$"))
    page.get_by_role("heading", level=1).wait_for()
    assert page.get_by_text("6,9").first.is_visible()
    check(page)

    page.get_by_role("link", name="Volgend faseplan opstellen uit deze besluiten").click()
    page.wait_for_url(re.compile(r"/reflectie/2024/volgend-faseplan/$"))
    page.get_by_role("heading", level=1).wait_for()
    check(page)
