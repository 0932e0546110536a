"""The forms of the eiland van reflectie; the services (fasering.reflection) do the writing.

Each form only reads its fields; the rules (a reason with every decision, a later faseplan
above the next one, a score between 0 and 10) live in the services, whose refusals land on
the field they name. Forms edited in place carry the `versie` the editor saw.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fasering import reflection
from fasering.models import Besluit, Faseplan, Kant
from programmes.models import Groep, Programma


def _versie(minimum: int = 1) -> forms.IntegerField:
    # The version the editor saw; empty for something new (0 for "no decision yet").
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=minimum)


_TOO_LONG = {"max_length": gettext_lazy("Hoogstens %(limit_value)d tekens.")}


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ScoreField(forms.Field):
    """A score typed the Dutch way ("6,9") or with a point ("6.9"); shown with a comma."""

    widget = forms.TextInput
    max_length = 5  # the template's maxlength

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return reflection.score_label(value)
        return value

    def to_python(self, value: Any) -> Decimal | None:
        try:
            return reflection.parse_score(str(value) if value is not None else "")
        except ValidationError as error:
            raise forms.ValidationError(error.messages[0], code=error.code) from None


class Values:
    """Mixin: the cleaned fields a service takes (all but the version)."""

    cleaned_data: dict[str, Any]
    base_fields: dict[str, forms.Field]

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "versie"}

    @property
    def versie(self) -> int | None:
        return self.cleaned_data.get("versie")

    @classmethod
    def initial_of(cls, obj: Model) -> dict[str, Any]:
        """The form's fields as `obj` holds them (a foreign key as its id: no query)."""
        return {name: getattr(obj, obj._meta.get_field(name).attname) for name in cls.base_fields}


class _FaseplanChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        plain = _("Faseplan %(n)s") % {"n": obj.nummer}
        return obj.titel if obj.titel.strip() == plain else f"{plain}: {obj.titel}"


def _faseplan_field() -> forms.ModelChoiceField:
    return _FaseplanChoice(
        queryset=Faseplan.objects.none(),
        required=False,
        label=gettext_lazy("Terugblik op faseplan"),
        empty_label=gettext_lazy("Geen faseplan"),
        help_text=gettext_lazy(
            "Het faseplan waarop deze reflectie terugkijkt; de besluiten vullen het volgende."
        ),
        error_messages={"invalid_choice": gettext_lazy("Kies een faseplan van dit programma.")},
    )


