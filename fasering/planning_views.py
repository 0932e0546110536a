"""The multi-year planning page of a programme and the per-project planning form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import show_errors
from core.htmx import HtmxHttpRequest
from fasering import planning
from fasering.access import may_plan, require_plan
from fasering.planning_forms import ProjectplanningForm, month_choices
from programmes.access import ProgrammaAccess, programma_access


def _may_plan(request: HtmxHttpRequest, access: ProgrammaAccess) -> bool:
    return may_plan(request.user, access)


def _forms(
    access: ProgrammaAccess, schedules, only: int | None, bound=None
) -> dict[int, ProjectplanningForm]:
    """The form of the one project being planned (`only`); a form per project would render
    every month and every other project once per project, which grows with the square."""
    programma = access.programma
    months = month_choices(
        programma.looptijd_start,
        programma.looptijd_eind,
        extra=[s.planning.start for s in schedules if s.planning],
    )
    projects = [(s.inspanning.pk, str(s.inspanning)) for s in schedules]
    forms = {}
    for schedule in schedules:
        pk = schedule.inspanning.pk
        if pk != only:
            continue
        others = [choice for choice in projects if choice[0] != pk]
        if bound is not None and bound[0] == pk:
            forms[pk] = bound[1]
            continue
        forms[pk] = ProjectplanningForm(
            prefix=f"p{pk}",
            months=months,
            projects=others,
            initial={
                "start": schedule.planning.start.strftime("%Y-%m")
                if schedule.planning and schedule.planning.start
                else "",
                "start_na": schedule.planning.start_na_id if schedule.planning else None,
                "versie": schedule.versie,
            },
        )
    return forms


def _page(request: HtmxHttpRequest, access: ProgrammaAccess, bound=None) -> HttpResponse:
    schedules = planning.project_schedules(access.programma)
    ambities = list(access.programma.ambities.all())
    chosen = request.GET.get("ambitie", "")
    chosen_pk = int(chosen) if chosen.isdigit() else None
    shown = [s for s in schedules if chosen_pk is None or (s.ambitie and s.ambitie.pk == chosen_pk)]
    may_plan = _may_plan(request, access)
    editing = request.GET.get("wijzig", "")
    only = bound[0] if bound else (int(editing) if editing.isdigit() else None)
    forms = _forms(access, schedules, only, bound) if may_plan else {}
    context = access.context(
        charts=planning.planning_charts(shown),
        niet_gepland=[s for s in shown if not s.steps],
        projecten=[(s, forms.get(s.inspanning.pk)) for s in shown],
        ambities=ambities,
        chosen_ambitie=chosen_pk,
        may_plan=may_plan,
    )
    return render(request, "fasering/planning.html", context, status=400 if bound else 200)


@login_required
def planning_page(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    return _page(request, access)


@login_required
@require_POST
def set_project_planning(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programma_access(request, slug)
    require_plan(request.user, access, _("U mag de planning van dit programma niet wijzigen."))
    schedules = planning.project_schedules(access.programma)
    by_pk = {s.inspanning.pk: s for s in schedules}
    if pk not in by_pk:
        raise Http404
    blank = _forms(access, schedules, pk)[pk]
    form = ProjectplanningForm(
        request.POST,
        prefix=blank.prefix,
        months=blank.fields["start"].choices,
        projects=blank.fields["start_na"].choices[1:],
    )
    if form.is_valid():
        after = form.cleaned_data["start_na"]
        try:
            planning.set_project_planning(
                by_pk[pk].inspanning,
                start=form.cleaned_data["start"],
                start_na=by_pk[after].inspanning if after else None,
                expected_versie=form.cleaned_data["versie"],
                user=request.user,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                _("De planning van %(project)s is opgeslagen.") % {"project": by_pk[pk].label},
            )
            return redirect(reverse("fasering:planning", args=[slug]) + f"#project-{pk}")
    return _page(request, access, bound=(pk, form))
