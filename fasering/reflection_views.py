"""The eiland van reflectie: the years of a programme, one year's page, and editing it in place.

Everyone in the programme reads; the leader and team write (fasering.access.may_plan), never
in an archived programme. Each edit swaps one piece of the year's page with htmx: the form
replaces the piece, a save brings the piece back freshly rendered, with an event that moves
focus to it and announces the change. Without JavaScript every link opens the same form as a
page of its own, and every save posts and redirects back to the piece on the year's page.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import retarget, trigger_client_event

from core.forms import show_errors
from core.htmx import HtmxHttpRequest
from fasering import reflection
from fasering.access import may_plan, require_plan
from fasering.models import Inbreng, Reflectie
from fasering.reflection_forms import (
    BesluitForm,
    DeleteForm,
    InbrengForm,
    InleidingForm,
    ReflectieForm,
    SessieForm,
    TrendForm,
    VraagForm,
)
from fasering.services import StaleEdit
from programmes.access import ProgrammaAccess, programma_access

PAGE = "fasering/reflectie_detail.html"
FORM = "fasering/reflectie_form.html"


@dataclass(frozen=True)
class Jaar:
    """The reflection a request is about, with the access answer for its programme."""

    access: ProgrammaAccess
    reflectie: Reflectie

    def _args(self) -> list:
        return [self.access.programma.slug, self.reflectie.jaar]

    def url(self, anchor: str = "") -> str:
        url = reverse("fasering:reflection", args=self._args())
        return f"{url}#{anchor}" if anchor else url

    def reverse(self, name: str, *args: Any) -> str:
        return reverse(f"fasering:{name}", args=[*self._args(), *args])


def _require_change(request: HtmxHttpRequest, access: ProgrammaAccess) -> None:
    require_plan(
        request.user,
        access,
        _("Alleen de programmaleider en het programmateam leggen de reflectie vast."),
    )


def _jaar(request: HtmxHttpRequest, slug: str, jaar: int, *, write: bool = True) -> Jaar:
    """404 for outsiders and unknown years; 403 for a write by who may not plan."""
    access = programma_access(request, slug)
    if write:
        _require_change(request, access)
    return Jaar(access, reflection.reflection_of(access.programma, jaar))


def _context(request: HtmxHttpRequest, jaar: Jaar, **extra: Any) -> dict[str, Any]:
    return jaar.access.context(
        reflectie=jaar.reflectie,
        pagina=reflection.page_of(jaar.reflectie),
        may_edit=may_plan(request.user, jaar.access),
        **extra,
    )


def _changed(response: HttpResponse, focus: str, message: str = "") -> HttpResponse:
    return trigger_client_event(
        response, "koers:changed", {"focus": focus, "message": message}, after="settle"
    )


# -- pieces of the year's page --------------------------------------------------------------


def _piece(request: HtmxHttpRequest, jaar: Jaar, deel: str) -> HttpResponse:
    """One piece of the year's page as it is now, named as in its element's id."""
    context = _context(request, jaar)
    pagina: reflection.Pagina = context["pagina"]
    kind, _sep, rest = deel.partition("-")
    nieuw = rest.startswith("nieuw")
    number = rest.removeprefix("nieuw").removeprefix("-")
    try:
        pk = int(number) if number else None
        if deel in ("inleiding", "sessies", "besluiten", "trends", "trend-nieuw", "sessie-nieuw"):
            partial = deel.replace("-", "_")
        elif kind == "sessie" and pk:
            context["sessie"], partial = pagina.sessie(pk), "sessie"
        elif kind == "vraag" and pk:
            if nieuw:
                context["sessie"], partial = pagina.sessie(pk), "vraag_nieuw"
            else:
                context["vraag"], partial = pagina.vraag(pk), "vraag"
        elif kind == "inbreng" and pk:
            if nieuw:
                context["vraag"], partial = pagina.vraag(pk), "inbreng_nieuw"
            else:
                context["inbreng"], partial = pagina.inbreng(pk), "inbreng"
        elif kind == "doel" and pk and not nieuw:
            context["item"], partial = pagina.doel(pk), "doel"
        elif kind == "trend" and pk and not nieuw:
            context["trend"], partial = pagina.trend(pk), "trend"
        else:
            raise Http404
    except (LookupError, ValueError):
        raise Http404 from None
    response = render(request, f"{PAGE}#{partial}", context)
    if kind == "doel":
        # The count of decisions above the goals follows, out of band.
        response.content += render_to_string(
            f"{PAGE}#teller", {**context, "oob": True}, request=request
        ).encode()
    return response


def _saved(
    request: HtmxHttpRequest, jaar: Jaar, *, deel: str, focus: str, message: str
) -> HttpResponse:
    """After a write: the piece again (htmx) or back to it on the page (a plain form post)."""
    if not request.htmx:
        messages.success(request, message)
        return redirect(jaar.url(deel))
    jaar.reflectie.refresh_from_db()  # the service saved its own, locked copy
    response = _piece(request, jaar, deel)
    return _changed(retarget(response, f"#{deel}"), focus, message)


# -- forms ----------------------------------------------------------------------------------


@dataclass
class Edit:
    """An edit form on the year's page: what it replaces there and where Cancel goes back to."""

    kop: str
    form: forms.Form
    action: str
    target: str  # the id of the piece the form replaces (and takes over)
    back: str  # the piece Cancel brings back
    wrapper: str = "div"
    submit: str = ""
    delete: bool = False
    details: list[str] = field(default_factory=list)


