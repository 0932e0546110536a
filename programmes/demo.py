"""Demo data of the programmes app: organisations, programmes, partnerships, groups, users.

Read from the fixtures the top level loads (see avk.demo); format in fixtures/SCHEMA.md.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from core.loading import LoadReport, prune, upsert
from programmes.models import (
    TREE_LEVELS,
    Groep,
    GroepLid,
    Lidmaatschap,
    Organisatie,
    Partnerschap,
    Profiel,
    Programma,
    Rol,
)

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
    (
        "coalitie.kvnh",
        "Coalitielid",
        "kvnh",
        Rol.COALITIELID,
        "gemeente-texel",
        "Projectgroep De Kop in Beeld",
    ),
    ("lezer.kvnh", "Lezer", "kvnh", Rol.LEZER, None, None),
]
DEMO_ADMIN = "beheer"


@dataclass
class DemoProgramme:
    """A loaded programme and the lookups the goal tree's loader needs."""

    programma: Programma
    org: Callable[[str], Organisatie]
    groepen: dict[str, Groep]


def referenced_partners(data: dict[str, Any]) -> set[str]:
    """Organisations named on goals and inspanningen, which take part in the programme too."""
    slugs = {
        pr["organisatie"] for i in data.get("inspanningen", []) for pr in i.get("partners", [])
    }
    for a in data.get("ambities", []):
        for s in a.get("strategische_doelen", []):
            for o in s.get("operationele_doelen", []):
                slugs |= {pr["organisatie"] for pr in o.get("partners", [])}
    return slugs


def load_programme(data: dict[str, Any], report: LoadReport) -> DemoProgramme:
    """The programme of a fixture with its organisations, partnerships and groups."""
    orgs = {
        item["slug"]: upsert(
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
    for level in TREE_LEVELS:
        if level in labels:
            values[f"label_{level}"], values[f"label_{level}_mv"] = labels[level]
    programma = upsert(report, Programma, {"slug": p["slug"]}, values)

    for item in data.get("partnerschappen", []):
        upsert(
            report,
            Partnerschap,
            {"programma": programma, "organisatie": org(item["organisatie"])},
            {"sinds": item.get("sinds")},
        )

    # Organisations named on goals and inspanningen take part in the programme too.
    listed = {item["organisatie"] for item in data.get("partnerschappen", [])}
    for slug in sorted(referenced_partners(data) - listed):
        upsert(report, Partnerschap, {"programma": programma, "organisatie": org(slug)}, {})

    groepen: dict[str, Groep] = {}
    for index, item in enumerate(data.get("groepen", [])):
        groep = upsert(
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
            member = upsert(
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
        prune(report, groep.leden.filter(user__isnull=True), keep)
    # The programme's demo accounts now, so that later loaders can name them (as the authors
    # of the demo status updates, say).
    for row in DEMO_USERS:
        if row[2] == programma.slug:
            _load_user(row, programma, report)
    return DemoProgramme(programma, org, groepen)


def load_users(report: LoadReport) -> None:
    """The site administrator and every demo account of a loaded programme."""
    User = get_user_model()
    if not User.objects.filter(username=DEMO_ADMIN).exists():
        User.objects.create_superuser(
            DEMO_ADMIN, f"{DEMO_ADMIN}@example.org", DEMO_PASSWORD, first_name="Beheerder"
        )
        report.count("created", User)
    for row in DEMO_USERS:
        programma = Programma.objects.filter(slug=row[2]).first()
        if programma is not None:
            _load_user(row, programma, report)


def _load_user(row: tuple, programma: Programma, report: LoadReport) -> None:
    """One demo account: its profile, its role in `programma` and its group there."""
    username, first_name, _slug, rol, org_slug, groep_naam = row
    User = get_user_model()
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
    upsert(
        report,
        Profiel,
        {"user": user},
        {"organisatie": organisatie, "functie": Rol(rol).label},
    )
    upsert(report, Lidmaatschap, {"user": user, "programma": programma}, {"rol": rol})
    groep = Groep.objects.filter(programma=programma, naam=groep_naam).first()
    if groep is not None:
        upsert(
            report,
            GroepLid,
            {"groep": groep, "user": user},
            {"rol": GroepLid.Rol.LID, "persoon": "", "organisatie": organisatie},
        )
