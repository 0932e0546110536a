"""Archiving, restoring and deleting a programme: site administrators only."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.formats import long_date
from doelenboom.models import (
    Ambitie,
    Bijdrage,
    Inspanning,
    InspanningPartner,
    OperationeelDoel,
    StrategischDoel,
)
from programmes.lifecycle import archive_programma, delete_impact, delete_programma
from programmes.models import (
    Groep,
    GroepLid,
    Lidmaatschap,
    Organisatie,
    Partnerschap,
    Programma,
    Uitnodiging,
)
from tests import builders
from tests.queries import page_queries

NOTICE = "Dit programma is gearchiveerd en alleen te lezen."


@pytest.fixture
def admin(db):
    user = builders.user("beheerder")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def tree(prog, cast):
    goal, hanze, first = builders.vroegsignalering(prog)
    groep = Groep.objects.create(programma=prog, naam="Stuurgroep", soort="stuurgroep")
    GroepLid.objects.create(groep=groep, organisatie=hanze, rol="voorzitter")
    GroepLid.objects.create(groep=groep, user=cast["stuurgroep"])
    Uitnodiging.objects.create(
        programma=prog,
        email="nieuw@example.org",
        rol="lezer",
        groep=groep,
        token_hash="a" * 64,
        verloopt_op=timezone.now() + timedelta(days=14),
    )
    return {"prog": prog, "goal": goal, "hanze": hanze, "inspanning": first, "groep": groep}


def _url(name: str, prog: Programma) -> str:
    return reverse(f"programmes:{name}", args=[prog.slug])


def _archived(prog: Programma, reason: str = "Proefprogramma afgerond") -> Programma:
    return archive_programma(prog, reason=reason)


def _switcher(html: str) -> str:
    match = re.search(r'<ul class="koers-switcher__list">(.*?)</ul>', html, re.S)
    assert match, "no programme switcher on the page"
    return match.group(1)


def _cards(html: str) -> str:
    match = re.search(r'<ul class="koers-cards">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


# -- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leider", "team", "lezer"])
def test_members_even_the_programme_leader_may_not_archive_or_delete(client, cast, tree, role):
    prog = tree["prog"]
    client.force_login(cast[role])

    assert client.get(_url("archive", prog)).status_code == 403
    assert client.get(_url("delete", prog)).status_code == 403
    assert client.post(_url("archive", prog), {"reden": "Weg"}).status_code == 403
    assert client.post(_url("delete", prog), {"naam": prog.naam}).status_code == 403
    _archived(prog)
    assert client.post(_url("unarchive", prog)).status_code == 403

    prog.refresh_from_db()
    assert prog.gearchiveerd_op is not None
    assert Inspanning.objects.filter(programma=prog).exists()


def test_outsiders_are_not_told_the_programme_exists(client, cast, tree):
    client.force_login(cast["buitenstaander"])

    for name in ("archive", "delete", "unarchive"):
        assert client.post(_url(name, tree["prog"])).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, tree):
    response = client.get(_url("delete", tree["prog"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_only_site_admins_see_the_beheer_section(client, admin, cast, tree):
    prog = tree["prog"]
    client.force_login(cast["leider"])
    leader_page = client.get(_url("detail", prog)).content.decode()
    client.force_login(admin)
    admin_page = client.get(_url("detail", prog)).content.decode()

    assert "Beheer van dit programma" not in leader_page
    assert _url("delete", prog) not in leader_page
    assert "Beheer van dit programma" in admin_page
    assert f'href="{_url("archive", prog)}"' in admin_page
    assert f'href="{_url("delete", prog)}"' in admin_page


# -- archiving ---------------------------------------------------------------------------------


def test_admin_archives_with_a_reason_that_goes_into_the_history(client, admin, tree):
    prog = tree["prog"]
    client.force_login(admin)

    page = client.get(_url("archive", prog)).content.decode()
    response = client.post(_url("archive", prog), {"reden": "Proef afgerond"}, follow=True)

    assert "Programma archiveren" in page
    assert response.redirect_chain[-1][0] == reverse("programmes:list")
    assert "„Alliantie Test” is gearchiveerd" in response.content.decode()
    prog.refresh_from_db()
    assert prog.gearchiveerd_op is not None
    latest = prog.history.latest()
    assert latest.gearchiveerd_op == prog.gearchiveerd_op
    assert latest.history_change_reason == "Proef afgerond"
    assert latest.history_user == admin


@pytest.mark.parametrize(
    ("reden", "message"),
    [
        ("   ", "Vul in waarom dit programma wordt gearchiveerd."),
        ("x" * 101, "De reden is te lang (hoogstens 100 tekens)."),
    ],
)
def test_archive_without_a_usable_reason_is_refused_naming_the_field(
    client, admin, tree, reden, message
):
    prog = tree["prog"]
    client.force_login(admin)

    response = client.post(_url("archive", prog), {"reden": reden})

    assert response.status_code == 200
    assert response.context["form"].errors == {"reden": [message]}
    assert f"Reden: {message}" in response.content.decode()
    prog.refresh_from_db()
    assert prog.gearchiveerd_op is None
    assert prog.history.count() == 1


def test_archived_programme_is_gone_from_the_list_and_the_switcher_for_members(client, cast, tree):
    prog = tree["prog"]
    other = builders.programma(naam="Ander Programma")
    Lidmaatschap.objects.create(user=cast["leider"], programma=other, rol="lezer")
    _archived(prog)
    client.force_login(cast["leider"])

    listing = client.get(reverse("programmes:list")).content.decode()
    # The switcher of a page of the archived programme itself leaves it out too.
    detail = client.get(_url("detail", prog)).content.decode()

    assert prog.naam not in _cards(listing)
    assert "Ander Programma" in _cards(listing)
    assert prog.naam not in _switcher(listing)
    assert "Ander Programma" in _switcher(listing)
    assert prog.naam not in _switcher(detail)
    assert "Gearchiveerd" not in listing


def test_admin_sees_archived_programmes_apart_with_a_way_back(client, admin, tree):
    prog = tree["prog"]
    builders.programma(naam="Lopend Programma")
    _archived(prog)
    client.force_login(admin)

    html = client.get(reverse("programmes:list")).content.decode()

    assert prog.naam not in _cards(html)
    assert "Lopend Programma" in _cards(html)
    assert prog.naam not in _switcher(html)
    archive = html.split('id="gearchiveerd-kop"', 1)[1]
    assert prog.naam in archive
    assert f'action="{_url("unarchive", prog)}"' in archive
    assert "Terugzetten uit het archief" in archive
    assert f"gearchiveerd op {long_date(timezone.localdate())}" in archive


@pytest.mark.parametrize("role", ["leider", "lezer"])
def test_archived_pages_stay_readable_by_url_with_the_notice(client, cast, tree, role):
    prog = tree["prog"]
    _archived(prog)
    client.force_login(cast[role])
    item = ["inspanning", tree["inspanning"].pk]

    detail = client.get(_url("detail", prog))
    pages = [
        reverse("doelenboom:tree", args=[prog.slug]),
        reverse("doelenboom:inspanning", args=[prog.slug, tree["inspanning"].pk]),
        reverse("doelenboom:history", args=[prog.slug, *item]),
        reverse("doelenboom:changes", args=[prog.slug]),
        reverse("doelenboom:partners", args=[prog.slug]),
        reverse("doelenboom:tree_export", args=[prog.slug]),
    ]

    assert detail.status_code == 200
    assert NOTICE in detail.content.decode()
    assert "Inzetten op vroegsignalering" in client.get(pages[0]).content.decode()
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_active_programme_shows_no_archive_notice(client, cast, tree):
    client.force_login(cast["leider"])

    assert NOTICE not in client.get(_url("detail", tree["prog"])).content.decode()


@pytest.mark.parametrize("role", ["leider", "admin"])
def test_every_write_to_an_archived_programme_is_refused(client, admin, cast, tree, role):
    prog, obj = tree["prog"], tree["inspanning"]
    user = admin if role == "admin" else cast["leider"]
    client.force_login(user)
    first_version = obj.history.get()
    client.post(
        reverse("doelenboom:edit", args=[prog.slug, "inspanning", obj.pk]),
        builders.inspanning_form_data(obj, titel="Voor het archief"),
    )
    obj.refresh_from_db()
    _archived(prog)

    tree_page = client.get(reverse("doelenboom:tree", args=[prog.slug]))
    item = [prog.slug, "inspanning", obj.pk]
    sheet = builders.xlsx([["B1", "Actie", "Nieuw via import", "", ""]])
    refused = {
        "edit": client.post(
            reverse("doelenboom:edit", args=item),
            builders.inspanning_form_data(obj, titel="Gekaapt"),
        ),
        "edit form": client.get(reverse("doelenboom:edit", args=item)),
        "add": client.post(
            reverse("doelenboom:add", args=[prog.slug, "ambitie"]), {"titel": "Nieuw"}
        ),
        "delete": client.post(reverse("doelenboom:delete", args=item)),
        "move": client.post(reverse("doelenboom:move", args=item), {"richting": "omhoog"}),
        "revert": client.post(
            reverse("doelenboom:revert", args=[*item, first_version.history_id]),
            {"versie": obj.versie},
        ),
        "import page": client.get(reverse("doelenboom:tree_import", args=[prog.slug])),
        "import": client.post(
            reverse("doelenboom:tree_import", args=[prog.slug]),
            {"bestand": SimpleUploadedFile("inspanningen.xlsx", sheet)},
        ),
    }

    assert {name: r.status_code for name, r in refused.items()} == dict.fromkeys(refused, 403)
    assert NOTICE in refused["edit"].content.decode()
    access = tree_page.context["access"]
    assert (access.may_edit, access.may_manage) == (False, False)
    assert "Bewerken" not in tree_page.content.decode()
    obj.refresh_from_db()
    assert (obj.titel, obj.versie) == ("Voor het archief", 2)
    assert Inspanning.objects.filter(programma=prog).count() == 1
    assert not Ambitie.objects.filter(titel="Nieuw").exists()


def test_archiving_twice_changes_nothing_the_second_time(client, admin, tree):
    prog = _archived(tree["prog"])
    when = prog.gearchiveerd_op
    client.force_login(admin)

    response = client.post(_url("archive", prog), {"reden": "Nog eens"}, follow=True)

    assert "Dit programma is al gearchiveerd." in response.content.decode()
    prog.refresh_from_db()
    assert prog.gearchiveerd_op == when
    assert prog.history.count() == 2


def test_restoring_from_the_archive_makes_it_listed_and_editable_again(client, admin, cast, tree):
    prog, obj = tree["prog"], tree["inspanning"]
    _archived(prog)
    client.force_login(admin)

    assert client.get(_url("unarchive", prog)).status_code == 405
    response = client.post(_url("unarchive", prog), follow=True)

    assert response.redirect_chain[-1][0] == _url("detail", prog)
    html = response.content.decode()
    assert "is teruggezet uit het archief" in html
    assert NOTICE not in html
    prog.refresh_from_db()
    assert prog.gearchiveerd_op is None
    assert prog.history.latest().history_change_reason == "Teruggezet uit het archief"

    client.force_login(cast["leider"])
    assert prog.naam in _cards(client.get(reverse("programmes:list")).content.decode())
    edit = client.post(
        reverse("doelenboom:edit", args=[prog.slug, "inspanning", obj.pk]),
        builders.inspanning_form_data(obj, titel="Weer bewerkt"),
    )
    assert edit.status_code == 302
    obj.refresh_from_db()
    assert obj.titel == "Weer bewerkt"


def test_programme_list_query_count_does_not_grow_with_archived_programmes(client, admin):
    client.force_login(admin)
    _archived(builders.programma())
    builders.programma()
    one = page_queries(client, reverse("programmes:list"))
    for _ in range(4):
        _archived(builders.programma())
        builders.programma()

    five = page_queries(client, reverse("programmes:list"))

    assert five == one


# -- deleting ----------------------------------------------------------------------------------


def _rows_of(prog_pk: int) -> dict[str, int]:
    """Every kind of row that belongs to one programme."""
    return {
        "partnerschappen": Partnerschap.objects.filter(programma_id=prog_pk).count(),
        "lidmaatschappen": Lidmaatschap.objects.filter(programma_id=prog_pk).count(),
        "uitnodigingen": Uitnodiging.objects.filter(programma_id=prog_pk).count(),
        "groepen": Groep.objects.filter(programma_id=prog_pk).count(),
        "groepsleden": GroepLid.objects.filter(groep__programma_id=prog_pk).count(),
        "ambities": Ambitie.objects.filter(programma_id=prog_pk).count(),
        "strategische doelen": StrategischDoel.objects.filter(
            ambitie__programma_id=prog_pk
        ).count(),
        "operationele doelen": OperationeelDoel.objects.filter(
            strategisch_doel__ambitie__programma_id=prog_pk
        ).count(),
        "inspanningen": Inspanning.objects.filter(programma_id=prog_pk).count(),
        "bijdragen": Bijdrage.objects.filter(inspanning__programma_id=prog_pk).count(),
        "partnerrollen": InspanningPartner.objects.filter(inspanning__programma_id=prog_pk).count(),
    }


@pytest.fixture
def other_programme(tree):
    """A second programme sharing the partner organisation of `tree`."""
    other = builders.programma(naam="Ander Programma")
    Partnerschap.objects.create(programma=other, organisatie=tree["hanze"])
    goal = builders.goal_chain(other, code="2.1")
    leger = builders.partner(other, naam="Leger des Heils")
    builders.inspanning(other, doelen=[goal], partners=[(leger, "trekker")])
    builders.member(other, "programmaleider", "leider.ander")
    return other


def test_delete_page_says_what_goes_and_that_organisations_stay(client, admin, tree):
    prog = tree["prog"]
    prog.label_inspanning, prog.label_inspanning_mv = "Project", "Projecten"
    prog.save()
    builders.inspanning(prog, titel="Tweede")
    client.force_login(admin)

    html = client.get(_url("delete", prog)).content.decode()

    assert "Programma verwijderen" in html
    assert "<li>2 projecten</li>" in html  # the programme's own name for its inspanningen
    assert "<li>1 ambitie</li>" in html
    assert "<li>5 lidmaatschappen</li>" in html
    assert "<li>1 uitnodiging</li>" in html
    assert "<li>2 groepsleden</li>" in html
    assert "De organisaties zelf blijven bestaan" in html
    assert "kan niet ongedaan worden gemaakt" in html


@pytest.mark.parametrize("typed", ["", "alliantie test", "Alliantie", "Ander Programma"])
def test_delete_with_a_wrong_name_is_refused_and_deletes_nothing(
    client, admin, tree, other_programme, typed
):
    prog = tree["prog"]
    before = _rows_of(prog.pk)
    client.force_login(admin)

    response = client.post(_url("delete", prog), {"naam": typed})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["naam"]
    html = response.content.decode()
    assert "Niet verwijderd" in html
    assert 'aria-invalid="true"' in html
    if typed:
        assert "Dat is niet de naam van dit programma." in errors["naam"][0]
    else:
        assert errors["naam"] == ["Typ de naam van het programma om het verwijderen te bevestigen."]
    assert Programma.objects.filter(pk=prog.pk).exists()
    assert _rows_of(prog.pk) == before


def test_delete_with_the_exact_name_removes_the_programme_and_all_under_it(
    client, admin, tree, other_programme
):
    prog = tree["prog"]
    organisations = set(Organisatie.objects.values_list("pk", flat=True))
    other_before = _rows_of(other_programme.pk)
    assert all(_rows_of(prog.pk).values())  # every kind of row is there to be deleted
    client.force_login(admin)

    response = client.post(_url("delete", prog), {"naam": " Alliantie Test "}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("programmes:list")
    assert "Programma „Alliantie Test” is verwijderd" in response.content.decode()
    assert not Programma.objects.filter(pk=prog.pk).exists()
    assert set(_rows_of(prog.pk).values()) == {0}
    assert _rows_of(other_programme.pk) == other_before
    assert set(Organisatie.objects.values_list("pk", flat=True)) == organisations
    # The history keeps who deleted what.
    deleted = Programma.history.filter(id=prog.pk).latest()
    assert (deleted.history_type, deleted.history_user) == ("-", admin)
    assert Inspanning.history.filter(programma_id=prog.pk, history_type="-").exists()


def test_archived_programme_can_be_deleted(client, admin, tree):
    prog = _archived(tree["prog"])
    client.force_login(admin)

    page = client.get(_url("delete", prog)).content.decode()
    response = client.post(_url("delete", prog), {"naam": prog.naam})

    assert "Liever archiveren" not in page
    assert response.status_code == 302
    assert not Programma.objects.filter(pk=prog.pk).exists()


def test_deleting_a_demo_programme_leaves_the_other_one_whole(demo):
    kvnh, avk = Programma.objects.get(slug="kvnh"), Programma.objects.get(slug="avk")
    impact = {row.label: row.count for row in delete_impact(kvnh)}
    avk_before = _rows_of(avk.pk)
    organisations = Organisatie.objects.count()

    delete_programma(kvnh, naam=kvnh.naam)

    assert (
        impact["projecten"]
        == Inspanning.history.filter(programma_id=kvnh.pk, history_type="-").count()
    )
    assert impact["lidmaatschappen"] > 0
    assert set(_rows_of(kvnh.pk).values()) == {0}
    assert _rows_of(avk.pk) == avk_before
    assert Organisatie.objects.count() == organisations
