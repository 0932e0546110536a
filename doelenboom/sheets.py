"""The goal tree as "Onze inspanningen op een rij" (AVK Bijlage 1): export and import.

One row per inspanning with the columns of LAYOUT. The same column definitions and the same
text forms ("1.7 Huishoudens zijn …" for a goal, "Hanzehogeschool Groningen (trekker)" for a
partner) feed the export, the import's validation and the preview, so a file that is exported
and imported again unchanged changes nothing.

The import runs through the shared pipeline of core.imports (parse, preview, apply all or
nothing); this module adds what is the goal tree's own: its columns, its row checks
(`plan_import`) and its writes (`apply_import`).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core import excel, imports
from core.history import FieldChange
from core.imports import CHANGED, NEW, UNCHANGED, Column, ImportPlan, ParsedSheet, SheetLayout
from doelenboom import services
from doelenboom.models import Inspanning, OperationeelDoel, PartnerRol
from programmes.models import Organisatie, Programma

SHEET_TITLE = "Inspanningen"
IMPORT_REASON = "Excel-import"

LAYOUT = SheetLayout(
    SHEET_TITLE,
    (
        Column("code", "Code", 10, Inspanning._meta.get_field("code").max_length),
        Column("categorie", "Categorie", 16),
        Column("titel", "Inspanning", 60, Inspanning._meta.get_field("titel").max_length),
        Column("doelen", "Zodat (doel)", 60),
        Column("partners", "Partners", 50),
    ),
)


# -- the shared text forms ------------------------------------------------------------------


def goal_text(goal: OperationeelDoel) -> str:
    return f"{goal.code} {goal.titel}" if goal.code else goal.titel


def partner_text(naam: str, rol: str) -> str:
    return f"{naam} ({PartnerRol(rol).label.lower()})"


def categorie_text(categorie: str) -> str:
    return str(Inspanning.Categorie(categorie).label)


def partners_text(roles: list[tuple[str, str]]) -> str:
    """(naam, rol) pairs as one cell: trekkers first, then betrokken, then kennispartners."""
    order = {value: index for index, value in enumerate(PartnerRol.values)}
    ordered = sorted(roles, key=lambda r: (order.get(r[1], 99), r[0].casefold()))
    return "; ".join(partner_text(naam, rol) for naam, rol in ordered)


def _categorie_order() -> dict[str, int]:
    return {value: index for index, value in enumerate(Inspanning.Categorie.values)}


# -- export ---------------------------------------------------------------------------------


def _inspanningen(programma: Programma, *, lock: bool = False) -> list[Inspanning]:
    queryset = Inspanning.objects.filter(programma=programma)
    if lock:
        queryset = queryset.select_for_update()
    return list(queryset.with_links())


def export_rows(programma: Programma) -> list[list[str]]:
    """Every inspanning of the programme as a row, grouped by categorie as in Bijlage 1."""
    order = _categorie_order()
    inspanningen = sorted(
        _inspanningen(programma), key=lambda i: (order.get(i.categorie, 99), i.volgorde, i.pk)
    )
    return [
        [
            i.code,
            categorie_text(i.categorie),
            i.titel,
            "\n".join(goal_text(b.operationeel_doel) for b in i.bijdragen.all()),
            partners_text([(r.organisatie.naam, r.rol) for r in i.partnerrollen.all()]),
        ]
        for i in inspanningen
    ]


def export_workbook(programma: Programma) -> bytes:
    """The .xlsx file of the programme's inspanningen; reads only, writes nothing."""
    return excel.write_workbook(
        LAYOUT.title, LAYOUT.headers, export_rows(programma), widths=LAYOUT.widths
    )


def export_filename(programma: Programma) -> str:
    return f"{programma.slug}-inspanningen-op-een-rij.xlsx"


# -- reading an upload ----------------------------------------------------------------------


def parse_sheet(data: bytes) -> ParsedSheet:
    """Read the upload's "Inspanningen" sheet (or its first sheet) and map the columns."""
    return imports.parse_sheet(data, LAYOUT)


# -- validation and preview -----------------------------------------------------------------


@dataclass(frozen=True)
class RowValues:
    """One valid row, resolved to ids: what the inspanning must look like after the import."""

    code: str
    categorie: str
    titel: str
    doelen: tuple[int, ...]
    partners: tuple[tuple[int, str], ...]  # (organisatie id, rol), sorted


