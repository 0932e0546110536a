"""Read helpers for the goal tree: one fixed set of queries, whatever the tree's size."""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from doelenboom.models import (
    PROJECT_FIELDS,
    Ambitie,
    Bijdrage,
    DoelPartner,
    Inspanning,
    InspanningPartner,
    OperationeelDoel,
    PartnerRol,
    StrategischDoel,
)
from programmes.models import Groep, GroepLid, Lidmaatschap, Organisatie, Partnerschap, Programma
from programmes.partners import ALL_MUNICIPALITIES, is_all_municipalities, shares_municipal_work

# A collapsed ambitie ("a3") or strategic goal ("s12") as the URL names it: ?dicht=a3,s12.
_NODE_KEY = re.compile(r"[as][0-9]{1,10}")
_MAX_CLOSED = 500


def _spelled(keys: frozenset[str]) -> str:
    """Node keys in tree order of their kind and id: "a2,s3,s10"."""
    return ",".join(sorted(keys, key=lambda key: (key[0], int(key[1:]))))


@dataclass(frozen=True)
class TreeFilters:
    """What the tree page shows: its filters, and which ambities and strategic goals are
    collapsed. Both live in the URL, so a filtered or collapsed view can be shared."""

    q: str = ""
    categorie: str = ""
    partner: str = ""  # an Organisatie slug
    closed: frozenset[str] = frozenset()  # node keys: AmbitieNode.key, StrategischNode.key

    @property
    def active(self) -> bool:
        return bool(self.q or self.categorie or self.partner)

    @property
    def dicht(self) -> str:
        """The collapsed nodes as the URL spells them."""
        return _spelled(self.closed)

    @property
    def query_without_filters(self) -> str:
        """This view with the filters cleared and the same parts collapsed."""
        return self.query(filtered=False)

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> "TreeFilters":
        categorie = params.get("categorie", "")
        if categorie not in Inspanning.Categorie.values:
            categorie = ""
        keys = params.get("dicht", "").split(",")[:_MAX_CLOSED]
        return cls(
            q=params.get("q", "").strip()[:200],
            categorie=categorie,
            partner=params.get("partner", "").strip()[:100],
            closed=frozenset(key for key in keys if _NODE_KEY.fullmatch(key)),
        )

    def query(self, *, closed: frozenset[str] | None = None, filtered: bool = True) -> str:
        """This view's query string ("?q=…&dicht=…"), "" when it has none.

        `closed` replaces the collapsed nodes; `filtered=False` leaves the filters out.
        """
        closed = self.closed if closed is None else closed
        params = []
        if filtered:
            params = [
                (name, value)
                for name, value in (
                    ("q", self.q),
                    ("categorie", self.categorie),
                    ("partner", self.partner),
                )
                if value
            ]
        if closed:
            params.append(("dicht", _spelled(closed)))
        return f"?{urlencode(params, safe=',')}" if params else ""


@dataclass(frozen=True)
class PartnerRef:
    """An organisation with its role on a goal or inspanning, as the tree lists it.

    One object per organisation and role, shared by every item that lists it.
    """

    slug: str
    naam: str
    rol: str
    rol_label: str  # lower case: it follows the name, "Hanzehogeschool (trekker)"


@dataclass
class DoelNode:
    doel: OperationeelDoel
    inspanningen: list[Inspanning] = field(default_factory=list)
    partners: list[PartnerRef] = field(default_factory=list)


@dataclass
class StrategischNode:
    doel: StrategischDoel
    doelen: list[DoelNode] = field(default_factory=list)
    closed: bool = False
    toggle_query: str = ""  # the view with this node collapsed or expanded the other way

    @property
    def key(self) -> str:
        return f"s{self.doel.pk}"

    @property
    def dom_id(self) -> str:
        return f"strategisch_doel-{self.doel.pk}"


@dataclass
class AmbitieNode:
    ambitie: Ambitie
    strategische_doelen: list[StrategischNode] = field(default_factory=list)
    closed: bool = False
    toggle_query: str = ""

    @property
    def key(self) -> str:
        return f"a{self.ambitie.pk}"

    @property
    def dom_id(self) -> str:
        return f"ambitie-{self.ambitie.pk}"


