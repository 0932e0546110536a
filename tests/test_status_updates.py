"""Status updates on an inspanning: who may post, what is refused, the author's 24-hour
correction, and the timeline on the inspanning's page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from doelenboom.models import Stap
from fasering import status
from fasering.models import Projectplanning, Statusupdate
from fasering.services import StaleEdit
from programmes.models import Groep, GroepLid
from tests import builders
from tests.queries import page_queries

STEPS = [("Onderzoek", 2), ("Ontwerp", 2), ("Pilotfase", 3), ("Implementatie", 6)]
# Planned from January 2025: Onderzoek Jan-Feb, Ontwerp Mar-Apr, Pilotfase May-Jul,
# Implementatie Aug 2025 - Jan 2026.
START = datetime.date(2025, 1, 1)


def _project(prog, code: str, groep: Groep | None, start: datetime.date | None = START):
    project = builders.inspanning(prog, code=code, titel=f"Project {code}", groep=groep)
    for volgorde, (naam, maanden) in enumerate(STEPS):
        Stap.objects.create(
            inspanning=project, volgorde=volgorde, naam=naam, doorlooptijd_maanden=Decimal(maanden)
        )
    if start:
        Projectplanning.objects.create(inspanning=project, start=start)
    return project


def _group(prog, naam: str, *users) -> Groep:
    groep = Groep.objects.create(programma=prog, naam=naam, soort="coalitie")
    for user in users:
        GroepLid.objects.create(groep=groep, user=user)
    return groep


@pytest.fixture
def kop(prog, cast):
    """Project 3b carried by "Coalitie 3", whose member `kartrekker` reports on it; project
    4a of "Coalitie 4" (the cast's coalitielid is in neither)."""
    kartrekker = builders.member(prog, "coalitielid", "kartrekker")
    kartrekker.first_name, kartrekker.last_name = "Sanne", "de Vries"
    kartrekker.save()
    andere = builders.member(prog, "coalitielid", "andere")
    project = _project(prog, "3b", _group(prog, "Coalitie 3", kartrekker))
    other = _project(prog, "4a", _group(prog, "Coalitie 4", andere))
    return {"project": project, "other": other, "kartrekker": kartrekker, "andere": andere}


def _step(project, naam: str) -> Stap:
    return project.stappen.get(naam=naam)


def _new_url(prog, project) -> str:
    return reverse("fasering:status_new", args=[prog.slug, project.pk])


def _correct_url(prog, update) -> str:
    return reverse("fasering:status_correct", args=[prog.slug, update.inspanning_id, update.pk])


def _page_url(prog, project) -> str:
    return reverse("doelenboom:inspanning", args=[prog.slug, project.pk])


def _timeline(html: str) -> str:
    """The "Voortgang" section of an inspanning's page."""
    start = html.index('<section id="tijdlijn"')
    return html[start : html.index("</section>", start)]


def _form(project, **changes) -> dict:
    return {
        "datum": timezone.localdate().isoformat(),
        "stap": _step(project, "Pilotfase").pk,
        "licht": "aandacht",
        "voortgang": "40",
        "gebeurd": "De pilot in Den Helder is gestart met twaalf gezinnen.",
        "volgende_stappen": "Evaluatie met de wijkteams in januari.",
        "document": "https://example.org/verslag-pilot",
        **changes,
    }


def _post(project, user, day: datetime.date, **changes) -> Statusupdate:
    values = {
        "datum": day,
        "stap": _step(project, "Pilotfase"),
        "licht": "op_koers",
        "voortgang": None,
        "gebeurd": "Gesprekken gevoerd.",
        "volgende_stappen": "",
        "document": "",
        **changes,
    }
    return status.post_statusupdate(project, user, today=datetime.date(2026, 12, 2), **values)


# -- posting: who may -----------------------------------------------------------------------


def test_group_member_posts_an_update_and_lands_on_the_timeline(client, prog, kop):
    client.force_login(kop["kartrekker"])

    response = client.post(_new_url(prog, kop["project"]), _form(kop["project"]), follow=True)

    update = Statusupdate.objects.get()
    assert response.redirect_chain[-1][0] == _page_url(prog, kop["project"]) + "#tijdlijn"
    assert (update.licht, update.stap.naam, update.voortgang) == ("aandacht", "Pilotfase", 40)
    assert update.auteur == kop["kartrekker"]
    assert update.datum == timezone.localdate()
    assert update.history.get().history_change_reason == "Statusupdate geplaatst"
    html = response.content.decode()
    assert "Uw statusupdate staat op de tijdlijn." in html
    assert "De pilot in Den Helder is gestart met twaalf gezinnen." in html


@pytest.mark.parametrize("rol", ["leider", "team"])
def test_leader_and_team_post_updates(client, prog, cast, kop, rol):
    client.force_login(cast[rol])

    assert client.get(_new_url(prog, kop["project"])).status_code == 200
    response = client.post(_new_url(prog, kop["project"]), _form(kop["project"]))

    assert response.status_code == 302
    assert Statusupdate.objects.get().auteur == cast[rol]


def test_site_administrator_posts_updates(client, prog, kop):
    admin = builders.user("beheerder", is_superuser=True, is_staff=True)
    client.force_login(admin)

    response = client.post(_new_url(prog, kop["project"]), _form(kop["project"]))

    assert response.status_code == 302
    assert Statusupdate.objects.get().auteur == admin


@pytest.mark.parametrize("rol", ["stuurgroep", "lezer", "coalitielid"])
def test_who_does_not_carry_the_project_gets_403_and_nothing_is_written(
    client, prog, cast, kop, rol
):
    client.force_login(cast[rol])

    page = client.get(_new_url(prog, kop["project"]))
    response = client.post(_new_url(prog, kop["project"]), _form(kop["project"]))

    assert page.status_code == response.status_code == 403
    assert "Alleen de groep die dit project uitvoert" in response.content.decode()
    assert not Statusupdate.objects.exists()


def test_crafted_post_for_another_groups_project_is_refused(client, prog, kop):
    # "andere" carries 4a, not 3b; the form for 4a is theirs, a POST to 3b is not.
    client.force_login(kop["andere"])
    assert client.get(_new_url(prog, kop["other"])).status_code == 200

    response = client.post(_new_url(prog, kop["project"]), _form(kop["project"]))

    assert response.status_code == 403
    assert not Statusupdate.objects.exists()


def test_another_programmes_inspanning_is_404_and_an_outsider_is_404(client, prog, cast, kop):
    elders = builders.programma(slug="ander-programma")
    theirs = _project(elders, "9z", None)
    client.force_login(cast["leider"])

    assert client.get(_new_url(prog, theirs)).status_code == 404
    assert client.post(_new_url(prog, theirs), _form(theirs)).status_code == 404
    client.force_login(cast["buitenstaander"])
    assert client.get(_new_url(prog, kop["project"])).status_code == 404
    assert not Statusupdate.objects.exists()


def test_archived_programme_refuses_updates(client, prog, kop):
    prog.gearchiveerd_op = timezone.now()
    prog.save()
    client.force_login(kop["kartrekker"])

    response = client.post(_new_url(prog, kop["project"]), _form(kop["project"]))

    assert response.status_code == 403
    assert "gearchiveerd" in response.content.decode()
    assert not Statusupdate.objects.exists()


# -- posting: what is refused ---------------------------------------------------------------


def _refused(client, prog, kop, **changes) -> str:
    client.force_login(kop["kartrekker"])
    response = client.post(_new_url(prog, kop["project"]), _form(kop["project"], **changes))
    assert response.status_code == 200
    assert not Statusupdate.objects.exists()
    return response.content.decode()


def test_a_date_in_the_future_is_refused(client, prog, kop):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    html = _refused(client, prog, kop, datum=tomorrow.isoformat())

    assert "Datum: De datum ligt in de toekomst" in html
    assert 'href="#id_datum"' in html


def test_a_step_of_another_project_is_refused(client, prog, kop):
    html = _refused(client, prog, kop, stap=_step(kop["other"], "Pilotfase").pk)

    assert "Kies een stap uit het stappenplan van dit project." in html


def test_service_refuses_a_step_of_another_project_naming_the_field(db, prog, kop):
    errors = builders.validation_errors(
        lambda: _post(
            kop["project"],
            kop["kartrekker"],
            datetime.date(2026, 1, 5),
            stap=_step(kop["other"], "Ontwerp"),
        )
    )

    assert errors == {"stap": ["Deze stap hoort bij een ander project."]}
    assert not Statusupdate.objects.exists()


def test_a_percentage_above_100_is_refused(client, prog, kop):
    html = _refused(client, prog, kop, voortgang="101")

    assert "De voortgang is hoogstens 100 procent." in html


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "ftp://example.org/verslag", "file:///etc/passwd"]
)
def test_a_link_that_is_not_a_web_address_is_refused(client, prog, kop, link):
    html = _refused(client, prog, kop, document=link)

    assert "Geef een link die begint met http:// of https://." in html