def _key(text: str) -> str:
    """Text compared without regard to spacing; callers fold case where it does not count."""
    return " ".join(text.split())


@dataclass
class _Context:
    """The programme's goals, partners and inspanningen, looked up once per plan."""

    goals: dict[int, OperationeelDoel]
    goals_by_code: dict[str, OperationeelDoel]
    goals_by_title: dict[str, list[OperationeelDoel]]
    goal_texts: set[str]
    partners: dict[int, Organisatie]
    partners_by_name: dict[str, list[Organisatie]]
    inspanningen: list[Inspanning]

    @classmethod
    def load(cls, programma: Programma, *, lock: bool = False) -> "_Context":
        goals = list(
            OperationeelDoel.objects.filter(strategisch_doel__ambitie__programma=programma)
        )
        orgs = list(Organisatie.objects.filter(partnerschappen__programma=programma))
        by_title: dict[str, list[OperationeelDoel]] = {}
        for goal in goals:
            by_title.setdefault(_key(goal.titel), []).append(goal)
        by_name: dict[str, list[Organisatie]] = {}
        for org in orgs:
            by_name.setdefault(_key(org.naam).casefold(), []).append(org)
        return cls(
            goals={g.pk: g for g in goals},
            goals_by_code={g.code: g for g in goals if g.code},
            goals_by_title=by_title,
            goal_texts={_key(goal_text(g)) for g in goals} | set(by_title),
            partners={o.pk: o for o in orgs},
            partners_by_name=by_name,
            inspanningen=_inspanningen(programma, lock=lock),
        )


_CATEGORIEEN = {str(label).casefold(): value for value, label in Inspanning.Categorie.choices}
_ROLLEN = {str(label).casefold(): value for value, label in PartnerRol.choices}
_TRAILING_ROLE = re.compile(r"^(?P<naam>.*?)\s*\((?P<rol>[^()]*)\)$", re.DOTALL)


class _RowChecker(imports.RowChecker):
    """The goal tree's own row checks: categorie, goals and partners as the export writes them."""

    def __init__(self, sheet: ParsedSheet, context: _Context) -> None:
        super().__init__(sheet)
        self.context = context

    def categorie(self, text: str) -> str:
        choices = ", ".join(str(label) for label in Inspanning.Categorie.labels)
        if not text:
            self.error(
                "categorie", _("categorie ontbreekt; kies uit %(keuzes)s.") % {"keuzes": choices}
            )
            return ""
        value = _CATEGORIEEN.get(_key(text).casefold())
        if value is None:
            self.error(
                "categorie",
                _("categorie '%(waarde)s' bestaat niet; kies uit %(keuzes)s.")
                % {"waarde": imports.shorten(text), "keuzes": choices},
            )
            return ""
        return value

    def _goal(self, text: str) -> tuple[OperationeelDoel | None, bool]:
        """The goal named by its code (text before the first space) or exact title.

        The second value says whether the title was ambiguous.
        """
        goal = self.context.goals_by_code.get(text.split(" ", 1)[0])
        if goal is not None:
            return goal, False
        matches = self.context.goals_by_title.get(_key(text), [])
        return (matches[0] if len(matches) == 1 else None), len(matches) > 1

    def goals(self, text: str) -> tuple[int, ...]:
        found: set[int] = set()
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            # A line that is exactly one goal's text is that goal (its title may hold a ";");
            # otherwise the line may list several goals separated by ";".
            exact = _key(line) in self.context.goal_texts
            parts = [line] if exact else [p.strip() for p in line.split(";")]
            for part in filter(None, parts):
                goal, ambiguous = self._goal(part)
                if goal is not None:
                    found.add(goal.pk)
                elif ambiguous:
                    self.error(
                        "doelen",
                        _("meer dan één doel heet '%(doel)s'; noem het doel met zijn code.")
                        % {"doel": imports.shorten(part)},
                    )
                else:
                    self.error(
                        "doelen",
                        _("doel '%(doel)s' bestaat niet in dit programma.")
                        % {"doel": imports.shorten(part)},
                    )
        return tuple(sorted(found))

    def _organisation(self, name: str) -> Organisatie | None:
        matches = self.context.partners_by_name.get(_key(name).casefold(), [])
        return matches[0] if len(matches) == 1 else None

    def partners(self, text: str) -> tuple[tuple[int, str], ...]:
        roles: dict[int, str] = {}
        for part in filter(None, (p.strip() for p in re.split(r"[;\n]", text))):
            org, rol = self._organisation(part), PartnerRol.BETROKKEN.value
            if org is None:
                match = _TRAILING_ROLE.match(part)
                name = match["naam"] if match else part
                org = self._organisation(name)
                if org is None:
                    self.error(
                        "partners",
                        _("organisatie '%(naam)s' is geen partner van dit programma.")
                        % {"naam": imports.shorten(name)},
                    )
                    continue
                rol = _ROLLEN.get(_key(match["rol"]).casefold())
                if rol is None:
                    self.error(
                        "partners",
                        _("rol '%(rol)s' bij '%(naam)s' bestaat niet; kies uit %(keuzes)s.")
                        % {
                            "rol": imports.shorten(match["rol"]),
                            "naam": org.naam,
                            "keuzes": ", ".join(str(r.label).lower() for r in PartnerRol),
                        },
                    )
                    continue
            if org.pk in roles:
                self.error(
                    "partners",
                    _("organisatie '%(naam)s' staat er twee keer in.") % {"naam": org.naam},
                )
                continue
            roles[org.pk] = rol
        return tuple(sorted(roles.items()))


