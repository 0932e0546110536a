"""The eiland van reflectie in a browser: axe and the HTML checker, adding a scored contribution
and a decision in place by keyboard alone, without JavaScript, and on a 390 px wide phone."""

import datetime

import pytest

from fasering import reflection, services
from fasering.models import Inbreng, Reflectiebesluit
from programmes.models import Groep
from tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


@pytest.fixture
def year(db):
    """AVK's 2024 reflection in small: faseplan 1, the managers' session with a question on the
    IK side, last year's score for "ik weet dit", two operational goals and a trend."""
    prog = builders.programma(naam="Alliantie van Kracht", slug="avk", korte_naam="AVK")
    leider = builders.member(prog, "programmaleider", "leider")
    goal = builders.goal_chain(prog, titel="Huishoudens zijn vroegtijdig in beeld", code="1.1")
    other = builders.operationeel_doel(goal.strategisch_doel, titel="We leren", code="1.2")
    plan = services.create_faseplan(
        prog,
        nummer=1,
        titel="Faseplan 1",
        start=datetime.date(2023, 8, 1),
        eind=datetime.date(2024, 7, 1),
    )
    services.set_goals(plan, [goal.pk])
    vorig = reflection.create_reflectie(prog, leider, jaar=2023)
    oud = reflection.save_sessie(vorig, leider, deelnemers="Managers")[0]
    reflection.save_inbreng(
        reflection.save_vraag(oud, leider, tekst="Ik: geloof je erin?")[0],
        leider,
        tekst="Ze wisten het",
        score_onderwerp="ik weet dit",
        score="7,2",
    )
    reflectie = reflection.create_reflectie(
        prog,
        leider,
        jaar=2024,
        faseplan=plan,
        inleiding="Elk jaar nodigen we alle partners uit op een Eiland van reflectie.",
    )
    groep = Groep.objects.create(programma=prog, naam="Stuurgroep", soort="stuurgroep")
    reflection.save_sessie(
        reflectie,
        leider,
        deelnemers="Stuurgroep",
        groep=groep,
        datum=datetime.date(2024, 6, 5),
        begeleider="Lauren Algra (Algra Consulting)",
        kanten=["zij"],
    )
    sessie = reflection.save_sessie(
        reflectie,
        leider,
        deelnemers="Managers/leidinggevenden",
        datum=datetime.date(2024, 6, 13),
        begeleider="Lauren Algra (Algra Consulting)",
        kanten=["ik", "wij"],
    )[0]
    vraag = reflection.save_vraag(
        sessie,
        leider,
        tekst="Ik: Geloof je in dit programma en de ambitie/visie? Welke verbinding heb je ermee?",
        kant="ik",
    )[0]
    reflection.save_inbreng(
        vraag,
        leider,
        tekst="Er moet verbinding zijn. Ze geven een cijfer van 6,9 voor dat ze dit weten.",
        score_onderwerp="ik weet dit",
        score="6,9",
    )
    reflection.decide_goal(
        reflectie,
        leider,
        other,
        besluit="later",
        faseplan_nummer=3,
        reden="Mogelijk via Kansen voor Kinderen",
        expected_versie=0,
    )
    reflection.save_trend(
        reflectie,
        leider,
        letter="A",
        titel="Kennishub: onderzoeken, adviseren, agenderen",
        startmoment="direct na de zomer",
    )
    return {"prog": prog, "goal": goal, "vraag": vraag}


PAGE = "/programmas/avk/reflectie/2024/"


def _log_in(page, live_server, username: str = "leider") -> None:
    """Log in and wait until the login page is left, wherever it lands."""
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)


def _wait_for_focus(page, element_id: str) -> None:
    page.wait_for_function("(id) => document.activeElement.id === id", arg=element_id)


def _fits_a_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} schuift zijwaarts op {PHONE_WIDTH} px: {width} px"


def test_the_years_and_the_page_read_well_and_pass_axe(page, live_server, year, assert_accessible):
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/programmas/avk/reflectie/")
    page.get_by_role("heading", name="Eilanden van reflectie", level=1).wait_for()
    assert_accessible()

    page.get_by_role("link", name="Eiland van reflectie 2024").click()
    page.get_by_role("heading", name="Eiland van reflectie 2024", level=1).wait_for()
    main = page.text_content("main")
    assert "13 juni 2024" in main and "IK, WIJ" in main
    assert "6,9" in main and "vorig jaar: 7,2" in main
    assert "In een later faseplan: faseplan 3" in main
    assert_accessible()

    # The same forms as pages of their own (what a browser without JavaScript gets).
    goal = year["goal"]
    page.goto(f"{live_server.url}{PAGE}besluiten/{goal.pk}/")
    page.get_by_label("Besluit", exact=True).select_option("later")
    page.get_by_role("button", name="Opslaan").click()  # without a number or a reason
    page.get_by_role("alert").wait_for()
    main = page.text_content("main")
    assert "Zeg in welk later faseplan dit doel start." in main
    assert "Geef de reden van dit besluit." in main
    assert_accessible()
    inbreng = Inbreng.objects.get(score_onderwerp="ik weet dit", vraag=year["vraag"])
    page.goto(f"{live_server.url}{PAGE}inbreng/{inbreng.pk}/verwijderen/")
    page.get_by_role("button", name="Ja, verwijderen").wait_for()
    assert_accessible()


