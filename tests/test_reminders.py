"""Reminder e-mails about inspanningen without a status update for 90 days."""

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone

from fasering import reminders
from fasering.models import Herinnering, Licht, Statusupdate
from programmes.models import Groep, GroepLid, Lidmaatschap, Profiel, Rol
from tests import builders

pytestmark = pytest.mark.django_db

# A Monday morning, when cron runs the command.
NOW = timezone.make_aware(datetime.datetime(2026, 6, 1, 7, 0))
TODAY = timezone.localdate(NOW)
LINK = re.compile(r"http://koers\.test(/programmas/[^/\s]+/inspanningen/\d+/status/nieuw/)")


class FailsForSanne(EmailBackend):
    """The test outbox, except that mail to sanne@example.org cannot be delivered."""

    def send_messages(self, messages):
        if any("sanne@example.org" in m.to for m in messages):
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.KOERS_SITE_URL = "http://koers.test/"


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def update(inspanning, datum: datetime.date) -> Statusupdate:
    """A status update dated `datum` and posted that day."""
    made = Statusupdate.objects.create(
        inspanning=inspanning, datum=datum, licht=Licht.AANDACHT, gebeurd="Pilot loopt."
    )
    posted = timezone.make_aware(datetime.datetime.combine(datum, datetime.time(12)))
    Statusupdate.objects.filter(pk=made.pk).update(geplaatst_op=posted)
    return made


def person(prog, username: str, rol: str = Rol.COALITIELID, **kw):
    user = builders.member(prog, rol, username)
    for key, value in {"email": f"{username}@example.org", "first_name": username.title()}.items():
        setattr(user, key, kw.get(key, value))
    user.save()
    return user


def groep(prog, naam: str, *users) -> Groep:
    made = Groep.objects.create(programma=prog, naam=naam, soort=Groep.Soort.PROJECTGROEP)
    for user in users:
        GroepLid.objects.create(groep=made, user=user)
    return made


def run(now=NOW, **kw) -> reminders.RunResult:
    return reminders.send_reminders(now=now, **kw)


def mentioned(user) -> list[str]:
    return sorted(Herinnering.objects.filter(user=user).values_list("inspanning__titel", flat=True))


@pytest.fixture
def noor(prog):
    return person(prog, "noor")


@pytest.fixture
def kop(prog, noor):
    """De Kop in Beeld, carried by Noor's project group, last updated 100 days ago."""
    g = groep(prog, "Projectgroep De Kop in Beeld", noor)
    inspanning = builders.inspanning(prog, code="3b", titel="De Kop in Beeld", groep=g)
    update(inspanning, TODAY - days(100))
    return inspanning


# -- what is stale ----------------------------------------------------------------------------


def test_stale_means_no_update_for_more_than_90_days_or_none_at_all(prog, noor):
    g = groep(prog, "Werkgroep", noor)
    for age in (89, 90, 91):
        update(builders.inspanning(prog, titel=f"{age} dagen", groep=g), TODAY - days(age))
    builders.inspanning(prog, titel="Nooit", groep=g)

    result = run()

    assert [len(r.inspanningen) for r in result.sent] == [2]
    assert mentioned(noor) == ["91 dagen", "Nooit"]
    body = mail.outbox[0].body
    assert "91 dagen" in body and "Nooit" in body
    assert "89 dagen" not in body and "90 dagen (" not in body


def test_one_mail_per_person_with_an_absolute_link_per_inspanning(prog, noor, kop):
    sanne = person(prog, "sanne", last_name="de Vries")
    other = groep(prog, "Projectgroep Huis van de Kop", noor, sanne)
    huis = builders.inspanning(prog, code="3a", titel="Het Huis van de Kop", groep=other)

    result = run()

    assert len(result.sent) == 2 and len(mail.outbox) == 2
    to_noor = next(m for m in mail.outbox if m.to == ["noor@example.org"])
    assert to_noor.subject == "Koers: statusupdate gevraagd voor 2 projecten en inspanningen"
    assert LINK.findall(to_noor.body) == [
        f"/programmas/test/inspanningen/{huis.pk}/status/nieuw/",  # 3a before 3b
        f"/programmas/test/inspanningen/{kop.pk}/status/nieuw/",
    ]
    assert "Beste Noor," in to_noor.body
    assert "Laatste update: 21 februari 2026" in to_noor.body  # 100 days before 1 June
    assert "Nog geen update" in to_noor.body
    assert "Zet ze uit in uw profiel: http://koers.test/profiel/" in to_noor.body
    html, kind = to_noor.alternatives[0]
    assert kind == "text/html"
    assert f'href="http://koers.test/programmas/test/inspanningen/{kop.pk}/status/nieuw/"' in html
    assert 'href="http://koers.test/profiel/"' in html
    to_sanne = next(m for m in mail.outbox if m.to == ["sanne@example.org"])
    assert to_sanne.subject == "Koers: statusupdate gevraagd voor 3a Het Huis van de Kop"
    assert mentioned(sanne) == ["Het Huis van de Kop"]
    assert {h.verstuurd_op for h in Herinnering.objects.all()} == {NOW}


