"""Comparing two faseplannen: what came in, went out or changed, and the compare page."""

import copy
import datetime

import pytest
from django.urls import reverse

from fasering.compare import compare_contents, word_diff
from fasering.content import build_content
from fasering.models import Fase, Faseplan, FaseplanItem
from tests import builders

pytestmark = pytest.mark.django_db


def _inspanning(inspanning_id: int, **kw) -> dict:
    return {
        "item_id": inspanning_id + 100,
        "inspanning_id": inspanning_id,
        "code": f"i{inspanning_id}",
        "titel": f"Inspanning {inspanning_id}",
        "start_fase": "Fase A",
        "loopt_door": False,
        "partners": [{"naam": "Hanzehogeschool", "organisatie_id": 1}],
        "middelen": {"klasse": "weinig", "toelichting": "Uren van de partners"},
        "toelichting": "",
        **kw,
    }


def _doel(doel_id: int, inspanningen=(), **kw) -> dict:
    return {
        "item_id": doel_id + 10,
        "doel_id": doel_id,
        "code": f"1.{doel_id}",
        "titel": f"Doel {doel_id}",
        "strategisch_doel": "Kansrijk perspectief",
        "start_fase": "Fase A",
        "loopt_door": True,
        "partners": [],
        "middelen": {"klasse": "geen", "toelichting": ""},
        "toelichting": "",
        "inspanningen": list(inspanningen),
        **kw,
    }


def _content(doelen, **teksten) -> dict:
    return {
        "nummer": 1,
        "titel": "Faseplan 1",
        "status": "concept",
        "periode": {"start": "2023-08", "eind": "2024-07"},
        "fases": [],
        "teksten": {
            "context": "",
            "keuzes": "",
            "structurele_activiteiten": "",
            "organisatie": "",
            **teksten,
        },
        "doelen": doelen,
        "risicos": [],
    }


OLD = _content([_doel(1, [_inspanning(1), _inspanning(2)]), _doel(2)])


def test_identical_contents_have_no_differences():
    comparison = compare_contents(OLD, copy.deepcopy(OLD))
    assert comparison.is_empty
    assert comparison.summary() == "Geen verschillen."


def test_goals_and_inspanningen_that_came_in_and_went_out():
    new = _content([_doel(1, [_inspanning(1), _inspanning(3)]), _doel(4, [_inspanning(5)])])
    comparison = compare_contents(OLD, new)

    assert [(p.kind, p.titel) for p in comparison.came_in] == [
        ("doel", "Doel 4"),
        ("inspanning", "Inspanning 3"),
    ]
    # A goal that came in brings its inspanningen; they are not counted on their own.
    assert comparison.came_in[0].inspanningen == ("i5 Inspanning 5",)
    assert comparison.came_in[1].onder == "1.1 Doel 1"
    assert [(p.kind, p.titel) for p in comparison.went_out] == [
        ("doel", "Doel 2"),
        ("inspanning", "Inspanning 2"),
    ]
    assert comparison.changed == []
    assert comparison.summary() == "2 onderdelen erbij en 2 onderdelen vervallen."


def test_fase_partners_means_and_title_changes_are_listed_old_to_new():
    new = copy.deepcopy(OLD)
    goal = new["doelen"][0]
    goal["titel"] = "Doel 1, scherper"
    goal["loopt_door"] = False
    inspanning = goal["inspanningen"][0]
    inspanning["start_fase"] = "Fase B"
    inspanning["partners"].append({"naam": "mensen uit de wijk zelf", "organisatie_id": None})
    inspanning["middelen"] = {"klasse": "nodig", "toelichting": "Een projectleider"}
    comparison = compare_contents(OLD, new)

    assert not comparison.came_in and not comparison.went_out
    by_part = {
        c.part.titel: {f.veld: (f.oud, f.nieuw) for f in c.changes} for c in comparison.changed
    }
    assert by_part["Doel 1, scherper"] == {
        "Titel": ("Doel 1", "Doel 1, scherper"),
        "Loopt door in de volgende fase": ("ja", "nee"),
    }
    assert by_part["Inspanning 1"] == {
        "Start in fase": ("Fase A", "Fase B"),
        "Partners": ("Hanzehogeschool", "Hanzehogeschool, mensen uit de wijk zelf"),
        "Aanvullende middelen": ("Weinig aanvullende middelen", "Aanvullende middelen nodig"),
        "Middelen, toelichting": ("Uren van de partners", "Een projectleider"),
    }
    assert comparison.summary() == "2 onderdelen gewijzigd."


def test_partner_order_alone_is_no_change():
    old = _content(
        [
            _doel(
                1, partners=[{"naam": "A", "organisatie_id": 1}, {"naam": "B", "organisatie_id": 2}]
            )
        ]
    )
    new = copy.deepcopy(old)
    new["doelen"][0]["partners"].reverse()
    assert compare_contents(old, new).is_empty


