"""The rules of the goal tree's models, checked the way the app checks them: `full_clean()`.

Forms and the demo loader call `full_clean()` before saving, so that is what every test here
calls; each asserts the field and the Dutch message, so it fails when its rule is removed.
"""

from doelenboom.models import (
    Ambitie,
    Bijdrage,
    DoelPartner,
    Inspanning,
    InspanningPartner,
    OperationeelDoel,
)
from programmes.models import Groep
from tests import builders

# -- an inspanning serves goals of its own programme, each goal once ----------------------------


def test_inspanning_cannot_serve_a_goal_of_another_programme(prog):
    other_goal = builders.goal_chain(builders.programma(), titel="Doel elders")
    inspanning = builders.inspanning(prog)

    errors = builders.validation_errors(
        Bijdrage(inspanning=inspanning, operationeel_doel=other_goal).full_clean
    )

    assert errors == {
        "operationeel_doel": [
            "Een inspanning kan alleen bijdragen aan doelen van haar eigen programma; "
            "“Doel elders” hoort bij een ander programma."
        ]
    }


def test_inspanning_may_serve_two_goals_of_its_own_programme(prog):
    first, second = builders.goal_chain(prog), builders.goal_chain(prog)
    inspanning = builders.inspanning(prog)

    for goal in (first, second):
        bijdrage = Bijdrage(inspanning=inspanning, operationeel_doel=goal)
        bijdrage.full_clean()
        bijdrage.save()

    assert set(inspanning.doelen.all()) == {first, second}


def test_inspanning_serves_a_goal_only_once(prog):
    goal = builders.goal_chain(prog)
    inspanning = builders.inspanning(prog, doelen=[goal])

    errors = builders.validation_errors(
        Bijdrage(inspanning=inspanning, operationeel_doel=goal).full_clean
    )

    assert errors == {"__all__": ["Deze inspanning draagt al bij aan dit doel."]}


def test_general_inspanning_serves_no_goal_and_belongs_to_the_programme(prog):
    inspanning = Inspanning(programma=prog, titel="Nieuwsbrief", categorie="organisatorisch")

    inspanning.full_clean()
    inspanning.save()

    assert inspanning.doelen.count() == 0
    assert inspanning in prog.inspanningen.all()


# -- partners of an inspanning or a goal take part in the programme, each once ------------------


def test_partner_of_an_inspanning_must_take_part_in_the_programme(prog):
    outsider = builders.organisatie(naam="Niet-partner")
    inspanning = builders.inspanning(prog)

    errors = builders.validation_errors(
        InspanningPartner(inspanning=inspanning, organisatie=outsider, rol="trekker").full_clean
    )

    assert errors == {"organisatie": ["Deze organisatie is geen partner van dit programma."]}


def test_partner_of_the_programme_may_carry_an_inspanning(prog):
    hanze = builders.partner(prog, naam="Hanzehogeschool")
    inspanning = builders.inspanning(prog)

    InspanningPartner(inspanning=inspanning, organisatie=hanze, rol="trekker").full_clean()


def test_partner_of_a_goal_must_take_part_in_the_programme(prog):
    goal = builders.goal_chain(prog)
    outsider = builders.partner(builders.programma(), naam="Partner elders")

    errors = builders.validation_errors(
        DoelPartner(operationeel_doel=goal, organisatie=outsider).full_clean
    )

    assert errors == {"organisatie": ["Deze organisatie is geen partner van dit programma."]}


def test_partner_of_the_programme_may_serve_a_goal(prog):
    goal = builders.goal_chain(prog)

    DoelPartner(operationeel_doel=goal, organisatie=builders.partner(prog)).full_clean()


def test_organisation_is_partner_of_an_inspanning_and_of_a_goal_once(prog):
    hanze = builders.partner(prog)
    goal = builders.goal_chain(prog)
    inspanning = builders.inspanning(prog, partners=[(hanze, "trekker")])
    DoelPartner.objects.create(operationeel_doel=goal, organisatie=hanze)

    on_inspanning = builders.validation_errors(
        InspanningPartner(inspanning=inspanning, organisatie=hanze).full_clean
    )
    on_goal = builders.validation_errors(
        DoelPartner(operationeel_doel=goal, organisatie=hanze).full_clean
    )

    assert on_inspanning == {"__all__": ["Deze organisatie is al partner bij deze inspanning."]}
    assert on_goal == {"__all__": ["Deze organisatie is al partner bij dit doel."]}


# -- groups belong to the programme ---------------------------------------------------------------


def test_inspanning_refuses_a_group_of_another_programme(prog):
    groep = Groep.objects.create(
        programma=builders.programma(), naam="Werkgroep", soort="werkgroep"
    )
    inspanning = builders.inspanning(prog, groep=groep)

    assert builders.validation_errors(inspanning.full_clean) == {
        "groep": ["Deze groep hoort bij een ander programma."]
    }


def test_ambitie_refuses_a_group_of_another_programme(prog):
    groep = Groep.objects.create(programma=builders.programma(), naam="Coalitie", soort="coalitie")

    errors = builders.validation_errors(
        Ambitie(programma=prog, titel="Zelf oplossen", groep=groep).full_clean
    )

    assert errors == {"groep": ["Deze groep hoort bij een ander programma."]}


def test_ambitie_and_inspanning_may_have_a_group_of_their_own_programme(prog):
    groep = Groep.objects.create(programma=prog, naam="Coalitie", soort="coalitie")

    Ambitie(programma=prog, titel="Zelf oplossen", groep=groep).full_clean()
    Inspanning(programma=prog, titel="Project", categorie="project", groep=groep).full_clean()


# -- codes are unique within a programme ----------------------------------------------------------


def test_operational_goal_code_is_refused_when_taken_in_the_programme(prog):
    builders.goal_chain(prog, code="1.1")
    other_branch = builders.goal_chain(prog).strategisch_doel

    errors = builders.validation_errors(
        OperationeelDoel(strategisch_doel=other_branch, code="1.1", titel="Dubbel").full_clean
    )

    assert errors == {"code": ["Code 1.1 is in dit programma al in gebruik."]}


def test_operational_goal_keeps_its_own_code_and_another_programme_may_use_it(prog):
    goal = builders.goal_chain(prog, code="1.1")
    elsewhere = builders.goal_chain(builders.programma(), code="1.1")

    goal.titel = "Nieuwe titel"
    goal.full_clean()  # its own code is no clash
    elsewhere.full_clean()


def test_inspanning_code_is_refused_when_taken_in_the_programme(prog):
    builders.inspanning(prog, code="A1")

    errors = builders.validation_errors(
        Inspanning(programma=prog, code="A1", titel="Ander", categorie="actie").full_clean
    )

    assert errors == {"__all__": ["Deze code is in dit programma al in gebruik."]}


def test_inspanningen_without_a_code_and_in_other_programmes_may_share_one(prog):
    builders.inspanning(prog, code="")
    builders.inspanning(prog, code="A1")

    Inspanning(programma=prog, code="", titel="Ook zonder code", categorie="actie").full_clean()
    Inspanning(
        programma=builders.programma(), code="A1", titel="Elders", categorie="actie"
    ).full_clean()


# -- history ------------------------------------------------------------------------------------


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
