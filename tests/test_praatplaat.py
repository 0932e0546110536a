"""The praatplaat of an ambitie: one page with its themes, goals, projects and their FAQ."""

import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse

from core.pdf import render_document
from doelenboom.models import Ambitie, Inspanning
from doelenboom.praatplaat import fill, praatplaat_for, shorten
from tests import builders
from tests.queries import page_queries

LONG_ANSWER = " ".join(["Gemeenten voeren de regie over de signaleringsstructuur."] * 12)


def _url(ambitie: Ambitie) -> str:
    return reverse("doelenboom:praatplaat", args=[ambitie.programma.slug, ambitie.pk])


@pytest.fixture
def kvnh_labels(prog):
    prog.label_strategisch_doel, prog.label_strategisch_doel_mv = "Thema", "Thema's"
    prog.label_operationeel_doel, prog.label_operationeel_doel_mv = "Doelstelling", "Doelstellingen"
    prog.label_inspanning, prog.label_inspanning_mv = "Project", "Projecten"
    prog.save()
    return prog


@pytest.fixture
def ambitie(kvnh_labels, cast):
    prog = kvnh_labels
    amb = builders.ambitie(
        prog,
        code="3",
        titel="Voorkomen en vroegtijdig verhelpen van problemen",
        omschrijving="We helpen inwoners problemen te voorkomen.",
        eigenaar="Wethouder Texel",
    )
    basis = builders.strategisch_doel(amb, titel="Versterken van de sociale basis")
    preventie = builders.strategisch_doel(amb, titel="Preventie en vroegsignalering")
    plek = builders.operationeel_doel(basis, code="3.1", titel="Iedere wijk heeft een plek")
    signalen = builders.operationeel_doel(preventie, code="3.3", titel="Signalen worden opgepakt")
    helder = builders.partner(prog, naam="Gemeente Den Helder", slug="den-helder")
    inholland = builders.partner(prog, naam="Hogeschool Inholland", slug="inholland")
    builders.inspanning(
        prog,
        code="3a",
        titel="Het Huis van de Kop",
        categorie="project",
        omschrijving="Een laagdrempelige ontmoetingsplek in iedere wijk.",
        doelen=[plek, signalen],
        partners=[(helder, "trekker"), (inholland, "kennispartner")],
    )
    builders.inspanning(
        prog,
        code="3b",
        titel="De Kop in Beeld",
        categorie="project",
        doelen=[signalen],
        faq_probleem="Signalen van armoede worden niet tijdig opgepakt.",
        faq_omvang="Bijna elke wijk kent situaties waarin signalen blijven liggen.",
        faq_waarom_regionaal="Een herkenbare structuur voorkomt versnippering.",
        faq_rol_gemeenten=LONG_ANSWER,
    )
    builders.inspanning(prog, code="X1", titel="Programmabrede monitor")  # serves no goal
    return amb


def test_anonymous_visitor_is_sent_to_login(client, ambitie):
    response = client.get(_url(ambitie))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_praatplaat_shows_ambitie_themes_goals_projects_and_faq_with_the_programmes_labels(
    client, cast, ambitie
):
    client.force_login(cast["lezer"])

    html = client.get(_url(ambitie)).content.decode()

    assert "Voorkomen en vroegtijdig verhelpen van problemen" in html
    assert "We helpen inwoners problemen te voorkomen." in html
    assert "Wethouder Texel" in html
    assert "Thema&#x27;s en doelstellingen" in html
    assert "Versterken van de sociale basis" in html
    assert "Preventie en vroegsignalering" in html
    assert "Iedere wijk heeft een plek" in html
    assert "Signalen worden opgepakt" in html
    assert "Het Huis van de Kop" in html
    assert "De Kop in Beeld" in html
    assert "Programmabrede monitor" not in html  # serves no goal of this ambitie
    assert "Trekker:</span> Gemeente Den Helder" in html
    assert "Kennispartner:</span> Hogeschool Inholland" in html
    assert "Wat is het probleem?" in html
    assert "Signalen van armoede worden niet tijdig opgepakt." in html
    assert "Inspanning" not in html  # the programme's own labels, not the defaults


def test_goal_lists_the_projects_serving_it_and_a_project_shows_once(client, cast, ambitie):
    client.force_login(cast["lezer"])

    html = client.get(_url(ambitie)).content.decode()

    assert "Projecten: 3a, 3b</span>" in html  # under goal 3.3
    assert "Draagt bij aan:</span> 3.1, 3.3" in html
    assert html.count('class="pp-project"') == 2


@pytest.mark.parametrize("role", ["leider", "team", "stuurgroep", "coalitielid", "lezer"])
def test_every_member_reads_the_praatplaat(client, cast, ambitie, role):
    client.force_login(cast[role])

    response = client.get(_url(ambitie))

    assert response.status_code == 200
    assert "Het Huis van de Kop" in response.content.decode()