def test_the_link_in_the_mail_opens_the_update_form(client, noor, kop):
    run()
    path = LINK.search(mail.outbox[0].body).group(1)

    anonymous = client.get(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/inloggen/?next=" + path)
    client.force_login(noor)
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Status bijwerken" in html and "De Kop in Beeld" in html
    assert f'<form method="post" action="{path}"' in html


# -- how often ----------------------------------------------------------------------------------


def test_at_most_one_mail_a_week_per_person(prog, noor, kop):
    assert len(run().sent) == 1
    later = builders.inspanning(
        prog, titel="Collectief tenzij", groep=groep(prog, "Projectgroep Collectief", noor)
    )
    update(later, TODAY - days(88))  # stale three days from now

    assert reminders.due_reminders(NOW + days(3)) == []
    assert run(NOW + days(3)).sent == []
    assert run(NOW + days(6) + datetime.timedelta(hours=16)).sent == []  # Sunday night
    result = run(NOW + days(7) - datetime.timedelta(minutes=1))  # next Monday, a bit early

    assert [[i.titel for i in r.inspanningen] for r in result.sent] == [["Collectief tenzij"]]
    assert len(mail.outbox) == 2


def test_an_inspanning_is_mentioned_once_per_stale_period(noor, kop):
    run()
    assert run(NOW + days(7)).sent == []
    assert run(NOW + days(14)).sent == []

    # An update ends the stale period; 91 days later a new one starts.
    update(kop, TODAY + days(20))
    assert run(NOW + days(21)).sent == []
    result = run(NOW + days(20 + 91))

    assert [r.user for r in result.sent] == [noor]
    assert Herinnering.objects.filter(user=noor, inspanning=kop).count() == 2


def test_running_twice_the_same_day_sends_nothing_twice(noor, kop):
    call_command("send_reminders", "--now", NOW.isoformat(), stdout=StringIO())
    out = StringIO()
    call_command(
        "send_reminders", "--now", (NOW + datetime.timedelta(hours=9)).isoformat(), stdout=out
    )

    assert len(mail.outbox) == 1
    assert Herinnering.objects.count() == 1
    assert out.getvalue().strip() == "0 herinneringen verstuurd."


def test_a_run_that_overlaps_another_sends_nothing_twice(noor, kop):
    due = reminders.due_reminders(NOW)
    run()  # another run got there first

    assert reminders._send_one(due[0], "http://koers.test", NOW) is False
    assert len(mail.outbox) == 1


# -- who gets nothing ---------------------------------------------------------------------------


def test_opted_out_no_address_and_inactive_accounts_get_nothing(prog, noor, kop):
    Profiel.objects.create(user=noor, herinneringen=False)
    zonder = person(prog, "zonder", email="")
    weg = person(prog, "weg")
    weg.is_active = False
    weg.save()
    aan = person(prog, "aan")
    Profiel.objects.create(user=aan, herinneringen=True)
    for user in (zonder, weg, aan):
        GroepLid.objects.create(groep=kop.groep, user=user)

    result = run()

    assert [r.user for r in result.sent] == [aan]
    assert [m.to for m in mail.outbox] == [["aan@example.org"]]
    assert set(Herinnering.objects.values_list("user", flat=True)) == {aan.pk}


def test_no_membership_or_an_archived_programme_means_nothing(prog, noor, kop):
    other = builders.programma(slug="gearchiveerd", gearchiveerd_op=NOW)
    Lidmaatschap.objects.create(user=noor, programma=other, rol=Rol.COALITIELID)
    builders.inspanning(other, titel="Oud project", groep=groep(other, "Oude groep", noor))
    Lidmaatschap.objects.filter(user=noor, programma=prog).delete()  # group place left behind

    assert run().due == []
    assert mail.outbox == []


# -- failures, dry run, the command --------------------------------------------------------------


def test_a_mail_that_fails_records_nothing_for_that_person_and_the_others_still_get_theirs(
    settings, prog, noor, kop
):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_reminders.FailsForSanne"}}
    sanne = person(prog, "sanne", last_name="Aalders")  # first in the run's order
    GroepLid.objects.create(groep=kop.groep, user=sanne)

    result = run()

    assert [r.user for r in result.sent] == [noor]
    assert [(r.user, "ConnectionRefusedError" in e) for r, e in result.failed] == [(sanne, True)]
    assert mentioned(sanne) == [] and mentioned(noor) == ["De Kop in Beeld"]
    # The next day Sanne is tried again.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert [r.user for r in run(NOW + days(1)).sent] == [sanne]


def test_the_command_reports_a_failure_and_exits_with_an_error(settings, prog, kop):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_reminders.FailsForSanne"}}
    GroepLid.objects.create(groep=kop.groep, user=person(prog, "sanne"))
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="1 herinnering kon niet worden verstuurd"):
        call_command("send_reminders", "--now", NOW.isoformat(), stdout=out, stderr=err)

    assert out.getvalue().strip() == "1 herinnering verstuurd (over 1 project of inspanning)."
    assert "Niet verstuurd aan Sanne <sanne@example.org>" in err.getvalue()


def test_dry_run_lists_who_would_get_what_and_sends_nothing(prog, noor, kop):
    out = StringIO()

    call_command("send_reminders", "--dry-run", "--now", NOW.isoformat(), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines == [
        "Zou mailen aan Noor <noor@example.org>: 3b De Kop in Beeld (AT)",
        "Proefdraai: 1 herinnering zou worden verstuurd; niets verstuurd.",
    ]
    assert mail.outbox == []
    assert not Herinnering.objects.exists()


def test_the_command_says_in_dutch_how_many_it_sent(prog, noor, kop):
    for name in ("sanne", "joost"):
        GroepLid.objects.create(groep=kop.groep, user=person(prog, name))
    out = StringIO()

    call_command("send_reminders", "--now", NOW.isoformat(), stdout=out)

    assert out.getvalue().strip() == "3 herinneringen verstuurd (over 3 projecten en inspanningen)."


def test_production_without_a_site_address_refuses_to_send(settings, noor, kop):
    settings.KOERS_SITE_URL = ""
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="KOERS_SITE_URL"):
        call_command("send_reminders", "--now", NOW.isoformat(), stdout=StringIO())
    assert mail.outbox == [] and not Herinnering.objects.exists()
