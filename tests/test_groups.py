"""A programme's groups: the overview by soort, a page per group, and the leader managing them."""

import json

import pytest
from django.urls import reverse

from programmes import groups
from programmes.models import Groep, GroepLid, Partnerschap
from programmes.partners import end_partner
from tests import builders
from tests.queries import page_queries


def _url(name: str, prog, *args) -> str:
    return reverse(f"programmes:{name}", args=[prog.slug, *args])


@pytest.fixture
def werkgroep(prog):
    return Groep.objects.create(programma=prog, naam="Werkgroep Monitoring", soort="werkgroep")


@pytest.fixture
def hanze(prog):
    return builders.partner(prog, naam="Hanzehogeschool Groningen", slug="hanze")


def _member_data(**values) -> dict:
    data = {"organisatie": "", "user": "", "persoon": "", "functie": "", "rol": "lid", **values}
    return {f"lid-{k}": v for k, v in data.items()}


# -- reading ------------------------------------------------------------------------------


def test_groups_are_listed_by_soort_with_members_and_kartrekker(client, cast, prog, hanze):
    stuurgroep = Groep.objects.create(programma=prog, naam="Stuurgroep AT", soort="stuurgroep")
    werkgroep = Groep.objects.create(
        programma=prog, naam="Werkgroep Communicatie", soort="werkgroep"
    )
    GroepLid.objects.create(groep=werkgroep, organisatie=hanze, rol="kartrekker")
    GroepLid.objects.create(groep=stuurgroep, persoon="Wethouder Veendam", rol="voorzitter")
    client.force_login(cast["lezer"])

    response = client.get(_url("groups", prog))
    html = response.content.decode()

    assert [s.label for s in response.context["secties"]] == ["Stuurgroep", "Werkgroep"]
    assert html.index("Stuurgroep AT") < html.index("Werkgroep Communicatie")
    assert "Hanzehogeschool Groningen" in html and "Kartrekker" in html
    assert "Wethouder Veendam" in html
    assert "Nieuwe groep" not in html  # a reader only reads


def test_group_page_shows_members_and_kartrekker(client, cast, prog, hanze, werkgroep):
    GroepLid.objects.create(groep=werkgroep, organisatie=hanze, rol="kartrekker")
    GroepLid.objects.create(groep=werkgroep, persoon="Lector", functie="Onderzoeker")
    client.force_login(cast["team"])

    html = client.get(_url("group", prog, werkgroep.pk)).content.decode()

    assert "Kartrekker: <strong>Hanzehogeschool Groningen</strong>" in html
    assert "Lector, Onderzoeker" in html
    assert "Lid toevoegen" not in html


def test_group_list_query_count_does_not_grow(client, cast, prog, hanze, werkgroep):
    client.force_login(cast["lezer"])
    listing = _url("groups", prog)
    before = page_queries(client, listing)

    for n in range(6):
        groep = Groep.objects.create(programma=prog, naam=f"Groep {n}", soort="projectgroep")
        GroepLid.objects.create(groep=groep, organisatie=hanze, rol="kartrekker")
        GroepLid.objects.create(groep=groep, user=cast["team"], rol="lid")

    assert page_queries(client, listing) == before


def test_outsiders_do_not_find_the_groups(client, cast, prog, werkgroep):
    client.force_login(cast["buitenstaander"])

    assert client.get(_url("groups", prog)).status_code == 404
    assert client.get(_url("group", prog, werkgroep.pk)).status_code == 404


def test_a_group_of_another_programme_is_not_found(client, cast, prog):
    elders = builders.programma()
    other = Groep.objects.create(programma=elders, naam="Elders", soort="werkgroep")
    lid = GroepLid.objects.create(groep=other, persoon="Iemand")
    client.force_login(cast["leider"])

    responses = [
        client.get(_url("group", prog, other.pk)),
        client.post(_url("group_edit", prog, other.pk), {"naam": "X", "soort": "werkgroep"}),
        client.post(_url("group_delete", prog, other.pk)),
        client.post(_url("group_member_add", prog, other.pk), _member_data(persoon="Nieuw")),
        client.post(_url("group_member_remove", prog, other.pk, lid.pk)),
        client.post(_url("group_kartrekkers", prog, other.pk), {"kartrekkers-kartrekkers": lid.pk}),
    ]

    assert [r.status_code for r in responses] == [404] * 6
    other.refresh_from_db()
    assert other.naam == "Elders"
    assert GroepLid.objects.filter(groep=other).count() == 1


