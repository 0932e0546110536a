"""Who and what: partner organisations, programmes, memberships and groups."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Organisatie(models.Model):
    """A partner organisation; shared across programmes."""

    class Soort(models.TextChoices):
        GEMEENTE = "gemeente", _("Gemeente")
        ONDERWIJS = "onderwijs", _("Onderwijs")
        ZORG = "zorg", _("Zorg")
        WELZIJN = "welzijn", _("Welzijn")
        WONEN = "wonen", _("Wonen")
        KENNISINSTELLING = "kennisinstelling", _("Kennisinstelling")
        INFORMEEL = "informeel", _("Informeel")
        OVERIG = "overig", _("Overig")

    naam = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("korte naam in de URL"), max_length=100, unique=True)
    soort = models.CharField(_("soort"), max_length=20, choices=Soort, default=Soort.OVERIG)
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["naam"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.naam


# The four levels of the goal tree, top down. This one spelling names them everywhere: in URLs,
# DOM ids, the level registry of doelenboom and the label fields below (label_<level>[_mv]).
TREE_LEVELS = ("ambitie", "strategisch_doel", "operationeel_doel", "inspanning")
LEVEL_LABEL_FIELDS = tuple(
    f"label_{level}{suffix}" for level in TREE_LEVELS for suffix in ("", "_mv")
)


class Programma(models.Model):
    """The top container: a long-running multi-partner programme."""

    naam = models.CharField(_("naam"), max_length=200)
    korte_naam = models.CharField(_("afkorting"), max_length=30, blank=True)
    slug = models.SlugField(_("korte naam in de URL"), max_length=50, unique=True)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    looptijd_start = models.PositiveSmallIntegerField(_("looptijd vanaf (jaar)"))
    looptijd_eind = models.PositiveSmallIntegerField(_("looptijd tot en met (jaar)"))
    werkgebied = models.JSONField(
        _("werkgebied"), default=list, blank=True, help_text=_("De gemeenten in het werkgebied.")
    )
    # The programme's own names for the four tree levels (singular and plural).
    label_ambitie = models.CharField(_("naam niveau 1"), max_length=60, default="Ambitie")
    label_ambitie_mv = models.CharField(
        _("naam niveau 1 (meervoud)"), max_length=60, default="Ambities"
    )
    label_strategisch_doel = models.CharField(
        _("naam niveau 2"), max_length=60, default="Strategische doelstelling"
    )
    label_strategisch_doel_mv = models.CharField(
        _("naam niveau 2 (meervoud)"), max_length=60, default="Strategische doelstellingen"
    )
    label_operationeel_doel = models.CharField(
        _("naam niveau 3"), max_length=60, default="Operationele doelstelling"
    )
    label_operationeel_doel_mv = models.CharField(
        _("naam niveau 3 (meervoud)"), max_length=60, default="Operationele doelstellingen"
    )
    label_inspanning = models.CharField(_("naam niveau 4"), max_length=60, default="Inspanning")
    label_inspanning_mv = models.CharField(
        _("naam niveau 4 (meervoud)"), max_length=60, default="Inspanningen"
    )
    organisaties = models.ManyToManyField(
        Organisatie, through="Partnerschap", related_name="programmas", blank=True
    )
    # An archived programme is read-only and left out of the lists; its data stays.
    gearchiveerd_op = models.DateTimeField(_("gearchiveerd op"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["naam"]
        verbose_name = _("programma")
        verbose_name_plural = _("programma's")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(looptijd_eind__gte=models.F("looptijd_start")),
                name="programma_looptijd_oplopend",
                violation_error_message=_("Het eindjaar ligt vóór het beginjaar."),
            )
        ]

    def __str__(self) -> str:
        return self.naam

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", args=[self.slug])

    @property
    def afkorting(self) -> str:
        return self.korte_naam or self.naam

    @property
    def looptijd(self) -> str:
        return f"{self.looptijd_start}\N{EN DASH}{self.looptijd_eind}"

    def clean(self) -> None:
        if self.looptijd_start and self.looptijd_eind and self.looptijd_eind < self.looptijd_start:
            raise ValidationError({"looptijd_eind": _("Het eindjaar ligt vóór het beginjaar.")})

    def level_label(self, level: str, *, plural: bool = False) -> str:
        """This programme's name for a tree level (see TREE_LEVELS), e.g. "Thema"."""
        if level not in TREE_LEVELS:
            raise ValueError(f"Unknown tree level: {level}")
        return getattr(self, f"label_{level}{'_mv' if plural else ''}")


