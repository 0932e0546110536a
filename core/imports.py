"""The pipeline every spreadsheet upload goes through: goal tree, budget, indicators, surveys.

An import is three steps, whatever it imports:

1. `parse_sheet` reads the upload into plain text per column, mapping the header row onto the
   import's `SheetLayout`. The result is JSON-safe, so it can wait in the session between the
   preview and the confirmation.
2. The import's own `plan` validates every row and computes an `ImportPlan`: what each row
   would do, with the changes field by field, or the errors by sheet, row and cell. Nothing
   is written.
3. `apply_plan` plans again under the import's locks and writes only when the outcome is
   exactly the previewed one (`ImportPlan.digest`); otherwise it raises `PlanChanged` with
   the new plan, and nothing is written. One upload is one transaction.

`run_import` is the page behaviour on top: upload, preview, confirm or show the new preview.
What differs per import is an `Importer`: its layout, its row checks and its writes.
"""

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import excel
from core.history import FieldChange

# -- the layout of a sheet ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class SheetLayout:
    """The sheet an import reads (by title, else the first) and its columns, all required."""

    title: str
    columns: tuple[Column, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def widths(self) -> list[int | None]:
        return [c.width for c in self.columns]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


# -- step 1: parsing ------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedSheet:
    """The upload as plain text per column: what the preview and the confirmation share.

    `columns` maps a column key to its 1-based position in the file; `rows` holds
    (row number, {key: text}). `errors` are problems with the header row.
    """

    title: str
    columns: dict[str, int]
    rows: list[tuple[int, dict[str, str]]]
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "ParsedSheet":
        data = json.loads(text)
        return cls(
            title=data["title"],
            columns={k: int(v) for k, v in data["columns"].items()},
            rows=[(int(n), dict(values)) for n, values in data["rows"]],
            errors=list(data["errors"]),
        )


def header_key(text: str) -> str:
    """A header or name as compared: inner spacing collapsed, case folded."""
    return " ".join(text.split()).casefold()


def parse_sheet(data: bytes, layout: SheetLayout) -> ParsedSheet:
    """Read the layout's sheet of an upload (or its first sheet) and map the columns.

    Raises excel.ExcelError when the file itself is refused (not an .xlsx, too large, a zip
    bomb, damaged). Unknown, doubled or missing columns come back in `errors`, naming the
    expected ones; columns may stand in any order.
    """
    sheet = excel.read_sheet(data, title=layout.title)
    expected = ", ".join(layout.headers)
    if not sheet.rows:
        return ParsedSheet(
            sheet.title,
            {},
            [],
            [
                _("Blad '%(blad)s' is leeg. Verwacht een kopregel met de kolommen %(kolommen)s.")
                % {"blad": sheet.title, "kolommen": expected}
            ],
        )
    header_row, header = sheet.rows[0]
    by_header = {header_key(c.header): c for c in layout.columns}
    columns: dict[str, int] = {}
    errors: list[str] = []
    for position, value in enumerate(header, start=1):
        name = excel.cell_text(value)
        if not name:
            continue
        column = by_header.get(header_key(name))
        where = excel.location(sheet.title, header_row, position)
        if column is None:
            errors.append(
                _("%(waar)s: kolom '%(naam)s' is onbekend. Verwachte kolommen: %(kolommen)s.")
                % {"waar": where, "naam": name, "kolommen": expected}
            )
        elif column.key in columns:
            errors.append(
                _("%(waar)s: kolom '%(naam)s' staat er twee keer.") % {"waar": where, "naam": name}
            )
        else:
            columns[column.key] = position
    missing = [c.header for c in layout.columns if c.key not in columns]
    if missing:
        errors.append(
            ngettext(
                "%(waar)s: kolom %(ontbreekt)s ontbreekt. Verwachte kolommen: %(kolommen)s.",
                "%(waar)s: kolommen %(ontbreekt)s ontbreken. Verwachte kolommen: %(kolommen)s.",
                len(missing),
            )
            % {
                "waar": excel.location(sheet.title, header_row),
                "ontbreekt": ", ".join(f"'{m}'" for m in missing),
                "kolommen": expected,
            }
        )
    rows = []
    for number, values in sheet.rows[1:]:
        texts = {
            key: excel.cell_text(values[position - 1]) if position <= len(values) else ""
            for key, position in columns.items()
        }
        if any(texts.values()):
            rows.append((number, texts))
    return ParsedSheet(sheet.title, columns, rows, errors)


# -- step 2: checking rows and planning ------------------------------------------------------


def shorten(text: str, limit: int = 80) -> str:
    """User text quoted in a message, cut so that one bad cell cannot flood the page."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RowChecker:
    """Validates one row at a time, collecting every error with sheet, row and cell."""

    def __init__(self, sheet: ParsedSheet) -> None:
        self.sheet = sheet
        self.errors: list[str] = []
        self.row = 0

    def error(self, key: str, message: str) -> None:
        where = excel.location(self.sheet.title, self.row, self.sheet.columns[key])
        self.errors.append(f"{where}: {message}")

    def text(self, values: dict[str, str], column: Column) -> str:
        """The cell's text, with an error when it is longer than the column allows."""
        value = values.get(column.key, "")
        if column.max_length and len(value) > column.max_length:
            self.error(
                column.key,
                _("de tekst is %(n)d tekens lang; in kolom '%(kolom)s' passen er %(max)d.")
                % {"n": len(value), "kolom": column.header, "max": column.max_length},
            )
        return value


NEW, CHANGED, UNCHANGED = "nieuw", "gewijzigd", "ongewijzigd"


@dataclass(frozen=True)
class RowChange:
    """What the import does with one row of the sheet.

    `values` is the import's own (dataclass) description of the row after the import;
    `code` and `subject` say which record the row is, as the preview shows it.
    """

    row: int
    action: str  # NEW, CHANGED or UNCHANGED
    values: Any
    code: str = ""
    subject: str = ""
    changes: tuple[FieldChange, ...] = ()
    target_id: int | None = None
    versie: int | None = None

    @property
    def action_label(self) -> str:
        return {NEW: _("nieuw"), CHANGED: _("gewijzigd"), UNCHANGED: _("ongewijzigd")}[self.action]


@dataclass
class ImportPlan:
    sheet: str
    errors: list[str] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)
    untouched: list[str] = field(default_factory=list)

    def _count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def new(self) -> int:
        return self._count(NEW)

    @property
    def changed(self) -> int:
        return self._count(CHANGED)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    @property
    def has_changes(self) -> bool:
        return not self.errors and (self.new + self.changed) > 0

    @property
    def digest(self) -> str:
        """A fingerprint of exactly what would be written, and of what it would overwrite."""
        payload = [
            [
                r.row,
                r.action,
                r.target_id,
                r.versie,
                asdict(r.values),
                [asdict(c) for c in r.changes],
            ]
            for r in self.rows
            if r.action != UNCHANGED
        ]
        payload.append(self.errors)
        text = json.dumps(payload, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


# -- step 3: applying -----------------------------------------------------------------------


class PlanChanged(Exception):
    """The data changed since the preview: `plan` is the new preview (or its errors)."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__("import plan changed")
        self.plan = plan


def apply_plan[C](
    replan: Callable[[], tuple[ImportPlan, C]],
    write: Callable[[ImportPlan, C], None],
    *,
    expected_digest: str,
) -> ImportPlan:
    """Plan again and write, in one transaction, only if the plan is the previewed one.

    `replan` takes the import's locks and returns the plan with whatever `write` needs
    (loaded records). Raises PlanChanged, writing nothing, when the plan has errors or differs
    from `expected_digest`; a failure inside `write` rolls everything back.
    """
    with transaction.atomic():
        plan, context = replan()
        if plan.errors or plan.digest != expected_digest:
            raise PlanChanged(plan)
        write(plan, context)
    return plan


# -- the page: upload, preview, confirm -----------------------------------------------------


class Importer(Protocol):
    """One kind of import, bound to what it imports into (e.g. a programme)."""

    layout: SheetLayout
    session_key: str  # unique per import and target, e.g. "doelenboom-import-3"

    def plan(self, sheet: ParsedSheet) -> ImportPlan: ...

    def apply(self, sheet: ParsedSheet, *, expected_digest: str) -> ImportPlan: ...


class UploadForm(forms.Form):
    bestand = forms.FileField(
        label=gettext_lazy("Excel-bestand (.xlsx)"),
        error_messages={"required": gettext_lazy("Kies een Excel-bestand om te uploaden.")},
    )

    def __init__(self, *args: Any, sheet_title: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bestand"].help_text = _(
            "Hoogstens %(max)d MB. Alleen het blad '%(blad)s' wordt gelezen."
        ) % {"max": excel.MAX_UPLOAD_BYTES // 1024 // 1024, "blad": sheet_title}


@dataclass
class ImportPage:
    """What the import page shows: the form, a preview or errors, and the confirm token."""

    form: UploadForm
    plan: ImportPlan | None = None
    errors: list[str] = field(default_factory=list)
    token: str = ""
    sha256: str = ""
    changed_since: bool = False


def _stash(request: HttpRequest, importer: Importer, stored: dict[str, str]) -> ImportPage:
    request.session[importer.session_key] = stored
    return ImportPage(
        form=UploadForm(sheet_title=importer.layout.title),
        token=stored["token"],
        sha256=stored["sha256"],
    )


def _preview(request: HttpRequest, importer: Importer, upload: UploadedFile) -> ImportPage:
    page = ImportPage(form=UploadForm(sheet_title=importer.layout.title))
    try:
        excel.check_size(upload.size)
        data = upload.read()
        parsed = parse_sheet(data, importer.layout)
    except excel.ExcelError as error:
        page.errors = error.messages
        return page
    plan = importer.plan(parsed)
    if not plan.has_changes:
        request.session.pop(importer.session_key, None)
        page.plan, page.errors = plan, plan.errors
        return page
    stored = {
        "token": secrets.token_urlsafe(16),
        "sha256": hashlib.sha256(data).hexdigest(),
        "sheet": parsed.to_json(),
        "digest": plan.digest,
    }
    page = _stash(request, importer, stored)
    page.plan = plan
    return page


def _confirm(request: HttpRequest, importer: Importer) -> ImportPage | ImportPlan:
    """Apply the stored preview; the applied plan, or the page to show instead."""
    stored = request.session.get(importer.session_key)
    if (
        not stored
        or not secrets.compare_digest(stored["token"], request.POST.get("token", ""))
        or not secrets.compare_digest(stored["sha256"], request.POST.get("sha256", ""))
    ):
        return ImportPage(
            form=UploadForm(sheet_title=importer.layout.title),
            errors=[_("Deze voorvertoning is verlopen of vervangen. Upload het bestand opnieuw.")],
        )
    parsed = ParsedSheet.from_json(stored["sheet"])
    try:
        plan = importer.apply(parsed, expected_digest=stored["digest"])
    except PlanChanged as changed:
        plan = changed.plan
        if not plan.has_changes:
            request.session.pop(importer.session_key, None)
            return ImportPage(
                form=UploadForm(sheet_title=importer.layout.title),
                plan=plan,
                errors=plan.errors,
                changed_since=True,
            )
        page = _stash(
            request,
            importer,
            {**stored, "token": secrets.token_urlsafe(16), "digest": plan.digest},
        )
        page.plan, page.changed_since = plan, True
        return page
    request.session.pop(importer.session_key, None)
    return plan


def run_import(
    request: HttpRequest,
    importer: Importer,
    *,
    render_page: Callable[[ImportPage], HttpResponse],
    done_url: str,
) -> HttpResponse:
    """The import page's behaviour, the same for every import.

    GET shows the upload form. A posted file is checked and previewed; the preview waits in
    the session under a random token with the file's hash. A posted token applies exactly that
    preview, or shows the new preview when the data changed meanwhile. After applying, a
    message counts what changed and the user goes to `done_url`.
    """
    if request.method != "POST":
        return render_page(ImportPage(form=UploadForm(sheet_title=importer.layout.title)))
    if "token" in request.POST:
        outcome = _confirm(request, importer)
        if isinstance(outcome, ImportPage):
            return render_page(outcome)
        messages.success(
            request,
            _(
                "Excel-import doorgevoerd: %(nieuw)d toegevoegd, %(gewijzigd)d gewijzigd, "
                "%(ongewijzigd)d ongewijzigd."
            )
            % {
                "nieuw": outcome.new,
                "gewijzigd": outcome.changed,
                "ongewijzigd": outcome.unchanged,
            },
        )
        return redirect(done_url)
    form = UploadForm(request.POST, request.FILES, sheet_title=importer.layout.title)
    if not form.is_valid():
        return render_page(ImportPage(form=form))
    return render_page(_preview(request, importer, form.cleaned_data["bestand"]))
