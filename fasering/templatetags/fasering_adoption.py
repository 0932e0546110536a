"""The status block of a faseplan's page asks here what the viewer may do with the status."""

from django import template

from fasering.adoption import StatusPanel, status_panel
from fasering.models import Faseplan

register = template.Library()


@register.simple_tag(takes_context=True)
def faseplan_status_panel(context: template.Context, faseplan: Faseplan) -> StatusPanel:
    return status_panel(faseplan, context["request"].user)
