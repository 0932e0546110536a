"""The form of a risk or randvoorwaarde; the service (fasering.risks) does the writing."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fasering import risks
from fasering.models import Risico
from programmes.models import Programma


class RisicoForm(forms.ModelForm):
    versie = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reden = forms.CharField(
        label=_("Reden van de wijziging"),
        required=False,
        max_length=200,
        help_text=_("Komt in de geschiedenis, zodat anderen later zien waarom."),
    )

    class Meta:
        model = Risico
        fields = list(risks.FIELDS)
        labels = {
            "soort": _("Soort"),
            "omschrijving": _("Omschrijving"),
            "kans": _("Kans"),
            "impact": _("Impact"),
            "beheersmaatregel": _("Beheersmaatregel"),
            "eigenaar": _("Eigenaar"),
            "status": _("Status"),
            "ambitie": _("Hoort bij ambitie"),
            "inspanning": _("Hoort bij project of inspanning"),
        }
        help_texts = {
            "omschrijving": _("Wat kan er misgaan, of wat moet op orde zijn?"),
            "kans": _("Hoe waarschijnlijk het is. Leeg als dat niet is ingeschat."),
            "impact": _("Hoe groot de gevolgen zijn. Leeg als dat niet is ingeschat."),
            "beheersmaatregel": _("Hoe het risico wordt beheerst."),
            "eigenaar": _("Wie erop let: een persoon, rol of groep."),
        }
        widgets = {
            "omschrijving": forms.Textarea(attrs={"rows": 4}),
            "beheersmaatregel": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "omschrijving": {"required": _("Vul de omschrijving in.")},
            "soort": {"required": _("Kies of het een risico of een randvoorwaarde is.")},
            "status": {"required": _("Kies de status.")},
            "eigenaar": {
                "max_length": _("De eigenaar is te lang (hoogstens %(limit_value)d tekens).")
            },
            "ambitie": {"invalid_choice": _("Kies een ambitie van dit programma.")},
            "inspanning": {
                "invalid_choice": _("Kies een project of inspanning van dit programma.")
            },
        }

    def __init__(self, *args: Any, programma: Programma, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programma = programma
        self.fields["soort"].choices = Risico.Soort.choices
        niet = _("Niet ingeschat")
        self.fields["kans"].choices = [("", niet), *Risico.Niveau.choices]
        self.fields["impact"].choices = [("", niet), *Risico.Niveau.choices]
        self.fields["status"].choices = Risico.Status.choices
        # Only the programme's own: another programme's id in a crafted POST is an invalid
        # choice, with the message above.
        self.fields["ambitie"].queryset = risks.ambitie_choices(programma)
        self.fields["ambitie"].empty_label = _("Het hele programma")
        self.fields["inspanning"].queryset = risks.inspanning_choices(programma)
        self.fields["inspanning"].empty_label = _("Geen")
        self.fields["ambitie"].label_from_instance = lambda a: f"{a.code}. {a.titel}"
        self.fields["inspanning"].label_from_instance = lambda i: f"{i.code} {i.titel}"
        if self.instance.pk and not self.is_bound:
            self.fields["versie"].initial = self.instance.versie

    def _post_clean(self) -> None:
        # The service validates the model (fasering.risks); the form only checks its fields.
        pass

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in risks.FIELDS}