def test_service_refuses_bad_values_naming_each_field(db, prog, kop):
    errors = builders.validation_errors(
        lambda: _post(
            kop["project"],
            kop["kartrekker"],
            datetime.date(2026, 12, 3),
            voortgang=101,
            document="ftp://example.org/x",
            gebeurd="  ",
        )
    )

    assert set(errors) == {"datum", "voortgang", "document", "gebeurd"}
    assert not Statusupdate.objects.exists()


def test_the_light_must_be_chosen_and_the_form_says_so(client, prog, kop):
    html = _refused(client, prog, kop, licht="")

    assert "Kies op koers, aandacht nodig of risico." in html
    # The error summary links to the first radio button of the group.
    assert 'href="#id_licht_0"' in html and 'id="id_licht_0"' in html


def test_form_starts_from_today_and_the_planned_step(client, prog, kop):
    today = timezone.localdate()
    # Started two months ago: the planning has the project in its second step today.
    start = (today.replace(day=1) - datetime.timedelta(days=40)).replace(day=1)
    Projectplanning.objects.filter(inspanning=kop["project"]).update(start=start)
    client.force_login(kop["kartrekker"])

    form = client.get(_new_url(prog, kop["project"])).context["form"]

    ontwerp = _step(kop["project"], "Ontwerp")
    assert form["datum"].value() == today
    assert form["stap"].value() == ontwerp.pk
    assert "Volgens de planning: 2. Ontwerp." in form["stap"].help_text


