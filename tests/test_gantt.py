"""The SVG Gantt of core/gantt.py: geometry, accessibility and escaping."""

import datetime

import pytest

from core import gantt

D = datetime.date


YEAR = (D(2024, 1, 1), D(2025, 1, 1))


def chart(groups, markers=(), period=YEAR):
    start, end = period
    return gantt.render(
        title="Planning <test>",
        description="Beschrijving & uitleg",
        start=start,
        end=end,
        groups=groups,
        markers=list(markers),
    )


def test_a_month_boundary_falls_on_the_month_grid():
    geometry = gantt.Geometry(D(2024, 1, 1), 12, 40.0)
    assert geometry.x(D(2024, 1, 1)) == gantt.LABEL_WIDTH
    assert geometry.x(D(2024, 3, 1)) == gantt.LABEL_WIDTH + 2 * 40
    x, width = geometry.span(D(2024, 3, 1), D(2024, 6, 1))
    assert (x, width) == (gantt.LABEL_WIDTH + 80, 120)


def test_a_half_month_in_february_of_a_leap_year_is_positioned_by_its_days():
    geometry = gantt.Geometry(D(2024, 1, 1), 12, 58.0)
    # 29 days in February 2024: the 15th starts after 14 of them.
    assert geometry.x(D(2024, 2, 15)) == pytest.approx(gantt.LABEL_WIDTH + 58 + 58 * 14 / 29)
    x, width = geometry.span(D(2024, 2, 1), D(2024, 2, 16))
    assert width == pytest.approx(58 * 15 / 29)
    assert x == pytest.approx(gantt.LABEL_WIDTH + 58)
    # In 2023 February has 28 days: the 15th is exactly halfway.
    assert gantt.Geometry(D(2023, 1, 1), 12, 58.0).x(D(2023, 2, 15)) == pytest.approx(
        gantt.LABEL_WIDTH + 58 + 29
    )


def test_bars_outside_the_axis_are_clipped_to_it():
    geometry = gantt.Geometry(D(2024, 1, 1), 12, 40.0)
    assert geometry.x(D(2023, 6, 1)) == gantt.LABEL_WIDTH
    assert geometry.x(D(2026, 6, 1)) == gantt.LABEL_WIDTH + 12 * 40


def test_the_svg_is_an_image_with_title_and_description_and_explicit_size():
    bar = gantt.Bar("Onderzoek", D(2024, 2, 1), D(2024, 5, 1))
    result = chart([gantt.Group("3a", (gantt.Row("1. Onderzoek", (bar,)),))])
    svg = str(result.svg)
    assert svg.startswith("<svg ")
    assert 'role="img"' in svg
    assert 'aria-labelledby="gantt-title gantt-desc"' in svg
    assert '<title id="gantt-title">Planning &lt;test&gt;</title>' in svg
    assert '<desc id="gantt-desc">Beschrijving &amp; uitleg</desc>' in svg
    assert f'width="{result.width}" height="{result.height}"' in svg
    assert "foreignObject" not in svg
    assert "<script" not in svg


def test_every_text_is_escaped():
    bar = gantt.Bar("<script>alert(1)</script>", D(2024, 2, 1), D(2024, 3, 1), note="a&b")
    result = chart(
        [gantt.Group("<b>groep</b>", (gantt.Row('"rij" <i>', (bar,)),))],
        markers=[gantt.Marker(D(2024, 6, 1), "<fase>")],
    )
    svg = str(result.svg)
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    assert "&lt;fase&gt;" in svg


def test_months_and_years_label_the_axis_in_dutch():
    svg = str(chart([]).svg)
    assert ">mrt</text>" in svg and ">okt</text>" in svg and ">mei</text>" in svg
    assert ">2024</text>" in svg


def test_markers_outside_the_period_are_left_out():
    svg = str(chart([], markers=[gantt.Marker(D(2030, 1, 1), "ver weg", "vandaag")]).svg)
    assert "ver weg" not in svg
    svg = str(chart([], markers=[gantt.Marker(D(2024, 4, 10), "vandaag", "vandaag")]).svg)
    assert ">vandaag</text>" in svg


def test_the_table_has_a_row_for_every_bar_with_its_period():
    rows = (
        gantt.Row("1. Onderzoek", (gantt.Bar("1. Onderzoek", D(2024, 1, 1), D(2024, 4, 1)),)),
        gantt.Row("2. Pilot", (gantt.Bar("2. Pilot", D(2024, 4, 1), D(2024, 5, 16)),)),
    )
    result = chart([gantt.Group("3a", rows)])
    assert [(r.group, r.bar, r.period) for r in result.table] == [
        ("3a", "1. Onderzoek", "januari 2024 t/m maart 2024"),
        ("3a", "2. Pilot", "1 april 2024 t/m 15 mei 2024"),
    ]


def test_long_labels_are_shortened_in_the_svg_but_whole_in_the_table():
    long = "Een heel erg lange titel van een project dat veel te veel woorden heeft"
    result = chart(
        [gantt.Group(long, (gantt.Row(long, (gantt.Bar(long, D(2024, 1, 1), D(2024, 2, 1)),)),))]
    )
    assert long not in str(result.svg).split("<title>")[0]
    assert result.table[0].label == long


def test_running_bars_have_a_pattern_not_only_a_colour():
    bar = gantt.Bar("Loopt door", D(2024, 1, 1), D(2024, 6, 1), kind="doorlopend")
    svg = str(chart([gantt.Group("g", (gantt.Row("r", (bar,)),))]).svg)
    assert 'fill="url(#gantt-doorlopend)"' in svg
    assert '<pattern id="gantt-doorlopend"' in svg