def _current(inspanning: Inspanning) -> RowValues:
    return RowValues(
        code=inspanning.code,
        categorie=inspanning.categorie,
        titel=inspanning.titel,
        doelen=tuple(sorted(b.operationeel_doel_id for b in inspanning.bijdragen.all())),
        partners=tuple(sorted((r.organisatie_id, r.rol) for r in inspanning.partnerrollen.all())),
    )


def _goals_text(context: _Context, ids: tuple[int, ...]) -> str:
    known = (context.goals[i] for i in ids if i in context.goals)
    goals = sorted(known, key=lambda g: (g.code, g.pk))
    return "; ".join(goal_text(g) for g in goals) or "—"


def _partners_text(context: _Context, roles: tuple[tuple[int, str], ...]) -> str:
    named = [(context.partners[o].naam, rol) for o, rol in roles if o in context.partners]
    return partners_text(named) or "—"


def _differences(
    context: _Context, old: RowValues | None, new: RowValues
) -> tuple[FieldChange, ...]:
    """The fields that differ, as "label: old → new" (everything, for a new inspanning)."""
    before = old or RowValues("", "", "", (), ())
    changes = []
    if old is None and new.code:
        changes.append(FieldChange(_("code"), "—", new.code))
    if before.titel != new.titel:
        changes.append(FieldChange(_("titel"), before.titel or "—", new.titel))
    if before.categorie != new.categorie:
        changes.append(
            FieldChange(
                _("categorie"),
                categorie_text(before.categorie) if before.categorie else "—",
                categorie_text(new.categorie),
            )
        )
    if set(before.doelen) != set(new.doelen):
        changes.append(
            FieldChange(
                _("zodat (doel)"),
                _goals_text(context, before.doelen),
                _goals_text(context, new.doelen),
            )
        )
    if dict(before.partners) != dict(new.partners):
        changes.append(
            FieldChange(
                _("partners"),
                _partners_text(context, before.partners),
                _partners_text(context, new.partners),
            )
        )
    return tuple(changes)


def plan_import(programma: Programma, sheet: ParsedSheet) -> ImportPlan:
    """Validate every row of the sheet and compute what an import would change; no writes.

    Rows match existing inspanningen by code; a row without a code matches an existing
    inspanning without a code and with exactly the same title (so an exported file imports
    back unchanged), otherwise it adds one. Any error empties the plan's rows.
    """
    return _plan(programma, sheet)[0]


