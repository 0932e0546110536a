"""The rules of programmes, memberships and groups, checked with `full_clean()` as the app does.

Constraints are also checked on their own (`validate_constraints()`), so a test fails when the
constraint goes even though `clean()` says the same thing.
"""

import pytest

from programmes.models import (
    Groep,
    GroepLid,
    Lidmaatschap,
    Partnerschap,
    Programma,
    Rol,
)
from tests import builders


def _programma(**kw) -> Programma:
    return Programma(**{"naam": "Regiovisie", "slug": "regio", **kw})


def test_programme_end_year_may_not_precede_start_year_said_at_the_end_year(db):
    programma = _programma(looptijd_start=2030, looptijd_eind=2024)

    errors = builders.validation_errors(programma.full_clean)

    assert errors["looptijd_eind"] == ["Het eindjaar ligt vóór het beginjaar."]


def test_database_constraint_refuses_an_end_year_before_the_start_year_too(db):
    programma = _programma(looptijd_start=2030, looptijd_eind=2024)

    errors = builders.validation_errors(programma.validate_constraints)

    assert errors == {"__all__": ["Het eindjaar ligt vóór het beginjaar."]}


def test_programme_of_one_year_is_valid(db):
    _programma(looptijd_start=2024, looptijd_eind=2024).full_clean()


def test_organisation_takes_part_in_a_programme_once(prog):
    org = builders.partner(prog)

    errors = builders.validation_errors(Partnerschap(programma=prog, organisatie=org).full_clean)

    assert errors == {"__all__": ["Deze organisatie is al partner in dit programma."]}


def test_user_has_one_role_per_programme(prog):
    user = builders.member(prog, Rol.LEZER)

    errors = builders.validation_errors(
        Lidmaatschap(user=user, programma=prog, rol=Rol.PROGRAMMATEAM).full_clean
    )

    assert errors == {"__all__": ["Deze gebruiker heeft al een rol in dit programma."]}


def test_group_names_are_unique_within_a_programme_only(prog):
    Groep.objects.create(programma=prog, naam="Stuurgroep", soort="stuurgroep")

    errors = builders.validation_errors(
        Groep(programma=prog, naam="Stuurgroep", soort="werkgroep").full_clean
    )
    Groep(programma=builders.programma(), naam="Stuurgroep", soort="stuurgroep").full_clean()

    assert errors == {"__all__": ["Er is al een groep met deze naam in dit programma."]}


@pytest.fixture
def groep(prog):
    return Groep.objects.create(programma=prog, naam="Coalitie ambitie 3", soort="coalitie")


def test_group_member_is_someone(groep):
    errors = builders.validation_errors(GroepLid(groep=groep).validate_constraints)

    assert errors == {
        "__all__": ["Een groepslid is een organisatie, een gebruiker of een persoon."]
    }


@pytest.mark.parametrize("who", ["organisatie", "user", "persoon"])
def test_group_member_is_an_organisation_a_user_or_a_person(prog, groep, who):
    values = {
        "organisatie": lambda: {"organisatie": builders.partner(prog)},
        "user": lambda: {"user": builders.member(prog, Rol.LEZER)},
        "persoon": lambda: {"persoon": "Programmamanager"},
    }[who]()

    GroepLid(groep=groep, **values).full_clean()


def test_user_in_a_group_must_have_a_role_in_its_programme(groep):
    outsider = builders.member(builders.programma(), Rol.PROGRAMMALEIDER)

    errors = builders.validation_errors(GroepLid(groep=groep, user=outsider).full_clean)

    assert errors == {"user": ["Deze gebruiker heeft geen rol in het programma van deze groep."]}
