"""The goal tree as "Onze inspanningen op een rij" (AVK Bijlage 1): export and import.

One row per inspanning with the columns in COLUMNS. The same column definitions and the same
text forms ("1.7 Huishoudens zijn …" for a goal, "Hanzehogeschool Groningen (trekker)" for a
partner) feed the export, the import's validation and the preview, so a file that is exported
and imported again unchanged changes nothing.

Import runs in three steps: `parse_sheet` reads the upload into plain rows (JSON-safe, so a
view can keep them between the preview and the confirmation); `plan_import` validates every
row against the programme and computes the preview without writing; `apply_import` re-plans
under a lock and writes only when the plan is still exactly the one previewed.
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from avk import excel
from doelenboom import services
from doelenboom.models import (
    Bijdrage,
    Inspanning,
    InspanningPartner,
    OperationeelDoel,
    PartnerRol,
)
from programmes.models import Organisatie, Programma

SHEET_TITLE = "Inspanningen"
IMPORT_REASON = "Excel-import"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int | None = None
    max_length: int | None = None


COLUMNS: tuple[Column, ...] = (
    Column("code", "Code", 10, Inspanning._meta.get_field("code").max_length),
    Column("categorie", "Categorie", 16),
    Column("titel", "Inspanning", 60, Inspanning._meta.get_field("titel").max_length),
    Column("doelen", "Zodat (doel)", 60),
    Column("partners", "Partners", 50),
)
HEADERS = tuple(c.header for c in COLUMNS)


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
    return list(
        queryset.prefetch_related(
            Prefetch(
                "bijdragen",
                queryset=Bijdrage.objects.select_related("operationeel_doel").order_by(
                    "operationeel_doel__code", "operationeel_doel__id"
                ),
            ),
            Prefetch(
                "partnerrollen", queryset=InspanningPartner.objects.select_related("organisatie")
            ),
        )
    )


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
        SHEET_TITLE, HEADERS, export_rows(programma), widths=[c.width for c in COLUMNS]
    )


def export_filename(programma: Programma) -> str:
    return f"{programma.slug}-inspanningen-op-een-rij.xlsx"


# -- reading an upload ----------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedSheet:
    """The upload as plain text per column: what the preview and the confirmation share.

    `columns` maps a column key to its 1-based position in the file; `rows` holds
    (row number, {key: text}). `errors` are problems with the header row.
    """

    title: str
    columns: dict[str, int]
    rows: list[tuple[int, dict[str, str]]]
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "ParsedSheet":
        data = json.loads(text)
        return cls(
            title=data["title"],
            columns={k: int(v) for k, v in data["columns"].items()},
            rows=[(int(n), dict(values)) for n, values in data["rows"]],
            errors=list(data["errors"]),
        )


def parse_sheet(data: bytes) -> ParsedSheet:
    """Read the upload's "Inspanningen" sheet (or its first sheet) and map the columns.

    Raises excel.ExcelError when the file itself is refused (not an .xlsx, too large, a zip
    bomb, damaged). Wrong or missing columns come back in `errors`, naming the expected ones.
    """
    sheet = excel.read_sheet(data, title=SHEET_TITLE)
    expected = ", ".join(HEADERS)
    if not sheet.rows:
        return ParsedSheet(
            sheet.title,
            {},
            [],
            [
                _("Blad '%(blad)s' is leeg. Verwacht een kopregel met de kolommen %(kolommen)s.")
                % {"blad": sheet.title, "kolommen": expected}
            ],
        )
    header_row, header = sheet.rows[0]
    by_header = {c.header.casefold(): c for c in COLUMNS}
    columns: dict[str, int] = {}
    errors: list[str] = []
    for position, value in enumerate(header, start=1):
        name = excel.cell_text(value)
        if not name:
            continue
        column = by_header.get(" ".join(name.split()).casefold())
        where = excel.location(sheet.title, header_row, position)
        if column is None:
            errors.append(
                _("%(waar)s: kolom '%(naam)s' is onbekend. Verwachte kolommen: %(kolommen)s.")
                % {"waar": where, "naam": name, "kolommen": expected}
            )
        elif column.key in columns:
            errors.append(
                _("%(waar)s: kolom '%(naam)s' staat er twee keer.") % {"waar": where, "naam": name}
            )
        else:
            columns[column.key] = position
    missing = [c.header for c in COLUMNS if c.key not in columns]
    if missing:
        errors.append(
            ngettext(
                "%(waar)s: kolom %(ontbreekt)s ontbreekt. Verwachte kolommen: %(kolommen)s.",
                "%(waar)s: kolommen %(ontbreekt)s ontbreken. Verwachte kolommen: %(kolommen)s.",
                len(missing),
            )
            % {
                "waar": excel.location(sheet.title, header_row),
                "ontbreekt": ", ".join(f"'{m}'" for m in missing),
                "kolommen": expected,
            }
        )
    rows = []
    for number, values in sheet.rows[1:]:
        texts = {
            key: excel.cell_text(values[position - 1]) if position <= len(values) else ""
            for key, position in columns.items()
        }
        if any(texts.values()):
            rows.append((number, texts))
    return ParsedSheet(sheet.title, columns, rows, errors)


# -- validation and preview -----------------------------------------------------------------


@dataclass(frozen=True)
class RowValues:
    """One valid row, resolved to ids: what the inspanning must look like after the import."""

    code: str
    categorie: str
    titel: str
    doelen: tuple[int, ...]
    partners: tuple[tuple[int, str], ...]  # (organisatie id, rol), sorted


@dataclass(frozen=True)
class RowChange:
    """What the import does with one row of the sheet."""

    row: int
    action: str  # "nieuw", "gewijzigd" or "ongewijzigd"
    values: RowValues
    changes: tuple[services.FieldChange, ...] = ()
    inspanning_id: int | None = None
    versie: int | None = None

    @property
    def action_label(self) -> str:
        return {
            "nieuw": _("nieuw"),
            "gewijzigd": _("gewijzigd"),
            "ongewijzigd": _("ongewijzigd"),
        }[self.action]


@dataclass
class ImportPlan:
    sheet: str
    errors: list[str] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)
    untouched: list[str] = field(default_factory=list)

    def _count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def new(self) -> int:
        return self._count("nieuw")

    @property
    def changed(self) -> int:
        return self._count("gewijzigd")

    @property
    def unchanged(self) -> int:
        return self._count("ongewijzigd")

    @property
    def has_changes(self) -> bool:
        return not self.errors and (self.new + self.changed) > 0

    @property
    def digest(self) -> str:
        """A fingerprint of exactly what would be written, and of what it would overwrite."""
        payload = [
            [
                r.row,
                r.action,
                r.inspanning_id,
                r.versie,
                asdict(r.values),
                [asdict(c) for c in r.changes],
            ]
            for r in self.rows
            if r.action != "ongewijzigd"
        ]
        payload.append(self.errors)
        text = json.dumps(payload, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def _key(text: str) -> str:
    """Text compared without regard to spacing (and case, for names)."""
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


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _RowChecker:
    """Validates one row at a time, collecting every error with sheet, row and cell."""

    def __init__(self, sheet: ParsedSheet, context: _Context) -> None:
        self.sheet = sheet
        self.context = context
        self.errors: list[str] = []
        self.row = 0

    def error(self, key: str, message: str) -> None:
        where = excel.location(self.sheet.title, self.row, self.sheet.columns[key])
        self.errors.append(f"{where}: {message}")

    def text(self, values: dict[str, str], column: Column) -> str:
        value = values.get(column.key, "")
        if column.max_length and len(value) > column.max_length:
            self.error(
                column.key,
                _("de tekst is %(n)d tekens lang; in kolom '%(kolom)s' passen er %(max)d.")
                % {"n": len(value), "kolom": column.header, "max": column.max_length},
            )
        return value

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
                % {"waarde": _short(text), "keuzes": choices},
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
                        % {"doel": _short(part)},
                    )
                else:
                    self.error(
                        "doelen",
                        _("doel '%(doel)s' bestaat niet in dit programma.")
                        % {"doel": _short(part)},
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
                        % {"naam": _short(name)},
                    )
                    continue
                rol = _ROLLEN.get(_key(match["rol"]).casefold())
                if rol is None:
                    self.error(
                        "partners",
                        _("rol '%(rol)s' bij '%(naam)s' bestaat niet; kies uit %(keuzes)s.")
                        % {
                            "rol": _short(match["rol"]),
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
) -> tuple[services.FieldChange, ...]:
    """The fields that differ, as "label: old → new" (everything, for a new inspanning)."""
    before = old or RowValues("", "", "", (), ())
    changes = []
    if old is None and new.code:
        changes.append(services.FieldChange(_("code"), "—", new.code))
    if before.titel != new.titel:
        changes.append(services.FieldChange(_("titel"), before.titel or "—", new.titel))
    if before.categorie != new.categorie:
        changes.append(
            services.FieldChange(
                _("categorie"),
                categorie_text(before.categorie) if before.categorie else "—",
                categorie_text(new.categorie),
            )
        )
    if set(before.doelen) != set(new.doelen):
        changes.append(
            services.FieldChange(
                _("zodat (doel)"),
                _goals_text(context, before.doelen),
                _goals_text(context, new.doelen),
            )
        )
    if dict(before.partners) != dict(new.partners):
        changes.append(
            services.FieldChange(
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
    columns = {c.key: c for c in COLUMNS}
    for number, values in sheet.rows:
        checker.row = number
        errors_before = len(checker.errors)
        code = checker.text(values, columns["code"])
        titel = checker.text(values, columns["titel"])
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
            plan.rows.append(RowChange(number, "nieuw", new, _differences(context, None, new)))
            continue
        matched.add(target.pk)
        changes = _differences(context, _current(target), new)
        plan.rows.append(
            RowChange(
                number,
                "gewijzigd" if changes else "ongewijzigd",
                new,
                changes,
                inspanning_id=target.pk,
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


class PlanChanged(Exception):
    """The tree changed since the preview: `plan` is the new preview (or its errors)."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__("import plan changed")
        self.plan = plan


