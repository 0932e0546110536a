"""Partner list and partner page: "laat zien wat elk lid doet"."""

import re

import pytest
from django.urls import reverse

from doelenboom.models import DoelPartner
from programmes.models import Groep, GroepLid, Partnerschap, Profiel, Programma
from programmes.partners import end_partner
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


def _text(response) -> str:
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_partner_page_shows_everything_the_organisation_carries(client, cast, prog, hanze):
    client.force_login(cast["lezer"])

    html = client.get(reverse("doelenboom:partner", args=[prog.slug, "hanze"])).content.decode()

    assert "Rapporten opstellen" in html
    assert "Trekker" in html
    assert "Monitoren van trends" in html
    assert "We weten wat effectief is" in html
    assert "Werkgroep Monitoring en evaluatie</a> — kartrekker" in html
    assert "Lector" in html  # the contact person


def test_partner_page_lists_what_the_partner_leads_first(client, cast, prog):
    org = builders.partner(prog, slug="cmo")
    # Alphabetically "betrokken" and "kennispartner" come before "trekker"; the page must not.
    builders.inspanning(prog, titel="Zelf betrokken", volgorde=1, partners=[(org, "betrokken")])
    builders.inspanning(
        prog, titel="Als kennispartner", volgorde=2, partners=[(org, "kennispartner")]
    )
    builders.inspanning(prog, titel="Zelf trekker", volgorde=3, partners=[(org, "trekker")])
    client.force_login(cast["lezer"])

    response = client.get(reverse("doelenboom:partner", args=[prog.slug, "cmo"]))
    page = response.context["page"]
    text = _text(response)

    assert page.inspanningen[0].inspanning.titel == "Zelf trekker"
    assert text.index("Zelf trekker") < text.index("Zelf betrokken")
    assert text.index("Zelf trekker") < text.index("Als kennispartner")


def test_partner_page_shows_a_group_once_with_all_its_roles(client, cast, prog, hanze):
    groep = Groep.objects.get(naam="Werkgroep Monitoring en evaluatie")
    GroepLid.objects.create(groep=groep, organisatie=hanze, persoon="Lector armoede", rol="lid")
    client.force_login(cast["lezer"])

    response = client.get(reverse("doelenboom:partner", args=[prog.slug, "hanze"]))
    text = _text(response)

    assert text.count("Werkgroep Monitoring en evaluatie") == 1
    assert "Werkgroep Monitoring en evaluatie — kartrekker, lid (Lector armoede)" in text


def test_partner_page_counts_every_level(client, cast, prog, hanze):
    # A second strategic goal under a second ambitie, reached only through an inspanning.
    other = builders.goal_chain(prog, titel="Ander doel", code="1.1")
    builders.inspanning(prog, titel="Derde", doelen=[other], partners=[(hanze, "betrokken")])
    client.force_login(cast["lezer"])

    response = client.get(reverse("doelenboom:partner", args=[prog.slug, "hanze"]))
    page = response.context["page"]
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", response.content.decode()))

    assert (page.n_ambities, page.n_strategische_doelen, len(page.doelen)) == (2, 2, 2)
    assert (len(page.inspanningen), page.n_trekker, len(page.groepen)) == (3, 1, 1)
    assert figures == {
        "Ambities": "2",
        "Strategische doelstellingen": "2",
        "Operationele doelstellingen": "2",
        "Inspanningen": "3",
        "Trekker van inspanningen": "1",
        "Groepen": "1",
    }


def test_partner_list_counts_what_each_partner_does_at_every_level(client, cast, prog, hanze):
    builders.partner(prog, naam="Domesta", slug="domesta")
    groep = Groep.objects.get(naam="Werkgroep Monitoring en evaluatie")
    GroepLid.objects.create(groep=groep, organisatie=hanze, persoon="Tweede rol", rol="lid")
    client.force_login(cast["lezer"])

    response = client.get(reverse("doelenboom:partners", args=[prog.slug]))
    partners = {org.slug: org for org in response.context["partners"]}
    hanze_row = partners["hanze"]

    assert set(partners) == {"hanze", "domesta"}
    assert (hanze_row.n_trekker, hanze_row.n_inspanningen, hanze_row.n_doelen) == (1, 2, 1)
    assert (hanze_row.n_strategische_doelen, hanze_row.n_ambities) == (1, 1)
    assert hanze_row.n_groepen == 1  # one group, though two roles in it
    assert partners["domesta"].n_inspanningen == 0


