"""Template filters for the stappenplan of a project."""

from decimal import Decimal

from django import template

from doelenboom.durations import months

register = template.Library()


@register.filter
def doorlooptijd(value: Decimal | int | None) -> str:
    """A step's doorlooptijd: "1,5 maand", "2 maanden"."""
    return months(value)