class Partnerschap(models.Model):
    """An organisation taking part in a programme."""

    programma = models.ForeignKey(
        Programma, on_delete=models.CASCADE, related_name="partnerschappen"
    )
    organisatie = models.ForeignKey(
        Organisatie, on_delete=models.PROTECT, related_name="partnerschappen"
    )
    sinds = models.PositiveSmallIntegerField(_("partner sinds (jaar)"), null=True, blank=True)
    jaarlijkse_bijdrage = models.DecimalField(
        _("jaarlijkse bijdrage"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # An ended partnership stays, so the history of what the partner did keeps its name;
    # only current partners (no end date) can be given new roles.
    beeindigd_op = models.DateField(_("partner tot"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisatie__naam"]
        verbose_name = _("partnerschap")
        verbose_name_plural = _("partnerschappen")
        constraints = [
            models.UniqueConstraint(
                fields=["programma", "organisatie"],
                name="partnerschap_uniek",
                violation_error_message=_("Deze organisatie is al partner in dit programma."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisatie} in {self.programma}"


class Profiel(models.Model):
    """What we know of a user beyond the login: the organisation they work for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profiel"
    )
    organisatie = models.ForeignKey(
        Organisatie,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="medewerkers",
        verbose_name=_("organisatie"),
    )
    functie = models.CharField(_("functie"), max_length=120, blank=True)
    herinneringen = models.BooleanField(
        _("herinneringen per e-mail"),
        default=True,
        help_text=_(
            "Een e-mail als een project van uw groep 90 dagen geen statusupdate heeft gehad; "
            "hoogstens één per week."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("profiel")
        verbose_name_plural = _("profielen")

    def __str__(self) -> str:
        return str(self.user)


class Rol(models.TextChoices):
    PROGRAMMALEIDER = "programmaleider", _("Programmaleider")
    PROGRAMMATEAM = "programmateam", _("Programmateam")
    STUURGROEP = "stuurgroep", _("Stuurgroep")
    COALITIELID = "coalitielid", _("Coalitielid / kartrekker")
    LEZER = "lezer", _("Lezer")


class Lidmaatschap(models.Model):
    """A user's role in one programme; drives what they may see and do there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lidmaatschappen"
    )
    programma = models.ForeignKey(
        Programma, on_delete=models.CASCADE, related_name="lidmaatschappen"
    )
    rol = models.CharField(_("rol"), max_length=20, choices=Rol)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programma__naam", "user__last_name", "user__first_name"]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programma"],
                name="lidmaatschap_uniek",
                violation_error_message=_("Deze gebruiker heeft al een rol in dit programma."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_rol_display()} ({self.programma.afkorting})"


class Uitnodiging(models.Model):
    """An invitation by e-mail to join a programme with a role (and optionally a group).

    Only a hash of the token is stored: the link in the e-mail is the one way in. It works
    once, and not after `verloopt_op` or once withdrawn.
    """

    programma = models.ForeignKey(Programma, on_delete=models.CASCADE, related_name="uitnodigingen")
    email = models.EmailField(_("e-mailadres"))
    rol = models.CharField(_("rol"), max_length=20, choices=Rol)
    groep = models.ForeignKey(
        "Groep",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uitnodigingen",
        verbose_name=_("groep"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    uitgenodigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    aangemaakt_op = models.DateTimeField(_("verstuurd op"), auto_now_add=True)
    verloopt_op = models.DateTimeField(_("verloopt op"))
    gebruikt_op = models.DateTimeField(_("gebruikt op"), null=True, blank=True)
    gebruikt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gebruikt door"),
    )
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-aangemaakt_op"]
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")

    def __str__(self) -> str:
        return f"{self.email} ({self.get_rol_display()}, {self.programma.afkorting})"


class Groep(models.Model):
    """A steering group, team, working group, coalition or project group."""

    class Soort(models.TextChoices):
        BESTUUR = "bestuur", _("Bestuur")
        STUURGROEP = "stuurgroep", _("Stuurgroep")
        PROGRAMMATEAM = "programmateam", _("Programmateam")
        WERKGROEP = "werkgroep", _("Werkgroep")
        COALITIE = "coalitie", _("Coalitie")
        PROJECTGROEP = "projectgroep", _("Projectgroep")

    programma = models.ForeignKey(Programma, on_delete=models.CASCADE, related_name="groepen")
    naam = models.CharField(_("naam"), max_length=200)
    soort = models.CharField(_("soort"), max_length=20, choices=Soort)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    volgorde = models.PositiveIntegerField(_("volgorde"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programma", "volgorde", "naam"]
        verbose_name = _("groep")
        verbose_name_plural = _("groepen")
        constraints = [
            models.UniqueConstraint(
                fields=["programma", "naam"],
                name="groep_naam_uniek",
                violation_error_message=_("Er is al een groep met deze naam in dit programma."),
            )
        ]

    def __str__(self) -> str:
        return self.naam


class GroepLid(models.Model):
    """A member of a group: an organisation, a named person, a user, or a combination."""

    class Rol(models.TextChoices):
        VOORZITTER = "voorzitter", _("Voorzitter")
        KARTREKKER = "kartrekker", _("Kartrekker")
        LID = "lid", _("Lid")
        ADVISEUR = "adviseur", _("Adviseur")

    groep = models.ForeignKey(Groep, on_delete=models.CASCADE, related_name="leden")
    organisatie = models.ForeignKey(
        Organisatie,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groepslidmaatschappen",
        verbose_name=_("organisatie"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="groepslidmaatschappen",
        verbose_name=_("gebruiker"),
    )
    persoon = models.CharField(_("persoon of functie"), max_length=200, blank=True)
    functie = models.CharField(_("functie"), max_length=200, blank=True)
    rol = models.CharField(_("rol"), max_length=20, choices=Rol, default=Rol.LID)
    volgorde = models.PositiveIntegerField(_("volgorde"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["groep", "volgorde", "id"]
        verbose_name = _("groepslid")
        verbose_name_plural = _("groepsleden")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(organisatie__isnull=False)
                    | models.Q(user__isnull=False)
                    | ~models.Q(persoon="")
                ),
                name="groeplid_heeft_wie",
                violation_error_message=_(
                    "Een groepslid is een organisatie, een gebruiker of een persoon."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.wie

    @property
    def wie(self) -> str:
        parts = [self.persoon or (self.user.get_full_name() if self.user else "")]
        if self.organisatie_id:
            parts.append(str(self.organisatie))
        return " — ".join(p for p in parts if p)

    def clean(self) -> None:
        if (
            self.user_id
            and self.groep_id
            and not self.user.lidmaatschappen.filter(programma_id=self.groep.programma_id).exists()
        ):
            raise ValidationError(
                {"user": _("Deze gebruiker heeft geen rol in het programma van deze groep.")}
            )
