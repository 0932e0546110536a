"""Drafting faseplan N+1 from the decisions of a year's eiland van reflectie.

`draft_next` says what drafting would change, writing nothing: whether the plan is created,
which goals and inspanningen come in or go out, and what happens to the trends block of its
context text. `apply_draft` plans again under locks and writes, in one transaction, only when
the outcome is exactly the previewed one (`Draft.digest`); otherwise it raises `DraftChanged`
with the new preview. Like the spreadsheet imports (core.imports.apply_plan).

What drafting does, so that running it again duplicates nothing:
- N is the number of the plan the reflection looks back on; without one, the last plan that
  is no longer a concept (0 when there is none). A plan N+1 that exists and is not a concept
  is refused: an adopted or submitted plan is not redrafted.
- A new plan N+1 is a concept "Faseplan N+1", from the month after plan N ends and as long
  as plan N (twelve months from January after the reflection's year without a plan N).
- Goals decided "in het volgende faseplan", or "later" with number N+1, come in when they are
  not in the plan yet. A goal of plan N keeps its items of plan N (the goal and the
  inspanningen under it that still serve it) with their partners, means, toelichting and
  loopt_door; its start fase does not carry over, the fases differ. Any other goal comes in as
  the faseplan page picks it (fasering.services.set_goals / set_inspanningen): the tree's
  partners and every inspanning that serves it. Goals already in the plan are left as the team
  edited them.
- Goals decided "later" with another number, or "stoppen", go out with their inspanningen.
  Goals without a decision stay.
- The trends become one block of the context text, under a fixed first line; a re-run
  replaces that block and keeps the rest of the text.
"""

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from doelenboom.models import DoelPartner, InspanningPartner, OperationeelDoel
from fasering import queries, services
from fasering.models import Besluit, Faseplan, FaseplanItem, Reflectie, Trend
from programmes.models import Organisatie, Programma

# The first line of the trends block. Stored in the plan's text and found again by it on a
# re-run, so it is fixed Dutch text, not translated.
TRENDS_HEADING = "Trends en ontwikkelingen uit het eiland van reflectie {jaar}"

FROM_PLAN, FROM_TREE = "faseplan", "doelenboom"
ADDED, CHANGED, REMOVED, UNCHANGED = "toegevoegd", "gewijzigd", "verwijderd", "ongewijzigd"


def reason(reflectie: Reflectie) -> str:
    """The history reason of every write drafting makes."""
    return _("opgesteld uit het eiland van reflectie %(jaar)s") % {"jaar": reflectie.jaar}


def reflection_of(programma: Programma, jaar: int) -> Reflectie:
    """The programme's reflection of `jaar`; 404 for any other."""
    return get_object_or_404(
        Reflectie.objects.select_related("programma", "faseplan"), programma=programma, jaar=jaar
    )


# -- what a draft holds -----------------------------------------------------------------------


@dataclass(frozen=True)
class DraftItem:
    """A goal or inspanning the draft adds, with the values it gets and where they come from
    (FROM_PLAN: its item of plan N; FROM_TREE: the goal tree's defaults)."""

    doel_id: int
    doel: str
    inspanning_id: int | None
    inspanning: str
    bron: str
    partner_ids: tuple[int, ...]
    partners: tuple[str, ...]
    partners_vrij: str = ""
    middelen: str = ""
    middelen_toelichting: str = ""
    toelichting: str = ""
    loopt_door: bool = False

    @property
    def is_goal(self) -> bool:
        return self.inspanning_id is None


@dataclass(frozen=True)
class RemovedItem:
    """An item of the concept that goes out, and the decision that takes it out."""

    item_id: int
    versie: int
    doel_id: int
    doel: str
    inspanning: str
    besluit: str

    @property
    def is_goal(self) -> bool:
        return not self.inspanning


@dataclass(frozen=True)
class NotTaken:
    """A goal the reflection keeps out of this plan (stop, or a later plan)."""

    doel: str
    besluit: str


