"""Forms for managing a programme's partners and groups."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.groups import partner_choices
from programmes.models import Groep, GroepLid, Organisatie, Partnerschap, Programma
from programmes.partners import similar_organisations

# The choice that makes a new organisation instead of taking an existing one.
NEW = "nieuw"
NAAM_MAX_LENGTH = Organisatie._meta.get_field("naam").max_length


def _reden() -> forms.CharField:
    return forms.CharField(
        label=_("Reden"),
        required=False,
        max_length=200,
        help_text=_("Staat in de geschiedenis bij deze wijziging."),
    )


@dataclass(frozen=True)
class Suggestion:
    """An existing organisation that looks like the typed name, and where it stands."""

    organisatie: Organisatie
    partnerschap: Partnerschap | None

    @property
    def is_partner(self) -> bool:
        return self.partnerschap is not None and self.partnerschap.beeindigd_op is None

    @property
    def is_former_partner(self) -> bool:
        return self.partnerschap is not None and self.partnerschap.beeindigd_op is not None


class PartnerAddForm(forms.Form):
    """Two steps: the name first; then a choice among similar organisations or a new one.

    Without `keuze` in the data the form is at the first step: only the name is checked and
    the view shows the choices. With htmx the choices appear while the name is typed.
    """

    naam = forms.CharField(
        label=_("Naam van de organisatie"),
        max_length=NAAM_MAX_LENGTH,
        help_text=_("Koers zoekt bestaande organisaties met een naam die erop lijkt."),
        error_messages={
            "required": _("Vul de naam van de organisatie in."),
            "max_length": _("De naam is te lang (hoogstens %(limit_value)d tekens)."),
        },
    )
    keuze = forms.ChoiceField(
        label=_("Welke organisatie bedoelt u?"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Kies een van de organisaties in de lijst, of een nieuwe organisatie."
            ),
        },
    )
    soort = forms.ChoiceField(
        label=_("Soort organisatie"),
        choices=Organisatie.Soort.choices,
        initial=Organisatie.Soort.OVERIG,
        required=False,
        help_text=_("Alleen voor een nieuwe organisatie."),
    )

    def __init__(self, *args: Any, programma: Programma, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programma = programma
        typed = " ".join(str(self.data.get("naam", "")).split())[:NAAM_MAX_LENGTH]
        self.typed = typed
        self.suggestions = self._suggestions(typed) if typed else []
        self.fields["keuze"].choices = [
            (NEW, _("Nieuwe organisatie")),
            *((str(s.organisatie.pk), s.organisatie.naam) for s in self.suggestions),
        ]

    def _suggestions(self, naam: str) -> list[Suggestion]:
        found = similar_organisations(naam)
        partnerschappen = {
            p.organisatie_id: p
            for p in Partnerschap.objects.filter(
                programma=self.programma, organisatie__in=[o.pk for o in found]
            )
        }
        return [Suggestion(o, partnerschappen.get(o.pk)) for o in found]

    @property
    def choosing(self) -> bool:
        """Whether the second step (the choice) was posted."""
        return self.is_bound and "keuze" in self.data

    @property
    def offered(self) -> list[Suggestion]:
        """The suggestions one can choose: those that are not a partner today."""
        return [s for s in self.suggestions if not s.is_partner]

    @property
    def already_partners(self) -> list[Suggestion]:
        return [s for s in self.suggestions if s.is_partner]

    @property
    def exact_match(self) -> Suggestion | None:
        """The suggestion with exactly the typed name, if any."""
        wanted = self.typed.casefold()
        return next((s for s in self.suggestions if s.organisatie.naam.casefold() == wanted), None)

    @property
    def new_is_default(self) -> bool:
        return not self.offered and self.exact_match is None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.choosing and "naam" in cleaned and not cleaned.get("keuze"):
            self.add_error("keuze", _("Kies een organisatie uit de lijst, of maak een nieuwe aan."))
        return cleaned

    def chosen(self) -> Organisatie | None:
        """The existing organisation chosen; None for a new one."""
        keuze = self.cleaned_data["keuze"]
        if keuze == NEW:
            return None
        return next(s.organisatie for s in self.suggestions if str(s.organisatie.pk) == keuze)


class EndPartnerForm(forms.Form):
    op = forms.DateField(
        label=_("Partner tot en met"),
        help_text=_("Vandaag of een datum in het verleden, bijvoorbeeld 31-12-2025."),
        error_messages={
            "required": _("Vul de datum in waarop het partnerschap eindigt."),
            "invalid": _("Vul de datum in als dag-maand-jaar, bijvoorbeeld 31-12-2025."),
        },
    )
    reden = _reden()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("op", timezone.localdate())


class GroepForm(forms.ModelForm):
    class Meta:
        model = Groep
        fields = ["naam", "soort", "omschrijving"]
        labels = {"naam": _("Naam"), "soort": _("Soort"), "omschrijving": _("Omschrijving")}
        help_texts = {
            "naam": _("Bijvoorbeeld: Werkgroep Monitoring en evaluatie."),
            "omschrijving": _("Wat de groep doet. Een witregel begint een nieuwe alinea."),
        }
        widgets = {"omschrijving": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "naam": {
                "required": _("Vul de naam van de groep in."),
                "max_length": _("De naam is te lang (hoogstens %(limit_value)d tekens)."),
            },
            "soort": {"required": _("Kies de soort groep.")},
        }

    def __init__(self, *args: Any, programma: Programma, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programma = programma
        self.instance.programma = programma
        self.fields["soort"].choices = [("", _("Kies een soort")), *Groep.Soort.choices]

    def clean_naam(self) -> str:
        naam = " ".join(self.cleaned_data["naam"].split())
        taken = Groep.objects.filter(programma=self.programma, naam__iexact=naam)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Er is al een groep „%(naam)s” in dit programma; kies een andere naam."),
                code="unique",
                params={"naam": naam},
            )
        return naam

    def validate_unique(self) -> None:
        # clean_naam checks the name within the programme, which the model form leaves out.
        pass


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class GroepLidForm(forms.ModelForm):
    """A member: a partner organisation, a user of the programme or a named person."""

    user = _UserChoice(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("Gebruiker"),
        help_text=_("Iemand met een account in dit programma."),
        empty_label=_("Geen"),
    )

    class Meta:
        model = GroepLid
        fields = ["organisatie", "user", "persoon", "functie", "rol"]
        labels = {
            "organisatie": _("Organisatie"),
            "persoon": _("Persoon of functie"),
            "functie": _("Functie"),
            "rol": _("Rol in de groep"),
        }
        help_texts = {
            "organisatie": _("Een partner van het programma."),
            "persoon": _("Een naam, of een functie zoals „Wethouder Sociaal Domein”."),
        }
        error_messages = {
            "organisatie": {"invalid_choice": _("Kies een partner van dit programma.")},
        }

    def __init__(self, *args: Any, programma: Programma, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programma = programma
        organisatie = self.fields["organisatie"]
        organisatie.queryset = partner_choices(programma)
        organisatie.empty_label = _("Geen")
        user = self.fields["user"]
        user.queryset = (
            get_user_model()
            .objects.filter(lidmaatschappen__programma=programma)
            .order_by("first_name", "last_name", "username")
        )
        user.error_messages["invalid_choice"] = _(
            "Kies iemand met een rol in dit programma; deze gebruiker heeft die niet."
        )
        for name in ("persoon", "functie"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        who = cleaned.get("organisatie") or cleaned.get("user") or cleaned.get("persoon")
        # A refused organisation or user has its own message; this one would only repeat it.
        if not who and not self.has_error("organisatie") and not self.has_error("user"):
            raise forms.ValidationError(
                _(
                    "Kies een organisatie of een gebruiker, of vul een persoon of functie "
                    "in: een lid is ten minste één daarvan."
                ),
                code="wie",
            )
        return cleaned

    def _post_clean(self) -> None:
        # The services validate the whole member (partner, role in the programme); skip the
        # model form's own full_clean, which would run the same checks against a half object.
        pass


class _MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: GroepLid) -> str:
        return obj.wie


class KartrekkersForm(forms.Form):
    kartrekkers = _MemberChoice(
        queryset=GroepLid.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Kartrekkers"),
        error_messages={"invalid_choice": _("Kies kartrekkers uit de leden van deze groep.")},
    )

    def __init__(self, *args: Any, groep: Groep, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kartrekkers"]
        field.queryset = groep.leden.all()
        if not self.is_bound:
            self.initial["kartrekkers"] = [
                lid.pk for lid in groep.leden.all() if lid.rol == GroepLid.Rol.KARTREKKER
            ]
