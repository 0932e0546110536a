"""Demo data of the fasering: faseplannen, the project planning, risks and randvoorwaarden,
the eiland van reflectie (and the next faseplan drafted from its decisions), status updates.

Read from the fixtures the top level loads (see avk.demo); format in fixtures/SCHEMA.md.
Idempotent like the rest of the demo: matched on natural keys, saved only when a value
differs. An adopted demo plan gets its snapshot from fasering.content, rebuilt on every load
and saved only when it differs, so a second load writes nothing.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.loading import LoadReport, prune, texts, upsert
from doelenboom.models import Inspanning, OperationeelDoel
from fasering import drafting
from fasering.content import TEXT_SECTIONS, build_content, parse_month_key
from fasering.models import (
    Fase,
    Faseplan,
    FaseplanItem,
    Inbreng,
    Projectplanning,
    Reflectie,
    Reflectiebesluit,
    Reflectiesessie,
    Reflectievraag,
    Risico,
    Statusupdate,
    Trend,
)
from programmes.demo import DemoProgramme


def load_fasering(data: dict[str, Any], loaded: DemoProgramme, report: LoadReport) -> None:
    """The faseplannen, project planning and risks of a fixture, under its programme."""
    programma = loaded.programma
    inspanningen = {i.code: i for i in Inspanning.objects.filter(programma=programma)}
    _load_risks(data.get("risicos", []), loaded, inspanningen, report)
    _load_planning(data.get("planning", []), loaded, inspanningen, report)
    for plan in data.get("faseplannen", []):
        _load_plan(plan, loaded, inspanningen, report)
    for reflectie in data.get("reflecties", []):
        _load_reflection(reflectie, loaded, report)
    _load_status_updates(data.get("statusupdates", []), inspanningen, report)


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


# -- the eiland van reflectie -------------------------------------------------------------------


def _load_reflection(data: dict, loaded: DemoProgramme, report: LoadReport) -> None:
    """A year's reflection: sessions with their questions and contributions (matched on their
    order), decisions per goal, trends (on their letter); then the next faseplan drafted from
    it when `volgend_faseplan` says so."""
    programma = loaded.programma
    vorige = (
        Faseplan.objects.get(programma=programma, nummer=data["faseplan"])
        if data.get("faseplan")
        else None
    )
    reflectie = upsert(
        report,
        Reflectie,
        {"programma": programma, "jaar": data["jaar"]},
        {"faseplan": vorige, **texts(data, "inleiding")},
    )
    keep = {
        _load_session(reflectie, volgorde, row, loaded, report).pk
        for volgorde, row in enumerate(data.get("sessies", []))
    }
    prune(report, reflectie.sessies.all(), keep)

    doelen = {
        d.code: d
        for d in OperationeelDoel.objects.filter(strategisch_doel__ambitie__programma=programma)
    }
    keep = set()
    for row in data.get("besluiten", []):
        # One row may decide for several goals (a strategic goal decided as a whole).
        for code in row["doelen"]:
            besluit = upsert(
                report,
                Reflectiebesluit,
                {"reflectie": reflectie, "operationeel_doel": doelen[code]},
                {
                    "besluit": row["besluit"],
                    "faseplan_nummer": row.get("faseplan_nummer"),
                    "reden": row["reden"],
                },
            )
            keep.add(besluit.pk)
    prune(report, reflectie.besluiten.all(), keep)

    keep = {
        upsert(
            report,
            Trend,
            {"reflectie": reflectie, "letter": row["letter"]},
            {"volgorde": volgorde, **texts(row, "titel", "toelichting", "startmoment")},
        ).pk
        for volgorde, row in enumerate(data.get("trends", []))
    }
    prune(report, reflectie.trends.all(), keep)

    if data.get("volgend_faseplan"):
        _draft_next(reflectie, report)


def _load_session(
    reflectie: Reflectie, volgorde: int, data: dict, loaded: DemoProgramme, report: LoadReport
) -> Reflectiesessie:
    sessie = upsert(
        report,
        Reflectiesessie,
        {"reflectie": reflectie, "deelnemers": data["deelnemers"]},
        {
            # The programme's group where it has one ("Managers/leidinggevenden" is none).
            "groep": loaded.groepen.get(data.get("groep") or ""),
            "datum": datetime.date.fromisoformat(data["datum"]) if data.get("datum") else None,
            "kanten": data.get("kanten", []),
            "volgorde": volgorde,
            **texts(data, "begeleider", "samenvatting"),
        },
    )
    keep = set()
    for index, row in enumerate(data.get("vragen", [])):
        vraag = upsert(
            report,
            Reflectievraag,
            {"sessie": sessie, "volgorde": index},
            {"tekst": row["tekst"], "kant": row.get("kant", "")},
        )
        keep.add(vraag.pk)
        kept = set()
        for position, item in enumerate(row.get("inbreng", [])):
            # A contribution is its text, or an object with a score ("6.9") and what it is for.
            item = {"tekst": item} if isinstance(item, str) else item
            score = item.get("score")
            kept.add(
                upsert(
                    report,
                    Inbreng,
                    {"vraag": vraag, "volgorde": position},
                    {
                        "tekst": item["tekst"],
                        "score": Decimal(score) if score is not None else None,
                        "score_onderwerp": item.get("score_onderwerp", ""),
                    },
                ).pk
            )
        prune(report, vraag.inbreng.all(), kept)
    prune(report, sessie.vragen.all(), keep)
    return sessie


def _draft_next(reflectie: Reflectie, report: LoadReport) -> None:
    """The next faseplan, drafted from the decisions by the same service as the page; a plan
    that is up to date, or no longer a concept, is left alone."""
    draft = drafting.draft_next(reflectie)
    if draft.refusal or not draft.has_changes:
        return
    drafting.apply_draft(reflectie, expected_digest=draft.digest)
    report.count("created" if draft.creates else "updated", Faseplan)


# -- status updates -----------------------------------------------------------------------------


def _load_status_updates(rows: list[dict], inspanningen: dict, report: LoadReport) -> None:
    """Demo status updates, matched on inspanning and text. Dated relative to the load day, so
    the dashboard always shows recent ones and ones older than 90 days."""
    today = timezone.localdate()
    names = [row["auteur"] for row in rows]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    for row in rows:
        inspanning = inspanningen[row["inspanning"]]
        datum = today - datetime.timedelta(days=row["dagen_geleden"])
        lookup = {"inspanning": inspanning, "gebeurd": row["gebeurd"]}
        new = not Statusupdate.objects.filter(**lookup).exists()
        update = upsert(
            report,
            Statusupdate,
            lookup,
            {
                "datum": datum,
                "stap": inspanning.stappen.get(naam=row["stap"]) if row.get("stap") else None,
                "licht": row["licht"],
                "auteur": users.get(row["auteur"]),
                **texts(row, "volgende_stappen", "document"),
            },
        )
        if new:
            # Posted on its date, so that the author's 24 hours to correct it are long gone
            # for an old update (outside its history, like a frozen plan's snapshot).
            posted = timezone.make_aware(datetime.datetime.combine(datum, datetime.time(12)))
            Statusupdate.objects.filter(pk=update.pk).update(geplaatst_op=posted)
