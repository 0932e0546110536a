"""Load the demo programmes from fixtures/*.json (format: fixtures/SCHEMA.md).

Idempotent: everything is matched on natural keys (slugs and codes) and saved only when a
value differs, so a second load writes nothing — not even history rows.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction

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
from programmes.models import (
    Groep,
    GroepLid,
    Lidmaatschap,
    Organisatie,
    Partnerschap,
    Profiel,
    Programma,
    Rol,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_FILES = ["avk.json", "kvnh.json"]
DEMO_PASSWORD = "koers-demo"

# One account per role per programme: (username, first name, programme, role,
# organisation slug or None, group name the user joins or None).
DEMO_USERS = [
    ("leider.avk", "Programmaleider", "avk", Rol.PROGRAMMALEIDER, None, "Programmateam"),
    ("team.avk", "Programmateam", "avk", Rol.PROGRAMMATEAM, "cmo-stamm", "Programmateam"),
    ("stuurgroep.avk", "Stuurgroeplid", "avk", Rol.STUURGROEP, "gemeente-veendam", "Stuurgroep"),
    (
        "kartrekker.avk",
        "Kartrekker",
        "avk",
        Rol.COALITIELID,
        "hanzehogeschool",
        "Werkgroep Monitoring en evaluatie",
    ),
    ("lezer.avk", "Lezer", "avk", Rol.LEZER, "domesta", None),
    ("leider.kvnh", "Programmaleider", "kvnh", Rol.PROGRAMMALEIDER, "gemeente-den-helder", None),
    ("team.kvnh", "Programmateam", "kvnh", Rol.PROGRAMMATEAM, "gemeente-schagen", None),
    ("stuurgroep.kvnh", "Wethouder", "kvnh", Rol.STUURGROEP, "gemeente-hollands-kroon", None),
    ("coalitie.kvnh", "Coalitielid", "kvnh", Rol.COALITIELID, "gemeente-texel", None),
    ("lezer.kvnh", "Lezer", "kvnh", Rol.LEZER, None, None),
]
DEMO_ADMIN = "beheer"
DEMO_REASON = "Demodata geladen uit de programmadocumenten"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    per_model: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, model: type[models.Model]) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        key = f"{model._meta.verbose_name_plural}"
        self.per_model[key] = self.per_model.get(key, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def _upsert(
    report: LoadReport, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> models.Model:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**{**lookup, **values})
        obj._change_reason = DEMO_REASON
        obj.full_clean()
        obj.save()
        report.count("created", model)
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj._change_reason = DEMO_REASON
        obj.full_clean()
        obj.save()
        report.count("updated", model)
    return obj


def _prune(report: LoadReport, queryset: models.QuerySet, keep_pks: set[int]) -> None:
    # Delete one by one so that simple_history records each removal.
    for obj in queryset.exclude(pk__in=keep_pks):
        obj.delete()
        report.count("deleted", type(obj))


def _text(data: dict[str, Any], *names: str) -> dict[str, str]:
    return {name: data.get(name) or "" for name in names}


def _referenced_partners(data: dict[str, Any]) -> set[str]:
    slugs = {
        pr["organisatie"] for i in data.get("inspanningen", []) for pr in i.get("partners", [])
    }
    for a in data.get("ambities", []):
        for s in a.get("strategische_doelen", []):
            for o in s.get("operationele_doelen", []):
                slugs |= {pr["organisatie"] for pr in o.get("partners", [])}
    return slugs


def load_programme(data: dict[str, Any], report: LoadReport) -> Programma:
    orgs = {
        item["slug"]: _upsert(
            report,
            Organisatie,
            {"slug": item["slug"]},
            {"naam": item["naam"], "soort": item.get("soort", "overig")},
        )
        for item in data.get("organisaties", [])
    }

    def org(slug: str) -> Organisatie:
        if slug not in orgs:
            orgs[slug] = Organisatie.objects.get(slug=slug)
        return orgs[slug]

    p = data["programma"]
    labels = p.get("labels", {})
    values = {
        "naam": p["naam"],
        "korte_naam": p.get("korte_naam", ""),
        "omschrijving": p.get("omschrijving", ""),
        "looptijd_start": p["looptijd_start"],
        "looptijd_eind": p["looptijd_eind"],
        "werkgebied": p.get("werkgebied", []),
    }
    for level in ("ambitie", "strategisch_doel", "operationeel_doel", "inspanning"):
        if level in labels:
            values[f"label_{level}"], values[f"label_{level}_mv"] = labels[level]
    programma = _upsert(report, Programma, {"slug": p["slug"]}, values)

    for item in data.get("partnerschappen", []):
        _upsert(
            report,
            Partnerschap,
            {"programma": programma, "organisatie": org(item["organisatie"])},
            {"sinds": item.get("sinds")},
        )

    # Organisations named on goals and inspanningen take part in the programme too.
    listed = {item["organisatie"] for item in data.get("partnerschappen", [])}
    for slug in sorted(_referenced_partners(data) - listed):
        _upsert(report, Partnerschap, {"programma": programma, "organisatie": org(slug)}, {})

    groepen: dict[str, Groep] = {}
    for index, item in enumerate(data.get("groepen", [])):
        groep = _upsert(
            report,
            Groep,
            {"programma": programma, "naam": item["naam"]},
            {
                "soort": item["soort"],
                "omschrijving": item.get("omschrijving", ""),
                "volgorde": index,
            },
        )
        groepen[groep.naam] = groep
        keep = set()
        for volgorde, lid in enumerate(item.get("leden", [])):
            organisatie = org(lid["organisatie"]) if lid.get("organisatie") else None
            member = _upsert(
                report,
                GroepLid,
                {"groep": groep, "organisatie": organisatie, "persoon": lid.get("persoon", "")},
                {
                    "functie": lid.get("functie", ""),
                    "rol": lid.get("rol", "lid"),
                    "volgorde": volgorde,
                },
            )
            keep.add(member.pk)
        _prune(report, groep.leden.filter(user__isnull=True), keep)

    doelen: dict[str, OperationeelDoel] = {}
    for a_index, a in enumerate(data.get("ambities", [])):
        ambitie = _upsert(
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
            sd = _upsert(
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
                od = _upsert(
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
                    _upsert(
                        report,
                        DoelPartner,
                        {"operationeel_doel": od, "organisatie": org(pr["organisatie"])},
                        {"rol": pr.get("rol", "betrokken")},
                    ).pk
                    for pr in o.get("partners", [])
                }
                _prune(report, od.partnerrollen.all(), keep)

    for i_index, i in enumerate(data.get("inspanningen", [])):
        inspanning = _upsert(
            report,
            Inspanning,
            {"programma": programma, "code": i["code"]},
            {
                "titel": i["titel"],
                "categorie": i["categorie"],
                "groep": groepen.get(i["groep"]) if i.get("groep") else None,
                "volgorde": i_index,
                **_text(i, "omschrijving", *PROJECT_FIELDS),
            },
        )
        keep = {
            _upsert(
                report, Bijdrage, {"inspanning": inspanning, "operationeel_doel": doelen[code]}, {}
            ).pk
            for code in i.get("doelen", [])
        }
        _prune(report, inspanning.bijdragen.all(), keep)
        keep = {
            _upsert(
                report,
                InspanningPartner,
                {"inspanning": inspanning, "organisatie": org(pr["organisatie"])},
                {"rol": pr.get("rol", "betrokken")},
            ).pk
            for pr in i.get("partners", [])
        }
        _prune(report, inspanning.partnerrollen.all(), keep)
        keep = {
            _upsert(
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
        _prune(report, inspanning.stappen.all(), keep)
    return programma


def load_users(report: LoadReport) -> None:
    User = get_user_model()
    if not User.objects.filter(username=DEMO_ADMIN).exists():
        User.objects.create_superuser(
            DEMO_ADMIN, f"{DEMO_ADMIN}@example.org", DEMO_PASSWORD, first_name="Beheerder"
        )
        report.count("created", User)
    for username, first_name, slug, rol, org_slug, groep_naam in DEMO_USERS:
        programma = Programma.objects.filter(slug=slug).first()
        if programma is None:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username,
                f"{username}@example.org",
                DEMO_PASSWORD,
                first_name=first_name,
                last_name=f"({programma.afkorting}, demo)",
            )
            report.count("created", User)
        organisatie = Organisatie.objects.filter(slug=org_slug).first() if org_slug else None
        _upsert(
            report,
            Profiel,
            {"user": user},
            {"organisatie": organisatie, "functie": Rol(rol).label},
        )
        _upsert(report, Lidmaatschap, {"user": user, "programma": programma}, {"rol": rol})
        groep = Groep.objects.filter(programma=programma, naam=groep_naam).first()
        if groep is not None:
            _upsert(
                report,
                GroepLid,
                {"groep": groep, "user": user},
                {"rol": GroepLid.Rol.LID, "persoon": "", "organisatie": organisatie},
            )


@transaction.atomic
def load_demo(files: list[str] | None = None) -> LoadReport:
    """Create or update the demo programmes, their tree and the demo accounts.

    Side effects: writes organisations, programmes, groups, the goal tree and users;
    removes links (goals, partners, steps) that the fixture no longer lists.
    """
    report = LoadReport()
    for name in files or DEMO_FILES:
        data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
        load_programme(data, report)
    load_users(report)
    return report
