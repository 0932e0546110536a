"""The goal tree: Ambitie → StrategischDoel → OperationeelDoel → Inspanning."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programmes.models import Groep, Organisatie, Partnerschap, Programma


class PartnerRol(models.TextChoices):
    TREKKER = "trekker", _("Trekker")
    BETROKKEN = "betrokken", _("Betrokken")
    KENNISPARTNER = "kennispartner", _("Kennispartner")


def _check_partner_of(programma_id: int, organisatie_id: int | None) -> None:
    if (
        organisatie_id
        and not Partnerschap.objects.filter(
            programma_id=programma_id, organisatie_id=organisatie_id, beeindigd_op__isnull=True
        ).exists()
    ):
        raise ValidationError(
            {"organisatie": _("Deze organisatie is geen partner van dit programma.")}
        )


def _check_groep_of(programma_id: int, groep: Groep | None) -> None:
    if groep is not None and groep.programma_id != programma_id:
        raise ValidationError({"groep": _("Deze groep hoort bij een ander programma.")})


class Versioned(models.Model):
    """An item of the tree that people edit in the browser.

    `versie` goes up by one on every edit, so a save based on an older version can be
    refused instead of silently overwriting someone else's change (see services.py).
    """

    versie = models.PositiveIntegerField(_("versie"), default=1, editable=False)

    class Meta:
        abstract = True


class Ambitie(Versioned):
    programma = models.ForeignKey(Programma, on_delete=models.CASCADE, related_name="ambities")
    code = models.CharField(_("code"), max_length=20, blank=True)
    titel = models.CharField(_("titel"), max_length=500)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    eigenaar = models.CharField(
        _("bestuurlijk eigenaar"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld de wethouder."),
    )
    uitgewerkt = models.BooleanField(
        _("uitgewerkt"),
        default=True,
        help_text=_("Nog niet uitgewerkte ambities hebben nog geen doelen of projecten."),
    )
    groep = models.ForeignKey(
        Groep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ambities",
        verbose_name=_("coalitie of groep"),
    )
    volgorde = models.PositiveIntegerField(_("volgorde"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programma", "volgorde", "id"]
        verbose_name = _("ambitie")
        verbose_name_plural = _("ambities")

    def __str__(self) -> str:
        return f"{self.code}. {self.titel}" if self.code else self.titel

    def clean(self) -> None:
        _check_groep_of(self.programma_id, self.groep)


class StrategischDoel(Versioned):
    ambitie = models.ForeignKey(
        Ambitie, on_delete=models.CASCADE, related_name="strategische_doelen"
    )
    code = models.CharField(_("code"), max_length=20, blank=True)
    titel = models.CharField(_("titel"), max_length=500)
    programmalijn = models.CharField(_("programmalijn"), max_length=120, blank=True)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    volgorde = models.PositiveIntegerField(_("volgorde"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ambitie", "volgorde", "id"]
        verbose_name = _("strategisch doel")
        verbose_name_plural = _("strategische doelen")

    def __str__(self) -> str:
        return self.titel

    @property
    def programma_id(self) -> int:
        return self.ambitie.programma_id


class OperationeelDoel(Versioned):
    strategisch_doel = models.ForeignKey(
        StrategischDoel, on_delete=models.CASCADE, related_name="operationele_doelen"
    )
    code = models.CharField(_("code"), max_length=20, blank=True)
    titel = models.CharField(_("titel"), max_length=500)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    volgorde = models.PositiveIntegerField(_("volgorde"), default=0)
    partners = models.ManyToManyField(
        Organisatie, through="DoelPartner", related_name="operationele_doelen", blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategisch_doel", "volgorde", "id"]
        verbose_name = _("operationeel doel")
        verbose_name_plural = _("operationele doelen")

    def __str__(self) -> str:
        return f"{self.code} {self.titel}" if self.code else self.titel

    @property
    def programma_id(self) -> int:
        return self.strategisch_doel.ambitie.programma_id

    def clean(self) -> None:
        if not self.code or not self.strategisch_doel_id:
            return
        clash = OperationeelDoel.objects.filter(
            strategisch_doel__ambitie__programma_id=self.programma_id, code=self.code
        ).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError(
                {
                    "code": _("Code %(code)s is in dit programma al in gebruik.")
                    % {"code": self.code}
                }
            )


class InspanningQuerySet(models.QuerySet):
    def with_links(self) -> "InspanningQuerySet":
        """Prefetch the goals (by code) and the partners with their organisation."""
        return self.prefetch_related(
            models.Prefetch(
                "bijdragen",
                queryset=Bijdrage.objects.select_related("operationeel_doel").order_by(
                    "operationeel_doel__code", "operationeel_doel__id"
                ),
            ),
            models.Prefetch(
                "partnerrollen",
                queryset=InspanningPartner.objects.select_related("organisatie"),
            ),
        )


class Inspanning(Versioned):
    """An effort or project; serves zero or more operational goals of its own programme."""

    class Categorie(models.TextChoices):
        ACTIE = "actie", _("Actie")
        ONDERZOEKEN = "onderzoeken", _("Onderzoeken")
        UITPROBEREN = "uitproberen", _("Uitproberen")
        ORGANISATORISCH = "organisatorisch", _("Organisatorisch")
        STRUCTUREEL = "structureel", _("Structureel")
        PROJECT = "project", _("Project")

    programma = models.ForeignKey(Programma, on_delete=models.CASCADE, related_name="inspanningen")
    code = models.CharField(_("code"), max_length=20, blank=True)
    titel = models.CharField(_("titel"), max_length=500)
    categorie = models.CharField(_("categorie"), max_length=20, choices=Categorie)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    doelen = models.ManyToManyField(
        OperationeelDoel,
        through="Bijdrage",
        related_name="inspanningen",
        blank=True,
        verbose_name=_("draagt bij aan"),
    )
    partners = models.ManyToManyField(
        Organisatie, through="InspanningPartner", related_name="inspanningen", blank=True
    )
    groep = models.ForeignKey(
        Groep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspanningen",
        verbose_name=_("uitgevoerd door groep"),
    )
    volgorde = models.PositiveIntegerField(_("volgorde"), default=0)
    # Project sheet (KvNH) fields.
    aanleiding = models.TextField(_("aanleiding"), blank=True)
    doel = models.TextField(_("doel"), blank=True)
    aandachtspunten = models.TextField(_("aandachtspunten"), blank=True)
    benodigde_kennis = models.TextField(_("benodigde kennis en kunde"), blank=True)
    indicatieve_ondersteuning = models.TextField(_("indicatieve ondersteuning"), blank=True)
    faq_probleem = models.TextField(_("wat is het probleem?"), blank=True)
    faq_omvang = models.TextField(_("hoe groot is het probleem?"), blank=True)
    faq_waarom_regionaal = models.TextField(_("waarom regionaal?"), blank=True)
    faq_rol_gemeenten = models.TextField(_("wat is de rol van de gemeenten?"), blank=True)
    history = HistoricalRecords()

    objects = InspanningQuerySet.as_manager()

    class Meta:
        ordering = ["programma", "volgorde", "id"]
        verbose_name = _("inspanning")
        verbose_name_plural = _("inspanningen")
        constraints = [
            models.UniqueConstraint(
                fields=["programma", "code"],
                condition=~models.Q(code=""),
                name="inspanning_code_uniek",
                violation_error_message=_("Deze code is in dit programma al in gebruik."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.titel}" if self.code else self.titel

    def clean(self) -> None:
        _check_groep_of(self.programma_id, self.groep)

    @property
    def has_project_sheet(self) -> bool:
        return any(
            getattr(self, name)
            for name in ("aanleiding", "doel", "aandachtspunten", "benodigde_kennis")
        )

    @property
    def faq(self) -> list[tuple[str, str]]:
        fields = ("faq_probleem", "faq_omvang", "faq_waarom_regionaal", "faq_rol_gemeenten")
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in fields
            if getattr(self, name)
        ]


# The project-sheet fields of an inspanning (KvNH), in the order the sheet shows them.
PROJECT_FIELDS = (
    "aanleiding",
    "doel",
    "aandachtspunten",
    "benodigde_kennis",
    "indicatieve_ondersteuning",
    "faq_probleem",
    "faq_omvang",
    "faq_waarom_regionaal",
    "faq_rol_gemeenten",
)


class Bijdrage(models.Model):
    """An inspanning serving an operational goal ("…, zodat <doel>")."""

    inspanning = models.ForeignKey(Inspanning, on_delete=models.CASCADE, related_name="bijdragen")
    operationeel_doel = models.ForeignKey(
        OperationeelDoel,
        on_delete=models.CASCADE,
        related_name="bijdragen",
        verbose_name=_("operationeel doel"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspanning", "operationeel_doel"]
        verbose_name = _("bijdrage aan een doel")
        verbose_name_plural = _("bijdragen aan doelen")
        constraints = [
            models.UniqueConstraint(
                fields=["inspanning", "operationeel_doel"],
                name="bijdrage_uniek",
                violation_error_message=_("Deze inspanning draagt al bij aan dit doel."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspanning} → {self.operationeel_doel}"

    def clean(self) -> None:
        if not (self.inspanning_id and self.operationeel_doel_id):
            return
        if self.operationeel_doel.programma_id != self.inspanning.programma_id:
            raise ValidationError(
                {
                    "operationeel_doel": _(
                        "Een inspanning kan alleen bijdragen aan doelen van haar eigen "
                        "programma; “%(doel)s” hoort bij een ander programma."
                    )
                    % {"doel": self.operationeel_doel.titel}
                }
            )


class PartnerLink(models.Model):
    """An organisation with a role on a goal or an inspanning; it must be a programme partner."""

    rol = models.CharField(
        _("rol"), max_length=20, choices=PartnerRol, default=PartnerRol.BETROKKEN
    )

    # The foreign key to what the organisation is linked to; set by each concrete link.
    linked_to = ""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.organisatie} ({self.get_rol_display()})"

    def clean(self) -> None:
        if getattr(self, f"{self.linked_to}_id"):
            linked = getattr(self, self.linked_to)
            _check_partner_of(linked.programma_id, self.organisatie_id)


class InspanningPartner(PartnerLink):
    linked_to = "inspanning"
    inspanning = models.ForeignKey(
        Inspanning, on_delete=models.CASCADE, related_name="partnerrollen"
    )
    organisatie = models.ForeignKey(
        Organisatie, on_delete=models.PROTECT, related_name="inspanningrollen"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspanning", "rol", "organisatie__naam"]
        verbose_name = _("partner bij inspanning")
        verbose_name_plural = _("partners bij inspanningen")
        constraints = [
            models.UniqueConstraint(
                fields=["inspanning", "organisatie"],
                name="inspanningpartner_uniek",
                violation_error_message=_("Deze organisatie is al partner bij deze inspanning."),
            )
        ]


class DoelPartner(PartnerLink):
    linked_to = "operationeel_doel"
    operationeel_doel = models.ForeignKey(
        OperationeelDoel, on_delete=models.CASCADE, related_name="partnerrollen"
    )
    organisatie = models.ForeignKey(
        Organisatie, on_delete=models.PROTECT, related_name="doelrollen"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["operationeel_doel", "rol", "organisatie__naam"]
        verbose_name = _("partner bij doel")
        verbose_name_plural = _("partners bij doelen")
        constraints = [
            models.UniqueConstraint(
                fields=["operationeel_doel", "organisatie"],
                name="doelpartner_uniek",
                violation_error_message=_("Deze organisatie is al partner bij dit doel."),
            )
        ]


class Stap(models.Model):
    """One step of a project's stappenplan (research, design, pilot, implementation …)."""

    inspanning = models.ForeignKey(Inspanning, on_delete=models.CASCADE, related_name="stappen")
    volgorde = models.PositiveIntegerField(_("volgorde"), default=0)
    naam = models.CharField(_("naam"), max_length=200)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    # Decimal: the plans give some steps half months ("1,5 maand").
    doorlooptijd_maanden = models.DecimalField(
        _("doorlooptijd (maanden)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspanning", "volgorde", "id"]
        verbose_name = _("stap")
        verbose_name_plural = _("stappen")

    def __str__(self) -> str:
        return self.naam
