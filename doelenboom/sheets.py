"""The goal tree as "Onze inspanningen op een rij" (AVK Bijlage 1): export and import.

One row per inspanning with the columns of LAYOUT. The same column definitions and the same
text forms ("1.7 Huishoudens zijn …" for a goal, "Hanzehogeschool Groningen (trekker)" for a
partner) feed the export, the import's validation and the preview, so a file that is exported
and imported again unchanged changes nothing.

The import runs through the shared pipeline of core.imports (parse, preview, apply all or
nothing); this module adds what is the goal tree's own: its columns, its row checks
(`plan_import`) and its writes (`apply_import`). Goals and partners a new region's sheet names
that do not exist yet are offered for creation (doelenboom.building).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import excel, imports
from core.history import FieldChange
from core.imports import (
    CHANGED,
    NEW,
    UNCHANGED,
    Column,
    ImportPlan,
    ListChange,
    ParsedSheet,
    SheetLayout,
    header_key,
)
from doelenboom import building, services
from doelenboom.models import (
    Ambitie,
    Inspanning,
    OperationeelDoel,
    PartnerRol,
    StrategischDoel,
)
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


def layout_for(programma: Programma) -> SheetLayout:
    """The columns an upload into `programma` may have: those of the export, under the
    programme's own word for an inspanning too ("Project"), and the optional column naming
    the strategic goal new goals go under ("Strategisch doel", or the programme's "Thema")."""
    columns = [
        replace(c, aliases=(programma.level_label("inspanning"),)) if c.key == "titel" else c
        for c in LAYOUT.columns
    ]
    columns.append(
        Column(
            "strategisch_doel",
            programma.level_label("strategisch_doel"),
            40,
            StrategischDoel._meta.get_field("titel").max_length,
            required=False,
            aliases=("Strategisch doel", "Strategische doelstelling"),
        )
    )
    return SheetLayout(LAYOUT.title, tuple(columns))


def parse_sheet(data: bytes, layout: SheetLayout = LAYOUT) -> ParsedSheet:
    """Read the upload's "Inspanningen" sheet (or its first sheet) and map the columns."""
    return imports.parse_sheet(data, layout)


# -- validation and preview -----------------------------------------------------------------


@dataclass(frozen=True)
class RowValues:
    """One valid row, resolved to ids: what the inspanning must look like after the import.

    Goals and organisations the import creates first are named by their reference in
    `nieuwe_doelen` and `nieuwe_partners` (see doelenboom.building).
    """

    code: str
    categorie: str
    titel: str
    doelen: tuple[int, ...]
    partners: tuple[tuple[int, str], ...]  # (organisatie id, rol), sorted
    nieuwe_doelen: tuple[str, ...] = ()
    nieuwe_partners: tuple[tuple[str, str], ...] = ()  # (reference, rol), sorted


def _key(text: str) -> str:
    """Text compared without regard to spacing; callers fold case where it does not count."""
    return " ".join(text.split())


@dataclass
class _Context:
    """The programme's tree, partners and inspanningen, looked up once per plan."""

    tree: building.Tree
    goals: dict[int, OperationeelDoel]
    goals_by_code: dict[str, OperationeelDoel]
    goals_by_title: dict[str, list[OperationeelDoel]]
    goal_texts: set[str]
    partners_by_name: dict[str, list[Organisatie]]
    # Organisations on an inspanning whose partnership ended: a row may keep them as they
    # are, but giving them a (new) role makes them partner again.
    former_by_name: dict[str, list[Organisatie]]
    names: dict[int, str]
    inspanningen: list[Inspanning]

    @classmethod
    def load(cls, programma: Programma, *, lock: bool = False) -> "_Context":
        goals = list(
            OperationeelDoel.objects.filter(strategisch_doel__ambitie__programma=programma)
        )
        orgs = list(
            Organisatie.objects.filter(
                partnerschappen__programma=programma, partnerschappen__beeindigd_op__isnull=True
            )
        )
        inspanningen = _inspanningen(programma, lock=lock)
        by_title: dict[str, list[OperationeelDoel]] = {}
        for goal in goals:
            by_title.setdefault(_key(goal.titel), []).append(goal)
        by_name: dict[str, list[Organisatie]] = {}
        for org in orgs:
            by_name.setdefault(header_key(org.naam), []).append(org)
        current = {o.pk for o in orgs}
        former: dict[int, Organisatie] = {
            r.organisatie_id: r.organisatie
            for i in inspanningen
            for r in i.partnerrollen.all()
            if r.organisatie_id not in current
        }
        former_by_name: dict[str, list[Organisatie]] = {}
        for org in former.values():
            former_by_name.setdefault(header_key(org.naam), []).append(org)
        tree = building.Tree(
            programma=programma,
            ambities=list(Ambitie.objects.filter(programma=programma)),
            strategische_doelen=list(
                StrategischDoel.objects.filter(ambitie__programma=programma)
                .select_related("ambitie")
                .order_by("ambitie__volgorde", "ambitie_id", "volgorde", "id")
            ),
            partner_ids=current,
        )
        return cls(
            tree=tree,
            goals={g.pk: g for g in goals},
            goals_by_code={g.code: g for g in goals if g.code},
            goals_by_title=by_title,
            goal_texts={_key(goal_text(g)) for g in goals} | set(by_title),
            partners_by_name=by_name,
            former_by_name=former_by_name,
            names={o.pk: o.naam for o in [*orgs, *former.values()]},
            inspanningen=inspanningen,
        )


_CATEGORIEEN = {str(label).casefold(): value for value, label in Inspanning.Categorie.choices}
_ROLLEN = {str(label).casefold(): value for value, label in PartnerRol.choices}
_TRAILING_ROLE = re.compile(r"^(?P<naam>.*?)\s*\((?P<rol>[^()]*)\)$", re.DOTALL)


class _RowChecker(imports.RowChecker):
    """The goal tree's own row checks: categorie, goals and partners as the export writes them.

    Goals and organisations the programme lacks are not errors: they are noted in `wanted`,
    for the preview to offer to create them.
    """

    def __init__(self, sheet: ParsedSheet, context: _Context) -> None:
        super().__init__(sheet)
        self.context = context
        self.wanted = building.Wanted()

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

    def _missing_goal(self, text: str, place: str) -> str | None:
        """Note a goal the programme lacks; its reference, or None after an error."""
        code, titel = building.split_code(text)
        if len(titel) > building.TITLE_MAX:
            self.error(
                "doelen",
                _("de titel van het nieuwe doel is %(n)d tekens lang; er passen er %(max)d.")
                % {"n": len(titel), "max": building.TITLE_MAX},
            )
            return None
        goal, clash = self.wanted.goal(self.row, text, place)
        if clash is not None:
            self.error(
                "doelen",
                _(
                    "doel %(code)s heet in rij %(rij)d „%(titel)s”; noem het hier net zo, "
                    "of alleen met zijn code."
                )
                % {"code": code, "rij": clash.title_row, "titel": imports.shorten(clash.titel)},
            )
            return None
        return goal.ref

    def goals(self, text: str, place: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """The existing goals a cell names, and references to those the programme lacks."""
        found: set[int] = set()
        missing: list[str] = []
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
                    ref = self._missing_goal(part, place)
                    if ref is not None and ref not in missing:
                        missing.append(ref)
        return tuple(sorted(found)), tuple(sorted(missing))

    def _organisation(self, name: str) -> tuple[Organisatie | None, bool]:
        """The partner named so, and whether its partnership ended."""
        key = header_key(name)
        matches = self.context.partners_by_name.get(key, [])
        if len(matches) == 1:
            return matches[0], False
        former = self.context.former_by_name.get(key, [])
        return (former[0], True) if len(former) == 1 and not matches else (None, False)

    def _partner(self, part: str) -> tuple[Organisatie | None, bool, str, str] | None:
        """(organisation or None when missing, whether it is a former partner, the name as
        written, rol) for one partner in a cell; None after an error."""
        org, former = self._organisation(part)
        if org is not None:
            return org, former, part, PartnerRol.BETROKKEN.value
        match = _TRAILING_ROLE.match(part)
        if match is None:
            return None, False, part, PartnerRol.BETROKKEN.value
        name = match["naam"]
        rol = _ROLLEN.get(_key(match["rol"]).casefold())
        org, former = self._organisation(name)
        if org is None:
            # "(…)" that is no role is part of the name: "GGD (Hollands Noorden)".
            if rol is None:
                return None, False, part, PartnerRol.BETROKKEN.value
            return None, False, name, rol
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
            return None
        return org, former, name, rol

    def partners(self, text: str, links: dict[int, str]) -> tuple[dict[int, str], dict[str, str]]:
        """The partners a cell names with their rol, and references (with rol) to those that
        are no partner yet. `links` are the inspanning's current partners: a former partner
        may stay as it is there."""
        roles: dict[int, str] = {}
        missing: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in re.split(r"[;\n]", text))):
            found = self._partner(part)
            if found is None:
                continue
            org, former, name, rol = found
            if org is not None and former and links.get(org.pk) != rol:
                org, name = None, org.naam
            if org is None:
                if len(name) > building.NAME_MAX:
                    self.error(
                        "partners",
                        _("de naam '%(naam)s' is langer dan %(max)d tekens.")
                        % {"naam": imports.shorten(name), "max": building.NAME_MAX},
                    )
                    continue
                ref = header_key(name)
                if ref in missing:
                    self.error(
                        "partners",
                        _("organisatie '%(naam)s' staat er twee keer in.")
                        % {"naam": imports.shorten(name)},
                    )
                    continue
                missing[ref] = rol
                self.wanted.partner(self.row, name)
                continue
            if org.pk in roles:
                self.error(
                    "partners",
                    _("organisatie '%(naam)s' staat er twee keer in.") % {"naam": org.naam},
                )
                continue
            roles[org.pk] = rol
        for ref in missing:
            self.wanted.partners[ref].beside |= set(roles)
        return roles, missing


