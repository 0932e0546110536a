from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from programmes.models import Programma


def programmes_for(user: AbstractBaseUser) -> QuerySet[Programma]:
    """The programmes a user may open: all for site administrators, else their memberships."""
    qs = Programma.objects.all()
    if not user.is_superuser:
        qs = qs.filter(lidmaatschappen__user=user)
    return qs.order_by("naam")
