"""Forms of the programmes app: starting a programme, inviting members, accepting."""

import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programmes.models import LEVEL_LABEL_FIELDS, Groep, Programma, Rol

# URL names under /programmas/ that a programme's slug must not take.
RESERVED_SLUGS = frozenset({"nieuw"})
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX_LENGTH = Programma._meta.get_field("slug").max_length
FIRST_YEAR, LAST_YEAR = 2000, 2100
GEMEENTE_MAX_LENGTH = 100


def _level_form_label(level: int, plural: bool) -> str:
    text = gettext("Niveau %(n)d, meervoud") if plural else gettext("Niveau %(n)d, enkelvoud")
    return text % {"n": level}


# Form labels of the level names ("Niveau 1, enkelvoud" …), translated when shown.
LEVEL_LABELS = {
    name: lazy(_level_form_label, str)(index // 2 + 1, name.endswith("_mv"))
    for index, name in enumerate(LEVEL_LABEL_FIELDS)
}


def parse_werkgebied(text: str) -> list[str]:
    """One gemeente per line: trimmed, inner spaces collapsed, no empty lines, no duplicates.

    Duplicates are found regardless of case; the first spelling wins.
    """
    gemeenten: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        gemeente = " ".join(line.split())
        if gemeente and gemeente.casefold() not in seen:
            seen.add(gemeente.casefold())
            gemeenten.append(gemeente)
    return gemeenten


def suggest_slug(text: str) -> str:
    """A URL name from free text: lowercase ASCII letters and digits joined by hyphens."""
    slug = slugify(text).replace("_", "-")
    slug = re.sub(r"-{2,}", "-", slug)[:SLUG_MAX_LENGTH]
    return slug.strip("-")


def _year_field(label: str, which: str) -> forms.IntegerField:
    bounds = {"eerste": FIRST_YEAR, "laatste": LAST_YEAR, "welk": which}
    return forms.IntegerField(
        label=label,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "required": gettext("Vul het %(welk)s in.") % bounds,
            "invalid": gettext("Vul het %(welk)s in als jaartal, bijvoorbeeld 2026.") % bounds,
            "min_value": gettext("Het %(welk)s ligt tussen %(eerste)d en %(laatste)d.") % bounds,
            "max_value": gettext("Het %(welk)s ligt tussen %(eerste)d en %(laatste)d.") % bounds,
        },
    )


