"""Permissions over Lidmaatschap, with the `rules` package.

The role of a user in a programme is looked up once per user object and programme. Each app
adds the permissions over its own things in its own rules.py (see doelenboom/rules.py).
"""

import rules

from programmes.models import Lidmaatschap, Programma, Rol


def role_in(user, programma: Programma) -> str | None:
    if not user.is_authenticated:
        return None
    # getattr/setattr reach through request.user's lazy wrapper to the real user object.
    cache = getattr(user, "_koers_roles", None)
    if cache is None:
        cache = {}
        user._koers_roles = cache
    if programma.pk not in cache:
        cache[programma.pk] = (
            Lidmaatschap.objects.filter(user=user, programma=programma)
            .order_by()
            .values_list("rol", flat=True)
            .first()
        )
    return cache[programma.pk]


@rules.predicate
def is_member(user, programma: Programma) -> bool:
    return role_in(user, programma) is not None


@rules.predicate
def leads_programme(user, programma: Programma) -> bool:
    return role_in(user, programma) == Rol.PROGRAMMALEIDER


rules.add_perm("programmes.view_programma", rules.is_superuser | is_member)
rules.add_perm("programmes.manage_programma", rules.is_superuser | leads_programme)


@rules.predicate
def programme_creation_open(user) -> bool:
    """Whether this installation lets every logged-in user start a programme."""
    from django.conf import settings  # Read per call, so tests and settings can flip it.

    return user.is_authenticated and settings.KOERS_OPEN_PROGRAMME_CREATION


# Starting a programme: site administrators, or anyone logged in when the installation allows.
rules.add_perm("programmes.add_programma", rules.is_superuser | programme_creation_open)