@dataclass
class Draft:
    reflectie: Reflectie
    nummer: int
    vorige: Faseplan | None
    plan: Faseplan | None
    titel: str = ""
    start: datetime.date | None = None
    eind: datetime.date | None = None
    refusal: str = ""
    added: list[DraftItem] = field(default_factory=list)
    removed: list[RemovedItem] = field(default_factory=list)
    not_taken: list[NotTaken] = field(default_factory=list)
    context: str = ""
    context_action: str = UNCHANGED
    trends_block: str = ""

    @property
    def creates(self) -> bool:
        return self.plan is None and not self.refusal

    @property
    def has_changes(self) -> bool:
        return not self.refusal and bool(
            self.creates or self.added or self.removed or self.context_action != UNCHANGED
        )

    @property
    def context_action_label(self) -> str:
        return {
            ADDED: _("toegevoegd"),
            CHANGED: _("gewijzigd"),
            REMOVED: _("verwijderd"),
            UNCHANGED: _("ongewijzigd"),
        }[self.context_action]

    @property
    def months(self) -> int:
        """How many months the new plan runs (its end month included)."""
        if not self.start or not self.eind:
            return 0
        return (self.eind.year - self.start.year) * 12 + self.eind.month - self.start.month + 1

    @property
    def added_by_goal(self) -> list[tuple[DraftItem, list[DraftItem]]]:
        """Each added goal with the inspanningen that come in under it."""
        return [
            (goal, [i for i in self.added_inspanningen if i.doel_id == goal.doel_id])
            for goal in self.added_goals
        ]

    @property
    def removed_by_goal(self) -> list[tuple[RemovedItem, list[RemovedItem]]]:
        return [
            (goal, [i for i in self.removed_inspanningen if i.doel_id == goal.doel_id])
            for goal in self.removed_goals
        ]

    @property
    def added_goals(self) -> list[DraftItem]:
        return [item for item in self.added if item.is_goal]

    @property
    def added_inspanningen(self) -> list[DraftItem]:
        return [item for item in self.added if not item.is_goal]

    @property
    def removed_goals(self) -> list[RemovedItem]:
        return [item for item in self.removed if item.is_goal]

    @property
    def removed_inspanningen(self) -> list[RemovedItem]:
        return [item for item in self.removed if not item.is_goal]

    @property
    def digest(self) -> str:
        """A fingerprint of what would be written and of what it builds on: the plan's and
        the removed items' versions, the values carried over, the new context."""
        payload = {
            "nummer": self.nummer,
            "plan": [self.plan.pk, self.plan.versie] if self.plan else None,
            "nieuw": [self.titel, str(self.start), str(self.eind)] if self.creates else None,
            "refusal": self.refusal,
            "added": [asdict(item) for item in self.added],
            "removed": [asdict(item) for item in self.removed],
            "context": self.context if self.context_action != UNCHANGED else None,
        }
        text = json.dumps(payload, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


class DraftChanged(Exception):
    """The data changed since the preview: `draft` is the new preview, nothing was written."""

    def __init__(self, draft: Draft) -> None:
        super().__init__("draft changed")
        self.draft = draft


class DraftRefused(ValidationError):
    """Plan N+1 exists and is no longer a concept."""


# -- the trends block of the context text -------------------------------------------------------


def trends_block(jaar: int, trends: list[Trend]) -> str:
    """The block: its fixed first line, then "- A. <titel> (<startmoment>)" per trend."""
    if not trends:
        return ""
    lines = [TRENDS_HEADING.format(jaar=jaar)]
    for trend in trends:
        line = f"{trend.letter}. {trend.titel}" if trend.letter else trend.titel
        if trend.startmoment:
            line += f" ({trend.startmoment})"
        lines.append(f"- {line}")
    return "\n".join(lines)


def with_trends_block(text: str, jaar: int, block: str) -> tuple[str, str]:
    """`text` with its trends block of `jaar` replaced by `block` (added at the end when it has
    none; removed when `block` is empty), and what happened (ADDED, CHANGED, REMOVED,
    UNCHANGED). The rest of the text is kept exactly, line endings included."""
    heading = TRENDS_HEADING.format(jaar=jaar)
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip() == heading), None)
    if start is None:
        if not block:
            return text, UNCHANGED
        kept = text.rstrip()
        return (f"{kept}\n\n{block}" if kept else block), ADDED
    end = start + 1
    while end < len(lines) and lines[end].strip():
        end += 1
    old = "".join(lines[start:end]).rstrip("\r\n")
    if old.replace("\r\n", "\n") == block:
        return text, UNCHANGED
    before, after = "".join(lines[:start]), "".join(lines[end:])
    if block:
        ending = lines[end - 1][len(lines[end - 1].rstrip("\r\n")) :]
        return before + block + ending + after, CHANGED
    # Removed: drop the blank line that separated it too, so no gap is left behind.
    return (before.rstrip() + ("\n\n" + after.lstrip() if after.strip() else "")), REMOVED


