"""Excel plumbing shared by every import and export (goal tree now, budget later).

Writing: one bold, frozen header row, column widths that fit the text, every string cell
made inert (a value starting with = + - @ is stored as text with Excel's "quote prefix", so
it shows as typed and is never evaluated) and stripped of the control characters openpyxl
refuses. Reading: an upload is checked with `zipfile` (size, member count, uncompressed size)
before openpyxl touches it, so a zip bomb is refused in milliseconds; then it is opened
read-only with cached values instead of formulas, and every value is normalised.

Problems are raised as `ExcelError` with Dutch messages that can be shown to the user as is.
"""

import datetime
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Limits for uploads. A real "inspanningen op een rij" of a programme the size of the AVK is
# about 15 KB zipped and 150 KB unzipped, so these leave a wide margin.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_MEMBERS = 100
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 50

_FORMULA_STARTS = ("=", "+", "-", "@")
_MIN_WIDTH, _MAX_WIDTH = 8, 80


class ExcelError(Exception):
    """An Excel file that cannot be read; `messages` are Dutch and name what is wrong."""

    def __init__(self, messages: str | Sequence[str]) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(self.messages))


def location(sheet: str, row: int, column: int | None = None) -> str:
    """Where a problem is, as users read it: "Blad 'Inspanningen', rij 7, cel D7"."""
    if column is None:
        return _("Blad '%(blad)s', rij %(rij)d") % {"blad": sheet, "rij": row}
    cell = f"{get_column_letter(column)}{row}"
    return _("Blad '%(blad)s', rij %(rij)d, cel %(cel)s") % {"blad": sheet, "rij": row, "cel": cell}


def clean_text(text: str) -> str:
    """`text` without the control characters an .xlsx cannot hold (tab and newline stay)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


# -- writing --------------------------------------------------------------------------------


def _set_value(ws: Worksheet, row: int, column: int, value: Any) -> None:
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        value = clean_text(value)
        cell.value = value
        if value.startswith(_FORMULA_STARTS):
            # openpyxl would store "=…" as a formula; force a text cell with a quote prefix,
            # which is what Excel itself does when a user types '=… .
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 12
    return max((len(line) for line in str(value).splitlines()), default=0)


def add_sheet(
    wb: Workbook,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int | None] | None = None,
) -> Worksheet:
    """Add a worksheet: bold frozen header, the rows below it, widths fitted to the text.

    `widths` may fix a column's width (None: fit to the longest line, within 8 to 80). Multi-line
    text wraps. String cells are cleaned and made inert; numbers and dates stay typed.
    """
    ws = wb.create_sheet(title=title[:31])
    fitted = [len(str(h)) for h in header]
    bold = Font(bold=True)
    for column, name in enumerate(header, start=1):
        _set_value(ws, 1, column, name)
        ws.cell(row=1, column=column).font = bold
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            _set_value(ws, row_number, column, value)
            if isinstance(value, str) and "\n" in value:
                ws.cell(row=row_number, column=column).alignment = wrap
            if column <= len(fitted):
                fitted[column - 1] = max(fitted[column - 1], _width(value))
    for index, width in enumerate(fitted):
        fixed = widths[index] if widths and index < len(widths) else None
        chosen = fixed or min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
        ws.column_dimensions[get_column_letter(index + 1)].width = chosen
    ws.freeze_panes = "A2"
    return ws


def new_workbook() -> Workbook:
    """An empty workbook (without openpyxl's default sheet) to `add_sheet` to."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "Koers"
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_workbook(
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int | None] | None = None,
) -> bytes:
    """A one-sheet .xlsx file as bytes (see `add_sheet`)."""
    wb = new_workbook()
    add_sheet(wb, title, header, rows, widths=widths)
    return workbook_bytes(wb)


# -- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetData:
    """The values of one worksheet: its title and (row number, values) for non-empty rows."""

    title: str
    rows: list[tuple[int, list[Any]]]


