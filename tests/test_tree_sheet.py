"""The goal tree as "inspanningen op een rij" in Excel: download, upload, preview, apply."""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core import excel
from doelenboom import services, sheets
from doelenboom.models import Bijdrage, Inspanning, InspanningPartner
from programmes.models import Programma
from tests import builders
from tests.queries import count_queries

HEADER = builders.SHEET_HEADER


@pytest.fixture
def tree(prog, cast):
    vroeg = builders.goal_chain(prog, titel="Huishoudens zijn vroegtijdig in beeld", code="1.7")
    opleiding = builders.operationeel_doel(
        vroeg.strategisch_doel, titel="Jongeren kiezen een passende opleiding", code="1.1"
    )
    hanze = builders.partner(prog, naam="Hanzehogeschool Groningen", slug="hanze")
    cmo = builders.partner(prog, naam="CMO STAMM", slug="cmo")
    builders.inspanning(
        prog,
        code="A1",
        titel="Inzetten op vroegsignalering",
        doelen=[vroeg],
        partners=[(hanze, "trekker"), (cmo, "kennispartner")],
    )
    builders.inspanning(
        prog,
        code="O1",
        titel="Monitoren van maatschappelijke trends",
        categorie="onderzoeken",
        doelen=[vroeg, opleiding],
    )
    builders.inspanning(prog, titel="Nieuwsbrief voor partners", categorie="organisatorisch")
    return prog


def _export_url(prog) -> str:
    return reverse("doelenboom:tree_export", args=[prog.slug])


def _import_url(prog) -> str:
    return reverse("doelenboom:tree_import", args=[prog.slug])


def _rows(data: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(data))["Inspanningen"]
    return [[c if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)]


def _xlsx(rows: list[list], header: list[str] = HEADER, title: str = "Inspanningen") -> bytes:
    return builders.xlsx(rows, header, title)


def _download(client, prog) -> bytes:
    response = client.get(_export_url(prog))
    assert response.status_code == 200
    return response.content


def _upload(client, prog, data: bytes, name: str = "inspanningen.xlsx"):
    return client.post(_import_url(prog), {"bestand": SimpleUploadedFile(name, data)})


def _confirm(client, prog, preview):
    return client.post(
        _import_url(prog),
        {"token": preview.context["page"].token, "sha256": preview.context["page"].sha256},
    )


def _state() -> dict:
    """Everything an import could write: rows, history rows and versions."""
    return {
        "inspanningen": sorted(Inspanning.objects.values_list("id", "code", "titel", "versie")),
        "bijdragen": sorted(Bijdrage.objects.values_list("inspanning_id", "operationeel_doel_id")),
        "partners": sorted(
            InspanningPartner.objects.values_list("inspanning_id", "organisatie_id", "rol")
        ),
        "history": (
            Inspanning.history.count(),
            Bijdrage.history.count(),
            InspanningPartner.history.count(),
        ),
    }


def _edited_export(client, prog, edit) -> bytes:
    rows = _rows(_download(client, prog))
    header, body = rows[0], rows[1:]
    edit(body)
    return _xlsx(body, header=header)


def _row(body: list[list], code: str) -> list:
    return next(row for row in body if row[0] == code)


# -- export -----------------------------------------------------------------------------------


def test_export_lists_every_inspanning_with_categorie_goals_and_partners(client, cast, tree):
    client.force_login(cast["leider"])

    response = client.get(_export_url(tree))
    rows = _rows(response.content)

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="test-inspanningen-op-een-rij.xlsx"' in response["Content-Disposition"]
    assert rows[0] == HEADER
    assert rows[1:] == [
        [
            "A1",
            "Actie",
            "Inzetten op vroegsignalering",
            "1.7 Huishoudens zijn vroegtijdig in beeld",
            "Hanzehogeschool Groningen (trekker); CMO STAMM (kennispartner)",
        ],
        [
            "O1",
            "Onderzoeken",
            "Monitoren van maatschappelijke trends",
            "1.1 Jongeren kiezen een passende opleiding\n1.7 Huishoudens zijn vroegtijdig in beeld",
            "",
        ],
        ["", "Organisatorisch", "Nieuwsbrief voor partners", "", ""],
    ]


def test_export_has_a_bold_frozen_header(client, cast, tree):
    client.force_login(cast["lezer"])

    ws = load_workbook(io.BytesIO(_download(client, tree)))["Inspanningen"]

    assert ws.freeze_panes == "A2"
    assert all(cell.font.b for cell in ws[1])
    assert ws.column_dimensions["C"].width >= 30


