"""Template filters shared by all pages and the PDF templates."""

import datetime
from decimal import Decimal
from itertools import groupby

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe

from core import formats

register = template.Library()


@register.filter
def rich_text(value: str | None) -> SafeString:
    """Plain text to HTML: blank lines separate paragraphs, lines starting with "- " are a list."""
    if not value:
        return mark_safe("")
    html: list[str] = []
    for block in value.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        # Group consecutive lines of the same kind, keeping their order.
        for is_item, group in groupby(lines, key=lambda line: line.startswith("- ")):
            group = list(group)
            if is_item:
                items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in group))
                html.append(f'<ul class="utrecht-unordered-list">{items}</ul>')
            else:
                text = "<br>".join(escape(line) for line in group)
                html.append(f'<p class="utrecht-paragraph">{text}</p>')
    return mark_safe("".join(html))


@register.filter
def euro(value: Decimal | int | float | None) -> str:
    """Money the Dutch way: € 97.962,00."""
    return formats.euro(value)


@register.filter
def lange_datum(value: datetime.date | None) -> str:
    """A date written out in Dutch: 1 december 2026."""
    return formats.long_date(value)
