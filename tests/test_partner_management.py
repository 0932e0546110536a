"""The programme leader takes organisations on as partners, ends and resumes partnerships."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.models import Organisatie, Partnerschap
from programmes.partners import create_organisatie, end_partner, similar_organisations
from tests import builders


def _add_url(prog) -> str:
    return reverse("programmes:partner_add", args=[prog.slug])


def _end_url(prog, org) -> str:
    return reverse("programmes:partner_end", args=[prog.slug, org.slug])


def _resume_url(prog, org) -> str:
    return reverse("programmes:partner_resume", args=[prog.slug, org.slug])


@pytest.fixture
def groningen(db):
    """An organisation known to Koers that is no partner of the test programme yet."""
    return builders.organisatie(naam="Hanzehogeschool Groningen", slug="hanze-groningen")


def test_partner_list_offers_the_leader_to_add_a_partner(client, cast, prog):
    client.force_login(cast["leider"])

    html = client.get(reverse("doelenboom:partners", args=[prog.slug])).content.decode()

    assert f'href="{_add_url(prog)}"' in html
    assert "Partner toevoegen" in html


def test_without_javascript_the_name_comes_first_then_the_choice(client, cast, prog, groningen):
    client.force_login(cast["leider"])

    response = client.post(_add_url(prog), {"naam": "Hanzehogeschool"})
    html = response.content.decode()

    assert response.status_code == 200
    assert f'type="radio" name="keuze" value="{groningen.pk}"' in html
    assert "Hanzehogeschool Groningen" in html
    assert 'value="nieuw"' in html
    assert not Partnerschap.objects.filter(programma=prog).exists()


def test_suggestions_appear_while_typing_and_are_announced(client, cast, prog, groningen):
    client.force_login(cast["leider"])

    response = client.get(
        _add_url(prog), {"naam": "Hanzehogeschool"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    event = json.loads(response.headers["HX-Trigger-After-Settle"])["koers:changed"]

    assert "<html" not in html  # only the choices
    assert f'value="{groningen.pk}"' in html
    assert "<fieldset" in html and "Welke organisatie bedoelt u?" in html
    assert event["message"].startswith("1 organisatie gevonden die lijkt op „Hanzehogeschool”")
    assert event["focus"] == ""  # focus stays in the name field


def test_similar_names_are_found(db):
    names = ["Hanzehogeschool Groningen", "Gemeente Emmen", "Stichting Kwartiermaker"]
    hanze, emmen, kwartiermaker = (builders.organisatie(naam=n) for n in names)

    assert similar_organisations("Hanzehogeschool") == [hanze]
    assert similar_organisations("emmen") == [emmen]
    assert similar_organisations("Kwartiermakers") == [kwartiermaker]


def test_leader_adds_an_existing_organisation_as_partner(client, cast, prog, groningen):
    client.force_login(cast["leider"])

    response = client.post(
        _add_url(prog), {"naam": "Hanzehogeschool", "keuze": str(groningen.pk)}, follow=True
    )

    partnerschap = Partnerschap.objects.get(programma=prog, organisatie=groningen)
    assert partnerschap.beeindigd_op is None
    assert partnerschap.sinds == timezone.localdate().year
    assert "Hanzehogeschool Groningen is nu partner van AT." in response.content.decode()
    assert [o.slug for o in response.context["partners"]] == ["hanze-groningen"]
    assert partnerschap.history.get().history_change_reason == "Partner toegevoegd"
    assert partnerschap.history.get().history_user == cast["leider"]
    assert Organisatie.objects.count() == 1


def test_leader_adds_a_new_organisation_as_partner(client, cast, prog):
    client.force_login(cast["leider"])

    response = client.post(
        _add_url(prog),
        {"naam": "  Stichting   Kwartiermaker ", "keuze": "nieuw", "soort": "welzijn"},
    )

    org = Organisatie.objects.get()
    assert response.status_code == 302
    assert (org.naam, org.soort, org.slug) == (
        "Stichting Kwartiermaker",
        "welzijn",
        "stichting-kwartiermaker",
    )
    assert Partnerschap.objects.filter(programma=prog, organisatie=org).exists()
    assert org.history.get().history_change_reason == "Nieuwe partner van AT"


def test_already_a_partner_is_refused_with_a_clear_message(client, cast, prog):
    hanze = builders.partner(prog, naam="Hanzehogeschool Groningen", slug="hanze")
    client.force_login(cast["leider"])
    before = Partnerschap.objects.get(organisatie=hanze).history.count()

    suggestions = client.get(_add_url(prog), {"naam": "Hanzehogeschool Groningen"}).content.decode()
    response = client.post(
        _add_url(prog), {"naam": "Hanzehogeschool Groningen", "keuze": str(hanze.pk)}
    )

    assert "Hanzehogeschool Groningen is al partner van dit programma." in suggestions
    assert f'value="{hanze.pk}"' not in suggestions  # not offered as a choice
    assert response.status_code == 200
    assert "Hanzehogeschool Groningen is al partner van dit programma." in response.content.decode()
    assert Partnerschap.objects.get(organisatie=hanze).history.count() == before


def test_a_new_organisation_with_the_name_of_an_existing_one_is_refused(
    client, cast, prog, groningen
):
    client.force_login(cast["leider"])

    response = client.post(
        _add_url(prog),
        {"naam": "hanzehogeschool groningen", "keuze": "nieuw", "soort": "onderwijs"},
    )

    assert response.status_code == 200
    assert (
        "Er is al een organisatie met de naam „Hanzehogeschool Groningen”"
        in response.content.decode()
    )
    assert Organisatie.objects.count() == 1
    assert not Partnerschap.objects.exists()


def test_an_organisation_that_was_not_offered_cannot_be_chosen(client, cast, prog, groningen):
    unrelated = builders.organisatie(naam="Woonstichting Domesta")
    client.force_login(cast["leider"])

    response = client.post(_add_url(prog), {"naam": "Hanzehogeschool", "keuze": str(unrelated.pk)})

    assert response.status_code == 200
    assert "Kies een van de organisaties in de lijst" in response.content.decode()
    assert not Partnerschap.objects.exists()


def test_choosing_nothing_asks_for_a_choice(client, cast, prog, groningen):
    client.force_login(cast["leider"])

    response = client.post(_add_url(prog), {"naam": "Hanzehogeschool", "keuze": ""})

    assert "Kies een organisatie uit de lijst, of maak een nieuwe aan." in response.content.decode()
    assert not Partnerschap.objects.exists()


def test_an_empty_name_is_refused(client, cast, prog):
    client.force_login(cast["leider"])

    response = client.post(_add_url(prog), {"naam": "   "})

    assert "Vul de naam van de organisatie in." in response.content.decode()


def test_a_new_organisation_never_takes_a_slug_of_a_partner_page_path(db):
    org = create_organisatie("Toevoegen")

    assert org.slug == "toevoegen-2"


# -- ending and resuming -------------------------------------------------------------------


@pytest.fixture
def domesta(prog):
    org = builders.partner(prog, naam="Domesta", slug="domesta")
    Partnerschap.objects.filter(organisatie=org).update(sinds=2017)
    return org


def test_ending_asks_for_confirmation_with_today_as_the_date(client, cast, prog, domesta):
    client.force_login(cast["leider"])

    response = client.get(_end_url(prog, domesta))
    html = response.content.decode()

    assert "Weet u zeker dat Domesta geen partner meer is" in html
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html
    assert Partnerschap.objects.get(organisatie=domesta).beeindigd_op is None


def test_leader_ends_a_partnership_and_it_is_listed_apart(client, cast, prog, domesta):
    client.force_login(cast["leider"])
    op = timezone.localdate() - timedelta(days=3)

    response = client.post(
        _end_url(prog, domesta), {"op": op.isoformat(), "reden": "Fusie"}, follow=True
    )

    partnerschap = Partnerschap.objects.get(organisatie=domesta)
    assert partnerschap.beeindigd_op == op
    assert partnerschap.history.latest().history_change_reason == "Fusie"
    assert [o.slug for o in response.context["voormalig"]] == ["domesta"]
    assert response.context["partners"] == []
    assert "Domesta is geen partner meer van AT" in response.content.decode()


def test_an_end_date_in_the_future_is_refused(client, cast, prog, domesta):
    client.force_login(cast["leider"])
    later = timezone.localdate() + timedelta(days=1)

    response = client.post(_end_url(prog, domesta), {"op": later.isoformat()})

    assert response.status_code == 200
    assert "ligt in de toekomst" in response.content.decode()
    assert Partnerschap.objects.get(organisatie=domesta).beeindigd_op is None


def test_an_end_date_before_the_partnership_began_is_refused(client, cast, prog, domesta):
    client.force_login(cast["leider"])

    response = client.post(_end_url(prog, domesta), {"op": "2016-12-31"})

    assert "Domesta is partner sinds 2017; het einde ligt daarvóór." in response.content.decode()
    assert Partnerschap.objects.get(organisatie=domesta).beeindigd_op is None


def test_leader_resumes_an_ended_partnership(client, cast, prog, domesta):
    end_partner(Partnerschap.objects.get(organisatie=domesta))
    client.force_login(cast["leider"])

    response = client.post(_resume_url(prog, domesta), follow=True)

    partnerschap = Partnerschap.objects.get(organisatie=domesta)
    assert partnerschap.beeindigd_op is None
    assert partnerschap.sinds == 2017
    assert partnerschap.history.latest().history_change_reason == "Partnerschap hervat"
    assert "Domesta is weer partner van AT." in response.content.decode()


def test_adding_a_former_partner_resumes_it(client, cast, prog, domesta):
    end_partner(Partnerschap.objects.get(organisatie=domesta))
    client.force_login(cast["leider"])

    offered = client.get(_add_url(prog), {"naam": "Domesta"}).content.decode()
    client.post(_add_url(prog), {"naam": "Domesta", "keuze": str(domesta.pk)})

    assert "voormalige partner: wordt weer partner" in offered
    assert Partnerschap.objects.get(organisatie=domesta).beeindigd_op is None
    assert Partnerschap.objects.filter(organisatie=domesta).count() == 1


def test_resume_is_offered_to_the_leader_only(client, cast, prog, domesta):
    end_partner(Partnerschap.objects.get(organisatie=domesta))
    listing = reverse("doelenboom:partners", args=[prog.slug])

    client.force_login(cast["leider"])
    as_leader = client.get(listing).content.decode()
    client.force_login(cast["team"])
    as_team = client.get(listing).content.decode()

    assert f'action="{_resume_url(prog, domesta)}"' in as_leader
    assert "Weer partner maken" not in as_team
    assert "Partner toevoegen" not in as_team


# -- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["team", "stuurgroep", "coalitielid", "lezer"])
def test_members_who_do_not_lead_cannot_manage_partners(client, cast, prog, domesta, role):
    other = builders.organisatie(naam="Nieuwe partner")
    ended = builders.partner(prog, naam="Oud", slug="oud")
    end_partner(Partnerschap.objects.get(organisatie=ended))
    client.force_login(cast[role])

    responses = [
        client.get(_add_url(prog)),
        client.post(_add_url(prog), {"naam": "Nieuwe partner", "keuze": str(other.pk)}),
        client.post(_add_url(prog), {"naam": "Heel nieuw", "keuze": "nieuw"}),
        client.get(_end_url(prog, domesta)),
        client.post(_end_url(prog, domesta), {"op": timezone.localdate().isoformat()}),
        client.post(_resume_url(prog, ended)),
    ]

    assert [r.status_code for r in responses] == [403] * 6
    assert Partnerschap.objects.filter(programma=prog, beeindigd_op__isnull=True).count() == 1
    assert Organisatie.objects.filter(naam="Heel nieuw").count() == 0


def test_outsiders_do_not_find_the_partner_management(client, cast, prog, domesta):
    client.force_login(cast["buitenstaander"])

    responses = [
        client.get(_add_url(prog)),
        client.post(_add_url(prog), {"naam": "X", "keuze": "nieuw"}),
        client.post(_end_url(prog, domesta), {"op": timezone.localdate().isoformat()}),
        client.post(_resume_url(prog, domesta)),
    ]

    assert [r.status_code for r in responses] == [404] * 4
    assert not Organisatie.objects.filter(naam="X").exists()


def test_a_partner_of_another_programme_cannot_be_ended_or_resumed_here(client, cast, prog):
    elders = builders.partner(builders.programma(), slug="elders-org")
    client.force_login(cast["leider"])

    end = client.post(_end_url(prog, elders), {"op": timezone.localdate().isoformat()})
    resume = client.post(_resume_url(prog, elders))

    assert (end.status_code, resume.status_code) == (404, 404)
    assert Partnerschap.objects.get(organisatie=elders).beeindigd_op is None


def test_site_admin_may_manage_partners(client, prog):
    admin = builders.user("beheerder", is_superuser=True, is_staff=True)
    client.force_login(admin)

    response = client.post(_add_url(prog), {"naam": "Nieuw", "keuze": "nieuw", "soort": "overig"})

    assert response.status_code == 302
    assert Partnerschap.objects.filter(programma=prog, organisatie__naam="Nieuw").exists()


def test_an_archived_programme_takes_no_new_partners(client, cast, prog, groningen):
    prog.gearchiveerd_op = timezone.now()
    prog.save()
    client.force_login(cast["leider"])

    response = client.post(_add_url(prog), {"naam": "Hanzehogeschool", "keuze": str(groningen.pk)})

    assert response.status_code == 403
    assert not Partnerschap.objects.exists()