def test_formula_like_title_is_exported_as_inert_text(client, cast, tree):
    builders.inspanning(tree, code="X1", titel="=SUM(A1)")
    builders.inspanning(tree, code="X2", titel='@HYPERLINK("http://x") bel\x07 ons')
    client.force_login(cast["lezer"])

    data = _download(client, tree)
    ws = load_workbook(io.BytesIO(data))["Inspanningen"]
    cells = {row[0].value: row[2] for row in ws.iter_rows(min_row=2)}

    assert cells["X1"].value == "=SUM(A1)"
    assert cells["X1"].data_type == "s"
    assert cells["X1"].quotePrefix
    assert cells["X2"].value == '@HYPERLINK("http://x") bel ons'  # control character dropped
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("role", ["lezer", "stuurgroep", "coalitielid"])
def test_reader_may_download_but_a_crafted_import_post_is_refused(client, cast, tree, role):
    client.force_login(cast[role])
    data = _edited_export(client, tree, lambda body: _row(body, "A1").__setitem__(2, "Anders"))
    before = _state()

    assert client.get(_import_url(tree)).status_code == 403
    assert _upload(client, tree, data).status_code == 403
    assert client.post(_import_url(tree), {"token": "x", "sha256": "y"}).status_code == 403
    assert _state() == before


def test_outsider_gets_not_found_for_export_and_import(client, cast, tree):
    client.force_login(cast["buitenstaander"])

    assert client.get(_export_url(tree)).status_code == 404
    assert client.get(_import_url(tree)).status_code == 404
    assert _upload(client, tree, _xlsx([])).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, tree):
    response = client.get(_export_url(tree))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# -- import: round trip and changes -------------------------------------------------------------


def test_import_page_explains_the_columns_and_links_to_the_export(client, cast, tree):
    client.force_login(cast["team"])

    html = client.get(_import_url(tree)).content.decode()

    assert '<label class="utrecht-form-label" for="id_bestand">' in html
    assert 'enctype="multipart/form-data"' in html
    assert _export_url(tree) in html
    for header in HEADER:
        assert f"<dt>{header}</dt>" in html


def test_reimporting_the_unchanged_export_changes_nothing(client, cast, tree):
    client.force_login(cast["leider"])
    data = _download(client, tree)
    before = _state()

    preview = _upload(client, tree, data)
    html = preview.content.decode()

    assert preview.status_code == 200
    assert "geen wijzigingen" in html
    assert "Wijzigingen doorvoeren" not in html
    assert [r.action for r in preview.context["page"].plan.rows] == ["ongewijzigd"] * 3
    assert _state() == before


def test_edited_title_goal_and_partner_are_previewed_and_applied_with_history(client, cast, tree):
    client.force_login(cast["leider"])

    def edit(body):
        row = _row(body, "A1")
        row[2] = "Inzetten op vroegsignalering in de wijk"
        row[3] = "1.1 Jongeren kiezen een passende opleiding; 1.7"
        row[4] = "cmo stamm (Trekker)"

    data = _edited_export(client, tree, edit)
    a1 = Inspanning.objects.get(code="A1")
    o1_versie = Inspanning.objects.get(code="O1").versie
    history_before = a1.history.count()

    preview = _upload(client, tree, data)
    html = preview.content.decode()

    assert "Gewijzigd" in html
    assert "“Inzetten op vroegsignalering” → “Inzetten op vroegsignalering in de wijk”" in html
    assert "1.1 Jongeren kiezen een passende opleiding; 1.7 Huishoudens" in html
    # Partners one line each, not the whole list before and after.
    assert "<li>CMO STAMM: kennispartner → trekker</li>" in html
    assert "<li>\N{MINUS SIGN} Hanzehogeschool Groningen (trekker)</li>" in html
    assert "Wijzigingen doorvoeren" in html
    assert Inspanning.objects.get(pk=a1.pk).titel == "Inzetten op vroegsignalering"  # not yet

    response = _confirm(client, tree, preview)

    assert response.status_code == 302
    assert response["Location"] == reverse("doelenboom:tree", args=[tree.slug])
    a1.refresh_from_db()
    assert a1.titel == "Inzetten op vroegsignalering in de wijk"
    assert a1.versie == 2
    assert sorted(a1.doelen.values_list("code", flat=True)) == ["1.1", "1.7"]
    assert list(a1.partnerrollen.values_list("organisatie__naam", "rol")) == [
        ("CMO STAMM", "trekker")
    ]
    assert a1.history.count() == history_before + 1
    assert a1.history.first().history_change_reason == "Excel-import"
    assert a1.history.first().history_user == cast["leider"]
    assert (
        Bijdrage.history.filter(history_type="+").latest("history_date").history_change_reason
        == "Excel-import"
    )
    assert InspanningPartner.history.filter(history_type="-").count() == 1
    assert Inspanning.objects.get(code="O1").versie == o1_versie  # untouched row


