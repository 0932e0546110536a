"""Extra programmes of AVK size, for measuring how pages behave as the data grows.

The goal-tree and overview pages promise a fixed number of queries whatever the size of the
data; that promise only shows with many programmes in the database. This command copies the
loaded AVK demo programme (tree, links, partner roles, partnerschappen, groups) N times as
"schaal-1" … "schaal-N" and makes the demo user leider.avk programme leader of each copy.

With --inspanningen N it also makes "groot": one more copy whose inspanningen are AVK's,
repeated and renumbered until there are N, to measure how the goal tree holds up when one
programme's own tree is long.

Idempotent: a copy whose slug exists is left alone. Everything is written with bulk inserts
(with history rows, through simple_history), one insert per model for all copies together.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from avk.demo import load_demo
from core.loading import describe_counts
from doelenboom.models import (
    Ambitie,
    Bijdrage,
    DoelPartner,
    Inspanning,
    InspanningPartner,
    OperationeelDoel,
    Stap,
    StrategischDoel,
)
from programmes.models import Groep, GroepLid, Lidmaatschap, Partnerschap, Programma, Rol

SOURCE_SLUG = "avk"
LEADER = "leider.avk"
SLUG_PREFIX = "schaal-"
BIG_SLUG = "groot"
CHANGE_REASON = "Schaaldata (manage.py scale_data)"


def scale_slug(number: int) -> str:
    return f"{SLUG_PREFIX}{number}"


@dataclass(frozen=True)
class Copy:
    slug: str
    naam: str
    korte_naam: str


def _copy(obj: models.Model, **overrides: object) -> models.Model:
    """An unsaved copy of obj: every concrete field but the primary key, then the overrides."""
    values = {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }
    return type(obj)(**{**values, **overrides})


@dataclass
class Source:
    """The AVK programme with everything below it, read once."""

    programma: Programma
    partnerschappen: list[Partnerschap]
    groepen: list[Groep]
    groepleden: list[GroepLid]
    ambities: list[Ambitie]
    strategische_doelen: list[StrategischDoel]
    operationele_doelen: list[OperationeelDoel]
    doelpartners: list[DoelPartner]
    inspanningen: list[Inspanning]
    bijdragen: list[Bijdrage]
    inspanningpartners: list[InspanningPartner]
    stappen: list[Stap]

    @classmethod
    def read(cls, programma: Programma) -> "Source":
        return cls(
            programma=programma,
            partnerschappen=list(Partnerschap.objects.filter(programma=programma)),
            groepen=list(Groep.objects.filter(programma=programma)),
            # Members that are accounts belong to the demo programme only.
            groepleden=list(GroepLid.objects.filter(groep__programma=programma, user=None)),
            ambities=list(Ambitie.objects.filter(programma=programma)),
            strategische_doelen=list(StrategischDoel.objects.filter(ambitie__programma=programma)),
            operationele_doelen=list(
                OperationeelDoel.objects.filter(strategisch_doel__ambitie__programma=programma)
            ),
            doelpartners=list(
                DoelPartner.objects.filter(
                    operationeel_doel__strategisch_doel__ambitie__programma=programma
                )
            ),
            inspanningen=list(Inspanning.objects.filter(programma=programma)),
            bijdragen=list(Bijdrage.objects.filter(inspanning__programma=programma)),
            inspanningpartners=list(
                InspanningPartner.objects.filter(inspanning__programma=programma)
            ),
            stappen=list(Stap.objects.filter(inspanning__programma=programma)),
        )

    def with_inspanningen(self, count: int) -> "Source":
        """This source with its inspanningen repeated until there are `count`.

        Later rounds get a suffix to code and title ("A1-2", "… (2)") and keep the goals,
        partner roles and steps of the inspanning they repeat. The repeats carry made-up
        negative keys: _copy_programmes only uses a row's key to map its links to the copy.
        """
        if not self.inspanningen:
            raise CommandError("Het bronprogramma heeft geen inspanningen om te herhalen.")
        links: dict[str, dict[int, list]] = {
            name: defaultdict(list) for name in ("bijdragen", "partners", "stappen")
        }
        for name, rows in (
            ("bijdragen", self.bijdragen),
            ("partners", self.inspanningpartners),
            ("stappen", self.stappen),
        ):
            for row in rows:
                links[name][row.inspanning_id].append(row)
        inspanningen, bijdragen, partners, stappen = [], [], [], []
        size = len(self.inspanningen)
        for n in range(count):
            original = self.inspanningen[n % size]
            round_ = n // size + 1
            repeat = _copy(original)
            repeat.pk = -(n + 1)
            if round_ > 1:
                repeat.code = f"{original.code}-{round_}" if original.code else ""
                repeat.titel = f"{original.titel} ({round_})"
            inspanningen.append(repeat)
            for name, target in (
                ("bijdragen", bijdragen),
                ("partners", partners),
                ("stappen", stappen),
            ):
                target.extend(
                    _copy(row, inspanning_id=repeat.pk) for row in links[name][original.pk]
                )
        return replace(
            self,
            inspanningen=inspanningen,
            bijdragen=bijdragen,
            inspanningpartners=partners,
            stappen=stappen,
        )


@dataclass
class Created:
    per_model: dict[str, int] = field(default_factory=dict)

    def insert(self, model: type[models.Model], objs: list[models.Model]) -> list[models.Model]:
        """Bulk-insert objs with their history rows; the returned objects carry their pk."""
        if not objs:
            return []
        saved = bulk_create_with_history(objs, model, default_change_reason=CHANGE_REASON)
        if any(obj.pk is None for obj in saved):
            raise CommandError(
                f"De database gaf geen sleutels terug voor {model._meta.verbose_name_plural}."
            )
        key = str(model._meta.verbose_name_plural)
        self.per_model[key] = self.per_model.get(key, 0) + len(saved)
        return saved


def _copy_programmes(source: Source, copies: list[Copy], created: Created) -> list[Programma]:
    """Copy source once per Copy; each step inserts the rows of all copies at once."""
    src = source.programma
    programmas = created.insert(
        Programma,
        [_copy(src, slug=c.slug, naam=c.naam, korte_naam=c.korte_naam) for c in copies],
    )

    def copy_all(model, rows, parent_map, parent_attr, **extra_maps):
        """One copy of each row per programme, with its foreign keys pointing into that copy.

        parent_map[k] maps the parent's old pk to the new parent of copy k; extra_maps do the
        same for optional foreign keys (None stays None).
        """
        new_rows, keys = [], []
        for k in range(len(programmas)):
            for row in rows:
                overrides = {parent_attr: parent_map[k][getattr(row, parent_attr)]}
                for attr, mapping in extra_maps.items():
                    old = getattr(row, attr)
                    overrides[attr] = mapping[k][old] if old is not None else None
                new_rows.append(_copy(row, **overrides))
                keys.append((k, row.pk))
        saved = created.insert(model, new_rows)
        maps: list[dict[int, int]] = [{} for _ in programmas]
        for (k, old_pk), obj in zip(keys, saved, strict=True):
            maps[k][old_pk] = obj.pk
        return maps

    programma_map = [{src.pk: p.pk} for p in programmas]
    copy_all(Partnerschap, source.partnerschappen, programma_map, "programma_id")
    groep_map = copy_all(Groep, source.groepen, programma_map, "programma_id")
    copy_all(GroepLid, source.groepleden, groep_map, "groep_id")
    ambitie_map = copy_all(
        Ambitie, source.ambities, programma_map, "programma_id", groep_id=groep_map
    )
    sd_map = copy_all(StrategischDoel, source.strategische_doelen, ambitie_map, "ambitie_id")
    od_map = copy_all(OperationeelDoel, source.operationele_doelen, sd_map, "strategisch_doel_id")
    copy_all(DoelPartner, source.doelpartners, od_map, "operationeel_doel_id")
    inspanning_map = copy_all(
        Inspanning, source.inspanningen, programma_map, "programma_id", groep_id=groep_map
    )
    copy_all(
        Bijdrage,
        source.bijdragen,
        inspanning_map,
        "inspanning_id",
        operationeel_doel_id=od_map,
    )
    copy_all(InspanningPartner, source.inspanningpartners, inspanning_map, "inspanning_id")
    copy_all(Stap, source.stappen, inspanning_map, "inspanning_id")
    return programmas


class Command(BaseCommand):
    help = (
        "Maakt extra programma's zo groot als AVK (schaal-1 … schaal-N), een kopie van het "
        "demoprogramma, om te meten hoe pagina's zich houden bij meer data. Nogmaals draaien "
        "met dezelfde N maakt niets nieuws aan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--programmes",
            type=int,
            default=19,
            metavar="N",
            help=(
                "Aantal extra programma's (standaard 19: samen met AVK twintig programma's "
                "van AVK-formaat)."
            ),
        )
        parser.add_argument(
            "--inspanningen",
            type=int,
            default=0,
            metavar="N",
            help=(
                f"Maak ook programma '{BIG_SLUG}': een kopie van AVK met N inspanningen (die van "
                "AVK herhaald), om een lange doelenboom te meten. Standaard niet."
            ),
        )

    def handle(self, *args: object, **options: object) -> None:
        count = options["programmes"]
        big = options["inspanningen"]
        if count < 0:
            raise CommandError("--programmes kan niet negatief zijn.")
        if big < 0:
            raise CommandError("--inspanningen kan niet negatief zijn.")
        User = get_user_model()
        if (
            not Programma.objects.filter(slug=SOURCE_SLUG).exists()
            or not User.objects.filter(username=LEADER).exists()
        ):
            self.stdout.write("Demodata ontbreekt; eerst de demo laden …")
            load_demo()
        source_programma = Programma.objects.get(slug=SOURCE_SLUG)
        leader = User.objects.get(username=LEADER)

        slugs = {scale_slug(n): n for n in range(1, count + 1)}
        existing = set(
            Programma.objects.filter(slug__in=list(slugs)).values_list("slug", flat=True)
        )
        missing = [n for slug, n in slugs.items() if slug not in existing]
        make_big = bool(big) and not Programma.objects.filter(slug=BIG_SLUG).exists()
        if big:
            slugs[BIG_SLUG] = 0

        created = Created()
        with transaction.atomic():
            if missing or make_big:
                source = Source.read(source_programma)
                naam, afkorting = source_programma.naam, source_programma.afkorting
                if missing:
                    copies = [
                        Copy(scale_slug(n), f"{naam} (schaal {n})", f"{afkorting}-{n}")
                        for n in missing
                    ]
                    _copy_programmes(source, copies, created)
                if make_big:
                    copy = Copy(BIG_SLUG, f"{naam} ({big} inspanningen)", f"{afkorting}-groot")
                    _copy_programmes(source.with_inspanningen(big), [copy], created)
            member_of = set(
                Lidmaatschap.objects.filter(
                    user=leader, programma__slug__in=list(slugs)
                ).values_list("programma__slug", flat=True)
            )
            created.insert(
                Lidmaatschap,
                [
                    Lidmaatschap(user=leader, programma=programma, rol=Rol.PROGRAMMALEIDER)
                    for programma in Programma.objects.filter(slug__in=list(slugs)).exclude(
                        slug__in=member_of
                    )
                ],
            )

        if created.per_model:
            made = len(missing) + make_big
            self.stdout.write(
                f"Schaaldata: {made} programma's aangemaakt, {len(slugs) - made} bestonden "
                f"al ({describe_counts(created.per_model)})."
            )
        else:
            self.stdout.write(
                f"Schaaldata is al compleet: alle {len(slugs)} extra programma's bestaan; "
                "niets aangemaakt."
            )
        if count:
            self.stdout.write(
                f"Programma's {scale_slug(1)} … {scale_slug(count)}; {LEADER} is overal "
                "programmaleider."
            )
        if big:
            self.stdout.write(f"Programma '{BIG_SLUG}' met {big} inspanningen.")
