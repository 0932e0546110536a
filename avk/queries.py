"""Read helpers for the pages that bring several apps together (programme list, overview)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Model, OuterRef, QuerySet, Subquery

from doelenboom.models import Ambitie, Inspanning, OperationeelDoel
from programmes.models import Lidmaatschap, Programma
from programmes.partners import current_partner_count
from programmes.queries import programmes_for


def _count(model: type[Model], fk: str) -> Subquery:
    # A correlated count per programme; joins would multiply the rows of each relation.
    return Subquery(
        model.objects.filter(**{fk: OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


def _with_figures(programmas: QuerySet[Programma], user: AbstractBaseUser) -> QuerySet[Programma]:
    return programmas.annotate(
        # Current partners only, counted as the partner list counts them.
        aantal_partners=current_partner_count(),
        aantal_ambities=_count(Ambitie, "programma"),
        aantal_doelen=_count(OperationeelDoel, "strategisch_doel__ambitie__programma"),
        aantal_inspanningen=_count(Inspanning, "programma"),
        mijn_rol=Subquery(
            Lidmaatschap.objects.filter(programma=OuterRef("pk"), user=user).values("rol")[:1]
        ),
    )


def programmes_overview(user: AbstractBaseUser) -> QuerySet[Programma]:
    """The programme list with counts and the user's role, in one query; archived left out."""
    return _with_figures(programmes_for(user).filter(gearchiveerd_op__isnull=True), user)


def programme_figures(user: AbstractBaseUser, programma: Programma) -> Programma:
    """One programme, archived or not, with the counts and role of the programme list."""
    return _with_figures(Programma.objects.filter(pk=programma.pk), user).get()


def archived_programmes(user: AbstractBaseUser) -> QuerySet[Programma]:
    """The archived programmes, most recently archived first; for site administrators only."""
    if not user.is_superuser:
        return Programma.objects.none()
    return Programma.objects.filter(gearchiveerd_op__isnull=False).order_by("-gearchiveerd_op")


def inspanningen_per_categorie(programma: Programma) -> list[tuple[str, int]]:
    """(categorie label, number of inspanningen) for the categories the programme uses."""
    rows = (
        Inspanning.objects.filter(programma=programma)
        .values("categorie")
        .annotate(n=Count("pk"))
        .order_by("categorie")
    )
    labels = dict(Inspanning.Categorie.choices)
    return [(labels[row["categorie"]], row["n"]) for row in rows]