def test_form_starts_from_the_step_of_the_latest_update(client, prog, kop):
    _post(
        kop["project"],
        kop["kartrekker"],
        datetime.date(2025, 3, 1),
        stap=_step(kop["project"], "Onderzoek"),
    )
    _post(
        kop["project"],
        kop["kartrekker"],
        datetime.date(2025, 6, 1),
        stap=_step(kop["project"], "Pilotfase"),
    )
    client.force_login(kop["kartrekker"])

    form = client.get(_new_url(prog, kop["project"])).context["form"]

    assert form["stap"].value() == _step(kop["project"], "Pilotfase").pk


def test_an_inspanning_without_a_stappenplan_has_no_step_to_pick(client, prog, cast):
    actie = builders.inspanning(prog, code="A1")
    client.force_login(cast["leider"])

    page = client.get(_new_url(prog, actie))
    data = {"datum": timezone.localdate().isoformat(), "licht": "risico", "gebeurd": "Gestart."}
    response = client.post(_new_url(prog, actie), data)

    assert "stap" not in page.context["form"].fields
    assert response.status_code == 302
    assert Statusupdate.objects.get(inspanning=actie).stap is None


# -- correcting within 24 hours -------------------------------------------------------------


def _values(update: Statusupdate, **changes) -> dict:
    return {name: getattr(update, name) for name in status.FIELDS} | changes


def test_author_corrects_within_24_hours_with_history(db, prog, kop):
    update = _post(kop["project"], kop["kartrekker"], datetime.date(2026, 11, 30))
    at = update.geplaatst_op + datetime.timedelta(hours=23)

    changed = status.correct_statusupdate(
        update,
        kop["kartrekker"],
        expected_versie=1,
        now=at,
        reason="Verkeerde stap gekozen",
        **_values(update, licht="risico", stap=_step(kop["project"], "Ontwerp")),
    )

    update.refresh_from_db()
    assert changed
    assert (update.licht, update.stap.naam, update.versie) == ("risico", "Ontwerp", 2)
    assert update.gewijzigd_op == at
    reasons = [h.history_change_reason for h in update.history.order_by("history_id")]
    assert reasons == ["Statusupdate geplaatst", "Verkeerde stap gekozen"]


