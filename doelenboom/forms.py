"""Forms for editing the goal tree in place; each carries the version it was based on.

After an edit conflict (doelenboom.conflicts) the form also carries, per field both editors
changed, the editor's choice (`keuze_<field>`: keep mine, take theirs, edit) and the value
they had entered before they saw the other change (`mijn_<field>`).
"""

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from doelenboom.adopted import adopted_plan_of
from doelenboom.conflicts import (
    CHOICES,
    EDIT,
    KEEP_MINE,
    TAKE_THEIRS,
    FieldConflict,
    Merge,
    OtherEdit,
)
from doelenboom.durations import months_number
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

if TYPE_CHECKING:  # services imports the forms, through levels
    from core.history import FieldChange
    from doelenboom.models import Versioned

# The role choice that takes a partner off an inspanning.
REMOVE = "verwijderen"

# The empty first option of a select, in Dutch: Django's is "---------".
CHOOSE = _("— kies —")
NONE = _("— geen —")

CONFLICT_CHOICES = [
    (KEEP_MINE, _("Mijn versie houden")),
    (TAKE_THEIRS, _("Hun versie overnemen")),
    (EDIT, _("Zelf aanpassen")),
]


def dutch_empty_choices(form: forms.BaseForm) -> None:
    """Give every select of `form` a Dutch empty option: "— kies —" where a value is
    required, "— geen —" where none is a valid answer."""
    for field in form.fields.values():
        label = CHOOSE if field.required else NONE
        if isinstance(field, forms.ModelMultipleChoiceField):
            continue
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None and not str(field.empty_label).startswith("—"):
                field.empty_label = label
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] == "" and not str(choices[0][1]).startswith("—"):
                field.choices = [("", label), *choices[1:]]


class ConflictRow:
    """A field both editors changed, as the form shows it: both values, the choice, the box."""

    def __init__(self, form: "TreeItemForm", conflict: FieldConflict) -> None:
        self.conflict = conflict
        self.field = form[conflict.name]
        self.keuze = form[f"keuze_{conflict.name}"]
        self.mijn = form[f"mijn_{conflict.name}"]


