"""The eiland van reflectie: the years of a programme, one year's page, and editing it in place.

Everyone in the programme reads; the leader and team write (fasering.access.may_plan), never
in an archived programme. Each edit swaps one piece of the year's page with htmx: the form
replaces the piece, a save brings the piece back freshly rendered, with an event that moves
focus to it and announces the change. Without JavaScript every link opens the same form as a
page of its own, and every save posts and redirects back to the piece on the year's page.
Sessions, questions, contributions and trends share three views, told apart by `KINDS`.
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
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import retarget, trigger_client_event

from core.forms import show_errors
from core.htmx import HtmxHttpRequest
from fasering import reflection
from fasering.access import may_plan, require_plan
from fasering.models import Inbreng, Reflectie, Reflectiesessie, Reflectievraag
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


# -- sessions, questions, contributions and trends -------------------------------------------


def _session_details(sessie: Reflectiesessie) -> list[str]:
    vragen = sessie.vragen.count()
    if not vragen:
        return []
    inbreng = Inbreng.objects.filter(vraag__sessie=sessie).count()
    return [
        _("Met de sessie gaan ook haar %(v)s vragen en %(i)s keer inbreng weg.")
        % {"v": vragen, "i": inbreng}
    ]


def _question_details(vraag: Reflectievraag) -> list[str]:
    inbreng = vraag.inbreng.count()
    if not inbreng:
        return [vraag.tekst]
    return [vraag.tekst, _("Met de vraag gaat ook haar inbreng weg (%(n)s keer).") % {"n": inbreng}]


@dataclass(frozen=True)
class Kind:
    """One kind of thing people add to the year's page, and change and delete there in place.

    Its texts are formatted with what `words` says of it; `add_title` with what its parent's
    kind says of the parent.
    """

    name: str  # in element ids and form prefixes: "sessie-4", "sessie-nieuw", "vraag-nieuw-4"
    url: str  # in URL names: reflection_session_add, reflection_session, …_delete
    path: str  # in URLs: sessies/nieuw/, sessies/4/, sessies/4/verwijderen/
    up: str  # the kind a new one is added to, by its pk in the URL; "" for the reflection
    get: Callable[[Reflectie, int], Any]  # one of the reflection's, or 404
    form: type[forms.Form]
    save: Callable[..., tuple[Any, bool]]  # the service: reflection.save_sessie
    delete: Callable[..., None]  # reflection.delete_sessie
    add_title: Promise
    submit: Promise
    edit_title: Promise
    delete_title: Promise
    added: Promise
    saved: Promise
    deleted: Promise
    details: Callable[[Any], list[str]]  # what the delete confirmation names
    words: Callable[[Any], dict[str, Any]] = lambda obj: {}
    item: bool = False  # an <li> its forms replace whole; else its data, not what it holds
    heading: bool = True  # after a save focus goes to its heading, "kop-sessie-4"
    programma: bool = False  # its form chooses from the programme's groups
    list_after_edit: bool = False  # an edit brings back the list it stands in

    def own(self, obj: Any) -> str:
        """Its piece of the page: "sessie-4"."""
        return f"{self.name}-{obj.pk}"

    def section(self, obj: Any) -> str:
        """The piece listing it: "sessies" (the page's lists), or its session's "sessie-4"."""
        return f"{self.up}-{getattr(obj, f'{self.up}_id')}" if self.up else f"{self.name}s"

    def edit(
        self, current: Jaar, obj: Any, title: Promise, form: forms.Form, url: str, **kw: Any
    ) -> Edit:
        """The edit or delete form of `obj` (posting to the view named `url`) in its place."""
        own = self.own(obj)
        target, wrapper = (own, "li") if self.item else (f"{own}-gegevens", "div")
        action = current.reverse(url, obj.pk)
        return Edit(title % self.words(obj), form, action, target, own, wrapper, **kw)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "sessie",
            "session",
            "sessies",
            "",
            reflection.sessie_of,
            SessieForm,
            reflection.save_sessie,
            reflection.delete_sessie,
            add_title=gettext_lazy("Sessie toevoegen"),
            submit=gettext_lazy("Sessie toevoegen"),
            edit_title=gettext_lazy("Sessie met %(wie)s wijzigen"),
            delete_title=gettext_lazy("Sessie met %(wie)s verwijderen"),
            added=gettext_lazy("Sessie met %(wie)s toegevoegd."),
            saved=gettext_lazy("Sessie opgeslagen."),
            deleted=gettext_lazy("Sessie met %(wie)s verwijderd."),
            details=_session_details,
            words=lambda sessie: {"wie": sessie.deelnemers},
            programma=True,
        ),
        Kind(
            "vraag",
            "question",
            "vragen",
            "sessie",
            reflection.vraag_of,
            VraagForm,
            reflection.save_vraag,
            reflection.delete_vraag,
            add_title=gettext_lazy("Vraag toevoegen aan de sessie met %(wie)s"),
            submit=gettext_lazy("Vraag toevoegen"),
            edit_title=gettext_lazy("Vraag wijzigen"),
            delete_title=gettext_lazy("Vraag verwijderen"),
            added=gettext_lazy("Vraag toegevoegd."),
            saved=gettext_lazy("Vraag opgeslagen."),
            deleted=gettext_lazy("Vraag verwijderd."),
            details=_question_details,
            words=lambda vraag: {"vraag": vraag},
        ),
        Kind(
            "inbreng",
            "contribution",
            "inbreng",
            "vraag",
            reflection.inbreng_of,
            InbrengForm,
            reflection.save_inbreng,
            reflection.delete_inbreng,
            add_title=gettext_lazy("Inbreng toevoegen bij “%(vraag)s”"),
            submit=gettext_lazy("Inbreng toevoegen"),
            edit_title=gettext_lazy("Inbreng wijzigen"),
            delete_title=gettext_lazy("Inbreng verwijderen"),
            added=gettext_lazy("Inbreng toegevoegd."),
            saved=gettext_lazy("Inbreng opgeslagen."),
            deleted=gettext_lazy("Inbreng verwijderd."),
            details=lambda inbreng: [inbreng.tekst],
            item=True,
            heading=False,
        ),
        Kind(
            "trend",
            "trend",
            "trends",
            "",
            reflection.trend_of,
            TrendForm,
            reflection.save_trend,
            reflection.delete_trend,
            add_title=gettext_lazy("Trend of ontwikkeling toevoegen"),
            submit=gettext_lazy("Trend toevoegen"),
            edit_title=gettext_lazy("Trend wijzigen"),
            delete_title=gettext_lazy("Trend verwijderen"),
            added=gettext_lazy("Trend “%(titel)s” toegevoegd."),
            saved=gettext_lazy("Trend opgeslagen."),
            deleted=gettext_lazy("Trend “%(titel)s” verwijderd."),
            details=lambda trend: [str(trend)],
            words=lambda trend: {"titel": trend.titel},
            item=True,
            list_after_edit=True,
        ),
    )
}


def _kind_form(kind: Kind, request: HtmxHttpRequest, current: Jaar, prefix: str, obj=None):
    extra = {"programma": current.access.programma} if kind.programma else {}
    initial = kind.form.initial_of(obj) if obj is not None else None
    return _form(kind.form, request, prefix, initial, **extra)


def _put(request: HtmxHttpRequest, current: Jaar, kind: Kind, obj, changed: bool, new: bool):
    """After an add or edit: its list or itself again (htmx), or back to it on the page."""
    own = kind.own(obj)
    if new:
        message, deel = kind.added % kind.words(obj), kind.section(obj)
    else:
        message = kind.saved % kind.words(obj) if changed else _("Niets gewijzigd.")
        deel = kind.section(obj) if kind.list_after_edit else own
    if not request.htmx:
        messages.success(request, message)
        return redirect(current.url(own))
    focus = f"#kop-{own}" if kind.heading else f"#{own}"
    return _saved(request, current, deel=deel, focus=focus, message=message)


@login_required
def reflection_add(
    request: HtmxHttpRequest, slug: str, jaar: int, kind: Kind, pk: int | None = None
) -> HttpResponse:
    """A new one of `kind`: in the reflection, or in the session or question `pk`."""
    current = _jaar(request, slug, jaar)
    if kind.up:
        up = KINDS[kind.up]
        parent = up.get(current.reflectie, pk)
        target, words, args = f"{kind.name}-nieuw-{pk}", up.words(parent), [pk]
    else:
        parent, target, words, args = current.reflectie, f"{kind.name}-nieuw", {}, []
    edit = Edit(
        kind.add_title % words,
        _kind_form(kind, request, current, target),
        current.reverse(f"reflection_{kind.url}_add", *args),
        target,
        target,
        submit=str(kind.submit),
    )
    return _edit(
        request,
        current,
        edit,
        lambda form: kind.save(parent, request.user, **form.values()),
        lambda added, changed: _put(request, current, kind, added, changed, new=True),
    )


@login_required
def reflection_change(
    request: HtmxHttpRequest, slug: str, jaar: int, pk: int, kind: Kind
) -> HttpResponse:
    """Changing the one of `kind` with `pk`, version-checked."""
    current = _jaar(request, slug, jaar)
    obj = kind.get(current.reflectie, pk)
    form = _kind_form(kind, request, current, kind.own(obj), obj)
    edit = kind.edit(current, obj, kind.edit_title, form, f"reflection_{kind.url}")

    def save(form: Any) -> tuple[Any, bool]:
        # A question belongs to its session, a contribution to its question.
        parent = getattr(obj, kind.up) if kind.up else current.reflectie
        return kind.save(parent, request.user, obj, expected_versie=form.versie, **form.values())

    return _edit(
        request,
        current,
        edit,
        save,
        lambda saved, changed: _put(request, current, kind, saved, changed, new=False),
    )


@login_required
def reflection_remove(
    request: HtmxHttpRequest, slug: str, jaar: int, pk: int, kind: Kind
) -> HttpResponse:
    """Deleting the one of `kind` with `pk` (with what it holds), after confirming."""
    current = _jaar(request, slug, jaar)
    obj = kind.get(current.reflectie, pk)
    edit = kind.edit(
        current,
        obj,
        kind.delete_title,
        DeleteForm(),
        f"reflection_{kind.url}_delete",
        delete=True,
        details=kind.details(obj),
    )

    def removed() -> HttpResponse:
        deel = kind.section(obj)  # the list it stood in
        message = kind.deleted % kind.words(obj)
        return _saved(request, current, deel=deel, focus=f"#kop-{deel}", message=message)

    return _delete(
        request,
        current,
        edit,
        obj.versie,
        lambda versie: kind.delete(obj, request.user, expected_versie=versie),
        removed,
    )


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
