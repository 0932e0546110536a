"""A small server-side SVG Gantt chart: months on the axis, bars grouped under headings.

The same SVG serves the browser and the WeasyPrint PDF, so it uses no JavaScript, no
foreignObject, text as SVG <text> and explicit width/height. Information is never in colour
alone: every bar has its label in the row and a pattern per kind, and the page renders the
same data as a table (`Gantt.table`, see core/gantt.html).
"""

import calendar
import datetime
import itertools
from dataclasses import dataclass, field

from babel.dates import format_date
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.formats import LOCALE

LABEL_WIDTH = 280
HEADER_HEIGHT = 62
ROW_HEIGHT = 24
BAR_HEIGHT = 14
LABEL_CHARS = 40

# Fill, pattern stroke and text colour per bar kind; every fill has at least 3:1 contrast
# against the white background, and the white text on it at least 4.5:1.
KINDS = {
    "standaard": ("#154273", None),
    "doorlopend": ("#154273", "#8fb8e0"),
    "alternatief": ("#6b3d00", None),
    "alternatief-doorlopend": ("#6b3d00", "#e0b88f"),
}
MARKER_COLOURS = {"grens": "#333333", "vandaag": "#a50e1a"}


@dataclass(frozen=True)
class Bar:
    label: str
    start: datetime.date
    end: datetime.date  # exclusive: the first day after the bar
    kind: str = "standaard"
    note: str = ""


@dataclass(frozen=True)
class Row:
    label: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Group:
    label: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Marker:
    day: datetime.date
    label: str
    kind: str = "grens"  # or "vandaag"


@dataclass(frozen=True)
class TableRow:
    group: str
    label: str
    bar: str
    period: str
    note: str


@dataclass
class Gantt:
    """A rendered chart: the SVG and the same bars as table rows."""

    title: str
    description: str
    svg: SafeString
    table: list[TableRow] = field(default_factory=list)
    width: int = 0
    height: int = 0


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def month_index(first: datetime.date, day: datetime.date) -> int:
    """Whole months from the month of `first` to the month of `day`."""
    return (day.year - first.year) * 12 + day.month - first.month


def month_fraction(first: datetime.date, day: datetime.date) -> float:
    """Months from the start of `first`'s month to `day`, counting the days within a month."""
    days = calendar.monthrange(day.year, day.month)[1]
    return month_index(first, day) + (day.day - 1) / days


def month_label(day: datetime.date) -> str:
    """ "aug" — Babel's Dutch abbreviation without its full stop."""
    return format_date(day, "MMM", locale=LOCALE).rstrip(".")


def period_label(start: datetime.date, end: datetime.date) -> str:
    """A bar's period in words; whole months as "augustus 2023 t/m december 2023"."""
    last = end - datetime.timedelta(days=1)
    if start.day == 1 and end.day == 1:
        first_text = format_date(start, "MMMM y", locale=LOCALE)
        last_text = format_date(last, "MMMM y", locale=LOCALE)
    else:
        first_text = format_date(start, "d MMMM y", locale=LOCALE)
        last_text = format_date(last, "d MMMM y", locale=LOCALE)
    if first_text == last_text:
        return first_text
    return _("%(van)s t/m %(tot)s") % {"van": first_text, "tot": last_text}


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


@dataclass
class Geometry:
    """Where dates fall on the chart's x axis."""

    first: datetime.date
    months: int
    month_width: float
    left: float = LABEL_WIDTH

    def x(self, day: datetime.date) -> float:
        clamped = min(max(month_fraction(self.first, day), 0), self.months)
        return self.left + clamped * self.month_width

    def span(self, start: datetime.date, end: datetime.date) -> tuple[float, float]:
        """The x and width of a bar from `start` up to (not including) `end`."""
        x = self.x(start)
        return x, max(self.x(end) - x, 0)


def _month_width(months: int) -> float:
    # Fits a year in about 720 px; long plans get narrower months but stay legible.
    return max(14.0, min(60.0, 720 / max(months, 1)))