def test_a_member_of_another_group_cannot_be_changed_through_this_one(
    client, cast, prog, werkgroep
):
    andere = Groep.objects.create(programma=prog, naam="Andere", soort="werkgroep")
    lid = GroepLid.objects.create(groep=andere, persoon="Iemand")
    client.force_login(cast["leider"])

    edit = client.post(
        _url("group_member_edit", prog, werkgroep.pk, lid.pk), {"persoon": "X", "rol": "lid"}
    )
    remove = client.post(_url("group_member_remove", prog, werkgroep.pk, lid.pk))
    kartrekker = client.post(
        _url("group_kartrekkers", prog, werkgroep.pk), {"kartrekkers-kartrekkers": lid.pk}
    )

    assert (edit.status_code, remove.status_code) == (404, 404)
    assert "Kies kartrekkers uit de leden van deze groep." in kartrekker.content.decode()
    lid.refresh_from_db()
    assert (lid.persoon, lid.rol) == ("Iemand", "lid")


# -- creating, editing, deleting ----------------------------------------------------------


def test_leader_creates_a_group(client, cast, prog):
    client.force_login(cast["leider"])

    response = client.post(
        _url("group_create", prog),
        {"naam": " Werkgroep  Communicatie ", "soort": "werkgroep", "omschrijving": "Nieuwsbrief"},
    )

    groep = Groep.objects.get(programma=prog)
    assert response.status_code == 302
    assert response["Location"] == _url("group", prog, groep.pk) + "#lid-toevoegen"
    assert (groep.naam, groep.soort, groep.omschrijving) == (
        "Werkgroep Communicatie",
        "werkgroep",
        "Nieuwsbrief",
    )
    record = groep.history.get()
    assert (record.history_change_reason, record.history_user) == (
        "Groep aangemaakt",
        cast["leider"],
    )


def test_a_group_name_is_unique_within_the_programme(client, cast, prog, werkgroep):
    Groep.objects.create(programma=builders.programma(), naam="Stuurgroep", soort="stuurgroep")
    client.force_login(cast["leider"])

    taken = client.post(
        _url("group_create", prog), {"naam": "werkgroep monitoring", "soort": "werkgroep"}
    )
    elsewhere = client.post(
        _url("group_create", prog), {"naam": "Stuurgroep", "soort": "stuurgroep"}
    )

    assert "Er is al een groep „werkgroep monitoring” in dit programma" in taken.content.decode()
    assert elsewhere.status_code == 302
    assert Groep.objects.filter(programma=prog).count() == 2


def test_a_group_needs_a_name_and_a_soort(client, cast, prog):
    client.force_login(cast["leider"])

    html = client.post(_url("group_create", prog), {"naam": "", "soort": ""}).content.decode()

    assert "Vul de naam van de groep in." in html
    assert "Kies de soort groep." in html
    assert not Groep.objects.exists()


def test_leader_edits_a_group_and_an_unchanged_save_writes_nothing(client, cast, prog, werkgroep):
    client.force_login(cast["leider"])
    data = {"naam": "Werkgroep M&E", "soort": "werkgroep", "omschrijving": ""}

    client.post(_url("group_edit", prog, werkgroep.pk), data)
    client.post(_url("group_edit", prog, werkgroep.pk), data)

    werkgroep.refresh_from_db()
    assert werkgroep.naam == "Werkgroep M&E"
    assert werkgroep.history.count() == 2  # created, then one change
    assert werkgroep.history.latest().history_change_reason == "Groep gewijzigd"


def test_leader_deletes_an_empty_group(client, cast, prog, werkgroep):
    client.force_login(cast["leider"])

    response = client.post(_url("group_delete", prog, werkgroep.pk), {"reden": "Opgeheven"})

    assert response["Location"] == _url("groups", prog)
    assert not Groep.objects.filter(pk=werkgroep.pk).exists()
    assert Groep.history.filter(id=werkgroep.pk).latest().history_change_reason == "Opgeheven"


