import re

import pytest

from avk.demo import DEMO_PASSWORD
from doelenboom.models import OperationeelDoel
from programmes.models import Programma
from tests import builders
from tests.browser.conftest import WCAG_21_AA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree(db):
    prog = builders.programma(naam="Alliantie van Kracht", slug="avk", korte_naam="AVK")
    leider = builders.member(prog, "programmaleider", "leider")
    leider.first_name = "Saskia"
    leider.save()
    builders.vroegsignalering(prog)
    builders.inspanning(
        prog, titel="Monitoren van maatschappelijke trends", code="O1", categorie="onderzoeken"
    )
    return prog


def test_leader_logs_in_opens_the_tree_and_it_passes_axe(
    page, live_server, login, tree, assert_accessible
):
    login("leider")
    assert_accessible()

    page.get_by_role("link", name="Alliantie van Kracht").click()
    assert_accessible()
    page.get_by_role("navigation", name="Programmanavigatie").get_by_role(
        "link", name="Doelenboom"
    ).click()

    assert page.get_by_role("heading", name="Doelenboom", level=1).is_visible()
    page.get_by_role("link", name="A1 Inzetten op vroegsignalering").wait_for()
    assert page.get_by_role("link", name="Hanzehogeschool").is_visible()
    assert_accessible()


def test_filtering_swaps_only_the_results_and_keeps_the_url(
    page, live_server, login, tree, assert_accessible
):
    login("leider")
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/")
    page.evaluate("window.__marker = 'zelfde pagina'")

    page.get_by_label("Categorie").select_option("onderzoeken")

    status = page.get_by_role("status")
    status.filter(has_text="1 van 2 inspanningen getoond").wait_for()
    assert page.get_by_role("link", name="O1 Monitoren van maatschappelijke trends").is_visible()
    assert page.get_by_role("link", name="A1 Inzetten op vroegsignalering").count() == 0
    # htmx swapped the results in place: no page load, and the URL can be shared.
    assert page.evaluate("window.__marker") == "zelfde pagina"
    assert "categorie=onderzoeken" in page.url
    assert_accessible()


def test_keyboard_user_reaches_the_content_with_the_skip_link(page, live_server, login, tree):
    login("leider")
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_search_works_with_javascript_off(page_without_javascript, live_server, tree):
    page = page_without_javascript("leider")
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/")

    page.get_by_label("Zoeken").fill("trends")
    page.get_by_role("button", name="Filteren").click()

    assert page.get_by_role("link", name="O1 Monitoren van maatschappelijke trends").is_visible()
    assert page.get_by_role("link", name="A1 Inzetten op vroegsignalering").count() == 0
    page.context.close()


def test_axe_harness_reports_a_real_violation(page, axe):
    page.set_content('<html lang="nl"><body><img src="data:,"><button></button></body></html>')

    results = axe.run(page, options=WCAG_21_AA)

    assert results.violations_count >= 2


def test_console_harness_catches_console_errors_and_uncaught_exceptions(page, console_errors):
    page.set_content('<html lang="nl"><title>x</title><body></body></html>')

    page.evaluate("console.error('kapot')")
    with page.context.expect_event("weberror"):
        page.evaluate("setTimeout(() => { throw new Error('ook kapot'); })")

    assert any("kapot" in e for e in console_errors.errors)
    assert any("pageerror" in e and "ook kapot" in e for e in console_errors.errors)
    console_errors.errors.clear()  # expected here; left in, they would fail this test


def test_axe_harness_checks_that_landmark_names_are_unique(page, axe):
    page.set_content(
        '<html lang="nl"><title>x</title><body><main><h1>x</h1>'
        '<section aria-label="Zelfde">a</section><section aria-label="Zelfde">b</section>'
        "</main></body></html>"
    )

    results = axe.run(page, options=WCAG_21_AA)

    assert "landmark-unique" in {v["id"] for v in results.response["violations"]}


def test_ambities_and_goals_with_the_same_title_get_unique_landmark_names(
    page, live_server, login, assert_accessible
):
    # As in the KvNH's regiovisie: ambities 1 and 2 share a title, and so do two goals.
    prog = builders.programma(naam="Regiovisie", slug="regio", korte_naam="RV")
    builders.member(prog, "programmaleider", "leider")
    for code in ("1", "2"):
        amb = builders.ambitie(prog, titel="Solide basis voor alle inwoners", code=code)
        sd = builders.strategisch_doel(amb, titel="Veerkrachtige inwoners", code=code)
        builders.operationeel_doel(sd, titel="Inwoners voeren zelf regie", code=f"{code}.1")
    login("leider")

    page.goto(f"{live_server.url}/programmas/regio/doelenboom/")

    for code in ("1", "2"):
        name = f"Ambitie {code} Solide basis voor alle inwoners"
        assert page.get_by_role("region", name=name, exact=True).count() == 1
    assert page.get_by_role("heading", name="Inwoners voeren zelf regie").count() == 2
    assert_accessible()  # axe's landmark-unique rule is on


