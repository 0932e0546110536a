"""Editing the goal tree in place (htmx), with plain form posts as the fallback.

Every mutating htmx response sends the re-rendered tree nodes it affected as out-of-band
swaps, plus an event that moves focus and announces the change to screen readers.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, trigger_client_event

from core.forms import show_errors
from core.htmx import HtmxHttpRequest, template_for
from doelenboom import services
from doelenboom.adopted import adopted_plan_of
from doelenboom.codes import suggested_code
from doelenboom.forms import InspanningForm, TreeItemForm
from doelenboom.items import editable_item, get_item, item_context, level_for_kind
from doelenboom.levels import INSPANNING, LEVELS, Level, level_of, tree_urls
from doelenboom.models import Versioned
from doelenboom.queries import TreeFilters, build_tree
from programmes.access import ProgrammaAccess, programma_access, require_edit


def _changed(response: HttpResponse, focus: str, message: str = "") -> HttpResponse:
    """Ask the page, once htmx has settled, to move focus and announce the change."""
    return trigger_client_event(
        response, "koers:changed", {"focus": focus, "message": message}, after="settle"
    )


def _goal_ids(obj: Versioned) -> set[int]:
    if level_of(obj) is not INSPANNING:
        return set()
    return {b.operationeel_doel_id for b in obj.bijdragen.all()}


def _tree_url(access: ProgrammaAccess, obj: Versioned | None = None) -> str:
    url = reverse("doelenboom:tree", args=[access.programma.slug])
    if obj is None:
        return url
    level = level_of(obj)
    if level is INSPANNING:
        goals = sorted(_goal_ids(obj))
        anchor = f"operationeel_doel-{goals[0]}" if goals else "algemeen"
        return f"{url}#{anchor}"
    return f"{url}#{level.dom_id(obj.pk)}"


# -- rendering of affected nodes ----------------------------------------------------------

Node = tuple[str, int]  # (level key, pk), or ("boom", 0) / ("algemeen", 0) for the containers
BOOM: Node = ("boom", 0)
ALGEMEEN: Node = ("algemeen", 0)


def _affected_nodes(obj: Versioned, goal_ids: set[int] | None = None) -> list[Node]:
    """The tree nodes to re-render after a change to `obj`."""
    level = level_of(obj)
    if level is INSPANNING:
        ids = goal_ids if goal_ids is not None else _goal_ids(obj)
        return [*((INSPANNING.parent, goal_id) for goal_id in sorted(ids)), ALGEMEEN]
    return [(level.key, obj.pk)]


def _container_nodes(obj: Versioned) -> list[Node]:
    """The node that holds `obj` among its siblings: re-rendered after an add or a move."""
    level = level_of(obj)
    if level is INSPANNING:
        return _affected_nodes(obj)
    if level.parent_field is None:
        return [BOOM]
    return [(level.parent, getattr(obj, level.parent_field))]


def _deleted_nodes(obj: Versioned) -> list[Node]:
    """What to re-render after deleting `obj`: its container, and "algemeen", which receives
    the inspanningen that lose their last goal."""
    if level_of(obj) is INSPANNING:
        return _affected_nodes(obj)
    container = _container_nodes(obj)
    return container if container == [BOOM] else [*container, ALGEMEEN]


def _focus_for(obj: Versioned, goal_key: int | str | None = None) -> str:
    """The element to focus after a swap: the item's title (under `goal_key` for inspanningen)."""
    level = level_of(obj)
    if level is INSPANNING:
        if goal_key is None:
            goals = _goal_ids(obj)
            goal_key = min(goals) if goals else "algemeen"
        return f"#titel-inspanning-{obj.pk}-{goal_key}"
    return f"#titel-{level.dom_id(obj.pk)}"


