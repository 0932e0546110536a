"""Building a new region's goal tree from its "inspanningen op een rij".

A new region's sheet names goals and partners that do not exist yet. While the import
(doelenboom.sheets) checks the rows it collects them here (`Wanted`). `resolve` turns them
into one group per kind of problem, with the questions the preview asks (where the new goals
go; which organisation each new partner is) and, once every question is answered, into the
records the import creates before it writes its rows (`create`, inside the import's one
transaction, through the tree's services so that history is written).
"""

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.imports import CHOICE_PREFIX, Choice, Column, ProblemGroup, Table, header_key
from core.imports import row_ranges as rows_text
from core.imports import shorten as short
from doelenboom import services
from doelenboom.models import Ambitie, OperationeelDoel, StrategischDoel
from programmes import partners as partner_services
from programmes.models import Organisatie, Programma

CODE_MAX = OperationeelDoel._meta.get_field("code").max_length
TITLE_MAX = OperationeelDoel._meta.get_field("titel").max_length
NAME_MAX = Organisatie._meta.get_field("naam").max_length

# A goal's code is its first word when that holds a digit: "1.7", "3a", "A2".
_CODE = re.compile(r"[\w.\-]*\d[\w.\-]*")

PLACE = f"{CHOICE_PREFIX}doelen-onder"
NEW_GOAL_PARENT = f"{CHOICE_PREFIX}doelen-nieuw"
AMBITIE = f"{CHOICE_PREFIX}ambitie"
AMBITIE_TITLE = f"{CHOICE_PREFIX}ambitie-titel"
FROM_COLUMN, CREATE = "kolom", "nieuw"


def split_code(text: str) -> tuple[str, str]:
    """A goal as a sheet names it, as (code, title); either may be empty."""
    first, _sep, rest = text.strip().partition(" ")
    if len(first) <= CODE_MAX and _CODE.fullmatch(first):
        return first, rest.strip()
    return "", text.strip()


def _same(a: str, b: str) -> bool:
    return header_key(a) == header_key(b)


# -- what the sheet names but the programme lacks -------------------------------------------


@dataclass
class MissingGoal:
    ref: str
    code: str
    titel: str  # as the sheet gives it; empty when it names only the code
    rows: list[int] = field(default_factory=list)
    places: list[tuple[int, str]] = field(default_factory=list)  # (row, strategic-goal cell)
    title_row: int = 0

    def text(self) -> str:
        return f"{self.code} {self.titel}".strip()


@dataclass
class MissingPartner:
    ref: str
    naam: str
    rows: list[int] = field(default_factory=list)
    beside: set[int] = field(default_factory=set)  # organisations its rows already name


class Wanted:
    """The goals and partners the rows name that do not exist, in order of first mention."""

    def __init__(self) -> None:
        self.goals: dict[str, MissingGoal] = {}
        self.partners: dict[str, MissingPartner] = {}

    def goal(self, row: int, text: str, place: str) -> tuple[MissingGoal, MissingGoal | None]:
        """Note a missing goal named in `row`; the second value is the earlier mention whose
        title differs (the row is then not counted)."""
        code, titel = split_code(text)
        ref = f"code:{code}" if code else f"titel:{header_key(titel)}"
        goal = self.goals.setdefault(ref, MissingGoal(ref, code, titel, title_row=row))
        if titel and goal.titel and not _same(titel, goal.titel):
            return goal, goal
        if titel and not goal.titel:
            goal.titel, goal.title_row = titel, row
        if row not in goal.rows:
            goal.rows.append(row)
        goal.places.append((row, place))
        return goal, None

    def partner(self, row: int, naam: str) -> MissingPartner:
        ref = header_key(naam)
        partner = self.partners.setdefault(ref, MissingPartner(ref, " ".join(naam.split())))
        if row not in partner.rows:
            partner.rows.append(row)
        return partner


# -- what the import creates -----------------------------------------------------------------


@dataclass(frozen=True)
class NewAmbitie:
    titel: str


@dataclass(frozen=True)
class NewStrategischDoel:
    ref: str
    code: str
    titel: str
    ambitie_id: int | None  # None: under the new ambitie


@dataclass(frozen=True)
class NewGoal:
    ref: str
    code: str
    titel: str
    strategisch_doel_id: int | None
    strategisch_doel_ref: str  # the new strategic goal it goes under, when no id