@dataclass
class Tree:
    ambities: list[AmbitieNode]
    algemeen: list[Inspanning]
    shown: int
    total: int
    filters: TreeFilters
    # The categories this programme's inspanningen use: the only ones worth filtering on.
    categorieen: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.ambities and not self.algemeen


def _matches_text(needle: str, *haystacks: str) -> bool:
    return any(needle in (h or "").casefold() for h in haystacks)


def tree_partners(programma: Programma) -> list[Organisatie]:
    return list(Organisatie.objects.filter(partnerschappen__programma=programma).order_by("naam"))


def _partner_refs(rows: Iterable[tuple[int, str, str, str]]) -> dict[int, list[PartnerRef]]:
    """(item id, rol, organisation slug, organisation name) rows, ordered, per item id."""
    labels = {value: str(label).lower() for value, label in PartnerRol.choices}
    refs: dict[tuple[str, str], PartnerRef] = {}
    per_item: dict[int, list[PartnerRef]] = defaultdict(list)
    for item_id, rol, slug, naam in rows:
        ref = refs.get((slug, rol))
        if ref is None:
            ref = refs[(slug, rol)] = PartnerRef(slug, naam, rol, labels.get(rol, rol))
        per_item[item_id].append(ref)
    return per_item


def build_tree(programma: Programma, filters: TreeFilters) -> Tree:
    """The programme's goal tree, with the inspanningen that pass the filters under their goals.

    An inspanning serving two goals appears under both; one serving none goes under "algemeen".
    Filtering is done in Python on prefetched rows so the query count stays fixed and text
    search ignores case and accents the same way on SQLite and PostgreSQL.

    Each inspanning carries what the tree shows of it as plain lists, as Prefetch(to_attr=…)
    would: `tree_goals` (its operational goals, by code), `tree_partners` (PartnerRef) and
    `categorie_label`. The links are read as bare rows rather than prefetched model instances:
    on a tree of 1,000 inspanningen that is most of the time this function takes.
    """
    ambities = list(
        Ambitie.objects.filter(programma=programma)
        .select_related("groep")
        .prefetch_related(
            Prefetch(
                "strategische_doelen",
                queryset=StrategischDoel.objects.prefetch_related("operationele_doelen"),
            )
        )
    )
    goals = {
        od.pk: od
        for ambitie in ambities
        for sd in ambitie.strategische_doelen.all()
        for od in sd.operationele_doelen.all()
    }
    goal_partners = _partner_refs(
        DoelPartner.objects.filter(operationeel_doel_id__in=list(goals))
        .order_by("rol", "organisatie__naam")
        .values_list("operationeel_doel_id", "rol", "organisatie__slug", "organisatie__naam")
    )
    inspanningen = list(
        Inspanning.objects.filter(programma=programma)
        .select_related("groep")
        .defer(*PROJECT_FIELDS)
    )
    goal_ids: dict[int, list[int]] = defaultdict(list)
    for inspanning_id, goal_id in (
        Bijdrage.objects.filter(inspanning__programma=programma)
        .order_by("operationeel_doel__code", "operationeel_doel_id")
        .values_list("inspanning_id", "operationeel_doel_id")
    ):
        if goal_id in goals:
            goal_ids[inspanning_id].append(goal_id)
    partners = _partner_refs(
        InspanningPartner.objects.filter(inspanning__programma=programma)
        .order_by("rol", "organisatie__naam")
        .values_list("inspanning_id", "rol", "organisatie__slug", "organisatie__naam")
    )
    categorie_labels = {value: str(label) for value, label in Inspanning.Categorie.choices}
    for inspanning in inspanningen:
        inspanning.tree_goals = [goals[goal_id] for goal_id in goal_ids[inspanning.pk]]
        inspanning.tree_partners = partners[inspanning.pk]
        inspanning.categorie_label = categorie_labels.get(
            inspanning.categorie, inspanning.categorie
        )

    needle = filters.q.casefold()
    goal_partner_slugs: dict[int, set[str]] = {}
    goal_matches_text: set[int] = set()
    for od in goals.values():
        goal_partner_slugs[od.pk] = {p.slug for p in goal_partners[od.pk]}
        if needle and _matches_text(needle, od.titel, od.code, od.omschrijving):
            goal_matches_text.add(od.pk)

    def passes(inspanning: Inspanning, goal_id: int | None) -> bool:
        if filters.categorie and inspanning.categorie != filters.categorie:
            return False
        if filters.partner:
            own = {p.slug for p in inspanning.tree_partners}
            via_goal = goal_partner_slugs.get(goal_id, set()) if goal_id else set()
            if filters.partner not in own and filters.partner not in via_goal:
                return False
        if needle and goal_id not in goal_matches_text:
            return _matches_text(needle, inspanning.titel, inspanning.code, inspanning.omschrijving)
        return True

    by_goal: dict[int, list[Inspanning]] = {}
    algemeen: list[Inspanning] = []
    shown_ids: set[int] = set()
    for inspanning in inspanningen:
        if not inspanning.tree_goals:
            if passes(inspanning, None):
                algemeen.append(inspanning)
                shown_ids.add(inspanning.pk)
            continue
        for goal in inspanning.tree_goals:
            if passes(inspanning, goal.pk):
                by_goal.setdefault(goal.pk, []).append(inspanning)
                shown_ids.add(inspanning.pk)

    def goal_visible(od: OperationeelDoel) -> bool:
        if not filters.active or by_goal.get(od.pk):
            return True
        if filters.categorie:
            return False
        text_ok = not needle or od.pk in goal_matches_text
        partner_ok = not filters.partner or filters.partner in goal_partner_slugs[od.pk]
        return text_ok and partner_ok

    def collapsible(node: AmbitieNode | StrategischNode) -> None:
        node.closed = node.key in filters.closed
        node.toggle_query = filters.query(closed=filters.closed ^ {node.key})

    nodes = []
    for ambitie in ambities:
        a_node = AmbitieNode(ambitie)
        collapsible(a_node)
        for sd in ambitie.strategische_doelen.all():
            s_node = StrategischNode(sd)
            collapsible(s_node)
            for od in sd.operationele_doelen.all():
                if goal_visible(od):
                    s_node.doelen.append(DoelNode(od, by_goal.get(od.pk, []), goal_partners[od.pk]))
            if s_node.doelen or not filters.active:
                a_node.strategische_doelen.append(s_node)
        if a_node.strategische_doelen or not filters.active:
            nodes.append(a_node)
    return Tree(
        ambities=nodes,
        algemeen=algemeen,
        shown=len(shown_ids),
        total=len(inspanningen),
        filters=filters,
        categorieen=frozenset(inspanning.categorie for inspanning in inspanningen),
    )


