"""The faseplan page in a browser: reading it, editing in place by keyboard, axe, 390 px."""

import datetime

import pytest

from fasering import services
from fasering.models import FaseplanItem, Risico
from tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUG_2023, DEC_2023 = datetime.date(2023, 8, 1), datetime.date(2023, 12, 1)
JAN_2024, JUL_2024 = datetime.date(2024, 1, 1), datetime.date(2024, 7, 1)


@pytest.fixture
def plan(db):
    prog = builders.programma(naam="Alliantie van Kracht", slug="avk", korte_naam="AVK")
    builders.member(prog, "programmaleider", "leider")
    goal = builders.goal_chain(prog, titel="Huishoudens zijn vroegtijdig in beeld", code="1.1")
    hanze = builders.partner(prog, naam="Hanzehogeschool", slug="hanze")
    insp = builders.inspanning(
        prog,
        titel="Inzetten op vroegsignalering",
        code="A1",
        doelen=[goal],
        partners=[(hanze, "trekker")],
    )
    faseplan = services.create_faseplan(
        prog, nummer=1, titel="Faseplan 1", start=AUG_2023, eind=JUL_2024
    )
    services.add_fase(faseplan, services.FaseValues("Fase A", AUG_2023, DEC_2023))
    services.add_fase(faseplan, services.FaseValues("Fase B", JAN_2024, JUL_2024))
    services.set_goals(faseplan, [goal.pk])
    services.set_inspanningen(faseplan, goal, [insp.pk])
    faseplan.refresh_from_db()
    services.update_faseplan_texts(
        faseplan,
        {"context": "Het programma kiest.\n\n- prioriteren\n- samenwerken"},
        expected_versie=faseplan.versie,
    )
    Risico.objects.create(
        programma=prog, omschrijving="Te weinig capaciteit bij partners", kans="hoog"
    )
    return {"prog": prog, "plan": faseplan, "insp_item": faseplan.items.get(inspanning=insp)}


@pytest.fixture
def plan_page(page, live_server, login, plan):
    login("leider")
    page.goto(f"{live_server.url}/programmas/avk/faseplannen/1/")
    page.evaluate("window.__zelfde = true")
    return page


def _wait_for_focus(page, element_id: str) -> None:
    page.wait_for_function("(id) => document.activeElement.id === id", arg=element_id)


def test_plan_page_reads_and_passes_axe(plan_page, assert_accessible):
    page = plan_page
    page.get_by_role("heading", name="Faseplan 1", level=1).wait_for()
    assert "augustus 2023 \N{EN DASH} juli 2024" in page.text_content("main")
    assert page.get_by_role("heading", name="Huishoudens zijn vroegtijdig in beeld").is_visible()
    assert page.locator("#sectie-teksten li", has_text="prioriteren").count() == 1
    assert_accessible()


def test_edit_an_item_in_place_by_keyboard(plan_page, plan, assert_accessible):
    page = plan_page
    item = plan["insp_item"]
    link = page.locator(f"#item-{item.pk} a.koers-fp-actie")
    link.focus()
    page.keyboard.press("Enter")
    prefix = f"item-{item.pk}"
    _wait_for_focus(page, f"id_{prefix}-start_fase")
    assert_accessible()  # the page with the form open
    page.locator(f"#id_{prefix}-start_fase").select_option(label="Fase A")
    page.locator(f"#id_{prefix}-partners_vrij").focus()
    page.keyboard.type("mensen uit de wijk zelf")
    page.locator(f"#id_{prefix}-middelen").select_option("weinig")
    page.locator(f"#{prefix} button[type=submit]").focus()
    page.keyboard.press("Enter")

    _wait_for_focus(page, f"kop-item-{item.pk}")
    page.wait_for_function("() => document.getElementById('aankondiging').textContent.length > 0")
    assert "opgeslagen" in page.locator("#aankondiging").text_content()
    assert "mensen uit de wijk zelf" in page.locator(f"#item-{item.pk}").text_content()
    assert page.evaluate("window.__zelfde === true")
    assert_accessible()
    item = FaseplanItem.objects.get(pk=item.pk)
    assert (item.start_fase.naam, item.middelen) == ("Fase A", "weinig")


def test_edit_the_texts_in_place_and_cancel(plan_page, plan):
    page = plan_page
    page.get_by_role("link", name="Teksten bewerken").focus()
    page.keyboard.press("Enter")
    _wait_for_focus(page, "id_context")
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\nNieuwe alinea.")
    page.get_by_role("button", name="Opslaan").click()
    _wait_for_focus(page, "kop-teksten")
    assert page.locator("#tekst-context", has_text="Nieuwe alinea.").count() == 1

    page.get_by_role("link", name="Fases bewerken").click()
    page.get_by_role("heading", name="Fases bewerken").wait_for()
    page.get_by_role("link", name="Klaar met de fases").click()
    page.get_by_role("heading", name="Fases", exact=True).wait_for()
    assert page.evaluate("window.__zelfde === true")


def test_plan_page_and_its_forms_do_not_scroll_sideways_at_390px(new_context, live_server, plan):
    context = new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("leider")
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/mijn-werk/")
    item = plan["insp_item"]
    for path in ["", "teksten/", "fases/", "doelen/", f"onderdelen/{item.pk}/"]:
        page.goto(f"{live_server.url}/programmas/avk/faseplannen/1/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
