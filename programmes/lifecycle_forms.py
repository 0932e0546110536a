"""The confirmation forms for archiving and deleting a programme."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.lifecycle import REASON_MAX_LENGTH


class ArchiveForm(forms.Form):
    reden = forms.CharField(
        label=_("Reden"),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Waarom wordt dit programma gearchiveerd? Dit komt in de geschiedenis."),
        error_messages={
            "required": _("Vul in waarom dit programma wordt gearchiveerd."),
            "max_length": _("De reden is te lang (hoogstens %(limit_value)d tekens)."),
        },
    )


class DeleteForm(forms.Form):
    naam = forms.CharField(
        label=_("Naam van het programma"),
        max_length=200,
        help_text=_("Typ ter bevestiging de naam van het programma precies over."),
        error_messages={
            "required": _("Typ de naam van het programma om het verwijderen te bevestigen."),
            "max_length": _("Dat is niet de naam van dit programma."),
        },
    )