def test_text_sections_are_compared_word_by_word():
    old = _content([], context="Armoede in Assen is hardnekkig.")
    new = _content(
        [], context="Armoede in Assen en Emmen is hardnekkig.", keuzes="Eerst de wijken."
    )
    comparison = compare_contents(old, new)

    assert [t.name for t in comparison.texts] == ["context", "keuzes"]
    context = comparison.texts[0].html
    assert context.startswith("Armoede in Assen")
    assert '<ins><span class="koers-visually-hidden">toegevoegd: </span>' in context
    assert "en Emmen " in context
    assert "<del>" not in context
    assert comparison.summary() == "2 teksten gewijzigd."


def test_a_replaced_word_is_struck_through_and_inserted_with_words_for_screen_readers():
    html = word_diff("Fase A loopt door", "Fase B loopt door")
    assert html == (
        'Fase <del><span class="koers-visually-hidden">verwijderd: </span>A</del>'
        '<ins><span class="koers-visually-hidden">toegevoegd: </span>B</ins> loopt door'
    )


def test_markup_in_texts_is_escaped():
    html = word_diff("Veilig <b>oud</b>", "Veilig <script>alert(1)</script> & meer")
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp; meer" in html


def test_summary_joins_every_kind_of_difference():
    new = _content([_doel(1, [_inspanning(1, start_fase="Fase B")]), _doel(3)], context="Nieuw")
    summary = compare_contents(OLD, new).summary()
    assert summary == (
        "1 onderdeel erbij, 2 onderdelen vervallen, 1 onderdeel gewijzigd en 1 tekst gewijzigd."
    )


# -- the compare page --------------------------------------------------------------------------


def _plan(prog, nummer: int, **kw) -> Faseplan:
    return Faseplan.objects.create(
        programma=prog,
        nummer=nummer,
        titel=f"Faseplan {nummer}",
        start=datetime.date(2023, 8, 1),
        eind=datetime.date(2024, 7, 1),
        **kw,
    )


@pytest.fixture
def plans(prog, cast):
    goal = builders.goal_chain(prog, code="1.1", titel="Vroegsignalering")
    other = builders.goal_chain(prog, code="1.2", titel="Schuldhulp")
    eerste = _plan(prog, 1, context="Armoede is hardnekkig.")
    tweede = _plan(prog, 2, context="Armoede is <b>erg</b> hardnekkig.")
    for plan in (eerste, tweede):
        fase = Fase.objects.create(
            faseplan=plan, naam="Fase A", start=plan.start, eind=datetime.date(2023, 12, 1)
        )
        FaseplanItem.objects.create(faseplan=plan, operationeel_doel=goal, start_fase=fase)
    FaseplanItem.objects.create(faseplan=tweede, operationeel_doel=other)
    return eerste, tweede


def _url(prog, a: int, b: int) -> str:
    return reverse("fasering:compare", args=[prog.slug, a, b])


def test_compare_page_shows_what_came_in_and_the_text_difference(client, prog, cast, plans):
    client.force_login(cast["lezer"])
    response = client.get(_url(prog, 1, 2))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 onderdeel erbij en 1 tekst gewijzigd." in html
    assert "1.2 Schuldhulp" in html
    assert "&lt;b&gt;erg&lt;/b&gt;" in html
    assert "<b>erg</b>" not in html


def test_compare_page_uses_the_snapshot_of_an_adopted_plan(client, prog, cast, plans):
    eerste, _tweede = plans
    snapshot = build_content(eerste)
    snapshot["doelen"][0]["titel"] = "Vroegsignalering zoals vastgesteld"
    eerste.snapshot = snapshot
    eerste.status = Faseplan.Status.VASTGESTELD
    eerste.save()
    client.force_login(cast["lezer"])
    html = client.get(_url(prog, 1, 2)).content.decode()
    assert "Vroegsignalering zoals vastgesteld" in html
    assert "zoals vastgesteld" in html


def test_another_programmes_plan_number_is_not_found(client, prog, cast, plans):
    elders = builders.programma(slug="ander")
    _plan(elders, 3)
    client.force_login(cast["leider"])
    assert client.get(_url(prog, 1, 3)).status_code == 404
    assert client.get(_url(prog, 3, 1)).status_code == 404


def test_outsiders_cannot_see_the_comparison(client, prog, cast, plans):
    client.force_login(cast["buitenstaander"])
    assert client.get(_url(prog, 1, 2)).status_code == 404


def test_choosing_two_plans_leads_to_their_comparison(client, prog, cast, plans):
    client.force_login(cast["lezer"])
    url = reverse("fasering:compare_choose", args=[prog.slug])
    response = client.get(url, {"a": "1", "b": "2"})
    assert response.status_code == 302
    assert response["Location"] == _url(prog, 1, 2)
    refused = client.get(url, {"a": "1", "b": "9"})
    assert refused.status_code == 200
    assert "Kies bij „Eerdere versie” en „Latere versie”" in refused.content.decode()
