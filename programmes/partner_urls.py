"""URLs for managing partners, under /programmas/<slug>/partners/ (namespace "programmes").

The partner list and pages themselves are doelenboom's; "toevoegen" is kept out of the
organisation slugs (programmes.partners.RESERVED_SLUGS), so it never hides a partner page.
"""

from django.urls import path

from programmes import partner_views

urlpatterns = [
    path("toevoegen/", partner_views.partner_add, name="partner_add"),
    path("<slug:organisatie>/beeindigen/", partner_views.partner_end, name="partner_end"),
    path("<slug:organisatie>/hervatten/", partner_views.partner_resume, name="partner_resume"),
]
