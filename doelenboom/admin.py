from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


@admin.register(Ambitie)
class AmbitieAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "programma", "uitgewerkt"]
    list_filter = ["programma", "uitgewerkt"]
    search_fields = ["titel"]


@admin.register(StrategischDoel)
class StrategischDoelAdmin(SimpleHistoryAdmin):
    list_display = ["titel", "programmalijn", "ambitie"]
    list_filter = ["ambitie__programma"]
    search_fields = ["titel"]


class DoelPartnerInline(admin.TabularInline):
    model = DoelPartner
    autocomplete_fields = ["organisatie"]
    extra = 0


@admin.register(OperationeelDoel)
class OperationeelDoelAdmin(SimpleHistoryAdmin):
    list_display = ["code", "titel", "strategisch_doel"]
    list_filter = ["strategisch_doel__ambitie__programma"]
    search_fields = ["titel", "code"]
    inlines = [DoelPartnerInline]


class BijdrageInline(admin.TabularInline):
    model = Bijdrage
    autocomplete_fields = ["operationeel_doel"]
    extra = 0


class InspanningPartnerInline(admin.TabularInline):
    model = InspanningPartner
    autocomplete_fields = ["organisatie"]
    extra = 0


class StapInline(admin.TabularInline):
    model = Stap
    extra = 0


@admin.register(Inspanning)
class InspanningAdmin(SimpleHistoryAdmin):
    list_display = ["code", "titel", "categorie", "programma"]
    list_filter = ["programma", "categorie"]
    search_fields = ["titel", "code"]
    inlines = [BijdrageInline, InspanningPartnerInline, StapInline]


@admin.register(Bijdrage)
class BijdrageAdmin(SimpleHistoryAdmin):
    list_display = ["inspanning", "operationeel_doel"]
    autocomplete_fields = ["inspanning", "operationeel_doel"]


@admin.register(InspanningPartner)
class InspanningPartnerAdmin(SimpleHistoryAdmin):
    list_display = ["inspanning", "organisatie", "rol"]
    autocomplete_fields = ["inspanning", "organisatie"]


@admin.register(DoelPartner)
class DoelPartnerAdmin(SimpleHistoryAdmin):
    list_display = ["operationeel_doel", "organisatie", "rol"]
    autocomplete_fields = ["operationeel_doel", "organisatie"]


@admin.register(Stap)
class StapAdmin(SimpleHistoryAdmin):
    list_display = ["naam", "inspanning", "volgorde", "doorlooptijd_maanden"]
    autocomplete_fields = ["inspanning"]