def inspanning_sheet(programma: Programma, pk: int) -> Inspanning:
    """One inspanning of the programme with everything its sheet shows; 404 otherwise."""
    return get_object_or_404(
        Inspanning.objects.select_related("groep").prefetch_related(
            Prefetch(
                "bijdragen",
                queryset=Bijdrage.objects.select_related(
                    "operationeel_doel__strategisch_doel__ambitie"
                ),
            ),
            Prefetch(
                "partnerrollen", queryset=InspanningPartner.objects.select_related("organisatie")
            ),
            "stappen",
        ),
        programma=programma,
        pk=pk,
    )


# -- partner pages: "wat doet elk lid" ------------------------------------------------------
#
# What an organisation does in a programme, at every level: the inspanningen it has a role
# in (and those it leads), the operational goals it has a role on or serves through those
# inspanningen, the strategic goals and ambities above them, and its groups. Work given to
# "Gemeenten" as a whole is also each municipality's work, marked as shared. The partner
# list and a partner's page count the same way, so their numbers agree.

# Roles in the order a page lists them: who leads first.
_ROL_ORDER = {rol: index for index, rol in enumerate(PartnerRol.values)}
_GROEP_ROL_ORDER = {rol: index for index, rol in enumerate(GroepLid.Rol.values)}
_LEADING_GROEP_ROLLEN = {GroepLid.Rol.VOORZITTER, GroepLid.Rol.KARTREKKER}


