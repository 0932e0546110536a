"""Invitations: the mail and its link, accepting (new account or existing one), links that no
longer work, and naming the programmaleider when starting a programme."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from core.formats import long_date
from programmes import members
from programmes.models import Groep, GroepLid, Lidmaatschap, Rol, Uitnodiging
from tests import builders

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"http://testserver/uitnodiging/([A-Za-z0-9_-]+)/")
NEW_PERSON = {
    "first_name": "Noor",
    "last_name": "de Vries",
    "password1": "zeilboot-Texel-2026",
    "password2": "zeilboot-Texel-2026",
}


class BrokenMailServer(BaseEmailBackend):
    """A mail server that cannot be reached."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def leider(cast):
    user = cast["leider"]
    user.first_name, user.last_name, user.email = "Lotte", "Leider", "lotte@example.org"
    user.save()
    return user


def _invite(client, prog, leider, email="noor@example.org", **data):
    client.force_login(leider)
    response = client.post(
        f"/programmas/{prog.slug}/leden/uitnodigen/",
        {"email": email, "rol": "programmateam", **data},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return _token_of(mail.outbox[-1])


def _token_of(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def _link(token: str) -> str:
    return f"/uitnodiging/{token}/"


# -- the mail -------------------------------------------------------------------------------


def test_invitation_mail_names_programme_role_inviter_expiry_and_an_absolute_link(
    client, prog, leider
):
    token = _invite(client, prog, leider)

    message = mail.outbox[0]
    invitation = Uitnodiging.objects.get()
    assert message.to == ["noor@example.org"]
    assert message.subject == "Uitnodiging voor Alliantie Test in Koers"
    assert "Lotte Leider nodigt u uit voor het programma Alliantie Test" in message.body
    assert "als programmateam" in message.body
    expiry = long_date(timezone.localtime(invitation.verloopt_op))
    assert re.fullmatch(r"\d{1,2} [a-z]+ \d{4}", expiry)
    assert f"tot {expiry}" in message.body
    assert f"http://testserver/uitnodiging/{token}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="http://testserver/uitnodiging/{token}/"' in html
    # 14 days, and only a hash of the token is stored.
    assert invitation.verloopt_op - invitation.aangemaakt_op == pytest.approx(
        timedelta(days=14), abs=timedelta(seconds=5)
    )
    assert invitation.token_hash == members.hash_token(token)
    assert token not in str(Uitnodiging.objects.values().get())


def test_mail_server_down_means_no_invitation_and_a_clear_message(client, prog, leider, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_invitations.BrokenMailServer"}}
    client.force_login(leider)

    response = client.post(
        f"/programmas/{prog.slug}/leden/uitnodigen/",
        {"email": "noor@example.org", "rol": "lezer"},
    )

    assert response.status_code == 200
    assert "kon niet worden verstuurd" in response.content.decode()
    assert not Uitnodiging.objects.exists()
    assert not Uitnodiging.history.exists()


def test_smtp_is_used_when_its_environment_variables_are_set_console_otherwise():
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KOERS_")}
    script = (
        "from django.conf import settings as s; m = s.MAILERS['default'];"
        "o = m.get('OPTIONS', {});"
        "print(m['BACKEND'], o.get('host'), o.get('port'), o.get('use_tls'), s.DEFAULT_FROM_EMAIL)"
    )
    smtp = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **clean,
            "KOERS_EMAIL_HOST": "smtp.example.nl",
            "KOERS_EMAIL_PORT": "2525",
            "KOERS_EMAIL_USE_TLS": "false",
            "KOERS_DEFAULT_FROM_EMAIL": "koers@example.nl",
        },
    )
    console = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=clean,
    )
    production = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **{k: v for k, v in clean.items() if not k.startswith("DJANGO_")},
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": "k3#" + "p9Xq" * 20,
            "DJANGO_ALLOWED_HOSTS": "koers.example.nl",
        },
    )

    assert smtp.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.nl",
        "2525",
        "False",
        "koers@example.nl",
    ], smtp.stderr
    assert console.stdout.split()[0] == "django.core.mail.backends.console.EmailBackend"
    # Production never prints mail to a console: a local relay unless a server is named.
    assert production.stdout.split()[:3] == [
        "django.core.mail.backends.smtp.EmailBackend",
        "localhost",
        "25",
    ], production.stderr


# -- accepting ------------------------------------------------------------------------------


