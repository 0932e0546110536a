"""Mijn werk: what a user's groups carry across their programmes, their open remarks, and
where a user lands after logging in or accepting an invitation."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from fasering import remarks
from fasering.models import Faseplan, FaseplanItem, Licht, Statusupdate
from programmes.models import Groep, GroepLid, Lidmaatschap, Rol
from tests import builders
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

URL = "/mijn-werk/"


def groep(prog, naam: str, *users) -> Groep:
    g = Groep.objects.create(programma=prog, naam=naam, soort=Groep.Soort.WERKGROEP)
    for u in users:
        GroepLid.objects.create(groep=g, user=u)
    return g


def update(inspanning, days_ago: int, licht: str = Licht.OP_KOERS) -> Statusupdate:
    """A status update dated `days_ago` days before today, posted that day."""
    datum = timezone.localdate() - datetime.timedelta(days=days_ago)
    made = Statusupdate.objects.create(
        inspanning=inspanning, datum=datum, licht=licht, gebeurd="Pilot gestart."
    )
    posted = timezone.make_aware(datetime.datetime.combine(datum, datetime.time(12)))
    Statusupdate.objects.filter(pk=made.pk).update(geplaatst_op=posted)
    return made


def _cards(html: str) -> dict[str, str]:
    """Each inspanning card on the page by its id: werk-inspanning-<pk> → its HTML."""
    return dict(
        re.findall(
            r'<li class="koers-werk__item[^"]*" id="(werk-inspanning-\d+)">(.*?)</li>', html, re.S
        )
    )


def _remark_lines(html: str) -> dict[str, str]:
    """Each line of "Uw open opmerkingen" by the remark's text."""
    found = re.search(
        r'<ul class="utrecht-unordered-list koers-werk-opmerkingen">(.*?)</ul>', html, re.S
    )
    items = re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    return {re.search(r"<q[^>]*>(.*?)</q>", item, re.S).group(1): item for item in items}


@pytest.fixture
def two_programmes(prog, cast):
    """The coalitielid carries two inspanningen in `prog` and one in a second programme."""
    user = cast["coalitielid"]
    other = builders.programma(naam="Regiovisie Test", slug="regio", korte_naam="RT")
    Lidmaatschap.objects.create(user=user, programma=other, rol=Rol.COALITIELID)
    mine = groep(prog, "Werkgroep Monitoring", user)
    mine_elsewhere = groep(other, "Projectgroep De Kop in Beeld", user)
    not_mine = groep(prog, "Werkgroep Communicatie", cast["team"])
    data = {
        "user": user,
        "other": other,
        "a1": builders.inspanning(prog, code="A1", titel="Monitor armoede", groep=mine),
        "a2": builders.inspanning(prog, code="A2", titel="Dashboard", groep=mine, volgorde=2),
        "kop": builders.inspanning(other, code="3b", titel="De Kop in Beeld", groep=mine_elsewhere),
        "theirs": builders.inspanning(prog, code="C1", titel="Nieuwsbrief", groep=not_mine),
        "nobodys": builders.inspanning(prog, code="D1", titel="Zonder groep"),
    }
    update(data["a1"], 10, Licht.AANDACHT)
    update(data["a1"], 200, Licht.RISICO)  # older: the latest one counts
    update(data["kop"], 120, Licht.RISICO)
    return data


def test_shows_exactly_my_groups_inspanningen_across_two_programmes(client, two_programmes):
    data = two_programmes
    client.force_login(data["user"])

    html = client.get(URL).content.decode()

    cards = _cards(html)
    assert set(cards) == {f"werk-inspanning-{data[k].pk}" for k in ("a1", "a2", "kop")}
    assert "Nieuwsbrief" not in html and "Zonder groep" not in html
    # Grouped per programme, in name order.
    here, there = (f'id="programma-{p.pk}-kop"' for p in (data["a1"].programma, data["other"]))
    assert html.index(here) < html.index("Monitor armoede") < html.index(there)
    assert html.index(there) < html.index("De Kop in Beeld")
    a1 = cards[f"werk-inspanning-{data['a1'].pk}"]
    assert 'class="koers-licht koers-licht--aandacht">Aandacht nodig</span>' in a1
    ten_days_ago = timezone.localdate() - datetime.timedelta(days=10)
    from core.formats import long_date

    assert long_date(ten_days_ago) in a1
    assert "Geen update in 90 dagen" not in a1
    assert f'href="/programmas/test/inspanningen/{data["a1"].pk}/"' in a1
    assert f'href="/programmas/test/inspanningen/{data["a1"].pk}/status/nieuw/"' in a1
    a2 = cards[f"werk-inspanning-{data['a2'].pk}"]
    assert 'koers-licht--geen">Nog geen status</span>' in a2
    assert "nog geen update" in a2
    kop = cards[f"werk-inspanning-{data['kop'].pk}"]
    assert 'koers-licht--risico">Risico</span>' in kop
    assert "Geen update in 90 dagen" in kop
    assert f'href="/programmas/regio/inspanningen/{data["kop"].pk}/status/nieuw/"' in kop
    # Two of the three need an update: A2 never had one, De Kop in Beeld not for 120 days.
    assert "Bij 2 ervan is een statusupdate nodig" in html


