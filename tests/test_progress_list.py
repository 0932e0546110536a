"""The progress list: its filters, what each row says, who gets "Status bijwerken", the
filter said in words, htmx, a fixed number of queries and 404 for outsiders."""

import datetime
import json
import re

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.formats import long_date
from doelenboom.models import Inspanning
from fasering import overview, progress
from programmes.access import programma_access
from programmes.models import GroepLid
from tests.queries import page_queries
from tests.test_dashboard import TODAY, Scenario, _grow, scenario


@pytest.fixture
def live(prog, cast) -> Scenario:
    return scenario(prog, timezone.localdate(), auteur=cast["team"])


def _url(query: str = "") -> str:
    url = reverse("fasering:progress", args=["test"])
    return f"{url}?{query}" if query else url


def _codes(html: str) -> list[str]:
    """The codes of the listed rows, in order."""
    return re.findall(r'<th class="utrecht-table__header-cell" scope="row"><a [^>]+>(\S+) ', html)


def _get(client, query: str = "", **headers) -> str:
    response = client.get(_url(query), headers=headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("query", "codes", "words"),
    [
        ("", ["A1", "A2", "A3", "A4", "A5", "P1", "P2", "P3", "P4", "P5"], "Zonder filter: 10"),
        ("licht=op_koers", ["A1", "P2"], "Op koers: 2 inspanningen"),
        ("licht=aandacht", ["A2", "A4", "P1"], "Aandacht nodig: 3 inspanningen"),
        ("licht=risico", ["A5"], "Risico: 1 inspanning"),
        ("licht=geen", ["A3", "P3", "P4", "P5"], "Nog geen update: 4 inspanningen"),
        ("achter=1", ["P1"], "Achter op de planning: 1 inspanning"),
        ("stil=1", ["A3", "A5", "P3", "P4", "P5"], "Geen update in 90 dagen: 5 inspanningen"),
        ("start=kwartaal", ["P3"], "Start na vandaag, uiterlijk "),
        ("licht=geen&stil=1", ["A3", "P3", "P4", "P5"], "Nog geen update, geen update in 90"),
        ("licht=risico&achter=1", [], "Risico, achter op de planning: 0 inspanningen"),
    ],
)
def test_each_filter_lists_exactly_its_rows_and_says_so(client, cast, live, query, codes, words):
    client.force_login(cast["lezer"])

    html = _get(client, query)

    assert _codes(html) == codes
    assert words in html


def test_a_row_says_group_light_last_update_and_steps_in_words(client, cast, live):
    client.force_login(cast["lezer"])

    html = _get(client, "achter=1")

    row = html[html.index(f'id="voortgang-{live.achter.pk}"') :]
    row = row[: row.index("</tr>")]
    inspanning_url = reverse("doelenboom:inspanning", args=["test", live.achter.pk])
    assert f'<a class="utrecht-link" href="{inspanning_url}">P1 Project P1</a>' in row
    assert '<span class="koers-licht koers-licht--aandacht">Aandacht nodig</span>' in row
    assert long_date(timezone.localdate() - datetime.timedelta(days=3)) in row
    assert "Gemeld: stap 2 van 4, Stap 2" in row
    assert "Gepland: stap 4 van 4, Stap 4" in row
    assert "achter op de planning" in row
    plain = _get(client, "licht=op_koers")
    assert "Werkgroep Schulden" in plain and "geen stappenplan" in plain


def test_the_quarter_list_shows_the_start_and_the_indicative_support(client, cast, live):
    client.force_login(cast["lezer"])

    html = _get(client, "start=kwartaal")

    assert "Twee dagen per week een beleidsmedewerker." in html
    first = long_date(live.straks.planning.start)
    assert f"Gepland: start op {first}" in html
    end = long_date(overview.quarter_end(timezone.localdate()))
    assert f"Start na vandaag, uiterlijk {end}: 1 inspanning" in html


def test_a_value_that_is_no_choice_is_named_and_the_other_filters_still_apply(client, cast, live):
    client.force_login(cast["lezer"])

    html = _get(client, "licht=paars&achter=ja&stil=1")

    assert "Stoplicht: „paars” is geen keuze; alle stoplichten worden getoond." in html
    assert "Achter op de planning: „ja” is geen keuze; dit filter is niet toegepast." in html
    assert _codes(html) == ["A3", "A5", "P3", "P4", "P5"]