@dataclass
class Involvement:
    """The ids of what one organisation does in a programme, per level."""

    inspanningen: set[int] = field(default_factory=set)
    trekker: set[int] = field(default_factory=set)
    operationele_doelen: set[int] = field(default_factory=set)
    strategische_doelen: set[int] = field(default_factory=set)
    ambities: set[int] = field(default_factory=set)
    groepen: set[int] = field(default_factory=set)

    def with_shared(self, shared: "Involvement") -> "Involvement":
        """This plus `shared` (work of all municipalities); on an inspanning where this
        organisation has a role of its own, its own role counts, not the shared one."""
        only_shared = shared.inspanningen - self.inspanningen
        return Involvement(
            inspanningen=self.inspanningen | shared.inspanningen,
            trekker=self.trekker | (shared.trekker & only_shared),
            operationele_doelen=self.operationele_doelen | shared.operationele_doelen,
            strategische_doelen=self.strategische_doelen | shared.strategische_doelen,
            ambities=self.ambities | shared.ambities,
            groepen=self.groepen | shared.groepen,
        )

    def counts(self) -> dict[str, int]:
        return {
            "n_trekker": len(self.trekker),
            "n_inspanningen": len(self.inspanningen),
            "n_doelen": len(self.operationele_doelen),
            "n_strategische_doelen": len(self.strategische_doelen),
            "n_ambities": len(self.ambities),
            "n_groepen": len(self.groepen),
        }


def _involvement(programma: Programma) -> dict[int, Involvement]:
    """Per organisation id, what it does in the programme; five queries, whatever the size."""
    found: dict[int, Involvement] = defaultdict(Involvement)
    direct_goals: dict[int, set[int]] = defaultdict(set)
    for org_id, inspanning_id, rol in InspanningPartner.objects.filter(
        inspanning__programma=programma
    ).values_list("organisatie_id", "inspanning_id", "rol"):
        found[org_id].inspanningen.add(inspanning_id)
        if rol == PartnerRol.TREKKER:
            found[org_id].trekker.add(inspanning_id)
    for org_id, doel_id in DoelPartner.objects.filter(
        operationeel_doel__strategisch_doel__ambitie__programma=programma
    ).values_list("organisatie_id", "operationeel_doel_id"):
        direct_goals[org_id].add(doel_id)
    for org_id, groep_id in GroepLid.objects.filter(
        groep__programma=programma, organisatie__isnull=False
    ).values_list("organisatie_id", "groep_id"):
        found[org_id].groepen.add(groep_id)
    serves: dict[int, set[int]] = defaultdict(set)
    for inspanning_id, doel_id in Bijdrage.objects.filter(
        inspanning__programma=programma
    ).values_list("inspanning_id", "operationeel_doel_id"):
        serves[inspanning_id].add(doel_id)
    above = {
        doel_id: (sd_id, ambitie_id)
        for doel_id, sd_id, ambitie_id in OperationeelDoel.objects.filter(
            strategisch_doel__ambitie__programma=programma
        ).values_list("pk", "strategisch_doel_id", "strategisch_doel__ambitie_id")
    }
    for org_id in set(found) | set(direct_goals):
        inv = found[org_id]
        inv.operationele_doelen = direct_goals[org_id].union(*(serves[i] for i in inv.inspanningen))
        inv.strategische_doelen = {above[d][0] for d in inv.operationele_doelen}
        inv.ambities = {above[d][1] for d in inv.operationele_doelen}
    return found


@dataclass
class PartnerOverview:
    """The partner list: current partners, and former ones apart."""

    current: list[Organisatie]
    former: list[Organisatie]
    # Whether any municipality's figures include work shared by all municipalities.
    shared: bool