class ProgrammaForm(forms.ModelForm):
    """A new programme: names, URL name, looptijd, werkgebied and the names of the tree levels."""

    slug = forms.CharField(
        label=_("Korte naam in de URL"),
        required=False,
        max_length=SLUG_MAX_LENGTH,
        help_text=_(
            "Het adres wordt /programmas/<korte naam in de URL>/. Alleen kleine letters, cijfers "
            "en koppeltekens. Leeg laten: Koers leidt hem af van de afkorting of de naam."
        ),
        error_messages={
            "max_length": _(
                "De korte naam in de URL is te lang (hoogstens %(limit_value)d tekens)."
            )
        },
    )
    werkgebied = forms.CharField(
        label=_("Werkgebied"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("De gemeenten in het werkgebied, één per regel."),
    )
    programmaleider = forms.EmailField(
        label=_("Programmaleider (e-mailadres)"),
        required=False,
        help_text=_(
            "Leeg laten: u wordt zelf de programmaleider. Vult u het e-mailadres van iemand "
            "anders in, dan wordt die de programmaleider en wordt u lid van het "
            "programmateam. Heeft die persoon nog geen account in Koers, dan krijgt die een "
            "uitnodiging per e-mail en blijft u programmaleider tot u uw rol zelf aanpast."
        ),
        error_messages={
            "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl."),
        },
    )

    class Meta:
        model = Programma
        fields = [
            "naam",
            "korte_naam",
            "slug",
            "looptijd_start",
            "looptijd_eind",
            "werkgebied",
            *LEVEL_LABELS,
        ]
        labels = {"naam": _("Naam"), "korte_naam": _("Afkorting"), **LEVEL_LABELS}
        help_texts = {
            "naam": _("Bijvoorbeeld: Regiovisie Sociaal Domein Kop van Noord-Holland."),
            "korte_naam": _("Bijvoorbeeld: KvNH. Staat in het menu en boven de pagina's."),
        }
        error_messages = {
            "naam": {
                "required": _("Vul de naam van het programma in."),
                "max_length": _("De naam is te lang (hoogstens %(limit_value)d tekens)."),
            },
            "korte_naam": {
                "max_length": _("De afkorting is te lang (hoogstens %(limit_value)d tekens)."),
            },
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["looptijd_start"] = _year_field(_("Beginjaar"), gettext("beginjaar"))
        self.fields["looptijd_eind"] = _year_field(_("Eindjaar"), gettext("eindjaar"))
        self.fields["looptijd_eind"].help_text = _("Het laatste jaar van het programma.")
        if not self.instance.pk:
            self.initial.setdefault("looptijd_start", timezone.localdate().year)
        self.initial["werkgebied"] = "\n".join(self.instance.werkgebied or [])
        for name, label in LEVEL_LABELS.items():
            field = self.fields[name]
            field.error_messages["required"] = gettext("Vul een naam in voor %(niveau)s.") % {
                "niveau": str(label).lower()
            }
            field.error_messages["max_length"] = gettext(
                "Deze naam is te lang (hoogstens %(limit_value)d tekens)."
            )

    def clean_slug(self) -> str:
        value = self.cleaned_data["slug"].strip().lower()
        derived = not value
        if derived:
            source = self.cleaned_data.get("korte_naam") or self.cleaned_data.get("naam") or ""
            value = suggest_slug(source)
            if not value:
                if not source:
                    # The naam itself is missing; its own error says so.
                    return value
                raise forms.ValidationError(
                    _("Vul een korte naam in de URL in; uit de naam kon Koers er geen afleiden."),
                    code="required",
                )
        elif not SLUG_PATTERN.fullmatch(value):
            suggestion = suggest_slug(value)
            message = gettext(
                "Gebruik in de korte naam in de URL alleen kleine letters (a-z), cijfers en "
                "koppeltekens."
            )
            if suggestion:
                message += " " + gettext("Bijvoorbeeld: %(slug)s.") % {"slug": suggestion}
            raise forms.ValidationError(message, code="invalid")
        if value in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("De korte naam in de URL „%(slug)s” is gereserveerd; kies een andere."),
                code="reserved",
                params={"slug": value},
            )
        taken = Programma.objects.exclude(pk=self.instance.pk).filter(slug=value)
        if taken.exists():
            raise forms.ValidationError(
                _(
                    "De korte naam in de URL „%(slug)s” is al in gebruik door een ander "
                    "programma; kies een andere, bijvoorbeeld „%(vrij)s”."
                ),
                code="unique",
                params={"slug": value, "vrij": self._free_slug(value)},
            )
        return value

    def clean_werkgebied(self) -> list[str]:
        gemeenten = parse_werkgebied(self.cleaned_data["werkgebied"])
        too_long = [g for g in gemeenten if len(g) > GEMEENTE_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _(
                    "Werkgebied: de regel „%(regel)s…” is te lang voor een gemeente "
                    "(hoogstens %(max)d tekens). Zet elke gemeente op een eigen regel."
                ),
                code="max_length",
                params={"regel": too_long[0][:30], "max": GEMEENTE_MAX_LENGTH},
            )
        return gemeenten

    def clean(self) -> dict:
        cleaned = super().clean()
        start, eind = cleaned.get("looptijd_start"), cleaned.get("looptijd_eind")
        if start is not None and eind is not None and eind < start:
            self.add_error(
                "looptijd_eind",
                forms.ValidationError(
                    _("Het eindjaar (%(eind)s) ligt vóór het beginjaar (%(start)s)."),
                    code="looptijd",
                    params={"eind": str(eind), "start": str(start)},
                ),
            )
        return cleaned

    def _free_slug(self, slug: str) -> str:
        base = slug[: SLUG_MAX_LENGTH - 4].rstrip("-")
        for n in range(2, 1000):
            candidate = f"{base}-{n}"
            if not Programma.objects.filter(slug=candidate).exists():
                return candidate
        return f"{base}-{timezone.now():%H%M%S}"


# -- members and invitations ----------------------------------------------------------------


class InviteForm(forms.Form):
    """Invite someone by e-mail address, with a role and optionally a group of this programme."""

    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        error_messages={
            "required": _("Vul het e-mailadres in van wie u uitnodigt."),
            "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl."),
        },
    )
    rol = forms.ChoiceField(
        label=_("Rol"),
        choices=Rol.choices,
        initial=Rol.PROGRAMMATEAM,
        error_messages={
            "required": _("Kies een rol."),
            "invalid_choice": _("Kies een rol uit de lijst."),
        },
    )
    groep = forms.ModelChoiceField(
        label=_("Groep"),
        queryset=Groep.objects.none(),
        required=False,
        empty_label=_("Geen groep"),
        help_text=_("De uitgenodigde wordt lid van deze groep zodra de uitnodiging is aangenomen."),
        error_messages={"invalid_choice": _("Kies een groep van dit programma.")},
    )

    def __init__(self, *args, programma: Programma, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only this programme's groups: another programme's group id is refused as invalid.
        self.fields["groep"].queryset = programma.groepen.all()


class RoleForm(forms.Form):
    """A member's new role; `bevestigd` is set by the confirmation step."""

    rol = forms.ChoiceField(
        label=_("Nieuwe rol"),
        choices=Rol.choices,
        error_messages={
            "required": _("Kies een rol."),
            "invalid_choice": _("Kies een rol uit de lijst."),
        },
    )
    bevestigd = forms.BooleanField(required=False, widget=forms.HiddenInput)


class AccountForm(forms.Form):
    """A new account for an invited person: their name and a password Django accepts."""

    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=150,
        error_messages={"required": _("Vul uw voornaam in.")},
    )
    last_name = forms.CharField(
        label=_("Achternaam"),
        max_length=150,
        error_messages={"required": _("Vul uw achternaam in.")},
    )
    password1 = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=_(
            "Minstens 8 tekens, niet alleen cijfers, geen veelgebruikt wachtwoord en niet te "
            "veel lijkend op uw naam of e-mailadres."
        ),
        error_messages={"required": _("Kies een wachtwoord.")},
    )
    password2 = forms.CharField(
        label=_("Wachtwoord herhalen"),
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("Vul het wachtwoord nog een keer in.")},
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif password1:
            user = get_user_model()(
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