# -- the preview --------------------------------------------------------------------------------


def _target(reflectie: Reflectie) -> tuple[int, Faseplan | None]:
    """N+1, and plan N (the plan reflected on, else the last plan that is not a concept)."""
    if reflectie.faseplan_id:
        return reflectie.faseplan.nummer + 1, reflectie.faseplan
    vorige = (
        queries.faseplannen(reflectie.programma)
        .exclude(status=Faseplan.Status.CONCEPT)
        .order_by("-nummer")
        .first()
    )
    return (vorige.nummer + 1 if vorige else 1), vorige


def _add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def derived_period(
    reflectie: Reflectie, vorige: Faseplan | None
) -> tuple[datetime.date, datetime.date]:
    """From the month after plan N ends, as long as plan N; without plan N, the calendar
    year after the reflection."""
    if vorige is None:
        return datetime.date(reflectie.jaar + 1, 1, 1), datetime.date(reflectie.jaar + 1, 12, 1)
    months = (vorige.eind.year - vorige.start.year) * 12 + vorige.eind.month - vorige.start.month
    start = _add_months(vorige.eind, 1)
    return start, _add_months(start, months)


def _names(orgs) -> tuple[str, ...]:
    return tuple(org.naam for org in sorted(orgs, key=lambda o: o.naam))


def _carried(item: FaseplanItem, goal: OperationeelDoel) -> DraftItem:
    """An item of plan N as it comes into plan N+1 (everything but its start fase)."""
    partners = sorted(item.partners.all(), key=lambda o: o.pk)
    return DraftItem(
        doel_id=goal.pk,
        doel=str(goal),
        inspanning_id=item.inspanning_id,
        inspanning=str(item.inspanning) if item.inspanning_id else "",
        bron=FROM_PLAN,
        partner_ids=tuple(o.pk for o in partners),
        partners=_names(partners),
        partners_vrij=item.partners_vrij,
        middelen=item.middelen,
        middelen_toelichting=item.middelen_toelichting,
        toelichting=item.toelichting,
        loopt_door=item.loopt_door,
    )


def _from_tree(goal: OperationeelDoel, inspanning=None, partners=()) -> DraftItem:
    """A goal or inspanning as the faseplan page takes it up: the tree's partners (what
    services.set_goals and set_inspanningen give a new item), the rest at its defaults."""
    partners = sorted(partners, key=lambda o: o.pk)
    return DraftItem(
        doel_id=goal.pk,
        doel=str(goal),
        inspanning_id=inspanning.pk if inspanning else None,
        inspanning=str(inspanning) if inspanning else "",
        bron=FROM_TREE,
        partner_ids=tuple(o.pk for o in partners),
        partners=_names(partners),
    )


def _decision_label(besluit) -> str:
    if besluit.besluit == Besluit.LATER:
        return _("In een later faseplan (faseplan %(n)s)") % {"n": besluit.faseplan_nummer}
    return besluit.get_besluit_display()


def _items_by_goal(plan: Faseplan | None) -> dict[int, list[FaseplanItem]]:
    """A plan's items per goal, the goal's own item first, then its inspanningen in order."""
    if plan is None:
        return {}
    items = (
        FaseplanItem.objects.filter(faseplan=plan)
        .select_related("operationeel_doel", "inspanning")
        .prefetch_related(Prefetch("partners", queryset=Organisatie.objects.order_by("pk")))
        .order_by("volgorde", "id")
    )
    grouped: dict[int, list[FaseplanItem]] = {}
    for item in items:
        grouped.setdefault(item.operationeel_doel_id, []).append(item)
    for group in grouped.values():
        group.sort(key=lambda i: i.inspanning_id is not None)
    return grouped


