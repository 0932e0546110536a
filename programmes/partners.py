"""Writes and lookups for a programme's partners: organisations joining and leaving."""

import difflib
import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.formats import long_date
from programmes.models import Organisatie, Partnerschap, Programma

# Words that say what kind of organisation it is, not which one; left out when comparing.
_NOISE = frozenset({"gemeente", "stichting", "de", "het", "van", "en", "vereniging", "bv"})

# Paths under /programmas/<slug>/partners/ that an organisation's slug must not take.
RESERVED_SLUGS = frozenset({"toevoegen"})

# "Gemeenten" or "Gemeenten Kop van Noord-Holland": the municipalities of a programme together.
# Work given to them is work of each municipality, shared with the others.
ALL_MUNICIPALITIES = Q(naam__iexact="gemeenten") | Q(naam__istartswith="gemeenten ")


def is_all_municipalities(organisatie: Organisatie) -> bool:
    naam = organisatie.naam.strip().casefold()
    return naam == "gemeenten" or naam.startswith("gemeenten ")


def shares_municipal_work(organisatie: Organisatie) -> bool:
    """Whether work given to all municipalities together is also this organisation's work."""
    return organisatie.soort == Organisatie.Soort.GEMEENTE and not is_all_municipalities(
        organisatie
    )


def current_partnerships() -> QuerySet[Partnerschap]:
    """Partnerships that have not ended: who is a partner today."""
    return Partnerschap.objects.filter(beeindigd_op__isnull=True)


def current_partner_count(programma_ref: str = "pk") -> Subquery:
    """The number of current partners of the programme at OuterRef(`programma_ref`).

    The one count behind every partner figure, so the overview and the partner list agree.
    """
    return Subquery(
        current_partnerships()
        .filter(programma=OuterRef(programma_ref))
        .order_by()
        .values("programma")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


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
    for organisatie in Organisatie.objects.only("pk", "naam", "slug", "soort"):
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
    while slug in RESERVED_SLUGS or Organisatie.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_organisatie(
    naam: str, *, soort: str = Organisatie.Soort.OVERIG, reason: str = ""
) -> Organisatie:
    """A new organisation with a free slug; `naam` is expected to be validated."""
    organisatie = Organisatie(naam=naam.strip(), soort=soort, slug=_free_slug(naam))
    organisatie.full_clean()
    organisatie._change_reason = reason or None
    organisatie.save()
    return organisatie


@transaction.atomic
def add_partner(
    programma: Programma,
    organisatie: Organisatie,
    *,
    sinds: int | None = None,
    reason: str = "",
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
    partnerschap._change_reason = reason or None
    partnerschap.save()
    return partnerschap


@transaction.atomic
def admit_partner(
    programma: Programma,
    *,
    organisatie: Organisatie | None = None,
    naam: str = "",
    soort: str = Organisatie.Soort.OVERIG,
    reason: str = "",
) -> Partnerschap:
    """Make an existing organisation, or a new one named `naam`, a partner of `programma`.

    A former partner is taken on again. Refuses, writing nothing, an organisation that is a
    partner already and a new organisation whose name an existing one has (the person should
    choose that one). Side effects: at most one Organisatie and one Partnerschap written, each
    with a history row.
    """
    if organisatie is None:
        naam = " ".join(naam.split())
        existing = Organisatie.objects.filter(naam__iexact=naam).first()
        if existing is not None:
            raise ValidationError(
                {
                    "keuze": _(
                        "Er is al een organisatie met de naam „%(naam)s”; kies die in de lijst."
                    )
                    % {"naam": existing.naam}
                }
            )
        organisatie = create_organisatie(
            naam,
            soort=soort,
            reason=_("Nieuwe partner van %(programma)s") % {"programma": programma.afkorting},
        )
    elif current_partnerships().filter(programma=programma, organisatie=organisatie).exists():
        raise ValidationError(
            {"keuze": _("%(naam)s is al partner van dit programma.") % {"naam": organisatie.naam}}
        )
    return add_partner(programma, organisatie, reason=reason or _("Partner toegevoegd"))


@transaction.atomic
def end_partner(
    partnerschap: Partnerschap, *, op: date | None = None, reason: str = ""
) -> Partnerschap:
    """End a partnership; its roles in the tree stay as history of what the partner did.

    Refuses, writing nothing, an end date in the future (the partner would be gone before
    then), one before the year the partnership began, and a partnership that ended already.
    Side effects: the Partnerschap row changed, with a history row.
    """
    current = Partnerschap.objects.select_for_update().get(pk=partnerschap.pk)
    op = op or timezone.localdate()
    naam = partnerschap.organisatie.naam
    if current.beeindigd_op is not None:
        raise ValidationError(
            _("%(naam)s is sinds %(datum)s geen partner meer.")
            % {"naam": naam, "datum": long_date(current.beeindigd_op)}
        )
    if op > timezone.localdate():
        raise ValidationError(
            {
                "op": _("Kies vandaag of een datum in het verleden; %(datum)s ligt in de toekomst.")
                % {"datum": long_date(op)}
            }
        )
    if current.sinds and op.year < current.sinds:
        raise ValidationError(
            {
                "op": _("%(naam)s is partner sinds %(jaar)d; het einde ligt daarvóór.")
                % {"naam": naam, "jaar": current.sinds}
            }
        )
    current.beeindigd_op = op
    current._change_reason = reason or _("Partnerschap beëindigd")
    current.save(update_fields=["beeindigd_op"])
    partnerschap.beeindigd_op = op
    return current