def test_new_person_sets_a_password_is_logged_in_and_lands_on_the_programme(client, prog, leider):
    groep = Groep.objects.create(programma=prog, naam="Werkgroep Monitoring", soort="werkgroep")
    token = _invite(client, prog, leider, groep=groep.pk)

    page = client.get(_link(token))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lotte Leider nodigt u uit als programmateam in het programma Alliantie Test" in html
    assert "Werkgroep Monitoring" in html
    assert 'value="noor@example.org"' in html  # the login name to be
    response = client.post(_link(token), NEW_PERSON)

    assert response.status_code == 302
    assert response["Location"] == f"/programmas/{prog.slug}/"
    user = get_user_model().objects.get(email="noor@example.org")
    assert user.get_username() == "noor@example.org"
    assert user.get_full_name() == "Noor de Vries"
    assert user.check_password("zeilboot-Texel-2026")
    assert Lidmaatschap.objects.get(user=user).rol == Rol.PROGRAMMATEAM
    assert GroepLid.objects.get(groep=groep).user == user
    invitation = Uitnodiging.objects.get()
    assert invitation.gebruikt_door == user and invitation.gebruikt_op is not None
    landing = client.get(response["Location"])
    assert landing.status_code == 200  # logged in, and a member
    assert "U bent nu Programmateam in Alliantie Test" in landing.content.decode()
    # Every write is in the history, in the new member's name.
    lid_history = Lidmaatschap.history.get(user_id=user.pk)
    assert lid_history.history_user == user
    assert (
        lid_history.history_change_reason == "Lid geworden via een uitnodiging, als Programmateam"
    )
    assert invitation.history.first().history_change_reason == (
        "Uitnodiging aangenomen door Noor de Vries"
    )


