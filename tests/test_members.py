"""The members page: who sees what, who may change it, roles, revoking access, withdrawing
invitations, the last-leader rule and the history of it all."""

import json

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from programmes import members
from programmes.models import Groep, GroepLid, Lidmaatschap, Organisatie, Profiel, Rol, Uitnodiging
from tests import builders
from tests.queries import page_queries

HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(prog, rest: str = "") -> str:
    return f"/programmas/{prog.slug}/leden/{rest}"


def _lid(user, prog) -> Lidmaatschap:
    return Lidmaatschap.objects.get(user=user, programma=prog)


def _invitation(prog, by, email="noor@example.org", rol=Rol.LEZER) -> Uitnodiging:
    return members.invite_member(
        programma=prog,
        email=email,
        rol=rol,
        invited_by=by,
        absolute_url=lambda path: f"http://testserver{path}",
    )


# -- reading --------------------------------------------------------------------------------


def test_members_page_lists_members_and_open_invitations(client, prog, cast):
    org = Organisatie.objects.create(naam="Gemeente Texel", slug="texel")
    team = cast["team"]
    team.first_name, team.last_name, team.email = "Tim", "Team", "tim@example.org"
    team.save()
    Profiel.objects.create(user=team, organisatie=org)
    _invitation(prog, cast["leider"], rol=Rol.STUURGROEP)
    client.force_login(cast["lezer"])

    response = client.get(_url(prog))

    html = response.content.decode()
    assert response.status_code == 200
    assert "5 leden" in html
    assert "Tim Team" in html
    assert 'href="mailto:tim@example.org"' in html
    assert "Gemeente Texel" in html
    assert "Programmateam" in html
    assert "noor@example.org" in html  # the open invitation
    # A reader reads; the controls are only for who may manage.
    assert "Rol wijzigen" not in html
    assert "Toegang intrekken" not in html
    assert "Iemand uitnodigen" not in html
    assert "Alleen de programmaleider kan mensen uitnodigen" in html


def test_leader_sees_the_controls(client, prog, cast):
    client.force_login(cast["leider"])

    html = client.get(_url(prog)).content.decode()

    assert "Iemand uitnodigen" in html
    assert f'action="{_url(prog, "uitnodigen/")}"' in html
    assert "Rol wijzigen" in html
    assert "Toegang intrekken" in html
    assert "data-hx-post" in html and " hx-post" not in html


def test_outsider_gets_not_found(client, prog, cast):
    client.force_login(cast["buitenstaander"])

    assert client.get(_url(prog)).status_code == 404


def test_members_page_query_count_does_not_grow_with_members(client, prog, cast):
    client.force_login(cast["leider"])
    org = Organisatie.objects.create(naam="Gemeente Texel", slug="texel")
    _invitation(prog, cast["leider"])
    few = page_queries(client, _url(prog))

    for n in range(8):
        user = builders.member(prog, "lezer", f"extra{n}")
        Profiel.objects.create(user=user, organisatie=org)
        _invitation(prog, cast["leider"], email=f"extra{n}@example.org")
    many = page_queries(client, _url(prog))

    assert many == few