def _parent_place(obj: Versioned) -> tuple[str, str]:
    """Where the tree stays once `obj` is gone: the DOM id of its parent's section ("" for an
    ambitie, which has none) and the element to focus, the parent's title. An inspanning's
    parent is its first goal, as everywhere an inspanning is placed without a goal given."""
    level = level_of(obj)
    if level is INSPANNING:
        goals = _goal_ids(obj)
        if not goals:
            return "algemeen", "#algemeen-kop"
        dom_id = LEVELS[INSPANNING.parent].dom_id(min(goals))
    elif level.parent is None or level.parent_field is None:
        return "", "#boom-telling"
    else:
        dom_id = LEVELS[level.parent].dom_id(getattr(obj, level.parent_field))
    return dom_id, f"#titel-{dom_id}"


def _page_view(request: HtmxHttpRequest) -> TreeFilters:
    """The parts collapsed on the tree page that asked (its URL says), without its filters:
    a changed node is shown whole, but what was collapsed stays collapsed."""
    url = request.htmx.current_url if request.htmx else None
    if not url:
        return TreeFilters()
    return TreeFilters(closed=TreeFilters.from_query(QueryDict(urlsplit(url).query)).closed)


def render_nodes(
    request: HtmxHttpRequest,
    access: ProgrammaAccess,
    nodes: list[Node],
    *,
    focus: str = "",
    message: str = "",
) -> HttpResponse:
    """Out-of-band swaps of the given nodes, freshly rendered from one tree build."""
    tree = build_tree(access.programma, _page_view(request))
    index: dict[Node, tuple[str, dict]] = {}
    for a in tree.ambities:
        index[("ambitie", a.ambitie.pk)] = ("ambitie_node", {"a": a})
        for s in a.strategische_doelen:
            index[("strategisch_doel", s.doel.pk)] = ("sd_node", {"s": s})
            for d in s.doelen:
                index[("operationeel_doel", d.doel.pk)] = ("od_node", {"d": d})
    base = access.context(
        tree=tree,
        oob=True,
        u=tree_urls(access.programma),
        q="",  # nothing to highlight: a changed node is shown unfiltered
        in_place=False,
    )
    parts = []
    for node in nodes:
        if node == BOOM:
            partial, extra = "results_oob", {}
        elif node == ALGEMEEN:
            partial, extra = "algemeen_node", {}
        elif node in index:
            partial, extra = index[node]
        else:
            continue
        parts.append(
            render_to_string(f"doelenboom/tree.html#{partial}", {**base, **extra}, request=request)
        )
    response = _changed(HttpResponse("".join(parts)), focus, message)
    return reswap(response, "none")


def _done(
    request: HtmxHttpRequest,
    access: ProgrammaAccess,
    nodes: list[Node],
    *,
    message: str,
    obj: Versioned | None = None,
    focus: str = "",
    url: str = "",
) -> HttpResponse:
    """Answer a change: swap the affected nodes (htmx), or go back to the tree there (`url`,
    or where `obj` is)."""
    if request.htmx:
        if not focus and obj is not None:
            focus = _focus_for(obj)
        return render_nodes(request, access, nodes, focus=focus, message=message)
    messages.success(request, message)
    return redirect(url or _tree_url(access, obj))


# -- views ----------------------------------------------------------------------------------


def _form_context(
    access: ProgrammaAccess,
    level: Level,
    form: TreeItemForm,
    obj: Versioned | None = None,
    parent: Versioned | None = None,
    conflict: services.OtherEdit | None = None,
) -> dict:
    return item_context(
        access,
        level,
        obj,
        form=form,
        parent=parent,
        parent_kind=level.parent or "",
        conflict=conflict,
        target=f"kop-{level.dom_id(obj.pk)}" if obj else "",
    )


def _render_form(request: HtmxHttpRequest, context: dict) -> HttpResponse:
    template = "doelenboom/edit.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#form"
    response = render(request, template, context)
    if request.htmx:
        form = context["form"]
        prefix = form.prefix or ""
        focus = "#id_" + (f"{prefix}-" if prefix else "") + "titel"
        step_errors = form.stappen.total_error_count() if hasattr(form, "stappen") else 0
        if context.get("conflict") or form.errors or step_errors:
            focus = f"#fout-{prefix}"
        _changed(response, focus)
    return response


