"""Writes and lookups for a programme's partners: organisations joining and leaving."""

import difflib
import re
import unicodedata
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from programmes.models import Organisatie, Partnerschap, Programma

# Words that say what kind of organisation it is, not which one; left out when comparing.
_NOISE = frozenset({"gemeente", "stichting", "de", "het", "van", "en", "vereniging", "bv"})


def _key(naam: str) -> str:
    text = unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.findall(r"[a-z0-9]+", text) if w not in _NOISE]
    return " ".join(words) or text.strip()


def similar_organisations(naam: str, *, limit: int = 5) -> list[Organisatie]:
    """Existing organisations whose name looks like `naam`, best match first.

    "Hanzehogeschool" finds "Hanzehogeschool Groningen": a name that starts with or contains
    the other counts as similar, as do close spellings.
    """
    wanted = _key(naam)
    if not wanted:
        return []
    scored = []
    for organisatie in Organisatie.objects.only("pk", "naam", "slug"):
        key = _key(organisatie.naam)
        if key == wanted:
            score = 2.0
        elif wanted in key or key in wanted:
            score = 1.5
        else:
            score = difflib.SequenceMatcher(None, wanted, key).ratio()
        if score >= 0.75:
            scored.append((score, organisatie.naam, organisatie))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [organisatie for _score, _naam, organisatie in scored[:limit]]


def _free_slug(naam: str) -> str:
    base = slugify(naam)[:90] or "organisatie"
    slug, n = base, 2
    while Organisatie.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_organisatie(naam: str, *, soort: str = Organisatie.Soort.OVERIG) -> Organisatie:
    """A new organisation with a free slug; `naam` is expected to be validated."""
    organisatie = Organisatie(naam=naam.strip(), soort=soort, slug=_free_slug(naam))
    organisatie.full_clean()
    organisatie.save()
    return organisatie


@transaction.atomic
def add_partner(
    programma: Programma, organisatie: Organisatie, *, sinds: int | None = None
) -> Partnerschap:
    """Make `organisatie` a current partner of `programma`; an ended partnership is resumed.

    Idempotent for a current partner. Side effects: one Partnerschap row created or changed,
    with a history row.
    """
    partnerschap = (
        Partnerschap.objects.select_for_update()
        .filter(programma=programma, organisatie=organisatie)
        .first()
    )
    if partnerschap is None:
        partnerschap = Partnerschap(
            programma=programma,
            organisatie=organisatie,
            sinds=sinds or timezone.localdate().year,
        )
    elif partnerschap.beeindigd_op is None:
        return partnerschap
    partnerschap.beeindigd_op = None
    partnerschap.full_clean()
    partnerschap.save()
    return partnerschap


@transaction.atomic
def end_partner(partnerschap: Partnerschap, *, op: date | None = None) -> Partnerschap:
    """End a partnership; its roles in the tree stay as history of what the partner did."""
    partnerschap.beeindigd_op = op or timezone.localdate()
    partnerschap.save(update_fields=["beeindigd_op"])
    return partnerschap