@dataclass(frozen=True)
class NewPartner:
    ref: str
    naam: str
    organisatie_id: int | None  # an existing organisation; None: a new one named `naam`
    already_partner: bool = False


@dataclass
class Tree:
    """What the choices are made from: the programme's upper levels and current partners."""

    programma: Programma
    ambities: list[Ambitie]
    strategische_doelen: list[StrategischDoel]
    partner_ids: set[int]


@dataclass
class Resolution:
    """The groups the preview shows and, for answered ones, what the import creates.

    `goals` gives each missing goal's text as the preview shows it; `organisations` maps a
    missing partner to the existing organisation chosen for it, named in `names`.
    """

    groups: list[ProblemGroup] = field(default_factory=list)
    creations: list[Any] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)
    goals: dict[str, str] = field(default_factory=dict)
    organisations: dict[str, int] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)


class _Answers:
    """The posted answers, or (first preview: `choices` is None) the proposed defaults."""

    def __init__(self, choices: Mapping[str, str] | None, resolution: Resolution) -> None:
        self.choices = choices
        self.checking = choices is not None
        self.resolution = resolution

    def get(self, name: str, default: str = "") -> str:
        value = default if self.choices is None else str(self.choices.get(name, "")).strip()
        self.resolution.answers[name] = value
        return value


def resolve(
    tree: Tree,
    wanted: Wanted,
    *,
    column: Column | None,
    choices: Mapping[str, str] | None,
) -> Resolution:
    """Group what is missing and apply the answers; `column` is the strategic-goal column
    when the sheet has it. Writes nothing."""
    resolution = Resolution()
    answers = _Answers(choices, resolution)
    if wanted.goals:
        resolution.groups.append(_GoalGroup(tree, wanted, column, answers).resolve())
    if wanted.partners:
        resolution.groups.append(_partner_group(tree, wanted, answers))
    return resolution


# -- missing goals -----------------------------------------------------------------------------


def _label(programma: Programma, level: str, *, plural: bool = False) -> str:
    return programma.level_label(level, plural=plural).lower()


def _goal_option(sd: StrategischDoel, several_ambities: bool) -> str:
    text = f"{sd.code} {sd.titel}".strip()
    if several_ambities:
        text = f"{text} ({short(sd.ambitie.titel, 40)})"
    return short(text, 100)


