"""Read helpers for the goal tree: one fixed set of queries, whatever the tree's size."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Model, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404

from doelenboom.models import (
    Ambitie,
    Bijdrage,
    DoelPartner,
    Inspanning,
    InspanningPartner,
    OperationeelDoel,
    PartnerRol,
    StrategischDoel,
)
from programmes.models import GroepLid, Lidmaatschap, Organisatie, Partnerschap, Programma


@dataclass(frozen=True)
class TreeFilters:
    q: str = ""
    categorie: str = ""
    partner: str = ""  # an Organisatie slug

    @property
    def active(self) -> bool:
        return bool(self.q or self.categorie or self.partner)

    @classmethod
    def from_query(cls, params: dict[str, str]) -> "TreeFilters":
        categorie = params.get("categorie", "")
        if categorie not in Inspanning.Categorie.values:
            categorie = ""
        return cls(
            q=params.get("q", "").strip()[:200],
            categorie=categorie,
            partner=params.get("partner", "").strip()[:100],
        )


@dataclass
class DoelNode:
    doel: OperationeelDoel
    inspanningen: list[Inspanning] = field(default_factory=list)


@dataclass
class StrategischNode:
    doel: StrategischDoel
    doelen: list[DoelNode] = field(default_factory=list)


@dataclass
class AmbitieNode:
    ambitie: Ambitie
    strategische_doelen: list[StrategischNode] = field(default_factory=list)


@dataclass
class Tree:
    ambities: list[AmbitieNode]
    algemeen: list[Inspanning]
    shown: int
    total: int
    filters: TreeFilters

    @property
    def empty(self) -> bool:
        return not self.ambities and not self.algemeen


def _matches_text(needle: str, *haystacks: str) -> bool:
    return any(needle in (h or "").casefold() for h in haystacks)


def tree_partners(programma: Programma) -> list[Organisatie]:
    return list(Organisatie.objects.filter(partnerschappen__programma=programma).order_by("naam"))


def build_tree(programma: Programma, filters: TreeFilters) -> Tree:
    """The programme's goal tree, with the inspanningen that pass the filters under their goals.

    An inspanning serving two goals appears under both; one serving none goes under "algemeen".
    Filtering is done in Python on prefetched rows so the query count stays fixed and text
    search ignores case and accents the same way on SQLite and PostgreSQL.
    """
    doel_partners = Prefetch(
        "partnerrollen", queryset=DoelPartner.objects.select_related("organisatie")
    )
    ambities = list(
        Ambitie.objects.filter(programma=programma)
        .select_related("groep")
        .prefetch_related(
            Prefetch(
                "strategische_doelen",
                queryset=StrategischDoel.objects.prefetch_related(
                    Prefetch(
                        "operationele_doelen",
                        queryset=OperationeelDoel.objects.prefetch_related(doel_partners),
                    )
                ),
            )
        )
    )
    inspanningen = list(
        Inspanning.objects.filter(programma=programma).select_related("groep").with_links()
    )

    needle = filters.q.casefold()
    goal_partner_slugs: dict[int, set[str]] = {}
    goal_matches_text: set[int] = set()
    for ambitie in ambities:
        for sd in ambitie.strategische_doelen.all():
            for od in sd.operationele_doelen.all():
                goal_partner_slugs[od.pk] = {r.organisatie.slug for r in od.partnerrollen.all()}
                if needle and _matches_text(needle, od.titel, od.code, od.omschrijving):
                    goal_matches_text.add(od.pk)

    def passes(inspanning: Inspanning, goal_id: int | None) -> bool:
        if filters.categorie and inspanning.categorie != filters.categorie:
            return False
        if filters.partner:
            own = {r.organisatie.slug for r in inspanning.partnerrollen.all()}
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
        goal_ids = [b.operationeel_doel_id for b in inspanning.bijdragen.all()]
        if not goal_ids:
            if passes(inspanning, None):
                algemeen.append(inspanning)
                shown_ids.add(inspanning.pk)
            continue
        for goal_id in goal_ids:
            if passes(inspanning, goal_id):
                by_goal.setdefault(goal_id, []).append(inspanning)
                shown_ids.add(inspanning.pk)

    def goal_visible(od: OperationeelDoel) -> bool:
        if not filters.active or by_goal.get(od.pk):
            return True
        if filters.categorie:
            return False
        text_ok = not needle or od.pk in goal_matches_text
        partner_ok = not filters.partner or filters.partner in goal_partner_slugs[od.pk]
        return text_ok and partner_ok

    nodes = []
    for ambitie in ambities:
        a_node = AmbitieNode(ambitie)
        for sd in ambitie.strategische_doelen.all():
            s_node = StrategischNode(sd)
            for od in sd.operationele_doelen.all():
                if goal_visible(od):
                    s_node.doelen.append(DoelNode(od, by_goal.get(od.pk, [])))
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


def _count_for_partner(model: type[Model], programma_path: str, programma: Programma, **extra):
    return Subquery(
        model.objects.filter(organisatie=OuterRef("pk"), **{programma_path: programma}, **extra)
        .order_by()
        .values("organisatie")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


def partner_overview(programma: Programma) -> list[Organisatie]:
    """Every partner of the programme with what it carries, in one query."""
    return list(
        Organisatie.objects.filter(partnerschappen__programma=programma)
        .annotate(
            sinds=F("partnerschappen__sinds"),
            n_trekker=_count_for_partner(
                InspanningPartner, "inspanning__programma", programma, rol=PartnerRol.TREKKER
            ),
            n_inspanningen=_count_for_partner(
                InspanningPartner, "inspanning__programma", programma
            ),
            n_doelen=_count_for_partner(
                DoelPartner, "operationeel_doel__strategisch_doel__ambitie__programma", programma
            ),
            n_groepen=_count_for_partner(GroepLid, "groep__programma", programma),
        )
        .order_by("naam")
    )


@dataclass
class PartnerPage:
    organisatie: Organisatie
    partnerschap: Partnerschap
    inspanningen: list[InspanningPartner]
    doelen: list[DoelPartner]
    groepen: list[GroepLid]
    contacten: list[Lidmaatschap]


def partner_page(programma: Programma, slug: str) -> PartnerPage:
    """What one organisation carries and joins in this programme ("wat doet elk lid")."""
    partnerschap = get_object_or_404(
        Partnerschap.objects.select_related("organisatie"),
        programma=programma,
        organisatie__slug=slug,
    )
    org = partnerschap.organisatie
    return PartnerPage(
        organisatie=org,
        partnerschap=partnerschap,
        inspanningen=list(
            InspanningPartner.objects.filter(organisatie=org, inspanning__programma=programma)
            .select_related("inspanning")
            .prefetch_related(
                Prefetch(
                    "inspanning__bijdragen",
                    queryset=Bijdrage.objects.select_related("operationeel_doel"),
                )
            )
            .order_by("rol", "inspanning__volgorde", "inspanning__id")
        ),
        doelen=list(
            DoelPartner.objects.filter(
                organisatie=org, operationeel_doel__strategisch_doel__ambitie__programma=programma
            )
            .select_related("operationeel_doel__strategisch_doel")
            .order_by("operationeel_doel__code", "operationeel_doel__id")
        ),
        groepen=list(
            GroepLid.objects.filter(organisatie=org, groep__programma=programma)
            .select_related("groep", "user")
            .order_by("groep__volgorde", "groep__naam")
        ),
        contacten=list(
            Lidmaatschap.objects.filter(programma=programma, user__profiel__organisatie=org)
            .select_related("user__profiel")
            .order_by("user__last_name", "user__first_name")
        ),
    )