def _has_goal_item(items: list[FaseplanItem]) -> bool:
    return any(item.inspanning_id is None for item in items)


def draft_next(reflectie: Reflectie) -> Draft:
    """What drafting plan N+1 from `reflectie` would change; writes nothing."""
    programma = reflectie.programma
    nummer, vorige = _target(reflectie)
    plan = queries.faseplannen(programma).filter(nummer=nummer).first()
    draft = Draft(reflectie=reflectie, nummer=nummer, vorige=vorige, plan=plan)
    if plan is not None and plan.status != Faseplan.Status.CONCEPT:
        draft.refusal = _(
            "%(titel)s is %(status)s en wordt niet opnieuw opgesteld uit het eiland van "
            "reflectie %(jaar)s. Alleen een concept kan worden bijgewerkt."
        ) % {
            "titel": plan.titel,
            "status": plan.get_status_display().lower(),
            "jaar": reflectie.jaar,
        }
        return draft
    if plan is None:
        draft.titel = _("Faseplan %(n)s") % {"n": nummer}
        draft.start, draft.eind = derived_period(reflectie, vorige)

    besluiten = list(reflectie.besluiten.select_related("operationeel_doel"))
    wanted = {
        b.operationeel_doel_id
        for b in besluiten
        if b.besluit == Besluit.VOLGEND
        or (b.besluit == Besluit.LATER and b.faseplan_nummer == nummer)
    }
    # Goals decided out of this plan: stop, or a later plan than this one.
    kept_out = {b.operationeel_doel_id: b for b in besluiten}
    for pk in wanted:
        kept_out.pop(pk)

    have = _items_by_goal(plan)
    before = _items_by_goal(vorige)
    new_goals = [
        goal
        for goal in queries.programme_goals(programma)
        if goal.pk in wanted and not _has_goal_item(have.get(goal.pk, []))
    ]
    tree_goals = [g for g in new_goals if not _has_goal_item(before.get(g.pk, []))]
    goal_partners = _partners_of(DoelPartner, "operationeel_doel_id", [g.pk for g in tree_goals])
    # All goals' inspanningen and their partners at once: a query or two, not two per goal.
    serving_of = queries.goals_inspanningen(programma, [g.pk for g in new_goals])
    partners = _partners_of(
        InspanningPartner,
        "inspanning_id",
        [i.pk for g in tree_goals for i in serving_of[g.pk]],
    )
    for goal in new_goals:
        serving = serving_of[goal.pk]
        if goal in tree_goals:
            draft.added.append(_from_tree(goal, partners=goal_partners.get(goal.pk, [])))
            draft.added += [_from_tree(goal, i, partners.get(i.pk, [])) for i in serving]
        else:
            serves = {i.pk for i in serving}
            draft.added += [
                _carried(item, goal)
                for item in before[goal.pk]
                if item.inspanning_id is None or item.inspanning_id in serves
            ]

    for goal_id, items in have.items():
        besluit = kept_out.get(goal_id)
        if besluit is None:
            continue
        label = _decision_label(besluit)
        draft.removed += [
            RemovedItem(
                item.pk,
                item.versie,
                goal_id,
                str(item.operationeel_doel),
                str(item.inspanning) if item.inspanning_id else "",
                label,
            )
            for item in items
        ]
    draft.not_taken = [
        NotTaken(str(b.operationeel_doel), _decision_label(b))
        for b in sorted(kept_out.values(), key=lambda b: b.operationeel_doel.code)
        if b.operationeel_doel_id not in have
    ]

    trends = list(reflectie.trends.all())
    draft.trends_block = trends_block(reflectie.jaar, trends)
    draft.context, draft.context_action = with_trends_block(
        plan.context if plan else "", reflectie.jaar, draft.trends_block
    )
    return draft