def test_archived_programme_and_revoked_membership_are_left_out(client, two_programmes, prog):
    data = two_programmes
    prog.gearchiveerd_op = timezone.now()
    prog.save()
    Lidmaatschap.objects.filter(user=data["user"], programma=data["other"]).delete()
    # The group place stayed behind (made by hand, not through revoking): still left out.
    assert GroepLid.objects.filter(user=data["user"], groep__programma=data["other"]).exists()
    client.force_login(data["user"])

    html = client.get(URL).content.decode()

    assert _cards(html) == {}
    assert "Monitor armoede" not in html and "De Kop in Beeld" not in html
    assert "U bent nog geen lid van een programma" in html


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


def test_stuurgroep_member_sees_open_remarks_linked_to_their_section(client, plan, cast):
    lid = cast["stuurgroep"]
    on_goal = remarks.add_remark(plan, f"doel-{plan.item.pk}", "Waarom pas in Fase B?", lid)
    on_budget = remarks.add_remark(plan, "begroting", "Klopt de dekking?", lid)
    done = remarks.add_remark(plan, "planning", "Te krap gepland", lid)
    remarks.answer_remark(on_budget, "Ja, zie regel 4.", cast["leider"])
    remarks.resolve_remark(done, cast["leider"])
    remarks.add_remark(plan, "planning", "Van een ander", cast["leider"])
    client.force_login(lid)

    html = client.get(URL).content.decode()

    assert "Uw open opmerkingen" in html
    detail = reverse("fasering:detail", args=[plan.programma.slug, plan.nummer])
    on_goal_link = f'href="{detail}#opmerkingen-doel-{plan.item.pk}">'
    assert on_goal_link + "Faseplan 2, bij doel 1.1 Vroegsignalering</a>" in html
    assert f'href="{detail}#opmerkingen-begroting">Faseplan 2, bij de begroting</a>' in html
    lines = _remark_lines(html)
    assert "Nog niet beantwoord" in lines[on_goal.tekst]
    assert "Beantwoord" in lines[on_budget.tekst]
    assert "Nog niet beantwoord" not in lines[on_budget.tekst]
    assert "Te krap gepland" not in html  # afgehandeld
    assert "Van een ander" not in html


def test_plans_ter_besluitvorming_are_listed_for_who_decides_on_them(client, plan, cast):
    Faseplan.objects.create(
        programma=plan.programma,
        nummer=1,
        titel="Faseplan 1",
        start=datetime.date(2023, 8, 1),
        eind=datetime.date(2024, 7, 1),
        status=Faseplan.Status.VASTGESTELD,
    )
    detail = reverse("fasering:detail", args=[plan.programma.slug, plan.nummer])
    for role in ("stuurgroep", "leider"):
        client.force_login(cast[role])
        html = client.get(URL).content.decode()
        assert "Ter besluitvorming" in html, role
        assert f'href="{detail}">Faseplan 2</a>' in html, role
        assert ">Faseplan 1</a>" not in html, role  # adopted: nothing to decide
    for role in ("team", "coalitielid", "lezer"):
        client.force_login(cast[role])
        assert f'href="{detail}">Faseplan 2</a>' not in client.get(URL).content.decode(), role


def test_stuurgroep_member_without_remarks_reads_so_and_others_see_no_remarks_section(client, cast):
    client.force_login(cast["stuurgroep"])
    assert "U heeft geen open opmerkingen op een faseplan." in client.get(URL).content.decode()
    client.force_login(cast["coalitielid"])
    assert "Uw open opmerkingen" not in client.get(URL).content.decode()


