"""The goal-tree page: every level with the programme's labels, filters, and fixed queries."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from doelenboom.models import Inspanning, OperationeelDoel
from programmes.models import Lidmaatschap
from tests import builders
from tests.queries import page_queries


def _tree_url(slug: str, **params) -> str:
    url = reverse("doelenboom:tree", args=[slug])
    return f"{url}?{urlencode(params)}" if params else url


@pytest.fixture
def small_tree(prog, cast):
    goal, _hanze, _first = builders.vroegsignalering(prog)
    other_goal = builders.operationeel_doel(
        goal.strategisch_doel, titel="Gezinnen ervaren samenhang"
    )
    leger = builders.partner(prog, naam="Leger des Heils", slug="leger")
    builders.inspanning(
        prog,
        titel="Speeddates organiseren",
        code="A2",
        doelen=[goal, other_goal],
        partners=[(leger, "betrokken")],
    )
    builders.inspanning(
        prog, titel="Monitoren van maatschappelijke trends", code="O1", categorie="onderzoeken"
    )
    builders.inspanning(prog, titel="Eiland van reflectie", code="S1", categorie="structureel")
    return prog


def test_anonymous_visitor_is_sent_to_login(client, prog):
    response = client.get(_tree_url(prog.slug))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_outsider_gets_not_found_for_another_programme(client, cast, small_tree):
    client.force_login(cast["buitenstaander"])

    assert client.get(_tree_url(small_tree.slug)).status_code == 404
    assert client.get(reverse("programmes:detail", args=[small_tree.slug])).status_code == 404


@pytest.mark.parametrize("role", ["leider", "team", "stuurgroep", "coalitielid", "lezer"])
def test_every_member_reads_the_whole_tree(client, cast, small_tree, role):
    client.force_login(cast[role])

    html = client.get(_tree_url(small_tree.slug)).content.decode()

    for titel in Inspanning.objects.values_list("titel", flat=True):
        assert titel in html
    assert "Hanzehogeschool</a> (trekker)" in html
    assert "Programmabreed" in html  # the inspanningen without a goal


def test_inspanning_serving_two_goals_shows_under_both_and_names_the_other(
    client, cast, small_tree
):
    client.force_login(cast["lezer"])

    html = client.get(_tree_url(small_tree.slug)).content.decode()

    assert html.count("Speeddates organiseren") == 2
    assert "Draagt ook bij aan" in html


def test_tree_uses_the_programmes_own_level_labels(client, cast, small_tree):
    small_tree.label_strategisch_doel = "Thema"
    small_tree.label_operationeel_doel = "Doelstelling"
    small_tree.save()
    client.force_login(cast["lezer"])

    html = client.get(_tree_url(small_tree.slug)).content.decode()

    assert "Thema" in html
    assert "Doelstelling 1.1" in html


def test_filter_by_categorie_without_javascript(client, cast, small_tree):
    client.force_login(cast["lezer"])

    html = client.get(_tree_url(small_tree.slug, categorie="onderzoeken")).content.decode()

    assert "Monitoren van maatschappelijke trends" in html
    assert "Inzetten op vroegsignalering" not in html
    assert "1 van 4 inspanningen getoond" in html


def test_filter_by_partner_keeps_inspanningen_of_that_partner(client, cast, small_tree):
    client.force_login(cast["lezer"])

    html = client.get(_tree_url(small_tree.slug, partner="leger")).content.decode()

    assert "Speeddates organiseren" in html
    assert "Inzetten op vroegsignalering" not in html
    assert "Eiland van reflectie" not in html


def test_search_ignores_case_and_matches_codes(client, cast, small_tree):
    client.force_login(cast["lezer"])

    by_word = client.get(_tree_url(small_tree.slug, q="VROEGSIGNALERING")).content.decode()
    by_code = client.get(_tree_url(small_tree.slug, q="o1")).content.decode()

    assert "Inzetten op <mark>vroegsignalering</mark>" in by_word
    assert "Speeddates organiseren" not in by_word
    assert '<span class="koers-code"><mark>O1</mark></span> Monitoren' in by_code


def test_search_on_a_goal_title_shows_that_goal_with_its_inspanningen(client, cast, small_tree):
    client.force_login(cast["lezer"])

    html = client.get(_tree_url(small_tree.slug, q="samenhang")).content.decode()

    assert "Gezinnen ervaren <mark>samenhang</mark>" in html
    assert "Speeddates organiseren" in html
    assert "Inzetten op vroegsignalering" not in html


def test_filter_without_results_says_so(client, cast, small_tree):
    client.force_login(cast["lezer"])

    html = client.get(_tree_url(small_tree.slug, q="bestaat-niet")).content.decode()

    assert "Geen inspanningen of doelen gevonden" in html


def test_unknown_categorie_in_url_is_ignored(client, cast, small_tree):
    client.force_login(cast["lezer"])

    response = client.get(_tree_url(small_tree.slug, categorie="<script>"))

    assert response.status_code == 200
    assert "4 inspanningen." in response.content.decode()


def test_htmx_filter_returns_only_the_results_and_updates_the_count(client, cast, small_tree):
    client.force_login(cast["lezer"])

    response = client.get(
        _tree_url(small_tree.slug, categorie="structureel"), headers={"HX-Request": "true"}
    )
    html = response.content.decode()

    assert "<html" not in html
    assert 'data-hx-swap-oob="innerHTML"' in html
    assert "1 van 4 inspanningen getoond" in html
    assert "Eiland van reflectie" in html
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_full_page(client, cast, small_tree):
    client.force_login(cast["lezer"])

    response = client.get(
        _tree_url(small_tree.slug),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in response.content.decode()


def test_expired_session_sends_htmx_to_the_login_page(client, small_tree):
    response = client.get(
        _tree_url(small_tree.slug),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/programmas/test/"},
    )

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_htmx_filter_offers_filters_wissen_out_of_band(client, cast, small_tree):
    client.force_login(cast["lezer"])

    filtered = client.get(_tree_url(small_tree.slug, q="trends"), headers={"HX-Request": "true"})
    cleared = client.get(_tree_url(small_tree.slug), headers={"HX-Request": "true"})

    assert '<span id="filters-wissen" data-hx-swap-oob="innerHTML"><a' in filtered.content.decode()
    assert "Filters wissen" in filtered.content.decode()
    assert "Filters wissen" not in cleared.content.decode()


def test_search_hits_are_marked_with_the_text_escaped(client, cast, small_tree):
    builders.inspanning(small_tree, titel="Tips & <b>trucs</b> voor TRENDS", code="T1")
    client.force_login(cast["lezer"])

    html = client.get(_tree_url(small_tree.slug, q="<b>trucs")).content.decode()
    by_case = client.get(_tree_url(small_tree.slug, q="trends")).content.decode()

    assert "Tips &amp; <mark>&lt;b&gt;trucs</mark>&lt;/b&gt; voor TRENDS" in html
    assert "<b>trucs</b>" not in html
    assert "voor <mark>TRENDS</mark>" in by_case
    assert "maatschappelijke <mark>trends</mark>" in by_case


def test_only_categories_in_use_are_offered_as_filter(client, cast, small_tree):
    client.force_login(cast["lezer"])

    html = client.get(_tree_url(small_tree.slug)).content.decode()
    chosen = client.get(_tree_url(small_tree.slug, categorie="uitproberen")).content.decode()

    for in_use in ("actie", "onderzoeken", "structureel"):
        assert f'<option value="{in_use}"' in html
    assert '<option value="uitproberen"' not in html  # no inspanning of that kind here
    assert '<option value="project"' not in html
    # Chosen through a shared URL, it stays in the form, which says what is shown.
    assert '<option value="uitproberen" selected>' in chosen


def _section(html: str, dom_id: str) -> str:
    start = html.index(f'id="onder-{dom_id}"')
    return html[start : html.index(">", start)]


def test_collapsed_ambities_and_goals_come_from_the_url(client, cast, small_tree):
    goal = OperationeelDoel.objects.get(strategisch_doel__ambitie__programma=small_tree, code="1.1")
    sd, ambitie = goal.strategisch_doel, goal.strategisch_doel.ambitie
    other = builders.strategisch_doel(ambitie, titel="Werkveld")
    client.force_login(cast["lezer"])

    html = client.get(_tree_url(small_tree.slug, dicht=f"s{sd.pk},x9,<b>")).content.decode()

    assert _section(html, f"strategisch_doel-{sd.pk}").endswith(" hidden")
    assert not _section(html, f"strategisch_doel-{other.pk}").endswith(" hidden")
    assert not _section(html, f"ambitie-{ambitie.pk}").endswith(" hidden")
    # Each link leads to the view with that part the other way, keeping the rest; the form
    # keeps the collapsed parts when the filters change.
    base = _tree_url(small_tree.slug)
    assert f'href="{base}#strategisch_doel-{sd.pk}" aria-expanded="false"' in html
    assert f'href="{base}?dicht=s{sd.pk},s{other.pk}#strategisch_doel-{other.pk}"' in html
    assert f'<input type="hidden" name="dicht" value="s{sd.pk}">' in html


def test_collapse_links_keep_the_filters(client, cast, small_tree):
    ambitie = small_tree.ambities.get()
    client.force_login(cast["lezer"])

    html = client.get(
        _tree_url(small_tree.slug, q="speed", dicht=f"a{ambitie.pk}")
    ).content.decode()

    assert _section(html, f"ambitie-{ambitie.pk}").endswith(" hidden")
    assert f'href="{_tree_url(small_tree.slug)}?q=speed#ambitie-{ambitie.pk}"' in html
    assert f'href="{_tree_url(small_tree.slug)}?dicht=a{ambitie.pk}">Filters wissen' in html


def test_tree_query_count_does_not_depend_on_collapsing_or_filters(client, cast, small_tree):
    client.force_login(cast["leider"])
    ambitie = small_tree.ambities.get()
    plain = page_queries(client, _tree_url(small_tree.slug))

    collapsed = page_queries(client, _tree_url(small_tree.slug, dicht=f"a{ambitie.pk}", q="x"))

    assert collapsed == plain


def _grow(prog, n: int) -> None:
    for index in range(n):
        goal = builders.goal_chain(prog)
        org = builders.partner(prog)
        builders.inspanning(
            prog, titel=f"Extra {index}", doelen=[goal], partners=[(org, "betrokken")]
        )


def test_tree_query_count_does_not_grow_with_the_tree(client, cast, small_tree):
    client.force_login(cast["leider"])
    small = page_queries(client, _tree_url(small_tree.slug))

    _grow(small_tree, 15)
    large = page_queries(client, _tree_url(small_tree.slug))

    assert large == small


def test_programme_list_query_count_does_not_grow(client, db):
    user = builders.member(builders.programma(), "lezer")
    client.force_login(user)
    one = page_queries(client, reverse("programmes:list"))
    for _ in range(5):
        Lidmaatschap.objects.create(user=user, programma=builders.programma(), rol="lezer")
    six = page_queries(client, reverse("programmes:list"))
    html = client.get(reverse("programmes:list")).content.decode()

    assert six == one
    assert html.count('class="koers-card"') == 6


def test_programme_list_shows_only_the_users_programmes(client, cast, prog):
    client.force_login(cast["buitenstaander"])

    html = client.get(reverse("programmes:list")).content.decode()

    assert prog.naam not in html