def test_demo_pages_pass_axe(page, live_server, login, assert_accessible, console_errors, demo):
    login("leider.kvnh", DEMO_PASSWORD)
    kvnh = Programma.objects.get(slug="kvnh")
    project = kvnh.inspanningen.get(code="3b")

    for path in (
        "/programmas/kvnh/",
        "/programmas/kvnh/doelenboom/",
        "/programmas/kvnh/partners/",
        "/programmas/kvnh/partners/hogeschool-inholland/",
        f"/programmas/kvnh/inspanningen/{project.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible()
    assert page.get_by_role("heading", name="Stappenplan").is_visible()

    console_errors.allow(r"\b404\b", url="/programmas/avk/doelenboom/")  # the 404 is the point
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/")
    assert page.get_by_role("heading", name="Doelenboom").count() == 0  # not a member: 404


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def long_words(tree):
    """A goal whose title has the long compound words of the real AVK tree."""
    sd = tree.ambities.get().strategische_doelen.get()
    goal = builders.operationeel_doel(
        sd,
        titel="Professionals zetten bestaande kennis vanuit onderzoek/praktijk/"
        "ervaringsdeskundigheid in",
        code="1.9",
    )
    builders.inspanning(
        tree, titel="Eén ondersteunings-/hulpverleningsplan per huishouden", doelen=[goal]
    )
    return goal


def test_tree_does_not_scroll_sideways_on_a_phone_with_its_menus_open(
    new_context, live_server, tree, long_words
):
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("leider")
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/mijn-werk/")
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/")

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    menus = page.locator("summary.koers-menu__knop")
    # Every menu is opened while the others still load: their answers are held until every
    # menu has asked for its own controls, so a menu whose request never goes out (htmx keeps
    # one waiting request per source) leaves them all waiting and the test fails.
    count = menus.count()
    held = []
    released = 0

    def release_next(_request=None) -> None:
        # One at a time, each once the one before has been answered: the in-memory test
        # database is one connection that the live server's threads share.
        nonlocal released
        if len(held) == count and released < count:
            released += 1
            held[released - 1].continue_()

    def hold(route) -> None:
        held.append(route)
        release_next()

    def answered(request) -> None:
        if "/acties/" in request.url:
            release_next()

    page.on("requestfinished", answered)
    page.on("requestfailed", answered)
    page.route(re.compile(r"/acties/"), hold)
    for index in range(count):
        menus.nth(index).click()
    page.locator("details.koers-menu[open] .koers-menu__lijst").nth(menus.count() - 1).wait_for()
    # The move buttons, with their hidden names, are now all on the page.
    assert page.get_by_role("button", name="Omlaag", exact=False).count() == menus.count()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.context.close()


def test_collapsing_is_kept_in_the_url_and_survives_a_reload(
    page, live_server, login, tree, assert_accessible
):
    sd = tree.ambities.get().strategische_doelen.get()
    login("leider")
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/?categorie=actie")
    goal_link = page.get_by_role("link", name="A1 Inzetten op vroegsignalering")

    toggle = page.get_by_role("link", name=f"Inklappen {sd.titel}")
    toggle.focus()
    page.keyboard.press("Enter")

    goal_link.wait_for(state="hidden")
    assert (
        page.get_by_role("link", name=f"Uitklappen {sd.titel}").get_attribute("aria-expanded")
        == "false"
    )
    # The URL says what is collapsed, the filter stays: a link to share this view.
    assert f"dicht=s{sd.pk}" in page.url and "categorie=actie" in page.url
    assert_accessible()

    page.reload()
    assert not goal_link.is_visible()
    reopen = page.get_by_role("link", name=f"Uitklappen {sd.titel}")
    assert reopen.get_attribute("aria-expanded") == "false"

    reopen.click()
    goal_link.wait_for()
    assert "dicht=" not in page.url
    page.reload()
    assert goal_link.is_visible()


def test_collapsing_works_with_javascript_off(page_without_javascript, live_server, tree):
    ambitie = tree.ambities.get()
    page = page_without_javascript("leider")
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/")

    page.get_by_role("link", name=f"Inklappen {ambitie.titel}").click()

    assert f"dicht=a{ambitie.pk}" in page.url
    assert not page.get_by_role("link", name="A1 Inzetten op vroegsignalering").is_visible()
    page.get_by_role("link", name=f"Uitklappen {ambitie.titel}").click()
    page.get_by_role("link", name="A1 Inzetten op vroegsignalering").wait_for()
    page.context.close()


def test_search_hits_are_highlighted_and_filters_wissen_follows_an_in_place_filter(
    page, live_server, login, tree, assert_accessible
):
    login("leider")
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/")
    page.evaluate("window.__marker = 'zelfde pagina'")
    assert page.get_by_role("link", name="Filters wissen").count() == 0

    page.get_by_label("Zoeken").fill("TRENDS")
    page.get_by_role("button", name="Filteren").click()

    page.locator("#boom mark", has_text="trends").wait_for()
    assert page.evaluate("window.__marker") == "zelfde pagina"
    clear = page.get_by_role("link", name="Filters wissen")
    assert clear.is_visible()
    assert_accessible()
    clear.click()
    page.get_by_role("link", name="A1 Inzetten op vroegsignalering").wait_for()
    assert page.locator("#boom mark").count() == 0


def test_actions_as_a_page_post_back_to_the_item_with_its_message_in_view(
    page, live_server, login, tree, assert_accessible
):
    first = OperationeelDoel.objects.get(strategisch_doel__ambitie__programma=tree, code="1.1")
    for n in range(15):
        builders.inspanning(tree, titel=f"Inspanning {n}", doelen=[first])
    goal = builders.operationeel_doel(first.strategisch_doel, titel="Laatste doel", code="1.9")
    page.set_viewport_size({"width": 1000, "height": 600})
    login("leider")
    page.goto(f"{live_server.url}/programmas/avk/doelenboom/operationeel_doel/{goal.pk}/acties/")
    assert page.get_by_role("heading", level=1).inner_text() == f"Acties: {goal.titel}"
    assert_accessible()

    page.get_by_role("button", name=f"Omlaag {goal.titel}").click()

    page.wait_for_url(f"**/doelenboom/#operationeel_doel-{goal.pk}")
    assert page.evaluate("window.scrollY") > 600  # at the goal, far down the tree
    message = page.locator(".koers-messages").get_by_text("staat al bovenaan of onderaan")
    box = message.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