@dataclass
class _Draft:
    """A row that passed its own checks, before the choices say what its new names become."""

    number: int
    code: str
    categorie: str
    titel: str
    target: Inspanning | None
    doelen: tuple[int, ...]
    nieuwe_doelen: tuple[str, ...]
    partners: dict[int, str]
    nieuwe_partners: dict[str, str]


def _current(inspanning: Inspanning) -> RowValues:
    return RowValues(
        code=inspanning.code,
        categorie=inspanning.categorie,
        titel=inspanning.titel,
        doelen=tuple(sorted(b.operationeel_doel_id for b in inspanning.bijdragen.all())),
        partners=tuple(sorted((r.organisatie_id, r.rol) for r in inspanning.partnerrollen.all())),
    )


class _Texts:
    """Goals and partners as the preview names them, new ones included."""

    def __init__(
        self, context: _Context, resolution: building.Resolution, wanted: building.Wanted
    ) -> None:
        self.context, self.resolution, self.wanted = context, resolution, wanted

    def goals(self, ids: tuple[int, ...], refs: tuple[str, ...] = ()) -> str:
        known = (self.context.goals[i] for i in ids if i in self.context.goals)
        texts = [goal_text(g) for g in sorted(known, key=lambda g: (g.code, g.pk))]
        texts += [self.resolution.goals[r] for r in refs]
        return "; ".join(texts) or "—"

    def name(self, org_id: int) -> str:
        return self.context.names.get(org_id) or self.resolution.names.get(org_id) or str(org_id)

    def new_name(self, ref: str) -> str:
        return self.wanted.partners[ref].naam

    def partners(self, values: RowValues) -> str:
        named = [(self.name(o), rol) for o, rol in values.partners]
        named += [(self.new_name(r), rol) for r, rol in values.nieuwe_partners]
        return partners_text(named) or "—"

    def partner_lines(self, old: RowValues, new: RowValues) -> tuple[str, ...]:
        """Each partner that changes: "X: betrokken → trekker", "+ Y (trekker)", "- Z (…)"."""
        before, after = dict(old.partners), dict(new.partners)

        def rol(value: str) -> str:
            return str(PartnerRol(value).label).lower()

        changed = sorted(
            f"{self.name(o)}: {rol(before[o])} → {rol(r)}"
            for o, r in after.items()
            if o in before and before[o] != r
        )
        added = sorted(
            [f"+ {partner_text(self.name(o), r)}" for o, r in after.items() if o not in before]
            + [f"+ {partner_text(self.new_name(ref), r)}" for ref, r in new.nieuwe_partners],
            key=str.casefold,
        )
        removed = sorted(
            (
                f"\N{MINUS SIGN} {partner_text(self.name(o), r)}"
                for o, r in before.items()
                if o not in after
            ),
            key=str.casefold,
        )
        return (*changed, *added, *removed)