class TreeItemForm(forms.ModelForm):
    versie = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The version whose changes an edit conflict showed; choices count only against it.
    gezien = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reden = forms.CharField(
        label=_("Reden van de wijziging"),
        required=False,
        max_length=200,
        help_text=_("Optioneel; staat in de geschiedenis bij deze wijziging."),
    )

    def __init__(self, *args: Any, programma: Programma, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programma = programma
        self.conflict: OtherEdit | None = None
        self.conflicts: list[FieldConflict] = []
        if self.instance.pk and not self.is_bound:
            self.initial["versie"] = self.instance.versie
        self.adopted_in = adopted_plan_of(self.instance)
        if self.adopted_in:
            reden = self.fields["reden"]
            reden.required = True
            reden.help_text = _(
                "Dit onderdeel staat in het vastgestelde %(plan)s; geef een reden voor de "
                "wijziging."
            ) % {"plan": self.adopted_in}
            reden.error_messages["required"] = _(
                "Geef een reden: dit onderdeel staat in het vastgestelde %(plan)s."
            ) % {"plan": self.adopted_in}
        for name in ("titel", "code"):
            if name in self.fields:
                self.fields[name].widget.attrs.setdefault("autocomplete", "off")
        dutch_empty_choices(self)

    @property
    def conflict_names(self) -> set[str]:
        return {c.name for c in self.conflicts}

    @property
    def main_fields(self) -> list[forms.BoundField]:
        """The fields shown first; partner roles, project sheet and reason come after.

        Fields in conflict are shown in the conflict block instead, with the choice.
        """
        later = {"reden", "nieuwe_partner", "nieuwe_partner_rol", *PROJECT_FIELDS}
        later |= self.conflict_names
        return [
            bf
            for bf in self
            if bf.name not in later and not bf.name.startswith(("rol_", "keuze_", "mijn_"))
        ]

    @property
    def project_fields(self) -> list[forms.BoundField]:
        names = [n for n in PROJECT_FIELDS if n in self.fields and n not in self.conflict_names]
        return [self[name] for name in names]

    @property
    def conflict_rows(self) -> list[ConflictRow]:
        return [ConflictRow(self, conflict) for conflict in self.conflicts]

    @property
    def kept_changes(self) -> list["FieldChange"]:
        """The other person's changes to fields this editor left alone: those stay."""
        if self.conflict is None:
            return []
        meta = self._meta.model._meta
        labels = {str(meta.get_field(name).verbose_name) for name in self.conflict.kept}
        return [change for change in self.conflict.changes if change.label in labels]

    def _choice(self, name: str) -> str:
        value = self.data.get(self.add_prefix(f"keuze_{name}"), "")
        return value if value in CHOICES else ""

    def merge(self) -> Merge:
        """The editor's choices for fields in conflict, and the version they were shown."""
        choices = {name: self._choice(name) for name in self._meta.fields}
        return Merge(
            choices={name: choice for name, choice in choices.items() if choice},
            seen=self.cleaned_data.get("gezien"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Unless the editor chose to edit it, a field in conflict carries the value they had
        # entered before they saw the other change ("mijn versie").
        for name in self._meta.fields:
            raw = self.data.get(self.add_prefix(f"mijn_{name}"))
            if raw is None or name not in self.fields or self._choice(name) == EDIT:
                continue
            try:
                cleaned[name] = self.fields[name].clean(raw)
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def show_conflict(self, other: OtherEdit) -> None:
        """Show the fields both editors changed, each with a choice."""
        self.conflict = other
        self.conflicts = list(other.conflicts)
        for conflict in self.conflicts:
            self.fields[f"keuze_{conflict.name}"] = forms.ChoiceField(
                label=_("Wat bewaart u bij “%(veld)s”?") % {"veld": conflict.label},
                choices=CONFLICT_CHOICES,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"mijn_{conflict.name}"] = forms.CharField(
                widget=forms.HiddenInput, required=False, strip=False
            )

    def conflict_data(self, other: OtherEdit, current: "Versioned") -> QueryDict:
        """This form's input to show again with the conflict `other`.

        Fields only the other person changed show their value, which is what will be saved;
        fields in conflict keep what the editor entered, also as "mijn versie". Choices made
        against an older version than `other.versie` are dropped: the editor decides again.
        """
        data = self.data.copy()
        data[self.add_prefix("gezien")] = str(other.versie)
        for name in other.kept:
            self._put(data, name, getattr(current, name))
        stale = self.data.get(self.add_prefix("gezien")) != str(other.versie)
        for conflict in other.conflicts:
            mine = self.add_prefix(f"mijn_{conflict.name}")
            if mine not in data:
                data[mine] = self.data.get(self.add_prefix(conflict.name), "")
            if stale:
                data.pop(self.add_prefix(f"keuze_{conflict.name}"), None)
        return data

    def _put(self, data: QueryDict, name: str, value: Any) -> None:
        field, key = self.fields[name], self.add_prefix(name)
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
            else:
                data.pop(key, None)
        else:
            prepared = field.prepare_value(value)
            data[key] = "" if prepared is None else str(prepared)

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


class MonthsField(forms.DecimalField):
    """Months with at most one decimal, typed the Dutch way ("1,5") or with a point ("1.5")."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Vul een aantal maanden in, bijvoorbeeld 2 of 1,5."),
        "min_value": _("Een stap duurt minstens een halve maand (0,5)."),
        "max_decimal_places": _("Hooguit één cijfer achter de komma, bijvoorbeeld 1,5."),
        "max_digits": _("Hoogstens 999,9 maanden."),
        "max_whole_digits": _("Hoogstens 999,9 maanden."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.update(max_digits=4, decimal_places=1, min_value=Decimal("0.5"))
        super().__init__(**kwargs)
        self.widget.attrs["inputmode"] = "decimal"

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            # A number of months has no thousands, so a point is a decimal point as well.
            value = value.strip().removesuffix("maanden").removesuffix("maand")
            value = value.replace(" ", "").replace(",", ".")
        number = super().to_python(value)
        if number is None:
            return None
        try:
            # "2,50" is 2,5: trailing zeros are not more precision.
            return number.quantize(Decimal("0.1")) if number == round(number, 1) else number
        except InvalidOperation:
            return number

    def prepare_value(self, value: Any) -> Any:
        return months_number(value) if isinstance(value, Decimal | int) else value


class StapForm(forms.ModelForm):
    doorlooptijd_maanden = MonthsField(
        label=_("doorlooptijd (maanden)"),
        required=False,
        help_text=_("In maanden; een halve maand mag, bijvoorbeeld 1,5."),
    )

    class Meta:
        model = Stap
        fields = ["volgorde", "naam", "doorlooptijd_maanden", "omschrijving"]
        labels = {"volgorde": _("stapnummer")}
        widgets = {"omschrijving": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Without a number a step keeps its place on the form.
        self.fields["volgorde"].required = False


class BaseStapFormSet(forms.BaseInlineFormSet):
    """The stappenplan, numbered from 1 in its stored order, whatever `volgorde` holds."""

    def _construct_form(self, i: int, **kwargs: Any) -> forms.ModelForm:
        form = super()._construct_form(i, **kwargs)
        form.number = i + 1
        form.stored_volgorde = form.instance.volgorde if form.instance.pk else None
        form.initial["volgorde"] = form.number
        return form

    def ordered_changes(self) -> tuple[list[Stap], list[Stap]]:
        """The rows to save and to delete; when anything changed, the remaining steps are
        numbered 1, 2, 3 … in the order the editor gave (number, then place on the form)."""
        to_save = self.save(commit=False)
        removed = list(self.deleted_objects)
        if not (to_save or removed):
            return [], []
        kept = [
            form
            for form in self.forms
            if not self._should_delete_form(form) and (form.instance.pk or form.has_changed())
        ]
        kept.sort(key=lambda form: (form.cleaned_data.get("volgorde") or form.number, form.number))
        for volgorde, form in enumerate(kept, start=1):
            form.instance.volgorde = volgorde
            if form.stored_volgorde != volgorde and form.instance not in to_save:
                to_save.append(form.instance)
        return to_save, removed


StapFormSet = forms.inlineformset_factory(
    Inspanning,
    Stap,
    form=StapForm,
    formset=BaseStapFormSet,
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
        empty_label=NONE,
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
        return self.stappen.ordered_changes()

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
