import pytest
from django.core.exceptions import ValidationError

from doelenboom.models import Bijdrage, Inspanning, InspanningPartner, OperationeelDoel
from programmes.models import Groep, Programma
from tests import builders


def test_inspanning_cannot_serve_a_goal_of_another_programme(prog):
    other_goal = builders.goal_chain(builders.programma(), titel="Doel elders")
    inspanning = builders.inspanning(prog)

    with pytest.raises(ValidationError) as excinfo:
        Bijdrage(inspanning=inspanning, operationeel_doel=other_goal).full_clean()

    message = excinfo.value.message_dict["operationeel_doel"][0]
    assert "eigen programma" in message
    assert "Doel elders" in message


def test_inspanning_may_serve_two_goals_of_its_own_programme(prog):
    first, second = builders.goal_chain(prog), builders.goal_chain(prog)
    inspanning = builders.inspanning(prog, doelen=[first, second])

    assert set(inspanning.doelen.all()) == {first, second}


def test_general_inspanning_serves_no_goal_and_belongs_to_the_programme(prog):
    inspanning = builders.inspanning(prog, categorie="organisatorisch")

    assert inspanning.doelen.count() == 0
    assert inspanning in prog.inspanningen.all()


def test_partner_of_an_inspanning_must_take_part_in_the_programme(prog):
    outsider = builders.organisatie(naam="Niet-partner")
    inspanning = builders.inspanning(prog)

    with pytest.raises(ValidationError) as excinfo:
        InspanningPartner(inspanning=inspanning, organisatie=outsider, rol="trekker").full_clean()

    assert "geen partner" in excinfo.value.message_dict["organisatie"][0]


def test_inspanning_refuses_a_group_of_another_programme(prog):
    groep = Groep.objects.create(
        programma=builders.programma(), naam="Werkgroep", soort="werkgroep"
    )
    inspanning = builders.inspanning(prog, groep=groep)

    with pytest.raises(ValidationError) as excinfo:
        inspanning.full_clean()

    assert "ander programma" in excinfo.value.message_dict["groep"][0]


def test_operational_goal_codes_are_unique_within_a_programme_only(prog):
    builders.goal_chain(prog, code="1.1")
    clash = OperationeelDoel(
        strategisch_doel=builders.goal_chain(prog).strategisch_doel, code="1.1"
    )
    clash.titel = "Dubbel"

    with pytest.raises(ValidationError) as excinfo:
        clash.full_clean()
    assert "1.1" in excinfo.value.message_dict["code"][0]

    elsewhere = builders.goal_chain(builders.programma(), code="1.1")
    elsewhere.full_clean()


def test_inspanning_codes_are_unique_within_a_programme(prog):
    builders.inspanning(prog, code="A1")

    clash = Inspanning(programma=prog, code="A1", titel="Ander", categorie="actie")
    with pytest.raises(ValidationError) as excinfo:
        clash.full_clean()
    assert "al in gebruik" in str(excinfo.value)


def test_programme_end_year_may_not_precede_start_year(db):
    programma = Programma(naam="X", slug="x", looptijd_start=2030, looptijd_eind=2024)

    with pytest.raises(ValidationError) as excinfo:
        programma.full_clean()

    assert "eindjaar" in str(excinfo.value)


def test_every_change_to_an_inspanning_is_kept_in_its_history(prog):
    inspanning = builders.inspanning(prog, titel="Oud")
    inspanning.titel = "Nieuw"
    inspanning.save()

    titles = list(inspanning.history.order_by("history_date").values_list("titel", flat=True))
    assert titles == ["Oud", "Nieuw"]


def test_links_between_goals_and_inspanningen_have_history_too(prog):
    goal = builders.goal_chain(prog)
    inspanning = builders.inspanning(prog, doelen=[goal])
    inspanning.bijdragen.get().delete()

    kinds = list(Bijdrage.history.order_by("history_date").values_list("history_type", flat=True))
    assert kinds == ["+", "-"]
