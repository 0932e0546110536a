"""Doorlooptijden of project steps in months, which the plans give in halves too ("1,5 maand")."""

from decimal import Decimal

from babel.numbers import format_decimal
from django.utils.translation import ngettext

from core.formats import LOCALE


def months_number(value: Decimal | int) -> str:
    """A number of months the Dutch way: "1,5", "2" (no ",0")."""
    return format_decimal(value, format="#,##0.#", locale=LOCALE)


def months(value: Decimal | int | None) -> str:
    """A doorlooptijd in words: "0,5 maand", "1,5 maand", "2 maanden"; "" for no value.

    Dutch takes the plural from two months on. ngettext wants a whole count, so it gets the
    count whose plural form fits rather than the Decimal itself.
    """
    if value is None:
        return ""
    count = 1 if value < 2 else 2
    return ngettext("%(n)s maand", "%(n)s maanden", count) % {"n": months_number(value)}