class _GoalGroup:
    """The missing goals: created as operational goals under a strategic goal chosen in the
    preview, under those the sheet's optional column names, or under a new one."""

    def __init__(
        self, tree: Tree, wanted: Wanted, column: Column | None, answers: _Answers
    ) -> None:
        self.tree, self.column, self.answers = tree, column, answers
        self.goals = list(wanted.goals.values())
        programma = tree.programma
        self.labels = {
            "sd": _label(programma, "strategisch_doel"),
            "sd_mv": _label(programma, "strategisch_doel", plural=True),
            "od": _label(programma, "operationeel_doel"),
            "od_mv": _label(programma, "operationeel_doel", plural=True),
            "ambitie": _label(programma, "ambitie"),
        }
        several = len(tree.ambities) > 1
        self.by_option = {f"sd-{sd.pk}": sd for sd in tree.strategische_doelen}
        self.sd_options = tuple(
            (f"sd-{sd.pk}", _goal_option(sd, several)) for sd in tree.strategische_doelen
        )
        # Where each goal goes: ("sd", id) or ("new", ref of a new strategic goal).
        self.parents: dict[str, tuple[str, Any]] = {}
        self.new_sds: dict[str, tuple[str, str]] = {}
        self.wants_new_sd = False  # "Nieuw" chosen: the ambitie question counts, title or not
        self.errors: dict[str, list[str]] = {PLACE: [], NEW_GOAL_PARENT: [], AMBITIE: []}

    def _default_place(self) -> str:
        sds = self.tree.strategische_doelen
        if self.column is not None:
            return FROM_COLUMN
        if len(sds) == 1:
            return f"sd-{sds[0].pk}"
        return CREATE if not sds else ""

    def _sd_named(self, text: str) -> StrategischDoel | None:
        code, titel = split_code(text)
        sds = self.tree.strategische_doelen
        if code:
            by_code = [sd for sd in sds if sd.code == code]
            if len(by_code) == 1:
                return by_code[0]
        by_title = [sd for sd in sds if _same(sd.titel, text) or (titel and _same(sd.titel, titel))]
        return by_title[0] if by_title else None

    def _from_column(self) -> bool:
        header = self.column.header if self.column else ""
        ok = True
        for goal in self.goals:
            named: dict[str, tuple[int, str]] = {}
            for row, text in goal.places:
                if text:
                    named.setdefault(header_key(text), (row, text))
            if not named:
                ok = False
                self.errors[PLACE].append(
                    _(
                        "%(doel)s (%(rijen)s): kolom '%(kolom)s' is leeg. Vul die in het "
                        "bestand in, of kies hier één %(sd)s voor alle nieuwe %(od_mv)s."
                    )
                    % {
                        "doel": short(goal.text()),
                        "rijen": rows_text(goal.rows),
                        "kolom": header,
                        **self.labels,
                    }
                )
                continue
            if len(named) > 1:
                ok = False
                (row_a, text_a), (row_b, text_b) = list(named.values())[:2]
                self.errors[PLACE].append(
                    _(
                        "%(doel)s staat in rij %(a)d onder '%(x)s' en in rij %(b)d onder "
                        "'%(y)s'. Maak dat in het bestand gelijk, of kies hier één %(sd)s."
                    )
                    % {
                        "doel": short(goal.text()),
                        "a": row_a,
                        "x": short(text_a, 60),
                        "b": row_b,
                        "y": short(text_b, 60),
                        **self.labels,
                    }
                )
                continue
            _row, text = next(iter(named.values()))
            existing = self._sd_named(text)
            if existing is not None:
                self.parents[goal.ref] = ("sd", existing.pk)
            else:
                code, titel = split_code(text)
                label = self.tree.programma.level_label("strategisch_doel")
                ref = f"kolom:{header_key(text)}"
                self.new_sds.setdefault(ref, (code, titel or f"{label} {code}"))
                self.parents[goal.ref] = ("new", ref)
        return ok

    def _place(self) -> bool:
        place = self.answers.get(PLACE, self._default_place())
        new_title = self.answers.get(NEW_GOAL_PARENT)
        if not place:
            if self.answers.checking:
                self.errors[PLACE].append(_("Kies waar de nieuwe %(od_mv)s komen.") % self.labels)
            return False
        if place in self.by_option:
            for goal in self.goals:
                self.parents[goal.ref] = ("sd", self.by_option[place].pk)
            return True
        if place == FROM_COLUMN and self.column is not None:
            return self._from_column()
        if place == CREATE:
            self.wants_new_sd = True
            if not new_title:
                if self.answers.checking:
                    self.errors[NEW_GOAL_PARENT].append(
                        _("Vul de titel in van wat de import aanmaakt als %(sd)s.") % self.labels
                    )
                return False
            if len(new_title) > TITLE_MAX:
                self.errors[NEW_GOAL_PARENT].append(
                    _("De titel is %(n)d tekens lang; er passen er %(max)d.")
                    % {"n": len(new_title), "max": TITLE_MAX}
                )
                return False
            self.new_sds[CREATE] = ("", new_title)
            for goal in self.goals:
                self.parents[goal.ref] = ("new", CREATE)
            return True
        self.errors[PLACE].append(
            _("Deze keuze bestaat niet (meer); kies opnieuw waar de nieuwe %(od_mv)s komen.")
            % self.labels
        )
        return False

    def _ambitie(self) -> tuple[bool, int | None, str]:
        """The ambitie new strategic goals go under: (answered, id, title of a new one)."""
        ambities = self.tree.ambities
        if len(ambities) == 1:
            return True, ambities[0].pk, ""
        if not ambities:
            titel = self.answers.get(AMBITIE_TITLE)
            if not titel:
                if self.answers.checking and (self.new_sds or self.wants_new_sd):
                    self.errors[AMBITIE].append(
                        _("Vul de titel in van de %(ambitie)s die de import aanmaakt.")
                        % self.labels
                    )
                return False, None, ""
            if len(titel) > TITLE_MAX:
                self.errors[AMBITIE].append(
                    _("De titel is %(n)d tekens lang; er passen er %(max)d.")
                    % {"n": len(titel), "max": TITLE_MAX}
                )
                return False, None, ""
            return True, None, titel
        value = self.answers.get(AMBITIE)
        chosen = next((a for a in ambities if f"ambitie-{a.pk}" == value), None)
        if chosen is None:
            if self.answers.checking and (self.new_sds or self.wants_new_sd):
                self.errors[AMBITIE].append(
                    _("Kies onder welke %(ambitie)s de nieuwe %(sd_mv)s komen.") % self.labels
                )
            return False, None, ""
        return True, chosen.pk, ""

    def _parent_text(self, goal: MissingGoal) -> str:
        kind, value = self.parents.get(goal.ref, ("", None))
        if kind == "sd":
            sd = next(s for s in self.tree.strategische_doelen if s.pk == value)
            return f"{sd.code} {sd.titel}".strip()
        if kind == "new":
            code, titel = self.new_sds[value]
            return _("%(titel)s (nieuw)") % {"titel": f"{code} {titel}".strip()}
        return "—"

    def _titel(self, goal: MissingGoal) -> str:
        """The sheet's title, or one made from the code ("Operationele doelstelling 1.7")."""
        return goal.titel or f"{self.tree.programma.level_label('operationeel_doel')} {goal.code}"

    def _choices(self) -> list[Choice]:
        answers = self.answers.resolution.answers
        options = [("", _("— kies —")), *self.sd_options]
        if self.column is not None:
            options.append(
                (
                    FROM_COLUMN,
                    _("Volgens kolom '%(kolom)s' van het bestand") % {"kolom": self.column.header},
                )
            )
        options.append((CREATE, _("Nieuw: %(sd)s met de titel hieronder") % self.labels))
        choices = [
            Choice(
                PLACE,
                _("Waar komen ze onder? Kies een %(sd)s.") % self.labels,
                options=tuple(options),
                value=answers[PLACE],
                errors=tuple(self.errors[PLACE]),
            ),
            Choice(
                NEW_GOAL_PARENT,
                _("%(label)s: titel bij „Nieuw”")
                % {"label": self.tree.programma.level_label("strategisch_doel")},
                kind="text",
                value=answers[NEW_GOAL_PARENT],
                errors=tuple(self.errors[NEW_GOAL_PARENT]),
                help=_("Alleen nodig als u hierboven „Nieuw” kiest."),
                max_length=TITLE_MAX,
            ),
        ]
        ambities = self.tree.ambities
        if not ambities:
            choices.append(
                Choice(
                    AMBITIE_TITLE,
                    _("%(label)s: titel") % {"label": self.tree.programma.level_label("ambitie")},
                    kind="text",
                    value=answers.get(AMBITIE_TITLE, ""),
                    errors=tuple(self.errors[AMBITIE]),
                    help=_(
                        "Het programma heeft nog geen %(ambitie)s; de import maakt er een aan "
                        "met deze titel, met de nieuwe %(sd_mv)s eronder."
                    )
                    % self.labels,
                    max_length=TITLE_MAX,
                )
            )
        elif len(ambities) > 1:
            choices.append(
                Choice(
                    AMBITIE,
                    _("Kies een %(ambitie)s voor nieuwe %(sd_mv)s") % self.labels,
                    options=(
                        ("", _("— kies —")),
                        *((f"ambitie-{a.pk}", short(str(a), 100)) for a in ambities),
                    ),
                    value=answers.get(AMBITIE, ""),
                    errors=tuple(self.errors[AMBITIE]),
                    help=_("Alleen nodig als de import een %(sd)s aanmaakt.") % self.labels,
                )
            )
        return choices

    def resolve(self) -> ProblemGroup:
        placed = self._place()
        answered, ambitie_id, ambitie_titel = self._ambitie()
        resolved = placed and (answered or not self.new_sds)
        resolution = self.answers.resolution
        for goal in self.goals:
            resolution.goals[goal.ref] = _("%(doel)s (nieuw)") % {
                "doel": goal.text() if goal.titel else goal.code
            }
        n = len(self.goals)
        group = ProblemGroup(
            key="doelen",
            title=ngettext(
                "%(n)d %(od)s bestaat nog niet (%(rijen)s)",
                "%(n)d %(od_mv)s bestaan nog niet (%(rijen)s)",
                n,
            )
            % {"n": n, "rijen": rows_text(r for g in self.goals for r in g.rows), **self.labels},
            help=_(
                "De import maakt ze aan als %(od_mv)s, met de code en de titel uit het bestand "
                "(zonder titel: een titel uit de code)."
            )
            % self.labels,
            table=Table(
                caption=_("Nieuwe %(od_mv)s") % self.labels,
                headers=(_("Code"), _("Titel"), _("Rijen"), _("Komt onder")),
                rows=tuple(
                    (
                        goal.code or "—",
                        self._titel(goal),
                        rows_text(goal.rows),
                        self._parent_text(goal),
                    )
                    for goal in self.goals
                ),
            ),
            choices=self._choices(),
            resolved=resolved,
        )
        if resolved:
            self._creations(ambitie_id, ambitie_titel)
        return group

    def _creations(self, ambitie_id: int | None, ambitie_titel: str) -> None:
        resolution = self.answers.resolution
        if self.new_sds and ambitie_titel:
            resolution.creations.append(NewAmbitie(ambitie_titel))
            resolution.created.append(_count(1, self.labels["ambitie"], ""))
        for ref, (code, titel) in self.new_sds.items():
            resolution.creations.append(NewStrategischDoel(ref, code, titel, ambitie_id))
        if self.new_sds:
            resolution.created.append(
                _count(len(self.new_sds), self.labels["sd"], self.labels["sd_mv"])
            )
        for goal in self.goals:
            kind, value = self.parents[goal.ref]
            resolution.creations.append(
                NewGoal(
                    goal.ref,
                    goal.code,
                    self._titel(goal),
                    value if kind == "sd" else None,
                    value if kind == "new" else "",
                )
            )
        resolution.created.append(_count(len(self.goals), self.labels["od"], self.labels["od_mv"]))


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# -- missing partners --------------------------------------------------------------------------