def test_a_group_with_members_is_not_deleted(client, cast, prog, werkgroep):
    GroepLid.objects.create(groep=werkgroep, persoon="Iemand")
    client.force_login(cast["leider"])

    page = client.get(_url("group_delete", prog, werkgroep.pk)).content.decode()
    response = client.post(_url("group_delete", prog, werkgroep.pk))

    assert "Alleen een lege groep kan weg" in page and "Ja, verwijderen" not in page
    assert "heeft nog 1 leden" in response.content.decode()
    assert Groep.objects.filter(pk=werkgroep.pk).exists()


def test_a_group_that_carries_an_inspanning_is_not_deleted(prog, werkgroep):
    builders.inspanning(prog, groep=werkgroep)

    with pytest.raises(groups.ValidationError, match="gekoppeld aan 1 inspanning"):
        groups.delete_groep(werkgroep)

    assert Groep.objects.filter(pk=werkgroep.pk).exists()


# -- members and kartrekker ---------------------------------------------------------------


def test_leader_adds_a_partner_a_member_and_a_named_person(client, cast, prog, hanze, werkgroep):
    client.force_login(cast["leider"])
    url = _url("group_member_add", prog, werkgroep.pk)

    client.post(url, _member_data(organisatie=hanze.pk, persoon="Lector", rol="kartrekker"))
    client.post(url, _member_data(user=cast["team"].pk))
    response = client.post(url, _member_data(persoon="Ervaringsdeskundige", rol="adviseur"))

    leden = list(werkgroep.leden.order_by("volgorde"))
    assert response.status_code == 302
    assert [(lid.organisatie, lid.user, lid.persoon, lid.rol) for lid in leden] == [
        (hanze, None, "Lector", "kartrekker"),
        (None, cast["team"], "", "lid"),
        (None, None, "Ervaringsdeskundige", "adviseur"),
    ]
    assert [lid.volgorde for lid in leden] == [0, 1, 2]
    record = leden[0].history.get()
    assert record.history_change_reason == "Lid toegevoegd aan Werkgroep Monitoring"
    assert record.history_user == cast["leider"]


def test_adding_a_member_with_htmx_swaps_the_members_and_moves_focus(
    client, cast, prog, hanze, werkgroep
):
    client.force_login(cast["leider"])

    response = client.post(
        _url("group_member_add", prog, werkgroep.pk),
        _member_data(organisatie=hanze.pk),
        headers={"HX-Request": "true"},
    )

    lid = werkgroep.leden.get()
    event = json.loads(response.headers["HX-Trigger-After-Settle"])["koers:changed"]
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="leden"')
    assert f'id="lid-{lid.pk}"' in html
    assert event == {
        "focus": f"#lid-{lid.pk}",
        "message": "Hanzehogeschool Groningen is lid van Werkgroep Monitoring.",
    }


def test_a_member_needs_an_organisation_a_user_or_a_person(client, cast, prog, werkgroep):
    client.force_login(cast["leider"])

    response = client.post(_url("group_member_add", prog, werkgroep.pk), _member_data())

    assert "Kies een organisatie of een gebruiker, of vul een persoon of functie in" in (
        response.content.decode()
    )
    assert not werkgroep.leden.exists()


def test_a_user_who_is_no_member_of_the_programme_is_refused(client, cast, prog, werkgroep):
    client.force_login(cast["leider"])

    response = client.post(
        _url("group_member_add", prog, werkgroep.pk), _member_data(user=cast["buitenstaander"].pk)
    )

    assert "Kies iemand met een rol in dit programma" in response.content.decode()
    assert not werkgroep.leden.exists()
    with pytest.raises(groups.ValidationError) as refused:
        groups.add_group_member(werkgroep, user=cast["buitenstaander"])
    assert "user" in refused.value.message_dict
    assert not werkgroep.leden.exists()


def test_an_organisation_that_is_no_current_partner_is_refused(client, cast, prog, werkgroep):
    elders = builders.partner(builders.programma(), naam="Elders")
    former = builders.partner(prog, naam="Voormalig")
    end_partner(Partnerschap.objects.get(programma=prog, organisatie=former))
    client.force_login(cast["leider"])
    url = _url("group_member_add", prog, werkgroep.pk)

    responses = [client.post(url, _member_data(organisatie=org.pk)) for org in (elders, former)]

    for response in responses:
        assert "Kies een partner van dit programma." in response.content.decode()
    with pytest.raises(groups.ValidationError) as refused:
        groups.add_group_member(werkgroep, organisatie=former)
    assert refused.value.message_dict == {
        "organisatie": ["Deze organisatie is geen partner van dit programma."]
    }
    assert not werkgroep.leden.exists()