def _differences(
    texts: _Texts, old: RowValues | None, new: RowValues
) -> tuple[FieldChange | ListChange, ...]:
    """The fields that differ, as "label: old → new" (everything, for a new inspanning);
    partners of an existing inspanning one line per partner."""
    before = old or RowValues("", "", "", (), ())
    changes: list[FieldChange | ListChange] = []
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
    if set(before.doelen) != set(new.doelen) or new.nieuwe_doelen:
        changes.append(
            FieldChange(
                _("zodat (doel)"),
                texts.goals(before.doelen),
                texts.goals(new.doelen, new.nieuwe_doelen),
            )
        )
    if dict(before.partners) != dict(new.partners) or new.nieuwe_partners:
        if old is None:
            changes.append(FieldChange(_("partners"), "—", texts.partners(new)))
        else:
            changes.append(ListChange(_("partners"), texts.partner_lines(before, new)))
    return tuple(changes)


def plan_import(
    programma: Programma, sheet: ParsedSheet, choices: Mapping[str, str] | None = None
) -> ImportPlan:
    """Validate every row of the sheet and compute what an import would change; no writes.

    Rows match existing inspanningen by code; a row without a code matches an existing
    inspanning without a code and with exactly the same title (so an exported file imports
    back unchanged), otherwise it adds one. Goals and organisations the programme lacks are
    grouped, with the choices that create them (`choices`: the preview's answers, None for
    the defaults). Any error empties the plan's rows.
    """
    return _plan(programma, sheet, choices)[0]


