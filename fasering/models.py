"""Faseplannen, their fases and items, the project planning, remarks and risks; status
updates and reminders; the yearly eiland van reflectie.

Months are stored as the date of their first day ("augustus 2023" is 2023-08-01); a period's
end month is inclusive (Fase A: 2023-08-01 to 2023-12-01 means August up to and including
December).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from doelenboom.models import Ambitie, Inspanning, OperationeelDoel, Stap
from programmes.models import Groep, Organisatie, Programma


def _first_of_month(value, field: str) -> None:
    if value is not None and value.day != 1:
        raise ValidationError({field: _("Een maand begint op de eerste dag.")})


class Faseplan(models.Model):
    """A yearly phase plan: which goals and inspanningen a programme takes up, and when."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        TER_BESLUITVORMING = "ter_besluitvorming", _("Ter besluitvorming")
        VASTGESTELD = "vastgesteld", _("Vastgesteld")
        VERVANGEN = "vervangen", _("Vervangen")

    programma = models.ForeignKey(Programma, on_delete=models.CASCADE, related_name="faseplannen")
    nummer = models.PositiveSmallIntegerField(_("nummer"))
    titel = models.CharField(_("titel"), max_length=200)
    start = models.DateField(_("van (maand)"))
    eind = models.DateField(_("tot en met (maand)"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.CONCEPT)
    # The plan's own text sections, edited in the browser.
    context = models.TextField(_("context"), blank=True)
    keuzes = models.TextField(_("gemaakte keuzes"), blank=True)
    structurele_activiteiten = models.TextField(_("structurele activiteiten"), blank=True)
    organisatie = models.TextField(_("organisatie en rollen"), blank=True)
    # The status flow: who put it forward and who adopted it, and when.
    ter_besluitvorming_op = models.DateTimeField(
        _("ter besluitvorming gebracht op"), null=True, blank=True
    )
    ter_besluitvorming_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ter besluitvorming gebracht door"),
    )
    besloten_op = models.DateField(_("datum van het besluit"), null=True, blank=True)
    besluit = models.TextField(_("besluit"), blank=True)
    vastgesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgesteld door"),
    )
    vastgesteld_op = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    vervangen_door = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vervangt",
        verbose_name=_("vervangen door"),
    )
    # Everything the plan showed at adoption (fasering.content), so later edits to the tree
    # never change an adopted plan.
    snapshot = models.JSONField(_("vastgelegde inhoud"), null=True, blank=True, editable=False)
    versie = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        ordering = ["programma", "nummer"]
        verbose_name = _("faseplan")
        verbose_name_plural = _("faseplannen")
        constraints = [
            models.UniqueConstraint(
                fields=["programma", "nummer"],
                name="faseplan_nummer_uniek",
                violation_error_message=_("Dit programma heeft al een faseplan met dit nummer."),
            ),
            models.CheckConstraint(
                condition=models.Q(eind__gte=models.F("start")),
                name="faseplan_periode_oplopend",
                violation_error_message=_("De eindmaand ligt vóór de beginmaand."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nummer}. {self.titel}"

    @property
    def frozen(self) -> bool:
        return self.snapshot is not None

    def clean(self) -> None:
        _first_of_month(self.start, "start")
        _first_of_month(self.eind, "eind")
        if self.start and self.eind and self.eind < self.start:
            raise ValidationError({"eind": _("De eindmaand ligt vóór de beginmaand.")})


class Fase(models.Model):
    """A fase of a faseplan (AVK: Fase A August to December 2023, Fase B January to July 2024)."""

    faseplan = models.ForeignKey(Faseplan, on_delete=models.CASCADE, related_name="fases")
    naam = models.CharField(_("naam"), max_length=100)
    start = models.DateField(_("van (maand)"))
    eind = models.DateField(_("tot en met (maand)"))
    versie = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["faseplan", "start", "id"]
        verbose_name = _("fase")
        verbose_name_plural = _("fases")
        constraints = [
            models.UniqueConstraint(
                fields=["faseplan", "naam"],
                name="fase_naam_uniek",
                violation_error_message=_("Dit faseplan heeft al een fase met deze naam."),
            ),
        ]

    def __str__(self) -> str:
        return self.naam

    def clean(self) -> None:
        _first_of_month(self.start, "start")
        _first_of_month(self.eind, "eind")
        if self.start and self.eind and self.eind < self.start:
            raise ValidationError({"eind": _("De eindmaand ligt vóór de beginmaand.")})


class Middelen(models.TextChoices):
    GEEN = "geen", _("Geen aanvullende middelen")
    WEINIG = "weinig", _("Weinig aanvullende middelen")
    NODIG = "nodig", _("Aanvullende middelen nodig")
    ONBEKEND = "onbekend", _("Nog onbekend")


class FaseplanItem(models.Model):
    """An operational goal taken up in a faseplan, or an inspanning under such a goal.

    A goal's own item has no inspanning; each inspanning taken up under it is an item with the
    same operationeel_doel and the inspanning set.
    """

    faseplan = models.ForeignKey(Faseplan, on_delete=models.CASCADE, related_name="items")
    operationeel_doel = models.ForeignKey(
        OperationeelDoel,
        on_delete=models.CASCADE,
        related_name="faseplan_items",
        verbose_name=_("operationeel doel"),
    )
    inspanning = models.ForeignKey(
        Inspanning,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="faseplan_items",
        verbose_name=_("inspanning"),
    )
    start_fase = models.ForeignKey(
        Fase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("start in fase"),
    )
    loopt_door = models.BooleanField(_("loopt door in de volgende fase"), default=False)
    partners = models.ManyToManyField(
        Organisatie, blank=True, related_name="faseplan_items", verbose_name=_("partners")
    )
    partners_vrij = models.TextField(
        _("andere betrokkenen"),
        blank=True,
        help_text=_("Betrokkenen die (nog) geen organisatie zijn, één per regel."),
    )
    middelen = models.CharField(
        _("aanvullende middelen"), max_length=20, choices=Middelen, default=Middelen.ONBEKEND
    )
    middelen_toelichting = models.TextField(_("middelen, toelichting"), blank=True)
    toelichting = models.TextField(_("toelichting"), blank=True)
    volgorde = models.PositiveIntegerField(_("volgorde"), default=0)
    versie = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[partners])

    class Meta:
        ordering = ["faseplan", "volgorde", "id"]
        verbose_name = _("onderdeel van een faseplan")
        verbose_name_plural = _("onderdelen van faseplannen")
        constraints = [
            models.UniqueConstraint(
                fields=["faseplan", "operationeel_doel"],
                condition=models.Q(inspanning__isnull=True),
                name="faseplanitem_doel_uniek",
                violation_error_message=_("Dit doel staat al in het faseplan."),
            ),
            models.UniqueConstraint(
                fields=["faseplan", "operationeel_doel", "inspanning"],
                name="faseplanitem_inspanning_uniek",
                violation_error_message=_("Deze inspanning staat al onder dit doel."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.inspanning or self.operationeel_doel)


class Projectplanning(models.Model):
    """When a project (an inspanning with a stappenplan) starts: a month, or after another."""

    inspanning = models.OneToOneField(Inspanning, on_delete=models.CASCADE, related_name="planning")
    start = models.DateField(_("startmaand"), null=True, blank=True)
    start_na = models.ForeignKey(
        Inspanning,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volgende_projecten",
        verbose_name=_("start na"),
    )
    versie = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("projectplanning")
        verbose_name_plural = _("projectplanningen")

    def __str__(self) -> str:
        return str(self.inspanning)

    def clean(self) -> None:
        _first_of_month(self.start, "start")
        if self.start_na_id and self.start_na_id == self.inspanning_id:
            raise ValidationError({"start_na": _("Een project kan niet na zichzelf starten.")})


class Opmerking(models.Model):
    """A stuurgroep member's remark on a section of a faseplan that is ter besluitvorming.

    `sectie` names the section: "doel-<item id>", "planning", "begroting" or "tekst-<name>".
    """

    faseplan = models.ForeignKey(Faseplan, on_delete=models.CASCADE, related_name="opmerkingen")
    sectie = models.CharField(_("onderdeel"), max_length=60)
    tekst = models.TextField(_("opmerking"))
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("van"),
    )
    geplaatst_op = models.DateTimeField(_("geplaatst op"), auto_now_add=True)
    antwoord = models.TextField(_("antwoord"), blank=True)
    beantwoord_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beantwoord door"),
    )
    beantwoord_op = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    afgehandeld_op = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["faseplan", "geplaatst_op", "id"]
        verbose_name = _("opmerking")
        verbose_name_plural = _("opmerkingen")

    def __str__(self) -> str:
        return self.tekst[:60]

    @property
    def open(self) -> bool:
        return self.afgehandeld_op is None


class Risico(models.Model):
    """A risk or a precondition (randvoorwaarde) of a programme, with its mitigation."""

    class Soort(models.TextChoices):
        RISICO = "risico", _("Risico")
        RANDVOORWAARDE = "randvoorwaarde", _("Randvoorwaarde")

    class Niveau(models.TextChoices):
        LAAG = "laag", _("Laag")
        MIDDEL = "middel", _("Middel")
        HOOG = "hoog", _("Hoog")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        BEHEERST = "beheerst", _("Beheerst")
        GESLOTEN = "gesloten", _("Gesloten")

    programma = models.ForeignKey(Programma, on_delete=models.CASCADE, related_name="risicos")
    soort = models.CharField(_("soort"), max_length=20, choices=Soort, default=Soort.RISICO)
    omschrijving = models.TextField(_("omschrijving"))
    kans = models.CharField(_("kans"), max_length=10, choices=Niveau, blank=True)
    impact = models.CharField(_("impact"), max_length=10, choices=Niveau, blank=True)
    beheersmaatregel = models.TextField(_("beheersmaatregel"), blank=True)
    eigenaar = models.CharField(_("eigenaar"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    ambitie = models.ForeignKey(
        Ambitie,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risicos",
        verbose_name=_("ambitie"),
    )
    inspanning = models.ForeignKey(
        Inspanning,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risicos",
        verbose_name=_("project of inspanning"),
    )
    volgorde = models.PositiveIntegerField(_("volgorde"), default=0)
    versie = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programma", "soort", "volgorde", "id"]
        verbose_name = _("risico of randvoorwaarde")
        verbose_name_plural = _("risico's en randvoorwaarden")

    def __str__(self) -> str:
        return self.omschrijving[:80]

    def clean(self) -> None:
        for name in ("ambitie", "inspanning"):
            linked = getattr(self, name)
            if (
                linked is not None
                and self.programma_id
                and (linked.programma_id != self.programma_id)
            ):
                raise ValidationError({name: _("Dit hoort bij een ander programma.")})


# -- progress: status updates and reminders ------------------------------------------------------


class Licht(models.TextChoices):
    """The traffic light of a status update; always shown with its words, never colour alone."""

    OP_KOERS = "op_koers", _("Op koers")
    AANDACHT = "aandacht", _("Aandacht nodig")
    RISICO = "risico", _("Risico")


class Statusupdate(models.Model):
    """How an inspanning is doing, reported by who carries it; a timeline per inspanning.

    The author may correct it for 24 hours after `geplaatst_op`; after that it is history.
    """

    inspanning = models.ForeignKey(
        Inspanning, on_delete=models.CASCADE, related_name="statusupdates"
    )
    datum = models.DateField(_("datum"))
    stap = models.ForeignKey(
        Stap,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statusupdates",
        verbose_name=_("huidige stap"),
    )
    licht = models.CharField(_("stoplicht"), max_length=10, choices=Licht)
    voortgang = models.PositiveSmallIntegerField(
        _("voortgang (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    gebeurd = models.TextField(_("wat is er gebeurd"))
    volgende_stappen = models.TextField(_("volgende stappen"), blank=True)
    document = models.URLField(_("link naar een document"), max_length=500, blank=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="statusupdates",
        verbose_name=_("auteur"),
    )
    geplaatst_op = models.DateTimeField(_("geplaatst op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gecorrigeerd op"), null=True, blank=True)
    versie = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-datum", "-geplaatst_op", "-id"]
        verbose_name = _("statusupdate")
        verbose_name_plural = _("statusupdates")
        indexes = [models.Index(fields=["inspanning", "-datum", "-geplaatst_op"])]

    def __str__(self) -> str:
        return f"{self.inspanning} — {self.get_licht_display()} ({self.datum:%Y-%m-%d})"

    def clean(self) -> None:
        if self.stap_id and self.inspanning_id and self.stap.inspanning_id != self.inspanning_id:
            raise ValidationError({"stap": _("Deze stap hoort bij een ander project.")})


class Herinnering(models.Model):
    """A reminder e-mail sent to a user about one stale inspanning (one row per inspanning)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="herinneringen"
    )
    inspanning = models.ForeignKey(
        Inspanning, on_delete=models.CASCADE, related_name="herinneringen"
    )
    verstuurd_op = models.DateTimeField(_("verstuurd op"))

    class Meta:
        ordering = ["-verstuurd_op"]
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        indexes = [models.Index(fields=["user", "-verstuurd_op"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.inspanning} ({self.verstuurd_op:%Y-%m-%d})"


# -- the yearly eiland van reflectie ------------------------------------------------------------


class Kant(models.TextChoices):
    """The four sides of the Lemniscaat model."""

    ZIJ = "zij", _("ZIJ")
    HET = "het", _("HET")
    IK = "ik", _("IK")
    WIJ = "wij", _("WIJ")


class Reflectie(models.Model):
    """A programme's eiland van reflectie of one year: its sessions, decisions and trends.

    `faseplan` is the plan reflected on (faseplan N); its decisions seed faseplan N+1.
    """

    programma = models.ForeignKey(Programma, on_delete=models.CASCADE, related_name="reflecties")
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    faseplan = models.ForeignKey(
        Faseplan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reflecties",
        verbose_name=_("terugblik op faseplan"),
    )
    inleiding = models.TextField(_("inleiding"), blank=True)
    versie = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programma", "-jaar"]
        verbose_name = _("eiland van reflectie")
        verbose_name_plural = _("eilanden van reflectie")
        constraints = [
            models.UniqueConstraint(
                fields=["programma", "jaar"],
                name="reflectie_jaar_uniek",
                violation_error_message=_("Dit programma heeft al een reflectie over dit jaar."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.programma.afkorting} {self.jaar}"


class Reflectiesessie(models.Model):
    """One session of the eiland van reflectie, held with one group."""

    reflectie = models.ForeignKey(Reflectie, on_delete=models.CASCADE, related_name="sessies")
    groep = models.ForeignKey(
        Groep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reflectiesessies",
        verbose_name=_("groep"),
    )
    # The group as the session names it ("Managers/leidinggevenden" need not be a Groep).
    deelnemers = models.CharField(_("met wie"), max_length=200)
    datum = models.DateField(_("datum"), null=True, blank=True)
    begeleider = models.CharField(_("begeleid door"), max_length=200, blank=True)
    kanten = models.JSONField(_("besproken kanten"), default=list, blank=True)
    samenvatting = models.TextField(_("samenvatting"), blank=True)
    volgorde = models.PositiveIntegerField(_("volgorde"), default=0)
    versie = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reflectie", "volgorde", "datum", "id"]
        verbose_name = _("reflectiesessie")
        verbose_name_plural = _("reflectiesessies")

    def __str__(self) -> str:
        return self.deelnemers

    def clean(self) -> None:
        unknown = [k for k in self.kanten or [] if k not in Kant.values]
        if unknown:
            raise ValidationError({"kanten": _("Onbekende kant: %(k)s.") % {"k": unknown[0]}})
        if (
            self.groep_id
            and self.reflectie_id
            and self.groep.programma_id != self.reflectie.programma_id
        ):
            raise ValidationError({"groep": _("Deze groep hoort bij een ander programma.")})

    def get_kanten_display(self) -> list[str]:
        return [Kant(k).label for k in self.kanten or [] if k in Kant.values]


class Reflectievraag(models.Model):
    """A question put to a session; its contributions hang below it."""

    sessie = models.ForeignKey(Reflectiesessie, on_delete=models.CASCADE, related_name="vragen")
    tekst = models.TextField(_("vraag"))
    kant = models.CharField(_("kant"), max_length=3, choices=Kant, blank=True)
    volgorde = models.PositiveIntegerField(_("volgorde"), default=0)
    versie = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sessie", "volgorde", "id"]
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")

    def __str__(self) -> str:
        return self.tekst[:80]


class Inbreng(models.Model):
    """What was brought in on a question; may carry a score (0 to 10, "6,9")."""

    vraag = models.ForeignKey(Reflectievraag, on_delete=models.CASCADE, related_name="inbreng")
    tekst = models.TextField(_("inbreng"))
    # What the score is about ("ik weet dit"); the same label a year earlier is compared.
    score_onderwerp = models.CharField(_("cijfer voor"), max_length=200, blank=True)
    score = models.DecimalField(
        _("cijfer"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    volgorde = models.PositiveIntegerField(_("volgorde"), default=0)
    versie = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["vraag", "volgorde", "id"]
        verbose_name = _("inbreng")
        verbose_name_plural = _("inbreng")

    def __str__(self) -> str:
        return self.tekst[:80]


class Besluit(models.TextChoices):
    VOLGEND = "volgend", _("In het volgende faseplan")
    LATER = "later", _("In een later faseplan")
    STOPPEN = "stoppen", _("Stoppen")


class Reflectiebesluit(models.Model):
    """What the reflection decided for one operational goal, with its reason.

    For LATER, `faseplan_nummer` says which faseplan the goal starts in.
    """

    reflectie = models.ForeignKey(Reflectie, on_delete=models.CASCADE, related_name="besluiten")
    operationeel_doel = models.ForeignKey(
        OperationeelDoel,
        on_delete=models.CASCADE,
        related_name="reflectiebesluiten",
        verbose_name=_("operationeel doel"),
    )
    besluit = models.CharField(_("besluit"), max_length=10, choices=Besluit)
    faseplan_nummer = models.PositiveSmallIntegerField(
        _("in faseplan (nummer)"), null=True, blank=True
    )
    reden = models.TextField(_("reden"))
    versie = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reflectie", "operationeel_doel__code", "id"]
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        constraints = [
            models.UniqueConstraint(
                fields=["reflectie", "operationeel_doel"],
                name="reflectiebesluit_doel_uniek",
                violation_error_message=_("Over dit doel is in deze reflectie al besloten."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.operationeel_doel} — {self.get_besluit_display()}"

    def clean(self) -> None:
        if self.besluit == Besluit.LATER and not self.faseplan_nummer:
            raise ValidationError(
                {"faseplan_nummer": _("Zeg in welk later faseplan dit doel start.")}
            )
        if self.besluit != Besluit.LATER:
            self.faseplan_nummer = None
        if (
            self.operationeel_doel_id
            and self.reflectie_id
            and self.operationeel_doel.strategisch_doel.ambitie.programma_id
            != self.reflectie.programma_id
        ):
            raise ValidationError(
                {"operationeel_doel": _("Dit doel hoort bij een ander programma.")}
            )


class Trend(models.Model):
    """A trend or development to pick up, with when ("direct na de zomer")."""

    reflectie = models.ForeignKey(Reflectie, on_delete=models.CASCADE, related_name="trends")
    letter = models.CharField(_("letter"), max_length=5, blank=True)
    titel = models.CharField(_("trend of ontwikkeling"), max_length=300)
    toelichting = models.TextField(_("toelichting"), blank=True)
    startmoment = models.CharField(_("wanneer oppakken"), max_length=200, blank=True)
    volgorde = models.PositiveIntegerField(_("volgorde"), default=0)
    versie = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reflectie", "volgorde", "letter", "id"]
        verbose_name = _("trend")
        verbose_name_plural = _("trends")

    def __str__(self) -> str:
        return f"{self.letter}. {self.titel}" if self.letter else self.titel
