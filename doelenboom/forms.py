"""Forms for editing the goal tree in place; each carries the version it was based on."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doelenboom.models import (
    PROJECT_FIELDS,
    Ambitie,
    Inspanning,
    OperationeelDoel,
    PartnerRol,
    Stap,
    StrategischDoel,
)
from programmes.models import Groep, Organisatie, Programma

# The role choice that takes a partner off an inspanning.
REMOVE = "verwijderen"


class TreeItemForm(forms.ModelForm):
    versie = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reden = forms.CharField(
        label=_("Reden van de wijziging"),
        required=False,
        max_length=200,
        help_text=_("Optioneel; staat in de geschiedenis bij deze wijziging."),
    )

    def __init__(self, *args: Any, programma: Programma, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programma = programma
        if self.instance.pk and not self.is_bound:
            self.initial["versie"] = self.instance.versie
        for name in ("titel", "code"):
            if name in self.fields:
                self.fields[name].widget.attrs.setdefault("autocomplete", "off")

    @property
    def main_fields(self) -> list[forms.BoundField]:
        """The fields shown first; partner roles, project sheet and reason come after."""
        later = {"reden", "nieuwe_partner", "nieuwe_partner_rol", *PROJECT_FIELDS}
        return [bf for bf in self if bf.name not in later and not bf.name.startswith("rol_")]

    @property
    def project_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PROJECT_FIELDS if name in self.fields]

    def own_values(self) -> dict[str, Any]:
        """The model fields of this form, for services.update_item."""
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name in self.cleaned_data and name not in getattr(self, "m2m_names", ())
        }


class AmbitieForm(TreeItemForm):
    class Meta:
        model = Ambitie
        fields = ["code", "titel", "omschrijving", "eigenaar", "uitgewerkt", "groep"]
        widgets = {"omschrijving": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groep"].queryset = Groep.objects.filter(programma=self.programma)
        self.instance.programma = self.programma


class StrategischDoelForm(TreeItemForm):
    class Meta:
        model = StrategischDoel
        fields = ["ambitie", "code", "titel", "programmalijn", "omschrijving"]
        widgets = {"omschrijving": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ambitie"].queryset = Ambitie.objects.filter(programma=self.programma)
        self.fields["ambitie"].label = self.programma.label_ambitie


class OperationeelDoelForm(TreeItemForm):
    class Meta:
        model = OperationeelDoel
        fields = ["strategisch_doel", "code", "titel", "omschrijving"]
        widgets = {"omschrijving": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["strategisch_doel"]
        field.queryset = StrategischDoel.objects.filter(
            ambitie__programma=self.programma
        ).select_related("ambitie")
        field.label = self.programma.label_strategisch_doel


StapFormSet = forms.inlineformset_factory(
    Inspanning,
    Stap,
    fields=["volgorde", "naam", "doorlooptijd_maanden", "omschrijving"],
    widgets={"omschrijving": forms.Textarea(attrs={"rows": 2})},
    extra=1,
    can_delete=True,
)


class InspanningForm(TreeItemForm):
    m2m_names = ("doelen",)
    doelen = forms.ModelMultipleChoiceField(
        queryset=OperationeelDoel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    nieuwe_partner = forms.ModelChoiceField(
        queryset=Organisatie.objects.none(),
        required=False,
        label=_("Partner toevoegen"),
        empty_label=_("— geen —"),
    )
    nieuwe_partner_rol = forms.ChoiceField(
        choices=PartnerRol.choices,
        initial=PartnerRol.BETROKKEN,
        label=_("Rol van de nieuwe partner"),
    )

    class Meta:
        model = Inspanning
        fields = ["code", "titel", "categorie", "omschrijving", "groep", *PROJECT_FIELDS]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ["omschrijving"]} | {
            name: forms.Textarea(attrs={"rows": 3}) for name in PROJECT_FIELDS
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        p = self.programma
        self.instance.programma = p
        self.fields["groep"].queryset = Groep.objects.filter(programma=p)
        goals = OperationeelDoel.objects.filter(
            strategisch_doel__ambitie__programma=p
        ).select_related("strategisch_doel")
        doelen = self.fields["doelen"]
        doelen.queryset = goals
        doelen.label = _("Zodat (draagt bij aan)")
        doelen.label_from_instance = lambda od: f"{od.code} {od.titel}".strip()
        partners = Organisatie.objects.filter(partnerschappen__programma=p)
        self.existing_roles = (
            list(self.instance.partnerrollen.select_related("organisatie"))
            if self.instance.pk
            else []
        )
        taken = {r.organisatie_id for r in self.existing_roles}
        self.fields["nieuwe_partner"].queryset = partners.exclude(pk__in=taken)
        for role in self.existing_roles:
            self.fields[f"rol_{role.organisatie_id}"] = forms.ChoiceField(
                label=_("Rol van %(organisatie)s") % {"organisatie": role.organisatie.naam},
                choices=[*PartnerRol.choices, (REMOVE, _("Verwijderen als partner"))],
                required=True,
                initial=role.rol,
            )
        if self.instance.pk and not self.is_bound:
            self.initial["doelen"] = [b.operationeel_doel_id for b in self.instance.bijdragen.all()]
        self.stappen = StapFormSet(
            self.data if self.is_bound else None,
            instance=self.instance,
            prefix=f"{self.prefix}-stappen" if self.prefix else "stappen",
        )

    def is_valid(self) -> bool:
        # Both always validate, so every error shows at once.
        own = super().is_valid()
        return self.stappen.is_valid() and own

    def step_changes(self) -> tuple[list[Stap], list[Stap]]:
        """The stappenplan rows to save (new or changed, unsaved) and those to delete."""
        to_save = self.stappen.save(commit=False)
        return to_save, list(self.stappen.deleted_objects)

    @property
    def role_fields(self) -> list[forms.BoundField]:
        return [self[f"rol_{role.organisatie_id}"] for role in self.existing_roles]

    def partner_roles(self) -> dict[int, str]:
        roles = {
            role.organisatie_id: self.cleaned_data[f"rol_{role.organisatie_id}"]
            for role in self.existing_roles
            if self.cleaned_data.get(f"rol_{role.organisatie_id}") != REMOVE
        }
        if self.cleaned_data.get("nieuwe_partner"):
            roles[self.cleaned_data["nieuwe_partner"].pk] = self.cleaned_data["nieuwe_partner_rol"]
        return roles

    def _save_m2m(self) -> None:  # links are saved by services.set_goals, with history
        pass