def _plan(
    programma: Programma, sheet: ParsedSheet, *, lock: bool = False
) -> tuple[ImportPlan, _Context | None]:
    plan = ImportPlan(sheet=sheet.title, errors=list(sheet.errors))
    if plan.errors:
        return plan, None
    context = _Context.load(programma, lock=lock)
    by_code = {i.code: i for i in context.inspanningen if i.code}
    codeless: dict[str, list[Inspanning]] = {}
    for inspanning in context.inspanningen:
        if not inspanning.code:
            codeless.setdefault(inspanning.titel, []).append(inspanning)
    checker = _RowChecker(sheet, context)
    first_row_of_code: dict[str, int] = {}
    matched: set[int] = set()
    for number, values in sheet.rows:
        checker.row = number
        errors_before = len(checker.errors)
        code = checker.text(values, LAYOUT.column("code"))
        titel = checker.text(values, LAYOUT.column("titel"))
        if not titel:
            checker.error("titel", _("de kolom 'Inspanning' is leeg; vul de titel in."))
        categorie = checker.categorie(" ".join(values.get("categorie", "").split()))
        doelen = checker.goals(values.get("doelen", ""))
        partners = checker.partners(values.get("partners", ""))
        if code:
            if code in first_row_of_code:
                checker.error(
                    "code",
                    _("code '%(code)s' staat ook in rij %(rij)d; elke code mag één keer voorkomen.")
                    % {"code": code, "rij": first_row_of_code[code]},
                )
            else:
                first_row_of_code[code] = number
        if len(checker.errors) > errors_before:
            continue
        new = RowValues(code, categorie, titel, doelen, partners)
        target = by_code.get(code) if code else None
        if target is None and not code:
            candidates = [i for i in codeless.get(titel, []) if i.pk not in matched]
            target = candidates[0] if len(candidates) == 1 else None
        if target is None:
            changes = _differences(context, None, new)
            plan.rows.append(imports.RowChange(number, NEW, new, code, titel, changes))
            continue
        matched.add(target.pk)
        changes = _differences(context, _current(target), new)
        plan.rows.append(
            imports.RowChange(
                number,
                CHANGED if changes else UNCHANGED,
                new,
                code,
                titel,
                changes,
                target_id=target.pk,
                versie=target.versie,
            )
        )
    plan.errors.extend(checker.errors)
    if plan.errors:
        plan.rows = []
        return plan, context
    plan.untouched = [str(i) for i in context.inspanningen if i.pk not in matched]
    return plan, context


# -- applying -------------------------------------------------------------------------------


def apply_import(programma: Programma, sheet: ParsedSheet, *, expected_digest: str) -> ImportPlan:
    """Write the previewed import, all or nothing; returns the plan that was applied.

    Locks the programme (one import at a time) and its inspanningen, validates again against
    the current database and raises imports.PlanChanged, writing nothing, unless the plan is
    exactly the previewed one (`expected_digest`). Side effects per changed row: a new
    inspanning, or the existing one saved with `versie` + 1; goal and partner links created,
    changed or deleted to match the sheet. Every saved object is saved on its own with history
    reason "Excel-import". Unchanged rows and inspanningen not in the sheet are not touched.
    """

    def replan() -> tuple[ImportPlan, _Context | None]:
        Programma.objects.select_for_update().filter(pk=programma.pk).first()
        return _plan(programma, sheet, lock=True)

    def write(plan: ImportPlan, context: _Context | None) -> None:
        current = {i.pk: i for i in context.inspanningen} if context else {}
        for row in plan.rows:
            values: RowValues = row.values
            links = services.InspanningLinks(goals=values.doelen, partners=dict(values.partners))
            own = {"titel": values.titel, "categorie": values.categorie}
            if row.action == NEW:
                inspanning = Inspanning(programma=programma, code=values.code, **own)
                services.create_item(inspanning, reason=IMPORT_REASON, links=links)
            elif row.action == CHANGED:
                services.update_item(
                    current[row.target_id],
                    own,
                    expected_versie=current[row.target_id].versie,
                    reason=IMPORT_REASON,
                    links=links,
                )

    return imports.apply_plan(replan, write, expected_digest=expected_digest)


class TreeImporter:
    """The goal tree's import, as the shared import page runs it (see core.imports)."""

    layout = LAYOUT

    def __init__(self, programma: Programma) -> None:
        self.programma = programma
        self.session_key = f"doelenboom-import-{programma.pk}"

    def plan(self, sheet: ParsedSheet) -> ImportPlan:
        return plan_import(self.programma, sheet)

    def apply(self, sheet: ParsedSheet, *, expected_digest: str) -> ImportPlan:
        return apply_import(self.programma, sheet, expected_digest=expected_digest)
