"""The reads behind the faseplan pages, each a fixed number of queries whatever the plan size."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from doelenboom.models import Bijdrage, Inspanning, OperationeelDoel
from fasering.models import Faseplan, FaseplanItem, Risico
from programmes.models import Organisatie, Programma


def faseplannen(programma: Programma) -> QuerySet[Faseplan]:
    return Faseplan.objects.filter(programma=programma).order_by("nummer")


def get_faseplan(programma: Programma, nummer: int) -> Faseplan:
    """The programme's plan with this number; 404 for any other (also another programme's)."""
    return get_object_or_404(Faseplan, programma=programma, nummer=nummer)


def plan_items(faseplan: Faseplan) -> list[FaseplanItem]:
    """All items of the plan with what the page shows of them, in three queries."""
    return list(
        FaseplanItem.objects.filter(faseplan=faseplan)
        .select_related("operationeel_doel__strategisch_doel__ambitie", "inspanning", "start_fase")
        .prefetch_related(Prefetch("partners", queryset=Organisatie.objects.order_by("naam")))
        .order_by("volgorde", "id")
    )


def open_risks(programma_id: int) -> list[Risico]:
    return list(
        Risico.objects.filter(programma_id=programma_id, status=Risico.Status.OPEN)
        .select_related("ambitie", "inspanning")
        .order_by("soort", "volgorde", "id")
    )


def programme_goals(programma: Programma) -> list[OperationeelDoel]:
    """The programme's operational goals in tree order, with their strategic goal."""
    return list(
        OperationeelDoel.objects.filter(strategisch_doel__ambitie__programma=programma)
        .select_related("strategisch_doel__ambitie")
        .order_by(
            "strategisch_doel__ambitie__volgorde",
            "strategisch_doel__ambitie__id",
            "strategisch_doel__volgorde",
            "strategisch_doel__id",
            "volgorde",
            "id",
        )
    )


def goal_inspanningen(goal: OperationeelDoel) -> list[Inspanning]:
    """The inspanningen of the goal's own programme that serve it, in tree order."""
    return list(
        Inspanning.objects.filter(
            doelen=goal, programma_id=goal.strategisch_doel.ambitie.programma_id
        ).order_by("volgorde", "id")
    )


def goals_inspanningen(programma: Programma, goal_ids: list[int]) -> dict[int, list[Inspanning]]:
    """Per goal, the programme's inspanningen that serve it, in tree order; one query."""
    found: dict[int, list[Inspanning]] = {pk: [] for pk in goal_ids}
    for bijdrage in (
        Bijdrage.objects.filter(operationeel_doel_id__in=goal_ids, inspanning__programma=programma)
        .select_related("inspanning")
        .order_by("inspanning__volgorde", "inspanning__id")
    ):
        found[bijdrage.operationeel_doel_id].append(bijdrage.inspanning)
    return found


def current_partners(programma: Programma) -> list[Organisatie]:
    """Organisations that are partner now (an ended partnership gets no new roles)."""
    return list(
        Organisatie.objects.filter(
            partnerschappen__programma=programma, partnerschappen__beeindigd_op__isnull=True
        ).order_by("naam")
    )
