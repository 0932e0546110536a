"""The stappenplan of a project: steps numbered from 1, doorlooptijden in (half) months."""

import warnings
from decimal import Decimal

import pytest
from django.urls import reverse

from doelenboom.durations import months, months_number
from doelenboom.models import Inspanning, Stap
from tests import builders


@pytest.fixture
def project(prog):
    goal = builders.goal_chain(prog, code="3.3")
    obj = builders.inspanning(prog, code="3b", titel="De Kop in Beeld", doelen=[goal])
    # Stored from 0, as the demo loads them.
    Stap.objects.create(inspanning=obj, volgorde=0, naam="Onderzoeksfase", doorlooptijd_maanden=2)
    Stap.objects.create(inspanning=obj, volgorde=1, naam="Pilotfase", doorlooptijd_maanden=6)
    return obj


def _edit_url(obj: Inspanning) -> str:
    return reverse("doelenboom:edit", args=[obj.programma.slug, "inspanning", obj.pk])


def _post_steps(client, obj: Inspanning, steps: list[dict], numbers: list[int] | None = None):
    """The edit form with the saved steps, as shown (numbered from 1 unless `numbers` says
    otherwise), and the new `steps` after them."""
    prefix = f"inspanning-{obj.pk}-stappen"
    saved = list(obj.stappen.all())
    numbers = numbers or list(range(1, len(saved) + 1))
    data = builders.inspanning_form_data(obj)
    data[f"{prefix}-TOTAL_FORMS"] = len(saved) + len(steps)
    data[f"{prefix}-INITIAL_FORMS"] = len(saved)
    rows = [
        {
            "id": stap.pk,
            "volgorde": number,
            "naam": stap.naam,
            "doorlooptijd_maanden": months_number(stap.doorlooptijd_maanden),
        }
        for number, stap in zip(numbers, saved, strict=True)
    ]
    for index, row in enumerate([*rows, *steps]):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = "" if value is None else value
        data[f"{prefix}-{index}-inspanning"] = obj.pk
    return client.post(_edit_url(obj), data)


def test_edit_form_numbers_the_steps_from_one(client, cast, project):
    client.force_login(cast["leider"])

    html = client.get(_edit_url(project)).content.decode()

    assert "Stap 1: Onderzoeksfase" in html
    assert "Stap 2: Pilotfase" in html
    assert "Stap 3 (nieuw)" in html
    prefix = f"inspanning-{project.pk}-stappen"
    assert f'name="{prefix}-0-volgorde" id="id_{prefix}-0-volgorde" value="1"' in html
    assert f'name="{prefix}-2-volgorde" id="id_{prefix}-2-volgorde" value="3"' in html


def test_detail_page_numbers_the_steps_from_one_and_writes_months_in_dutch(client, cast, project):
    Stap.objects.create(
        inspanning=project, volgorde=2, naam="Evaluatie", doorlooptijd_maanden=Decimal("1.5")
    )
    client.force_login(cast["lezer"])

    with warnings.catch_warnings():
        # ngettext given a Decimal (e.g. {% blocktranslate count %}) warns.
        warnings.filterwarnings("error", message="Plural value must be an integer")
        html = client.get(
            reverse("doelenboom:inspanning", args=[project.programma.slug, project.pk])
        ).content.decode()

    assert "1. Onderzoeksfase" in html
    assert "3. Evaluatie" in html
    assert "0. " not in html
    assert ">2 maanden<" in html
    assert ">1,5 maand<" in html


@pytest.mark.parametrize(("value", "shown"), [(0.5, "0,5 maand"), (1, "1 maand"), (2, "2 maanden")])
def test_months_take_the_plural_from_two_months(value, shown):
    assert months(Decimal(str(value))) == shown


@pytest.mark.parametrize("typed", ["1,5", "1.5", " 1,5 maand", "1,50"])
def test_half_months_are_accepted_with_a_comma_or_a_point(client, cast, project, typed):
    client.force_login(cast["leider"])

    response = _post_steps(client, project, [{"naam": "Evaluatie", "doorlooptijd_maanden": typed}])

    assert response.status_code == 302
    assert project.stappen.get(naam="Evaluatie").doorlooptijd_maanden == Decimal("1.5")


def test_saved_half_month_shows_with_a_comma_in_the_form(client, cast, project):
    Stap.objects.filter(naam="Pilotfase").update(doorlooptijd_maanden=Decimal("1.5"))
    client.force_login(cast["leider"])

    html = client.get(_edit_url(project)).content.decode()

    assert 'value="1,5"' in html
    assert 'value="2"' in html  # not "2.0"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "Een stap duurt minstens een halve maand (0,5)."),
        ("1,25", "Hooguit één cijfer achter de komma, bijvoorbeeld 1,5."),
        ("anderhalf", "Vul een aantal maanden in, bijvoorbeeld 2 of 1,5."),
    ],
)
def test_impossible_doorlooptijd_is_refused_in_dutch(client, cast, project, typed, message):
    client.force_login(cast["leider"])

    response = _post_steps(client, project, [{"naam": "Evaluatie", "doorlooptijd_maanden": typed}])

    assert message in response.content.decode()
    assert not project.stappen.filter(naam="Evaluatie").exists()


def test_renumbering_a_step_moves_it_and_numbers_the_plan_from_one(client, cast, project):
    client.force_login(cast["leider"])

    _post_steps(client, project, [], numbers=[2, 1])

    assert list(project.stappen.values_list("volgorde", "naam")) == [
        (1, "Pilotfase"),
        (2, "Onderzoeksfase"),
    ]


def test_an_unchanged_stappenplan_writes_no_history(client, cast, project):
    client.force_login(cast["leider"])
    before = Stap.history.count()

    response = _post_steps(client, project, [])

    assert response.status_code == 302
    assert Stap.history.count() == before
    assert list(project.stappen.values_list("volgorde", flat=True)) == [0, 1]