def test_leader_sets_the_kartrekker(client, cast, prog, hanze, werkgroep):
    oud = GroepLid.objects.create(groep=werkgroep, persoon="Oude trekker", rol="kartrekker")
    nieuw = GroepLid.objects.create(groep=werkgroep, organisatie=hanze, rol="lid")
    client.force_login(cast["leider"])

    response = client.post(
        _url("group_kartrekkers", prog, werkgroep.pk), {"kartrekkers-kartrekkers": [nieuw.pk]}
    )

    oud.refresh_from_db()
    nieuw.refresh_from_db()
    assert response.status_code == 302
    assert (oud.rol, nieuw.rol) == ("lid", "kartrekker")
    assert (
        nieuw.history.latest().history_change_reason
        == "Kartrekker van Werkgroep Monitoring gewijzigd"
    )
    assert groups.kartrekkers(groups.group_of(prog, werkgroep.pk)) == [nieuw]


def test_leader_changes_and_removes_a_member(client, cast, prog, hanze, werkgroep):
    lid = GroepLid.objects.create(groep=werkgroep, persoon="Lector", rol="lid")
    client.force_login(cast["leider"])

    client.post(
        _url("group_member_edit", prog, werkgroep.pk, lid.pk),
        {
            "organisatie": hanze.pk,
            "user": "",
            "persoon": "Lector",
            "functie": "",
            "rol": "adviseur",
        },
    )
    lid.refresh_from_db()
    assert (lid.organisatie, lid.rol) == (hanze, "adviseur")

    response = client.post(
        _url("group_member_remove", prog, werkgroep.pk, lid.pk), headers={"HX-Request": "true"}
    )

    event = json.loads(response.headers["HX-Trigger-After-Settle"])["koers:changed"]
    assert not werkgroep.leden.exists()
    assert event["focus"] == "#leden-kop"
    assert GroepLid.history.filter(id=lid.pk).latest().history_type == "-"


# -- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["team", "stuurgroep", "coalitielid", "lezer"])
def test_members_who_do_not_lead_cannot_manage_groups(client, cast, prog, hanze, werkgroep, role):
    lid = GroepLid.objects.create(groep=werkgroep, persoon="Iemand")
    client.force_login(cast[role])

    responses = [
        client.get(_url("group_create", prog)),
        client.post(_url("group_create", prog), {"naam": "Nieuw", "soort": "werkgroep"}),
        client.post(_url("group_edit", prog, werkgroep.pk), {"naam": "X", "soort": "werkgroep"}),
        client.post(_url("group_delete", prog, werkgroep.pk)),
        client.post(_url("group_member_add", prog, werkgroep.pk), _member_data(persoon="Nieuw")),
        client.post(
            _url("group_member_edit", prog, werkgroep.pk, lid.pk), {"persoon": "X", "rol": "lid"}
        ),
        client.post(_url("group_member_remove", prog, werkgroep.pk, lid.pk)),
        client.post(
            _url("group_kartrekkers", prog, werkgroep.pk), {"kartrekkers-kartrekkers": lid.pk}
        ),
    ]

    assert [r.status_code for r in responses] == [403] * 8
    assert list(Groep.objects.values_list("naam", flat=True)) == ["Werkgroep Monitoring"]
    assert list(werkgroep.leden.values_list("persoon", "rol")) == [("Iemand", "lid")]


def test_outsiders_cannot_manage_groups(client, cast, prog, werkgroep):
    client.force_login(cast["buitenstaander"])

    responses = [
        client.post(_url("group_create", prog), {"naam": "Nieuw", "soort": "werkgroep"}),
        client.post(_url("group_member_add", prog, werkgroep.pk), _member_data(persoon="Nieuw")),
    ]

    assert [r.status_code for r in responses] == [404, 404]
    assert Groep.objects.count() == 1 and not werkgroep.leden.exists()