def test_partner_list_and_page_count_alike(client, cast, prog, hanze):
    client.force_login(cast["lezer"])

    listed = client.get(reverse("doelenboom:partners", args=[prog.slug])).context["partners"][0]
    page = client.get(reverse("doelenboom:partner", args=[prog.slug, "hanze"])).context["page"]

    assert (listed.n_ambities, listed.n_strategische_doelen, listed.n_doelen) == (
        page.n_ambities,
        page.n_strategische_doelen,
        len(page.doelen),
    )
    assert (listed.n_inspanningen, listed.n_trekker, listed.n_groepen) == (
        len(page.inspanningen),
        page.n_trekker,
        len(page.groepen),
    )


def test_partner_list_counts_only_this_programme(client, cast, prog, hanze):
    elders = builders.programma()
    Partnerschap.objects.create(programma=elders, organisatie=hanze, sinds=2017)
    builders.inspanning(elders, titel="Elders", partners=[(hanze, "trekker")])
    client.force_login(cast["lezer"])

    response = client.get(reverse("doelenboom:partners", args=[prog.slug]))

    assert [org.n_trekker for org in response.context["partners"]] == [1]


def test_ended_partners_are_listed_apart(client, cast, prog, hanze):
    domesta = builders.partner(prog, naam="Domesta", slug="domesta")
    end_partner(Partnerschap.objects.get(programma=prog, organisatie=domesta))
    client.force_login(cast["lezer"])

    response = client.get(reverse("doelenboom:partners", args=[prog.slug]))
    text = _text(response)

    assert [o.slug for o in response.context["partners"]] == ["hanze"]
    assert [o.slug for o in response.context["voormalig"]] == ["domesta"]
    assert "1 organisatie is partner van dit programma" in text
    assert text.index("Voormalige partners") < text.index("Domesta")
    assert "Weer partner maken" not in text  # a reader cannot resume it


def test_overview_figure_equals_the_partner_list_count(client, cast, prog, hanze):
    for n in range(3):
        builders.partner(prog, naam=f"Partner {n}")
    end_partner(Partnerschap.objects.get(programma=prog, organisatie__naam="Partner 0"))
    client.force_login(cast["lezer"])

    listed = client.get(reverse("doelenboom:partners", args=[prog.slug])).context["partners"]
    overview = client.get(reverse("programmes:detail", args=[prog.slug]))
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", overview.content.decode()))

    assert len(listed) == 3
    assert figures["Partners"] == "3"


def test_demo_overview_figure_equals_the_partner_list_count(client, demo):
    client.login(username="leider.avk", password="koers-demo")
    avk = Programma.objects.get(slug="avk")
    ended = avk.partnerschappen.select_related("organisatie").order_by("pk").first()
    end_partner(ended)

    listed = client.get(reverse("doelenboom:partners", args=["avk"])).context["partners"]
    overview = client.get(reverse("programmes:detail", args=["avk"]))
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", overview.content.decode()))

    assert ended.organisatie not in listed
    assert figures["Partners"] == str(len(listed))


@pytest.fixture
def gemeenten(prog):
    """Two municipalities and "Gemeenten" as a whole, which leads one inspanning."""
    emmen = builders.partner(prog, naam="Gemeente Emmen", slug="emmen", soort="gemeente")
    veendam = builders.partner(prog, naam="Gemeente Veendam", slug="veendam", soort="gemeente")
    alle = builders.partner(
        prog, naam="Gemeenten Kop van Noord-Holland", slug="gemeenten", soort="gemeente"
    )
    goal = builders.goal_chain(prog, titel="Vroegtijdig in beeld", code="1.7")
    builders.inspanning(
        prog, titel="Samen vroegsignaleren", doelen=[goal], partners=[(alle, "trekker")]
    )
    builders.inspanning(prog, titel="Eigen schuldhulp", partners=[(emmen, "betrokken")])
    groep = Groep.objects.create(programma=prog, naam="Regionaal overleg", soort="stuurgroep")
    GroepLid.objects.create(groep=groep, organisatie=alle, persoon="Wethouders", rol="lid")
    return {"emmen": emmen, "veendam": veendam, "alle": alle}


