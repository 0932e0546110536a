"""The programme dashboard and the progress list in a browser: axe, the HTML checker, a phone
without sideways scrolling, a figure's link, and the filter form with and without htmx."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from avk.demo import DEMO_PASSWORD
from doelenboom.models import Inspanning
from fasering import overview
from fasering.models import Projectplanning, Statusupdate
from fasering.planning import add_months
from programmes.models import Programma

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def kvnh_in_progress(demo):
    """KvNH's projects planned around today, with updates: every figure has something."""
    today = timezone.localdate()
    projects = {
        p.code: p
        for p in Inspanning.objects.filter(programma__slug="kvnh", stappen__isnull=False)
        .distinct()
        .prefetch_related("stappen")
    }
    month = today.replace(day=1)
    starts = {"3a": add_months(month, -10), "3b": add_months(month, -4), "4a": add_months(month, 1)}
    for code, start in starts.items():
        Projectplanning.objects.update_or_create(
            inspanning=projects[code], defaults={"start": start}
        )
    leider = projects["3a"].programma.lidmaatschappen.get(user__username="leider.kvnh").user
    for code, licht, days in [("3a", "risico", 3), ("3b", "aandacht", 20), ("4b", "op_koers", 120)]:
        Statusupdate.objects.create(
            inspanning=projects[code],
            datum=today - datetime.timedelta(days=days),
            stap=projects[code].stappen.first(),
            licht=licht,
            gebeurd="Voorbeeld voor de test.",
            auteur=leider,
        )
    return projects


def _log_in(page, live_server, username: str = "leider.kvnh") -> None:
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)


def _fits_a_phone(page) -> None:
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(size)
    assert width <= PHONE["width"], f"{page.url} schuift zijwaarts op 390 px: {width} px"


def _expected(today: datetime.date | None = None) -> overview.Dashboard:
    return overview.dashboard(Programma.objects.get(slug="kvnh"), today)


def _words(count: int) -> str:
    return overview.count_words(Programma.objects.get(slug="kvnh"), count)


def test_dashboard_figure_leads_to_its_list_and_the_filter_swaps_the_result(
    page, live_server, assert_accessible, kvnh_in_progress
):
    expected = _expected()
    risico = next(f for f in expected.lights if f.key == "risico")
    assert risico.count and expected.behind_count and expected.capacity
    _log_in(page, live_server)
    page.goto(live_server.url + reverse("programmes:detail", args=["kvnh"]))

    page.get_by_role("heading", name="Voortgang", exact=True).wait_for()
    assert page.locator("#cijfer-licht-risico").inner_text() == risico.words
    assert page.locator("#cijfer-achter").inner_text() == expected.behind_words
    assert page.get_by_role("heading", name="Capaciteit aanvragen: start tot en met").count() == 1
    assert_accessible()
    _fits_a_phone(page)

    page.locator("#cijfer-licht-risico").click()
    page.get_by_text(f"Risico: {risico.words}").wait_for()
    assert page.locator("#voortgang-resultaat tbody tr").count() == risico.count
    assert_accessible()
    _fits_a_phone(page)

    # htmx: only the result is swapped, the address follows, the focus moves to the count.
    aandacht = next(f for f in expected.lights if f.key == "aandacht")
    page.get_by_label("Stoplicht").select_option("aandacht")
    page.get_by_role("button", name="Toon").click()
    page.get_by_text(f"Aandacht nodig: {aandacht.words}").wait_for()
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'voortgang-telling'"
    )
    assert "licht=aandacht" in page.url
    assert page.locator("#voortgang-resultaat tbody tr").count() == aandacht.count
    assert_accessible()

    page.get_by_label("Achter op de planning").check()
    page.get_by_label("Stoplicht").select_option("")
    page.get_by_role("button", name="Toon").click()
    page.get_by_text(f"Achter op de planning: {expected.behind_words}").wait_for()
    assert page.locator("#voortgang-resultaat tbody tr").count() == expected.behind_count
    assert_accessible()
    _fits_a_phone(page)


def test_the_filter_form_works_without_javascript(new_context, live_server, kvnh_in_progress):
    capacity = _expected().capacity
    page = new_context(java_script_enabled=False).new_page()
    _log_in(page, live_server)
    page.goto(live_server.url + reverse("fasering:progress", args=["kvnh"]))

    page.get_by_label("Start in het komende kwartaal").check()
    page.get_by_role("button", name="Toon").click()

    page.wait_for_url("**start=kwartaal")
    rows = page.locator("#voortgang-resultaat tbody tr")
    assert rows.count() == len(capacity) == 1
    assert str(capacity[0]) in rows.first.inner_text()


def test_a_programme_without_plans_or_updates_reads_well_on_a_phone(
    page, live_server, assert_accessible, demo
):
    # AVK's inspanningen have no stappenplan, so no planning to compare with: the dashboard
    # says so; the list shows every inspanning.
    _log_in(page, live_server, "leider.avk")
    for url in (
        reverse("programmes:detail", args=["avk"]),
        reverse("fasering:progress", args=["avk"]),
    ):
        page.goto(live_server.url + url)
        page.get_by_role("heading", name="Voortgang", exact=True).first.wait_for()
        assert_accessible()
        _fits_a_phone(page)
