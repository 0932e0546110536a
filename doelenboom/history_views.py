"""The goal tree's history pages: an item's versions, reverting one, and recent changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.htmx import HtmxHttpRequest
from doelenboom import history, services
from doelenboom.items import editable_item, get_item, item_context
from doelenboom.levels import level_of
from programmes.access import programma_access


@login_required
def item_history(request: HtmxHttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    access = programma_access(request, slug)
    obj = get_item(access, kind, pk)
    level = level_of(obj)
    context = item_context(access, level, obj, entries=history.item_history(obj))
    return render(request, "doelenboom/history.html", context)


@login_required
@require_POST
def revert_item(
    request: HtmxHttpRequest, slug: str, kind: str, pk: int, history_id: int
) -> HttpResponse:
    access, obj, _level = editable_item(request, slug, kind, pk)
    record = get_object_or_404(obj.history, history_id=history_id, history_type__in=["+", "~"])
    url = reverse("doelenboom:history", args=[access.programma.slug, kind, obj.pk])
    expected = request.POST.get("versie", "")
    if not expected.isdigit():
        raise Http404
    try:
        services.revert_item(obj, record, expected_versie=int(expected))
    except services.EditConflict:
        messages.error(
            request,
            _(
                "Niet teruggezet: iemand heeft dit intussen gewijzigd. "
                "Bekijk de geschiedenis hieronder en probeer het opnieuw."
            ),
        )
        return redirect(url)
    except ValidationError as error:
        messages.error(
            request,
            _("Niet teruggezet: %(reden)s") % {"reden": " ".join(error.messages)},
        )
        return redirect(url)
    messages.success(
        request,
        _("Teruggezet naar versie %(versie)s. Ook dit staat nu in de geschiedenis.")
        % {"versie": record.versie},
    )
    return redirect(url)


@login_required
def recent_changes(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    context = access.context(
        entries=history.recent_changes(access.programma),
    )
    return render(request, "doelenboom/changes.html", context)
