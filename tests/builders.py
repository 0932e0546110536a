"""Tiny builders for test data: each makes the smallest valid object and takes overrides."""

import io
from collections.abc import Callable
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from doelenboom.models import (
    Ambitie,
    Bijdrage,
    Inspanning,
    InspanningPartner,
    OperationeelDoel,
    StrategischDoel,
)
from programmes.models import Lidmaatschap, Organisatie, Partnerschap, Programma

_seq = count(1)


def programma(**kw) -> Programma:
    n = next(_seq)
    values = {"naam": f"Programma {n}", "slug": f"prog-{n}", "looptijd_start": 2024}
    values["looptijd_eind"] = kw.pop("looptijd_eind", 2030)
    return Programma.objects.create(**{**values, **kw})


def organisatie(**kw) -> Organisatie:
    n = next(_seq)
    return Organisatie.objects.create(**{"naam": f"Organisatie {n}", "slug": f"org-{n}", **kw})


def partner(prog: Programma, **kw) -> Organisatie:
    org = organisatie(**kw)
    Partnerschap.objects.create(programma=prog, organisatie=org)
    return org


def ambitie(prog: Programma, **kw) -> Ambitie:
    return Ambitie.objects.create(**{"programma": prog, "titel": "Geen armoede", **kw})


def strategisch_doel(amb: Ambitie, **kw) -> StrategischDoel:
    return StrategischDoel.objects.create(**{"ambitie": amb, "titel": "Kansrijk perspectief", **kw})


def operationeel_doel(sd: StrategischDoel, **kw) -> OperationeelDoel:
    n = next(_seq)
    values = {"strategisch_doel": sd, "titel": f"Doel {n}", "code": f"{n}"}
    return OperationeelDoel.objects.create(**{**values, **kw})


def goal_chain(prog: Programma, **kw) -> OperationeelDoel:
    """An operational goal with its ambitie and strategic goal."""
    return operationeel_doel(strategisch_doel(ambitie(prog)), **kw)


def inspanning(prog: Programma, doelen=(), partners=(), **kw) -> Inspanning:
    values = {"programma": prog, "titel": "Inzetten op vroegsignalering", "categorie": "actie"}
    obj = Inspanning.objects.create(**{**values, **kw})
    for doel in doelen:
        Bijdrage.objects.create(inspanning=obj, operationeel_doel=doel)
    for org, rol in partners:
        InspanningPartner.objects.create(inspanning=obj, organisatie=org, rol=rol)
    return obj


def user(username: str | None = None, **kw):
    username = username or f"user{next(_seq)}"
    return get_user_model().objects.create_user(username, password="geheim-wachtwoord", **kw)


def member(prog: Programma, rol: str, username: str | None = None):
    u = user(username)
    Lidmaatschap.objects.create(user=u, programma=prog, rol=rol)
    return u


def vroegsignalering(prog: Programma, code: str = "1.1", partner_naam: str = "Hanzehogeschool"):
    """The AVK's first goal with its first inspanning and trekker: (goal, partner, inspanning)."""
    goal = goal_chain(prog, titel="Huishoudens zijn vroegtijdig in beeld", code=code)
    hanze = partner(prog, naam=partner_naam, slug="hanze")
    first = inspanning(
        prog,
        titel="Inzetten op vroegsignalering",
        code="A1",
        doelen=[goal],
        partners=[(hanze, "trekker")],
    )
    return goal, hanze, first


def inspanning_form_data(obj: Inspanning, *, with_steps: bool = False, **changes) -> dict:
    """The edit form of an inspanning as the browser posts it unchanged, plus `changes`.

    Without `with_steps` the stappenplan formset is posted empty, which leaves saved steps
    as they are; with it, every saved step is posted as it is.
    """
    steps = list(obj.stappen.all()) if with_steps else []
    data = {
        "versie": obj.versie,
        "code": obj.code,
        "titel": obj.titel,
        "categorie": obj.categorie,
        "omschrijving": obj.omschrijving,
        "doelen": [b.operationeel_doel_id for b in obj.bijdragen.all()],
        "nieuwe_partner_rol": "betrokken",
        **{f"rol_{r.organisatie_id}": r.rol for r in obj.partnerrollen.all()},
        "stappen-TOTAL_FORMS": len(steps),
        "stappen-INITIAL_FORMS": len(steps),
    }
    for index, stap in enumerate(steps):
        for key, value in (("id", stap.pk), ("inspanning", obj.pk), ("volgorde", stap.volgorde)):
            data[f"stappen-{index}-{key}"] = value
        data[f"stappen-{index}-naam"] = stap.naam
    data.update(changes)
    return {f"inspanning-{obj.pk}-{k}": v for k, v in data.items()}


# The columns of "inspanningen op een rij", as a user's spreadsheet has them.
SHEET_HEADER = ["Code", "Categorie", "Inspanning", "Zodat (doel)", "Partners"]


def xlsx(rows: list[list], header: list[str] = SHEET_HEADER, title: str = "Inspanningen") -> bytes:
    """A spreadsheet as a user would upload it: one sheet, a header row, then the rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def validation_errors(check: Callable[[], object]) -> dict[str, list[str]]:
    """The messages per field of the ValidationError that `check` must raise."""
    with pytest.raises(ValidationError) as excinfo:
        check()
    return excinfo.value.message_dict
