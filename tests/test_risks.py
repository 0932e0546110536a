"""Risks and randvoorwaarden of a programme: the list, recording, editing, deleting, and who may."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fasering import risks
from fasering.models import Risico
from tests import builders
from tests.queries import page_queries


def _url(name: str, prog, *args) -> str:
    return reverse(f"fasering:{name}", args=[prog.slug, *args])


def _risico(prog, **kw) -> Risico:
    values = {"programma": prog, "omschrijving": "Te weinig uitvoeringscapaciteit", **kw}
    return Risico.objects.create(**values)


def _form(**changes) -> dict:
    return {
        "soort": "risico",
        "omschrijving": "Krapte op de arbeidsmarkt",
        "kans": "hoog",
        "impact": "middel",
        "beheersmaatregel": "Een kwartaal vooraf capaciteit vragen",
        "eigenaar": "Programmamanager",
        "status": "open",
        "ambitie": "",
        "inspanning": "",
        "reden": "",
        **changes,
    }


# -- the list -------------------------------------------------------------------------------


def test_risk_page_groups_risks_and_randvoorwaarden_and_names_kans_and_impact(client, prog, cast):
    _risico(prog, omschrijving="Krapte op de arbeidsmarkt", kans="hoog", impact="laag")
    _risico(prog, soort="randvoorwaarde", omschrijving="Bestuurlijk draagvlak")
    client.force_login(cast["lezer"])

    html = client.get(_url("risks", prog)).content.decode()

    assert html.index("Risico&#x27;s") < html.index("Krapte") < html.index("Randvoorwaarden")
    assert html.index("Randvoorwaarden") < html.index("Bestuurlijk draagvlak")
    # Kans and impact in words, not by colour alone; a blank one says so.
    assert "Hoog" in html and "Laag" in html
    assert "niet ingeschat" in html
    # A reader sees no edit links.
    assert _url("risk_create", prog) not in html


def test_risk_page_filters_on_open(client, prog, cast):
    _risico(prog, omschrijving="Nog open punt")
    _risico(prog, omschrijving="Al gesloten punt", status="gesloten")
    client.force_login(cast["lezer"])

    alle = client.get(_url("risks", prog)).content.decode()
    open_ = client.get(_url("risks", prog), {"toon": "open"}).content.decode()

    assert "Nog open punt" in alle and "Al gesloten punt" in alle
    assert "Nog open punt" in open_ and "Al gesloten punt" not in open_


def test_risk_page_queries_do_not_grow_with_the_risks(client, prog, cast):
    amb = builders.ambitie(prog, code="1")
    ins = builders.inspanning(prog, code="A1")
    _risico(prog, ambitie=amb)
    client.force_login(cast["leider"])
    few = page_queries(client, _url("risks", prog))
    for n in range(5):
        _risico(prog, omschrijving=f"Risico {n}", ambitie=amb, inspanning=ins)

    assert page_queries(client, _url("risks", prog)) == few


def test_outsider_gets_404(client, prog, cast):
    client.force_login(cast["buitenstaander"])

    assert client.get(_url("risks", prog)).status_code == 404


# -- create, edit, delete -------------------------------------------------------------------


@pytest.mark.parametrize("rol", ["leider", "team"])
def test_leader_and_team_record_a_risk_tied_to_an_ambitie(client, prog, cast, rol):
    amb = builders.ambitie(prog, code="3")
    client.force_login(cast[rol])

    response = client.post(_url("risk_create", prog), _form(ambitie=amb.pk))

    risico = Risico.objects.get(programma=prog)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#risico-{risico.pk}")
    assert (risico.kans, risico.impact, risico.ambitie) == ("hoog", "middel", amb)
    assert risico.history.get().history_user == cast[rol]


def test_a_risk_needs_a_description(client, prog, cast):
    client.force_login(cast["leider"])

    response = client.post(_url("risk_create", prog), _form(omschrijving="  "))

    assert response.status_code == 200
    assert "Vul de omschrijving in." in response.content.decode()
    assert not Risico.objects.exists()


def test_edit_saves_with_the_reason_in_the_history(client, prog, cast):
    risico = _risico(prog)
    client.force_login(cast["team"])

    response = client.post(
        _url("risk_edit", prog, risico.pk),
        _form(status="beheerst", versie=risico.versie, reden="Capaciteit toegezegd"),
    )

    risico.refresh_from_db()
    assert response.status_code == 302
    assert (risico.status, risico.versie) == ("beheerst", 2)
    assert risico.history.first().history_change_reason == "Capaciteit toegezegd"


def test_an_unchanged_edit_writes_nothing(client, prog, cast):
    risico = _risico(prog, **{k: v for k, v in _form().items() if k in ("kans", "impact")})
    values = _form(omschrijving=risico.omschrijving, versie=risico.versie)
    client.force_login(cast["leider"])
    client.post(_url("risk_edit", prog, risico.pk), values)

    risico.refresh_from_db()
    changed_once = risico.versie
    client.post(_url("risk_edit", prog, risico.pk), {**values, "versie": changed_once})

    risico.refresh_from_db()
    assert risico.versie == changed_once


def test_an_edit_based_on_an_older_version_is_refused(client, prog, cast):
    risico = _risico(prog)
    risks.update_risico(
        risico,
        cast["team"],
        expected_versie=1,
        **{**_form(), "ambitie": None, "inspanning": None, "omschrijving": "Eerst door team"},
    )
    client.force_login(cast["leider"])

    response = client.post(
        _url("risk_edit", prog, risico.pk), _form(omschrijving="Later, oud", versie=1)
    )

    risico.refresh_from_db()
    assert response.status_code == 200
    assert "Iemand anders heeft dit risico intussen gewijzigd" in response.content.decode()
    assert risico.omschrijving == "Eerst door team"
    # The form now shows what is stored, at the version stored.
    assert 'value="2"' in response.content.decode()


def test_delete_with_a_stale_version_is_refused(client, prog, cast):
    risico = _risico(prog)
    client.force_login(cast["leider"])

    response = client.post(_url("risk_delete", prog, risico.pk), {"versie": 0})

    assert response.status_code == 200
    assert Risico.objects.filter(pk=risico.pk).exists()


def test_delete_removes_the_risk_and_keeps_its_history(client, prog, cast):
    risico = _risico(prog)
    client.force_login(cast["leider"])

    response = client.post(
        _url("risk_delete", prog, risico.pk), {"versie": risico.versie, "reden": "Dubbel"}
    )

    assert response.status_code == 302
    assert not Risico.objects.filter(pk=risico.pk).exists()
    gone = Risico.history.filter(id=risico.pk).first()
    assert (gone.history_type, gone.history_change_reason) == ("-", "Dubbel")


# -- links to another programme -------------------------------------------------------------


def test_linking_another_programmes_ambitie_is_refused(client, prog, cast):
    elders = builders.ambitie(builders.programma(), code="9")
    client.force_login(cast["leider"])

    response = client.post(_url("risk_create", prog), _form(ambitie=elders.pk))

    assert response.status_code == 200
    assert "Kies een ambitie van dit programma." in response.content.decode()
    assert not Risico.objects.exists()


def test_the_service_refuses_another_programmes_project(prog, cast):
    elders = builders.inspanning(builders.programma(), code="3a", categorie="project")
    values = {**_form(), "ambitie": None, "inspanning": elders}

    with pytest.raises(ValidationError) as refused:
        risks.create_risico(prog, cast["leider"], **values)

    assert "inspanning" in refused.value.message_dict
    assert not Risico.objects.exists()


def test_another_programmes_risk_is_404(client, prog, cast):
    elders = _risico(builders.programma())
    client.force_login(cast["leider"])

    assert client.get(_url("risk_edit", prog, elders.pk)).status_code == 404
    assert client.post(_url("risk_delete", prog, elders.pk), {"versie": 1}).status_code == 404


# -- who may write --------------------------------------------------------------------------


@pytest.mark.parametrize("rol", ["lezer", "coalitielid", "stuurgroep"])
def test_readers_coalition_and_stuurgroep_may_not_write_not_even_by_crafted_post(
    client, prog, cast, rol
):
    risico = _risico(prog)
    client.force_login(cast[rol])

    assert client.get(_url("risks", prog)).status_code == 200
    assert client.get(_url("risk_create", prog)).status_code == 403
    assert client.post(_url("risk_create", prog), _form()).status_code == 403
    edit = _form(omschrijving="Gekaapt", versie=risico.versie)
    assert client.post(_url("risk_edit", prog, risico.pk), edit).status_code == 403
    delete = {"versie": risico.versie}
    assert client.post(_url("risk_delete", prog, risico.pk), delete).status_code == 403
    risico.refresh_from_db()
    assert risico.omschrijving == "Te weinig uitvoeringscapaciteit"
    assert Risico.objects.count() == 1


def test_an_archived_programme_refuses_every_write(client, prog, cast):
    risico = _risico(prog)
    prog.gearchiveerd_op = timezone.now()
    prog.save()
    client.force_login(cast["leider"])

    assert client.get(_url("risks", prog)).status_code == 200
    assert client.post(_url("risk_create", prog), _form()).status_code == 403
    edit = _form(versie=risico.versie)
    assert client.post(_url("risk_edit", prog, risico.pk), edit).status_code == 403
