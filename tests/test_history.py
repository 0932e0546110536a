"""The goal tree's history reads right: one version per change, link changes under their
version and undoable, moves as one entry, deleted items restorable, paged recent changes."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F
from django.urls import reverse

from doelenboom import services
from doelenboom.history import LINK_KINDS
from doelenboom.models import (
    Bijdrage,
    DoelPartner,
    Inspanning,
    InspanningPartner,
    OperationeelDoel,
    Stap,
    StrategischDoel,
)
from programmes.models import Partnerschap
from tests import builders
from tests.queries import page_queries


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
        partners=[(hanze, "trekker")],
    )
    return {
        "prog": prog,
        "goal": goal,
        "other": other,
        "inspanning": inspanning,
        "hanze": hanze,
        "leger": leger,
    }


def _url(name: str, prog, *args) -> str:
    return reverse(f"doelenboom:{name}", args=[prog.slug, *args])


def _edit(client, tree, obj: Inspanning, **changes):
    obj.refresh_from_db()
    return client.post(
        _url("edit", tree["prog"], "inspanning", obj.pk),
        builders.inspanning_form_data(obj, **changes),
    )


def _history_page(client, tree, kind: str, pk: int) -> str:
    response = client.get(_url("history", tree["prog"], kind, pk))
    assert response.status_code == 200
    return response.content.decode()


def _changes_page(client, tree, query: str = "") -> str:
    response = client.get(_url("changes", tree["prog"]) + query)
    assert response.status_code == 200
    return response.content.decode()


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def _move_up(client, tree, obj) -> None:
    client.post(_url("move", tree["prog"], "operationeel_doel", obj.pk), {"richting": "omhoog"})


# -- version numbers ------------------------------------------------------------------------------


def test_edit_link_edit_move_and_revert_each_make_a_new_distinct_version(client, cast, tree):
    client.force_login(cast["leider"])
    goal, other = tree["goal"], tree["other"]
    obj = tree["inspanning"]

    _edit(client, tree, obj, titel="Tweede titel")  # 2: a field
    _edit(client, tree, obj, doelen=[goal.pk, other.pk])  # 3: a link only
    builders.inspanning(tree["prog"], titel="Tweede", doelen=[goal], volgorde=5)
    client.post(  # 4: a move
        _url("move", tree["prog"], "inspanning", obj.pk),
        {"richting": "omlaag", "doel": goal.pk},
    )
    obj.refresh_from_db()
    first = obj.history.get(versie=1)
    client.post(  # 5: a revert
        _url("revert", tree["prog"], "inspanning", obj.pk, first.history_id),
        {"versie": obj.versie},
    )

    versions = list(obj.history.order_by("history_date").values_list("versie", flat=True))
    obj.refresh_from_db()
    assert versions == [1, 2, 3, 4, 5]
    assert obj.versie == 5


def test_moving_makes_one_new_version_of_the_moved_item_only(client, cast, tree):
    client.force_login(cast["leider"])
    goal, other = tree["goal"], tree["other"]

    _move_up(client, tree, other)

    goal.refresh_from_db()
    other.refresh_from_db()
    assert [goal.volgorde > other.volgorde, other.versie, goal.versie] == [True, 2, 1]
    assert list(other.history.values_list("versie", flat=True)) == [2, 1]
    assert goal.history.count() == 1  # the neighbour's new place writes no history


def test_a_link_only_edit_is_one_version_with_its_link_changes_under_it(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]

    _edit(client, tree, obj, doelen=[tree["goal"].pk, tree["other"].pk], reden="Ook samenhang")

    html = _history_page(client, tree, "inspanning", obj.pk)
    assert obj.history.count() == 2
    version = html[html.index("(versie 2)") : html.index("(versie 1)")]
    assert "zodat 1.2 Samenhang" in version
    assert "Ook samenhang" in version


def test_revert_buttons_name_the_version_they_restore(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    for titel in ("Twee", "Drie"):
        _edit(client, tree, obj, titel=titel)
    builders.inspanning(tree["prog"], titel="Tweede", doelen=[tree["goal"]], volgorde=5)
    client.post(
        _url("move", tree["prog"], "inspanning", obj.pk),
        {"richting": "omlaag", "doel": tree["goal"].pk},
    )
    _edit(client, tree, obj, doelen=[tree["other"].pk])

    html = _history_page(client, tree, "inspanning", obj.pk)

    buttons = re.findall(
        r'geschiedenis/(\d+)/terugzetten/".*?Terugzetten naar versie (\d+)<', html, re.S
    )
    named = {int(versie): obj.history.get(history_id=hid).versie for hid, versie in buttons}
    assert named == {1: 1, 2: 2}  # version 3 is the current text; 4 and 5 only moved/relinked
    assert len(set(re.findall(r"\(versie (\d+)\)", html))) == 5


def test_an_editor_whose_version_is_older_only_by_a_move_is_not_refused(client, cast, tree):
    client.force_login(cast["leider"])
    other = tree["other"]
    opened_at = other.versie

    _move_up(client, tree, other)
    saved, changed = services.update_item(
        other, {"titel": "Samenhang verkend"}, expected_versie=opened_at
    )

    assert (saved.titel, saved.versie, changed) == ("Samenhang verkend", 3, True)


def test_an_editor_whose_version_is_older_by_a_real_edit_is_still_refused(cast, tree):
    obj = tree["inspanning"]
    services.update_item(obj, {"titel": "Door een collega"}, expected_versie=1)

    with pytest.raises(services.EditConflict):
        services.update_item(obj, {"titel": "Van mij"}, expected_versie=1)


def test_an_editor_is_refused_when_only_links_changed_since(cast, tree):
    obj = tree["inspanning"]
    services.update_item(
        obj,
        {},
        expected_versie=1,
        links=services.InspanningLinks(goals=[tree["other"].pk], partners={}),
    )

    with pytest.raises(services.EditConflict):
        services.update_item(obj, {"titel": "Van mij"}, expected_versie=1)


# -- link changes --------------------------------------------------------------------------------


def test_a_partner_role_change_shows_old_and_new_and_can_be_set_back(client, cast, tree):
    client.force_login(cast["leider"])
    obj, hanze = tree["inspanning"], tree["hanze"]
    _edit(client, tree, obj, **{f"rol_{hanze.pk}": "kennispartner"})
    html = _history_page(client, tree, "inspanning", obj.pk)
    assert "Hanzehogeschool: trekker → kennispartner" in html
    changed = InspanningPartner.history.filter(history_type="~").get()
    obj.refresh_from_db()

    response = client.post(
        _url("revert_link", tree["prog"], "inspanning", obj.pk, "partner", changed.history_id),
        {"versie": obj.versie},
        follow=True,
    )

    assert InspanningPartner.objects.get(inspanning=obj, organisatie=hanze).rol == "trekker"
    obj.refresh_from_db()
    assert obj.versie == 3
    latest = obj.history.latest()
    assert latest.history_change_reason.startswith("Teruggedraaid: Hanzehogeschool")
    assert "Teruggedraaid" in _messages(response)
    html = response.content.decode()
    assert "Hanzehogeschool: kennispartner → trekker" in html


def test_a_removed_goal_is_linked_again_with_its_old_id(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    link = Bijdrage.objects.get(inspanning=obj)
    _edit(client, tree, obj, doelen=[tree["other"].pk])
    removed = Bijdrage.history.get(history_type="-")
    html = _history_page(client, tree, "inspanning", obj.pk)
    assert "zodat 1.1 Huishoudens zijn vroegtijdig in beeld" in html
    assert '+</span> <span class="koers-visually-hidden">toegevoegd:</span> zodat 1.2' in html
    obj.refresh_from_db()

    client.post(
        _url("revert_link", tree["prog"], "inspanning", obj.pk, "doel", removed.history_id),
        {"versie": obj.versie},
    )

    assert set(obj.doelen.all()) == {tree["goal"], tree["other"]}
    assert Bijdrage.objects.filter(pk=link.pk, operationeel_doel=tree["goal"]).exists()


def test_a_partner_that_left_the_programme_cannot_come_back_on_a_revert(client, cast, tree):
    client.force_login(cast["leider"])
    obj, hanze = tree["inspanning"], tree["hanze"]
    _edit(client, tree, obj, **{f"rol_{hanze.pk}": "verwijderen"})
    Partnerschap.objects.filter(organisatie=hanze).update(beeindigd_op=datetime.date(2026, 1, 1))
    removed = InspanningPartner.history.get(history_type="-")
    obj.refresh_from_db()
    before = (obj.versie, obj.history.count())

    response = client.post(
        _url("revert_link", tree["prog"], "inspanning", obj.pk, "partner", removed.history_id),
        {"versie": obj.versie},
        follow=True,
    )

    assert "Hanzehogeschool: Deze organisatie is geen partner van dit programma." in _messages(
        response
    )
    obj.refresh_from_db()
    assert (obj.versie, obj.history.count()) == before
    assert not obj.partnerrollen.exists()


def test_a_link_revert_from_a_stale_page_is_refused(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    _edit(client, tree, obj, doelen=[tree["other"].pk])
    removed = Bijdrage.history.get(history_type="-")
    _edit(client, tree, obj, titel="Intussen gewijzigd")

    response = client.post(
        _url("revert_link", tree["prog"], "inspanning", obj.pk, "doel", removed.history_id),
        {"versie": 2},
        follow=True,
    )

    assert "iemand heeft dit intussen gewijzigd" in _messages(response)
    assert list(obj.doelen.all()) == [tree["other"]]


def test_a_step_change_shows_its_old_and_new_duration(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    stap = Stap.objects.create(inspanning=obj, volgorde=2, naam="Pilotfase", doorlooptijd_maanden=3)
    obj.refresh_from_db()
    stap.doorlooptijd_maanden = Decimal("6")
    services.update_item(
        obj,
        {},
        expected_versie=obj.versie,
        links=services.InspanningLinks(
            goals=[tree["goal"].pk], partners={tree["hanze"].pk: "trekker"}, steps=[stap]
        ),
    )

    html = _history_page(client, tree, "inspanning", obj.pk)

    assert "stap 2 „Pilotfase”: doorlooptijd (maanden) 3 → 6" in html


def test_reader_cannot_revert_a_link_change(client, cast, tree):
    client.force_login(cast["lezer"])
    obj = tree["inspanning"]
    added = Bijdrage.history.get()

    response = client.post(
        _url("revert_link", tree["prog"], "inspanning", obj.pk, "doel", added.history_id),
        {"versie": 1},
    )

    assert response.status_code == 403
    assert obj.bijdragen.exists()


def test_link_changes_appear_in_the_recent_changes(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    _edit(client, tree, obj, **{f"rol_{tree['hanze'].pk}": "betrokken"})

    html = _changes_page(client, tree)

    assert "Hanzehogeschool: trekker → betrokken" in html


# -- moves in the recent changes -----------------------------------------------------------------


def test_moves_are_left_out_of_the_recent_changes_unless_asked_for(client, cast, tree):
    client.force_login(cast["leider"])
    _move_up(client, tree, tree["other"])

    folded = _changes_page(client, tree)
    shown = _changes_page(client, tree, "?verplaatsingen=1")

    assert "verplaatst (versie" not in folded
    assert "toon ook verplaatsingen" in folded
    assert shown.count("verplaatst (versie 2)") == 1  # the moved goal only, not its neighbour
    assert "verberg verplaatsingen" in shown


# -- restoring deleted items ---------------------------------------------------------------------


def _delete(client, tree, kind: str, pk: int, reden: str = "") -> None:
    response = client.post(_url("delete", tree["prog"], kind, pk), {"reden": reden})
    assert response.status_code == 302


def _restore(client, tree, kind: str, pk: int, **data):
    return client.post(_url("restore", tree["prog"], kind, pk), data, follow=True)


def test_a_deleted_inspanning_comes_back_with_its_goals_partners_and_steps(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    stap = Stap.objects.create(inspanning=obj, volgorde=1, naam="Onderzoeksfase")
    links = (
        set(obj.bijdragen.values_list("pk", "operationeel_doel")),
        set(obj.partnerrollen.values_list("pk", "organisatie", "rol")),
    )
    _delete(client, tree, "inspanning", obj.pk, reden="Per ongeluk")
    assert "Herstellen<span" in _changes_page(client, tree)

    response = _restore(client, tree, "inspanning", obj.pk, terug="wijzigingen")

    assert response.redirect_chain[-1][0] == _url("changes", tree["prog"])
    assert "Inspanning “Inzetten op vroegsignalering” hersteld." in _messages(response)
    restored = Inspanning.objects.get(pk=obj.pk)
    assert restored.versie == 3  # 1 created, 2 deleted, 3 restored
    assert (
        set(restored.bijdragen.values_list("pk", "operationeel_doel")),
        set(restored.partnerrollen.values_list("pk", "organisatie", "rol")),
    ) == links
    assert list(restored.stappen.values_list("pk", "naam")) == [(stap.pk, "Onderzoeksfase")]
    assert restored.history.latest().history_change_reason == "Hersteld"
    html = _history_page(client, tree, "inspanning", obj.pk)
    assert "hersteld (versie 3)" in html


def test_a_deleted_strategic_goal_comes_back_with_its_goals_and_their_links(client, cast, tree):
    client.force_login(cast["leider"])
    sd = tree["goal"].strategisch_doel
    DoelPartner.objects.create(operationeel_doel=tree["goal"], organisatie=tree["leger"])
    elsewhere = builders.strategisch_doel(sd.ambitie, titel="Ander thema")
    untouched = builders.operationeel_doel(elsewhere, titel="Blijft staan")
    _delete(client, tree, "strategisch_doel", sd.pk)
    _delete(client, tree, "operationeel_doel", untouched.pk)  # a later, separate delete

    response = _restore(client, tree, "strategisch_doel", sd.pk)

    assert "Mee hersteld: 2 onderliggende onderdelen en 2 koppelingen." in _messages(response)
    assert set(
        OperationeelDoel.objects.filter(strategisch_doel=sd).values_list("pk", flat=True)
    ) == {tree["goal"].pk, tree["other"].pk}
    assert list(tree["inspanning"].doelen.all()) == [tree["goal"]]
    assert DoelPartner.objects.filter(
        operationeel_doel=tree["goal"], organisatie=tree["leger"]
    ).exists()
    assert not OperationeelDoel.objects.filter(pk=untouched.pk).exists()


def test_a_deleted_goal_names_the_inspanningen_whose_link_went_with_it(client, cast, tree):
    client.force_login(cast["leider"])
    goal = tree["goal"]
    _delete(client, tree, "operationeel_doel", goal.pk)

    history = _history_page(client, tree, "operationeel_doel", goal.pk)
    changes = _changes_page(client, tree)

    assert "verwijderd:</span> Inspanning A1 Inzetten op vroegsignalering" in history
    assert "verwijderd:</span> Inspanning A1 Inzetten op vroegsignalering" in changes


def test_a_link_to_a_former_partner_is_left_out_of_a_restore_and_named(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    _delete(client, tree, "inspanning", obj.pk)
    Partnerschap.objects.filter(organisatie=tree["hanze"]).update(
        beeindigd_op=datetime.date(2026, 1, 1)
    )

    response = _restore(client, tree, "inspanning", obj.pk)

    restored = Inspanning.objects.get(pk=obj.pk)
    assert list(restored.doelen.all()) == [tree["goal"]]
    assert not restored.partnerrollen.exists()
    assert (
        "Niet mee hersteld: Hanzehogeschool: Deze organisatie is geen partner van dit programma."
        in _messages(response)
    )


def test_an_item_whose_parent_is_deleted_too_is_refused_and_the_parent_offered(client, cast, tree):
    client.force_login(cast["leider"])
    goal = tree["goal"]
    sd = goal.strategisch_doel
    _delete(client, tree, "strategisch_doel", sd.pk)

    response = _restore(client, tree, "operationeel_doel", goal.pk)

    assert "Niet hersteld" in _messages(response)
    assert not OperationeelDoel.objects.filter(pk=goal.pk).exists()
    html = response.content.decode()
    assert _url("restore", tree["prog"], "strategisch_doel", sd.pk) in html
    assert "Eerst “Kansrijk perspectief” herstellen" in html


def test_a_restore_after_the_retention_period_is_refused(client, cast, tree, settings):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    _delete(client, tree, "inspanning", obj.pk)
    Inspanning.history.filter(id=obj.pk).update(
        history_date=F("history_date") - datetime.timedelta(days=91)
    )
    page = _history_page(client, tree, "inspanning", obj.pk)
    assert "langer dan 90 dagen geleden verwijderd" in page
    assert "Herstellen<span" not in page

    response = _restore(client, tree, "inspanning", obj.pk)

    assert "herstellen kan niet meer" in _messages(response)
    assert not Inspanning.objects.filter(pk=obj.pk).exists()
    settings.KOERS_RESTORE_DAYS = 120
    assert "tot 120 dagen na het verwijderen" in _changes_page(client, tree)
    _restore(client, tree, "inspanning", obj.pk)
    assert Inspanning.objects.filter(pk=obj.pk).exists()


def test_a_deleted_items_history_page_answers_with_a_restore_button(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    _edit(client, tree, obj, titel="Nieuwe titel")
    _delete(client, tree, "inspanning", obj.pk, reden="Dubbel")

    html = _history_page(client, tree, "inspanning", obj.pk)

    assert "Geschiedenis: Nieuwe titel" in html
    assert "Reden: Dubbel" in html
    assert "verwijderd (versie 3)" in html
    assert _url("restore", tree["prog"], "inspanning", obj.pk) in html
    assert "tot 90 dagen na het verwijderen" in html
    assert "Terugzetten naar versie" not in html


def test_another_programmes_deleted_item_is_not_found(client, cast, tree):
    elders = builders.inspanning(builders.programma(), titel="Elders")
    pk = elders.pk
    services.delete_item(elders)
    client.force_login(cast["leider"])

    history = client.get(_url("history", tree["prog"], "inspanning", pk))
    restore = client.post(_url("restore", tree["prog"], "inspanning", pk))

    assert (history.status_code, restore.status_code) == (404, 404)
    assert not Inspanning.objects.filter(pk=pk).exists()


def test_reader_sees_a_deleted_item_but_cannot_restore_it(client, cast, tree):
    pk = tree["inspanning"].pk
    services.delete_item(tree["inspanning"])
    client.force_login(cast["lezer"])

    html = _history_page(client, tree, "inspanning", pk)
    response = client.post(_url("restore", tree["prog"], "inspanning", pk))

    assert "Herstellen<span" not in html
    assert response.status_code == 403


# -- paging and dates ---------------------------------------------------------------------------


def _many_changes(tree, count: int) -> None:
    obj = tree["inspanning"]
    for n in range(count):
        obj.refresh_from_db()
        services.update_item(obj, {"titel": f"Versie {n}"}, expected_versie=obj.versie)


def test_recent_changes_are_paged_with_an_accessible_navigation(client, cast, tree):
    client.force_login(cast["leider"])
    _many_changes(tree, 110)  # with the tree's own 7 rows: 117 changes, 3 pages

    first = _changes_page(client, tree)
    last = _changes_page(client, tree, "?pagina=3")

    assert first.count('class="koers-history__entry"') == 50
    assert "Pagina 1 van 3" in first
    assert re.search(r'aria-current="page" href="\?pagina=1"', first)
    assert 'href="?pagina=2"' in first
    assert last.count('class="koers-history__entry"') == 17
    assert "Pagina 3 van 3" in last
    assert "aangemaakt (versie 1)" in last


def test_recent_changes_keep_a_fixed_query_count_per_page(client, cast, tree):
    client.force_login(cast["leider"])
    url = _url("changes", tree["prog"])
    _many_changes(tree, 2)
    before = page_queries(client, url)  # one change of each kind

    for _ in range(20):  # six changes of each kind on every page
        goal = builders.goal_chain(tree["prog"])
        builders.inspanning(tree["prog"], doelen=[goal], partners=[(tree["hanze"], "betrokken")])
    _many_changes(tree, 2)

    assert page_queries(client, url) == before
    assert page_queries(client, url + "?pagina=2") == before


def test_every_date_is_written_in_dutch(client, cast, tree):
    client.force_login(cast["leider"])
    obj = tree["inspanning"]
    moment = datetime.datetime(2026, 12, 1, 14, 5, tzinfo=ZoneInfo("Europe/Amsterdam"))
    Inspanning.history.filter(id=obj.pk).update(history_date=moment)

    pages = _changes_page(client, tree) + _history_page(client, tree, "inspanning", obj.pk)

    assert pages.count("1 december 2026, 14:05") == 2
    # Only the words on the page: a CSP nonce or token may hold "Dec" by chance.
    text = re.sub(r"<[^>]*>", " ", pages)
    assert not re.search(r"\b(Dec|dec)\b", text)


def test_link_kinds_name_the_owner_they_belong_to():
    assert {key: kind.owner for key, kind in LINK_KINDS.items()} == {
        "doel": "inspanning",
        "partner": "inspanning",
        "stap": "inspanning",
        "doelpartner": "operationeel_doel",
    }
    assert StrategischDoel not in {kind.model for kind in LINK_KINDS.values()}