# -- who may change -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["team", "stuurgroep", "coalitielid", "lezer"])
def test_members_who_may_not_manage_get_403_on_every_write(client, prog, cast, who):
    invitation = _invitation(prog, cast["leider"])
    lezer = _lid(cast["lezer"], prog)
    client.force_login(cast[who])

    posts = [
        (_url(prog, "uitnodigen/"), {"email": "x@example.org", "rol": "programmaleider"}),
        (_url(prog, f"{lezer.pk}/rol/"), {"rol": "programmaleider", "bevestigd": "on"}),
        (_url(prog, f"{lezer.pk}/toegang-intrekken/"), {}),
        (_url(prog, f"uitnodigingen/{invitation.pk}/intrekken/"), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
        assert client.post(url, data, **HTMX).status_code == 403, url
    for url, _data in posts[1:]:
        assert client.get(url).status_code == 403, url

    assert Uitnodiging.objects.count() == 1
    assert Uitnodiging.objects.get().ingetrokken_op is None
    assert _lid(cast["lezer"], prog).rol == Rol.LEZER


def test_objects_of_another_programme_are_not_found(client, prog, cast):
    elders = cast["buitenstaander"].lidmaatschappen.get()
    vreemde_uitnodiging = _invitation(elders.programma, cast["buitenstaander"])
    client.force_login(cast["leider"])

    assert (
        client.post(_url(prog, f"uitnodigingen/{vreemde_uitnodiging.pk}/intrekken/")).status_code
        == 404
    )
    assert (
        client.post(
            _url(prog, f"{elders.pk}/rol/"), {"rol": "lezer", "bevestigd": "on"}
        ).status_code
        == 404
    )
    assert client.post(_url(prog, f"{elders.pk}/toegang-intrekken/")).status_code == 404
    assert Uitnodiging.objects.get(pk=vreemde_uitnodiging.pk).ingetrokken_op is None
    assert Lidmaatschap.objects.filter(pk=elders.pk, rol=Rol.PROGRAMMALEIDER).exists()


# -- inviting and withdrawing ---------------------------------------------------------------


def test_leader_invites_and_sees_the_invitation_and_the_change(client, prog, cast):
    client.force_login(cast["leider"])

    response = client.post(_url(prog, "uitnodigen/"), {"email": "noor@example.org", "rol": "lezer"})

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "noor@example.org is uitgenodigd als Lezer" in page
    assert len(mail.outbox) == 1
    invitation = Uitnodiging.objects.get()
    assert invitation.uitgenodigd_door == cast["leider"]
    record = invitation.history.get()
    assert record.history_change_reason == "Uitgenodigd als Lezer"
    assert record.history_user == cast["leider"]
    assert "noor@example.org: Uitgenodigd als Lezer" in page  # recente wijzigingen


def test_invite_errors_name_the_field(client, prog, cast):
    client.force_login(cast["leider"])

    response = client.post(_url(prog, "uitnodigen/"), {"email": "geen-adres", "rol": "baas"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "De uitnodiging is niet verstuurd" in html
    assert "E-mailadres: Vul een geldig e-mailadres in" in html
    assert "Rol: Kies een rol uit de lijst." in html
    assert not Uitnodiging.objects.exists()


def test_invite_with_htmx_swaps_the_list_and_focuses_the_notice(client, prog, cast):
    client.force_login(cast["leider"])

    response = client.post(
        _url(prog, "uitnodigen/"), {"email": "noor@example.org", "rol": "lezer"}, **HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="leden-melding"' in html
    assert "noor@example.org" in html
    event = json.loads(response["HX-Trigger-After-Settle"])["koers:changed"]
    assert event["focus"] == "#leden-melding"
    # The focused notice (role status) speaks it; the page-wide message would say it twice.
    assert not event["message"]
    assert "noor@example.org is uitgenodigd" in html


def test_withdrawing_asks_first_then_stops_the_link(client, prog, cast):
    invitation = _invitation(prog, cast["leider"])
    client.force_login(cast["leider"])
    url = _url(prog, f"uitnodigingen/{invitation.pk}/intrekken/")

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Weet u zeker dat u de uitnodiging van noor@example.org wilt intrekken?" in (
        confirm.content.decode()
    )
    assert Uitnodiging.objects.get().ingetrokken_op is None

    response = client.post(url)

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.ingetrokken_op is not None
    assert invitation.history.first().history_change_reason == "Uitnodiging ingetrokken"
    assert "Geen openstaande uitnodigingen." in client.get(_url(prog)).content.decode()


# -- roles and access -----------------------------------------------------------------------


def test_changing_a_role_asks_for_confirmation_then_changes_it(client, prog, cast):
    lid = _lid(cast["lezer"], prog)
    client.force_login(cast["leider"])
    url = _url(prog, f"{lid.pk}/rol/")

    confirm = client.post(url, {"rol": "programmateam"})
    assert confirm.status_code == 200
    assert "De rol van lezer wijzigen van Lezer naar Programmateam?" in confirm.content.decode()
    assert _lid(cast["lezer"], prog).rol == Rol.LEZER

    response = client.post(url, {"rol": "programmateam", "bevestigd": "on"})

    assert response.status_code == 302
    lid.refresh_from_db()
    assert lid.rol == Rol.PROGRAMMATEAM
    record = lid.history.first()
    assert record.history_change_reason == "Rol gewijzigd van Lezer naar Programmateam"
    assert record.history_user == cast["leider"]
    page = client.get(_url(prog)).content.decode()
    assert "De rol van lezer is nu Programmateam." in page
    assert "lezer: Rol gewijzigd van Lezer naar Programmateam" in page
    # Dutch dates in the recent changes.
    assert timezone.localtime().strftime("%Y") in page
    maand = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ][timezone.localtime().month - 1]
    assert f"{timezone.localtime().day} {maand} {timezone.localtime().year}" in page


def test_role_confirmation_inline_with_htmx(client, prog, cast):
    lid = _lid(cast["lezer"], prog)
    client.force_login(cast["leider"])

    response = client.post(_url(prog, f"{lid.pk}/rol/"), {"rol": "stuurgroep"}, **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert f'data-hx-post="{_url(prog, f"{lid.pk}/rol/")}"' in html
    assert 'data-hx-target="#leden"' in html
    assert 'name="bevestigd"' in html
    event = json.loads(response["HX-Trigger-After-Settle"])["koers:changed"]
    assert event["focus"] == f"#lid-{lid.pk}-vraag"


def test_revoking_access_asks_first_then_removes_membership_and_group_places(client, prog, cast):
    lezer = cast["lezer"]
    groep = Groep.objects.create(programma=prog, naam="Werkgroep", soort="werkgroep")
    GroepLid.objects.create(groep=groep, user=lezer)
    lid = _lid(lezer, prog)
    client.force_login(cast["leider"])
    url = _url(prog, f"{lid.pk}/toegang-intrekken/")

    confirm = client.get(url)
    assert "Weet u zeker dat u de toegang van lezer tot dit programma wilt intrekken?" in (
        confirm.content.decode()
    )
    assert Lidmaatschap.objects.filter(pk=lid.pk).exists()

    response = client.post(url)

    assert response.status_code == 302
    assert not Lidmaatschap.objects.filter(pk=lid.pk).exists()
    assert not GroepLid.objects.filter(user=lezer).exists()
    record = Lidmaatschap.history.filter(id=lid.pk).first()
    assert (record.history_type, record.history_change_reason) == ("-", "Toegang ingetrokken")
    client.force_login(lezer)
    assert client.get(f"/programmas/{prog.slug}/").status_code == 404


def test_leader_who_revokes_their_own_access_leaves_for_the_list(client, prog, cast):
    tweede = builders.member(prog, "programmaleider", "tweede")
    client.force_login(tweede)

    response = client.post(_url(prog, f"{_lid(tweede, prog).pk}/toegang-intrekken/"), **HTMX)

    assert response["HX-Redirect"] == "/programmas/"


# -- the last programmaleider ---------------------------------------------------------------


def test_last_leader_cannot_be_demoted_or_removed_in_the_service(prog, cast):
    lid = _lid(cast["leider"], prog)

    with pytest.raises(ValidationError, match="enige programmaleider"):
        members.change_role(lid, Rol.PROGRAMMATEAM)
    with pytest.raises(ValidationError, match="enige programmaleider"):
        members.revoke_membership(lid)

    assert _lid(cast["leider"], prog).rol == Rol.PROGRAMMALEIDER
    assert not lid.history.filter(history_type="-").exists()


def test_last_leader_refusal_is_clear_on_the_page_and_changes_nothing(client, prog, cast):
    lid = _lid(cast["leider"], prog)
    client.force_login(cast["leider"])

    confirm = client.post(_url(prog, f"{lid.pk}/rol/"), {"rol": "lezer"})
    forced = client.post(
        _url(prog, f"{lid.pk}/rol/"), {"rol": "lezer", "bevestigd": "on"}, follow=True
    )
    revoked = client.post(_url(prog, f"{lid.pk}/toegang-intrekken/"), follow=True)

    assert "leider is de enige programmaleider van dit programma" in confirm.content.decode()
    assert "Ja, rol wijzigen" not in confirm.content.decode()
    assert forced.redirect_chain == [(_url(prog), 302)]
    assert "enige programmaleider" in forced.content.decode()
    assert "enige programmaleider" in revoked.content.decode()
    assert _lid(cast["leider"], prog).rol == Rol.PROGRAMMALEIDER


def test_with_a_second_leader_the_first_may_step_down(client, prog, cast):
    builders.member(prog, "programmaleider", "tweede")
    lid = _lid(cast["leider"], prog)

    assert members.change_role(lid, Rol.PROGRAMMATEAM) is True
    assert _lid(cast["leider"], prog).rol == Rol.PROGRAMMATEAM
    # Now the second is the last one.
    with pytest.raises(ValidationError):
        members.revoke_membership(Lidmaatschap.objects.get(user__username="tweede"))


def test_site_admin_manages_members_without_a_role(client, prog, cast):
    admin = builders.user("beheerder")
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    lid = _lid(cast["lezer"], prog)

    client.post(_url(prog, f"{lid.pk}/rol/"), {"rol": "stuurgroep", "bevestigd": "on"})

    assert _lid(cast["lezer"], prog).rol == Rol.STUURGROEP
