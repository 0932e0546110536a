"""The pipeline every spreadsheet upload goes through: goal tree, budget, indicators, surveys.

An import is three steps, whatever it imports:

1. `parse_sheet` reads the upload into plain text per column, mapping the header row onto the
   import's `SheetLayout`. The result is JSON-safe, so it can wait in the session between the
   preview and the confirmation.
2. The import's own `plan` validates every row and computes an `ImportPlan`: what each row
   would do, with the changes field by field, or the errors by sheet, row and cell. Nothing
   is written. Problems that a choice can fix (a goal or partner the sheet names that does
   not exist yet) are not errors: they come back grouped (`ProblemGroup`), each group with the
   `Choice`s that let the import create what is missing. The answers travel with the plan.
3. `apply_plan` plans again under the import's locks, with the same answers, and writes only
   when the outcome is exactly the previewed one (`ImportPlan.digest`, which covers the rows,
   what the import creates and the answers); otherwise it raises `PlanChanged` with the new
   plan, and nothing is written. One upload is one transaction.

`run_import` is the page behaviour on top: upload, preview, check the choices, confirm or show
the new preview. What differs per import is an `Importer`: its layout, its row checks, its
choices and its writes.
"""

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import excel
from core.history import FieldChange

# The preview lists this many errors at most and counts the rest: a sheet with a wrong column
# order can produce thousands, and nobody reads past the first screen.
MAX_LISTED_ERRORS = 50

# Form fields whose name starts with this are the preview's choices.
CHOICE_PREFIX = "keuze-"

# -- the layout of a sheet ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a sheet. `aliases` are other headers that name it (e.g. a programme's own
    word for a level); an optional column may be left out of the sheet."""

    key: str
    header: str
    width: int | None = None
    max_length: int | None = None
    required: bool = True
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class SheetLayout:
    """The sheet an import reads (by title, else the first) and its columns."""

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


def _expected(layout: SheetLayout) -> str:
    required = ", ".join(c.header for c in layout.columns if c.required)
    optional = ", ".join(c.header for c in layout.columns if not c.required)
    if not optional:
        return required
    return _("%(verplicht)s; optioneel: %(optioneel)s") % {
        "verplicht": required,
        "optioneel": optional,
    }


def parse_sheet(data: bytes, layout: SheetLayout) -> ParsedSheet:
    """Read the layout's sheet of an upload (or its first sheet) and map the columns.

    Raises excel.ExcelError when the file itself is refused (not an .xlsx, too large, a zip
    bomb, damaged). Unknown, doubled or missing required columns come back in `errors`,
    naming the expected ones; columns may stand in any order.
    """
    sheet = excel.read_sheet(data, title=layout.title)
    expected = _expected(layout)
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
    by_header = {
        header_key(name): c for c in layout.columns for name in (*c.aliases, c.header) if name
    }
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
    missing = [c.header for c in layout.columns if c.required and c.key not in columns]
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


def row_ranges(rows: Iterable[int], *, limit: int = 8) -> str:
    """Row numbers as people read them: "rij 4", "rijen 2-40", "rijen 2-5, 7, 9-12"
    (with en dashes)."""
    numbers = sorted(set(rows))
    spans: list[tuple[int, int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], n)
        else:
            spans.append((n, n))
    parts = [str(a) if a == b else f"{a}\N{EN DASH}{b}" for a, b in spans[:limit]]
    text = ", ".join(parts) + (", …" if len(spans) > limit else "")
    if len(numbers) == 1:
        return _("rij %(rijen)s") % {"rijen": text}
    return _("rijen %(rijen)s") % {"rijen": text}


class RowChecker:
    """Validates one row at a time, collecting every error with sheet, row and cell."""

    def __init__(self, sheet: ParsedSheet) -> None:
        self.sheet = sheet
        self.errors: list[str] = []
        self.row = 0

    def where(self, key: str, row: int | None = None) -> str:
        row = self.row if row is None else row
        return excel.location(self.sheet.title, row, self.sheet.columns[key])

    def error(self, key: str, message: str) -> None:
        self.errors.append(f"{self.where(key)}: {message}")

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
class ListChange:
    """A list field (partners, say) changed item by item, one line per item:
    "Hanzehogeschool: betrokken → kennispartner", "+ GGD (trekker)", "- Leger des Heils"."""

    label: str
    lines: tuple[str, ...]


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
    changes: tuple[FieldChange | ListChange, ...] = ()
    target_id: int | None = None
    versie: int | None = None

    @property
    def action_label(self) -> str:
        return {NEW: _("nieuw"), CHANGED: _("gewijzigd"), UNCHANGED: _("ongewijzigd")}[self.action]


@dataclass(frozen=True)
class Choice:
    """A question the preview asks; its answer is a form field that travels with the plan.

    `kind` is "select", "radio" or "text"; `options` are (value, label) pairs. `name` (which
    starts with CHOICE_PREFIX) is the field's name and, for a select or text box, its id.
    `errors` say why the answer does not do yet.
    """

    name: str
    label: str
    kind: str = "select"
    options: tuple[tuple[str, str], ...] = ()
    value: str = ""
    errors: tuple[str, ...] = ()
    help: str = ""
    max_length: int | None = None

    @property
    def anchor(self) -> str:
        """The id the error summary links to: the field, or a radio group's first button."""
        return f"{self.name}-0" if self.kind == "radio" else self.name


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass
class ProblemGroup:
    """Rows with the same problem, told once, with the choices that let the import fix it:
    "12 doelen bestaan nog niet (rijen 2-40)" and where to create them."""

    key: str
    title: str
    help: str = ""
    table: Table | None = None
    choices: list[Choice] = field(default_factory=list)
    resolved: bool = False


