"""A programme's groups (stuurgroep, werkgroep, coalitie …) and their members.

Reads for the group pages, and every write to groups that people make in the browser: one
call is one transaction, saved per object so django-simple-history records who changed what,
with a reason. Members are checked against the programme: an organisation must be a current
partner, a user must have a role in it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from programmes.models import Groep, GroepLid, Organisatie, Programma, Uitnodiging
from programmes.partners import current_partnerships

# Rows that point at a group but go with it (its members) or may lose it (an invitation).
_NOT_BLOCKING = {GroepLid, Uitnodiging}


# -- reads ----------------------------------------------------------------------------------


def _members() -> Prefetch:
    return Prefetch(
        "leden",
        queryset=GroepLid.objects.select_related("organisatie", "user").order_by("volgorde", "id"),
    )


@dataclass
class SoortGroepen:
    soort: str
    label: str
    groepen: list[Groep] = field(default_factory=list)


def groups_by_soort(programma: Programma) -> list[SoortGroepen]:
    """The programme's groups with their members, per soort in the order of Groep.Soort."""
    sections = {value: SoortGroepen(value, label) for value, label in Groep.Soort.choices}
    for groep in programma.groepen.prefetch_related(_members()):
        sections[groep.soort].groepen.append(groep)
    return [section for section in sections.values() if section.groepen]


def group_of(programma: Programma, pk: int) -> Groep:
    """One group of the programme with its members; 404 for another programme's group."""
    return get_object_or_404(Groep.objects.prefetch_related(_members()), programma=programma, pk=pk)


def kartrekkers(groep: Groep) -> list[GroepLid]:
    return [lid for lid in groep.leden.all() if lid.rol == GroepLid.Rol.KARTREKKER]


def partner_choices(programma: Programma) -> QuerySet[Organisatie]:
    """Organisations that may join a group of the programme: its current partners."""
    return Organisatie.objects.filter(
        pk__in=current_partnerships().filter(programma=programma).values("organisatie")
    ).order_by("naam")


def links_elsewhere(groep: Groep) -> list[tuple[str, int]]:
    """(what, how many) of the things outside the programmes app that name this group, such
    as the ambities and inspanningen it carries; found through the model registry, so this
    app needs not know them."""
    found = []
    for relation in Groep._meta.related_objects:
        model = relation.related_model
        if relation.hidden or model in _NOT_BLOCKING:
            continue
        n = model._base_manager.filter(**{relation.field.name: groep}).count()
        if n:
            label = model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural
            found.append((str(label), n))
    return found


# -- writes ---------------------------------------------------------------------------------


def _next_volgorde(queryset: QuerySet) -> int:
    last = queryset.aggregate(m=models.Max("volgorde"))["m"]
    return 0 if last is None else last + 1


def _save(obj: models.Model, reason: str) -> None:
    obj.full_clean()
    obj._change_reason = reason or None
    obj.save()


@transaction.atomic
def create_groep(
    programma: Programma, *, naam: str, soort: str, omschrijving: str = "", reason: str = ""
) -> Groep:
    """A new group at the end of the programme's groups.

    Side effects: one Groep with a history row. Raises ValidationError (naming the field)
    for a name the programme already uses, writing nothing.
    """
    groep = Groep(
        programma=programma,
        naam=naam,
        soort=soort,
        omschrijving=omschrijving,
        volgorde=_next_volgorde(programma.groepen.all()),
    )
    _save(groep, reason or _("Groep aangemaakt"))
    return groep


@transaction.atomic
def update_groep(
    groep: Groep, *, naam: str, soort: str, omschrijving: str, reason: str = ""
) -> bool:
    """Change a group's name, soort and description; an unchanged edit writes nothing.

    Returns whether anything changed. Side effects: the Groep saved with a history row.
    """
    current = Groep.objects.select_for_update().get(pk=groep.pk)
    values = {"naam": naam, "soort": soort, "omschrijving": omschrijving}
    changed = {k: v for k, v in values.items() if getattr(current, k) != v}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(current, name, value)
    _save(current, reason or _("Groep gewijzigd"))
    return True