def test_a_scored_contribution_and_a_decision_by_keyboard(
    page, live_server, year, assert_accessible
):
    _log_in(page, live_server)
    page.goto(live_server.url + PAGE)
    page.evaluate("window.__zelfde = true")
    vraag = year["vraag"]
    prefix = f"inbreng-nieuw-{vraag.pk}"

    page.locator(f"#{prefix} a").focus()
    page.keyboard.press("Enter")
    _wait_for_focus(page, f"id_{prefix}-tekst")
    assert_accessible()  # the page with the form open
    page.keyboard.type("Ik voel me ambassadeur; meer massa krijgen.")
    page.keyboard.press("Tab")
    page.keyboard.type("ik voel me ambassadeur")
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    page.keyboard.press("Enter")
    # Refused: focus on what to fix, nothing lost.
    _wait_for_focus(page, f"fout-{prefix}")
    assert "Een cijfer ligt tussen 0 en 10" in page.locator(f"#fout-{prefix}").text_content()
    assert page.locator(f"#id_{prefix}-tekst").input_value().startswith("Ik voel me")
    assert_accessible()
    page.keyboard.press("Tab")  # the link to the field at fault
    page.keyboard.press("Enter")
    _wait_for_focus(page, f"id_{prefix}-score")
    page.keyboard.press("Control+A")
    page.keyboard.type("9,5")
    page.keyboard.press("Enter")

    added = page.locator(".koers-rf-inbreng__item", has_text="meer massa krijgen")
    added.wait_for()
    inbreng = Inbreng.objects.get(score_onderwerp="ik voel me ambassadeur")
    _wait_for_focus(page, f"inbreng-{inbreng.pk}")
    page.wait_for_function("() => document.getElementById('aankondiging').textContent.length > 0")
    assert "Inbreng toegevoegd" in page.locator("#aankondiging").text_content()
    assert "9,5" in page.locator(f"#inbreng-{inbreng.pk}").text_content()
    assert str(inbreng.score) == "9.5"
    assert_accessible()

    goal = year["goal"]
    page.locator(f"#doel-{goal.pk} a", has_text="Besluit vastleggen").focus()
    page.keyboard.press("Enter")
    field = f"doel-{goal.pk}-besluit"
    _wait_for_focus(page, f"id_{field}")
    page.keyboard.press("ArrowDown")  # "In het volgende faseplan (faseplan 2)"
    page.keyboard.press("Tab")  # the faseplan number, only for later
    page.keyboard.press("Tab")
    page.keyboard.type("Zat in faseplan 1 en komt ook in faseplan 2.")
    page.keyboard.press("Tab")  # Opslaan
    page.keyboard.press("Enter")

    _wait_for_focus(page, f"kop-doel-{goal.pk}")
    page.locator("#besluiten-teller", has_text="Besloten over 2 van 2 doelen").wait_for()
    assert (
        "In het volgende faseplan (faseplan 2)" in page.locator(f"#doel-{goal.pk}").text_content()
    )
    assert "Besloten over 2 van 2 doelen" in page.locator("#besluiten-teller").text_content()
    assert page.evaluate("window.__zelfde === true")  # all in place, no page load
    assert_accessible()
    besluit = Reflectiebesluit.objects.get(operationeel_doel=goal)
    assert (besluit.besluit, besluit.reden) == (
        "volgend",
        "Zat in faseplan 1 en komt ook in faseplan 2.",
    )


def test_without_javascript_a_contribution_is_added_by_plain_form(new_context, live_server, year):
    page = new_context(java_script_enabled=False).new_page()
    _log_in(page, live_server)
    page.goto(live_server.url + PAGE)
    page.locator(f"#inbreng-nieuw-{year['vraag'].pk} a").click()
    page.get_by_role("heading", name="Inbreng toevoegen", level=1).wait_for()
    page.get_by_label("Inbreng", exact=True).fill("Kennis delen, maar het ontbreekt aan tijd.")
    page.get_by_role("button", name="Inbreng toevoegen").click()
    page.get_by_text("Inbreng toegevoegd.").wait_for()
    assert "Kennis delen, maar het ontbreekt aan tijd." in page.text_content("main")


def test_the_page_and_its_forms_fit_a_phone(new_context, live_server, year):
    page = new_context(viewport={"width": PHONE_WIDTH, "height": 844}).new_page()
    _log_in(page, live_server)
    vraag, goal = year["vraag"], year["goal"]
    for path in [
        "../",
        "",
        "sessies/nieuw/",
        f"vragen/{vraag.pk}/inbreng/nieuw/",
        f"besluiten/{goal.pk}/",
        "trends/nieuw/",
    ]:
        page.goto(f"{live_server.url}{PAGE}{path}")
        page.locator("h1").wait_for()
        _fits_a_phone(page)
    # And with a form open in place.
    page.goto(live_server.url + PAGE)
    page.locator(f"#doel-{goal.pk} a", has_text="Besluit vastleggen").click()
    page.locator(f"#id_doel-{goal.pk}-reden").wait_for()
    _fits_a_phone(page)
