"""Archiving, restoring and deleting a whole programme (site administrators only).

Each is one transaction. Archiving keeps every row and makes the programme read-only (see
programmes.access); deleting removes the programme with everything that cascades from it —
partnerships, groups, memberships, invitations, the goal tree — but never the organisations,
which other programmes share.
"""

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import Model
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import TREE_LEVELS, Programma

# simple-history's change reason column holds 100 characters.
REASON_MAX_LENGTH = 100


def _locked(programma: Programma) -> Programma:
    return Programma.objects.select_for_update().get(pk=programma.pk)


@transaction.atomic
def archive_programma(programma: Programma, *, reason: str) -> Programma:
    """Archive `programma`: read-only for everyone and left out of the lists.

    Side effects: sets `gearchiveerd_op`, one history row with `reason`. Nothing happens to a
    programme that is archived already. A blank or too long reason raises a ValidationError on
    "reden" and nothing is written.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reden": _("Vul in waarom dit programma wordt gearchiveerd.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reden": _("De reden is te lang (hoogstens %(max)d tekens).")
                % {"max": REASON_MAX_LENGTH}
            }
        )
    programma = _locked(programma)
    if programma.gearchiveerd_op is None:
        programma.gearchiveerd_op = timezone.now()
        programma._change_reason = reason
        programma.save(update_fields=["gearchiveerd_op"])
    return programma


@transaction.atomic
def unarchive_programma(programma: Programma) -> Programma:
    """Bring an archived programme back: editable and listed again.

    Side effects: clears `gearchiveerd_op`, one history row. Nothing happens to an active one.
    """
    programma = _locked(programma)
    if programma.gearchiveerd_op is not None:
        programma.gearchiveerd_op = None
        programma._change_reason = _("Teruggezet uit het archief")
        programma.save(update_fields=["gearchiveerd_op"])
    return programma


@dataclass(frozen=True)
class Deleted:
    """How many rows of one kind go with a programme."""

    label: str
    count: int


def _collector(programma: Programma) -> Collector:
    collector = Collector(using=router.db_for_write(Programma), origin=programma)
    collector.collect([programma])
    return collector


def _label(programma: Programma, model: type[Model], count: int) -> str:
    # The tree levels by the programme's own names ("Projecten"), the rest by the model's.
    for level in TREE_LEVELS:
        if model._meta.model_name == level.replace("_", ""):
            return programma.level_label(level, plural=count != 1).lower()
    meta = model._meta
    return str(meta.verbose_name if count == 1 else meta.verbose_name_plural)


def delete_impact(programma: Programma) -> list[Deleted]:
    """What deleting `programma` removes with it: the tree levels first, then the rest by name.

    Read from Django's own deletion collector, so whatever cascades from a programme (now or
    in apps added later) is counted without this module knowing those apps.
    """
    collector = _collector(programma)
    counts: Counter[type[Model]] = Counter(
        {model: len(rows) for model, rows in collector.data.items()}
    )
    for queryset in collector.fast_deletes:
        counts[queryset.model] += queryset.count()
    counts.pop(Programma, None)
    order = {level.replace("_", ""): n for n, level in enumerate(TREE_LEVELS)}
    rows = sorted(
        ((model, n) for model, n in counts.items() if n),
        key=lambda item: (
            order.get(item[0]._meta.model_name, len(order)),
            _label(programma, item[0], item[1]),
        ),
    )
    return [Deleted(_label(programma, model, n), n) for model, n in rows]


@transaction.atomic
def delete_programma(programma: Programma, *, naam: str) -> None:
    """Delete `programma` and everything under it, once `naam` is exactly its name.

    Side effects: deletes the programme, its partnerships, groups and their members,
    memberships, invitations and goal tree, each with a history row saying it was deleted.
    Organisations stay. A wrong `naam` raises a ValidationError on "naam"; a row of another
    app that protects the programme raises one without a field; either way nothing is deleted.
    """
    programma = _locked(programma)
    if naam.strip() != programma.naam:
        raise ValidationError(
            {
                "naam": _(
                    "Dat is niet de naam van dit programma. Typ de naam precies zoals hij "
                    "hierboven staat: %(naam)s"
                )
                % {"naam": programma.naam}
            }
        )
    try:
        programma.delete()
    except (ProtectedError, RestrictedError) as error:
        rows = getattr(error, "protected_objects", None) or error.restricted_objects
        blocking = sorted({str(row._meta.verbose_name_plural) for row in rows})
        raise ValidationError(
            _("Dit programma kan niet worden verwijderd: er hangen nog %(wat)s aan.")
            % {"wat": ", ".join(blocking)}
        ) from None