def partner_choice_name(ref: str) -> str:
    return f"{CHOICE_PREFIX}partner-{hashlib.sha256(ref.encode()).hexdigest()[:10]}"


def _partner_group(tree: Tree, wanted: Wanted, answers: _Answers) -> ProblemGroup:
    resolution = answers.resolution
    missing = list(wanted.partners.values())
    chosen_in_row: dict[tuple[int, int], str] = {}
    choices: list[Choice] = []
    resolved = True
    new_orgs = new_partners = 0
    for partner in missing:
        suggestions = partner_services.similar_organisations(partner.naam)
        by_value = {f"org-{o.pk}": o for o in suggestions}
        exact = next((o for o in suggestions if _same(o.naam, partner.naam)), None)
        default = f"org-{exact.pk}" if exact else ("" if suggestions else CREATE)
        name = partner_choice_name(partner.ref)
        value = answers.get(name, default)
        errors: list[str] = []
        org = by_value.get(value)
        if value == CREATE:
            resolution.creations.append(NewPartner(partner.ref, partner.naam, None))
            new_orgs += 1
            new_partners += 1
        elif org is not None:
            clash = org.pk in partner.beside or any(
                (row, org.pk) in chosen_in_row for row in partner.rows
            )
            if clash:
                errors.append(
                    _(
                        "%(org)s staat in %(rijen)s al als partner; kies voor „%(naam)s” een "
                        "andere organisatie of maak een nieuwe aan."
                    )
                    % {"org": org.naam, "rijen": rows_text(partner.rows), "naam": partner.naam}
                )
            else:
                for row in partner.rows:
                    chosen_in_row[(row, org.pk)] = partner.ref
                already = org.pk in tree.partner_ids
                resolution.creations.append(
                    NewPartner(partner.ref, partner.naam, org.pk, already_partner=already)
                )
                resolution.organisations[partner.ref] = org.pk
                resolution.names[org.pk] = org.naam
                new_partners += 0 if already else 1
        elif value:
            errors.append(
                _("Die organisatie is niet (meer) te kiezen; kies opnieuw voor „%(naam)s”.")
                % {"naam": partner.naam}
            )
        elif answers.checking:
            errors.append(
                _("Kies een organisatie voor „%(naam)s”, of maak een nieuwe aan.")
                % {"naam": partner.naam}
            )
        resolved = resolved and not errors and bool(value)
        choices.append(
            Choice(
                name,
                _("„%(naam)s” (%(rijen)s)")
                % {"naam": partner.naam, "rijen": rows_text(partner.rows)},
                kind="radio",
                options=(
                    *(
                        (
                            f"org-{o.pk}",
                            _("%(naam)s (al partner)") % {"naam": o.naam}
                            if o.pk in tree.partner_ids
                            else o.naam,
                        )
                        for o in suggestions
                    ),
                    (CREATE, _("Nieuwe organisatie „%(naam)s” aanmaken") % {"naam": partner.naam}),
                ),
                value=value,
                errors=tuple(errors),
            )
        )
    n = len(missing)
    if resolved:
        if new_orgs:
            resolution.created.append(
                ngettext("%(n)d nieuwe organisatie", "%(n)d nieuwe organisaties", new_orgs)
                % {"n": new_orgs}
            )
        if new_partners:
            resolution.created.append(
                ngettext("%(n)d nieuwe partner", "%(n)d nieuwe partners", new_partners)
                % {"n": new_partners}
            )
    else:
        resolution.creations = [c for c in resolution.creations if not isinstance(c, NewPartner)]
        resolution.organisations.clear()
    return ProblemGroup(
        key="partners",
        title=ngettext(
            "%(n)d organisatie is nog geen partner (%(rijen)s)",
            "%(n)d organisaties zijn nog geen partner (%(rijen)s)",
            n,
        )
        % {"n": n, "rijen": rows_text(r for p in missing for r in p.rows)},
        help=_(
            "Kies per organisatie welke bestaande organisatie het is, of maak een nieuwe aan. "
            "De import maakt ze partner van het programma."
        ),
        choices=choices,
        resolved=resolved,
    )


