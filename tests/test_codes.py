"""A new item of the goal tree is offered the next code in its parent's series."""

import pytest
from django.urls import reverse

from doelenboom.codes import next_code
from doelenboom.models import OperationeelDoel
from tests import builders

HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize(
    ("siblings", "taken", "expected"),
    [
        (["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"], [], "1.8"),
        (["1.2", "1.10", "1.9"], [], "1.11"),  # by number, not by text
        (["3a", "3b"], [], "3c"),
        (["A1", "A2"], [], "A3"),
        (["3-T1", "3-T2"], [], "3-T3"),
        (["1", "2", "3"], [], "4"),
        (["3.1", "3.2"], ["3.3", "3.4"], "3.5"),  # codes are unique in the programme
        (["3a", "3b"], ["3c"], "3d"),
        ([], [], ""),
        (["", ""], [], ""),
        (["A1", "O1"], [], ""),  # two series: no clear pattern
        (["Vroegsignalering"], [], ""),
        (["3z"], [], ""),
    ],
)
def test_next_code_continues_one_clear_series_or_leaves_it_empty(siblings, taken, expected):
    assert next_code(siblings, taken) == expected


def _code_offered(client, prog, kind: str, parent_pk: int | None = None) -> str:
    url = reverse("doelenboom:add", args=[prog.slug, kind])
    if parent_pk is not None:
        url += f"?parent={parent_pk}"
    response = client.get(url, headers=HTMX)
    form = response.context["form"]
    return form["code"].value() or ""


def test_new_operational_goal_gets_the_next_code_of_its_strategic_goal(client, cast, prog):
    sd = builders.strategisch_doel(builders.ambitie(prog, code="1"), code="1")
    for n in range(1, 8):
        builders.operationeel_doel(sd, code=f"1.{n}")
    client.force_login(cast["leider"])

    html = client.get(
        reverse("doelenboom:add", args=[prog.slug, "operationeel_doel"]) + f"?parent={sd.pk}",
        headers=HTMX,
    ).content.decode()

    assert 'value="1.8"' in html


def test_first_goal_under_a_new_strategic_goal_follows_the_others(client, cast, prog):
    ambitie = builders.ambitie(prog, code="1")
    first = builders.strategisch_doel(ambitie, code="1")
    builders.operationeel_doel(first, code="1.1")
    builders.operationeel_doel(first, code="1.2")
    second = builders.strategisch_doel(ambitie, code="2")
    unnumbered = builders.strategisch_doel(ambitie, code="")
    client.force_login(cast["leider"])

    assert _code_offered(client, prog, "operationeel_doel", second.pk) == "2.1"
    assert _code_offered(client, prog, "operationeel_doel", unnumbered.pk) == ""


def test_kvnh_goals_numbered_per_ambitie_skip_codes_of_the_other_theme(client, cast, prog):
    ambitie = builders.ambitie(prog, code="3")
    t1 = builders.strategisch_doel(ambitie, code="3-T1")
    t2 = builders.strategisch_doel(ambitie, code="3-T2")
    for sd, codes in ((t1, ["3.1", "3.2"]), (t2, ["3.3", "3.4"])):
        for code in codes:
            builders.operationeel_doel(sd, code=code)
    client.force_login(cast["leider"])

    assert _code_offered(client, prog, "operationeel_doel", t1.pk) == "3.5"
    assert _code_offered(client, prog, "strategisch_doel", ambitie.pk) == "3-T3"


def test_projects_ambities_and_items_without_codes(client, cast, prog):
    ambitie = builders.ambitie(prog, code="3")
    builders.ambitie(prog, code="4")
    goal = builders.operationeel_doel(builders.strategisch_doel(ambitie), code="3.3")
    builders.inspanning(prog, code="3a", doelen=[goal])
    builders.inspanning(prog, code="3b", doelen=[goal])
    bare = builders.operationeel_doel(goal.strategisch_doel, code="3.4")
    builders.inspanning(prog, code="", titel="Zonder code", doelen=[bare])
    client.force_login(cast["leider"])

    assert _code_offered(client, prog, "inspanning", goal.pk) == "3c"
    assert _code_offered(client, prog, "ambitie") == "5"
    assert _code_offered(client, prog, "inspanning", bare.pk) == ""


def test_the_offered_code_stays_editable(client, cast, prog):
    sd = builders.strategisch_doel(builders.ambitie(prog), code="1")
    builders.operationeel_doel(sd, code="1.1")
    client.force_login(cast["leider"])
    prefix = f"nieuw-operationeel_doel-{sd.pk}"
    assert _code_offered(client, prog, "operationeel_doel", sd.pk) == "1.2"

    client.post(
        reverse("doelenboom:add", args=[prog.slug, "operationeel_doel"]),
        {
            "parent": sd.pk,
            f"{prefix}-strategisch_doel": sd.pk,
            f"{prefix}-code": "1.9",
            f"{prefix}-titel": "Eigen nummering",
        },
    )

    assert OperationeelDoel.objects.get(titel="Eigen nummering").code == "1.9"
