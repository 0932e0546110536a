"""The multi-year planning page in a browser: accessible, usable on a phone, printable."""

import datetime
import itertools

import pytest
from django.urls import reverse

from avk.demo import DEMO_PASSWORD
from doelenboom.models import Inspanning
from fasering.models import Projectplanning
from programmes.models import Programma

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def kvnh_planned(demo):
    """KvNH's projects one after another, the first from September 2024."""
    kvnh = Programma.objects.get(slug="kvnh")
    projects = list(
        Inspanning.objects.filter(programma=kvnh, stappen__isnull=False).distinct().order_by("code")
    )
    Projectplanning.objects.filter(inspanning__in=projects).delete()
    Projectplanning.objects.create(inspanning=projects[0], start=datetime.date(2024, 9, 1))
    for before, after in itertools.pairwise(projects[:-1]):
        Projectplanning.objects.create(inspanning=after, start_na=before)
    return projects


def _log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("leider.kvnh")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/mijn-werk/")


def test_planning_page_is_accessible_and_a_start_month_can_be_set(
    page, live_server, kvnh_planned, assert_accessible
):
    _log_in(page, live_server)
    page.goto(live_server.url + reverse("fasering:planning", args=["kvnh"]))
    assert page.locator("svg[role=img] title").count() >= 1
    assert page.locator("svg foreignObject").count() == 0
    unplanned = kvnh_planned[-1]
    assert page.get_by_role("heading", name="Nog niet gepland").is_visible()
    assert_accessible()

    # The table alternative opens with the keyboard and lists every step.
    summary = page.locator(".koers-gantt__tabel summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(".koers-gantt__tabel table").first.is_visible()
    assert_accessible()

    label = unplanned.code or unplanned.titel
    # One project's form at a time, opened from its link: the page stays light.
    page.get_by_role("link", name=f"Planning wijzigen ({label})").click()
    page.get_by_label(f"Startmaand ({label})").select_option(label="januari 2026")
    assert_accessible()
    page.get_by_role("button", name=f"Planning opslaan ({label})").click()
    page.get_by_text(f"De planning van {label} is opgeslagen.").wait_for()
    assert Projectplanning.objects.get(inspanning=unplanned).start == datetime.date(2026, 1, 1)
    assert_accessible()


def test_planning_page_does_not_scroll_sideways_on_a_phone(new_context, live_server, kvnh_planned):
    page = new_context(viewport=PHONE).new_page()
    _log_in(page, live_server)
    page.goto(live_server.url + reverse("fasering:planning", args=["kvnh"]))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The chart scrolls inside its own labelled, focusable box instead.
    box = page.locator(".koers-gantt__scroll").first
    assert box.get_attribute("tabindex") == "0"
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")


def test_planning_page_prints_with_its_chart(page, live_server, kvnh_planned):
    _log_in(page, live_server)
    page.goto(live_server.url + reverse("fasering:planning", args=["kvnh"]))
    page.emulate_media(media="print")
    svg = page.locator("svg.gantt").first
    assert svg.is_visible()
    # In print the chart fits the page width rather than scrolling.
    assert svg.evaluate("el => el.getBoundingClientRect().right") <= page.evaluate(
        "document.documentElement.clientWidth"
    )
    pdf = page.pdf(format="A4", landscape=True, print_background=True)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 10_000
