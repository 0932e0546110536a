"""The forms of the status flow: each carries the plan's version it was based on."""

from django import forms
from django.utils.translation import gettext_lazy as _


class StatusForm(forms.Form):
    versie = forms.IntegerField(widget=forms.HiddenInput)


class AdoptForm(StatusForm):
    besloten_op = forms.DateField(
        label=_("Datum van het besluit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        help_text=_("De dag waarop de stuurgroep het faseplan heeft vastgesteld."),
        error_messages={
            "required": _("Vul de datum van het besluit in."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 4-7-2023."),
        },
    )
    besluit = forms.CharField(
        label=_("Besluit"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld de tekst van het besluit of de voorwaarden die erbij horen."),
    )