@transaction.atomic
def apply_import(programma: Programma, sheet: ParsedSheet, *, expected_digest: str) -> ImportPlan:
    """Write the previewed import, all or nothing; returns the plan that was applied.

    Locks the programme (one import at a time) and its inspanningen, validates again against
    the current database and raises PlanChanged, writing nothing, unless the plan is exactly
    the previewed one (`expected_digest`). Side effects per changed row: a new inspanning, or
    the existing one saved with `versie` + 1; goal and partner links created, changed or
    deleted to match the sheet. Every saved object is saved on its own with history reason
    "Excel-import". Unchanged rows and inspanningen not in the sheet are not touched.
    """
    Programma.objects.select_for_update().filter(pk=programma.pk).first()
    plan, context = _plan(programma, sheet, lock=True)
    if plan.errors or context is None or plan.digest != expected_digest:
        raise PlanChanged(plan)
    current = {i.pk: i for i in context.inspanningen}
    for row in plan.rows:
        values = row.values
        if row.action == "nieuw":
            inspanning = Inspanning(
                programma=programma,
                code=values.code,
                titel=values.titel,
                categorie=values.categorie,
            )
            services.create_item(inspanning, reason=IMPORT_REASON)
        elif row.action == "gewijzigd":
            inspanning, _changed = services.update_item(
                current[row.inspanning_id],
                {"titel": values.titel, "categorie": values.categorie},
                expected_versie=current[row.inspanning_id].versie,
                reason=IMPORT_REASON,
            )
        else:
            continue
        services.set_goals(inspanning, values.doelen, reason=IMPORT_REASON)
        services.set_partners(inspanning, dict(values.partners), reason=IMPORT_REASON)
    return plan
