"""Demo data of the fasering: faseplannen, the project planning, risks and randvoorwaarden.

Read from the fixtures the top level loads (see avk.demo); format in fixtures/SCHEMA.md.
Idempotent like the rest of the demo: matched on natural keys, saved only when a value
differs. An adopted demo plan gets its snapshot from fasering.content, rebuilt on every load
and saved only when it differs, so a second load writes nothing.
"""

import datetime
from typing import Any

from core.loading import LoadReport, prune, texts, upsert
from doelenboom.models import Inspanning, OperationeelDoel
from fasering.content import TEXT_SECTIONS, build_content, parse_month_key
from fasering.models import Fase, Faseplan, FaseplanItem, Projectplanning, Risico
from programmes.demo import DemoProgramme


def load_fasering(data: dict[str, Any], loaded: DemoProgramme, report: LoadReport) -> None:
    """The faseplannen, project planning and risks of a fixture, under its programme."""
    programma = loaded.programma
    inspanningen = {i.code: i for i in Inspanning.objects.filter(programma=programma)}
    _load_risks(data.get("risicos", []), loaded, inspanningen, report)
    _load_planning(data.get("planning", []), loaded, inspanningen, report)
    for plan in data.get("faseplannen", []):
        _load_plan(plan, loaded, inspanningen, report)


def _month(value: str | None) -> datetime.date | None:
    return parse_month_key(value) if value else None


def _load_risks(
    rows: list[dict], loaded: DemoProgramme, inspanningen: dict, report: LoadReport
) -> None:
    programma = loaded.programma
    ambities = {a.code: a for a in programma.ambities.all()}
    for volgorde, row in enumerate(rows):
        # A risk has no code: its description is its natural key.
        upsert(
            report,
            Risico,
            {"programma": programma, "omschrijving": row["omschrijving"]},
            {
                "soort": row.get("soort", Risico.Soort.RISICO),
                "status": row.get("status", Risico.Status.OPEN),
                "ambitie": ambities[row["ambitie"]] if row.get("ambitie") else None,
                "inspanning": inspanningen[row["project"]] if row.get("project") else None,
                "volgorde": volgorde,
                **texts(row, "kans", "impact", "beheersmaatregel", "eigenaar"),
            },
        )


def _load_planning(
    rows: list[dict], loaded: DemoProgramme, inspanningen: dict, report: LoadReport
) -> None:
    keep = {
        upsert(
            report,
            Projectplanning,
            {"inspanning": inspanningen[row["project"]]},
            {
                "start": _month(row.get("start")),
                "start_na": inspanningen[row["start_na"]] if row.get("start_na") else None,
            },
        ).pk
        for row in rows
    }
    prune(report, Projectplanning.objects.filter(inspanning__programma=loaded.programma), keep)


def _load_plan(data: dict, loaded: DemoProgramme, inspanningen: dict, report: LoadReport) -> None:
    programma = loaded.programma
    plan = upsert(
        report,
        Faseplan,
        {"programma": programma, "nummer": data["nummer"]},
        {
            "titel": data["titel"],
            "start": _month(data["start"]),
            "eind": _month(data["eind"]),
            "status": data.get("status", Faseplan.Status.CONCEPT),
            "besloten_op": (
                datetime.date.fromisoformat(data["besloten_op"])
                if data.get("besloten_op")
                else None
            ),
            **texts(data, "besluit", *TEXT_SECTIONS),
        },
    )
    fases = {}
    for fase in data.get("fases", []):
        fases[fase["naam"]] = upsert(
            report,
            Fase,
            {"faseplan": plan, "naam": fase["naam"]},
            {"start": _month(fase["start"]), "eind": _month(fase["eind"])},
        )
    prune(report, plan.fases.all(), {f.pk for f in fases.values()})

    doelen = {
        d.code: d
        for d in OperationeelDoel.objects.filter(strategisch_doel__ambitie__programma=programma)
    }
    keep: set[int] = set()
    volgorde = 0
    for group in data.get("doelen", []):
        shared = _item_values(group, fases)
        for code in group["codes"]:
            item = _upsert_item(report, plan, doelen[code], None, shared, volgorde, loaded)
            keep.add(item.pk)
            volgorde += 1
        for row in group.get("inspanningen", []):
            values = {**_item_values(row, fases), **_shared_planning(group, row, fases)}
            item = _upsert_item(
                report,
                plan,
                doelen[row["doel"]],
                inspanningen[row["code"]],
                values,
                volgorde,
                loaded,
            )
            keep.add(item.pk)
            volgorde += 1
    prune(report, plan.items.all(), keep)

    if plan.status in (Faseplan.Status.VASTGESTELD, Faseplan.Status.VERVANGEN):
        _freeze(plan, report)


def _item_values(row: dict, fases: dict) -> dict:
    return {
        "start_fase": fases[row["start_fase"]] if row.get("start_fase") else None,
        "loopt_door": row.get("loopt_door", False),
        "middelen": row.get("middelen", "onbekend"),
        # None: the documents name none, so the tree's partners stand, as for a new item.
        "partners": row.get("partners"),
        **texts(row, "partners_vrij", "middelen_toelichting", "toelichting"),
    }


def _shared_planning(group: dict, row: dict, fases: dict) -> dict:
    """An inspanning starts and runs on as its goal group does, unless its row says."""
    return {
        "start_fase": fases.get(row.get("start_fase") or group.get("start_fase")),
        "loopt_door": row.get("loopt_door", group.get("loopt_door", False)),
    }


def _upsert_item(
    report: LoadReport,
    plan: Faseplan,
    doel: OperationeelDoel,
    inspanning: Inspanning | None,
    values: dict,
    volgorde: int,
    loaded: DemoProgramme,
) -> FaseplanItem:
    values = dict(values)
    named = values.pop("partners")
    if named is not None:
        partners = {loaded.org(slug).pk for slug in named}
    elif inspanning is not None:
        partners = set(inspanning.partnerrollen.values_list("organisatie_id", flat=True))
    else:
        partners = set(doel.partnerrollen.values_list("organisatie_id", flat=True))
    item = upsert(
        report,
        FaseplanItem,
        {"faseplan": plan, "operationeel_doel": doel, "inspanning": inspanning},
        {**values, "volgorde": volgorde},
    )
    # Set only when different: the partners' history records every change of the set.
    if set(item.partners.values_list("pk", flat=True)) != partners:
        item._change_reason = "Demodata geladen uit de programmadocumenten"
        item.partners.set(partners)
        report.count("updated", FaseplanItem)
    return item


def _freeze(plan: Faseplan, report: LoadReport) -> None:
    """Store what the adopted demo plan shows, as adoption would (fasering.adoption)."""
    plan.refresh_from_db()
    content = build_content(plan)
    if plan.snapshot != content:
        # The snapshot is outside the plan's history (Faseplan.history excludes it).
        Faseplan.objects.filter(pk=plan.pk).update(snapshot=content)
        report.count("updated", Faseplan)