def partner_overview(programma: Programma) -> PartnerOverview:
    """Every partner of the programme with what it does at each level; a fixed six queries.

    Each organisation carries the counts of Involvement.counts(), `sinds`, `beeindigd_op`
    and `gedeeld` (whether its figures include work of all municipalities together).
    """
    partnerschappen = list(
        Partnerschap.objects.filter(programma=programma)
        .select_related("organisatie")
        .order_by("organisatie__naam")
    )
    involvement = _involvement(programma)
    collectives = [
        p.organisatie_id for p in partnerschappen if is_all_municipalities(p.organisatie)
    ]
    current, former = [], []
    for p in partnerschappen:
        org = p.organisatie
        own = involvement.get(org.pk, Involvement())
        total = own
        if shares_municipal_work(org):
            for collective in collectives:
                total = total.with_shared(involvement.get(collective, Involvement()))
        for name, value in total.counts().items():
            setattr(org, name, value)
        org.gedeeld = total != own
        org.sinds, org.beeindigd_op = p.sinds, p.beeindigd_op
        (current if p.beeindigd_op is None else former).append(org)
    return PartnerOverview(
        current=current, former=former, shared=any(o.gedeeld for o in current + former)
    )


@dataclass
class InspanningRol:
    inspanning: Inspanning
    rol: str
    gedeeld: bool

    @property
    def rol_label(self) -> str:
        return PartnerRol(self.rol).label

    @property
    def leads(self) -> bool:
        return self.rol == PartnerRol.TREKKER


@dataclass
class DoelRol:
    """An operational goal the partner works on: with a role of its own, or through its
    inspanningen that serve it (`via`), or both."""

    doel: OperationeelDoel
    rol: str = ""
    via: list[Inspanning] = field(default_factory=list)
    gedeeld: bool = False

    @property
    def rol_label(self) -> str:
        return PartnerRol(self.rol).label if self.rol else ""

    @property
    def leads(self) -> bool:
        return self.rol == PartnerRol.TREKKER


@dataclass
class GroepRollen:
    """A group the partner is in, once, with all of its roles and people there."""

    groep: Groep
    rollen: list[str] = field(default_factory=list)
    personen: list[str] = field(default_factory=list)
    gedeeld: bool = True

    @property
    def rol_labels(self) -> list[str]:
        return [GroepLid.Rol(rol).label for rol in self.rollen]

    @property
    def leads(self) -> bool:
        return bool(_LEADING_GROEP_ROLLEN & set(self.rollen))


@dataclass
class PartnerPage:
    organisatie: Organisatie
    partnerschap: Partnerschap
    inspanningen: list[InspanningRol]
    doelen: list[DoelRol]
    groepen: list[GroepRollen]
    contacten: list[Lidmaatschap]
    # "Gemeenten" and the like, whose work this municipality shares; empty for others.
    gedeeld_met: list[Organisatie]

    @property
    def n_trekker(self) -> int:
        return sum(1 for row in self.inspanningen if row.leads)

    @property
    def n_strategische_doelen(self) -> int:
        return len({row.doel.strategisch_doel_id for row in self.doelen})

    @property
    def n_ambities(self) -> int:
        return len({row.doel.strategisch_doel.ambitie_id for row in self.doelen})

    @property
    def has_shared(self) -> bool:
        rows = [*self.inspanningen, *self.doelen, *self.groepen]
        return any(row.gedeeld for row in rows)


def _inspanning_rows(roles: list[InspanningPartner], own_id: int) -> list[InspanningRol]:
    rows: dict[int, InspanningRol] = {}
    for role in roles:
        mine = role.organisatie_id == own_id
        row = rows.get(role.inspanning_id)
        if row is None or (mine and row.gedeeld):
            rows[role.inspanning_id] = InspanningRol(role.inspanning, role.rol, not mine)
    return sorted(
        rows.values(),
        key=lambda r: (_ROL_ORDER[r.rol], r.gedeeld, r.inspanning.volgorde, r.inspanning.pk),
    )


