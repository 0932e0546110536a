"""One browser edit is one transaction: fields, goals, partners and steps save together or not.

Each part that can fail is made to fail once, and every test checks that nothing at all was
written: not the title, not the version, not a link, not a step, not a history row.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from doelenboom import services
from doelenboom.models import Inspanning, Stap
from programmes.models import Partnerschap
from tests import builders


@pytest.fixture
def tree(prog, cast):
    goal = builders.goal_chain(prog, titel="Huishoudens zijn vroegtijdig in beeld", code="1.1")
    other = builders.operationeel_doel(goal.strategisch_doel, titel="Samenhang", code="1.2")
    hanze = builders.partner(prog, naam="Hanzehogeschool", slug="hanze")
    leger = builders.partner(prog, naam="Leger des Heils", slug="leger")
    inspanning = builders.inspanning(
        prog,
        titel="Inzetten op vroegsignalering",
        code="A1",
        doelen=[goal],
        partners=[(hanze, "trekker"), (leger, "betrokken")],
    )
    Stap.objects.create(inspanning=inspanning, volgorde=0, naam="Onderzoek")
    return {
        "prog": prog,
        "goal": goal,
        "other": other,
        "inspanning": inspanning,
        "hanze": hanze,
        "leger": leger,
    }


def _snapshot(inspanning: Inspanning) -> dict:
    """Everything an edit of the inspanning could write, including every history table."""
    inspanning = Inspanning.objects.get(pk=inspanning.pk)
    return {
        "fields": (inspanning.titel, inspanning.code, inspanning.categorie, inspanning.versie),
        "goals": sorted(inspanning.bijdragen.values_list("operationeel_doel_id", flat=True)),
        "partners": sorted(inspanning.partnerrollen.values_list("organisatie_id", "rol")),
        "steps": list(inspanning.stappen.values_list("volgorde", "naam")),
        "history": {
            model._meta.label: model.objects.count()
            for model in apps.get_models()
            if model.__name__.startswith("Historical")
        },
    }


def _links(tree, **changes) -> services.InspanningLinks:
    values = {
        "goals": [tree["goal"].pk],
        "partners": {tree["hanze"].pk: "trekker", tree["leger"].pk: "betrokken"},
        **changes,
    }
    return services.InspanningLinks(**values)


def _refused_rename(tree, **links) -> ValidationError:
    """Rename the inspanning and set these links in one edit, which must be refused."""
    obj = tree["inspanning"]
    with pytest.raises(ValidationError) as raised:
        services.update_item(
            obj, {"titel": "Nieuwe titel"}, expected_versie=obj.versie, links=_links(tree, **links)
        )
    return raised.value


def test_edit_naming_a_former_partner_saves_nothing_and_says_which_partner(client, cast, tree):
    # The partnership ends while the organisation is still on the inspanning; then one save
    # renames the inspanning and changes that organisation's role.
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    Partnerschap.objects.get(programma=tree["prog"], organisatie=tree["hanze"]).delete()
    before = _snapshot(obj)

    response = client.post(
        reverse("doelenboom:edit", args=[tree["prog"].slug, "inspanning", obj.pk]),
        builders.inspanning_form_data(
            obj,
            with_steps=True,
            titel="Nieuwe titel",
            **{f"rol_{tree['hanze'].pk}": "kennispartner"},
        ),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Hanzehogeschool: Deze organisatie is geen partner van dit programma." in html
    assert 'value="Nieuwe titel"' in html  # the editor's input stays in the form
    assert _snapshot(obj) == before


def test_invalid_own_field_keeps_goals_partners_and_steps_as_they_were(tree):
    obj = tree["inspanning"]
    builders.inspanning(tree["prog"], titel="Andere", code="B2")
    before = _snapshot(obj)

    with pytest.raises(ValidationError) as raised:
        services.update_item(
            obj,
            {"code": "B2", "titel": "Nieuwe titel"},
            expected_versie=obj.versie,
            links=_links(tree, goals=[tree["other"].pk]),
        )

    assert "al in gebruik" in str(raised.value)
    assert _snapshot(obj) == before


def test_goal_of_another_programme_keeps_the_new_title_unsaved(tree):
    obj = tree["inspanning"]
    foreign_goal = builders.goal_chain(builders.programma(slug="ander"), code="9.9")
    before = _snapshot(obj)

    error = _refused_rename(tree, goals=[tree["goal"].pk, foreign_goal.pk])

    assert "hoort bij een ander programma" in " ".join(error.messages)
    assert _snapshot(obj) == before


def test_organisation_that_is_no_partner_keeps_the_edit_unsaved(tree):
    obj = tree["inspanning"]
    outsider = builders.organisatie(naam="Buitenstaander BV")
    before = _snapshot(obj)

    error = _refused_rename(
        tree,
        goals=[tree["other"].pk],
        partners={tree["hanze"].pk: "betrokken", outsider.pk: "trekker"},
    )

    assert error.messages == [
        "Buitenstaander BV: Deze organisatie is geen partner van dit programma."
    ]
    assert _snapshot(obj) == before


def test_invalid_step_keeps_title_goals_and_partners_unsaved(tree):
    obj = tree["inspanning"]
    before = _snapshot(obj)
    too_long = Stap(volgorde=1, naam="x" * 201)

    error = _refused_rename(tree, goals=[tree["other"].pk], steps=[too_long])

    assert error.messages[0].startswith("stap „xxx")
    assert _snapshot(obj) == before


def test_new_inspanning_with_an_invalid_partner_is_not_created(tree):
    outsider = builders.organisatie(naam="Buitenstaander BV")
    count = Inspanning.objects.count()
    obj = Inspanning(programma=tree["prog"], titel="Nieuw", categorie="actie")

    with pytest.raises(ValidationError):
        services.create_item(
            obj,
            links=_links(tree, partners={outsider.pk: "trekker"}, steps=[Stap(naam="Start")]),
        )

    assert Inspanning.objects.count() == count
    assert not Stap.objects.filter(naam="Start").exists()


def test_edit_with_every_part_valid_saves_all_parts_in_one_version(tree):
    obj = tree["inspanning"]

    saved, changed = services.update_item(
        obj,
        {"titel": "Nieuwe titel"},
        expected_versie=obj.versie,
        links=_links(
            tree,
            goals=[tree["other"].pk],
            partners={tree["leger"].pk: "trekker"},
            steps=[Stap(volgorde=1, naam="Pilot")],
        ),
    )

    after = _snapshot(saved)
    assert changed
    assert after["fields"] == ("Nieuwe titel", "A1", "actie", 2)
    assert after["goals"] == [tree["other"].pk]
    assert after["partners"] == [(tree["leger"].pk, "trekker")]
    assert after["steps"] == [(0, "Onderzoek"), (1, "Pilot")]


def test_revert_from_an_out_of_date_version_is_refused_under_the_lock(tree):
    obj = tree["inspanning"]
    first = obj.history.earliest("history_date")
    # Someone saves after the reverting editor loaded the history page (at versie 1).
    services.update_item(obj, {"titel": "Door een collega"}, expected_versie=1)
    before = _snapshot(obj)

    with pytest.raises(services.EditConflict) as raised:
        services.revert_item(obj, first, expected_versie=1)

    assert raised.value.current.titel == "Door een collega"
    assert _snapshot(obj) == before


def test_revert_post_with_a_stale_version_says_so_and_changes_nothing(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    first = obj.history.earliest("history_date")
    services.update_item(obj, {"titel": "Door een collega"}, expected_versie=1)
    before = _snapshot(obj)

    response = client.post(
        reverse(
            "doelenboom:revert",
            args=[tree["prog"].slug, "inspanning", obj.pk, first.history_id],
        ),
        {"versie": 1},
        follow=True,
    )

    assert "iemand heeft dit intussen gewijzigd" in response.content.decode()
    assert _snapshot(obj) == before
