"""Money and dates the Dutch way, for pages, PDFs and Excel alike."""

import datetime
from decimal import Decimal

from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency

LOCALE = "nl_NL"


def euro(value: Decimal | int | float | str | None) -> str:
    """Money as Dutch readers write it: € 97.962,00 ("" for no value)."""
    if value is None or value == "":
        return ""
    return format_currency(Decimal(str(value)), "EUR", locale=LOCALE)


def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """A date written out: 1 december 2026 ("" for no value)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return babel_format_date(value, "d MMMM y", locale=LOCALE)