def test_correction_after_24_hours_is_refused_saying_why(db, prog, kop):
    update = _post(kop["project"], kop["kartrekker"], datetime.date(2026, 11, 30))

    with pytest.raises(PermissionDenied, match="24 uur te corrigeren"):
        status.correct_statusupdate(
            update,
            kop["kartrekker"],
            expected_versie=1,
            now=update.geplaatst_op + datetime.timedelta(hours=25),
            **_values(update, licht="risico"),
        )

    update.refresh_from_db()
    assert (update.licht, update.versie, update.gewijzigd_op) == ("op_koers", 1, None)


def test_only_the_author_may_correct(db, prog, cast, kop):
    update = _post(kop["project"], kop["kartrekker"], datetime.date(2026, 11, 30))

    with pytest.raises(PermissionDenied, match="Alleen wie deze statusupdate plaatste"):
        status.correct_statusupdate(
            update,
            cast["leider"],
            expected_versie=1,
            now=update.geplaatst_op + datetime.timedelta(hours=1),
            **_values(update, licht="risico"),
        )

    update.refresh_from_db()
    assert update.licht == "op_koers"


def test_a_stale_correction_is_refused(db, prog, kop):
    update = _post(kop["project"], kop["kartrekker"], datetime.date(2026, 11, 30))
    status.correct_statusupdate(
        update, kop["kartrekker"], expected_versie=1, **_values(update, voortgang=30)
    )

    with pytest.raises(StaleEdit):
        status.correct_statusupdate(
            update, kop["kartrekker"], expected_versie=1, **_values(update, voortgang=60)
        )

    update.refresh_from_db()
    assert (update.voortgang, update.versie) == (30, 2)


def test_an_unchanged_correction_writes_nothing(db, prog, kop):
    update = _post(kop["project"], kop["kartrekker"], datetime.date(2026, 11, 30))

    changed = status.correct_statusupdate(
        update, kop["kartrekker"], expected_versie=1, **_values(update)
    )

    update.refresh_from_db()
    assert not changed
    assert (update.versie, update.gewijzigd_op, update.history.count()) == (1, None, 1)


def test_author_corrects_through_the_form(client, prog, kop):
    update = _post(kop["project"], kop["kartrekker"], datetime.date(2026, 11, 30))
    client.force_login(kop["kartrekker"])
    form = client.get(_correct_url(prog, update)).context["form"]
    assert form["versie"].value() == 1

    response = client.post(
        _correct_url(prog, update),
        _form(kop["project"], datum="2026-11-30", versie="1", reden="Percentage vergeten"),
        follow=True,
    )

    update.refresh_from_db()
    assert (update.licht, update.voortgang, update.versie) == ("aandacht", 40, 2)
    assert "Uw statusupdate is gecorrigeerd." in response.content.decode()
    assert update.history.first().history_change_reason == "Percentage vergeten"


def test_form_shows_a_stale_correction_and_keeps_the_stored_one(client, prog, kop):
    update = _post(kop["project"], kop["kartrekker"], datetime.date(2026, 11, 30))
    client.force_login(kop["kartrekker"])
    client.post(_correct_url(prog, update), _form(kop["project"], versie="1", voortgang="30"))

    response = client.post(
        _correct_url(prog, update), _form(kop["project"], versie="1", voortgang="60")
    )

    update.refresh_from_db()
    assert response.status_code == 200
    assert "intussen gecorrigeerd" in response.content.decode()
    assert (update.voortgang, update.versie) == (30, 2)


def test_correction_page_after_24_hours_or_by_another_is_403_saying_why(client, prog, cast, kop):
    update = _post(kop["project"], kop["kartrekker"], datetime.date(2026, 11, 30))
    client.force_login(cast["leider"])
    response = client.get(_correct_url(prog, update))
    assert response.status_code == 403
    assert "Alleen wie deze statusupdate plaatste" in response.content.decode()

    Statusupdate.objects.filter(pk=update.pk).update(
        geplaatst_op=timezone.now() - datetime.timedelta(hours=25)
    )
    client.force_login(kop["kartrekker"])
    response = client.post(_correct_url(prog, update), _form(kop["project"], versie="1"))

    assert response.status_code == 403
    assert "24 uur te corrigeren" in response.content.decode()
    update.refresh_from_db()
    assert update.versie == 1