def _links(form: TreeItemForm) -> services.InspanningLinks | None:
    """The goals, partners and steps an inspanning form sets; None for other levels."""
    if not isinstance(form, InspanningForm):
        return None
    steps, removed = form.step_changes()
    return services.InspanningLinks(
        goals=[goal.pk for goal in form.cleaned_data["doelen"]],
        partners=form.partner_roles(),
        steps=steps,
        removed_steps=removed,
    )


def _saved_message(access: ProgrammaAccess, level: Level, obj: Versioned, verb: str) -> str:
    return _("%(label)s “%(titel)s” %(verb)s.") % {
        "label": level.label(access.programma),
        "titel": obj.titel,
        "verb": verb,
    }


@login_required
def edit_item(request: HtmxHttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    access, obj, level = editable_item(request, slug, kind, pk)
    prefix = level.dom_id(pk)
    if request.method != "POST":
        form = level.form(instance=obj, programma=access.programma, prefix=prefix)
        return _render_form(request, _form_context(access, level, form, obj))

    before_goals = _goal_ids(obj)
    before_parent = getattr(obj, level.parent_field) if level.parent_field else None
    form = level.form(request.POST, instance=obj, programma=access.programma, prefix=prefix)
    if not form.is_valid():
        return _render_form(request, _form_context(access, level, form, obj))
    try:
        saved, changed = services.update_item(
            obj,
            form.own_values(),
            expected_versie=form.cleaned_data["versie"] or 0,
            reason=form.cleaned_data["reden"],
            links=_links(form),
            merge=form.merge(),
        )
    except services.EditConflict as conflict:
        # Keep the editor's input, with a choice to make for each field both changed; the
        # version stays the one they started from, so nothing of the other edit is lost.
        data = form.conflict_data(conflict.other, conflict.current)
        form = level.form(
            data, instance=conflict.current, programma=access.programma, prefix=prefix
        )
        form.show_conflict(conflict.other)
        form.is_valid()
        return _render_form(
            request, _form_context(access, level, form, obj, conflict=conflict.other)
        )
    except ValidationError as error:
        show_errors(form, error)
        return _render_form(request, _form_context(access, level, form, obj))

    nodes = _affected_nodes(saved, before_goals | _goal_ids(saved))
    if level.parent_field and getattr(saved, level.parent_field) != before_parent:
        nodes = [BOOM]  # moved to another parent: both places change
    message = (
        _saved_message(access, level, saved, _("opgeslagen")) if changed else _("Niets gewijzigd.")
    )
    return _done(request, access, nodes, message=message, obj=saved, focus=_focus_for(saved))


@login_required
def add_item(request: HtmxHttpRequest, slug: str, kind: str) -> HttpResponse:
    access = programma_access(request, slug)
    require_edit(access)
    level = level_for_kind(kind)
    parent = None
    parent_pk = request.GET.get("parent") or request.POST.get("parent")
    if level.parent and parent_pk:
        if not parent_pk.isdigit():
            raise Http404
        parent = get_item(access, level.parent, int(parent_pk))
    prefix = f"nieuw-{level.key}-{parent.pk if parent else 0}"
    initial = {}
    if parent is not None:
        # A new inspanning serves its goal; a new goal hangs under its parent.
        initial = {"doelen": [parent]} if level is INSPANNING else {level.parent: parent}
    if request.method != "POST":
        # The next code in the parent's series, which the editor may change.
        initial["code"] = suggested_code(access.programma, level, parent)
        form = level.form(programma=access.programma, prefix=prefix, initial=initial)
        return _render_form(request, _form_context(access, level, form, parent=parent))

    form = level.form(request.POST, programma=access.programma, prefix=prefix)
    if not form.is_valid():
        return _render_form(request, _form_context(access, level, form, parent=parent))
    obj = form.save(commit=False)
    try:
        services.create_item(obj, reason=form.cleaned_data["reden"], links=_links(form))
    except ValidationError as error:
        show_errors(form, error)
        return _render_form(request, _form_context(access, level, form, parent=parent))
    message = _saved_message(access, level, obj, _("toegevoegd"))
    return _done(
        request, access, _container_nodes(obj), message=message, obj=obj, focus=_focus_for(obj)
    )


@login_required
def delete_item(request: HtmxHttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    access, obj, level = editable_item(request, slug, kind, pk)
    context = item_context(
        access,
        level,
        obj,
        impact=services.delete_impact(obj),
        target=f"kop-{level.dom_id(obj.pk)}",
        adopted_in=adopted_plan_of(obj),
    )
    if request.method == "POST" and context["adopted_in"] and not request.POST.get("reden", ""):
        context["reason_error"] = _(
            "Geef een reden: dit onderdeel staat in het vastgestelde %(plan)s."
        ) % {"plan": context["adopted_in"]}
    if request.method != "POST" or "reason_error" in context:
        template = "doelenboom/delete.html"
        if request.htmx and not request.htmx.history_restore_request:
            template += "#confirm"
        # 200 with the message, as a refused edit form answers, so that htmx swaps it in.
        response = render(request, template, context)
        if request.htmx:
            refused = "reason_error" in context
            _changed(
                response, f"#reden-{kind}-{pk}" if refused else f"#verwijder-{level.dom_id(pk)}"
            )
        return response

    nodes = _deleted_nodes(obj)
    # Stay at the parent: on a long tree the top of the page is far from where one was.
    anchor, focus = _parent_place(obj)
    titel = obj.titel
    services.delete_item(obj, reason=request.POST.get("reden", "")[:200])
    message = _("%(label)s “%(titel)s” verwijderd.") % {
        "label": level.label(access.programma),
        "titel": titel,
    }
    url = _tree_url(access) + (f"#{anchor}" if anchor else "")
    return _done(request, access, nodes, message=message, focus=focus, url=url)


@login_required
@require_POST
def move_item(request: HtmxHttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    access, obj, level = editable_item(request, slug, kind, pk)
    direction = "up" if request.POST.get("richting") == "omhoog" else "down"
    goal = None
    if level is INSPANNING and request.POST.get("doel"):
        if not request.POST["doel"].isdigit():
            raise Http404
        goal = get_item(access, INSPANNING.parent, int(request.POST["doel"]))
    moved = services.move_item(obj, direction, within_goal=goal)
    message = (
        _("“%(titel)s” verplaatst.") % {"titel": obj.titel}
        if moved
        else _("“%(titel)s” staat al bovenaan of onderaan.") % {"titel": obj.titel}
    )
    focus = _focus_for(obj, goal.pk if goal else "algemeen")
    url = f"{_tree_url(access)}#{INSPANNING.parent}-{goal.pk}" if goal else ""
    return _done(
        request, access, _container_nodes(obj), message=message, obj=obj, focus=focus, url=url
    )


@login_required
def item_node(request: HtmxHttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """The current rendering of a node, e.g. when an edit is cancelled."""
    access = programma_access(request, slug)
    obj = get_item(access, kind, pk)
    if not request.htmx:
        return redirect(_tree_url(access, obj))
    return render_nodes(request, access, _affected_nodes(obj), focus=_focus_for(obj))


@login_required
def item_actions(request: HtmxHttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """An item's edit controls: the tree's menu of the item, fetched when it opens (htmx),
    or a page of their own without JavaScript. An inspanning's controls are those of its
    place under one goal (`?doel=`), or under "algemeen"."""
    access, obj, level = editable_item(request, slug, kind, pk)
    goal = None
    place = ""
    back = _tree_url(access, obj)
    if level is INSPANNING:
        doel = request.GET.get("doel", "algemeen")
        if doel != "algemeen":
            if not doel.isdigit() or int(doel) not in _goal_ids(obj):
                raise Http404
            goal = get_item(access, INSPANNING.parent, int(doel))
            back = f"{_tree_url(access)}#{INSPANNING.parent}-{goal.pk}"
        place = f"-{goal.pk if goal else 'algemeen'}"
    context = item_context(
        access,
        level,
        obj,
        goal=goal,
        target=f"kop-{level.dom_id(obj.pk)}{place}",
        u=tree_urls(access.programma),
        back=back,
    )
    return render(request, template_for(request, "doelenboom/actions.html", "menu"), context)