def test_page_tells_how_to_print_and_links_back_to_the_tree(client, cast, ambitie):
    client.force_login(cast["lezer"])

    html = client.get(_url(ambitie)).content.decode()

    assert "Afdrukken of opslaan als PDF" in html
    tree = reverse("doelenboom:tree", args=[ambitie.programma.slug])
    assert f'href="{tree}#ambitie-{ambitie.pk}"' in html
    assert "<script>" not in html  # the CSP forbids inline scripts; printing needs none


def test_long_faq_answers_are_whole_on_screen_and_share_the_page_in_print(client, cast, ambitie):
    Inspanning.objects.filter(code="3b").update(
        faq_probleem=LONG_ANSWER, faq_omvang=LONG_ANSWER, faq_waarom_regionaal=LONG_ANSWER
    )
    client.force_login(cast["lezer"])

    html = client.get(_url(ambitie)).content.decode()

    assert html.count(LONG_ANSWER) == 4  # the screen version
    assert html.count("ingekort, zie projectblad 3b") == 4  # the print version
    printed = re.findall(r'<p class="pp-print">(.*?) <span class="pp-zie">', html)
    assert all(p.endswith("…") for p in printed)
    assert len({len(p) for p in printed}) <= 2  # equal shares, give or take a word
    assert all(len(p) >= 300 for p in printed)


def test_texts_print_whole_while_the_page_has_room(client, cast, ambitie):
    medium = " ".join(["Iedere wijk kent een plek waar inwoners terecht kunnen."] * 6)  # 335
    Inspanning.objects.filter(code="3a").update(omschrijving=medium)
    Inspanning.objects.filter(code="3b").update(faq_rol_gemeenten=medium * 2)  # 671
    client.force_login(cast["lezer"])

    html = client.get(_url(ambitie)).content.decode()

    assert "pp-print" not in html  # no shortened twin of any text
    assert "ingekort" not in html


def test_questions_without_an_answer_and_projects_without_faq_leave_no_lines(client, cast, ambitie):
    Inspanning.objects.filter(code="3b").update(faq_omvang="   ", faq_waarom_regionaal="\n")
    client.force_login(cast["lezer"])

    html = client.get(_url(ambitie)).content.decode()

    assert "Wat is het probleem?" in html
    assert "Hoe groot is het probleem?" not in html
    assert "Waarom regionaal?" not in html
    assert "Nog geen vragen en antwoorden" not in html
    assert html.count('class="pp-faq__item"') == 2


def test_without_any_faq_there_is_no_faq_section_and_projects_take_its_column(
    client, cast, ambitie
):
    Inspanning.objects.filter(code="3b").update(
        faq_probleem="", faq_omvang="", faq_waarom_regionaal="", faq_rol_gemeenten=""
    )
    client.force_login(cast["lezer"])

    html = client.get(_url(ambitie)).content.decode()

    assert "Veelgestelde vragen" not in html
    assert "pp--zonder-faq" in html


def test_page_offers_a_print_button_that_a_static_script_shows(client, cast, ambitie):
    client.force_login(cast["lezer"])

    html = client.get(_url(ambitie)).content.decode()

    assert '<p class="utrecht-paragraph pp-afdrukken" hidden><button type="button"' in html
    assert "data-afdrukken" in html
    assert 'src="/static/js/praatplaat.js"' in html


def test_fill_gives_short_texts_their_length_and_shares_the_rest():
    assert fill([100, 1000, 1000], 1300) == [100, 600, 600]
    assert fill([50, 60], 1000) == [50, 60]
    assert fill([500, 500], 20) == [90, 90]  # never shorter than SHORTEST


def test_ambitie_that_is_not_worked_out_shows_its_description_and_says_so(client, cast, prog):
    amb = builders.ambitie(
        prog,
        code="7",
        titel="Juiste randvoorwaarden",
        omschrijving="Nog in gesprek.",
        uitgewerkt=False,
    )
    client.force_login(cast["lezer"])

    html = client.get(_url(amb)).content.decode()

    assert "Juiste randvoorwaarden" in html
    assert "Nog in gesprek." in html
    assert "nog niet uitgewerkt" in html
    assert "Veelgestelde vragen" not in html


def test_another_programmes_ambitie_is_not_found(client, cast, ambitie):
    elders = builders.programma(slug="ander")
    other = builders.ambitie(elders, titel="Ander programma")
    client.force_login(cast["leider"])

    url = reverse("doelenboom:praatplaat", args=[ambitie.programma.slug, other.pk])

    assert client.get(url).status_code == 404


def test_non_member_gets_not_found(client, cast, ambitie):
    client.force_login(cast["buitenstaander"])

    assert client.get(_url(ambitie)).status_code == 404


