"""The profile form: a user's name and the reminder switch; programmes.profile saves it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.models import Profiel
from programmes.profile import NAME_MAX_LENGTH


class ProfielForm(forms.Form):
    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": _("Vul uw voornaam in."),
            "max_length": _("Houd uw voornaam bij %(limit_value)d tekens of minder."),
        },
    )
    last_name = forms.CharField(
        label=_("Achternaam"),
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": _("Vul uw achternaam in."),
            "max_length": _("Houd uw achternaam bij %(limit_value)d tekens of minder."),
        },
    )
    herinneringen = forms.BooleanField(
        label=_("Herinneringen per e-mail"),
        required=False,
        help_text=Profiel._meta.get_field("herinneringen").help_text,
    )
