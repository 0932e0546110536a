"""Adopting a faseplan: the status flow and who may move it, freezing, the banner, and the
reason that edits to adopted tree items must carry."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from doelenboom import services as tree_services
from doelenboom.forms import InspanningForm, OperationeelDoelForm
from fasering import services as plan_services
from fasering.adoption import (
    adopt_faseplan,
    adopted_plan_name,
    changes_since_adoption,
    submit_faseplan,
    withdraw_submission,
)
from fasering.content import build_content, content_of
from fasering.models import Fase, Faseplan, FaseplanItem
from tests import builders

Status = Faseplan.Status
AUG_2023 = datetime.date(2023, 8, 1)
JUL_2024 = datetime.date(2024, 7, 1)
DECISION = datetime.date(2023, 7, 4)


def make_plan(prog, nummer=1, start=AUG_2023, eind=JUL_2024, goals=(), **kw) -> Faseplan:
    """A plan with Fase A and, per (goal, inspanningen, partners), the goal and its items."""
    plan = Faseplan.objects.create(
        programma=prog, nummer=nummer, titel=f"Faseplan {nummer}", start=start, eind=eind, **kw
    )
    fase = Fase.objects.create(faseplan=plan, naam="Fase A", start=start, eind=start)
    for volgorde, (goal, inspanningen, partners) in enumerate(goals):
        item = FaseplanItem.objects.create(
            faseplan=plan, operationeel_doel=goal, start_fase=fase, volgorde=volgorde
        )
        item.partners.set(partners)
        for inspanning in inspanningen:
            sub = FaseplanItem.objects.create(
                faseplan=plan, operationeel_doel=goal, inspanning=inspanning, start_fase=fase
            )
            sub.partners.set(partners)
    return plan


@pytest.fixture
def tree(prog):
    goal, hanze, first = builders.vroegsignalering(prog)
    second = builders.inspanning(prog, titel="Schuldhulp dichtbij", code="A2", doelen=[goal])
    other_goal = builders.operationeel_doel(goal.strategisch_doel, titel="Samenhang", code="1.2")
    outside = builders.goal_chain(prog, titel="Niet in het plan", code="9.9")
    loose = builders.inspanning(prog, titel="Losse inspanning", code="Z1", doelen=[outside])
    return {
        "goal": goal,
        "hanze": hanze,
        "first": first,
        "second": second,
        "other_goal": other_goal,
        "outside": outside,
        "loose": loose,
    }


@pytest.fixture
def plan(prog, tree):
    return make_plan(
        prog,
        goals=[
            (tree["goal"], [tree["first"], tree["second"]], [tree["hanze"]]),
            (tree["other_goal"], [], []),
        ],
    )


def _submitted(plan, cast) -> Faseplan:
    return submit_faseplan(plan, cast["leider"])


def _adopted(plan, cast, when=DECISION) -> Faseplan:
    return adopt_faseplan(_submitted(plan, cast), cast["stuurgroep"], when, "Akkoord")


def _url(name, plan) -> str:
    return reverse(f"fasering:{name}", args=[plan.programma.slug, plan.nummer])


# -- the status flow ----------------------------------------------------------------------


def test_leader_puts_a_plan_ter_besluitvorming_and_takes_it_back(plan, cast):
    submitted = submit_faseplan(plan, cast["leider"])

    assert submitted.status == Status.TER_BESLUITVORMING
    assert submitted.ter_besluitvorming_door == cast["leider"]
    assert submitted.ter_besluitvorming_op is not None
    record = submitted.history.latest()
    assert (record.history_user, record.history_change_reason) == (
        cast["leider"],
        "Ter besluitvorming gebracht",
    )

    back = withdraw_submission(submitted, cast["leider"])
    assert back.status == Status.CONCEPT
    assert back.history.latest().history_change_reason == "Teruggenomen naar concept"


def test_stuurgroep_adopts_with_decision_date_and_text_recorded(plan, cast):
    adopted = _adopted(plan, cast)

    adopted.refresh_from_db()
    assert adopted.status == Status.VASTGESTELD
    assert adopted.besloten_op == DECISION
    assert adopted.besluit == "Akkoord"
    assert adopted.vastgesteld_door == cast["stuurgroep"]
    assert adopted.vastgesteld_op is not None
    record = adopted.history.latest()
    assert record.history_user == cast["stuurgroep"]
    assert record.history_change_reason == "Vastgesteld op 4 juli 2023"


def test_leader_may_adopt_too(plan, cast):
    adopted = adopt_faseplan(_submitted(plan, cast), cast["leider"], DECISION)
    assert adopted.status == Status.VASTGESTELD


def test_a_concept_cannot_be_adopted_directly(plan, cast):
    with pytest.raises(ValidationError, match="status concept"):
        adopt_faseplan(plan, cast["stuurgroep"], DECISION)
    plan.refresh_from_db()
    assert plan.status == Status.CONCEPT


@pytest.mark.parametrize("besloten_op", [None, "future"])
def test_adopting_needs_a_decision_date_that_is_not_in_the_future(plan, cast, besloten_op):
    submitted = _submitted(plan, cast)
    if besloten_op == "future":
        besloten_op = timezone.localdate() + datetime.timedelta(days=1)

    errors = builders.validation_errors(
        lambda: adopt_faseplan(submitted, cast["stuurgroep"], besloten_op)
    )

    assert "besloten_op" in errors
    submitted.refresh_from_db()
    assert (submitted.status, submitted.snapshot) == (Status.TER_BESLUITVORMING, None)


def test_a_status_move_on_an_outdated_version_is_refused(plan, cast):
    stale_versie = plan.versie
    _submitted(plan, cast)
    with pytest.raises(ValidationError, match="intussen gewijzigd"):
        withdraw_submission(plan, cast["leider"], expected_versie=stale_versie)


@pytest.mark.parametrize("role", ["team", "stuurgroep", "coalitielid", "lezer"])
def test_only_the_leader_puts_a_plan_ter_besluitvorming(plan, cast, role):
    with pytest.raises(PermissionDenied):
        submit_faseplan(plan, cast[role])


@pytest.mark.parametrize("role", ["team", "coalitielid", "lezer"])
def test_team_coalition_and_readers_cannot_adopt(plan, cast, role):
    submitted = _submitted(plan, cast)
    with pytest.raises(PermissionDenied):
        adopt_faseplan(submitted, cast[role], DECISION)


# -- the views: who may, crafted posts --------------------------------------------------------


def test_adopting_through_the_pages_goes_back_to_the_plan(client, plan, cast):
    client.force_login(cast["leider"])
    assert client.get(_url("faseplan_submit", plan)).status_code == 200
    response = client.post(_url("faseplan_submit", plan), {"versie": plan.versie})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.TER_BESLUITVORMING

    client.force_login(cast["stuurgroep"])
    page = client.get(_url("faseplan_adopt", plan))
    assert 'type="date"' in page.content.decode()
    response = client.post(
        _url("faseplan_adopt", plan),
        {"versie": plan.versie, "besloten_op": "2023-07-04", "besluit": "Akkoord"},
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.besloten_op) == (Status.VASTGESTELD, DECISION)


def test_the_adopt_form_without_a_date_says_so_and_changes_nothing(client, plan, cast):
    submitted = _submitted(plan, cast)
    client.force_login(cast["stuurgroep"])

    response = client.post(_url("faseplan_adopt", submitted), {"versie": submitted.versie})

    assert response.status_code == 200
    assert "Vul de datum van het besluit in." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.TER_BESLUITVORMING


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("faseplan_submit", "team"),
        ("faseplan_submit", "stuurgroep"),
        ("faseplan_submit", "coalitielid"),
        ("faseplan_submit", "lezer"),
        ("faseplan_withdraw", "stuurgroep"),
        ("faseplan_adopt", "team"),
        ("faseplan_adopt", "coalitielid"),
        ("faseplan_adopt", "lezer"),
    ],
)
def test_a_crafted_status_post_by_a_member_who_may_not_is_refused(client, plan, cast, name, role):
    plan = _submitted(plan, cast) if name != "faseplan_submit" else plan
    before = plan.status
    client.force_login(cast[role])

    response = client.post(_url(name, plan), {"versie": plan.versie, "besloten_op": "2023-07-04"})

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == before


def test_status_pages_of_another_programme_are_not_found(client, plan, cast):
    # The outsider leads another programme; its own plan number 1 must not be reachable
    # under this programme's address, and this programme is not theirs.
    client.force_login(cast["buitenstaander"])
    assert client.post(_url("faseplan_submit", plan), {"versie": 1}).status_code == 404

    elders = builders.programma(slug="ander")
    foreign = make_plan(elders, nummer=7)
    client.force_login(cast["leider"])
    url = reverse("fasering:faseplan_submit", args=[plan.programma.slug, foreign.nummer])
    assert client.post(url, {"versie": foreign.versie}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Status.CONCEPT


def test_an_archived_programme_refuses_status_moves(client, prog, plan, cast):
    prog.gearchiveerd_op = timezone.now()
    prog.save()
    client.force_login(cast["leider"])
    assert client.post(_url("faseplan_submit", plan), {"versie": plan.versie}).status_code == 403


# -- one adopted plan per period ----------------------------------------------------------------


def test_adopting_an_overlapping_plan_marks_the_earlier_one_vervangen(client, prog, plan, cast):
    first = _adopted(plan, cast)
    second = _submitted(make_plan(prog, nummer=2, start=datetime.date(2024, 1, 1)), cast)
    later = make_plan(
        prog, nummer=3, start=datetime.date(2025, 1, 1), eind=datetime.date(2025, 12, 1)
    )
    later = _adopted(later, cast)

    client.force_login(cast["stuurgroep"])
    confirm = client.get(_url("faseplan_adopt", second)).content.decode()
    assert "Faseplan 1" in confirm and "vervangen" in confirm
    assert "Faseplan 3" not in confirm

    adopt_faseplan(second, cast["stuurgroep"], DECISION)

    first.refresh_from_db()
    later.refresh_from_db()
    assert (first.status, first.vervangen_door_id) == (Status.VERVANGEN, second.pk)
    assert first.history.latest().history_change_reason == "Vervangen door Faseplan 2"
    assert later.status == Status.VASTGESTELD  # another period: stays
    adopted = Faseplan.objects.filter(programma=prog, status=Status.VASTGESTELD)
    assert set(adopted.values_list("nummer", flat=True)) == {2, 3}


# -- freezing -----------------------------------------------------------------------------------


def test_an_adopted_plan_keeps_showing_what_it_showed_at_adoption(plan, cast, tree):
    before = build_content(plan)
    adopted = _adopted(plan, cast)

    tree["goal"].titel = "Een nieuwe titel"
    tree["goal"].save()
    tree["first"].titel = "Anders verwoord"
    tree["first"].save()
    tree["hanze"].naam = "Hanze"
    tree["hanze"].save()
    Fase.objects.filter(faseplan=adopted).update(naam="Fase Z")

    shown = content_of(Faseplan.objects.get(pk=adopted.pk))
    goal = shown["doelen"][0]
    assert goal["titel"] == "Huishoudens zijn vroegtijdig in beeld"
    assert goal["start_fase"] == "Fase A"
    assert goal["partners"][0]["naam"] == "Hanzehogeschool"
    assert goal["inspanningen"][0]["titel"] == "Inzetten op vroegsignalering"
    assert shown["status"] == "vastgesteld"
    assert {k: v for k, v in shown.items() if k != "status"} == {
        k: v for k, v in before.items() if k != "status"
    }


def test_a_frozen_plan_refuses_item_edits(plan, cast):
    adopted = _adopted(plan, cast)
    item = adopted.items.first()
    values = plan_services.ItemValues(
        start_fase=None,
        loopt_door=True,
        partners=[],
        partners_vrij="",
        middelen="nodig",
        middelen_toelichting="",
        toelichting="",
    )
    with pytest.raises(ValidationError):
        plan_services.update_item(item, values, expected_versie=item.versie)
    item.refresh_from_db()
    assert item.loopt_door is False


# -- the banner ---------------------------------------------------------------------------------


def test_the_banner_counts_what_changed_in_the_tree_since_adoption(plan, cast, tree):
    adopted = _adopted(plan, cast)
    assert not changes_since_adoption(adopted).anything

    for inspanning in (tree["first"], tree["second"]):
        inspanning.titel += " (herzien)"
        inspanning.save()
    tree["other_goal"].delete()

    changes = changes_since_adoption(adopted)
    assert (changes.inspanningen_gewijzigd, changes.doelen_verwijderd) == (2, 1)
    assert changes.sentence == (
        "Sinds de vaststelling zijn 2 inspanningen gewijzigd en 1 doel verwijderd in de doelenboom."
    )


def test_a_concept_has_no_banner(plan):
    assert changes_since_adoption(plan) is None


# -- a reason for edits to adopted content -------------------------------------------------------


def _goal_form(goal, prog, **changes):
    data = {
        "versie": goal.versie,
        "strategisch_doel": goal.strategisch_doel_id,
        "code": goal.code,
        "titel": goal.titel,
        "omschrijving": goal.omschrijving,
        **changes,
    }
    return OperationeelDoelForm(data, instance=goal, programma=prog)


def test_the_edit_form_asks_a_reason_for_an_item_in_the_adopted_plan(prog, plan, cast, tree):
    _adopted(plan, cast)

    form = _goal_form(tree["goal"], prog, titel="Nieuw")
    assert not form.is_valid()
    assert "vastgestelde Faseplan 1" in form.errors["reden"][0]
    assert form.fields["reden"].help_text == (
        "Dit onderdeel staat in het vastgestelde Faseplan 1; geef een reden voor de wijziging."
    )

    assert _goal_form(tree["goal"], prog, titel="Nieuw", reden="Besluit stuurgroep").is_valid()


def test_update_item_refuses_an_edit_of_adopted_content_without_a_reason(plan, cast, tree):
    _adopted(plan, cast)
    goal = tree["goal"]

    errors = builders.validation_errors(
        lambda: tree_services.update_item(goal, {"titel": "Nieuw"}, expected_versie=goal.versie)
    )
    assert "vastgestelde Faseplan 1" in errors["reden"][0]
    goal.refresh_from_db()
    assert goal.titel == "Huishoudens zijn vroegtijdig in beeld"

    saved, changed = tree_services.update_item(
        goal, {"titel": "Nieuw"}, expected_versie=goal.versie, reason="Besluit stuurgroep"
    )
    assert changed and saved.titel == "Nieuw"
    assert saved.history.latest().history_change_reason == "Besluit stuurgroep"


def test_a_crafted_edit_post_without_a_reason_is_refused(client, prog, plan, cast, tree):
    _adopted(plan, cast)
    first = tree["first"]
    client.force_login(cast["team"])

    response = client.post(
        reverse("doelenboom:edit", args=[prog.slug, "inspanning", first.pk]),
        builders.inspanning_form_data(first, titel="Gewijzigd"),
    )

    assert response.status_code == 200
    assert "vastgestelde Faseplan 1" in response.content.decode()
    first.refresh_from_db()
    assert first.titel == "Inzetten op vroegsignalering"


def test_deleting_adopted_content_needs_a_reason_too(client, prog, plan, cast, tree):
    _adopted(plan, cast)
    strategic = tree["goal"].strategisch_doel  # its operational goal is in the plan
    url = reverse("doelenboom:delete", args=[prog.slug, "strategisch_doel", strategic.pk])
    client.force_login(cast["leider"])

    asked = client.get(url).content.decode()
    assert "Dit onderdeel staat in het vastgestelde Faseplan 1" in asked
    refused = client.post(url, {"reden": ""})
    assert refused.status_code == 200
    assert "Geef een reden: dit onderdeel staat in het vastgestelde Faseplan 1." in (
        refused.content.decode()
    )
    errors = builders.validation_errors(lambda: tree_services.delete_item(strategic))
    assert "vastgestelde Faseplan 1" in errors["reden"][0]
    assert type(strategic).objects.filter(pk=strategic.pk).exists()

    assert client.post(url, {"reden": "Besluit stuurgroep"}).status_code == 302
    assert not type(strategic).objects.filter(pk=strategic.pk).exists()


def test_strategic_goals_and_ambities_above_adopted_goals_need_a_reason(plan, cast, tree):
    _adopted(plan, cast)
    strategic = tree["goal"].strategisch_doel
    assert adopted_plan_name(strategic) == "Faseplan 1"
    assert adopted_plan_name(strategic.ambitie) == "Faseplan 1"


def test_items_outside_an_adopted_plan_need_no_reason(prog, plan, cast, tree):
    # Before adoption nothing needs a reason; after, only what is in the plan.
    assert adopted_plan_name(tree["goal"]) is None
    _adopted(plan, cast)
    assert adopted_plan_name(tree["outside"]) is None
    assert adopted_plan_name(tree["loose"]) is None
    assert adopted_plan_name(tree["outside"].strategisch_doel.ambitie) is None

    form = InspanningForm(
        builders.inspanning_form_data(tree["loose"], titel="Los"),
        instance=tree["loose"],
        programma=prog,
        prefix=f"inspanning-{tree['loose'].pk}",
    )
    assert not form.fields["reden"].required
    _saved, changed = tree_services.update_item(
        tree["outside"], {"titel": "Anders"}, expected_versie=tree["outside"].versie
    )
    assert changed


def test_a_replaced_plan_no_longer_asks_a_reason(prog, plan, cast, tree):
    _adopted(plan, cast)
    second = make_plan(prog, nummer=2, goals=[(tree["outside"], [], [])])
    _adopted(second, cast)

    assert adopted_plan_name(tree["goal"]) is None
    assert adopted_plan_name(tree["outside"]) == "Faseplan 2"


# -- the status block of the plan's page -----------------------------------------------------------


def _status_block(plan, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    plan = Faseplan.objects.get(pk=plan.pk)
    context = {"faseplan": plan, "programma": plan.programma, "request": request}
    return render_to_string("fasering/faseplan_status.html", context, request=request)


@pytest.mark.parametrize(
    ("role", "buttons"),
    [
        ("leider", {"Ter besluitvorming brengen"}),
        ("team", set()),
        ("stuurgroep", set()),
        ("coalitielid", set()),
        ("lezer", set()),
    ],
)
def test_the_status_block_offers_a_concept_only_to_the_leader(plan, cast, role, buttons):
    html = _status_block(plan, cast[role])
    offered = {b for b in ("Ter besluitvorming brengen", "Vaststellen", "Terugnemen") if b in html}
    assert offered == buttons


@pytest.mark.parametrize(
    ("role", "buttons"),
    [
        ("leider", {"Vaststellen", "Terugnemen"}),
        ("stuurgroep", {"Vaststellen"}),
        ("team", set()),
        ("lezer", set()),
    ],
)
def test_the_status_block_offers_adoption_to_leader_and_stuurgroep(plan, cast, role, buttons):
    html = _status_block(_submitted(plan, cast), cast[role])
    offered = {b for b in ("Ter besluitvorming brengen", "Vaststellen", "Terugnemen") if b in html}
    assert offered == buttons


def test_the_status_block_of_an_adopted_plan_says_when_and_what_changed_since(plan, cast, tree):
    adopted = _adopted(plan, cast)
    html = _status_block(adopted, cast["lezer"])
    assert "Vastgesteld op 4 juli 2023 door de stuurgroep" in html
    assert "niets veranderd" in html

    tree["first"].titel = "Anders verwoord"
    tree["first"].save()
    html = _status_block(adopted, cast["lezer"])
    assert "Sinds de vaststelling is 1 inspanning gewijzigd in de doelenboom." in html
    assert "A1 Anders verwoord: titel gewijzigd" in html
