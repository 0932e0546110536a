from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fasering.models import Fase, Faseplan, FaseplanItem, Opmerking, Projectplanning, Risico


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