def test_work_of_all_municipalities_shows_on_each_municipality_page(client, cast, prog, gemeenten):
    client.force_login(cast["lezer"])

    for slug in ("emmen", "veendam"):
        response = client.get(reverse("doelenboom:partner", args=[prog.slug, slug]))
        page = response.context["page"]
        text = _text(response)
        shared = [row for row in page.inspanningen if row.gedeeld]

        assert [row.inspanning.titel for row in shared] == ["Samen vroegsignaleren"]
        assert shared[0].rol == "trekker"
        assert "gedeeld met de andere gemeenten" in text
        assert "Regionaal overleg" in text
        assert [row.doel.code for row in page.doelen] == ["1.7"]
    emmen = client.get(reverse("doelenboom:partner", args=[prog.slug, "emmen"])).context["page"]
    own = [row.inspanning.titel for row in emmen.inspanningen if not row.gedeeld]
    assert own == ["Eigen schuldhulp"]


def test_municipality_counts_include_shared_work(client, cast, prog, gemeenten):
    client.force_login(cast["lezer"])

    partners = {
        o.slug: o
        for o in client.get(reverse("doelenboom:partners", args=[prog.slug])).context["partners"]
    }

    assert (partners["emmen"].n_inspanningen, partners["emmen"].n_trekker) == (2, 1)
    assert (partners["veendam"].n_inspanningen, partners["veendam"].n_groepen) == (1, 1)
    assert partners["emmen"].gedeeld
    # "Gemeenten" itself keeps its own work only, and others share nothing.
    assert (partners["gemeenten"].n_inspanningen, partners["gemeenten"].gedeeld) == (1, False)


def test_shared_work_is_not_shown_to_other_kinds_of_partner(client, cast, prog, gemeenten):
    builders.partner(prog, naam="Domesta", slug="domesta", soort="wonen")
    client.force_login(cast["lezer"])

    page = client.get(reverse("doelenboom:partner", args=[prog.slug, "domesta"])).context["page"]

    assert page.inspanningen == []
    assert page.gedeeld_met == []


def test_organisation_that_is_not_a_partner_here_is_not_found(client, cast, prog):
    outsider = builders.partner(builders.programma(), slug="elders-org")
    client.force_login(cast["lezer"])

    url = reverse("doelenboom:partner", args=[prog.slug, outsider.slug])

    assert client.get(url).status_code == 404


def test_partner_pages_query_count_does_not_grow(client, cast, prog, hanze, gemeenten):
    client.force_login(cast["lezer"])
    detail = reverse("doelenboom:partner", args=[prog.slug, "hanze"])
    municipality = reverse("doelenboom:partner", args=[prog.slug, "emmen"])
    listing = reverse("doelenboom:partners", args=[prog.slug])
    urls = (detail, municipality, listing)
    before = [page_queries(client, url) for url in urls]

    for n in range(8):
        goal = builders.goal_chain(prog)
        builders.partner(prog)
        builders.inspanning(prog, titel=f"Extra {n}", doelen=[goal], partners=[(hanze, "trekker")])
        builders.inspanning(
            prog, titel=f"Gedeeld {n}", doelen=[goal], partners=[(gemeenten["alle"], "betrokken")]
        )
        groep = Groep.objects.create(programma=prog, naam=f"Groep {n}", soort="werkgroep")
        GroepLid.objects.create(groep=groep, organisatie=hanze, rol="lid")
        GroepLid.objects.create(groep=groep, organisatie=gemeenten["alle"], rol="lid")

    assert [page_queries(client, url) for url in urls] == before