def normalise(value: Any) -> Any:
    """Strings stripped and cleaned, "" as None; numbers, dates and booleans as they come."""
    if isinstance(value, str):
        value = clean_text(value).strip()
        return value or None
    return value


def cell_text(value: Any) -> str:
    """A normalised cell value as text: "" for empty, 3 for 3.0, 2024-05-01 for a date."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def check_size(size: int, *, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse an upload of more than `max_bytes` before it is even read into memory."""
    if size > max_bytes:
        raise ExcelError(
            _("Het bestand is te groot (%(groot)s MB); het mag hoogstens %(max)s MB zijn.")
            % {
                "groot": number_format(size / 1024 / 1024, 1),
                "max": max_bytes // 1024 // 1024,
            }
        )


def check_upload(data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse, before any parsing, what is not a small, sane .xlsx (zip) file.

    Raises ExcelError when the file is too large, is not a zip, has too many members or would
    unpack to more than MAX_UNCOMPRESSED_BYTES. zipfile never unpacks a member beyond the
    size its directory declares, so checking the declared sizes bounds what openpyxl reads.
    """
    check_size(len(data), max_bytes=max_bytes)
    not_xlsx = _(
        "Dit is geen Excel-bestand (.xlsx). Sla het in Excel op als .xlsx en probeer het opnieuw."
    )
    if not data.startswith(b"PK"):
        raise ExcelError(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ExcelError(not_xlsx) from error
    if len(members) > MAX_MEMBERS:
        raise ExcelError(
            _("Het bestand bevat te veel onderdelen (%(n)d; hoogstens %(max)d).")
            % {"n": len(members), "max": MAX_MEMBERS}
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise ExcelError(
            _(
                "Het bestand wordt uitgepakt te groot (%(groot)d MB; hoogstens %(max)d MB). "
                "Verwijder overbodige bladen, afbeeldingen of opmaak."
            )
            % {"groot": unpacked // 1024 // 1024, "max": MAX_UNCOMPRESSED_BYTES // 1024 // 1024}
        )
    if "[Content_Types].xml" not in {member.filename for member in members}:
        raise ExcelError(not_xlsx)


def read_sheet(
    data: bytes,
    *,
    title: str | None = None,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
) -> SheetData:
    """The normalised values of the worksheet `title` (or the first one) of an upload.

    Runs `check_upload` first. Reads read-only with cached values (a formula counts as the
    value Excel last computed, or empty). Fully empty rows are left out; row numbers are the
    ones Excel shows. Raises ExcelError for an unreadable file or more than `max_rows` rows.
    """
    check_upload(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ExcelError(
            _("Het bestand kan niet als Excel-bestand (.xlsx) worden gelezen.")
        ) from error
    try:
        if not wb.worksheets:
            raise ExcelError(_("Het bestand bevat geen werkblad."))
        ws = wb[title] if title and title in wb.sheetnames else wb.worksheets[0]
        rows: list[tuple[int, list[Any]]] = []
        try:
            for number, raw in enumerate(
                ws.iter_rows(max_col=max_columns, values_only=True), start=1
            ):
                values = [normalise(v) for v in raw]
                if all(v is None for v in values):
                    continue
                if number > max_rows:
                    raise ExcelError(
                        _("Blad '%(blad)s' heeft meer dan %(max)d rijen; splits het bestand.")
                        % {"blad": ws.title, "max": max_rows}
                    )
                rows.append((number, values))
        except ExcelError:
            raise
        except Exception as error:
            raise ExcelError(
                _("Blad '%(blad)s' kan niet worden gelezen; het bestand is beschadigd.")
                % {"blad": ws.title}
            ) from error
        return SheetData(title=ws.title, rows=rows)
    finally:
        wb.close()


def download(data: bytes, filename: str) -> HttpResponse:
    """An .xlsx file as an attachment, kept out of every cache (it holds programme data)."""
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
