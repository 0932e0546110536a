"""Filters for the goal-tree page, which renders one row per inspanning, up to thousands.

Both do in one node what would otherwise take the template engine many: on a long tree the
engine's cost per variable is what decides how fast the page is.
"""

import re
from functools import lru_cache

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from doelenboom.queries import PartnerRef

register = template.Library()


@register.filter(needs_autoescape=True)
def markeer(value: object, needle: str, autoescape: bool = True) -> str:
    """`value` with each occurrence of the search text `needle` (any case) in <mark>."""
    text = "" if value is None else str(value)
    if not needle:
        return text
    escape = conditional_escape if autoescape else str
    parts: list[str] = []
    last = 0
    for match in re.finditer(re.escape(needle), text, flags=re.IGNORECASE):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    if not parts:
        return text
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


@lru_cache(maxsize=4096)
def _partner_link(prefix: str, slug: str, naam: str, rol_label: str) -> str:
    # Everything the link shows is in the key, so a renamed organisation gets a new entry.
    return format_html(
        '<a class="utrecht-link" href="{}{}/">{}</a> ({})', prefix, slug, naam, rol_label
    )


@register.filter
def partner_links(partners: list[PartnerRef], prefix: str) -> SafeString:
    """Links to the partners' pages (under `prefix`), each with its role: "A (trekker), B …"."""
    return mark_safe(
        ", ".join(_partner_link(prefix, p.slug, p.naam, p.rol_label) for p in partners)
    )
