"""Partner list and partner page: "laat zien wat elk lid doet"."""

import pytest
from django.urls import reverse

from doelenboom.models import DoelPartner
from programmes.models import Groep, GroepLid, Partnerschap, Profiel
from tests import builders
from tests.queries import page_queries


@pytest.fixture
def hanze(prog, cast):
    org = builders.partner(prog, naam="Hanzehogeschool", slug="hanze", soort="onderwijs")
    goal = builders.goal_chain(prog, titel="We weten wat effectief is", code="4.1")
    DoelPartner.objects.create(operationeel_doel=goal, organisatie=org, rol="kennispartner")
    builders.inspanning(
        prog, titel="Rapporten opstellen", code="O9", doelen=[goal], partners=[(org, "trekker")]
    )
    builders.inspanning(
        prog, titel="Monitoren van trends", code="O10", partners=[(org, "betrokken")]
    )
    groep = Groep.objects.create(
        programma=prog, naam="Werkgroep Monitoring en evaluatie", soort="werkgroep"
    )
    GroepLid.objects.create(groep=groep, organisatie=org, rol="kartrekker")
    Profiel.objects.create(user=cast["coalitielid"], organisatie=org, functie="Lector")
    return org


def test_partner_page_shows_everything_the_organisation_carries(client, cast, prog, hanze):
    client.force_login(cast["lezer"])

    html = client.get(reverse("doelenboom:partner", args=[prog.slug, "hanze"])).content.decode()

    assert "Rapporten opstellen" in html
    assert "Trekker" in html
    assert "Monitoren van trends" in html
    assert "4.1 We weten wat effectief is — kennispartner" in html
    assert "Werkgroep Monitoring en evaluatie — kartrekker" in html
    assert "Lector" in html  # the contact person


def test_partner_list_counts_what_each_partner_does(client, cast, prog, hanze):
    builders.partner(prog, naam="Domesta", slug="domesta")
    client.force_login(cast["lezer"])

    response = client.get(reverse("doelenboom:partners", args=[prog.slug]))
    partners = {org.slug: org for org in response.context["partners"]}

    assert set(partners) == {"hanze", "domesta"}
    assert (partners["hanze"].n_trekker, partners["hanze"].n_inspanningen) == (1, 2)
    assert (partners["hanze"].n_doelen, partners["hanze"].n_groepen) == (1, 1)
    assert partners["domesta"].n_inspanningen is None


def test_partner_list_counts_only_this_programme(client, cast, prog, hanze):
    elders = builders.programma()
    Partnerschap.objects.create(programma=elders, organisatie=hanze, sinds=2017)
    builders.inspanning(elders, titel="Elders", partners=[(hanze, "trekker")])
    client.force_login(cast["lezer"])

    response = client.get(reverse("doelenboom:partners", args=[prog.slug]))

    assert [org.n_trekker for org in response.context["partners"]] == [1]


def test_organisation_that_is_not_a_partner_here_is_not_found(client, cast, prog):
    outsider = builders.partner(builders.programma(), slug="elders-org")
    client.force_login(cast["lezer"])

    url = reverse("doelenboom:partner", args=[prog.slug, outsider.slug])

    assert client.get(url).status_code == 404


def test_partner_pages_query_count_does_not_grow(client, cast, prog, hanze):
    client.force_login(cast["lezer"])
    detail = reverse("doelenboom:partner", args=[prog.slug, "hanze"])
    listing = reverse("doelenboom:partners", args=[prog.slug])
    before = (page_queries(client, detail), page_queries(client, listing))

    for n in range(8):
        goal = builders.goal_chain(prog)
        builders.partner(prog)
        builders.inspanning(prog, titel=f"Extra {n}", doelen=[goal], partners=[(hanze, "trekker")])

    assert (page_queries(client, detail), page_queries(client, listing)) == before
