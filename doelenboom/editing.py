"""Editing the goal tree in place (htmx), with plain form posts as the fallback.

Every mutating htmx response sends the re-rendered tree nodes it affected as out-of-band
swaps, plus an event that moves focus and announces the change to screen readers.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap

from avk.http import HtmxHttpRequest
from doelenboom import history, services
from doelenboom.forms import FORMS, TreeItemForm
from doelenboom.models import Ambitie, Inspanning, OperationeelDoel, StrategischDoel, Versioned
from doelenboom.queries import TreeFilters, build_tree
from doelenboom.views import tree_urls
from programmes.access import ProgrammaAccess, programma_access, require_edit

_SCOPES = {
    "ambitie": "programma",
    "strategisch-doel": "ambitie__programma",
    "operationeel-doel": "strategisch_doel__ambitie__programma",
    "inspanning": "programma",
}
_PARENT_FIELD = {"strategisch-doel": "ambitie_id", "operationeel-doel": "strategisch_doel_id"}
# Which kind is the parent of which, for adding children.
_PARENT_KIND = {
    "strategisch-doel": "ambitie",
    "operationeel-doel": "strategisch-doel",
    "inspanning": "operationeel-doel",
}


def get_item(access: ProgrammaAccess, kind: str, pk: int) -> Versioned:
    """A tree item of this programme, or 404 — also for another programme's ids."""
    if kind not in services.TREE_MODELS:
        raise Http404
    model = services.TREE_MODELS[kind]
    return get_object_or_404(model, pk=pk, **{_SCOPES[kind]: access.programma})


def kind_of(obj: Model) -> str:
    return next(k for k, m in services.TREE_MODELS.items() if isinstance(obj, m))


def label_of(access: ProgrammaAccess, kind: str) -> str:
    p = access.programma
    return {
        "ambitie": p.label_ambitie,
        "strategisch-doel": p.label_strategisch_doel,
        "operationeel-doel": p.label_operationeel_doel,
        "inspanning": p.label_inspanning,
    }[kind]


def _anchor(obj: Model) -> str:
    return f"{kind_of(obj)}-{obj.pk}"


def _tree_url(access: ProgrammaAccess, obj: Model | None = None) -> str:
    url = reverse("doelenboom:tree", args=[access.programma.slug])
    if obj is None:
        return url
    if isinstance(obj, Inspanning):
        goal = obj.bijdragen.order_by("operationeel_doel_id").first()
        anchor = f"operationeel-doel-{goal.operationeel_doel_id}" if goal else "algemeen"
        return f"{url}#{anchor}"
    return f"{url}#{_anchor(obj)}"


# -- rendering of affected nodes ----------------------------------------------------------


def _affected_nodes(obj: Model, goal_ids: set[int] | None = None) -> list[tuple[str, int]]:
    """The tree nodes to re-render after a change to `obj`: (kind, pk) pairs."""
    if isinstance(obj, Inspanning):
        ids = goal_ids if goal_ids is not None else set()
        nodes = [("operationeel-doel", goal_id) for goal_id in sorted(ids)]
        return [*nodes, ("algemeen", 0)]
    return [(kind_of(obj), obj.pk)]


def _container_nodes(obj: Model) -> list[tuple[str, int]]:
    """The node that holds `obj` among its siblings: re-rendered after an add or a move."""
    if isinstance(obj, Ambitie):
        return [("boom", 0)]
    if isinstance(obj, StrategischDoel):
        return [("ambitie", obj.ambitie_id)]
    if isinstance(obj, OperationeelDoel):
        return [("strategisch-doel", obj.strategisch_doel_id)]
    return _affected_nodes(obj, {b.operationeel_doel_id for b in obj.bijdragen.all()})


def _focus_for(obj: Model, goal_key: int | str | None = None) -> str:
    """The element to focus after a swap: the item's title (under `goal_key` for inspanningen)."""
    if isinstance(obj, Inspanning):
        if goal_key is None:
            goals = [b.operationeel_doel_id for b in obj.bijdragen.all()]
            goal_key = min(goals) if goals else "algemeen"
        return f"#titel-inspanning-{obj.pk}-{goal_key}"
    return f"#titel-{_anchor(obj)}"