def test_query_count_does_not_grow_with_goals_and_projects(client, cast, ambitie):
    client.force_login(cast["leider"])
    small = page_queries(client, _url(ambitie))

    prog = ambitie.programma
    for index in range(6):
        thema = builders.strategisch_doel(ambitie, titel=f"Thema {index}")
        goal = builders.operationeel_doel(thema)
        org = builders.partner(prog)
        builders.inspanning(
            prog,
            titel=f"Extra {index}",
            doelen=[goal],
            partners=[(org, "betrokken")],
            faq_probleem="Een probleem.",
        )
    large = page_queries(client, _url(ambitie))

    assert large == small


def test_partial_renders_on_its_own_for_pdf_templates(ambitie):
    html = render_to_string(
        "doelenboom/praatplaat.html#praatplaat",
        {"praatplaat": praatplaat_for(ambitie), "niveau": 2},
    )

    assert "<html" not in html
    assert re.search(r"<h2 class=\"pp-titel\"[^>]*>.*Voorkomen", html)
    assert '<h3 class="pp-kolomkop"' in html
    assert '<h4 class="pp-itemkop"' in html


# A4 landscape, 297 by 210 mm, in CSS px (96 per inch): how WeasyPrint measures its pages.
A4_LANDSCAPE_PX = (297 / 25.4 * 96, 210 / 25.4 * 96)


def test_weasyprint_prints_the_praatplaat_on_one_a4_landscape_page(client, cast, ambitie, caplog):
    client.force_login(cast["lezer"])
    html = client.get(_url(ambitie)).content.decode()

    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        document = render_document(html, base_url="http://testserver/")

    assert len(document.pages) == 1
    page = document.pages[0]
    assert (page.width, page.height) == pytest.approx(A4_LANDSCAPE_PX, abs=0.5)
    # The stylesheet came through the locked fetcher; nothing was refused on the way.
    assert not caplog.records, [r.getMessage() for r in caplog.records]


def _pages(client, url: str, caplog) -> int:
    html = client.get(url).content.decode()
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        document = render_document(html, base_url="http://testserver/")
    assert not caplog.records, [r.getMessage() for r in caplog.records]
    return len(document.pages)


FILLER = "Inwoners krijgen op tijd de juiste hulp van de juiste partner in de wijk. "


@pytest.mark.parametrize(
    ("projects", "with_faq", "partners", "ambitie_text"),
    [(3, 1, 2, 600), (4, 2, 3, 1500), (2, 0, 1, 400), (4, 0, 2, 1500)],
)
def test_a_full_plaat_with_long_texts_still_prints_on_one_page(
    client, cast, prog, caplog, projects, with_faq, partners, ambitie_text
):
    amb = builders.ambitie(
        prog, code="3", titel="Voorkomen", omschrijving=(FILLER * 30)[:ambitie_text]
    )
    goals = [
        builders.operationeel_doel(builders.strategisch_doel(amb, titel=f"Thema {n}"))
        for n in range(2)
    ]
    orgs = [builders.partner(prog, naam=f"Gemeente nummer {n}") for n in range(partners)]
    for n in range(projects):
        answer = (FILLER * 20)[:900] if n < with_faq else ""
        builders.inspanning(
            prog,
            code=f"3{'abcde'[n]}",
            titel=f"Het project met een titel, nummer {n}",
            omschrijving=(FILLER * 40)[:2000],
            doelen=goals[: 1 + n % 2],
            partners=[
                (org, ("trekker", "betrokken", "kennispartner")[i]) for i, org in enumerate(orgs)
            ],
            faq_probleem=answer,
            faq_omvang=answer,
            faq_waarom_regionaal=answer,
            faq_rol_gemeenten=answer,
        )
    client.force_login(cast["lezer"])

    assert _pages(client, _url(amb), caplog) == 1


def test_shorten_cuts_at_a_word_and_keeps_short_texts_whole():
    assert shorten("Kort antwoord.", 40).ingekort is False
    cut = shorten("Een signaleringsstructuur voorkomt versnippering in de regio.", 30)
    assert cut.ingekort
    assert cut.kort == "Een signaleringsstructuur…"
    assert cut.volledig.endswith("regio.")


@pytest.mark.parametrize(("code", "shortest"), [("3", 250), ("4", None)])
def test_kvnh_plaats_fill_their_page_before_cutting_a_text(client, demo, caplog, code, shortest):
    ambitie = Ambitie.objects.get(programma__slug="kvnh", code=code)
    client.force_login(get_user_model().objects.get(username="lezer.kvnh"))

    plaat = praatplaat_for(ambitie)

    assert not plaat.omschrijving.ingekort
    assert not any(item.antwoord.ingekort for p in plaat.projecten for item in p.faq)
    descriptions = [p.omschrijving for p in plaat.projecten]
    if shortest is None:
        assert not any(d.ingekort for d in descriptions)
    else:  # ambitie 3 has three projects with long descriptions: they share the column
        assert all(len(d.kort) >= shortest for d in descriptions)
    assert _pages(client, _url(ambitie), caplog) == 1
