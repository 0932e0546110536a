"""The remarks beside each section of a faseplan page (fasering/section_remarks.html)."""

from django import template
from django.utils.translation import gettext as _

from fasering.models import Faseplan
from fasering.remarks import PlanRemarks, SectionRemarks, plan_remarks

register = template.Library()


def _plan_remarks(context: template.Context, faseplan: Faseplan) -> PlanRemarks:
    # Read once per page, however many sections include the remarks.
    cached = getattr(faseplan, "_koers_opmerkingen", None)
    if cached is None:
        access = context.get("access")
        cached = plan_remarks(
            faseplan,
            context["request"].user,
            archived=bool(access and access.archived),
        )
        faseplan._koers_opmerkingen = cached
    return cached


@register.simple_tag(takes_context=True)
def opmerkingen_bij(context: template.Context, faseplan: Faseplan, sectie: str) -> dict:
    """The remarks on `sectie` and what the user may do: {"plan": …, "sectie": …}."""
    remarks = _plan_remarks(context, faseplan)
    section: SectionRemarks = remarks.section(sectie)
    return {"plan": remarks, "sectie": section}


@register.filter
def wie(user) -> str:
    """A remark's author or answerer by name; an account since removed is "onbekend"."""
    if user is None:
        return _("onbekend")
    return user.get_full_name() or user.get_username()