def _partners_of(link_model, key: str, ids: list[int]) -> dict[int, list[Organisatie]]:
    """The tree's partners of these goals or inspanningen, in one query (for the preview)."""
    if not ids:
        return {}
    found: dict[int, list[Organisatie]] = {}
    for link in link_model.objects.filter(**{f"{key}__in": ids}).select_related("organisatie"):
        found.setdefault(getattr(link, key), []).append(link.organisatie)
    return found


# -- applying -----------------------------------------------------------------------------------


def _create_plan(draft: Draft, why: str) -> Faseplan:
    plan = Faseplan(
        programma=draft.reflectie.programma,
        nummer=draft.nummer,
        titel=draft.titel,
        start=draft.start,
        eind=draft.eind,
        context=draft.context,
    )
    plan.full_clean()
    services._save(plan, why)
    return plan


def _write_carried(plan: Faseplan, items: list[DraftItem], why: str) -> None:
    """The items carried over from plan N, ordered as the faseplan page orders new ones
    (the goal by tree position, its inspanningen right after it)."""
    order = {goal.pk: index for index, goal in enumerate(queries.programme_goals(plan.programma))}
    goals = {g.pk: g for g in OperationeelDoel.objects.filter(pk__in={i.doel_id for i in items})}
    offset: dict[int, int] = {}
    for draft_item in items:
        goal = goals[draft_item.doel_id]
        base = order[goal.pk] * 1000
        offset[goal.pk] = offset.get(goal.pk, -1) + 1
        item = services._new_item(
            plan,
            goal,
            base + offset[goal.pk],
            inspanning_id=draft_item.inspanning_id,
            partners_vrij=draft_item.partners_vrij,
            middelen=draft_item.middelen,
            middelen_toelichting=draft_item.middelen_toelichting,
            toelichting=draft_item.toelichting,
            loopt_door=draft_item.loopt_door,
        )
        services._save(item, why)
        item.partners.set(draft_item.partner_ids)


@transaction.atomic
def apply_draft(reflectie: Reflectie, *, expected_digest: str) -> Draft:
    """Draft plan N+1 as previewed: create it if need be, add and remove its goals and
    inspanningen, write the trends block. Side effects: writes the Faseplan, its
    FaseplanItems and their history, with the reason "opgesteld uit het eiland van reflectie
    <jaar>". Raises DraftRefused when plan N+1 is no longer a concept and DraftChanged (writing
    nothing) when the preview is not the one the user saw."""
    # Lock the reflection: two people drafting from it at once are served one after the other.
    reflectie = (
        Reflectie.objects.select_for_update().select_related("programma").get(pk=reflectie.pk)
    )
    # And the programme's plans: plan N+1 cannot change status or content meanwhile.
    list(
        Faseplan.objects.select_for_update()
        .filter(programma=reflectie.programma)
        .values_list("pk", flat=True)
    )
    draft = draft_next(reflectie)
    if draft.refusal:
        raise DraftRefused(draft.refusal)
    if draft.digest != expected_digest:
        raise DraftChanged(draft)
    if not draft.has_changes:
        return draft
    why = reason(reflectie)
    plan = draft.plan or _create_plan(draft, why)
    carried = [item for item in draft.added if item.bron == FROM_PLAN]
    tree = [item for item in draft.added if item.bron == FROM_TREE]
    if carried:
        _write_carried(plan, carried, why)
    if tree or draft.removed_goals:
        removed = {item.item_id for item in draft.removed_goals}
        goals = set(
            plan.items.filter(inspanning__isnull=True)
            .exclude(pk__in=removed)
            .values_list("operationeel_doel_id", flat=True)
        )
        services.set_goals(plan, goals | {item.doel_id for item in tree}, reason=why)
        for goal in OperationeelDoel.objects.filter(
            pk__in={item.doel_id for item in tree if not item.is_goal}
        ):
            ids = [i.inspanning_id for i in tree if i.doel_id == goal.pk and not i.is_goal]
            services.set_inspanningen(plan, goal, ids, reason=why)
    if draft.plan is not None and draft.context_action != UNCHANGED:
        current = Faseplan.objects.select_for_update().get(pk=plan.pk)
        current.context = draft.context
        services._bump(current, why)
    return draft
