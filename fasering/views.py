"""The faseplan pages: the list, a plan's page, and editing it in place (htmx) or by plain form.

A plan's page renders only from its content dict (fasering.content), so that a frozen plan shows
its snapshot with the same template. Each htmx edit swaps the section it belongs to: the form
replaces the section, and a save brings back the section, freshly rendered, with an event that
moves focus to its heading and announces the change.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import retarget, trigger_client_event

from core.forms import show_errors
from core.htmx import HtmxHttpRequest
from doelenboom.models import OperationeelDoel
from fasering import queries, services
from fasering.access import may_plan, require_plan
from fasering.content import TEXT_SECTIONS, content_of
from fasering.forms import FaseForm, FaseplanForm, GoalsForm, InspanningenForm, ItemForm, TextsForm
from fasering.models import Fase, Faseplan, FaseplanItem
from programmes.access import ProgrammaAccess, programma_access

SECTIONS = {"fases", "doelen", "teksten"}


@dataclass(frozen=True)
class Plan:
    access: ProgrammaAccess
    faseplan: Faseplan

    def url(self, anchor: str = "") -> str:
        url = reverse("fasering:detail", args=[self.access.programma.slug, self.faseplan.nummer])
        return f"{url}#{anchor}" if anchor else url


def _may_change(request: HtmxHttpRequest, access: ProgrammaAccess) -> bool:
    return may_plan(request.user, access)


def _require_change(request: HtmxHttpRequest, access: ProgrammaAccess) -> None:
    require_plan(request.user, access, _("U mag de faseplannen van dit programma niet bewerken."))


def _frozen(request: HtmxHttpRequest, plan: Plan) -> HttpResponse:
    """409: the plan is adopted (or replaced) and no longer changes."""
    context = plan.access.context(
        faseplan=plan.faseplan,
        form_kind="frozen",
        message=services.frozen_message(plan.faseplan),
        nav_section="faseplannen",
    )
    return render(request, "fasering/faseplan_form.html", context, status=409)


def _refused(form, error: ValidationError) -> None:
    """Show a service's refusal on the form. After a stale save the form takes the current
    version, so that saving again is a deliberate choice to keep one's own input."""
    show_errors(form, error)
    if isinstance(error, services.StaleEdit):
        data = form.data.copy()
        data[form.add_prefix("versie")] = str(error.params["versie"])
        form.data = data


def _editable_plan(request: HtmxHttpRequest, slug: str, nummer: int) -> Plan | HttpResponse:
    """The plan for a write: 404 elsewhere, 403 for who may not edit, 409 once frozen."""
    access = programma_access(request, slug)
    _require_change(request, access)
    plan = Plan(access, queries.get_faseplan(access.programma, nummer))
    if not services.editable(plan.faseplan):
        return _frozen(request, plan)
    return plan


def _changed(response: HttpResponse, focus: str, message: str = "") -> HttpResponse:
    return trigger_client_event(
        response, "koers:changed", {"focus": focus, "message": message}, after="settle"
    )


def _page_context(plan: Plan, request: HtmxHttpRequest, **extra) -> dict:
    return plan.access.context(
        faseplan=plan.faseplan,
        content=content_of(plan.faseplan),
        may_edit=_may_change(request, plan.access) and services.editable(plan.faseplan),
        nav_section="faseplannen",
        **extra,
    )


def _goal_of(content: dict, item_id: int) -> dict:
    for goal in content["doelen"]:
        if goal["item_id"] == item_id or any(i["item_id"] == item_id for i in goal["inspanningen"]):
            return goal
    raise Http404


def _section(request: HtmxHttpRequest, plan: Plan, sectie: str, **extra) -> HttpResponse:
    """One section of the plan's page, fresh from the data (for htmx swaps)."""
    context = _page_context(plan, request, **extra)
    if sectie.startswith("doel-"):
        number = sectie.removeprefix("doel-")
        if not number.isdigit():
            raise Http404
        context["goal"] = _goal_of(context["content"], int(number))
        sectie = "doel"
    elif sectie not in SECTIONS:
        raise Http404
    return render(request, f"fasering/faseplan_detail.html#{sectie}", context)


def _saved(
    request: HtmxHttpRequest, plan: Plan, sectie: str, *, focus: str, message: str
) -> HttpResponse:
    if not request.htmx:
        messages.success(request, message)
        return redirect(plan.url(sectie if sectie.startswith("doel-") else f"sectie-{sectie}"))
    plan.faseplan.refresh_from_db()  # the service saved its own, locked copy
    response = _section(request, plan, sectie)
    if sectie != "teksten":
        _with_planning(request, plan, response)
    target = f"#{sectie}" if sectie.startswith("doel-") else f"#sectie-{sectie}"
    return _changed(retarget(response, target), focus, message)


