"""What changed between two contents of a faseplan (fasering.content's dict shape).

Used by the compare page and by the adoption banner (the snapshot against the live tree).
Goals are matched by `doel_id`, inspanningen by (`doel_id`, `inspanning_id`): an inspanning
taken up under another goal is a different part of the plan.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from fasering.models import Middelen

# The text sections in the order the plan shows them.
TEXT_SECTIONS = {
    "context": gettext_lazy("Context"),
    "keuzes": gettext_lazy("Gemaakte keuzes"),
    "structurele_activiteiten": gettext_lazy("Structurele activiteiten"),
    "organisatie": gettext_lazy("Organisatie en rollen"),
}

DOEL = "doel"
INSPANNING = "inspanning"


@dataclass(frozen=True)
class Part:
    """A goal or an inspanning of one of the two plans."""

    kind: str  # DOEL or INSPANNING
    code: str
    titel: str
    # For an inspanning: the goal it is under ("1.1 Titel"); for a goal: its strategic goal.
    onder: str = ""
    # For a goal that came in or went out: the inspanningen that came or went with it.
    inspanningen: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.code} {self.titel}".strip()


@dataclass(frozen=True)
class FieldChange:
    veld: str
    oud: str
    nieuw: str


@dataclass(frozen=True)
class PartChange:
    part: Part
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class TextChange:
    name: str
    label: str
    html: SafeString  # the new text, with what went out in <del> and what came in in <ins>


@dataclass
class Comparison:
    came_in: list[Part] = field(default_factory=list)
    went_out: list[Part] = field(default_factory=list)
    changed: list[PartChange] = field(default_factory=list)
    texts: list[TextChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.came_in or self.went_out or self.changed or self.texts)

    def summary(self) -> str:
        """One Dutch sentence with the counts, e.g. for the banner of an adopted plan."""
        if self.is_empty:
            return _("Geen verschillen.")
        parts = []
        for parts_of, one, many in (
            (self.came_in, "%(n)d onderdeel erbij", "%(n)d onderdelen erbij"),
            (self.went_out, "%(n)d onderdeel vervallen", "%(n)d onderdelen vervallen"),
            (self.changed, "%(n)d onderdeel gewijzigd", "%(n)d onderdelen gewijzigd"),
            (self.texts, "%(n)d tekst gewijzigd", "%(n)d teksten gewijzigd"),
        ):
            if parts_of:
                parts.append(ngettext(one, many, len(parts_of)) % {"n": len(parts_of)})
        if len(parts) == 1:
            sentence = parts[0]
        else:
            sentence = _("%(first)s en %(last)s") % {
                "first": ", ".join(parts[:-1]),
                "last": parts[-1],
            }
        return sentence[0].upper() + sentence[1:] + "."


# -- values as shown -----------------------------------------------------------------------


def _fase(item: dict) -> str:
    return item.get("start_fase") or _("geen fase")


def _loopt_door(item: dict) -> str:
    return _("ja") if item.get("loopt_door") else _("nee")


def _partners(item: dict) -> str:
    names = sorted({p["naam"] for p in item.get("partners") or []}, key=str.casefold)
    return ", ".join(names) or _("geen")


def _middelen_klasse(item: dict) -> str:
    klasse = (item.get("middelen") or {}).get("klasse") or ""
    return str(dict(Middelen.choices).get(klasse, klasse)) or _("niet opgegeven")


def _middelen_toelichting(item: dict) -> str:
    return (item.get("middelen") or {}).get("toelichting") or ""


FIELDS = (
    (gettext_lazy("Titel"), lambda item: item.get("titel") or ""),
    (gettext_lazy("Start in fase"), _fase),
    (gettext_lazy("Loopt door in de volgende fase"), _loopt_door),
    (gettext_lazy("Partners"), _partners),
    (gettext_lazy("Aanvullende middelen"), _middelen_klasse),
    (gettext_lazy("Middelen, toelichting"), _middelen_toelichting),
)


def _field_changes(old: dict, new: dict) -> tuple[FieldChange, ...]:
    changes = []
    for label, value in FIELDS:
        before, after = value(old), value(new)
        if before != after:
            changes.append(FieldChange(str(label), before, after))
    return tuple(changes)


def _goal_part(doel: dict, inspanningen: tuple[str, ...] = ()) -> Part:
    return Part(
        DOEL,
        doel.get("code") or "",
        doel.get("titel") or "",
        doel.get("strategisch_doel") or "",
        inspanningen,
    )


def _inspanning_part(doel: dict, inspanning: dict) -> Part:
    onder = f"{doel.get('code') or ''} {doel.get('titel') or ''}".strip()
    return Part(INSPANNING, inspanning.get("code") or "", inspanning.get("titel") or "", onder)


def _inspanning_labels(doel: dict) -> tuple[str, ...]:
    return tuple(
        f"{i.get('code') or ''} {i.get('titel') or ''}".strip()
        for i in doel.get("inspanningen") or []
    )


# -- texts -----------------------------------------------------------------------------------

_WORDS = re.compile(r"\s+|[^\s]+")


def _render_words(words: list[str]) -> str:
    return escape("".join(words)).replace("\n", "<br>\n")


def word_diff(old: str, new: str) -> SafeString:
    """`new` with the words that went out in <del> and those that came in in <ins>.

    Each change starts with hidden words ("verwijderd:", "toegevoegd:") for screen readers,
    which do not announce <del>/<ins> by themselves; everything else is escaped.
    """
    a = _WORDS.findall(old or "")
    b = _WORDS.findall(new or "")
    removed = escape(_("verwijderd:"))
    added = escape(_("toegevoegd:"))
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(_render_words(b[j1:j2]))
            continue
        if op in ("delete", "replace"):
            out.append(
                f'<del><span class="koers-visually-hidden">{removed} </span>'
                f"{_render_words(a[i1:i2])}</del>"
            )
        if op in ("insert", "replace"):
            out.append(
                f'<ins><span class="koers-visually-hidden">{added} </span>'
                f"{_render_words(b[j1:j2])}</ins>"
            )
    # Every piece above is escaped.
    return mark_safe("".join(out))


# -- the comparison ------------------------------------------------------------------------


def compare_contents(old: dict, new: dict) -> Comparison:
    """What changed from content `old` to content `new` (both fasering.content dicts)."""
    result = Comparison()
    old_goals = {d["doel_id"]: d for d in old.get("doelen") or []}
    new_goals = {d["doel_id"]: d for d in new.get("doelen") or []}

    for doel_id, doel in new_goals.items():
        if doel_id not in old_goals:
            result.came_in.append(_goal_part(doel, _inspanning_labels(doel)))
    for doel_id, doel in old_goals.items():
        if doel_id not in new_goals:
            result.went_out.append(_goal_part(doel, _inspanning_labels(doel)))

    for doel_id, doel in new_goals.items():
        before = old_goals.get(doel_id)
        if before is None:
            continue
        changes = _field_changes(before, doel)
        if changes:
            result.changed.append(PartChange(_goal_part(doel), changes))
        old_ins = {i["inspanning_id"]: i for i in before.get("inspanningen") or []}
        new_ins = {i["inspanning_id"]: i for i in doel.get("inspanningen") or []}
        for ins_id, inspanning in new_ins.items():
            if ins_id not in old_ins:
                result.came_in.append(_inspanning_part(doel, inspanning))
                continue
            changes = _field_changes(old_ins[ins_id], inspanning)
            if changes:
                result.changed.append(PartChange(_inspanning_part(doel, inspanning), changes))
        for ins_id, inspanning in old_ins.items():
            if ins_id not in new_ins:
                result.went_out.append(_inspanning_part(before, inspanning))

    old_texts = old.get("teksten") or {}
    new_texts = new.get("teksten") or {}
    for name, label in TEXT_SECTIONS.items():
        before, after = old_texts.get(name) or "", new_texts.get(name) or ""
        if before != after:
            result.texts.append(TextChange(name, str(label), word_diff(before, after)))
    return result