def render_nodes(
    request: HtmxHttpRequest,
    access: ProgrammaAccess,
    nodes: list[tuple[str, int]],
    *,
    focus: str = "",
    message: str = "",
) -> HttpResponse:
    """Out-of-band swaps of the given nodes, freshly rendered from one tree build."""
    tree = build_tree(access.programma, TreeFilters())
    index: dict[tuple[str, int], tuple[str, dict]] = {}
    for a in tree.ambities:
        index[("ambitie", a.ambitie.pk)] = ("ambitie_node", {"a": a})
        for s in a.strategische_doelen:
            index[("strategisch-doel", s.doel.pk)] = ("sd_node", {"s": s})
            for d in s.doelen:
                index[("operationeel-doel", d.doel.pk)] = ("od_node", {"d": d})
    parts = []
    base = {
        "access": access,
        "programma": access.programma,
        "tree": tree,
        "oob": True,
        "u": tree_urls(access.programma),
    }
    for node in nodes:
        if node == ("boom", 0):
            parts.append(
                render_to_string("doelenboom/tree.html#results_oob", base, request=request)
            )
        elif node == ("algemeen", 0):
            parts.append(
                render_to_string("doelenboom/tree.html#algemeen_node", base, request=request)
            )
        elif node in index:
            partial, extra = index[node]
            parts.append(
                render_to_string(
                    f"doelenboom/tree.html#{partial}", {**base, **extra}, request=request
                )
            )
    response = HttpResponse("".join(parts))
    events = {"koers:changed": {"focus": focus, "message": message}}
    response["HX-Trigger-After-Settle"] = json.dumps(events)
    return reswap(response, "none")


def _done(
    request: HtmxHttpRequest,
    access: ProgrammaAccess,
    nodes: list[tuple[str, int]],
    *,
    message: str,
    obj: Model | None = None,
    focus: str = "",
) -> HttpResponse:
    """Answer a change: swap the affected nodes (htmx), or go back to the tree there."""
    if request.htmx:
        if not focus and obj is not None:
            focus = _focus_for(obj)
        return render_nodes(request, access, nodes, focus=focus, message=message)
    messages.success(request, message)
    return redirect(_tree_url(access, obj))


# -- views ----------------------------------------------------------------------------------


def _form_context(access, kind, form, obj=None, parent=None, conflict=None) -> dict:
    return {
        "access": access,
        "programma": access.programma,
        "kind": kind,
        "label": label_of(access, kind),
        "form": form,
        "item": obj,
        "parent": parent,
        "parent_kind": _PARENT_KIND.get(kind, ""),
        "conflict": conflict,
        "target": f"kop-{kind}-{obj.pk}" if obj else "",
    }


def _render_form(request, context, status=200) -> HttpResponse:
    template = "doelenboom/edit.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#form"
    response = render(request, template, context, status=status)
    if request.htmx:
        prefix = context["form"].prefix or ""
        first = "id_" + (f"{prefix}-" if prefix else "") + "titel"
        events = {"koers:changed": {"focus": f"#{first}", "message": ""}}
        form = context["form"]
        step_errors = form.stappen.total_error_count() if hasattr(form, "stappen") else 0
        if context.get("conflict") or form.errors or step_errors:
            events = {"koers:changed": {"focus": f"#fout-{context['form'].prefix}", "message": ""}}
        response["HX-Trigger-After-Settle"] = json.dumps(events)
    return response


def _apply_links(form: TreeItemForm, obj: Versioned) -> bool:
    if not isinstance(obj, Inspanning):
        return False
    reason = form.cleaned_data["reden"]
    steps_changed = form.save_stappen(obj, reason)
    goals_changed = services.set_goals(
        obj, [goal.pk for goal in form.cleaned_data["doelen"]], reason=reason
    )
    partners_changed = services.set_partners(obj, form.partner_roles(), reason=reason)
    return goals_changed or partners_changed or steps_changed


