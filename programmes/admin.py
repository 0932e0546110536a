from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from programmes.models import (
    Groep,
    GroepLid,
    Lidmaatschap,
    Organisatie,
    Partnerschap,
    Profiel,
    Programma,
    Uitnodiging,
)


@admin.register(Organisatie)
class OrganisatieAdmin(SimpleHistoryAdmin):
    list_display = ["naam", "soort"]
    list_filter = ["soort"]
    search_fields = ["naam"]
    prepopulated_fields = {"slug": ["naam"]}


class PartnerschapInline(admin.TabularInline):
    model = Partnerschap
    autocomplete_fields = ["organisatie"]
    extra = 0


@admin.register(Programma)
class ProgrammaAdmin(SimpleHistoryAdmin):
    list_display = ["naam", "korte_naam", "looptijd_start", "looptijd_eind"]
    search_fields = ["naam", "korte_naam"]
    prepopulated_fields = {"slug": ["korte_naam"]}
    inlines = [PartnerschapInline]


@admin.register(Partnerschap)
class PartnerschapAdmin(SimpleHistoryAdmin):
    list_display = ["organisatie", "programma", "sinds", "jaarlijkse_bijdrage"]
    list_filter = ["programma"]
    autocomplete_fields = ["organisatie"]


@admin.register(Profiel)
class ProfielAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisatie", "functie"]
    autocomplete_fields = ["organisatie"]


@admin.register(Lidmaatschap)
class LidmaatschapAdmin(SimpleHistoryAdmin):
    list_display = ["user", "programma", "rol"]
    list_filter = ["programma", "rol"]


class GroepLidInline(admin.TabularInline):
    model = GroepLid
    autocomplete_fields = ["organisatie"]
    extra = 0


@admin.register(Groep)
class GroepAdmin(SimpleHistoryAdmin):
    list_display = ["naam", "soort", "programma"]
    list_filter = ["programma", "soort"]
    search_fields = ["naam"]
    inlines = [GroepLidInline]


@admin.register(GroepLid)
class GroepLidAdmin(SimpleHistoryAdmin):
    list_display = ["groep", "wie", "rol"]
    list_filter = ["groep__programma", "rol"]


@admin.register(Uitnodiging)
class UitnodigingAdmin(SimpleHistoryAdmin):
    list_display = ["email", "programma", "rol", "aangemaakt_op", "gebruikt_op", "ingetrokken_op"]
    list_filter = ["programma", "rol"]
    readonly_fields = ["token_hash"]
