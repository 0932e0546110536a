"""Every page at 390 px wide (a phone): nothing scrolls sideways."""

import pytest
from django.urls import reverse

from avk.demo import DEMO_PASSWORD
from doelenboom.models import Inspanning, OperationeelDoel
from fasering.models import Statusupdate
from programmes.models import Programma

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _pages(slug: str) -> list[str]:
    programma = Programma.objects.get(slug=slug)
    inspanning = Inspanning.objects.filter(programma=programma).order_by("pk").first()
    doel = (
        OperationeelDoel.objects.filter(strategisch_doel__ambitie__programma=programma)
        .order_by("pk")
        .first()
    )
    ambitie = programma.ambities.order_by("volgorde", "pk").first()
    groep = programma.groepen.order_by("pk").first()
    partner = programma.partnerschappen.select_related("organisatie").first().organisatie
    reported = (
        Statusupdate.objects.filter(inspanning__programma=programma).order_by("pk").first()
    ).inspanning
    return [
        reverse("mijn_werk:index"),
        reverse("profiel:edit"),
        reverse("fasering:progress", args=[slug]),
        reverse("fasering:progress", args=[slug]) + "?stil=1",
        reverse("doelenboom:inspanning", args=[slug, reported.pk]),
        reverse("fasering:status_new", args=[slug, reported.pk]),
        reverse("fasering:reflection_list", args=[slug]),
        *(
            url
            for reflectie in programma.reflecties.all()
            for url in (
                reverse("fasering:reflection", args=[slug, reflectie.jaar]),
                reverse("fasering:reflection_session_add", args=[slug, reflectie.jaar]),
                reverse("fasering:draft_next", args=[slug, reflectie.jaar]),
            )
        ),
        reverse("programmes:list"),
        reverse("programmes:create"),
        reverse("programmes:detail", args=[slug]),
        reverse("doelenboom:tree", args=[slug]),
        reverse("doelenboom:inspanning", args=[slug, inspanning.pk]),
        reverse("doelenboom:edit", args=[slug, "inspanning", inspanning.pk]),
        reverse("doelenboom:edit", args=[slug, "operationeel_doel", doel.pk]),
        reverse("doelenboom:add", args=[slug, "inspanning"]) + f"?parent={doel.pk}",
        reverse("doelenboom:delete", args=[slug, "operationeel_doel", doel.pk]),
        reverse("doelenboom:history", args=[slug, "inspanning", inspanning.pk]),
        reverse("doelenboom:changes", args=[slug]),
        reverse("doelenboom:tree_import", args=[slug]),
        reverse("doelenboom:partners", args=[slug]),
        reverse("doelenboom:partner", args=[slug, partner.slug]),
        reverse("doelenboom:praatplaat", args=[slug, ambitie.pk]),
        reverse("doelenboom:actions", args=[slug, "operationeel_doel", doel.pk]),
        reverse("programmes:members", args=[slug]),
        reverse("programmes:groups", args=[slug]),
        reverse("programmes:group", args=[slug, groep.pk]),
        reverse("programmes:group_create", args=[slug]),
        reverse("programmes:partner_add", args=[slug]),
        reverse("programmes:partner_end", args=[slug, partner.slug]),
        reverse("fasering:list", args=[slug]),
        reverse("fasering:planning", args=[slug]),
        reverse("fasering:risks", args=[slug]),
        reverse("fasering:risk_create", args=[slug]),
        *(
            reverse("fasering:detail", args=[slug, plan.nummer])
            for plan in programma.faseplannen.all()
        ),
    ]


@pytest.mark.parametrize(("username", "slug"), [("leider.avk", "avk"), ("leider.kvnh", "kvnh")])
def test_no_page_scrolls_sideways_on_a_phone(
    new_context, live_server, demo, settings, username, slug
):
    settings.KOERS_OPEN_PROGRAMME_CREATION = True
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/mijn-werk/")

    too_wide = []
    for url in _pages(slug):
        page.goto(f"{live_server.url}{url}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{url}: {width} px")
    assert not too_wide, "Deze pagina's schuiven zijwaarts op 390 px:\n" + "\n".join(too_wide)