@login_required
def edit_item(request: HtmxHttpRequest, slug: str, kind: str, pk: int):
    access = programma_access(request, slug)
    require_edit(access)
    obj = get_item(access, kind, pk)
    form_class = FORMS[kind]
    prefix = f"{kind}-{pk}"
    if request.method != "POST":
        form = form_class(instance=obj, programma=access.programma, prefix=prefix)
        return _render_form(request, _form_context(access, kind, form, obj))

    before_goals = (
        {b.operationeel_doel_id for b in obj.bijdragen.all()}
        if isinstance(obj, Inspanning)
        else set()
    )
    parent_field = _PARENT_FIELD.get(kind)
    before_parent = getattr(obj, parent_field) if parent_field else None
    form = form_class(request.POST, instance=obj, programma=access.programma, prefix=prefix)
    if not form.is_valid():
        return _render_form(request, _form_context(access, kind, form, obj))
    try:
        saved, changed = services.update_item(
            obj,
            form.own_values(),
            expected_versie=form.cleaned_data["versie"] or 0,
            reason=form.cleaned_data["reden"],
        )
        changed = _apply_links(form, saved) or changed
    except services.EditConflict as conflict:
        # Keep the editor's input; the next save is based on the version they have now seen.
        data = request.POST.copy()
        data[f"{prefix}-versie"] = conflict.current.versie
        form = form_class(
            data, instance=conflict.current, programma=access.programma, prefix=prefix
        )
        form.is_valid()
        return _render_form(
            request, _form_context(access, kind, form, obj, conflict=conflict.other)
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _render_form(request, _form_context(access, kind, form, obj))

    after_goals = (
        {b.operationeel_doel_id for b in saved.bijdragen.all()}
        if isinstance(saved, Inspanning)
        else set()
    )
    nodes = _affected_nodes(saved, before_goals | after_goals)
    if parent_field and getattr(saved, parent_field) != before_parent:
        nodes = [("boom", 0)]  # moved to another parent: both places change
    message = (
        _("%(label)s “%(titel)s” opgeslagen.")
        % {"label": label_of(access, kind), "titel": saved.titel}
        if changed
        else _("Niets gewijzigd.")
    )
    return _done(request, access, nodes, message=message, obj=saved, focus=_focus_for(saved))


@login_required
def add_item(request: HtmxHttpRequest, slug: str, kind: str):
    access = programma_access(request, slug)
    require_edit(access)
    if kind not in FORMS:
        raise Http404
    parent = None
    parent_pk = request.GET.get("parent") or request.POST.get("parent")
    if kind in _PARENT_KIND and parent_pk:
        try:
            parent = get_item(access, _PARENT_KIND[kind], int(parent_pk))
        except ValueError as error:
            raise Http404 from error
    prefix = f"nieuw-{kind}-{parent.pk if parent else 0}"
    initial = {}
    if isinstance(parent, Ambitie):
        initial["ambitie"] = parent
    elif isinstance(parent, StrategischDoel):
        initial["strategisch_doel"] = parent
    elif isinstance(parent, OperationeelDoel):
        initial["doelen"] = [parent]
    form_class = FORMS[kind]
    if request.method != "POST":
        form = form_class(programma=access.programma, prefix=prefix, initial=initial)
        return _render_form(request, _form_context(access, kind, form, parent=parent))

    form = form_class(request.POST, programma=access.programma, prefix=prefix)
    if not form.is_valid():
        return _render_form(request, _form_context(access, kind, form, parent=parent))
    obj = form.save(commit=False)
    services.create_item(obj, reason=form.cleaned_data["reden"])
    _apply_links(form, obj)
    message = _("%(label)s “%(titel)s” toegevoegd.") % {
        "label": label_of(access, kind),
        "titel": obj.titel,
    }
    return _done(
        request, access, _container_nodes(obj), message=message, obj=obj, focus=_focus_for(obj)
    )


@login_required
def delete_item(request: HtmxHttpRequest, slug: str, kind: str, pk: int):
    access = programma_access(request, slug)
    require_edit(access)
    obj = get_item(access, kind, pk)
    context = {
        "access": access,
        "programma": access.programma,
        "kind": kind,
        "label": label_of(access, kind),
        "item": obj,
        "impact": services.delete_impact(obj),
        "target": f"kop-{kind}-{obj.pk}",
    }
    if request.method != "POST":
        template = "doelenboom/delete.html"
        if request.htmx and not request.htmx.history_restore_request:
            template += "#confirm"
        response = render(request, template, context)
        if request.htmx:
            response["HX-Trigger-After-Settle"] = json.dumps(
                {"koers:changed": {"focus": f"#verwijder-{kind}-{pk}", "message": ""}}
            )
        return response

    if isinstance(obj, Inspanning):
        nodes = _affected_nodes(obj, {b.operationeel_doel_id for b in obj.bijdragen.all()})
    elif isinstance(obj, Ambitie):
        nodes = [("boom", 0)]
    elif isinstance(obj, StrategischDoel):
        nodes = [("ambitie", obj.ambitie_id), ("algemeen", 0)]
    else:
        nodes = [("strategisch-doel", obj.strategisch_doel_id), ("algemeen", 0)]
    titel = obj.titel
    services.delete_item(obj, reason=request.POST.get("reden", "")[:200])
    message = _("%(label)s “%(titel)s” verwijderd.") % {
        "label": label_of(access, kind),
        "titel": titel,
    }
    return _done(request, access, nodes, message=message, focus="#boom-telling")


@login_required
@require_POST
def move_item(request: HtmxHttpRequest, slug: str, kind: str, pk: int):
    access = programma_access(request, slug)
    require_edit(access)
    obj = get_item(access, kind, pk)
    direction = "up" if request.POST.get("richting") == "omhoog" else "down"
    goal = None
    if isinstance(obj, Inspanning) and request.POST.get("doel"):
        if not request.POST["doel"].isdigit():
            raise Http404
        goal = get_item(access, "operationeel-doel", int(request.POST["doel"]))
    moved = services.move_item(obj, direction, within_goal=goal)
    message = (
        _("“%(titel)s” verplaatst.") % {"titel": obj.titel}
        if moved
        else _("“%(titel)s” staat al bovenaan of onderaan.") % {"titel": obj.titel}
    )
    focus = _focus_for(obj, goal.pk if goal else "algemeen")
    return _done(request, access, _container_nodes(obj), message=message, obj=obj, focus=focus)


@login_required
def item_node(request: HtmxHttpRequest, slug: str, kind: str, pk: int):
    """The current rendering of a node, e.g. when an edit is cancelled."""
    access = programma_access(request, slug)
    obj = get_item(access, kind, pk)
    if not request.htmx:
        return redirect(_tree_url(access, obj))
    goals = (
        {b.operationeel_doel_id for b in obj.bijdragen.all()}
        if isinstance(obj, Inspanning)
        else None
    )
    return render_nodes(request, access, _affected_nodes(obj, goals), focus=_focus_for(obj))


@login_required
def item_history(request: HtmxHttpRequest, slug: str, kind: str, pk: int):
    access = programma_access(request, slug)
    obj = get_item(access, kind, pk)
    context = {
        "access": access,
        "programma": access.programma,
        "kind": kind,
        "label": label_of(access, kind),
        "item": obj,
        "entries": history.item_history(obj, kind),
    }
    return render(request, "doelenboom/history.html", context)


@login_required
@require_POST
def revert_item(request: HtmxHttpRequest, slug: str, kind: str, pk: int, history_id: int):
    access = programma_access(request, slug)
    require_edit(access)
    obj = get_item(access, kind, pk)
    record = get_object_or_404(obj.history, history_id=history_id, history_type__in=["+", "~"])
    url = reverse("doelenboom:history", args=[access.programma.slug, kind, obj.pk])
    if str(obj.versie) != request.POST.get("versie"):
        messages.error(
            request,
            _(
                "Niet teruggezet: iemand heeft dit intussen gewijzigd. "
                "Bekijk de geschiedenis hieronder en probeer het opnieuw."
            ),
        )
        return redirect(url)
    try:
        services.revert_item(obj, record)
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
def recent_changes(request: HtmxHttpRequest, slug: str):
    access = programma_access(request, slug)
    context = {
        "access": access,
        "programma": access.programma,
        "entries": history.recent_changes(access.programma),
        "labels": {k: label_of(access, k) for k in services.TREE_MODELS},
    }
    return render(request, "doelenboom/changes.html", context)
