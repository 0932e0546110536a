"""Editing the goal tree in the browser: htmx and plain posts, conflicts, history, revert."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from doelenboom.models import (
    Ambitie,
    Bijdrage,
    Inspanning,
    InspanningPartner,
    OperationeelDoel,
    StrategischDoel,
)
from tests import builders
from tests.queries import page_queries

HTMX = {"HX-Request": "true"}


@pytest.fixture
def tree(prog, cast):
    goal = builders.goal_chain(prog, titel="Huishoudens zijn vroegtijdig in beeld", code="1.1")
    other = builders.operationeel_doel(goal.strategisch_doel, titel="Samenhang", code="1.2")
    hanze = builders.partner(prog, naam="Hanzehogeschool", slug="hanze")
    builders.partner(prog, naam="Leger des Heils", slug="leger")
    inspanning = builders.inspanning(
        prog,
        titel="Inzetten op vroegsignalering",
        code="A1",
        doelen=[goal],
        partners=[(hanze, "trekker")],
    )
    return {"prog": prog, "goal": goal, "other": other, "inspanning": inspanning, "hanze": hanze}


def _url(name: str, prog, kind: str, pk: int | None = None, **extra) -> str:
    args = [prog.slug, kind] + ([pk] if pk is not None else [])
    return reverse(f"doelenboom:{name}", args=[*args, *extra.values()])


def _inspanning_data(obj: Inspanning, **changes) -> dict:
    return builders.inspanning_form_data(obj, **changes)


def test_leader_renames_an_inspanning_with_a_plain_form_post(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]

    response = client.post(
        _url("edit", tree["prog"], "inspanning", obj.pk),
        _inspanning_data(obj, titel="Vroegsignalering versterken", reden="Scherper verwoord"),
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"#operationeel_doel-{tree['goal'].pk}")
    obj.refresh_from_db()
    assert (obj.titel, obj.versie) == ("Vroegsignalering versterken", 2)
    latest = obj.history.latest()
    assert latest.history_change_reason == "Scherper verwoord"
    assert latest.history_user == cast["leider"]


def test_htmx_save_swaps_only_the_affected_goal_and_moves_focus(client, cast, tree):
    client.force_login(cast["team"])
    obj = tree["inspanning"]

    response = client.post(
        _url("edit", tree["prog"], "inspanning", obj.pk),
        _inspanning_data(obj, titel="Vroegsignalering versterken"),
        headers=HTMX,
    )

    html = response.content.decode()
    assert response["HX-Reswap"] == "none"
    assert f'id="operationeel_doel-{tree["goal"].pk}"' in html
    assert 'data-hx-swap-oob="outerHTML"' in html
    assert f'id="operationeel_doel-{tree["other"].pk}"' not in html
    assert "Vroegsignalering versterken" in html
    event = json.loads(response["HX-Trigger-After-Settle"])["koers:changed"]
    assert event["focus"] == f"#titel-inspanning-{obj.pk}-{tree['goal'].pk}"
    assert "opgeslagen" in event["message"]


def test_htmx_edit_form_replaces_only_the_item(client, cast, tree):
    client.force_login(cast["leider"])

    response = client.get(
        _url("edit", tree["prog"], "operationeel_doel", tree["goal"].pk), headers=HTMX
    )

    html = response.content.decode()
    assert "<html" not in html
    assert '<form class="koers-edit"' in html
    assert 'name="operationeel_doel-' in html


def test_second_editor_is_refused_and_sees_the_other_change_with_own_input_kept(cast, tree):
    obj = tree["inspanning"]
    url = _url("edit", tree["prog"], "inspanning", obj.pk)
    first, second = Client(), Client()
    first.force_login(cast["leider"])
    second.force_login(cast["team"])
    both_start_from = _inspanning_data(obj)  # both opened the form at version 1

    first.post(url, {**both_start_from, f"inspanning-{obj.pk}-titel": "Titel van de leider"})
    response = second.post(
        url, {**both_start_from, f"inspanning-{obj.pk}-titel": "Titel van het team"}
    )

    html = response.content.decode()
    obj.refresh_from_db()
    assert obj.titel == "Titel van de leider"  # nothing overwritten
    assert "heeft dit intussen gewijzigd" in html
    assert "<dt>Versie van leider</dt><dd>Titel van de leider</dd>" in html
    assert 'value="Titel van het team"' in html  # the second person's input is kept
    assert obj.history.count() == 2

    # Having seen the other change, saving again with a choice for the title goes through.
    data = dict(both_start_from)
    data.update(
        {
            f"inspanning-{obj.pk}-titel": "Titel van het team",
            f"inspanning-{obj.pk}-gezien": obj.versie,
            f"inspanning-{obj.pk}-keuze_titel": "mijn",
        }
    )
    second.post(url, data)
    obj.refresh_from_db()
    assert obj.titel == "Titel van het team"


def test_saving_an_unchanged_form_writes_no_history(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]

    client.post(_url("edit", tree["prog"], "inspanning", obj.pk), _inspanning_data(obj))

    obj.refresh_from_db()
    assert obj.versie == 1
    assert obj.history.count() == 1


def test_empty_title_is_refused_with_a_dutch_message_naming_the_field(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]

    response = client.post(
        _url("edit", tree["prog"], "inspanning", obj.pk),
        _inspanning_data(obj, titel=""),
        headers=HTMX,
    )

    html = response.content.decode()
    assert "Niet opgeslagen" in html
    assert "Titel</a>: Dit veld is verplicht." in html
    obj.refresh_from_db()
    assert obj.titel == "Inzetten op vroegsignalering"


@pytest.mark.parametrize("role", ["stuurgroep", "coalitielid", "lezer"])
def test_readers_get_no_edit_controls_and_a_crafted_post_is_refused(client, cast, tree, role):
    client.force_login(cast[role])
    obj = tree["inspanning"]

    page = client.get(reverse("doelenboom:tree", args=[tree["prog"].slug])).content.decode()
    edit = client.post(
        _url("edit", tree["prog"], "inspanning", obj.pk), _inspanning_data(obj, titel="Gekaapt")
    )
    delete = client.post(_url("delete", tree["prog"], "inspanning", obj.pk))

    assert "Bewerken" not in page
    assert "/acties/" not in page and "koers-menu" not in page
    assert edit.status_code == 403
    assert delete.status_code == 403
    obj.refresh_from_db()
    assert obj.titel == "Inzetten op vroegsignalering"


def test_leader_sees_a_menu_of_actions_per_item_that_loads_on_demand(client, cast, tree):
    client.force_login(cast["leider"])
    obj, goal = tree["inspanning"], tree["goal"]

    page = client.get(reverse("doelenboom:tree", args=[tree["prog"].slug])).content.decode()

    # The controls themselves are not in the page: each item has a menu, named after it,
    # whose link opens them (loaded in place by koers.js, or as a page without JavaScript).
    assert "Bewerken" not in page
    assert (
        '<summary class="koers-menu__knop">Acties'
        '<span class="koers-visually-hidden"> Inzetten op vroegsignalering</span></summary>'
    ) in page
    assert f'href="{_url("actions", tree["prog"], "inspanning", obj.pk)}?doel={goal.pk}"' in page
    assert f'href="{_url("actions", tree["prog"], "operationeel_doel", goal.pk)}"' in page


def test_another_programmes_item_cannot_be_reached_by_changing_the_id(client, cast, tree):
    elders = builders.inspanning(builders.programma(), titel="Elders")
    client.force_login(cast["leider"])

    for name in ("edit", "delete", "history", "node", "actions"):
        assert client.get(_url(name, tree["prog"], "inspanning", elders.pk)).status_code == 404
    assert client.post(_url("move", tree["prog"], "inspanning", elders.pk)).status_code == 404


def test_actions_menu_in_the_tree_targets_the_item_under_its_goal(client, cast, tree):
    client.force_login(cast["team"])
    obj, goal = tree["inspanning"], tree["goal"]
    url = _url("actions", tree["prog"], "inspanning", obj.pk)

    response = client.get(f"{url}?doel={goal.pk}", headers=HTMX)

    html = response.content.decode()
    assert "<html" not in html
    edit = _url("edit", tree["prog"], "inspanning", obj.pk)
    assert (
        f'href="{edit}" data-hx-get="{edit}" data-hx-target="#kop-inspanning-{obj.pk}-{goal.pk}"'
    ) in html
    assert f'<input type="hidden" name="doel" value="{goal.pk}">' in html
    assert 'Omlaag<span class="koers-visually-hidden"> Inzetten op vroegsignalering</span>' in html
    assert _url("history", tree["prog"], "inspanning", obj.pk) in html


def test_actions_without_javascript_are_a_page_of_plain_links_and_forms(client, cast, tree):
    client.force_login(cast["leider"])
    goal = tree["goal"]

    response = client.get(_url("actions", tree["prog"], "operationeel_doel", goal.pk))

    html = response.content.decode()
    assert "<h1" in html and "Acties: Huishoudens zijn vroegtijdig in beeld" in html
    assert "data-hx-" not in html.split('id="inhoud"')[1]
    assert f'action="{_url("move", tree["prog"], "operationeel_doel", goal.pk)}"' in html
    assert (
        f'href="{reverse("doelenboom:tree", args=[tree["prog"].slug])}#operationeel_doel-' in html
    )


@pytest.mark.parametrize("role", ["stuurgroep", "coalitielid", "lezer"])
def test_readers_cannot_open_the_actions(client, cast, tree, role):
    client.force_login(cast[role])

    response = client.get(_url("actions", tree["prog"], "inspanning", tree["inspanning"].pk))

    assert response.status_code == 403


def test_actions_of_an_inspanning_under_a_goal_it_does_not_serve_are_not_found(client, cast, tree):
    client.force_login(cast["leider"])
    url = _url("actions", tree["prog"], "inspanning", tree["inspanning"].pk)
    elders = builders.goal_chain(builders.programma())

    for doel in (tree["other"].pk, elders.pk, "1; DROP TABLE"):
        assert client.get(url, {"doel": doel}).status_code == 404
    assert client.get(url, {"doel": "algemeen"}).status_code == 200


def test_after_a_delete_focus_goes_to_the_parents_title(client, cast, tree):
    client.force_login(cast["leider"])
    goal, obj = tree["other"], tree["inspanning"]

    goal_gone = client.post(
        _url("delete", tree["prog"], "operationeel_doel", goal.pk), headers=HTMX
    )
    inspanning_gone = client.post(_url("delete", tree["prog"], "inspanning", obj.pk), headers=HTMX)

    def event(response):
        return json.loads(response["HX-Trigger-After-Settle"])["koers:changed"]

    assert event(goal_gone)["focus"] == f"#titel-strategisch_doel-{goal.strategisch_doel_id}"
    assert "verwijderd" in event(goal_gone)["message"]
    assert event(inspanning_gone)["focus"] == f"#titel-operationeel_doel-{tree['goal'].pk}"
    # The parent that receives focus is among the nodes swapped in.
    assert f'id="titel-strategisch_doel-{goal.strategisch_doel_id}"' in goal_gone.content.decode()


def test_after_a_delete_without_javascript_the_tree_opens_at_the_parent(client, cast, tree):
    client.force_login(cast["leider"])
    goal = tree["goal"]
    sd = goal.strategisch_doel
    tree_url = reverse("doelenboom:tree", args=[tree["prog"].slug])

    goal_gone = client.post(_url("delete", tree["prog"], "operationeel_doel", tree["other"].pk))
    inspanning_gone = client.post(_url("delete", tree["prog"], "inspanning", tree["inspanning"].pk))
    ambitie_gone = client.post(_url("delete", tree["prog"], "ambitie", sd.ambitie_id))

    assert goal_gone["Location"] == f"{tree_url}#strategisch_doel-{sd.pk}"
    assert inspanning_gone["Location"] == f"{tree_url}#operationeel_doel-{goal.pk}"
    assert ambitie_gone["Location"] == tree_url
    assert "verwijderd" in client.get(goal_gone["Location"]).content.decode()


def test_a_changed_node_stays_collapsed_as_on_the_page(client, cast, tree):
    client.force_login(cast["leider"])
    sd = tree["goal"].strategisch_doel
    page = "http://testserver" + reverse("doelenboom:tree", args=[tree["prog"].slug])

    response = client.post(
        _url("move", tree["prog"], "strategisch_doel", sd.pk),
        {"richting": "omhoog"},
        headers={**HTMX, "HX-Current-URL": f"{page}?q=x&dicht=s{sd.pk}"},
    )

    html = response.content.decode()
    assert f'id="onder-strategisch_doel-{sd.pk}" hidden' in html
    assert "<mark>" not in html  # the node is shown whole, not filtered


def test_add_at_every_level(client, cast, tree):
    client.force_login(cast["leider"])
    prog = tree["prog"]
    sd = tree["goal"].strategisch_doel

    client.post(_url("add", prog, "ambitie"), {"nieuw-ambitie-0-titel": "Tweede ambitie"})
    client.post(
        _url("add", prog, "strategisch_doel") + f"?parent={sd.ambitie_id}",
        {
            "parent": sd.ambitie_id,
            f"nieuw-strategisch_doel-{sd.ambitie_id}-ambitie": sd.ambitie_id,
            f"nieuw-strategisch_doel-{sd.ambitie_id}-titel": "Nieuw thema",
        },
    )
    client.post(
        _url("add", prog, "operationeel_doel"),
        {
            "parent": sd.pk,
            f"nieuw-operationeel_doel-{sd.pk}-strategisch_doel": sd.pk,
            f"nieuw-operationeel_doel-{sd.pk}-titel": "Nieuwe doelstelling",
            f"nieuw-operationeel_doel-{sd.pk}-code": "1.3",
        },
    )
    goal = tree["goal"]
    prefix = f"nieuw-inspanning-{goal.pk}"
    response = client.post(
        _url("add", prog, "inspanning"),
        {
            "parent": goal.pk,
            f"{prefix}-titel": "Nieuwe inspanning",
            f"{prefix}-categorie": "uitproberen",
            f"{prefix}-doelen": [goal.pk],
            f"{prefix}-nieuwe_partner_rol": "betrokken",
            f"{prefix}-stappen-TOTAL_FORMS": 0,
            f"{prefix}-stappen-INITIAL_FORMS": 0,
        },
        headers=HTMX,
    )

    assert Ambitie.objects.filter(programma=prog, titel="Tweede ambitie").exists()
    assert StrategischDoel.objects.filter(ambitie=sd.ambitie, titel="Nieuw thema").exists()
    assert OperationeelDoel.objects.get(code="1.3").strategisch_doel == sd
    added = Inspanning.objects.get(titel="Nieuwe inspanning")
    assert list(added.doelen.all()) == [goal]
    assert "Nieuwe inspanning" in response.content.decode()


def test_add_form_for_an_inspanning_under_a_goal_preselects_that_goal(client, cast, tree):
    client.force_login(cast["leider"])

    response = client.get(
        _url("add", tree["prog"], "inspanning") + f"?parent={tree['goal'].pk}", headers=HTMX
    )

    html = response.content.decode()
    assert (
        f'value="{tree["goal"].pk}" id="id_nieuw-inspanning-{tree["goal"].pk}-doelen_0" checked'
        in html
    )


def test_link_an_inspanning_to_a_second_goal_and_unlink_the_first(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    url = _url("edit", tree["prog"], "inspanning", obj.pk)

    client.post(url, _inspanning_data(obj, doelen=[tree["goal"].pk, tree["other"].pk]))
    assert set(obj.doelen.all()) == {tree["goal"], tree["other"]}

    obj.refresh_from_db()
    response = client.post(url, _inspanning_data(obj, doelen=[tree["other"].pk]), headers=HTMX)
    assert list(obj.doelen.all()) == [tree["other"]]
    html = response.content.decode()
    # Both the goal it left and the goal it joined are re-rendered.
    assert f'id="operationeel_doel-{tree["goal"].pk}"' in html
    assert f'id="operationeel_doel-{tree["other"].pk}"' in html
    kinds = list(
        Bijdrage.history.filter(inspanning_id=obj.pk).values_list("history_type", flat=True)
    )
    assert sorted(kinds) == ["+", "+", "-"]


def test_partners_added_rerolled_and_removed_in_one_save(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    leger = tree["prog"].organisaties.get(slug="leger")

    client.post(
        _url("edit", tree["prog"], "inspanning", obj.pk),
        _inspanning_data(
            obj,
            **{
                f"rol_{tree['hanze'].pk}": "kennispartner",
                "nieuwe_partner": leger.pk,
                "nieuwe_partner_rol": "betrokken",
            },
        ),
    )
    roles = dict(
        InspanningPartner.objects.filter(inspanning=obj).values_list("organisatie__slug", "rol")
    )
    assert roles == {"hanze": "kennispartner", "leger": "betrokken"}

    client.post(
        _url("edit", tree["prog"], "inspanning", obj.pk),
        _inspanning_data(obj, **{f"rol_{tree['hanze'].pk}": "verwijderen"}),
    )
    assert list(obj.partnerrollen.values_list("organisatie__slug", flat=True)) == ["leger"]


def test_move_an_operational_goal_to_another_strategic_goal(client, cast, tree):
    client.force_login(cast["leider"])
    goal = tree["goal"]
    new_parent = builders.strategisch_doel(goal.strategisch_doel.ambitie, titel="Werkveld")

    response = client.post(
        _url("edit", tree["prog"], "operationeel_doel", goal.pk),
        {
            f"operationeel_doel-{goal.pk}-{k}": v
            for k, v in {
                "versie": goal.versie,
                "strategisch_doel": new_parent.pk,
                "code": goal.code,
                "titel": goal.titel,
            }.items()
        },
        headers=HTMX,
    )

    goal.refresh_from_db()
    assert goal.strategisch_doel == new_parent
    assert 'id="boom" data-hx-swap-oob="innerHTML"' in response.content.decode()


def test_operational_goal_code_must_stay_unique_in_the_programme(client, cast, tree):
    client.force_login(cast["leider"])
    goal = tree["other"]

    response = client.post(
        _url("edit", tree["prog"], "operationeel_doel", goal.pk),
        {
            f"operationeel_doel-{goal.pk}-{k}": v
            for k, v in {
                "versie": goal.versie,
                "strategisch_doel": goal.strategisch_doel_id,
                "code": "1.1",
                "titel": goal.titel,
            }.items()
        },
    )

    assert "Code 1.1 is in dit programma al in gebruik." in response.content.decode()
    goal.refresh_from_db()
    assert goal.code == "1.2"


def test_reorder_goals_up_and_down(client, cast, tree):
    client.force_login(cast["leider"])
    first, second = tree["goal"], tree["other"]

    client.post(_url("move", tree["prog"], "operationeel_doel", second.pk), {"richting": "omhoog"})

    order = list(first.strategisch_doel.operationele_doelen.order_by("volgorde", "id"))
    assert order == [second, first]
    response = client.post(
        _url("move", tree["prog"], "operationeel_doel", second.pk),
        {"richting": "omhoog"},
        headers=HTMX,
    )
    assert "staat al bovenaan of onderaan" in response["HX-Trigger-After-Settle"]


def test_reorder_inspanningen_within_a_goal(client, cast, tree):
    client.force_login(cast["leider"])
    goal = tree["goal"]
    later = builders.inspanning(tree["prog"], titel="Tweede", doelen=[goal], volgorde=5)

    client.post(
        _url("move", tree["prog"], "inspanning", later.pk), {"richting": "omhoog", "doel": goal.pk}
    )

    shown = list(
        Inspanning.objects.filter(bijdragen__operationeel_doel=goal)
        .order_by("volgorde", "id")
        .values_list("titel", flat=True)
    )
    assert shown == ["Tweede", "Inzetten op vroegsignalering"]


def test_delete_asks_first_and_says_what_goes_with_it(client, cast, tree):
    client.force_login(cast["leider"])
    sd = tree["goal"].strategisch_doel

    confirm = client.get(_url("delete", tree["prog"], "strategisch_doel", sd.pk)).content.decode()

    assert "Weet u zeker" in confirm
    # The programme's own plural label for the level, lower-cased (the default labels here).
    assert "<li>2 operationele doelstellingen</li>" in confirm
    assert "1 koppeling tussen een doel en een inspanning" in confirm
    assert "komt onder “Programmabreed”" in confirm
    assert StrategischDoel.objects.filter(pk=sd.pk).exists()


def test_delete_removes_the_branch_keeps_the_inspanning_and_records_history(client, cast, tree):
    client.force_login(cast["leider"])
    sd = tree["goal"].strategisch_doel

    response = client.post(
        _url("delete", tree["prog"], "strategisch_doel", sd.pk),
        {"reden": "Samengevoegd"},
        headers=HTMX,
    )

    assert not StrategischDoel.objects.filter(pk=sd.pk).exists()
    assert not OperationeelDoel.objects.filter(pk=tree["goal"].pk).exists()
    assert Inspanning.objects.filter(pk=tree["inspanning"].pk).exists()
    deleted = StrategischDoel.history.filter(id=sd.pk, history_type="-").get()
    assert deleted.history_change_reason == "Samengevoegd"
    assert OperationeelDoel.history.filter(history_type="-").count() == 2
    assert 'id="algemeen"' in response.content.decode()  # the orphan shows up there


def test_history_shows_who_changed_which_field_from_what_to_what_and_why(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    client.post(
        _url("edit", tree["prog"], "inspanning", obj.pk),
        _inspanning_data(obj, titel="Nieuwe titel", categorie="onderzoeken", reden="Na het eiland"),
    )

    html = client.get(_url("history", tree["prog"], "inspanning", obj.pk)).content.decode()

    assert "leider" in html
    assert "Na het eiland" in html
    assert "Inzetten op vroegsignalering" in html and "Nieuwe titel" in html
    assert "Actie" in html and "Onderzoeken" in html
    assert "Terugzetten naar versie 1" in html


def test_revert_restores_an_earlier_version_and_is_itself_recorded(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    client.post(
        _url("edit", tree["prog"], "inspanning", obj.pk),
        _inspanning_data(obj, titel="Verkeerde titel"),
    )
    obj.refresh_from_db()
    first = obj.history.get(versie=1)

    client.post(
        _url("revert", tree["prog"], "inspanning", obj.pk, history_id=first.history_id),
        {"versie": obj.versie},
    )

    obj.refresh_from_db()
    assert (obj.titel, obj.versie) == ("Inzetten op vroegsignalering", 3)
    assert obj.history.latest().history_change_reason == "Teruggezet naar versie 1"


def test_revert_based_on_a_stale_page_is_refused(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    first = obj.history.get()
    client.post(
        _url("edit", tree["prog"], "inspanning", obj.pk), _inspanning_data(obj, titel="Nieuw")
    )

    response = client.post(
        _url("revert", tree["prog"], "inspanning", obj.pk, history_id=first.history_id),
        {"versie": 1},
        follow=True,
    )

    obj.refresh_from_db()
    assert obj.titel == "Nieuw"
    assert "iemand heeft dit intussen gewijzigd" in response.content.decode()


def test_reader_cannot_revert(client, cast, tree):
    client.force_login(cast["lezer"])
    obj = tree["inspanning"]

    response = client.post(
        _url("revert", tree["prog"], "inspanning", obj.pk, history_id=obj.history.get().history_id),
        {"versie": 1},
    )

    assert response.status_code == 403


def test_recent_changes_lists_changes_across_levels(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    client.post(
        _url("edit", tree["prog"], "inspanning", obj.pk),
        _inspanning_data(obj, titel="Gewijzigde inspanning", reden="Eiland 2024"),
    )

    html = client.get(reverse("doelenboom:changes", args=[tree["prog"].slug])).content.decode()

    assert "Gewijzigde inspanning" in html
    assert "Eiland 2024" in html
    assert "Huishoudens zijn vroegtijdig in beeld" in html  # the goal's creation


def test_history_and_recent_changes_query_counts_do_not_grow(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    history_url = _url("history", tree["prog"], "inspanning", obj.pk)
    changes_url = reverse("doelenboom:changes", args=[tree["prog"].slug])
    edit_url = _url("edit", tree["prog"], "inspanning", obj.pk)
    client.post(edit_url, _inspanning_data(obj, titel="Een"))
    before = (page_queries(client, history_url), page_queries(client, changes_url))

    for n in range(6):
        obj.refresh_from_db()
        client.post(
            edit_url,
            _inspanning_data(
                obj, titel=f"Versie {n}", doelen=[tree["other"].pk] if n % 2 else [tree["goal"].pk]
            ),
        )
        builders.goal_chain(tree["prog"])

    assert (page_queries(client, history_url), page_queries(client, changes_url)) == before


def test_tree_with_edit_controls_keeps_a_fixed_query_count(client, cast, tree):
    client.force_login(cast["leider"])
    url = reverse("doelenboom:tree", args=[tree["prog"].slug])
    before = page_queries(client, url)

    for _ in range(8):
        goal = builders.goal_chain(tree["prog"])
        builders.inspanning(tree["prog"], doelen=[goal], partners=[(tree["hanze"], "betrokken")])

    assert page_queries(client, url) == before


def _with_steps(obj: Inspanning, steps: list[dict], **changes) -> dict:
    prefix = f"inspanning-{obj.pk}-stappen"
    # The management form replaces the empty stappenplan of _inspanning_data.
    data = {
        **_inspanning_data(obj, **changes),
        f"{prefix}-TOTAL_FORMS": len(steps),
        f"{prefix}-INITIAL_FORMS": obj.stappen.count(),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for index, step in enumerate(steps):
        for key, value in step.items():
            data[f"{prefix}-{index}-{key}"] = value
        data[f"{prefix}-{index}-inspanning"] = obj.pk
    return data


def test_stappenplan_is_edited_in_the_same_form_with_history(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    url = _url("edit", tree["prog"], "inspanning", obj.pk)

    client.post(
        url,
        _with_steps(
            obj,
            [
                {"volgorde": 1, "naam": "Onderzoeksfase", "doorlooptijd_maanden": 2},
                {"volgorde": 2, "naam": "Pilotfase", "doorlooptijd_maanden": 6},
            ],
            reden="Tijdpad uit het projectplan",
        ),
    )

    steps = list(obj.stappen.values_list("naam", "doorlooptijd_maanden"))
    assert steps == [("Onderzoeksfase", 2), ("Pilotfase", 6)]
    first, second = obj.stappen.all()
    obj.refresh_from_db()
    client.post(
        url,
        _with_steps(
            obj,
            [
                {
                    "id": first.pk,
                    "volgorde": 1,
                    "naam": "Onderzoeksfase",
                    "doorlooptijd_maanden": 3,
                },
                {
                    "id": second.pk,
                    "volgorde": 2,
                    "naam": "Pilotfase",
                    "doorlooptijd_maanden": 6,
                    "DELETE": "on",
                },
            ],
        ),
    )

    assert list(obj.stappen.values_list("naam", "doorlooptijd_maanden")) == [("Onderzoeksfase", 3)]
    reasons = set(first.history.values_list("history_change_reason", flat=True))
    assert "Tijdpad uit het projectplan" in reasons
    assert second.history.filter(history_type="-").exists()


def test_a_bad_step_is_refused_with_the_field_named_and_nothing_saved(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]

    response = client.post(
        _url("edit", tree["prog"], "inspanning", obj.pk),
        _with_steps(
            obj, [{"volgorde": 1, "naam": "", "doorlooptijd_maanden": -2}], titel="Nieuwe titel"
        ),
        headers=HTMX,
    )

    html = response.content.decode()
    assert "Stappenplan, naam</a>: Dit veld is verplicht." in html
    assert "Stappenplan, doorlooptijd (maanden)</a>" in html
    obj.refresh_from_db()
    assert obj.titel == "Inzetten op vroegsignalering"
    assert not obj.stappen.exists()


def test_malformed_ids_in_a_post_are_not_found_not_a_crash(client, cast, tree):
    client.force_login(cast["leider"])

    move = client.post(
        _url("move", tree["prog"], "inspanning", tree["inspanning"].pk),
        {"richting": "omhoog", "doel": "1; DROP TABLE"},
    )
    add = client.get(_url("add", tree["prog"], "inspanning") + "?parent=abc")

    assert (move.status_code, add.status_code) == (404, 404)
