"""Download the goal tree as "inspanningen op een rij" (.xlsx) and upload it back.

The import is two plain form posts: the upload is validated and previewed; the confirmation
applies exactly that preview. Between the two, the parsed rows wait in the user's session
under a random token, with the file's hash and the preview's fingerprint. On confirmation
the rows are validated again against the current database; if the outcome differs from
what was previewed, the new preview is shown instead of writing anything.
"""

import hashlib
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from avk import excel
from avk.http import HtmxHttpRequest
from doelenboom import sheets
from programmes.access import ProgrammaAccess, programma_access, require_edit

_SESSION_PREFIX = "doelenboom-import"


class UploadForm(forms.Form):
    bestand = forms.FileField(
        label=gettext_lazy("Excel-bestand (.xlsx)"),
        help_text=gettext_lazy("Hoogstens 5 MB. Alleen het blad 'Inspanningen' wordt gelezen."),
        error_messages={"required": gettext_lazy("Kies een Excel-bestand om te uploaden.")},
    )


def _session_key(access: ProgrammaAccess) -> str:
    return f"{_SESSION_PREFIX}-{access.programma.pk}"


@login_required
@require_GET
def export_tree(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    response = HttpResponse(
        sheets.export_workbook(access.programma), content_type=excel.XLSX_CONTENT_TYPE
    )
    filename = sheets.export_filename(access.programma)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _render(
    request: HtmxHttpRequest,
    access: ProgrammaAccess,
    *,
    form: UploadForm | None = None,
    plan: sheets.ImportPlan | None = None,
    errors: list[str] | None = None,
    token: str = "",
    sha256: str = "",
    changed_since: bool = False,
) -> HttpResponse:
    context = {
        "access": access,
        "programma": access.programma,
        "form": form or UploadForm(),
        "plan": plan,
        "errors": errors or (plan.errors if plan else []),
        "token": token,
        "sha256": sha256,
        "changed_since": changed_since,
    }
    return render(request, "doelenboom/sheet_import.html", context)


def _preview(
    request: HtmxHttpRequest, access: ProgrammaAccess, upload: UploadedFile
) -> HttpResponse:
    try:
        excel.check_size(upload.size)
        data = upload.read()
        parsed = sheets.parse_sheet(data)
    except excel.ExcelError as error:
        return _render(request, access, errors=error.messages)
    plan = sheets.plan_import(access.programma, parsed)
    if not plan.has_changes:
        request.session.pop(_session_key(access), None)
        return _render(request, access, plan=plan)
    token = secrets.token_urlsafe(16)
    sha256 = hashlib.sha256(data).hexdigest()
    request.session[_session_key(access)] = {
        "token": token,
        "sha256": sha256,
        "sheet": parsed.to_json(),
        "digest": plan.digest,
    }
    return _render(request, access, plan=plan, token=token, sha256=sha256)


def _apply(request: HtmxHttpRequest, access: ProgrammaAccess) -> HttpResponse:
    stored = request.session.get(_session_key(access))
    if (
        not stored
        or not secrets.compare_digest(stored["token"], request.POST.get("token", ""))
        or not secrets.compare_digest(stored["sha256"], request.POST.get("sha256", ""))
    ):
        return _render(
            request,
            access,
            errors=[_("Deze voorvertoning is verlopen of vervangen. Upload het bestand opnieuw.")],
        )
    parsed = sheets.ParsedSheet.from_json(stored["sheet"])
    try:
        plan = sheets.apply_import(access.programma, parsed, expected_digest=stored["digest"])
    except sheets.PlanChanged as changed:
        plan = changed.plan
        if not plan.has_changes:
            request.session.pop(_session_key(access), None)
            return _render(request, access, plan=plan, changed_since=True)
        stored = {**stored, "token": secrets.token_urlsafe(16), "digest": plan.digest}
        request.session[_session_key(access)] = stored
        return _render(
            request,
            access,
            plan=plan,
            token=stored["token"],
            sha256=stored["sha256"],
            changed_since=True,
        )
    request.session.pop(_session_key(access), None)
    messages.success(
        request,
        _(
            "Excel-import doorgevoerd: %(nieuw)d toegevoegd, %(gewijzigd)d gewijzigd, "
            "%(ongewijzigd)d ongewijzigd."
        )
        % {"nieuw": plan.new, "gewijzigd": plan.changed, "ongewijzigd": plan.unchanged},
    )
    return redirect(reverse("doelenboom:tree", args=[access.programma.slug]))


@login_required
def import_tree(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    access = programma_access(request, slug)
    require_edit(access)
    if request.method != "POST":
        return _render(request, access)
    if "token" in request.POST:
        return _apply(request, access)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, access, form=form)
    return _preview(request, access, form.cleaned_data["bestand"])