class _ProgrammePlans:
    """Mixin: the faseplan to choose is one of the programme's."""

    fields: dict[str, Any]

    def __init__(self, *args: Any, programma: Programma, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["faseplan"].queryset = reflection.faseplan_choices(programma)


class ReflectieForm(_ProgrammePlans, Values, forms.Form):
    """A new year's eiland van reflectie."""

    jaar = forms.IntegerField(
        label=gettext_lazy("Jaar"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": gettext_lazy("Vul het jaar in, bijvoorbeeld 2024."),
            "invalid": gettext_lazy("Vul een jaartal in, bijvoorbeeld 2024."),
            "min_value": gettext_lazy("Vul een jaartal in, bijvoorbeeld 2024."),
            "max_value": gettext_lazy("Vul een jaartal in, bijvoorbeeld 2024."),
        },
    )
    faseplan = _faseplan_field()
    inleiding = forms.CharField(
        label=gettext_lazy("Inleiding"),
        required=False,
        widget=_textarea(4),
        help_text=gettext_lazy("Waarom en met wie u reflecteert; lege regels maken alinea's."),
    )


class InleidingForm(_ProgrammePlans, Values, forms.Form):
    versie = _versie()
    faseplan = _faseplan_field()
    inleiding = forms.CharField(
        label=gettext_lazy("Inleiding"),
        required=False,
        widget=_textarea(6),
        help_text=gettext_lazy("Lege regels maken alinea's; regels met “- ” een lijst."),
    )


class SessieForm(Values, forms.Form):
    versie = _versie()
    deelnemers = forms.CharField(
        label=gettext_lazy("Met wie"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Bijvoorbeeld Stuurgroep of Managers/leidinggevenden. Leeg: de naam van de groep."
        ),
        error_messages=_TOO_LONG,
    )
    groep = forms.ModelChoiceField(
        queryset=Groep.objects.none(),
        required=False,
        label=gettext_lazy("Groep in Koers"),
        empty_label=gettext_lazy("Geen groep"),
        error_messages={"invalid_choice": gettext_lazy("Kies een groep van dit programma.")},
    )
    datum = forms.DateField(
        label=gettext_lazy("Datum"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
        error_messages={
            "invalid": gettext_lazy("Vul een geldige datum in, bijvoorbeeld 5-6-2024.")
        },
    )
    begeleider = forms.CharField(
        label=gettext_lazy("Begeleid door"),
        max_length=200,
        required=False,
        error_messages=_TOO_LONG,
    )
    kanten = forms.MultipleChoiceField(
        label=gettext_lazy("Besproken kanten van de Lemniscaat"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Kies alleen ZIJ, HET, IK of WIJ.")},
    )
    samenvatting = forms.CharField(
        label=gettext_lazy("Samenvatting"), required=False, widget=_textarea(3)
    )

    def __init__(self, *args: Any, programma: Programma, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groep"].queryset = reflection.groep_choices(programma)
        self.fields["kanten"].choices = [(k, reflection.kant_label(k)) for k in Kant.values]


class VraagForm(Values, forms.Form):
    versie = _versie()
    tekst = forms.CharField(
        label=gettext_lazy("Vraag"),
        widget=_textarea(3),
        error_messages={"required": gettext_lazy("Vul de vraag in.")},
    )
    kant = forms.ChoiceField(
        label=gettext_lazy("Kant van de Lemniscaat"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Kies ZIJ, HET, IK of WIJ, of geen kant.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kant"].choices = [
            ("", _("Geen bepaalde kant")),
            *((k, reflection.kant_label(k)) for k in Kant.values),
        ]


class InbrengForm(Values, forms.Form):
    versie = _versie()
    tekst = forms.CharField(
        label=gettext_lazy("Inbreng"),
        widget=_textarea(3),
        error_messages={"required": gettext_lazy("Vul de inbreng in.")},
    )
    score_onderwerp = forms.CharField(
        label=gettext_lazy("Cijfer voor"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Alleen als er een cijfer is gegeven, bijvoorbeeld “ik voel me ambassadeur”. "
            "Hetzelfde onderwerp volgend jaar toont beide cijfers naast elkaar."
        ),
        error_messages=_TOO_LONG,
    )
    score = ScoreField(
        label=gettext_lazy("Cijfer"),
        required=False,
        help_text=gettext_lazy("Van 0 tot en met 10, bijvoorbeeld 6,9."),
    )


class _ChoiceOrUndecided(forms.ChoiceField):
    """Not marked optional: "nog niet besloten" is one of its choices, an empty value."""

    def validate(self, value: Any) -> None:
        if value and not self.valid_value(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )


class _ReasonField(forms.CharField):
    """Not marked optional, for every decision needs one; the service says so when it is
    missing, and a goal taken back to "nog niet besloten" needs none."""

    def validate(self, value: Any) -> None:
        pass


class BesluitForm(Values, forms.Form):
    versie = _versie(minimum=0)
    besluit = _ChoiceOrUndecided(
        label=gettext_lazy("Besluit"),
        error_messages={"invalid_choice": gettext_lazy("Kies een besluit.")},
    )
    faseplan_nummer = forms.IntegerField(
        label=gettext_lazy("In faseplan (nummer)"),
        required=False,
        min_value=1,
        max_value=99,
        error_messages={
            "invalid": gettext_lazy("Vul het nummer van het faseplan in, bijvoorbeeld 3."),
            "min_value": gettext_lazy("Vul het nummer van het faseplan in, bijvoorbeeld 3."),
            "max_value": gettext_lazy("Vul het nummer van het faseplan in, bijvoorbeeld 3."),
        },
    )
    reden = _ReasonField(
        label=gettext_lazy("Reden"),
        widget=_textarea(3),
        help_text=gettext_lazy("Nodig bij elk besluit: waarom nu, later of niet."),
    )

    def __init__(self, *args: Any, volgend: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["besluit"].choices = [
            ("", _("Nog niet besloten")),
            (Besluit.VOLGEND, _("In het volgende faseplan (faseplan %(n)s)") % {"n": volgend}),
            (Besluit.LATER, _("In een later faseplan")),
            (Besluit.STOPPEN, _("Stoppen")),
        ]
        self.fields["faseplan_nummer"].help_text = _(
            "Alleen bij “in een later faseplan”: %(n)s of hoger."
        ) % {"n": volgend + 1}

    @classmethod
    def initial_of(cls, besluit: Model | None) -> dict[str, Any]:
        """Version 0 stands for "no decision yet"."""
        return super().initial_of(besluit) if besluit is not None else {"versie": 0}


class TrendForm(Values, forms.Form):
    versie = _versie()
    letter = forms.CharField(
        label=gettext_lazy("Letter"),
        max_length=5,
        required=False,
        help_text=gettext_lazy("Zoals in het verslag: A, B, C …"),
        error_messages=_TOO_LONG,
    )
    titel = forms.CharField(
        label=gettext_lazy("Trend of ontwikkeling"),
        max_length=300,
        error_messages={
            "required": gettext_lazy("Vul de trend of ontwikkeling in."),
            **_TOO_LONG,
        },
    )
    toelichting = forms.CharField(
        label=gettext_lazy("Toelichting"), required=False, widget=_textarea(3)
    )
    startmoment = forms.CharField(
        label=gettext_lazy("Wanneer oppakken"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Bijvoorbeeld “direct na de zomer” of “verderop in het jaar”."),
        error_messages=_TOO_LONG,
    )


class DeleteForm(forms.Form):
    """Confirming a delete: the version the editor saw."""

    versie = _versie(minimum=0)
