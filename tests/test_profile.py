"""The profile page: name and e-mail shown, the name editable, the reminder switch saved."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from programmes import profile
from programmes.models import Profiel
from tests import builders

pytestmark = pytest.mark.django_db

URL = "/profiel/"


@pytest.fixture
def noor(db):
    return builders.user("noor", email="noor@example.org", first_name="Noor", last_name="Bakker")


def _post(client, **changes):
    data = {"first_name": "Noor", "last_name": "Bakker", "herinneringen": "on", **changes}
    return client.post(URL, {k: v for k, v in data.items() if v is not None}, follow=True)


def test_page_shows_name_and_e_mail_and_the_switch_on_without_a_profile_row(client, noor):
    assert not Profiel.objects.filter(user=noor).exists()
    client.force_login(noor)

    html = client.get(URL).content.decode()

    assert "noor@example.org" in html
    assert 'value="Noor"' in html and 'value="Bakker"' in html
    assert 'role="switch" name="herinneringen" id="id_herinneringen"' in html
    assert 'id="id_herinneringen" aria-describedby="id_herinneringen-hulp" checked>' in html


def test_switching_reminders_off_saves_creates_the_profile_and_confirms(client, noor):
    client.force_login(noor)

    response = _post(client, herinneringen=None)

    html = response.content.decode()
    assert response.redirect_chain == [(URL, 302)]
    assert "Herinneringen per e-mail staan uit" in html
    profiel = Profiel.objects.get(user=noor)
    assert profiel.herinneringen is False
    assert profiel.history.first().history_change_reason == "Profiel aangemaakt op de profielpagina"
    assert "checked>" not in html.split('id="id_herinneringen"')[1][:80]

    response = _post(client)
    assert "Herinneringen per e-mail staan aan." in response.content.decode()
    profiel.refresh_from_db()
    assert profiel.herinneringen is True
    assert profiel.history.first().history_change_reason == "Herinneringen per e-mail aangezet"


def test_name_is_saved_and_nothing_changed_says_so(client, noor):
    client.force_login(noor)

    response = _post(client, first_name="  Noor  ", last_name="de  Vries")

    assert "Uw naam is opgeslagen." in response.content.decode()
    noor.refresh_from_db()
    assert noor.get_full_name() == "Noor de Vries"
    again = _post(client, last_name="de Vries")
    assert "Niets gewijzigd." in again.content.decode()


def test_an_empty_name_is_named_and_nothing_is_written(client, noor):
    client.force_login(noor)

    response = _post(client, first_name="", last_name="Jansen", herinneringen=None)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Voornaam: Vul uw voornaam in." in html
    noor.refresh_from_db()
    assert noor.last_name == "Bakker"
    assert not Profiel.objects.filter(user=noor).exists()


def test_the_service_refuses_a_blank_name_naming_the_field(noor):
    with pytest.raises(ValidationError) as refused:
        profile.update_profile(noor, first_name="Noor", last_name="   ", herinneringen=False)
    assert refused.value.message_dict == {"last_name": ["Vul uw achternaam in."]}
    assert not Profiel.objects.filter(user=noor).exists()


def test_another_users_profile_is_unreachable(client, noor):
    other = builders.user("sanne", email="sanne@example.org", first_name="Sanne")
    client.force_login(other)

    # There is no address for someone else's profile, and a crafted field changes nothing.
    assert client.get(f"{URL}{noor.pk}/").status_code == 404
    page = client.get(URL).content.decode()
    assert "sanne@example.org" in page and "noor@example.org" not in page
    _post(client, first_name="Sanne", last_name="Smit", user=noor.pk, herinneringen=None)

    noor.refresh_from_db()
    assert noor.get_full_name() == "Noor Bakker"
    assert not Profiel.objects.filter(user=noor).exists()
    assert Profiel.objects.get(user=other).herinneringen is False
    assert get_user_model().objects.get(pk=other.pk).last_name == "Smit"


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")