def test_new_rows_add_inspanningen(client, cast, tree):
    client.force_login(cast["team"])

    def edit(body):
        body.append(["U9", "uitproberen", "Pilot schuldhulp", "1.7", "Hanzehogeschool Groningen"])
        body.append(["", "Actie", "Speeddates organiseren", "", ""])

    preview = _upload(client, tree, _edited_export(client, tree, edit))

    assert [r.action for r in preview.context["page"].plan.rows].count("nieuw") == 2
    assert "Nieuw" in preview.content.decode()

    _confirm(client, tree, preview)

    pilot = Inspanning.objects.get(programma=tree, code="U9")
    assert pilot.categorie == "uitproberen"
    assert list(pilot.doelen.values_list("code", flat=True)) == ["1.7"]
    assert list(pilot.partnerrollen.values_list("organisatie__naam", "rol")) == [
        ("Hanzehogeschool Groningen", "betrokken")
    ]
    assert pilot.history.get().history_change_reason == "Excel-import"
    assert Inspanning.objects.filter(programma=tree, titel="Speeddates organiseren").exists()
    assert Inspanning.objects.filter(programma=tree).count() == 5


def test_inspanningen_missing_from_the_sheet_are_left_alone_and_named(client, cast, tree):
    client.force_login(cast["leider"])

    def edit(body):
        body[:] = [r for r in body if r[0] == "A1"]
        _row(body, "A1")[2] = "Vroegsignalering"

    preview = _upload(client, tree, _edited_export(client, tree, edit))
    html = preview.content.decode()

    assert "2 inspanningen staan niet in het bestand en blijven zoals ze zijn" in html
    assert "Nieuwsbrief voor partners" in html

    _confirm(client, tree, preview)

    assert Inspanning.objects.filter(programma=tree).count() == 3
    assert Inspanning.objects.get(code="O1").bijdragen.count() == 2


def test_goal_by_exact_title_and_partner_without_role_are_recognised(client, cast, tree):
    client.force_login(cast["leider"])
    data = _xlsx(
        [
            [
                "O1",
                "Onderzoeken",
                "Monitoren van maatschappelijke trends",
                "Jongeren kiezen een passende opleiding",
                "Hanzehogeschool Groningen",
            ]
        ]
    )

    plan = _upload(client, tree, data).context["page"].plan

    assert not plan.errors
    (row,) = plan.rows
    assert row.action == "gewijzigd"
    assert [c.label for c in row.changes] == ["zodat (doel)", "partners"]


def test_confirmation_shows_a_new_preview_when_the_tree_changed_meanwhile(client, cast, tree):
    client.force_login(cast["leider"])
    data = _edited_export(client, tree, lambda body: _row(body, "A1").__setitem__(2, "Nieuw"))
    preview = _upload(client, tree, data)
    a1 = Inspanning.objects.get(code="A1")
    services.update_item(a1, {"titel": "Door een collega"}, expected_versie=1)

    second = _confirm(client, tree, preview)

    assert second.status_code == 200
    assert "De doelenboom is gewijzigd sinds de voorvertoning" in second.content.decode()
    assert "“Door een collega” → “Nieuw”" in second.content.decode()
    a1.refresh_from_db()
    assert (a1.titel, a1.versie) == ("Door een collega", 2)

    _confirm(client, tree, second)

    a1.refresh_from_db()
    assert (a1.titel, a1.versie) == ("Nieuw", 3)


def test_a_forged_or_used_token_applies_nothing(client, cast, tree):
    client.force_login(cast["leider"])
    data = _edited_export(client, tree, lambda body: _row(body, "A1").__setitem__(2, "Nieuw"))
    preview = _upload(client, tree, data)
    before = _state()

    forged = client.post(
        _import_url(tree), {"token": "geraden", "sha256": preview.context["page"].sha256}
    )

    assert "Deze voorvertoning is verlopen" in forged.content.decode()
    assert _state() == before
    _confirm(client, tree, preview)
    after_first = _state()
    assert "Deze voorvertoning is verlopen" in _confirm(client, tree, preview).content.decode()
    assert _state() == after_first


