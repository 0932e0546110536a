"""Remarks of the stuurgroep on a faseplan ter besluitvorming, answered by the leader."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from fasering import remarks
from fasering.models import Faseplan, FaseplanItem, Opmerking
from programmes.access import programma_access
from tests import builders
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(prog):
    faseplan = Faseplan.objects.create(
        programma=prog,
        nummer=2,
        titel="Faseplan 2",
        start=datetime.date(2024, 8, 1),
        eind=datetime.date(2025, 7, 1),
        status=Faseplan.Status.TER_BESLUITVORMING,
    )
    goal = builders.goal_chain(prog, code="1.1", titel="Vroegsignalering")
    faseplan.item = FaseplanItem.objects.create(faseplan=faseplan, operationeel_doel=goal)
    return faseplan


def _add_url(plan) -> str:
    return reverse("fasering:add_remark", args=[plan.programma.slug, plan.nummer])


def _remark_url(plan, opmerking, action: str) -> str:
    name = {"antwoord": "fasering:answer_remark", "afhandelen": "fasering:resolve_remark"}[action]
    return reverse(name, args=[plan.programma.slug, plan.nummer, opmerking.pk])


def _remark(plan, user, sectie="planning", tekst="Is Fase B niet te krap?") -> Opmerking:
    return remarks.add_remark(plan, sectie, tekst, user)


# -- the services --------------------------------------------------------------------------------


def test_a_remark_sits_on_a_section_and_is_recorded_in_history(plan, cast):
    sectie = f"doel-{plan.item.pk}"
    opmerking = _remark(plan, cast["stuurgroep"], sectie=sectie)
    assert opmerking.sectie == sectie
    assert opmerking.auteur == cast["stuurgroep"]
    assert opmerking.open
    assert opmerking.history.get().history_change_reason == "Opmerking geplaatst"


def test_a_plan_not_ter_besluitvorming_refuses_new_remarks(plan, cast):
    for status in (Faseplan.Status.CONCEPT, Faseplan.Status.VASTGESTELD):
        plan.status = status
        plan.save()
        with pytest.raises(ValidationError, match="zolang het faseplan ter besluitvorming ligt"):
            _remark(plan, cast["stuurgroep"])
    assert not Opmerking.objects.exists()


@pytest.mark.parametrize("sectie", ["doel-999999", "tekst-onbekend", "iets", ""])
def test_a_remark_on_a_section_the_plan_lacks_is_refused(plan, cast, sectie):
    with pytest.raises(ValidationError, match="bestaat niet in dit faseplan"):
        _remark(plan, cast["stuurgroep"], sectie=sectie)


def test_an_empty_remark_is_refused(plan, cast):
    with pytest.raises(ValidationError, match="Schrijf uw opmerking"):
        _remark(plan, cast["stuurgroep"], tekst="   ")


def test_the_leader_answers_and_then_resolves(plan, cast):
    opmerking = _remark(plan, cast["stuurgroep"])
    remarks.answer_remark(opmerking, "Nee, Fase B loopt door.", cast["leider"])
    opmerking.refresh_from_db()
    assert opmerking.antwoord == "Nee, Fase B loopt door."
    assert opmerking.beantwoord_door == cast["leider"]
    assert opmerking.open
    remarks.resolve_remark(opmerking, cast["leider"])
    opmerking.refresh_from_db()
    assert not opmerking.open
    with pytest.raises(ValidationError, match="al afgehandeld"):
        remarks.resolve_remark(opmerking, cast["leider"])
    reasons = [h.history_change_reason for h in opmerking.history.order_by("history_id")]
    assert reasons == [
        "Opmerking geplaatst",
        "Opmerking beantwoord",
        "Opmerking afgehandeld door leider",
    ]


# -- the views -------------------------------------------------------------------------------------


def test_stuurgroep_leaves_a_remark_with_a_plain_post(client, plan, cast):
    client.force_login(cast["stuurgroep"])
    response = client.post(_add_url(plan), {"sectie": "tekst-context", "tekst": "Noem Emmen."})
    assert response.status_code == 302
    assert response["Location"].endswith("/faseplannen/2/#opmerkingen-tekst-context")
    assert Opmerking.objects.get().tekst == "Noem Emmen."


def test_a_remark_in_place_returns_the_section_and_moves_focus(client, plan, cast):
    client.force_login(cast["stuurgroep"])
    response = client.post(
        _add_url(plan), {"sectie": "planning", "tekst": "Te krap?"}, headers={"HX-Request": "true"}
    )
    opmerking = Opmerking.objects.get()
    html = response.content.decode()
    assert 'id="opmerkingen-planning"' in html
    assert "Te krap?" in html
    assert f"#opmerking-{opmerking.pk}" in response["HX-Trigger-After-Settle"]
    assert "Uw opmerking is geplaatst." in response["HX-Trigger-After-Settle"]


def test_an_empty_remark_gets_a_message_beside_the_field(client, plan, cast):
    client.force_login(cast["stuurgroep"])
    response = client.post(_add_url(plan), {"sectie": "planning", "tekst": ""})
    assert response.status_code == 200
    assert "Schrijf uw opmerking." in response.content.decode()
    assert not Opmerking.objects.exists()


def test_a_closed_plan_says_why_it_refuses_a_remark(client, plan, cast):
    plan.status = Faseplan.Status.VASTGESTELD
    plan.save()
    client.force_login(cast["leider"])
    response = client.post(_add_url(plan), {"sectie": "planning", "tekst": "Nog iets"})
    assert "zolang het faseplan ter besluitvorming ligt" in response.content.decode()
    assert not Opmerking.objects.exists()


@pytest.mark.parametrize("who", ["team", "coalitielid", "lezer"])
def test_only_stuurgroep_and_leader_may_leave_a_remark(client, plan, cast, who):
    client.force_login(cast[who])
    response = client.post(_add_url(plan), {"sectie": "planning", "tekst": "Mag dit?"})
    assert response.status_code == 403
    assert not Opmerking.objects.exists()


def test_outsiders_get_not_found(client, plan, cast):
    client.force_login(cast["buitenstaander"])
    response = client.post(_add_url(plan), {"sectie": "planning", "tekst": "Hallo"})
    assert response.status_code == 404


def test_a_crafted_section_is_not_found(client, plan, cast):
    client.force_login(cast["stuurgroep"])
    response = client.post(_add_url(plan), {"sectie": "doel-999999", "tekst": "Hallo"})
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["stuurgroep", "team", "lezer"])
@pytest.mark.parametrize("action", ["antwoord", "afhandelen"])
def test_only_the_leader_answers_or_resolves(client, plan, cast, who, action):
    opmerking = _remark(plan, cast["stuurgroep"])
    client.force_login(cast[who])
    response = client.post(_remark_url(plan, opmerking, action), {"antwoord": "Zo."})
    assert response.status_code == 403
    opmerking.refresh_from_db()
    assert opmerking.open and not opmerking.antwoord


def test_the_leader_answers_and_resolves_through_the_page(client, plan, cast):
    opmerking = _remark(plan, cast["stuurgroep"])
    client.force_login(cast["leider"])
    response = client.post(_remark_url(plan, opmerking, "antwoord"), {"antwoord": "Klopt."})
    assert response.status_code == 302
    response = client.post(
        _remark_url(plan, opmerking, "afhandelen"), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<details" in html and "1 afgehandelde opmerking" in html
    opmerking.refresh_from_db()
    assert opmerking.antwoord == "Klopt." and not opmerking.open


def test_another_programmes_remark_is_not_found(client, plan, cast):
    elders = builders.programma(slug="ander-programma")
    other_plan = Faseplan.objects.create(
        programma=elders,
        nummer=2,
        titel="Faseplan 2",
        start=plan.start,
        eind=plan.eind,
        status=Faseplan.Status.TER_BESLUITVORMING,
    )
    foreign = _remark(other_plan, cast["buitenstaander"])
    client.force_login(cast["leider"])
    for action in ("antwoord", "afhandelen"):
        url = reverse(
            f"fasering:{'answer' if action == 'antwoord' else 'resolve'}_remark",
            args=[plan.programma.slug, plan.nummer, foreign.pk],
        )
        assert client.post(url, {"antwoord": "Weg ermee"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.open and not foreign.antwoord


def test_an_archived_programme_refuses_remarks(client, plan, cast):
    plan.programma.gearchiveerd_op = timezone.now()
    plan.programma.save()
    client.force_login(cast["stuurgroep"])
    response = client.post(_add_url(plan), {"sectie": "planning", "tekst": "Hallo"})
    assert response.status_code == 403


# -- the section on the plan and the count on the programme page ----------------------------------


def test_open_remarks_show_beside_their_section_and_resolved_ones_fold_away(rf, plan, cast):
    open_remark = _remark(plan, cast["stuurgroep"], tekst="Nog open <script>x</script>")
    done = _remark(plan, cast["stuurgroep"], tekst="Al besproken")
    remarks.resolve_remark(done, cast["leider"])
    request = rf.get("/")
    request.user = cast["lezer"]
    access = programma_access(request, plan.programma.slug)
    html = render_to_string(
        "fasering/section_remarks.html",
        access.context(faseplan=plan, sectie="planning"),
        request=request,
    )
    assert f'id="opmerking-{open_remark.pk}"' in html
    assert "&lt;script&gt;" in html
    details = html[html.index("<details") :]
    assert "Al besproken" in details
    assert "Nog open" not in details
    # A reader may neither add nor answer.
    assert "<form" not in html
    # Another section shows nothing of these.
    other = render_to_string(
        "fasering/section_remarks.html",
        access.context(faseplan=plan, sectie="tekst-context"),
        request=request,
    )
    assert other.strip() == "" or "Nog open" not in other


def test_the_programme_page_counts_open_remarks_per_plan(client, plan, cast):
    for _ in range(3):
        _remark(plan, cast["stuurgroep"])
    remarks.resolve_remark(_remark(plan, cast["stuurgroep"]), cast["leider"])
    client.force_login(cast["lezer"])
    html = client.get(reverse("programmes:detail", args=[plan.programma.slug])).content.decode()
    assert "3 open opmerkingen op Faseplan 2" in html
    plan_url = reverse("fasering:detail", args=[plan.programma.slug, 2])
    assert f'href="{plan_url}#opmerkingen-planning"' in html


def test_the_plan_page_offers_the_stuurgroep_a_remark_field_beside_each_section(client, plan, cast):
    client.force_login(cast["stuurgroep"])
    url = reverse("fasering:detail", args=[plan.programma.slug, plan.nummer])
    html = client.get(url).content.decode()
    for sectie in ("planning", f"doel-{plan.item.pk}", "tekst-context"):
        assert f'id="opmerking-nieuw-{sectie}"' in html
    plan.status = Faseplan.Status.VASTGESTELD
    plan.save()
    assert 'id="opmerking-nieuw-' not in client.get(url).content.decode()


def test_the_plan_page_reads_its_remarks_in_a_fixed_number_of_queries(client, plan, cast):
    url = reverse("fasering:detail", args=[plan.programma.slug, plan.nummer])
    client.force_login(cast["leider"])
    _remark(plan, cast["stuurgroep"])
    one = page_queries(client, url)
    for sectie in ("tekst-context", "tekst-keuzes", f"doel-{plan.item.pk}", "planning"):
        remarks.resolve_remark(_remark(plan, cast["stuurgroep"], sectie=sectie), cast["leider"])
        _remark(plan, cast["stuurgroep"], sectie=sectie)
    assert page_queries(client, url) == one