def _with_planning(request: HtmxHttpRequest, plan: Plan, response: HttpResponse) -> None:
    """Goals, items and fases move the bars: the network planning comes along, out of band."""
    context = _page_context(plan, request, oob=True)
    response.content += render_to_string(
        "fasering/faseplan_detail.html#planning", context, request=request
    ).encode()


def _form(request: HtmxHttpRequest, plan: Plan, kind: str, target: str, **extra) -> HttpResponse:
    """An edit form: the section's replacement (htmx) or a page of its own."""
    context = plan.access.context(
        faseplan=plan.faseplan, form_kind=kind, target=target, nav_section="faseplannen", **extra
    )
    template = "fasering/faseplan_form.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += f"#{kind}_form"
    response = render(request, template, context)
    if request.htmx:
        form = extra.get("form")
        failed = form is not None and form.errors
        first_field = f"#{target} :is(input:not([type=hidden]), textarea, select)"
        _changed(response, f"#fout-{target}" if failed else first_field)
    return response


# -- reading ----------------------------------------------------------------------------------


@login_required
def faseplan_list(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    may_create = _may_change(request, access)
    form = FaseplanForm(initial={"nummer": services.next_number(access.programma)})
    if request.method == "POST":
        _require_change(request, access)
        form = FaseplanForm(request.POST)
        if form.is_valid():
            try:
                faseplan = services.create_faseplan(access.programma, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Faseplan %(n)s aangemaakt.") % {"n": faseplan.nummer})
                return redirect("fasering:detail", access.programma.slug, faseplan.nummer)
    context = access.context(
        faseplannen=queries.faseplannen(access.programma),
        form=form,
        may_create=may_create,
        nav_section="faseplannen",
    )
    return render(request, "fasering/faseplan_list.html", context)


@login_required
def faseplan_detail(request: HtmxHttpRequest, slug: str, nummer: int) -> HttpResponse:
    access = programma_access(request, slug)
    faseplan = queries.get_faseplan(access.programma, nummer)
    context = access.context(
        faseplan=faseplan,
        content=content_of(faseplan),
        may_edit=_may_change(request, access) and services.editable(faseplan),
        nav_section="faseplannen",
    )
    return render(request, "fasering/faseplan_detail.html", context)


@login_required
def section(request: HtmxHttpRequest, slug: str, nummer: int, sectie: str) -> HttpResponse:
    """A section as the page shows it, e.g. when an edit is cancelled."""
    access = programma_access(request, slug)
    plan = Plan(access, queries.get_faseplan(access.programma, nummer))
    if not request.htmx:
        return redirect(plan.url(sectie if sectie.startswith("doel-") else f"sectie-{sectie}"))
    return _section(request, plan, sectie)


# -- editing ----------------------------------------------------------------------------------


@login_required
def edit_texts(request: HtmxHttpRequest, slug: str, nummer: int) -> HttpResponse:
    plan = _editable_plan(request, slug, nummer)
    if isinstance(plan, HttpResponse):
        return plan
    faseplan = plan.faseplan
    if request.method != "POST":
        initial = {name: getattr(faseplan, name) for name in TEXT_SECTIONS}
        form = TextsForm(initial={**initial, "versie": faseplan.versie, "reden": ""})
        return _form(request, plan, "texts", "sectie-teksten", form=form)
    form = TextsForm(request.POST)
    if not form.is_valid():
        return _form(request, plan, "texts", "sectie-teksten", form=form)
    try:
        changed = services.update_faseplan_texts(
            faseplan,
            form.texts(),
            expected_versie=form.cleaned_data["versie"],
            reason=form.cleaned_data["reden"],
        )
    except services.PlanFrozen:
        return _frozen(request, plan)
    except ValidationError as error:
        _refused(form, error)
        return _form(request, plan, "texts", "sectie-teksten", form=form)
    message = _("Teksten opgeslagen.") if changed else _("Niets gewijzigd.")
    return _saved(request, plan, "teksten", focus="#kop-teksten", message=message)


def _fase_forms(plan: Plan, bound: FaseForm | None = None) -> tuple[list, FaseForm]:
    rows = []
    for fase in plan.faseplan.fases.order_by("start", "id"):
        prefix = f"fase-{fase.pk}"
        if bound is not None and bound.prefix == prefix:
            rows.append((fase, bound))
        else:
            initial = {
                "naam": fase.naam,
                "start": fase.start,
                "eind": fase.eind,
                "versie": fase.versie,
            }
            rows.append((fase, FaseForm(prefix=prefix, initial=initial)))
    new = bound if bound is not None and bound.prefix == "nieuw" else FaseForm(prefix="nieuw")
    return rows, new


def _fases_panel(request: HtmxHttpRequest, plan: Plan, bound: FaseForm | None = None, message=""):
    rows, new = _fase_forms(plan, bound)
    response = _form(request, plan, "fases", "sectie-fases", rows=rows, new=new, form=bound)
    if request.htmx and bound is not None and bound.errors:
        _changed(response, f"#fout-{bound.prefix}")
    elif request.htmx and message:
        _changed(response, "#kop-fases-bewerken", message)
    return response


def _fase_saved(request: HtmxHttpRequest, plan: Plan, message: str) -> HttpResponse:
    if request.htmx:
        response = _fases_panel(request, plan, message=message)
        _with_planning(request, plan, response)
        return response
    messages.success(request, message)
    return redirect("fasering:fases", plan.access.programma.slug, plan.faseplan.nummer)


def _save_fase(request: HtmxHttpRequest, plan: Plan, fase: Fase | None) -> HttpResponse:
    form = FaseForm(request.POST, prefix=f"fase-{fase.pk}" if fase else "nieuw")
    if not form.is_valid():
        return _fases_panel(request, plan, form)
    try:
        if fase is None:
            reason = form.cleaned_data["reden"]
            saved = services.add_fase(plan.faseplan, form.values(), reason=reason)
            message = _("%(naam)s toegevoegd.") % {"naam": saved.naam}
        else:
            saved = services.update_fase(
                fase,
                form.values(),
                reason=form.cleaned_data["reden"],
                expected_versie=form.cleaned_data["versie"] or 0,
            )
            message = _("%(naam)s opgeslagen.") % {"naam": saved.naam}
    except services.PlanFrozen:
        return _frozen(request, plan)
    except ValidationError as error:
        _refused(form, error)
        return _fases_panel(request, plan, form)
    return _fase_saved(request, plan, message)


@login_required
def edit_fases(request: HtmxHttpRequest, slug: str, nummer: int) -> HttpResponse:
    """The plan's fases, each with its own form, and one to add a fase."""
    plan = _editable_plan(request, slug, nummer)
    if isinstance(plan, HttpResponse):
        return plan
    if request.method == "POST":
        return _save_fase(request, plan, None)
    return _fases_panel(request, plan)


@login_required
@require_POST
def edit_fase(request: HtmxHttpRequest, slug: str, nummer: int, pk: int) -> HttpResponse:
    plan = _editable_plan(request, slug, nummer)
    if isinstance(plan, HttpResponse):
        return plan
    fase = get_object_or_404(Fase, pk=pk, faseplan=plan.faseplan)
    return _save_fase(request, plan, fase)


@login_required
@require_POST
def delete_fase(request: HtmxHttpRequest, slug: str, nummer: int, pk: int) -> HttpResponse:
    plan = _editable_plan(request, slug, nummer)
    if isinstance(plan, HttpResponse):
        return plan
    fase = get_object_or_404(Fase, pk=pk, faseplan=plan.faseplan)
    naam = fase.naam
    versie = request.POST.get("versie", "")
    try:
        services.delete_fase(
            fase,
            reason=request.POST.get("reden", "")[:200],
            expected_versie=int(versie) if versie.isdigit() else 0,
        )
    except services.PlanFrozen:
        return _frozen(request, plan)
    except services.StaleEdit as error:
        return _fases_panel(request, plan, message=" ".join(error.messages))
    return _fase_saved(request, plan, _("%(naam)s verwijderd.") % {"naam": naam})


@login_required
def pick_goals(request: HtmxHttpRequest, slug: str, nummer: int) -> HttpResponse:
    plan = _editable_plan(request, slug, nummer)
    if isinstance(plan, HttpResponse):
        return plan
    goals = queries.programme_goals(plan.access.programma)
    if request.method != "POST":
        chosen = plan.faseplan.items.filter(inspanning__isnull=True)
        initial = {"doelen": list(chosen.values_list("operationeel_doel_id", flat=True))}
        form = GoalsForm(goals=goals, initial=initial)
        return _form(request, plan, "goals", "sectie-doelen", form=form)
    form = GoalsForm(request.POST, goals=goals)
    if not form.is_valid():
        return _form(request, plan, "goals", "sectie-doelen", form=form)
    try:
        services.set_goals(
            plan.faseplan,
            [goal.pk for goal in form.cleaned_data["doelen"]],
            reason=form.cleaned_data["reden"],
        )
    except services.PlanFrozen:
        return _frozen(request, plan)
    except ValidationError as error:
        _refused(form, error)
        return _form(request, plan, "goals", "sectie-doelen", form=form)
    return _saved(request, plan, "doelen", focus="#kop-doelen", message=_("Doelen opgeslagen."))


def _goal_item(plan: Plan, doel: int) -> FaseplanItem:
    return get_object_or_404(
        FaseplanItem.objects.select_related("operationeel_doel__strategisch_doel__ambitie"),
        faseplan=plan.faseplan,
        operationeel_doel_id=doel,
        inspanning__isnull=True,
    )


@login_required
def pick_inspanningen(request: HtmxHttpRequest, slug: str, nummer: int, doel: int) -> HttpResponse:
    plan = _editable_plan(request, slug, nummer)
    if isinstance(plan, HttpResponse):
        return plan
    goal_item = _goal_item(plan, doel)
    goal: OperationeelDoel = goal_item.operationeel_doel
    choices = queries.goal_inspanningen(goal)
    target = f"inspanningen-{goal_item.pk}"
    label = _("Inspanningen onder “%(titel)s”") % {"titel": goal.titel}
    extra = {"goal": goal, "goal_item": goal_item}
    if request.method != "POST":
        chosen = plan.faseplan.items.filter(operationeel_doel=goal, inspanning__isnull=False)
        initial = {"inspanningen": list(chosen.values_list("inspanning_id", flat=True))}
        form = InspanningenForm(choices=choices, label=label, initial=initial)
        return _form(request, plan, "inspanningen", target, form=form, **extra)
    form = InspanningenForm(request.POST, choices=choices, label=label)
    if not form.is_valid():
        return _form(request, plan, "inspanningen", target, form=form, **extra)
    try:
        services.set_inspanningen(
            plan.faseplan,
            goal,
            [insp.pk for insp in form.cleaned_data["inspanningen"]],
            reason=form.cleaned_data["reden"],
        )
    except services.PlanFrozen:
        return _frozen(request, plan)
    except ValidationError as error:
        _refused(form, error)
        return _form(request, plan, "inspanningen", target, form=form, **extra)
    message = _("Inspanningen onder “%(titel)s” opgeslagen.") % {"titel": goal.titel}
    return _saved(
        request, plan, f"doel-{goal_item.pk}", focus=f"#kop-item-{goal_item.pk}", message=message
    )


@login_required
def edit_item(request: HtmxHttpRequest, slug: str, nummer: int, pk: int) -> HttpResponse:
    plan = _editable_plan(request, slug, nummer)
    if isinstance(plan, HttpResponse):
        return plan
    item = get_object_or_404(
        FaseplanItem.objects.select_related("operationeel_doel", "inspanning"),
        pk=pk,
        faseplan=plan.faseplan,
    )
    goal_item = item if item.inspanning_id is None else _goal_item(plan, item.operationeel_doel_id)
    partners = queries.current_partners(plan.access.programma)
    known = {org.pk for org in partners}
    partners += [org for org in item.partners.all() if org.pk not in known]
    kw = {"faseplan": plan.faseplan, "partners": partners, "prefix": f"item-{item.pk}"}
    target = f"item-{item.pk}"
    extra = {"item": item, "goal_item": goal_item}
    if request.method != "POST":
        initial = {
            "versie": item.versie,
            "start_fase": item.start_fase_id,
            "loopt_door": item.loopt_door,
            "partners": [org.pk for org in item.partners.all()],
            "partners_vrij": item.partners_vrij,
            "middelen": item.middelen,
            "middelen_toelichting": item.middelen_toelichting,
            "toelichting": item.toelichting,
        }
        form = ItemForm(initial=initial, **kw)
        return _form(request, plan, "item", target, form=form, **extra)
    form = ItemForm(request.POST, **kw)
    if not form.is_valid():
        return _form(request, plan, "item", target, form=form, **extra)
    try:
        changed = services.update_item(
            item,
            form.values(),
            expected_versie=form.cleaned_data["versie"],
            reason=form.cleaned_data["reden"],
        )
    except services.PlanFrozen:
        return _frozen(request, plan)
    except ValidationError as error:
        _refused(form, error)
        return _form(request, plan, "item", target, form=form, **extra)
    message = _("“%(titel)s” opgeslagen.") % {"titel": item} if changed else _("Niets gewijzigd.")
    return _saved(
        request, plan, f"doel-{goal_item.pk}", focus=f"#kop-item-{item.pk}", message=message
    )