@transaction.atomic
def delete_groep(groep: Groep, *, reason: str = "") -> None:
    """Delete a group that has no members and carries nothing.

    Refuses (ValidationError), deleting nothing, while the group has members or ambities or
    inspanningen name it: those would lose their group without a trace in their history.
    Side effects: the Groep deleted, with a history row; invitations into it keep their role
    but no longer add the group.
    """
    current = Groep.objects.select_for_update().get(pk=groep.pk)
    n_leden = current.leden.count()
    if n_leden:
        raise ValidationError(
            _(
                "De groep „%(naam)s” heeft nog %(n)d leden; alleen een lege groep kan weg. "
                "Verwijder eerst de leden."
            )
            % {"naam": current.naam, "n": n_leden}
        )
    links = links_elsewhere(current)
    if links:
        raise ValidationError(
            _("De groep „%(naam)s” is nog gekoppeld aan %(wat)s; koppel die eerst los.")
            % {
                "naam": current.naam,
                "wat": _(" en ").join(f"{n} {label}" for label, n in links),
            }
        )
    current._change_reason = reason or _("Groep verwijderd")
    current.delete()


def _check_member(programma: Programma, lid: GroepLid) -> None:
    if (
        lid.organisatie_id
        and not current_partnerships()
        .filter(programma=programma, organisatie_id=lid.organisatie_id)
        .exists()
    ):
        raise ValidationError(
            {"organisatie": _("Deze organisatie is geen partner van dit programma.")}
        )


@transaction.atomic
def add_group_member(
    groep: Groep,
    *,
    organisatie: Organisatie | None = None,
    user=None,
    persoon: str = "",
    functie: str = "",
    rol: str = GroepLid.Rol.LID,
    reason: str = "",
) -> GroepLid:
    """Add a member: a partner organisation, a user of the programme, a named person or
    function, or a combination. Side effects: one GroepLid with a history row. Raises
    ValidationError (naming the field), writing nothing, for an organisation that is no
    current partner or a user without a role in the programme.
    """
    lid = GroepLid(
        groep=groep,
        organisatie=organisatie,
        user=user,
        persoon=persoon.strip(),
        functie=functie.strip(),
        rol=rol,
        volgorde=_next_volgorde(groep.leden.all()),
    )
    _check_member(groep.programma, lid)
    _save(lid, reason or _("Lid toegevoegd aan %(groep)s") % {"groep": groep.naam})
    return lid


@transaction.atomic
def update_group_member(
    lid: GroepLid,
    *,
    organisatie: Organisatie | None,
    user,
    persoon: str,
    functie: str,
    rol: str,
    reason: str = "",
) -> bool:
    """Change who a member is or their role; an unchanged edit writes nothing.

    Returns whether anything changed. Same checks as add_group_member.
    """
    current = GroepLid.objects.select_for_update().select_related("groep").get(pk=lid.pk)
    values = {
        "organisatie_id": organisatie.pk if organisatie else None,
        "user_id": user.pk if user else None,
        "persoon": persoon.strip(),
        "functie": functie.strip(),
        "rol": rol,
    }
    changed = {k: v for k, v in values.items() if getattr(current, k) != v}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(current, name, value)
    _check_member(current.groep.programma, current)
    _save(current, reason or _("Lid gewijzigd"))
    return True


@transaction.atomic
def remove_group_member(lid: GroepLid, *, reason: str = "") -> None:
    """Take a member out of its group. Side effects: the GroepLid deleted, with a history row."""
    lid._change_reason = reason or _("Lid uit %(groep)s gehaald") % {"groep": lid.groep.naam}
    lid.delete()


@transaction.atomic
def set_kartrekkers(groep: Groep, leden: Iterable[GroepLid], *, reason: str = "") -> int:
    """Make exactly `leden` (members of `groep`) its kartrekkers; a kartrekker left out
    becomes an ordinary member. Returns how many members changed role.

    Side effects: each member whose role changes is saved with a history row. Raises
    ValidationError, writing nothing, for a member of another group.
    """
    wanted = {lid.pk for lid in leden}
    current = list(GroepLid.objects.select_for_update().filter(groep=groep))
    if wanted - {lid.pk for lid in current}:
        raise ValidationError({"kartrekkers": _("Kies kartrekkers uit de leden van deze groep.")})
    reason = reason or _("Kartrekker van %(groep)s gewijzigd") % {"groep": groep.naam}
    changed = 0
    for lid in current:
        if lid.pk in wanted and lid.rol != GroepLid.Rol.KARTREKKER:
            lid.rol = GroepLid.Rol.KARTREKKER
        elif lid.pk not in wanted and lid.rol == GroepLid.Rol.KARTREKKER:
            lid.rol = GroepLid.Rol.LID
        else:
            continue
        _save(lid, reason)
        changed += 1
    return changed