def test_password_the_validators_refuse_creates_nothing(client, prog, leider):
    token = _invite(client, prog, leider)

    response = client.post(_link(token), {**NEW_PERSON, "password1": "1234", "password2": "1234"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Controleer het formulier" in html
    assert "Wachtwoord: " in html  # the summary names the field
    assert not get_user_model().objects.filter(email="noor@example.org").exists()
    assert Uitnodiging.objects.get().gebruikt_op is None


def test_link_works_once(client, prog, leider):
    token = _invite(client, prog, leider)
    client.post(_link(token), NEW_PERSON)
    client.logout()

    again = client.get(_link(token))
    posted = client.post(_link(token), {**NEW_PERSON, "first_name": "Iemand"})

    assert again.status_code == 410
    assert "Deze uitnodiging is al gebruikt" in again.content.decode()
    assert posted.status_code == 410
    assert get_user_model().objects.filter(email="noor@example.org").count() == 1


def test_opening_an_accepted_link_again_as_its_user_goes_to_the_programme(client, prog, leider):
    token = _invite(client, prog, leider)
    client.post(_link(token), NEW_PERSON)

    response = client.get(_link(token))

    assert response.status_code == 302
    assert response["Location"] == f"/programmas/{prog.slug}/"


def test_expired_link_is_refused_and_says_whom_to_ask(client, prog, leider):
    token = _invite(client, prog, leider)
    invitation = Uitnodiging.objects.get()
    invitation.verloopt_op = timezone.now() - timedelta(minutes=1)
    invitation.save()

    page = client.get(_link(token))
    posted = client.post(_link(token), NEW_PERSON)

    assert page.status_code == 410
    html = page.content.decode()
    assert "Deze uitnodiging is verlopen" in html
    assert "Vraag Lotte Leider, die u uitnodigde" in html
    assert posted.status_code == 410
    assert not get_user_model().objects.filter(email="noor@example.org").exists()


def test_withdrawn_link_is_refused(client, prog, leider):
    token = _invite(client, prog, leider)
    invitation = Uitnodiging.objects.get()
    client.force_login(leider)
    client.post(f"/programmas/{prog.slug}/leden/uitnodigingen/{invitation.pk}/intrekken/")
    client.logout()

    response = client.get(_link(token))

    assert response.status_code == 410
    assert "Deze uitnodiging is ingetrokken" in response.content.decode()
    assert client.post(_link(token), NEW_PERSON).status_code == 410
    assert not Lidmaatschap.objects.filter(user__email="noor@example.org").exists()


def test_unknown_link_is_not_found_with_a_clear_page(client, db):
    response = client.get(_link("bestaat-niet"))

    assert response.status_code == 404
    assert "Deze uitnodiging kennen we niet" in response.content.decode()


def test_a_new_invitation_replaces_the_open_one(client, prog, leider):
    first = _invite(client, prog, leider)
    second = _invite(client, prog, leider, email="NOOR@example.org")

    assert client.get(_link(first)).status_code == 410
    assert client.get(_link(second)).status_code == 200
    assert Uitnodiging.objects.filter(ingetrokken_op__isnull=True).count() == 1


def test_existing_account_logs_in_and_accepts_into_the_group(client, prog, leider):
    groep = Groep.objects.create(programma=prog, naam="Stuurgroep", soort="stuurgroep")
    existing = builders.user("sanne", email="sanne@example.org", first_name="Sanne")
    token = _invite(
        client, prog, leider, email="Sanne@Example.org", rol="stuurgroep", groep=groep.pk
    )

    anonymous = client.get(_link(token))
    assert "Er is al een account met het e-mailadres" in anonymous.content.decode()
    assert f"/inloggen/?next=/uitnodiging/{token}/" in anonymous.content.decode()
    client.force_login(existing)
    assert "Uitnodiging aannemen" in client.get(_link(token)).content.decode()
    response = client.post(_link(token))

    assert response.status_code == 302
    assert response["Location"] == f"/programmas/{prog.slug}/"
    assert Lidmaatschap.objects.get(user=existing).rol == Rol.STUURGROEP
    assert GroepLid.objects.get(groep=groep).user == existing
    assert get_user_model().objects.filter(email__iexact="sanne@example.org").count() == 1


def test_logged_in_as_someone_else_is_told_so_and_nothing_is_written(client, prog, leider):
    token = _invite(client, prog, leider)
    other = builders.user("ander", email="ander@example.org")
    client.force_login(other)

    page = client.get(_link(token))
    posted = client.post(_link(token))

    assert page.status_code == posted.status_code == 403
    assert "maar deze uitnodiging is voor noor@example.org" in page.content.decode()
    assert not Lidmaatschap.objects.filter(user=other).exists()
    assert Uitnodiging.objects.get().gebruikt_op is None
    with pytest.raises(members.WrongAccount):
        members.accept_invitation(token, user=other)


def test_accepting_replaces_a_role_the_user_already_has_in_history(client, prog, leider):
    token = _invite(client, prog, leider)  # as programmateam
    noor = builders.user("noor", email="noor@example.org")
    Lidmaatschap.objects.create(user=noor, programma=prog, rol=Rol.LEZER)
    client.force_login(noor)

    client.post(_link(token))

    lid = Lidmaatschap.objects.get(user=noor)
    assert lid.rol == Rol.PROGRAMMATEAM
    assert lid.history.first().history_change_reason == (
        "Rol gewijzigd van Lezer naar Programmateam via een uitnodiging"
    )


def test_a_token_for_one_programme_gives_nothing_in_another(client, prog, leider, cast):
    token = _invite(client, prog, leider)
    client.post(_link(token), NEW_PERSON)
    noor = get_user_model().objects.get(email="noor@example.org")
    elders = cast["buitenstaander"].lidmaatschappen.get().programma

    assert client.get(f"/programmas/{prog.slug}/leden/").status_code == 200
    assert client.get(f"/programmas/{elders.slug}/leden/").status_code == 404
    assert client.get(f"/programmas/{elders.slug}/").status_code == 404
    assert list(noor.lidmaatschappen.values_list("programma__slug", flat=True)) == [prog.slug]


def test_invitation_into_another_programmes_group_is_refused(client, prog, leider, cast):
    elders = cast["buitenstaander"].lidmaatschappen.get().programma
    Groep.objects.create(programma=prog, naam="Eigen groep", soort="werkgroep")
    vreemd = Groep.objects.create(programma=elders, naam="Andere groep", soort="werkgroep")
    client.force_login(leider)

    response = client.post(
        f"/programmas/{prog.slug}/leden/uitnodigen/",
        {"email": "noor@example.org", "rol": "lezer", "groep": vreemd.pk},
    )

    assert response.status_code == 200
    assert "Groep: Kies een groep van dit programma." in response.content.decode()
    assert not Uitnodiging.objects.exists()
    assert mail.outbox == []
    with pytest.raises(ValidationError) as refused:
        members.invite_member(
            programma=prog,
            email="noor@example.org",
            rol="lezer",
            groep=vreemd,
            invited_by=leider,
            absolute_url=lambda path: f"http://testserver{path}",
        )
    assert refused.value.message_dict == {"groep": ["Kies een groep van dit programma."]}


def test_inviting_an_existing_member_is_refused_with_the_field_named(client, prog, leider, cast):
    cast["team"].email = "team@example.org"
    cast["team"].save()
    client.force_login(leider)

    response = client.post(
        f"/programmas/{prog.slug}/leden/uitnodigen/",
        {"email": "TEAM@example.org", "rol": "lezer"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "E-mailadres: TEAM@example.org is al lid van dit programma" in html
    assert not Uitnodiging.objects.exists()


# -- naming the programmaleider when starting a programme -----------------------------------


def _start(client, **extra):
    data = {
        "naam": "Regiovisie Kop van Noord-Holland",
        "korte_naam": "KvNH",
        "slug": "",
        "looptijd_start": "2024",
        "looptijd_eind": "2029",
        "werkgebied": "Texel",
        "label_ambitie": "Ambitie",
        "label_ambitie_mv": "Ambities",
        "label_strategisch_doel": "Thema",
        "label_strategisch_doel_mv": "Thema's",
        "label_operationeel_doel": "Doelstelling",
        "label_operationeel_doel_mv": "Doelstellingen",
        "label_inspanning": "Project",
        "label_inspanning_mv": "Projecten",
        **extra,
    }
    return client.post("/programmas/nieuw/", data)


@pytest.fixture
def admin(db):
    user = builders.user("beheerder", email="beheer@example.org")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def test_naming_an_existing_account_makes_them_leader_and_the_creator_team(client, admin):
    bram = builders.user("bram", email="bram@example.org", first_name="Bram", last_name="Bakker")
    client.force_login(admin)

    response = _start(client, programmaleider="Bram@example.org")

    assert response.status_code == 302
    roles = dict(Lidmaatschap.objects.values_list("user__username", "rol"))
    assert roles == {"bram": Rol.PROGRAMMALEIDER, "beheerder": Rol.PROGRAMMATEAM}
    assert mail.outbox[0].to == ["bram@example.org"]
    assert "U bent programmaleider van Regiovisie Kop van Noord-Holland" in mail.outbox[0].subject
    assert "http://testserver/programmas/kvnh/" in mail.outbox[0].body
    landing = client.get(response["Location"]).content.decode()
    assert "Bram Bakker is de programmaleider" in landing
    assert "u bent lid van het programmateam" in landing
    assert not Uitnodiging.objects.exists()
    assert bram.lidmaatschappen.get().history.get().history_change_reason == (
        "Programmaleider genoemd bij de start van het programma"
    )


def test_naming_a_new_person_invites_them_as_leader(client, admin):
    client.force_login(admin)

    response = _start(client, programmaleider="nieuw@example.org")

    assert response.status_code == 302
    invitation = Uitnodiging.objects.get()
    assert (invitation.email, invitation.rol) == ("nieuw@example.org", Rol.PROGRAMMALEIDER)
    assert invitation.programma.slug == "kvnh"
    # Until they accept, the creator leads, so someone can follow the invitation up.
    assert Lidmaatschap.objects.get().user == admin
    assert Lidmaatschap.objects.get().rol == Rol.PROGRAMMALEIDER
    assert (
        "is per e-mail uitgenodigd als programmaleider"
        in client.get(response["Location"]).content.decode()
    )
    client.logout()

    client.post(_link(_token_of(mail.outbox[0])), NEW_PERSON)

    nieuw = get_user_model().objects.get(email="nieuw@example.org")
    assert Lidmaatschap.objects.get(user=nieuw).rol == Rol.PROGRAMMALEIDER


def test_naming_nobody_or_yourself_keeps_the_creator_leader(client, admin):
    client.force_login(admin)

    _start(client, programmaleider="beheer@example.org")

    assert Lidmaatschap.objects.get().rol == Rol.PROGRAMMALEIDER
    assert not Uitnodiging.objects.exists()
    assert mail.outbox == []


def test_a_malformed_leader_address_is_named_and_nothing_is_started(client, admin):
    client.force_login(admin)

    response = _start(client, programmaleider="bram-at-example")

    assert response.status_code == 200
    assert response.context["form"].errors["programmaleider"] == [
        "Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl."
    ]
    assert not Lidmaatschap.objects.exists()


def test_leader_mail_that_cannot_be_sent_starts_nothing(client, admin, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_invitations.BrokenMailServer"}}
    client.force_login(admin)

    response = _start(client, programmaleider="nieuw@example.org")

    assert response.status_code == 200
    assert "kon niet worden verstuurd" in " ".join(
        response.context["form"].errors["programmaleider"]
    )
    assert not Lidmaatschap.objects.exists()
    assert not Uitnodiging.objects.exists()