def _show(request: HtmxHttpRequest, jaar: Jaar, edit: Edit, message: str = "") -> HttpResponse:
    """The form: in place of its piece (htmx) or as a page of its own."""
    template = FORM
    if request.htmx and not request.htmx.history_restore_request:
        template += "#form"
    else:
        edit.wrapper = "div"  # a page of its own holds no list for an <li>
    context = jaar.access.context(
        reflectie=jaar.reflectie,
        edit=edit,
        form=edit.form,
        target=edit.target,
        startmomenten=reflection.STARTMOMENTEN,
        message=message,
    )
    response = render(request, template, context)
    if request.htmx:
        failed = edit.form.errors or message
        first = f"#{edit.target} :is(input:not([type=hidden]), textarea, select, button)"
        _changed(response, f"#fout-{edit.target}" if failed else first)
    return response


def _refused(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form. After a stale save the form takes the stored version,
    so that saving again is a deliberate choice to keep one's own input."""
    show_errors(form, error)
    if isinstance(error, StaleEdit):
        data = form.data.copy()
        data[form.add_prefix("versie")] = str(error.params["versie"])
        form.data = data


def _edit(
    request: HtmxHttpRequest,
    jaar: Jaar,
    edit: Edit,
    save: Callable[[Any], tuple[Any, bool]],
    saved: Callable[[Any, bool], HttpResponse],
) -> HttpResponse:
    """GET shows the form; POST saves it through `save` and answers with `saved`."""
    form = edit.form
    if request.method != "POST" or not form.is_valid():
        return _show(request, jaar, edit)
    try:
        result = save(form)
    except ValidationError as error:
        _refused(form, error)
        return _show(request, jaar, edit)
    return saved(*result)


def _form(cls: type[forms.Form], request: HtmxHttpRequest, prefix: str, initial=None, **kw):
    if request.method == "POST":
        return cls(request.POST, prefix=prefix, **kw)
    return cls(prefix=prefix, initial=initial or {}, **kw)


def _delete(
    request: HtmxHttpRequest,
    jaar: Jaar,
    edit: Edit,
    versie: int,
    remove: Callable[[int | None], None],
    saved: Callable[[], HttpResponse],
) -> HttpResponse:
    """GET asks to confirm; POST deletes (refused when it changed since the editor saw it)."""
    if request.method != "POST":
        edit.form = DeleteForm(prefix=edit.target, initial={"versie": versie})
        return _show(request, jaar, edit)
    form = DeleteForm(request.POST, prefix=edit.target)
    edit.form = form
    seen = form.cleaned_data["versie"] if form.is_valid() else None
    try:
        remove(seen)
    except ValidationError as error:
        # Show the confirmation again, at the stored version, with why nothing happened.
        stored = (error.params or {}).get("versie", versie)
        edit.form = DeleteForm(prefix=edit.target, initial={"versie": stored})
        return _show(request, jaar, edit, message=" ".join(error.messages))
    return saved()


# -- the years ------------------------------------------------------------------------------


@login_required
def reflection_list(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The programme's eilanden van reflectie, and starting the one of a new year."""
    access = programma_access(request, slug)
    programma = access.programma
    form = ReflectieForm(programma=programma, initial={"jaar": reflection.default_year(programma)})
    if programma.faseplannen.exists():
        form.initial["faseplan"] = programma.faseplannen.order_by("-nummer").first().pk
    if request.method == "POST":
        _require_change(request, access)
        form = ReflectieForm(request.POST, programma=programma)
        if form.is_valid():
            try:
                reflectie = reflection.create_reflectie(programma, request.user, **form.values())
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Eiland van reflectie %(jaar)s aangemaakt.") % {"jaar": reflectie.jaar},
                )
                return redirect("fasering:reflection", programma.slug, reflectie.jaar)
    context = access.context(
        reflecties=reflection.reflections(programma),
        form=form,
        may_edit=may_plan(request.user, access),
    )
    return render(request, "fasering/reflectie_list.html", context)


@login_required
def reflection_page(request: HtmxHttpRequest, slug: str, jaar: int) -> HttpResponse:
    """One year's page: sessions, questions and contributions, decisions per goal, trends."""
    current = _jaar(request, slug, jaar, write=False)
    return render(request, PAGE, _context(request, current))


@login_required
def reflection_part(request: HtmxHttpRequest, slug: str, jaar: int, deel: str) -> HttpResponse:
    """A piece of the page as it shows now, e.g. when an edit is cancelled."""
    current = _jaar(request, slug, jaar, write=False)
    if not request.htmx:
        return redirect(current.url(deel))
    return _piece(request, current, deel)


# -- the introduction -----------------------------------------------------------------------


@login_required
def reflection_intro(request: HtmxHttpRequest, slug: str, jaar: int) -> HttpResponse:
    current = _jaar(request, slug, jaar)
    reflectie = current.reflectie
    form = _form(
        InleidingForm,
        request,
        "inleiding",
        InleidingForm.initial_of(reflectie),
        programma=current.access.programma,
    )
    edit = Edit(
        _("Inleiding bewerken"),
        form,
        current.reverse("reflection_intro"),
        "inleiding",
        "inleiding",
    )

    def save(form: InleidingForm):
        changed = reflection.update_reflectie(
            reflectie, request.user, expected_versie=form.versie, **form.values()
        )
        return None, changed

    def saved(_obj, changed: bool) -> HttpResponse:
        message = _("Inleiding opgeslagen.") if changed else _("Niets gewijzigd.")
        return _saved(request, current, deel="inleiding", focus="#kop-inleiding", message=message)

    return _edit(request, current, edit, save, saved)


# -- sessions -------------------------------------------------------------------------------


def _session_saved(request: HtmxHttpRequest, current: Jaar, sessie, changed: bool, new: bool):
    if new:
        message = _("Sessie met %(wie)s toegevoegd.") % {"wie": sessie.deelnemers}
        deel = "sessies"
    else:
        message = _("Sessie opgeslagen.") if changed else _("Niets gewijzigd.")
        deel = f"sessie-{sessie.pk}"
    if not request.htmx:
        messages.success(request, message)
        return redirect(current.url(f"sessie-{sessie.pk}"))
    return _saved(request, current, deel=deel, focus=f"#kop-sessie-{sessie.pk}", message=message)


@login_required
def reflection_session_add(request: HtmxHttpRequest, slug: str, jaar: int) -> HttpResponse:
    current = _jaar(request, slug, jaar)
    form = _form(SessieForm, request, "sessie-nieuw", programma=current.access.programma)
    edit = Edit(
        _("Sessie toevoegen"),
        form,
        current.reverse("reflection_session_add"),
        "sessie-nieuw",
        "sessie-nieuw",
        submit=_("Sessie toevoegen"),
    )

    def save(form: SessieForm):
        return reflection.save_sessie(current.reflectie, request.user, **form.values())

    def saved(sessie, changed: bool) -> HttpResponse:
        return _session_saved(request, current, sessie, changed, new=True)

    return _edit(request, current, edit, save, saved)


@login_required
def reflection_session(request: HtmxHttpRequest, slug: str, jaar: int, pk: int) -> HttpResponse:
    current = _jaar(request, slug, jaar)
    sessie = reflection.sessie_of(current.reflectie, pk)
    form = _form(
        SessieForm,
        request,
        f"sessie-{pk}",
        SessieForm.initial_of(sessie),
        programma=current.access.programma,
    )
    edit = Edit(
        _("Sessie met %(wie)s wijzigen") % {"wie": sessie.deelnemers},
        form,
        current.reverse("reflection_session", pk),
        f"sessie-{pk}-gegevens",
        f"sessie-{pk}",
    )

    def save(form: SessieForm):
        return reflection.save_sessie(
            current.reflectie, request.user, sessie, expected_versie=form.versie, **form.values()
        )

    def saved(sessie, changed: bool) -> HttpResponse:
        return _session_saved(request, current, sessie, changed, new=False)

    return _edit(request, current, edit, save, saved)


@login_required
def reflection_session_delete(
    request: HtmxHttpRequest, slug: str, jaar: int, pk: int
) -> HttpResponse:
    current = _jaar(request, slug, jaar)
    sessie = reflection.sessie_of(current.reflectie, pk)
    vragen = sessie.vragen.count()
    inbreng = Inbreng.objects.filter(vraag__sessie=sessie).count()
    edit = Edit(
        _("Sessie met %(wie)s verwijderen") % {"wie": sessie.deelnemers},
        DeleteForm(),
        current.reverse("reflection_session_delete", pk),
        f"sessie-{pk}-gegevens",
        f"sessie-{pk}",
        delete=True,
        details=[
            _("Met de sessie gaan ook haar %(v)s vragen en %(i)s keer inbreng weg.")
            % {"v": vragen, "i": inbreng}
        ]
        if vragen
        else [],
    )

    def remove(versie: int | None) -> None:
        reflection.delete_sessie(sessie, request.user, expected_versie=versie)

    def saved() -> HttpResponse:
        message = _("Sessie met %(wie)s verwijderd.") % {"wie": sessie.deelnemers}
        if not request.htmx:
            messages.success(request, message)
            return redirect(current.url("sessies"))
        return _saved(request, current, deel="sessies", focus="#kop-sessies", message=message)

    return _delete(request, current, edit, sessie.versie, remove, saved)


# -- questions ------------------------------------------------------------------------------


def _question_saved(request, current: Jaar, vraag, changed: bool, new: bool) -> HttpResponse:
    if new:
        message = _("Vraag toegevoegd.")
        deel = f"sessie-{vraag.sessie_id}"
    else:
        message = _("Vraag opgeslagen.") if changed else _("Niets gewijzigd.")
        deel = f"vraag-{vraag.pk}"
    if not request.htmx:
        messages.success(request, message)
        return redirect(current.url(f"vraag-{vraag.pk}"))
    return _saved(request, current, deel=deel, focus=f"#kop-vraag-{vraag.pk}", message=message)


@login_required
def reflection_question_add(
    request: HtmxHttpRequest, slug: str, jaar: int, pk: int
) -> HttpResponse:
    current = _jaar(request, slug, jaar)
    sessie = reflection.sessie_of(current.reflectie, pk)
    target = f"vraag-nieuw-{pk}"
    edit = Edit(
        _("Vraag toevoegen aan de sessie met %(wie)s") % {"wie": sessie.deelnemers},
        _form(VraagForm, request, target),
        current.reverse("reflection_question_add", pk),
        target,
        target,
        submit=_("Vraag toevoegen"),
    )

    def save(form: VraagForm):
        return reflection.save_vraag(sessie, request.user, **form.values())

    def saved(vraag, changed: bool) -> HttpResponse:
        return _question_saved(request, current, vraag, changed, new=True)

    return _edit(request, current, edit, save, saved)


@login_required
def reflection_question(request: HtmxHttpRequest, slug: str, jaar: int, pk: int) -> HttpResponse:
    current = _jaar(request, slug, jaar)
    vraag = reflection.vraag_of(current.reflectie, pk)
    edit = Edit(
        _("Vraag wijzigen"),
        _form(VraagForm, request, f"vraag-{pk}", VraagForm.initial_of(vraag)),
        current.reverse("reflection_question", pk),
        f"vraag-{pk}-gegevens",
        f"vraag-{pk}",
    )

    def save(form: VraagForm):
        return reflection.save_vraag(
            vraag.sessie, request.user, vraag, expected_versie=form.versie, **form.values()
        )

    def saved(vraag, changed: bool) -> HttpResponse:
        return _question_saved(request, current, vraag, changed, new=False)

    return _edit(request, current, edit, save, saved)


@login_required
def reflection_question_delete(
    request: HtmxHttpRequest, slug: str, jaar: int, pk: int
) -> HttpResponse:
    current = _jaar(request, slug, jaar)
    vraag = reflection.vraag_of(current.reflectie, pk)
    inbreng = vraag.inbreng.count()
    edit = Edit(
        _("Vraag verwijderen"),
        DeleteForm(),
        current.reverse("reflection_question_delete", pk),
        f"vraag-{pk}-gegevens",
        f"vraag-{pk}",
        delete=True,
        details=[vraag.tekst]
        + (
            [_("Met de vraag gaat ook haar inbreng weg (%(n)s keer).") % {"n": inbreng}]
            if inbreng
            else []
        ),
    )

    def remove(versie: int | None) -> None:
        reflection.delete_vraag(vraag, request.user, expected_versie=versie)

    def saved() -> HttpResponse:
        deel = f"sessie-{vraag.sessie_id}"
        message = _("Vraag verwijderd.")
        if not request.htmx:
            messages.success(request, message)
            return redirect(current.url(deel))
        return _saved(
            request, current, deel=deel, focus=f"#kop-sessie-{vraag.sessie_id}", message=message
        )

    return _delete(request, current, edit, vraag.versie, remove, saved)


# -- contributions --------------------------------------------------------------------------


def _contribution_saved(request, current: Jaar, inbreng, changed: bool, new: bool):
    if new:
        message = _("Inbreng toegevoegd.")
        deel = f"vraag-{inbreng.vraag_id}"
    else:
        message = _("Inbreng opgeslagen.") if changed else _("Niets gewijzigd.")
        deel = f"inbreng-{inbreng.pk}"
    if not request.htmx:
        messages.success(request, message)
        return redirect(current.url(f"inbreng-{inbreng.pk}"))
    return _saved(request, current, deel=deel, focus=f"#inbreng-{inbreng.pk}", message=message)


@login_required
def reflection_contribution_add(
    request: HtmxHttpRequest, slug: str, jaar: int, pk: int
) -> HttpResponse:
    current = _jaar(request, slug, jaar)
    vraag = reflection.vraag_of(current.reflectie, pk)
    target = f"inbreng-nieuw-{pk}"
    edit = Edit(
        _("Inbreng toevoegen bij “%(vraag)s”") % {"vraag": vraag},
        _form(InbrengForm, request, target),
        current.reverse("reflection_contribution_add", pk),
        target,
        target,
        submit=_("Inbreng toevoegen"),
    )

    def save(form: InbrengForm):
        return reflection.save_inbreng(vraag, request.user, **form.values())

    def saved(inbreng, changed: bool) -> HttpResponse:
        return _contribution_saved(request, current, inbreng, changed, new=True)

    return _edit(request, current, edit, save, saved)


@login_required
def reflection_contribution(
    request: HtmxHttpRequest, slug: str, jaar: int, pk: int
) -> HttpResponse:
    current = _jaar(request, slug, jaar)
    inbreng = reflection.inbreng_of(current.reflectie, pk)
    edit = Edit(
        _("Inbreng wijzigen"),
        _form(InbrengForm, request, f"inbreng-{pk}", InbrengForm.initial_of(inbreng)),
        current.reverse("reflection_contribution", pk),
        f"inbreng-{pk}",
        f"inbreng-{pk}",
        wrapper="li",
    )

    def save(form: InbrengForm):
        return reflection.save_inbreng(
            inbreng.vraag, request.user, inbreng, expected_versie=form.versie, **form.values()
        )

    def saved(inbreng, changed: bool) -> HttpResponse:
        return _contribution_saved(request, current, inbreng, changed, new=False)

    return _edit(request, current, edit, save, saved)


@login_required
def reflection_contribution_delete(
    request: HtmxHttpRequest, slug: str, jaar: int, pk: int
) -> HttpResponse:
    current = _jaar(request, slug, jaar)
    inbreng = reflection.inbreng_of(current.reflectie, pk)
    edit = Edit(
        _("Inbreng verwijderen"),
        DeleteForm(),
        current.reverse("reflection_contribution_delete", pk),
        f"inbreng-{pk}",
        f"inbreng-{pk}",
        wrapper="li",
        delete=True,
        details=[inbreng.tekst],
    )

    def remove(versie: int | None) -> None:
        reflection.delete_inbreng(inbreng, request.user, expected_versie=versie)

    def saved() -> HttpResponse:
        deel = f"vraag-{inbreng.vraag_id}"
        message = _("Inbreng verwijderd.")
        if not request.htmx:
            messages.success(request, message)
            return redirect(current.url(deel))
        return _saved(
            request, current, deel=deel, focus=f"#kop-vraag-{inbreng.vraag_id}", message=message
        )

    return _delete(request, current, edit, inbreng.versie, remove, saved)


# -- decisions per operational goal ---------------------------------------------------------


def _goal_title(doel) -> str:
    return f"{doel.code} {doel.titel}" if doel.code else doel.titel


@login_required
def reflection_decision(request: HtmxHttpRequest, slug: str, jaar: int, doel: int) -> HttpResponse:
    current = _jaar(request, slug, jaar)
    goal = reflection.goal_of(current.reflectie, doel)
    besluit = reflection.decision_of(current.reflectie, goal)
    volgend = reflection.next_plan_number(current.reflectie)
    deel = f"doel-{goal.pk}"
    edit = Edit(
        _("Besluit over “%(doel)s”") % {"doel": _goal_title(goal)},
        _form(BesluitForm, request, deel, BesluitForm.initial_of(besluit), volgend=volgend),
        current.reverse("reflection_decision", goal.pk),
        deel,
        deel,
    )

    def save(form: BesluitForm):
        return reflection.decide_goal(
            current.reflectie,
            request.user,
            goal,
            expected_versie=form.versie,
            besluit=form.cleaned_data["besluit"],
            faseplan_nummer=form.cleaned_data["faseplan_nummer"],
            reden=form.cleaned_data["reden"],
        )

    def saved(decision, changed: bool) -> HttpResponse:
        if not changed:
            message = _("Niets gewijzigd.")
        elif decision is None:
            message = _("“%(doel)s”: nog niet besloten.") % {"doel": goal.titel}
        else:
            message = _("Besluit over “%(doel)s” opgeslagen.") % {"doel": goal.titel}
        return _saved(request, current, deel=deel, focus=f"#kop-{deel}", message=message)

    return _edit(request, current, edit, save, saved)


@login_required
def reflection_decision_clear(
    request: HtmxHttpRequest, slug: str, jaar: int, doel: int
) -> HttpResponse:
    current = _jaar(request, slug, jaar)
    goal = reflection.goal_of(current.reflectie, doel)
    besluit = reflection.decision_of(current.reflectie, goal)
    deel = f"doel-{goal.pk}"
    edit = Edit(
        _("Besluit over “%(doel)s” wissen") % {"doel": _goal_title(goal)},
        DeleteForm(),
        current.reverse("reflection_decision_clear", goal.pk),
        deel,
        deel,
        delete=True,
        submit=_("Ja, terug naar nog niet besloten"),
        details=[f"{besluit.get_besluit_display()}: {besluit.reden}"] if besluit else [],
    )

    def remove(versie: int | None) -> None:
        reflection.clear_decision(current.reflectie, request.user, goal, expected_versie=versie)

    def saved() -> HttpResponse:
        message = _("“%(doel)s”: nog niet besloten.") % {"doel": goal.titel}
        return _saved(request, current, deel=deel, focus=f"#kop-{deel}", message=message)

    return _delete(request, current, edit, besluit.versie if besluit else 0, remove, saved)


# -- trends ---------------------------------------------------------------------------------


def _trend_saved(request, current: Jaar, trend, changed: bool, new: bool) -> HttpResponse:
    if new:
        message = _("Trend “%(titel)s” toegevoegd.") % {"titel": trend.titel}
    else:
        message = _("Trend opgeslagen.") if changed else _("Niets gewijzigd.")
    if not request.htmx:
        messages.success(request, message)
        return redirect(current.url(f"trend-{trend.pk}"))
    return _saved(request, current, deel="trends", focus=f"#kop-trend-{trend.pk}", message=message)


@login_required
def reflection_trend_add(request: HtmxHttpRequest, slug: str, jaar: int) -> HttpResponse:
    current = _jaar(request, slug, jaar)
    edit = Edit(
        _("Trend of ontwikkeling toevoegen"),
        _form(TrendForm, request, "trend-nieuw"),
        current.reverse("reflection_trend_add"),
        "trend-nieuw",
        "trend-nieuw",
        submit=_("Trend toevoegen"),
    )

    def save(form: TrendForm):
        return reflection.save_trend(current.reflectie, request.user, **form.values())

    def saved(trend, changed: bool) -> HttpResponse:
        return _trend_saved(request, current, trend, changed, new=True)

    return _edit(request, current, edit, save, saved)


@login_required
def reflection_trend(request: HtmxHttpRequest, slug: str, jaar: int, pk: int) -> HttpResponse:
    current = _jaar(request, slug, jaar)
    trend = reflection.trend_of(current.reflectie, pk)
    edit = Edit(
        _("Trend wijzigen"),
        _form(TrendForm, request, f"trend-{pk}", TrendForm.initial_of(trend)),
        current.reverse("reflection_trend", pk),
        f"trend-{pk}",
        f"trend-{pk}",
        wrapper="li",
    )

    def save(form: TrendForm):
        return reflection.save_trend(
            current.reflectie, request.user, trend, expected_versie=form.versie, **form.values()
        )

    def saved(trend, changed: bool) -> HttpResponse:
        return _trend_saved(request, current, trend, changed, new=False)

    return _edit(request, current, edit, save, saved)


@login_required
def reflection_trend_delete(
    request: HtmxHttpRequest, slug: str, jaar: int, pk: int
) -> HttpResponse:
    current = _jaar(request, slug, jaar)
    trend = reflection.trend_of(current.reflectie, pk)
    edit = Edit(
        _("Trend verwijderen"),
        DeleteForm(),
        current.reverse("reflection_trend_delete", pk),
        f"trend-{pk}",
        f"trend-{pk}",
        wrapper="li",
        delete=True,
        details=[str(trend)],
    )

    def remove(versie: int | None) -> None:
        reflection.delete_trend(trend, request.user, expected_versie=versie)

    def saved() -> HttpResponse:
        message = _("Trend “%(titel)s” verwijderd.") % {"titel": trend.titel}
        if not request.htmx:
            messages.success(request, message)
            return redirect(current.url("trends"))
        return _saved(request, current, deel="trends", focus="#kop-trends", message=message)

    return _delete(request, current, edit, trend.versie, remove, saved)