def test_an_update_under_another_inspanning_is_404(client, prog, cast, kop):
    update = _post(kop["project"], cast["leider"], datetime.date(2026, 11, 30))
    client.force_login(cast["leider"])
    url = reverse("fasering:status_correct", args=[prog.slug, kop["other"].pk, update.pk])

    assert client.get(url).status_code == 404


# -- the timeline ---------------------------------------------------------------------------


def test_timeline_lists_updates_newest_first_beside_the_planning(client, prog, cast, kop):
    project = kop["project"]
    # 10 March 2025 is in Ontwerp by the planning; Onderzoek is behind it.
    _post(
        project,
        kop["kartrekker"],
        datetime.date(2025, 3, 10),
        stap=_step(project, "Onderzoek"),
        licht="aandacht",
        gebeurd="Nog aan het onderzoeken.",
    )
    # 2 June 2025 is in the Pilotfase, as reported.
    _post(
        project,
        kop["kartrekker"],
        datetime.date(2025, 6, 2),
        stap=_step(project, "Pilotfase"),
        licht="op_koers",
        voortgang=55,
        gebeurd="Pilot loopt.",
    )
    client.force_login(cast["lezer"])

    html = client.get(_page_url(prog, project)).content.decode()

    section = _timeline(html)
    assert "<h2" in section and "Voortgang" in section
    assert section.index("2 juni 2025") < section.index("10 maart 2025")
    newest, oldest = section.split("10 maart 2025", 1)
    assert "3. Pilotfase" in newest and "achter op planning" not in newest
    assert "55%" in newest
    assert "koers-licht--op_koers" in newest and "Op koers" in newest
    assert "1. Onderzoek" in oldest and "2. Ontwerp" in oldest
    assert "achter op planning" in oldest
    assert "Aandacht nodig" in oldest
    assert "Door Sanne de Vries" in section
    # A reader may not report or correct.
    assert "Status bijwerken" not in section and "Corrigeren" not in section


def test_timeline_offers_the_button_and_the_correction_link_to_the_author(client, prog, kop):
    update = _post(kop["project"], kop["kartrekker"], datetime.date(2026, 11, 30))
    client.force_login(kop["kartrekker"])

    html = client.get(_page_url(prog, kop["project"])).content.decode()

    assert _new_url(prog, kop["project"]) in html and "Status bijwerken" in html
    assert _correct_url(prog, update) in html
    assert "gecorrigeerd" not in _timeline(html)


def test_timeline_marks_a_corrected_update_and_links_its_document(client, prog, kop):
    update = _post(kop["project"], kop["kartrekker"], datetime.date(2026, 11, 30))
    status.correct_statusupdate(
        update,
        kop["kartrekker"],
        expected_versie=1,
        **_values(update, document="https://docs.example.org/verslag"),
    )
    client.force_login(kop["kartrekker"])

    section = _timeline(client.get(_page_url(prog, kop["project"])).content.decode())

    assert "gecorrigeerd" in section
    assert 'href="https://docs.example.org/verslag"' in section
    assert "Document op docs.example.org" in section


def test_timeline_says_when_there_are_no_updates(client, prog, cast, kop):
    client.force_login(cast["lezer"])

    html = client.get(_page_url(prog, kop["project"])).content.decode()

    assert "Er is nog geen statusupdate geplaatst." in html


def test_timeline_queries_do_not_grow_with_the_updates(client, prog, cast, kop):
    project = kop["project"]
    _post(project, kop["kartrekker"], datetime.date(2025, 1, 5))
    client.force_login(kop["kartrekker"])
    one = page_queries(client, _page_url(prog, project))
    authors = [kop["kartrekker"], cast["leider"], cast["team"]]
    for n in range(19):
        stap = project.stappen.all()[n % 4]
        _post(
            project,
            authors[n % 3],
            datetime.date(2025, 1, 6) + datetime.timedelta(days=n * 20),
            stap=stap,
        )

    assert Statusupdate.objects.count() == 20
    assert page_queries(client, _page_url(prog, project)) == one