# -- writing -------------------------------------------------------------------------------------


def _describe(programma: Programma, item: Any) -> str:
    """What a creation is, as a refusal names it: "Thema 'Gezondheid'"."""
    if isinstance(item, NewAmbitie):
        level, name = "ambitie", item.titel
    elif isinstance(item, NewStrategischDoel):
        level, name = "strategisch_doel", f"{item.code} {item.titel}".strip()
    elif isinstance(item, NewGoal):
        level, name = "operationeel_doel", f"{item.code} {item.titel}".strip()
    else:
        return _("Partner '%(naam)s'") % {"naam": item.naam}
    return f"{programma.level_label(level)} '{name}'"


def create(
    programma: Programma, creations: list[Any], *, reason: str
) -> tuple[dict[str, int], dict[str, int]]:
    """Create the ambitie, strategic goals, operational goals and partners of a plan, in
    that order and inside the caller's transaction; each saved on its own with history (tree
    items with `reason`). Returns the ids of the new goals and of the partners' organisations
    by their reference. Raises ValidationError naming what failed."""
    ambitie_id: int | None = None
    sd_ids: dict[str, int] = {}
    goal_ids: dict[str, int] = {}
    org_ids: dict[str, int] = {}
    for item in creations:
        try:
            if isinstance(item, NewAmbitie):
                ambitie = Ambitie(programma=programma, titel=item.titel)
                ambitie_id = services.create_item(ambitie, reason=reason).pk
            elif isinstance(item, NewStrategischDoel):
                sd = StrategischDoel(
                    ambitie_id=item.ambitie_id or ambitie_id, code=item.code, titel=item.titel
                )
                sd_ids[item.ref] = services.create_item(sd, reason=reason).pk
            elif isinstance(item, NewGoal):
                goal = OperationeelDoel(
                    strategisch_doel_id=item.strategisch_doel_id
                    or sd_ids[item.strategisch_doel_ref],
                    code=item.code,
                    titel=item.titel,
                )
                goal_ids[item.ref] = services.create_item(goal, reason=reason).pk
            elif isinstance(item, NewPartner):
                org_ids[item.ref] = _make_partner(programma, item)
        except ValidationError as error:
            raise ValidationError(
                [f"{_describe(programma, item)}: {m}" for m in error.messages], code="invalid"
            ) from error
    return goal_ids, org_ids


def _make_partner(programma: Programma, item: NewPartner) -> int:
    if item.organisatie_id is None:
        organisatie = partner_services.create_organisatie(item.naam)
    else:
        organisatie = Organisatie.objects.filter(pk=item.organisatie_id).first()
        if organisatie is None:
            raise ValidationError(_("deze organisatie bestaat niet meer."))
    partner_services.add_partner(programma, organisatie)
    return organisatie.pk