def _goal_rows(
    goal_roles: list[DoelPartner], inspanningen: list[InspanningRol], own_id: int
) -> list[DoelRol]:
    rows: dict[int, DoelRol] = {}
    for role in goal_roles:
        mine = role.organisatie_id == own_id
        row = rows.get(role.operationeel_doel_id)
        if row is None or (mine and row.gedeeld):
            rows[role.operationeel_doel_id] = DoelRol(
                role.operationeel_doel, role.rol, [], not mine
            )
    for item in inspanningen:
        for bijdrage in item.inspanning.bijdragen.all():
            row = rows.setdefault(
                bijdrage.operationeel_doel_id,
                DoelRol(bijdrage.operationeel_doel, gedeeld=item.gedeeld),
            )
            row.via.append(item.inspanning)
            row.gedeeld = row.gedeeld and item.gedeeld
    for row in rows.values():
        row.via.sort(key=lambda i: (i.code, i.pk))

    def key(row: DoelRol) -> tuple:
        sd = row.doel.strategisch_doel
        rank = _ROL_ORDER[row.rol] if row.rol else len(_ROL_ORDER)
        position = (sd.ambitie.volgorde, sd.ambitie_id, sd.volgorde, sd.pk, row.doel.volgorde)
        return (rank, row.gedeeld, *position, row.doel.pk)

    return sorted(rows.values(), key=key)


def _group_rows(members: list[GroepLid], own_id: int) -> list[GroepRollen]:
    rows: dict[int, GroepRollen] = {}
    for lid in members:
        row = rows.setdefault(lid.groep_id, GroepRollen(lid.groep))
        if lid.rol not in row.rollen:
            row.rollen.append(lid.rol)
        person = lid.persoon or (lid.user.get_full_name() if lid.user else "")
        if person and person not in row.personen:
            row.personen.append(person)
        row.gedeeld = row.gedeeld and lid.organisatie_id != own_id
    for row in rows.values():
        row.rollen.sort(key=_GROEP_ROL_ORDER.__getitem__)
    return sorted(
        rows.values(),
        key=lambda r: (not r.leads, r.gedeeld, r.groep.volgorde, r.groep.naam),
    )


def partner_page(programma: Programma, slug: str) -> PartnerPage:
    """What one organisation carries and joins in this programme ("wat doet elk lid").

    A municipality's page includes, marked as shared, the work given to all municipalities
    together. A fixed number of queries, whatever the partner does.
    """
    partnerschap = get_object_or_404(
        Partnerschap.objects.select_related("organisatie"),
        programma=programma,
        organisatie__slug=slug,
    )
    org = partnerschap.organisatie
    gedeeld_met = []
    if shares_municipal_work(org):
        gedeeld_met = list(
            Organisatie.objects.filter(ALL_MUNICIPALITIES, partnerschappen__programma=programma)
        )
    ids = [org.pk, *(o.pk for o in gedeeld_met)]
    goal_path = "operationeel_doel__strategisch_doel__ambitie"
    inspanningen = _inspanning_rows(
        list(
            InspanningPartner.objects.filter(organisatie__in=ids, inspanning__programma=programma)
            .select_related("inspanning")
            .prefetch_related(
                Prefetch(
                    "inspanning__bijdragen",
                    queryset=Bijdrage.objects.select_related(goal_path),
                )
            )
        ),
        org.pk,
    )
    doelen = _goal_rows(
        list(
            DoelPartner.objects.filter(
                organisatie__in=ids,
                operationeel_doel__strategisch_doel__ambitie__programma=programma,
            ).select_related(goal_path)
        ),
        inspanningen,
        org.pk,
    )
    groepen = _group_rows(
        list(
            GroepLid.objects.filter(organisatie__in=ids, groep__programma=programma)
            .select_related("groep", "user")
            .order_by("volgorde", "id")
        ),
        org.pk,
    )
    return PartnerPage(
        organisatie=org,
        partnerschap=partnerschap,
        inspanningen=inspanningen,
        doelen=doelen,
        groepen=groepen,
        contacten=list(
            Lidmaatschap.objects.filter(programma=programma, user__profiel__organisatie=org)
            .select_related("user__profiel")
            .order_by("user__last_name", "user__first_name")
        ),
        gedeeld_met=gedeeld_met,
    )
