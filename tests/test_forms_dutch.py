"""Every form of the goal tree speaks Dutch: select options, dates, numbers."""

import re

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from doelenboom.levels import LEVELS
from tests import builders

HTMX = {"HX-Request": "true"}
MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"


@pytest.fixture
def tree(prog):
    goal = builders.goal_chain(prog, titel="Huishoudens zijn vroegtijdig in beeld", code="1.1")
    hanze = builders.partner(prog, naam="Hanzehogeschool", slug="hanze")
    builders.partner(prog, naam="Leger des Heils", slug="leger")
    inspanning = builders.inspanning(prog, code="A1", doelen=[goal], partners=[(hanze, "trekker")])
    return {
        "ambitie": goal.strategisch_doel.ambitie,
        "strategisch_doel": goal.strategisch_doel,
        "operationeel_doel": goal,
        "inspanning": inspanning,
    }


def _form_pages(prog, tree) -> list[str]:
    urls = []
    for kind, obj in tree.items():
        urls.append(reverse("doelenboom:edit", args=[prog.slug, kind, obj.pk]))
        parent = LEVELS[kind].parent
        add = reverse("doelenboom:add", args=[prog.slug, kind])
        urls.append(f"{add}?parent={tree[parent].pk}" if parent else add)
    return urls


def test_no_select_on_any_form_page_offers_an_english_or_dashed_empty_option(client, cast, tree):
    client.force_login(cast["leider"])
    prog = tree["ambitie"].programma
    selects_seen = 0

    for url in _form_pages(prog, tree):
        for headers in ({}, HTMX):
            html = client.get(url, headers=headers).content.decode()
            assert "---------" not in html, url
            assert "Select an option" not in html, url
            for first in re.findall(r"<select[^>]*>\s*<option value=\"\"[^>]*>([^<]*)<", html):
                selects_seen += 1
                assert first in ("— kies —", "— geen —"), (url, first)

    assert selects_seen >= 8  # groep, ambitie, strategisch doel, categorie, partner …


@pytest.mark.parametrize("kind", list(LEVELS))
def test_every_choice_field_of_the_tree_forms_has_a_dutch_empty_choice(prog, tree, kind):
    form = LEVELS[kind].form(instance=tree[kind], programma=prog, prefix="x")
    checked = 0

    for name, field in form.fields.items():
        if isinstance(field, forms.ModelMultipleChoiceField) or not isinstance(
            field, forms.ChoiceField
        ):
            continue
        labels = [str(label) for value, label in field.choices if value == ""]
        assert all(label in ("— kies —", "— geen —") for label in labels), (name, labels)
        if labels:
            expected = "— kies —" if field.required else "— geen —"
            assert labels == [expected], name
            checked += 1

    assert checked >= 1


def test_conflict_message_dates_the_other_change_in_dutch(prog, cast, tree):
    obj = tree["inspanning"]
    url = reverse("doelenboom:edit", args=[prog.slug, "inspanning", obj.pk])
    start = builders.inspanning_form_data(obj)
    first, second = Client(), Client()
    first.force_login(cast["leider"])
    second.force_login(cast["team"])
    first.post(url, {**start, f"inspanning-{obj.pk}-titel": "Een"})

    html = second.post(url, {**start, f"inspanning-{obj.pk}-titel": "Twee"}).content.decode()

    assert re.search(rf"intussen gewijzigd \(\d{{1,2}} ({MONTHS}) \d{{4}} om \d\d:\d\d\)", html)