# -- import: refused files ----------------------------------------------------------------------

_GOOD_CHANGE = ["A1", "Actie", "Een goede wijziging", "1.7", ""]


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        (
            [_GOOD_CHANGE],
            ["Code", "Categorie", "Titel", "Zodat (doel)", "Partners"],
            "Blad 'Inspanningen', rij 1, cel C1: kolom 'Titel' is onbekend. Verwachte kolommen: "
            "Code, Categorie, Inspanning, Zodat (doel), Partners; optioneel: Strategische "
            "doelstelling.",
        ),
        (
            [_GOOD_CHANGE],
            ["Code", "Categorie", "Inspanning"],
            "Blad 'Inspanningen', rij 1: kolommen 'Zodat (doel)', 'Partners' ontbreken.",
        ),
        (
            [[*_GOOD_CHANGE, "A1"]],
            [*HEADER, "code "],
            "Blad 'Inspanningen', rij 1, cel F1: kolom 'code' staat er twee keer.",
        ),
        (
            [
                _GOOD_CHANGE,
                ["", "Actie", "Iets", "9.9 Eerste titel", ""],
                ["", "Actie", "Nog iets", "9.9 Andere titel", ""],
            ],
            HEADER,
            "Blad 'Inspanningen', rij 4, cel D4: doel 9.9 heet in rij 3 „Eerste titel”",
        ),
        (
            [_GOOD_CHANGE, ["", "Actie", "Iets", "", "CMO STAMM; " + "N" * 201]],
            HEADER,
            "Blad 'Inspanningen', rij 3, cel E3: de naam 'NNN",
        ),
        (
            [_GOOD_CHANGE, ["", "Actie", "Iets", "", "CMO STAMM (baas)"]],
            HEADER,
            "Blad 'Inspanningen', rij 3, cel E3: rol 'baas' bij 'CMO STAMM' bestaat niet",
        ),
        (
            [_GOOD_CHANGE, ["", "Feest", "Iets", "", ""]],
            HEADER,
            "Blad 'Inspanningen', rij 3, cel B3: categorie 'Feest' bestaat niet; kies uit Actie",
        ),
        (
            [_GOOD_CHANGE, ["", "Actie", "x" * 501, "", ""]],
            HEADER,
            "Blad 'Inspanningen', rij 3, cel C3: de tekst is 501 tekens lang; in kolom "
            "'Inspanning' passen er 500.",
        ),
        (
            [_GOOD_CHANGE, ["C" * 21, "Actie", "Iets", "", ""]],
            HEADER,
            "Blad 'Inspanningen', rij 3, cel A3: de tekst is 21 tekens lang",
        ),
        (
            [_GOOD_CHANGE, ["A1", "Actie", "Nog eens", "", ""]],
            HEADER,
            "Blad 'Inspanningen', rij 3, cel A3: code 'A1' staat ook in rij 2",
        ),
        (
            [_GOOD_CHANGE, ["Z1", "Actie", "", "", ""]],
            HEADER,
            "Blad 'Inspanningen', rij 3, cel C3: de kolom 'Inspanning' is leeg",
        ),
    ],
    ids=[
        "wrong-column",
        "missing-columns",
        "doubled-column",
        "new-goal-with-two-titles",
        "new-partner-name-too-long",
        "unknown-role",
        "unknown-categorie",
        "title-too-long",
        "code-too-long",
        "duplicate-code",
        "empty-title",
    ],
)
def test_bad_sheet_is_refused_naming_row_and_cell_and_nothing_is_written(
    client, cast, tree, rows, header, message
):
    client.force_login(cast["leider"])
    before = _state()

    response = _upload(client, tree, _xlsx(rows, header=header))
    html = response.content.decode()

    assert response.status_code == 200
    assert message.replace("'", "&#x27;") in html
    assert 'class="utrecht-alert utrecht-alert--error"' in html
    assert 'role="alert"' in html
    assert "Wijzigingen doorvoeren" not in html
    assert _state() == before


