"""Filters that turn a faseplan's content dict (live or snapshot) into what its page shows."""

from django import template
from django.utils.translation import gettext as _

from fasering.content import TEXT_SECTIONS, month_label, period_label
from fasering.models import Faseplan, Middelen, Risico

register = template.Library()


@register.filter
def maand(value) -> str:
    """A month ("2023-08" or a date) as "augustus 2023"."""
    return month_label(value)


@register.filter
def periode(value: dict) -> str:
    """{"start": "2023-08", "eind": "2024-07"} as "augustus 2023 \u2013 juli 2024"."""
    return period_label(value.get("start"), value.get("eind"))


@register.filter
def middelen_label(value: str) -> str:
    try:
        return Middelen(value).label
    except ValueError:
        return value


@register.filter
def status_label(value: str) -> str:
    try:
        return Faseplan.Status(value).label
    except ValueError:
        return value


@register.filter
def niveau_label(value: str) -> str:
    if not value:
        return _("onbekend")
    try:
        return Risico.Niveau(value).label
    except ValueError:
        return value


@register.filter
def soort_label(value: str) -> str:
    try:
        return Risico.Soort(value).label
    except ValueError:
        return value


@register.filter
def tekstsecties(content: dict) -> list[dict]:
    """The plan's text sections in order, each with its name, heading and text."""
    texts = content.get("teksten", {})
    return [
        {
            "naam": name,
            "kop": str(Faseplan._meta.get_field(name).verbose_name).capitalize(),
            "tekst": texts.get(name, ""),
        }
        for name in TEXT_SECTIONS
    ]