@dataclass
class ImportPlan:
    """What an import would do. `creations` are the records it makes before the rows (their
    own dataclasses), `answers` the choices it was planned with (defaults included) and
    `created` a short Dutch count of the creations for the message after applying."""

    sheet: str
    errors: list[str] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)
    untouched: list[str] = field(default_factory=list)
    groups: list[ProblemGroup] = field(default_factory=list)
    creations: list[Any] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)

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
    def changed_rows(self) -> list[RowChange]:
        """The rows the preview lists: unchanged rows are only counted."""
        return [r for r in self.rows if r.action != UNCHANGED]

    @property
    def choice_errors(self) -> list[tuple[Choice, str]]:
        return [(c, e) for g in self.groups for c in g.choices for e in c.errors]

    @property
    def ready(self) -> bool:
        """No errors, and every group's choices answered: the plan can be applied."""
        return not self.errors and all(g.resolved for g in self.groups)

    @property
    def would_change(self) -> bool:
        return bool(self.new or self.changed or self.creations or self.groups)

    @property
    def has_changes(self) -> bool:
        return self.ready and self.would_change

    @property
    def digest(self) -> str:
        """A fingerprint of exactly what would be written, what it would overwrite, and the
        choices it was planned with."""
        payload: list[Any] = [
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
        payload.append([[type(c).__name__, asdict(c)] for c in self.creations])
        payload.append(self.answers)
        payload.append(self.errors)
        text = json.dumps(payload, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


# -- step 3: applying -----------------------------------------------------------------------


class PlanChanged(Exception):
    """The data or the choices changed since the preview: `plan` is the new preview."""

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
    (loaded records). Raises PlanChanged, writing nothing, when the plan has errors or open
    choices or differs from `expected_digest`; a failure inside `write` (a ValidationError
    naming the row) rolls everything back.
    """
    with transaction.atomic():
        plan, context = replan()
        if not plan.ready or plan.digest != expected_digest:
            raise PlanChanged(plan)
        write(plan, context)
    return plan


# -- the page: upload, preview, choices, confirm ----------------------------------------------


class Importer(Protocol):
    """One kind of import, bound to what it imports into (e.g. a programme).

    `choices` are the preview's answers as posted, or None for the first preview (which
    proposes defaults and does not yet complain about unanswered questions).
    """

    layout: SheetLayout
    session_key: str  # unique per import and target, e.g. "doelenboom-import-3"

    def plan(self, sheet: ParsedSheet, choices: Mapping[str, str] | None = None) -> ImportPlan: ...

    def apply(
        self, sheet: ParsedSheet, choices: Mapping[str, str] | None, *, expected_digest: str
    ) -> ImportPlan: ...


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
    changed_choices: bool = False
    checked: bool = False  # the choices were just checked (focus goes to what they did)

    @property
    def listed_errors(self) -> list[str]:
        return self.errors[:MAX_LISTED_ERRORS]

    @property
    def unlisted_errors(self) -> int:
        return max(0, len(self.errors) - MAX_LISTED_ERRORS)


CHECK = "controleren"  # the value of the "stap" button that checks choices without applying


def posted_choices(data: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(data.get(k, "")) for k in data if k.startswith(CHOICE_PREFIX)}


def _same_answers(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    """Equal answers; an empty field and a field not posted (no radio chosen) are the same."""
    return {k: v.strip() for k, v in a.items() if v.strip()} == {
        k: v.strip() for k, v in b.items() if v.strip()
    }


def _upload_form(importer: Importer) -> UploadForm:
    return UploadForm(sheet_title=importer.layout.title)


def _stash(
    request: HttpRequest, importer: Importer, stored: dict[str, Any], plan: ImportPlan
) -> ImportPage:
    """Keep the preview in the session under a fresh token; the page that shows it."""
    stored = {
        **stored,
        "token": secrets.token_urlsafe(16),
        "digest": plan.digest,
        "choices": plan.answers,
    }
    request.session[importer.session_key] = stored
    return ImportPage(
        form=_upload_form(importer), plan=plan, token=stored["token"], sha256=stored["sha256"]
    )


def _show(
    request: HttpRequest, importer: Importer, stored: dict[str, Any], plan: ImportPlan
) -> ImportPage:
    """The page for a plan: kept for confirmation while it has something to do."""
    if plan.errors or not plan.would_change:
        request.session.pop(importer.session_key, None)
        return ImportPage(form=_upload_form(importer), plan=plan, errors=plan.errors)
    return _stash(request, importer, stored, plan)


def _preview(request: HttpRequest, importer: Importer, upload: UploadedFile) -> ImportPage:
    page = ImportPage(form=_upload_form(importer))
    try:
        excel.check_size(upload.size)
        data = upload.read()
        parsed = parse_sheet(data, importer.layout)
    except excel.ExcelError as error:
        page.errors = error.messages
        return page
    stored = {"sha256": hashlib.sha256(data).hexdigest(), "sheet": parsed.to_json()}
    return _show(request, importer, stored, importer.plan(parsed))


def _stored(request: HttpRequest, importer: Importer) -> dict[str, Any] | None:
    """The previewed upload the posted token and hash refer to, if it is still there."""
    stored = request.session.get(importer.session_key)
    if (
        not stored
        or not secrets.compare_digest(stored["token"], request.POST.get("token", ""))
        or not secrets.compare_digest(stored["sha256"], request.POST.get("sha256", ""))
    ):
        return None
    return stored


def _check(request: HttpRequest, importer: Importer, stored: dict[str, Any]) -> ImportPage:
    """Plan again with the posted choices, writing nothing: the preview of those choices."""
    plan = importer.plan(ParsedSheet.from_json(stored["sheet"]), posted_choices(request.POST))
    page = _show(request, importer, stored, plan)
    page.checked = True
    return page


def _confirm(
    request: HttpRequest, importer: Importer, stored: dict[str, Any]
) -> ImportPage | ImportPlan:
    """Apply the stored preview; the applied plan, or the page to show instead."""
    choices = posted_choices(request.POST)
    parsed = ParsedSheet.from_json(stored["sheet"])
    try:
        plan = importer.apply(parsed, choices, expected_digest=stored["digest"])
    except PlanChanged as changed:
        page = _show(request, importer, stored, changed.plan)
        if _same_answers(choices, stored.get("choices", {})):
            page.changed_since = True
        else:
            page.changed_choices = True
        return page
    except ValidationError as failed:
        request.session.pop(importer.session_key, None)
        return ImportPage(form=_upload_form(importer), errors=failed.messages)
    request.session.pop(importer.session_key, None)
    return plan


def _done_message(plan: ImportPlan) -> str:
    text = _(
        "Excel-import doorgevoerd: %(nieuw)d toegevoegd, %(gewijzigd)d gewijzigd, "
        "%(ongewijzigd)d ongewijzigd."
    ) % {"nieuw": plan.new, "gewijzigd": plan.changed, "ongewijzigd": plan.unchanged}
    if plan.created:
        text += " " + _("Aangemaakt: %(wat)s.") % {"wat": ", ".join(plan.created)}
    return text


def run_import(
    request: HttpRequest,
    importer: Importer,
    *,
    render_page: Callable[[ImportPage], HttpResponse],
    done_url: str,
) -> HttpResponse:
    """The import page's behaviour, the same for every import.

    GET shows the upload form. A posted file is checked and previewed; the preview waits in
    the session under a random token with the file's hash and the proposed choices. A posted
    token with "stap=controleren" previews the posted choices; without it, applies exactly
    the stored preview with the posted choices, or shows the new preview when the data or the
    choices changed meanwhile. After applying, a message counts what changed and the user
    goes to `done_url`.
    """
    if request.method != "POST":
        return render_page(ImportPage(form=_upload_form(importer)))
    if "token" in request.POST:
        stored = _stored(request, importer)
        if stored is None:
            expired = _("Deze voorvertoning is verlopen of vervangen. Upload het bestand opnieuw.")
            return render_page(ImportPage(form=_upload_form(importer), errors=[expired]))
        if request.POST.get("stap") == CHECK:
            return render_page(_check(request, importer, stored))
        outcome = _confirm(request, importer, stored)
        if isinstance(outcome, ImportPage):
            return render_page(outcome)
        messages.success(request, _done_message(outcome))
        return redirect(done_url)
    form = UploadForm(request.POST, request.FILES, sheet_title=importer.layout.title)
    if not form.is_valid():
        return render_page(ImportPage(form=form))
    return render_page(_preview(request, importer, form.cleaned_data["bestand"]))
