import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test.utils import override_settings

from avk.demo import DEMO_ADMIN, load_demo
from tests import builders

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


# -- the demo data, loaded once and shared ------------------------------------------------------
#
# Loading the demo takes seconds, so it is committed to the test database once and kept there
# for every test that asks for `demo`; those tests still run in a transaction that is rolled
# back. Every other test gets the empty database it expects: the demo is flushed before it.
# Transactional tests (the browser tests) flush the whole database when they end, so the
# demo is reloaded whenever a test asks for it and finds it gone. Correct in any order and on
# any xdist worker; fast when tests that use the demo run one after another.


def _demo_is_loaded() -> bool:
    # Committed data is either the whole demo or nothing: a test that used the demo rolled
    # its changes back, and a transactional test flushed everything.
    return get_user_model().objects.filter(username=DEMO_ADMIN).exists()


@pytest.fixture
def _database_state(request, django_db_setup, django_db_blocker):
    """Commit the demo for tests that ask for it; give every other test an empty database."""
    wants_demo = "demo" in request.fixturenames
    with django_db_blocker.unblock():
        loaded = _demo_is_loaded()
        if wants_demo and not loaded:
            # The autouse `_fast_passwords` may not be active yet; hashing eleven demo
            # passwords the slow way would cost seconds.
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                load_demo()
        elif loaded and not wants_demo:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def _django_db_helper(_database_state, _django_db_helper):
    """pytest-django's own helper, which opens each test's transaction (or, for transactional
    tests, flushes afterwards), now runs after `_database_state`: every database test, whether
    it asks for `db`, `transactional_db`, `live_server` or uses the `django_db` mark, passes here
    before its transaction starts, so the demo is committed and not rolled back with the test.
    """
    return _django_db_helper


@pytest.fixture
def demo(db):
    """Both demo programmes (AVK and KvNH) with their accounts, as `load_demo` makes them."""


# -- small shared fixtures ----------------------------------------------------------------------


@pytest.fixture
def prog(db):
    return builders.programma(naam="Alliantie Test", slug="test", korte_naam="AT")


@pytest.fixture
def cast(prog):
    """One user per role in `prog`, plus an outsider who is a member elsewhere."""
    elsewhere = builders.programma(slug="elders")
    return {
        "leider": builders.member(prog, "programmaleider", "leider"),
        "team": builders.member(prog, "programmateam", "team"),
        "stuurgroep": builders.member(prog, "stuurgroep", "stuurgroep"),
        "coalitielid": builders.member(prog, "coalitielid", "coalitielid"),
        "lezer": builders.member(prog, "lezer", "lezer"),
        "buitenstaander": builders.member(elsewhere, "programmaleider", "buitenstaander"),
    }
