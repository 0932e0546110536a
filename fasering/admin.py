from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fasering.models import (
    Fase,
    Faseplan,
    FaseplanItem,
    Herinnering,
    Inbreng,
    Opmerking,
    Projectplanning,
    Reflectie,
    Reflectiebesluit,
    Reflectiesessie,
    Reflectievraag,
    Risico,
    Statusupdate,
    Trend,
)


class FaseInline(admin.TabularInline):
    model = Fase
    extra = 0


@admin.register(Faseplan)
class FaseplanAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "programma", "start", "eind", "status"]
    list_filter = ["programma", "status"]
    readonly_fields = ["snapshot"]
    inlines = [FaseInline]


@admin.register(Fase)
class FaseAdmin(SimpleHistoryAdmin):
    list_display = ["naam", "faseplan", "start", "eind"]


@admin.register(FaseplanItem)
class FaseplanItemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "faseplan", "start_fase", "loopt_door", "middelen"]
    list_filter = ["faseplan__programma", "middelen"]
    autocomplete_fields = ["partners"]


@admin.register(Projectplanning)
class ProjectplanningAdmin(SimpleHistoryAdmin):
    list_display = ["inspanning", "start", "start_na"]


@admin.register(Opmerking)
class OpmerkingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "faseplan", "sectie", "auteur", "geplaatst_op", "afgehandeld_op"]


@admin.register(Risico)
class RisicoAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "programma", "soort", "kans", "impact", "status"]
    list_filter = ["programma", "soort", "status"]


@admin.register(Statusupdate)
class StatusupdateAdmin(SimpleHistoryAdmin):
    list_display = ["inspanning", "datum", "licht", "stap", "auteur", "geplaatst_op"]
    list_filter = ["inspanning__programma", "licht"]
    list_select_related = ["inspanning", "stap", "auteur"]


@admin.register(Herinnering)
class HerinneringAdmin(admin.ModelAdmin):
    list_display = ["user", "inspanning", "verstuurd_op"]
    list_select_related = ["user", "inspanning"]


class ReflectiesessieInline(admin.TabularInline):
    model = Reflectiesessie
    extra = 0
    fields = ["deelnemers", "groep", "datum", "begeleider", "kanten", "volgorde"]


@admin.register(Reflectie)
class ReflectieAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "programma", "jaar", "faseplan"]
    inlines = [ReflectiesessieInline]


@admin.register(Reflectievraag)
class ReflectievraagAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "sessie", "kant"]


@admin.register(Inbreng)
class InbrengAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "vraag", "score_onderwerp", "score"]


@admin.register(Reflectiebesluit)
class ReflectiebesluitAdmin(SimpleHistoryAdmin):
    list_display = ["operationeel_doel", "reflectie", "besluit", "faseplan_nummer"]
    list_filter = ["reflectie", "besluit"]


@admin.register(Trend)
class TrendAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "reflectie", "startmoment"]


@admin.register(Reflectiesessie)
class ReflectiesessieAdmin(SimpleHistoryAdmin):
    list_display = ["deelnemers", "reflectie", "datum", "begeleider"]
