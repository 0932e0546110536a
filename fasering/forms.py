"""The faseplan forms: months are `<input type="month">` values ("2023-08"), parsed here."""

import datetime
import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doelenboom.models import Inspanning, OperationeelDoel
from fasering.content import TEXT_SECTIONS, month_key, parse_month_key
from fasering.models import Fase, Faseplan, Middelen
from fasering.services import FaseValues, ItemValues
from programmes.models import Organisatie

REDEN_LABEL = gettext_lazy("Reden van de wijziging")
REDEN_HELP = gettext_lazy("Komt in de geschiedenis van het faseplan.")


class MonthInput(forms.TextInput):
    input_type = "month"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return month_key(value)
        return super().format_value(value)


DUTCH_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
# Typed by hand where the browser has no month picker: "augustus 2023", "aug 2023", "8-2023".
_TYPED_MONTH = re.compile(r"^\s*([a-z]+|\d{1,2})\.?[\s/-]+(\d{4})\s*$")


def parse_typed_month(text: str) -> datetime.date:
    """ "2023-08", "augustus 2023", "aug. 2023" or "8-2023" as the first day of that month."""
    try:
        return parse_month_key(text.strip())
    except ValueError:
        pass
    match = _TYPED_MONTH.match(text.lower())
    if not match:
        raise ValueError(text)
    name, year = match.groups()
    if name.isdigit():
        month = int(name)
    elif name == "mrt":  # the Dutch abbreviation that is no prefix of its month
        month = 3
    else:
        found = [i for i, m in enumerate(DUTCH_MONTHS, 1) if len(name) >= 3 and m.startswith(name)]
        if len(found) != 1:
            raise ValueError(text)
        month = found[0]
    return datetime.date(int(year), month, 1)


class MonthField(forms.Field):
    """A month, picked or typed: "2023-08", or "augustus 2023" where the browser has no month
    picker and shows a plain text box."""

    widget = MonthInput
    default_error_messages = {
        "invalid": gettext_lazy("Vul een maand in, bijvoorbeeld 2023-08 of augustus 2023."),
        "required": gettext_lazy("Vul een maand in."),
    }

    def prepare_value(self, value):
        return month_key(value) if hasattr(value, "strftime") else value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "strftime"):
            return value.replace(day=1)
        try:
            return parse_typed_month(str(value))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def _reden() -> forms.CharField:
    return forms.CharField(label=REDEN_LABEL, help_text=REDEN_HELP, max_length=200, required=False)


class PeriodForm(forms.Form):
    start = MonthField(label=gettext_lazy("Van (maand)"))
    eind = MonthField(label=gettext_lazy("Tot en met (maand)"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("eind") and data["eind"] < data["start"]:
            self.add_error("eind", _("De eindmaand ligt vóór de beginmaand."))
        return data


class FaseplanForm(PeriodForm):
    nummer = forms.IntegerField(label=gettext_lazy("Nummer"), min_value=1, max_value=999)
    titel = forms.CharField(label=gettext_lazy("Titel"), max_length=200)
    field_order = ["nummer", "titel", "start", "eind"]


class FaseForm(PeriodForm):
    naam = forms.CharField(label=gettext_lazy("Naam"), max_length=100)
    # The version the editor saw; empty for a new fase.
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    reden = _reden()
    field_order = ["naam", "start", "eind", "reden"]

    def values(self) -> FaseValues:
        data = self.cleaned_data
        return FaseValues(data["naam"].strip(), data["start"], data["eind"])


class TextsForm(forms.Form):
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reden = _reden()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in TEXT_SECTIONS:
            model_field = Faseplan._meta.get_field(name)
            self.fields[name] = forms.CharField(
                label=model_field.verbose_name,
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_("Een lege regel begint een nieuwe alinea; “- ” begint een opsomming."),
            )
        self.order_fields([*TEXT_SECTIONS, "reden"])

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in TEXT_SECTIONS}


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: OperationeelDoel) -> str:
        return f"{obj.code} {obj.titel}".strip()


class GoalsForm(forms.Form):
    doelen = GoalChoiceField(
        queryset=OperationeelDoel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Doelen in dit faseplan"),
    )
    reden = _reden()

    def __init__(self, *args, goals: list[OperationeelDoel], **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = goals
        self.fields["doelen"].queryset = OperationeelDoel.objects.filter(
            pk__in=[g.pk for g in goals]
        )

    def groups(self) -> list[tuple[str, list]]:
        """The checkboxes grouped by strategic goal, in tree order."""
        by_pk = {str(option.data["value"]): option for option in self["doelen"]}
        groups: list[tuple[str, list]] = []
        for goal in self.goals:
            title = goal.strategisch_doel.titel
            if not groups or groups[-1][0] != title:
                groups.append((title, []))
            groups[-1][1].append(by_pk[str(goal.pk)])
        return groups


class InspanningChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Inspanning) -> str:
        return f"{obj.code} {obj.titel}".strip()


class InspanningenForm(forms.Form):
    inspanningen = InspanningChoiceField(
        queryset=Inspanning.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Inspanningen die het faseplan oppakt"),
    )
    reden = _reden()

    def __init__(self, *args, choices: list[Inspanning], label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # Any inspanning is looked up, so that a wrong one gets the service's clear refusal
        # instead of the form's generic "not one of the choices".
        field = self.fields["inspanningen"]
        field.queryset = Inspanning.objects.all()
        field.widget.choices = [(i.pk, field.label_from_instance(i)) for i in choices]
        if label:
            field.label = label


class PartnerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisatie) -> str:
        return obj.naam


class ItemForm(forms.Form):
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    start_fase = forms.ModelChoiceField(
        queryset=Fase.objects.none(),
        required=False,
        label=gettext_lazy("Start in fase"),
        empty_label=gettext_lazy("(nog geen fase)"),
    )
    loopt_door = forms.BooleanField(
        required=False, label=gettext_lazy("Loopt door in de volgende fase")
    )
    partners = PartnerChoiceField(
        queryset=Organisatie.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Betrokken partners"),
    )
    partners_vrij = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Andere betrokkenen"),
        help_text=gettext_lazy("Betrokkenen die (nog) geen organisatie zijn, één per regel."),
    )
    middelen = forms.ChoiceField(choices=Middelen.choices, label=gettext_lazy("Extra middelen"))
    middelen_toelichting = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Middelen, toelichting"),
    )
    toelichting = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("Toelichting")
    )
    reden = _reden()

    def __init__(self, *args, faseplan: Faseplan, partners: list[Organisatie], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_fase"].queryset = Fase.objects.filter(faseplan=faseplan)
        self.fields["partners"].queryset = Organisatie.objects.filter(
            pk__in=[org.pk for org in partners]
        ).order_by("naam")

    def values(self) -> ItemValues:
        data = self.cleaned_data
        return ItemValues(
            start_fase=data["start_fase"],
            loopt_door=data["loopt_door"],
            partners=list(data["partners"]),
            partners_vrij="\n".join(
                line.strip() for line in data["partners_vrij"].splitlines() if line.strip()
            ),
            middelen=data["middelen"],
            middelen_toelichting=data["middelen_toelichting"],
            toelichting=data["toelichting"],
        )
