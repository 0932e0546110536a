"""The level registry: one entry per tree level, in the programme's own words."""

import pytest
from django.urls import reverse

from doelenboom.levels import LEVELS, level_of
from programmes.models import LEVEL_LABEL_FIELDS, TREE_LEVELS
from tests import builders


def test_registry_has_the_four_levels_in_tree_order_with_their_own_forms():
    assert tuple(LEVELS) == TREE_LEVELS
    for level in LEVELS.values():
        assert level.form._meta.model is level.model
        assert level.parent is None or LEVELS[level.parent]


def test_every_level_has_a_singular_and_plural_label_field():
    assert (
        tuple(name for key in TREE_LEVELS for name in (f"label_{key}", f"label_{key}_mv"))
        == LEVEL_LABEL_FIELDS
    )


def test_labels_and_scope_follow_the_programme(db):
    prog = builders.programma(label_strategisch_doel="Thema", label_strategisch_doel_mv="Thema's")
    goal = builders.goal_chain(prog)
    level = level_of(goal.strategisch_doel)

    assert (level.label(prog), level.label(prog, plural=True)) == ("Thema", "Thema's")
    assert level.model.objects.filter(**{level.scope: prog}).get() == goal.strategisch_doel
    assert level.dom_id(7) == "strategisch_doel-7"


@pytest.mark.parametrize("kind", TREE_LEVELS)
def test_every_level_can_be_asked_to_delete_and_deleted(client, cast, prog, kind):
    goal = builders.goal_chain(prog, code="1.1")
    inspanning = builders.inspanning(prog, doelen=[goal])
    items = {
        "ambitie": goal.strategisch_doel.ambitie,
        "strategisch_doel": goal.strategisch_doel,
        "operationeel_doel": goal,
        "inspanning": inspanning,
    }
    item = items[kind]
    url = reverse("doelenboom:delete", args=[prog.slug, kind, item.pk])
    client.force_login(cast["leider"])

    assert "Weet u zeker" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not type(item).objects.filter(pk=item.pk).exists()