def test_leader_who_carries_nothing_gets_a_short_text_and_links_to_the_programme(client, cast):
    client.force_login(cast["leider"])

    html = client.get(URL).content.decode()

    assert "Uw groepen voeren zelf geen projecten of inspanningen uit" in html
    assert 'href="/programmas/test/">Alliantie Test</a>' in html
    assert f'href="{reverse("fasering:progress", args=["test"])}"' in html
    assert _cards(html) == {}


def test_someone_in_no_programme_is_told_how_to_get_in(client, db):
    client.force_login(builders.user("nieuw"))
    html = client.get(URL).content.decode()
    assert "U bent nog geen lid van een programma" in html


def test_a_site_administrator_without_a_role_is_pointed_to_all_programmes(client, prog):
    admin = builders.user("beheer", is_superuser=True, is_staff=True)
    client.force_login(admin)
    html = client.get(URL).content.decode()
    assert "Als beheerder opent u elk programma vanuit de lijst." in html
    assert f'href="{reverse("programmes:list")}"' in html


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_query_count_is_the_same_for_one_and_for_many(client, prog, cast, plan):
    user = cast["stuurgroep"]
    client.force_login(user)
    mine = groep(prog, "Werkgroep Een", user)
    first = builders.inspanning(prog, code="E1", groep=mine)
    update(first, 5)
    remarks.add_remark(plan, f"doel-{plan.item.pk}", "Een vraag", user)
    one = page_queries(client, URL)

    for n in range(3):
        other = builders.programma(naam=f"Programma extra {n}")
        Lidmaatschap.objects.create(user=user, programma=other, rol=Rol.STUURGROEP)
        g = groep(other, f"Werkgroep {n}", user)
        for m in range(4):
            inspanning = builders.inspanning(other, code=f"X{m}", groep=g)
            for days in (3, 100, 200):
                update(inspanning, days + m, Licht.RISICO)
        extra_plan = Faseplan.objects.create(
            programma=other,
            nummer=1,
            titel="Faseplan 1",
            start=datetime.date(2024, 8, 1),
            eind=datetime.date(2025, 7, 1),
            status=Faseplan.Status.TER_BESLUITVORMING,
        )
        item = FaseplanItem.objects.create(
            faseplan=extra_plan, operationeel_doel=builders.goal_chain(other)
        )
        remarks.add_remark(extra_plan, f"doel-{item.pk}", "Nog een vraag", user)
        remarks.add_remark(extra_plan, "planning", "En nog een", user)
    many = page_queries(client, URL)

    html = client.get(URL).content.decode()
    assert len(_cards(html)) == 13
    assert html.count("Nog een vraag") == 3
    assert one == many, (one, many)


# -- landing -----------------------------------------------------------------------------------


def test_logging_in_lands_on_my_work(client, cast):
    response = client.post(
        reverse("login"), {"username": "coalitielid", "password": "geheim-wachtwoord"}
    )
    assert response.status_code == 302
    assert response["Location"] == URL


def _accept_invitation(client, prog, leider, rol: str):
    leider.email = "lotte@example.org"
    leider.save()
    client.force_login(leider)
    client.post(
        f"/programmas/{prog.slug}/leden/uitnodigen/", {"email": "noor@example.org", "rol": rol}
    )
    client.logout()
    token = re.search(r"/uitnodiging/([A-Za-z0-9_-]+)/", mail.outbox[-1].body).group(1)
    return client.post(
        f"/uitnodiging/{token}/",
        {
            "first_name": "Noor",
            "last_name": "de Vries",
            "password1": "zeilboot-Texel-2026",
            "password2": "zeilboot-Texel-2026",
        },
    )


def test_coalitielid_accepting_an_invitation_lands_on_my_work(client, prog, cast):
    response = _accept_invitation(client, prog, cast["leider"], Rol.COALITIELID)

    assert response.status_code == 302
    assert response["Location"] == URL
    landing = client.get(URL).content.decode()
    assert "U bent nu Coalitielid / kartrekker in Alliantie Test" in landing


def test_other_roles_accepting_an_invitation_land_on_the_programme(client, prog, cast):
    response = _accept_invitation(client, prog, cast["leider"], Rol.STUURGROEP)
    assert response["Location"] == f"/programmas/{prog.slug}/"
