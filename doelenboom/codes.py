"""The code a new item of the goal tree is likely to get: the next one in its parent's series.

Programmes number their items in their own way: AVK goals 1.1 … 1.8 under strategic goal 1,
KvNH doelstellingen 3.1 … 3.4 across an ambitie's themes, projects 3a, 3b, strategic goals
"3-T1". A suggestion is made only when the siblings' codes form one clear series (the same
text before a number or a single letter); otherwise the code is left empty for the editor.
"""

import re
from collections.abc import Iterable

from django.db.models import QuerySet

from doelenboom.levels import AMBITIE, INSPANNING, Level
from doelenboom.models import Bijdrage, Inspanning, Versioned
from programmes.models import Programma

# A code ending in a number ("1.7", "A12", "3-T2") or in one letter after a digit ("3b").
_NUMBERED = re.compile(r"^(?P<stem>.*?)(?P<number>\d+)$")
_LETTERED = re.compile(r"^(?P<stem>.*\d)(?P<letter>[a-zA-Z])$")
# What a child's code adds to its parent's: "5" → "5.1", "3" → "3a".
_CHILD_PART = re.compile(r"^(?P<sep>[.\-]?)(?P<first>\d+|[a-z])$")
# Far enough to step over codes taken elsewhere in the programme, never an endless search.
_MAX_STEPS = 50


def _series(code: str) -> tuple[str, str, int] | None:
    """(stem, kind, position) of a code: ("1.", "number", 7) for "1.7", ("3", "a", 2) for "3b"."""
    if match := _LETTERED.match(code):
        letter = match["letter"]
        base = "A" if letter.isupper() else "a"
        return match["stem"], base, ord(letter) - ord(base) + 1
    if match := _NUMBERED.match(code):
        return match["stem"], "number", int(match["number"])
    return None


def _code_at(stem: str, kind: str, position: int) -> str:
    if kind == "number":
        return f"{stem}{position}"
    if position > 26:
        return ""
    return f"{stem}{chr(ord(kind) + position - 1)}"


def next_code(siblings: Iterable[str], taken: Iterable[str] = ()) -> str:
    """The code after the highest of `siblings`, skipping codes in `taken`; "" if unclear.

    >>> next_code(["1.1", "1.7"])
    '1.8'
    >>> next_code(["3a", "3b"], taken=["3c"])
    '3d'
    """
    codes = [code.strip() for code in siblings if code and code.strip()]
    if not codes:
        return ""
    parsed = [_series(code) for code in codes]
    if any(p is None for p in parsed):
        return ""
    series = {(stem, kind) for stem, kind, _ in parsed}
    if len(series) != 1:
        return ""
    ((stem, kind),) = series
    used = {code.casefold() for code in (*codes, *taken) if code}
    position = max(p[2] for p in parsed)
    for _ in range(_MAX_STEPS):
        position += 1
        candidate = _code_at(stem, kind, position)
        if not candidate:
            return ""
        if candidate.casefold() not in used:
            return candidate
    return ""


def suggested_code(programma: Programma, level: Level, parent: Versioned | None) -> str:
    """The next code for a new item of `level` under `parent` (programme level: no parent).

    Codes used anywhere at that level in the programme are skipped, since goal and
    inspanning codes must be unique within it.
    """
    everywhere = level.model.objects.filter(**{level.scope: programma})
    if level is INSPANNING:
        if parent is None:
            return ""
        siblings = Inspanning.objects.filter(
            pk__in=Bijdrage.objects.filter(operationeel_doel=parent).values("inspanning_id")
        )
    elif level is AMBITIE:
        siblings = everywhere
    elif parent is None:
        return ""
    else:
        siblings = level.model.objects.filter(**{level.parent_field: parent.pk})
    taken = list(everywhere.values_list("code", flat=True))
    codes = list(siblings.order_by("volgorde", "id").values_list("code", flat=True))
    if any(codes) or level is INSPANNING or level is AMBITIE:
        return next_code(codes, taken)
    return _first_under(parent.code, everywhere, level, taken)


def _first_under(parent_code: str, everywhere: QuerySet, level: Level, taken: list[str]) -> str:
    """The first code under a parent without coded children, if the other parents' children
    all carry their parent's code plus a number or letter ("5.1" under "5", as "1.1" under "1")."""
    if not parent_code:
        return ""
    parent_key = level.parent_field.removesuffix("_id")
    pairs = everywhere.exclude(code="").values_list("code", f"{parent_key}__code")
    shapes = set()
    for code, their_parent in pairs:
        if not their_parent or not code.startswith(their_parent):
            return ""
        match = _CHILD_PART.match(code[len(their_parent) :])
        if match is None:
            return ""
        shapes.add((match["sep"], "1" if match["first"].isdigit() else "a"))
    if len(shapes) != 1:
        return ""
    ((sep, first),) = shapes
    candidate = f"{parent_code}{sep}{first}"
    return "" if candidate.casefold() in {code.casefold() for code in taken} else candidate
