import pytest

from tests import builders


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
