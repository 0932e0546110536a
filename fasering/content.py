"""The content of a faseplan: one JSON-serialisable dict that every view of a plan reads.

The live page builds it from the data (`build_content`); adoption stores it as the plan's
snapshot, so an adopted plan shows exactly what it showed then, whatever the tree does later.
The shape is shared with adoption, comparison and the network planning: keep its keys.
"""

import datetime

from babel.dates import format_date

from core.formats import LOCALE
from fasering import queries
from fasering.models import Faseplan, FaseplanItem, Risico

TEXT_SECTIONS = ("context", "keuzes", "structurele_activiteiten", "organisatie")


def month_key(value: datetime.date | None) -> str | None:
    """A stored month (its first day) as "YYYY-MM"."""
    return value.strftime("%Y-%m") if value else None


def parse_month_key(value: str) -> datetime.date:
    """ "YYYY-MM" as the first day of that month; ValueError when it is not one."""
    year, month = value.split("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(value)
    return datetime.date(int(year), int(month), 1)


def month_label(value: str | datetime.date | None) -> str:
    """A month in Dutch: "augustus 2023"."""
    if not value:
        return ""
    if isinstance(value, str):
        value = parse_month_key(value)
    return format_date(value, "MMMM y", locale=LOCALE)


def period_label(start: str | datetime.date | None, eind: str | datetime.date | None) -> str:
    """A period in Dutch, the months joined by an en dash: "augustus 2023 \u2013 juli 2024"."""
    return f"{month_label(start)} \u2013 {month_label(eind)}"


def _partners(item: FaseplanItem) -> list[dict]:
    named = [{"naam": org.naam, "organisatie_id": org.pk} for org in item.partners.all()]
    free = [
        {"naam": line.strip(), "organisatie_id": None}
        for line in item.partners_vrij.splitlines()
        if line.strip()
    ]
    return named + free


def _item_fields(item: FaseplanItem) -> dict:
    return {
        "item_id": item.pk,
        "start_fase": item.start_fase.naam if item.start_fase else None,
        "loopt_door": item.loopt_door,
        "partners": _partners(item),
        "middelen": {"klasse": item.middelen, "toelichting": item.middelen_toelichting},
        "toelichting": item.toelichting,
    }


def _risk(risico: Risico) -> dict:
    bij = risico.inspanning or risico.ambitie
    return {
        "id": risico.pk,
        "soort": risico.soort,
        "omschrijving": risico.omschrijving,
        "kans": risico.kans,
        "impact": risico.impact,
        "beheersmaatregel": risico.beheersmaatregel,
        "eigenaar": risico.eigenaar,
        "status": risico.status,
        "bij": str(bij.titel) if bij else "",
    }


def build_content(faseplan: Faseplan) -> dict:
    """Everything the plan shows, from the live data, in a fixed number of queries."""
    goals: list[dict] = []
    by_goal: dict[int, dict] = {}
    inspanning_items: list[FaseplanItem] = []
    for item in queries.plan_items(faseplan):
        if item.inspanning_id is not None:
            inspanning_items.append(item)
            continue
        doel = item.operationeel_doel
        entry = {
            **_item_fields(item),
            "doel_id": doel.pk,
            "code": doel.code,
            "titel": doel.titel,
            "strategisch_doel": doel.strategisch_doel.titel,
            "inspanningen": [],
        }
        entry = {"item_id": entry.pop("item_id"), **entry}
        goals.append(entry)
        by_goal[doel.pk] = entry
    for item in inspanning_items:
        goal = by_goal.get(item.operationeel_doel_id)
        if goal is None:
            continue  # an inspanning whose goal left the plan is not shown
        goal["inspanningen"].append(
            {
                "item_id": item.pk,
                "inspanning_id": item.inspanning_id,
                "code": item.inspanning.code,
                "titel": item.inspanning.titel,
                **{k: v for k, v in _item_fields(item).items() if k != "item_id"},
            }
        )
    return {
        "nummer": faseplan.nummer,
        "titel": faseplan.titel,
        "status": faseplan.status,
        "periode": {"start": month_key(faseplan.start), "eind": month_key(faseplan.eind)},
        "fases": [
            {"naam": fase.naam, "start": month_key(fase.start), "eind": month_key(fase.eind)}
            for fase in faseplan.fases.order_by("start", "id")
        ],
        "teksten": {name: getattr(faseplan, name) for name in TEXT_SECTIONS},
        "doelen": goals,
        "risicos": [_risk(r) for r in queries.open_risks(faseplan.programma_id)],
    }


def content_of(faseplan: Faseplan) -> dict:
    """What the plan's page shows: the snapshot of a frozen plan, else the live content."""
    if faseplan.snapshot is not None:
        return faseplan.snapshot
    return build_content(faseplan)
