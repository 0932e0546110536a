"""Every domain model is in the Django admin, with its history, and the pages load."""

from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from tests import builders

DOMAIN_APPS = ("programmes", "doelenboom", "fasering")
# A log of what was sent, written once and never edited: no history of its own.
LOGS = {"Herinnering"}


def _domain_models():
    return [
        model
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    ]


def _edited_models():
    return [model for model in _domain_models() if model.__name__ not in LOGS]


def test_every_domain_model_is_registered_with_history():
    for model in _domain_models():
        assert admin.site.is_registered(model), model.__name__
    for model in _edited_models():
        assert hasattr(model, "history"), model.__name__


def test_system_checks_pass(db):
    call_command("check", fail_level="WARNING")


def test_admin_lists_and_history_pages_load_for_a_site_administrator(client, demo):
    superuser = builders.user("admin-test", is_staff=True, is_superuser=True)
    client.force_login(superuser)

    for model in _domain_models():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        obj = model.objects.first()
        if obj is not None and model in _edited_models():
            history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
            assert client.get(history).status_code == 200, history
