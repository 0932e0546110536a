"""Headers on every response: private caching for logged-in users, a strict Permissions-Policy."""

import pytest
from django.contrib.auth import get_user_model

from tests import builders

pytestmark = pytest.mark.django_db

DENIED = ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"]


def _policy(response) -> list[str]:
    return [part.strip() for part in response["Permissions-Policy"].split(",")]


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("iemand", password="geheim-wachtwoord")


def test_pages_for_a_logged_in_user_stay_out_of_shared_caches(client, user):
    client.force_login(user)

    response = client.get("/programmas/")

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_htmx_fragments_for_a_logged_in_user_are_private_too(client, user):
    client.force_login(user)

    response = client.get("/programmas/", headers={"HX-Request": "true"})

    assert "private" in response["Cache-Control"]


def test_a_no_store_download_keeps_its_stricter_header(client):
    prog = builders.programma(slug="avk")
    client.force_login(builders.member(prog, "lezer"))

    response = client.get("/programmas/avk/doelenboom/inspanningen.xlsx")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_anonymous_responses_are_not_marked_private(client):
    response = client.get("/programmas/")

    assert response.status_code == 302
    assert "private" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("logged_in", [False, True])
def test_every_page_denies_powerful_browser_features(client, user, logged_in):
    if logged_in:
        client.force_login(user)

    for path in ("/inloggen/", "/programmas/", "/bestaat-niet/"):
        policy = _policy(client.get(path))
        assert set(DENIED) <= set(policy), path


def test_static_files_carry_the_permissions_policy_too(client):
    response = client.get("/static/img/favicon.svg")

    assert response.status_code == 200
    assert set(DENIED) <= set(_policy(response))