def test_the_filter_form_shows_the_filter_in_use(client, cast, live):
    client.force_login(cast["lezer"])

    html = _get(client, "licht=risico&stil=1")

    assert '<option value="risico" selected>Risico</option>' in html
    assert 'name="stil" value="1" id="filter-stil" checked' in html
    assert 'name="achter" value="1" id="filter-achter">' in html
    assert f'href="{_url()}">Alle filters wissen' in html


def test_htmx_gets_only_the_result_and_focus_moves_to_the_sentence(client, cast, live):
    client.force_login(cast["lezer"])

    response = client.get(_url("licht=risico"), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="voortgang-resultaat"')
    assert "<form" not in html and "<h1" not in html
    event = json.loads(response["HX-Trigger-After-Settle"])["koers:changed"]
    assert event == {"focus": "#voortgang-telling", "message": "Risico: 1 inspanning"}


def _access(user, slug: str = "test"):
    request = RequestFactory().get("/")
    request.user = user
    return programma_access(request, slug)


@pytest.mark.parametrize("role", ["leider", "team", "stuurgroep", "coalitielid", "lezer"])
def test_may_report_on_a_row_is_progress_may_report(cast, live, role):
    GroepLid.objects.create(
        groep=live.op_koers.groep, user=cast["coalitielid"], persoon="Coalitielid"
    )
    user = cast[role]
    access = _access(user)
    rows = overview.progress_rows(live.programma)

    overview.mark_reportable(rows, user, access)

    assert {r.pk: r.may_report for r in rows} == {
        i.pk: progress.may_report(user, access, i)
        for i in Inspanning.objects.filter(programma=live.programma)
    }
    assert any(r.may_report for r in rows) == (role in {"leider", "team", "coalitielid"})


def test_no_one_may_report_in_an_archived_programme(cast, live):
    GroepLid.objects.create(
        groep=live.op_koers.groep, user=cast["coalitielid"], persoon="Coalitielid"
    )
    live.programma.gearchiveerd_op = timezone.now()
    live.programma.save()

    for role in ("leider", "coalitielid"):
        rows = overview.progress_rows(live.programma)
        overview.mark_reportable(rows, cast[role], _access(cast[role]))
        assert not any(r.may_report for r in rows), role


def test_status_update_link_only_for_who_may_report(client, cast, live):
    try:
        status_url = reverse("fasering:status_new", args=["test", live.op_koers.pk])
    except NoReverseMatch:
        pytest.skip("fasering:status_new is not there yet")
    GroepLid.objects.create(
        groep=live.op_koers.groep, user=cast["coalitielid"], persoon="Coalitielid"
    )

    client.force_login(cast["coalitielid"])
    carried = _get(client)
    client.force_login(cast["lezer"])
    reader = _get(client)

    assert f'href="{status_url}">Status bijwerken' in carried
    # The group carries A1 to A5, not the projects.
    assert carried.count(">Status bijwerken<") == 5
    assert "Status bijwerken" not in reader


def test_a_member_of_another_programme_gets_404(client, cast, live):
    client.force_login(cast["buitenstaander"])

    assert client.get(_url()).status_code == 404
    assert client.get(_url("licht=risico")).status_code == 404


def test_an_empty_programme_says_so_and_links_to_the_tree(client, cast, prog):
    client.force_login(cast["lezer"])

    html = _get(client)

    assert "Dit programma heeft nog geen inspanningen." in html
    assert f'href="{reverse("doelenboom:tree", args=["test"])}">Naar de doelenboom' in html


@pytest.mark.parametrize("role", ["leider", "coalitielid"])
@pytest.mark.parametrize("query", ["", "licht=aandacht&stil=1", "achter=1", "start=kwartaal"])
def test_the_list_makes_the_same_queries_for_one_and_for_many(client, cast, prog, role, query):
    client.force_login(cast[role])
    _grow(prog, 1, 1)
    GroepLid.objects.create(groep=prog.groepen.first(), user=cast["coalitielid"], persoon="Lid")
    one = page_queries(client, _url(query))

    _grow(prog, 12, 6)
    many = page_queries(client, _url(query))

    assert one == many


def test_rows_take_today_as_given(prog):
    made = scenario(prog, TODAY)

    rows = overview.progress_rows(prog, overview.Filters(achter=True), TODAY)
    later = overview.progress_rows(prog, overview.Filters(achter=True), TODAY.replace(year=2030))

    assert [r.pk for r in rows] == [made.achter.pk]
    # In 2030 every planned project is at its last step; P2 reported it, P3 and P4 no step.
    assert {r.code for r in later} == {"P1"}
