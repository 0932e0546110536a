"""Demo data of the goal tree: ambities, goals, inspanningen, their partners and steps.

Read from the fixtures the top level loads (see avk.demo); format in fixtures/SCHEMA.md.
"""

from typing import Any

from core.loading import LoadReport, prune, texts, upsert
from doelenboom.models import (
    PROJECT_FIELDS,
    Ambitie,
    Bijdrage,
    DoelPartner,
    Inspanning,
    InspanningPartner,
    OperationeelDoel,
    Stap,
    StrategischDoel,
)
from programmes.demo import DemoProgramme


def load_tree(data: dict[str, Any], loaded: DemoProgramme, report: LoadReport) -> None:
    """The goal tree of a fixture, under the programme `loaded` holds."""
    programma, org, groepen = loaded.programma, loaded.org, loaded.groepen
    doelen: dict[str, OperationeelDoel] = {}
    for a_index, a in enumerate(data.get("ambities", [])):
        ambitie = upsert(
            report,
            Ambitie,
            {"programma": programma, "code": a["code"]},
            {
                "titel": a["titel"],
                "omschrijving": a.get("omschrijving", ""),
                "eigenaar": a.get("eigenaar", ""),
                "uitgewerkt": a.get("uitgewerkt", True),
                "groep": groepen.get(a["groep"]) if a.get("groep") else None,
                "volgorde": a_index,
            },
        )
        for s_index, s in enumerate(a.get("strategische_doelen", [])):
            sd = upsert(
                report,
                StrategischDoel,
                {"ambitie": ambitie, "code": s["code"]},
                {
                    "titel": s["titel"],
                    "programmalijn": s.get("programmalijn", ""),
                    "omschrijving": s.get("omschrijving", ""),
                    "volgorde": s_index,
                },
            )
            for o_index, o in enumerate(s.get("operationele_doelen", [])):
                existing = OperationeelDoel.objects.filter(
                    strategisch_doel__ambitie__programma=programma, code=o["code"]
                ).first()
                # Matched on code within the programme, so a goal may move to another parent.
                lookup = {"pk": existing.pk} if existing else {"strategisch_doel": sd}
                od = upsert(
                    report,
                    OperationeelDoel,
                    {**lookup, "code": o["code"]},
                    {
                        "strategisch_doel": sd,
                        "titel": o["titel"],
                        "omschrijving": o.get("omschrijving", ""),
                        "volgorde": o_index,
                    },
                )
                doelen[od.code] = od
                keep = {
                    upsert(
                        report,
                        DoelPartner,
                        {"operationeel_doel": od, "organisatie": org(pr["organisatie"])},
                        {"rol": pr.get("rol", "betrokken")},
                    ).pk
                    for pr in o.get("partners", [])
                }
                prune(report, od.partnerrollen.all(), keep)

    for i_index, i in enumerate(data.get("inspanningen", [])):
        inspanning = upsert(
            report,
            Inspanning,
            {"programma": programma, "code": i["code"]},
            {
                "titel": i["titel"],
                "categorie": i["categorie"],
                "groep": groepen.get(i["groep"]) if i.get("groep") else None,
                "volgorde": i_index,
                **texts(i, "omschrijving", *PROJECT_FIELDS),
            },
        )
        keep = {
            upsert(
                report, Bijdrage, {"inspanning": inspanning, "operationeel_doel": doelen[code]}, {}
            ).pk
            for code in i.get("doelen", [])
        }
        prune(report, inspanning.bijdragen.all(), keep)
        keep = {
            upsert(
                report,
                InspanningPartner,
                {"inspanning": inspanning, "organisatie": org(pr["organisatie"])},
                {"rol": pr.get("rol", "betrokken")},
            ).pk
            for pr in i.get("partners", [])
        }
        prune(report, inspanning.partnerrollen.all(), keep)
        keep = {
            upsert(
                report,
                Stap,
                {"inspanning": inspanning, "volgorde": volgorde},
                {
                    "naam": stap["naam"],
                    "omschrijving": stap.get("omschrijving", ""),
                    "doorlooptijd_maanden": stap.get("doorlooptijd_maanden"),
                },
            ).pk
            for volgorde, stap in enumerate(i.get("stappen", []))
        }
        prune(report, inspanning.stappen.all(), keep)