def test_every_error_of_the_file_is_reported_at_once(client, cast, tree):
    client.force_login(cast["leider"])
    data = _xlsx(
        [["", "Feest", "Iets", "9.9", "CMO STAMM (baas)"], ["", "Actie", "", "", "Niemand"]]
    )

    response = _upload(client, tree, data)
    errors = response.context["page"].errors

    assert [e.split(":")[0] for e in errors] == [
        "Blad 'Inspanningen', rij 2, cel B2",
        "Blad 'Inspanningen', rij 2, cel E2",
        "Blad 'Inspanningen', rij 3, cel C3",
    ]
    # What a choice could fix is no error, but is told beside the errors.
    html = response.content.decode()
    assert "1 operationele doelstelling bestaat nog niet (rij 2)" in html
    assert "1 organisatie is nog geen partner (rij 3)" in html
    assert "Keuzes controleren" not in html


def test_goal_of_another_programme_named_by_code_is_offered_as_a_new_goal_here(client, cast, tree):
    elders = builders.programma(slug="ander")
    builders.goal_chain(elders, titel="Een doel van elders", code="5.5")
    client.force_login(cast["leider"])
    before = _state()

    response = _upload(
        client, tree, _xlsx([["A1", "Actie", "Iets", "5.5 Een doel van elders", ""]])
    )

    (group,) = response.context["page"].plan.groups
    assert group.title == "1 operationele doelstelling bestaat nog niet (rij 2)"
    assert group.table.rows == (("5.5", "Een doel van elders", "rij 2", "Kansrijk perspectief"),)
    assert _state() == before


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """A valid-looking .xlsx of some 40 KB whose sheet unpacks to 40 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(40):
                member.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: b"Code;Categorie;Inspanning\nA1;Actie;Iets\n", "Dit is geen Excel-bestand"),
        (lambda: _zip({"readme.txt": b"hallo"}), "Dit is geen Excel-bestand"),
        (
            lambda: _zip({"[Content_Types].xml": b"<kapot", "xl/workbook.xml": b"<"}),
            "kan niet als Excel-bestand (.xlsx) worden gelezen",
        ),
        (_zip_bomb, "Het bestand wordt uitgepakt te groot (40 MB; hoogstens 20 MB)"),
        (
            lambda: _zip({f"x/{n}.xml": b"" for n in range(101)}),
            "Het bestand bevat te veel onderdelen (101; hoogstens 100)",
        ),
        (lambda: b"PK" + b"\0" * (5 * 1024 * 1024), "Het bestand is te groot (5,0 MB)"),
    ],
    ids=["csv", "zip-without-xlsx", "damaged", "zip-bomb", "too-many-members", "too-large"],
)
def test_file_that_is_not_a_sane_xlsx_is_refused_fast(client, cast, tree, make, message):
    data = make()
    client.force_login(cast["leider"])
    before = _state()

    started = time.monotonic()
    response = _upload(client, tree, data)
    elapsed = time.monotonic() - started

    assert message in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert elapsed < 2
    assert _state() == before


def test_upload_without_a_file_asks_for_one(client, cast, tree):
    client.force_login(cast["leider"])

    html = client.post(_import_url(tree), {}).content.decode()

    assert "Kies een Excel-bestand om te uploaden." in html
    assert 'aria-invalid="true"' in html


def test_preview_query_count_does_not_grow_with_the_sheet(client, cast, tree):
    def queries(n: int) -> int:
        rows = [["", "Actie", f"Nieuw {i}", "1.7", "CMO STAMM (trekker)"] for i in range(n)]
        parsed = sheets.parse_sheet(_xlsx(rows))
        plan, count = count_queries(lambda: sheets.plan_import(tree, parsed))
        assert plan.new == n
        return count

    assert queries(1) == queries(30)


@pytest.mark.parametrize("slug", ["avk", "kvnh"])
def test_demo_programmes_export_and_import_back_unchanged(demo, slug):
    programma = Programma.objects.get(slug=slug)

    plan = sheets.plan_import(programma, sheets.parse_sheet(sheets.export_workbook(programma)))

    assert not plan.errors
    assert plan.rows
    assert {r.action for r in plan.rows} == {"ongewijzigd"}
    assert not plan.untouched


def test_a_sheet_longer_than_the_row_limit_is_refused_naming_the_limit():
    data = _xlsx([_GOOD_CHANGE] * 3)

    with pytest.raises(excel.ExcelError) as refused:
        excel.read_sheet(data, max_rows=3)

    assert refused.value.messages == [
        "Blad 'Inspanningen' heeft meer dan 3 rijen; splits het bestand."
    ]
    assert len(excel.read_sheet(data, max_rows=4).rows) == 4
