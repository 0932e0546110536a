"""The network planning of a faseplan's content, for templates that only have the dict."""

from django import template

from fasering.planning import network_planning

register = template.Library()


@register.simple_tag
def netwerkplanning(content: dict) -> dict:
    """{"chart": Gantt | None, "niet_ingepland": [...]} for `content` (fasering.content)."""
    return network_planning(content)