def render(
    *,
    title: str,
    description: str,
    start: datetime.date,
    end: datetime.date,
    groups: list[Group],
    markers: list[Marker] = (),
    ident: str = "gantt",
) -> Gantt:
    """Draw the months from `start`'s month up to (not including) `end`'s month start."""
    first = month_start(start)
    months = max(month_index(first, month_start(end)) + (1 if end.day != 1 else 0), 1)
    geometry = Geometry(first, months, _month_width(months))
    rows_count = sum(1 + len(group.rows) for group in groups)
    width = int(geometry.left + months * geometry.month_width + 48)
    height = HEADER_HEIGHT + rows_count * ROW_HEIGHT + 8
    ids = {"title": f"{ident}-title", "desc": f"{ident}-desc"}
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{ids["title"]} {ids["desc"]}" font-family="sans-serif" '
        f'font-size="12">',
        f'<title id="{ids["title"]}">{escape(title)}</title>',
        f'<desc id="{ids["desc"]}">{escape(description)}</desc>',
        _patterns(ident),
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    parts.append(_axis(geometry, height))
    table: list[TableRow] = []
    y = HEADER_HEIGHT
    for group in groups:
        parts.append(
            f'<text x="4" y="{y + 16}" font-weight="bold" fill="#000000">'
            f"{escape(_short(group.label))}</text>"
        )
        y += ROW_HEIGHT
        for row in group.rows:
            parts.append(
                f'<text x="16" y="{y + 16}" fill="#000000">{escape(_short(row.label))}</text>'
            )
            for bar in row.bars:
                parts.append(_bar(geometry, bar, y, ident))
                table.append(
                    TableRow(
                        group.label,
                        row.label,
                        bar.label,
                        period_label(bar.start, bar.end),
                        bar.note,
                    )
                )
            y += ROW_HEIGHT
    parts.append(_markers(geometry, markers, height))
    parts.append("</svg>")
    return Gantt(title, description, mark_safe("".join(parts)), table, width, height)


def _patterns(ident: str) -> str:
    defs = []
    for kind, (fill, stripe) in KINDS.items():
        if stripe is None:
            continue
        defs.append(
            f'<pattern id="{ident}-{kind}" width="8" height="8" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{fill}"/>'
            f'<rect width="3" height="8" fill="{stripe}"/></pattern>'
        )
    return f"<defs>{''.join(defs)}</defs>"


def _axis(geometry: Geometry, height: int) -> str:
    parts = []
    day = geometry.first
    for index in range(geometry.months):
        x = geometry.left + index * geometry.month_width
        if index == 0 or day.month == 1:
            parts.append(
                f'<text x="{x + 2:.1f}" y="14" font-weight="bold" fill="#000000">{day.year}</text>'
            )
        parts.append(
            f'<line x1="{x:.1f}" y1="{18 if day.month == 1 else 22}" x2="{x:.1f}" '
            f'y2="{height}" stroke="#d0d0d0" stroke-width="1"/>'
        )
        # Narrow months get their initial only; the year labels keep the axis readable.
        label = month_label(day) if geometry.month_width >= 28 else month_label(day)[:1]
        parts.append(
            f'<text x="{x + geometry.month_width / 2:.1f}" y="34" text-anchor="middle" '
            f'fill="#000000" font-size="11">{escape(label)}</text>'
        )
        day = next_month(day)
    return "".join(parts)


def _bar(geometry: Geometry, bar: Bar, y: int, ident: str) -> str:
    x, bar_width = geometry.span(bar.start, bar.end)
    fill, stripe = KINDS.get(bar.kind, KINDS["standaard"])
    paint = f"url(#{ident}-{bar.kind})" if stripe else fill
    top = y + (ROW_HEIGHT - BAR_HEIGHT) / 2
    tooltip = f"{bar.label}: {period_label(bar.start, bar.end)}"
    if bar.note:
        tooltip += f" ({bar.note})"
    return (
        f"<g><title>{escape(tooltip)}</title>"
        f'<rect class="gantt-balk" x="{x:.2f}" y="{top:.1f}" width="{bar_width:.2f}" '
        f'height="{BAR_HEIGHT}" rx="2" fill="{paint}" stroke="{fill}" stroke-width="1"/></g>'
    )


def _markers(geometry: Geometry, markers, height: int) -> str:
    parts = []
    for marker, label_row in zip(markers, itertools.cycle((50, 60)), strict=False):
        if not (0 <= month_fraction(geometry.first, marker.day) <= geometry.months):
            continue
        x = geometry.x(marker.day)
        colour = MARKER_COLOURS.get(marker.kind, MARKER_COLOURS["grens"])
        dash = ' stroke-dasharray="4 3"' if marker.kind == "grens" else ""
        parts.append(
            f'<line x1="{x:.2f}" y1="40" x2="{x:.2f}" y2="{height}" stroke="{colour}" '
            f'stroke-width="2"{dash}/>'
            f'<text x="{x + 3:.2f}" y="{label_row - 2}" fill="{colour}" font-size="11">'
            f"{escape(marker.label)}</text>"
        )
    return "".join(parts)