def _plan(
    programma: Programma,
    sheet: ParsedSheet,
    choices: Mapping[str, str] | None,
    *,
    lock: bool = False,
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
    has_place = "strategisch_doel" in sheet.columns
    place_column = layout_for(programma).column("strategisch_doel") if has_place else None
    first_row_of_code: dict[str, int] = {}
    matched: set[int] = set()
    drafts: list[_Draft] = []
    for number, values in sheet.rows:
        checker.row = number
        errors_before = len(checker.errors)
        code = checker.text(values, LAYOUT.column("code"))
        titel = checker.text(values, LAYOUT.column("titel"))
        if not titel:
            checker.error("titel", _("de kolom 'Inspanning' is leeg; vul de titel in."))
        categorie = checker.categorie(" ".join(values.get("categorie", "").split()))
        place = checker.text(values, place_column) if place_column else ""
        target = by_code.get(code) if code else None
        if target is None and not code:
            candidates = [i for i in codeless.get(titel, []) if i.pk not in matched]
            target = candidates[0] if len(candidates) == 1 else None
        if target is not None:
            matched.add(target.pk)
        links = dict(_current(target).partners) if target else {}
        doelen, nieuwe_doelen = checker.goals(values.get("doelen", ""), place)
        partners, nieuwe_partners = checker.partners(values.get("partners", ""), links)
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
        drafts.append(
            _Draft(
                number,
                code,
                categorie,
                titel,
                target,
                doelen,
                nieuwe_doelen,
                partners,
                nieuwe_partners,
            )
        )
    resolution = building.resolve(
        context.tree, checker.wanted, column=place_column, choices=choices
    )
    plan.groups, plan.answers = resolution.groups, resolution.answers
    plan.errors.extend(checker.errors)
    if plan.errors:
        return plan, context
    plan.creations, plan.created = resolution.creations, resolution.created
    texts = _Texts(context, resolution, checker.wanted)
    for draft in drafts:
        partners = dict(draft.partners)
        still_new = {}
        for ref, rol in draft.nieuwe_partners.items():
            if ref in resolution.organisations:
                partners[resolution.organisations[ref]] = rol
            else:
                still_new[ref] = rol
        new = RowValues(
            draft.code,
            draft.categorie,
            draft.titel,
            draft.doelen,
            tuple(sorted(partners.items())),
            draft.nieuwe_doelen,
            tuple(sorted(still_new.items())),
        )
        target = draft.target
        if target is None:
            changes = _differences(texts, None, new)
            plan.rows.append(
                imports.RowChange(draft.number, NEW, new, draft.code, draft.titel, changes)
            )
            continue
        changes = _differences(texts, _current(target), new)
        plan.rows.append(
            imports.RowChange(
                draft.number,
                CHANGED if changes else UNCHANGED,
                new,
                draft.code,
                draft.titel,
                changes,
                target_id=target.pk,
                versie=target.versie,
            )
        )
    plan.untouched = [str(i) for i in context.inspanningen if i.pk not in matched]
    return plan, context


# -- applying -------------------------------------------------------------------------------


def apply_import(
    programma: Programma,
    sheet: ParsedSheet,
    choices: Mapping[str, str] | None = None,
    *,
    expected_digest: str,
) -> ImportPlan:
    """Write the previewed import, all or nothing; returns the plan that was applied.

    Locks the programme (one import at a time) and its inspanningen, validates again against
    the current database with the same `choices` and raises imports.PlanChanged, writing
    nothing, unless the plan is exactly the previewed one (`expected_digest`). Side effects:
    first what the choices create (an ambitie, strategic and operational goals, organisations
    and partnerships; see building.create), then per changed row a new inspanning, or the
    existing one saved with `versie` + 1, with goal and partner links created, changed or
    deleted to match the sheet. Every saved object is saved on its own, tree items with
    history reason "Excel-import". A ValidationError (naming the row) undoes everything.
    Unchanged rows and inspanningen not in the sheet are not touched.
    """

    def replan() -> tuple[ImportPlan, _Context | None]:
        Programma.objects.select_for_update().filter(pk=programma.pk).first()
        return _plan(programma, sheet, choices, lock=True)

    def write(plan: ImportPlan, context: _Context | None) -> None:
        goal_ids, org_ids = building.create(programma, plan.creations, reason=IMPORT_REASON)
        current = {i.pk: i for i in context.inspanningen} if context else {}
        for row in plan.rows:
            if row.action == UNCHANGED:
                continue
            values: RowValues = row.values
            links = services.InspanningLinks(
                goals=(*values.doelen, *(goal_ids[r] for r in values.nieuwe_doelen)),
                partners=dict(values.partners)
                | {org_ids[r]: rol for r, rol in values.nieuwe_partners},
            )
            own = {"titel": values.titel, "categorie": values.categorie}
            try:
                if row.action == NEW:
                    inspanning = Inspanning(programma=programma, code=values.code, **own)
                    services.create_item(inspanning, reason=IMPORT_REASON, links=links)
                else:
                    services.update_item(
                        current[row.target_id],
                        own,
                        expected_versie=current[row.target_id].versie,
                        reason=IMPORT_REASON,
                        links=links,
                    )
            except ValidationError as error:
                where = excel.location(sheet.title, row.row)
                raise ValidationError(
                    [f"{where}: {message}" for message in error.messages], code="invalid"
                ) from error

    return imports.apply_plan(replan, write, expected_digest=expected_digest)


class TreeImporter:
    """The goal tree's import, as the shared import page runs it (see core.imports)."""

    def __init__(self, programma: Programma) -> None:
        self.programma = programma
        self.layout = layout_for(programma)
        self.session_key = f"doelenboom-import-{programma.pk}"

    def plan(self, sheet: ParsedSheet, choices: Mapping[str, str] | None = None) -> ImportPlan:
        return plan_import(self.programma, sheet, choices)

    def apply(
        self, sheet: ParsedSheet, choices: Mapping[str, str] | None, *, expected_digest: str
    ) -> ImportPlan:
        return apply_import(self.programma, sheet, choices, expected_digest=expected_digest)
