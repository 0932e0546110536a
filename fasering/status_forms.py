"""The form of a status update (new or corrected); fasering.status does the writing."""

import datetime
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from doelenboom.models import Inspanning, Stap
from fasering import status
from fasering.models import Licht, Statusupdate


class DateInput(forms.DateInput):
    # The browser's date picker; it posts ISO dates, which every locale's formats accept.
    input_type = "date"


class LightRadios(forms.RadioSelect):
    """Radios whose field label points at the first option, so that the error summary's
    link lands on the group (Django's RadioSelect gives no target at all)."""

    def id_for_label(self, id_: str, index: str | None = "0") -> str:
        return forms.widgets.ChoiceWidget.id_for_label(self, id_, index or "0")


class StatusupdateForm(forms.Form):
    datum = forms.DateField(
        label=_("Datum"),
        widget=DateInput,
        help_text=_("De dag waarop deze stand gold; vandaag of eerder."),
        error_messages={
            "required": _("Vul de datum in."),
            "invalid": _("Vul een datum in, bijvoorbeeld 2-12-2026."),
        },
    )
    stap = forms.ModelChoiceField(
        queryset=Stap.objects.none(),
        label=_("Huidige stap"),
        empty_label=_("Kies een stap"),
        error_messages={
            "required": _("Kies de stap waarin het project nu is."),
            "invalid_choice": _("Kies een stap uit het stappenplan van dit project."),
        },
    )
    licht = forms.ChoiceField(
        label=_("Hoe staat het ervoor?"),
        choices=Licht.choices,
        widget=LightRadios,
        error_messages={
            "required": _("Kies op koers, aandacht nodig of risico."),
            "invalid_choice": _("Kies op koers, aandacht nodig of risico."),
        },
    )
    voortgang = forms.IntegerField(
        label=_("Voortgang in procenten"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Een getal van 0 tot 100."),
        error_messages={
            "invalid": _("Vul een heel getal van 0 tot 100 in."),
            "min_value": _("De voortgang is minstens 0 procent."),
            "max_value": _("De voortgang is hoogstens 100 procent."),
        },
    )
    gebeurd = forms.CharField(
        label=_("Wat is er gebeurd?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf kort wat er is gebeurd.")},
    )
    volgende_stappen = forms.CharField(
        label=_("Volgende stappen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    document = forms.URLField(
        label=_("Link naar een document"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Een webadres dat begint met https://, bijvoorbeeld een verslag."),
        error_messages={
            # Also the message of the validator below (a field's message wins per code).
            "invalid": _("Geef een link die begint met http:// of https://."),
            "max_length": _("De link is te lang (hoogstens %(limit_value)d tekens)."),
        },
    )
    versie = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reden = forms.CharField(
        label=_("Wat corrigeert u?"),
        required=False,
        max_length=200,
        help_text=_("Komt in de geschiedenis, zodat anderen later zien waarom."),
    )

    def __init__(
        self,
        *args: Any,
        inspanning: Inspanning,
        update: Statusupdate | None = None,
        initial_step: Stap | None = None,
        planned: str = "",
        today: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        if update is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(update, name) for name in status.FIELDS}
                | {"stap": update.stap_id, "versie": update.versie},
            )
        else:
            kwargs.setdefault(
                "initial",
                {"datum": today, "stap": initial_step.pk if initial_step else None},
            )
        super().__init__(*args, **kwargs)
        # Only this project's steps: another project's step in a crafted POST is an invalid
        # choice, with the message above.
        stappen = list(inspanning.stappen.all())
        if stappen:
            numbers = {stap.pk: n for n, stap in enumerate(stappen, start=1)}
            field = self.fields["stap"]
            field.queryset = Stap.objects.filter(inspanning=inspanning).order_by("volgorde", "id")
            field.label_from_instance = lambda stap: f"{numbers.get(stap.pk, '?')}. {stap.naam}"
            if planned:
                field.help_text = _("Volgens de planning: %(stap)s.") % {"stap": planned}
        else:
            del self.fields["stap"]
        # Web addresses only: a javascript: or file: link must not become a link on the page.
        self.fields["document"].validators = [URLValidator(schemes=list(status.DOCUMENT_SCHEMES))]
        if update is None:
            del self.fields["versie"]
            del self.fields["reden"]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in status.FIELDS}
