"""A new region's "inspanningen op een rij" builds its goal tree: the preview groups the goals
and partners that do not exist yet and offers to create them, in the same all-or-nothing apply.
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.imports import row_ranges
from doelenboom import sheets
from doelenboom.models import Ambitie, Inspanning, OperationeelDoel, StrategischDoel
from programmes import partners as partner_services
from programmes.models import Organisatie, Partnerschap, Programma
from programmes.services import create_programma
from tests import builders
from tests.queries import count_queries

HEADER = builders.SHEET_HEADER
MINUS = "\N{MINUS SIGN}"


# -- helpers ----------------------------------------------------------------------------------


def _url(prog: Programma) -> str:
    return reverse("doelenboom:tree_import", args=[prog.slug])


def _upload(client, prog, rows: list[list], header: list[str] = HEADER):
    data = builders.xlsx(rows, header)
    return client.post(_url(prog), {"bestand": SimpleUploadedFile("regio.xlsx", data)})


def _form(response, answers: dict | None = None) -> dict:
    """The preview's form as the browser posts it: token, hash and every choice as shown."""
    page = response.context["page"]
    return {"token": page.token, "sha256": page.sha256, **page.plan.answers, **(answers or {})}


def _check(client, prog, response, answers: dict | None = None):
    return client.post(_url(prog), {**_form(response, answers), "stap": "controleren"})


def _apply(client, prog, response, answers: dict | None = None):
    return client.post(_url(prog), _form(response, answers))


def _plan(response):
    return response.context["page"].plan


def _group(response, key: str):
    return next(g for g in _plan(response).groups if g.key == key)


def _choice(response, label_start: str):
    return next(
        c for g in _plan(response).groups for c in g.choices if c.label.startswith(label_start)
    )


def _state() -> dict[str, int]:
    """Row counts of every table an import could write, history tables included."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"doelenboom", "programmes"}
    }


@pytest.fixture
def leider(db):
    return builders.user("leider.west")


@pytest.fixture
def west(leider):
    """A programme just started by its leader: no ambitie, no goals, no partners."""
    return create_programma(
        user=leider, naam="Regio West", slug="west", looptijd_start=2025, looptijd_eind=2030
    )


@pytest.fixture
def two_goals(prog):
    """`prog` with one ambitie and two strategic goals, and nothing below them."""
    ambitie = builders.ambitie(prog)
    return (
        builders.strategisch_doel(ambitie, titel="Kansrijk opgroeien", code="1"),
        builders.strategisch_doel(ambitie, titel="Werk en inkomen", code="2"),
    )


# -- the grouped preview ----------------------------------------------------------------------


def test_rows_are_told_as_ranges():
    assert row_ranges([4]) == "rij 4"
    assert row_ranges(range(2, 41)) == "rijen 2\N{EN DASH}40"
    assert row_ranges([9, 2, 3, 4, 5, 7, 10]) == "rijen 2\N{EN DASH}5, 7, 9\N{EN DASH}10"


def test_missing_goals_and_partners_are_grouped_with_counts_and_rows(client, leider, west):
    client.force_login(leider)
    rows = [
        [f"A{n}", "Actie", f"Inspanning {n}", f"{n % 12 + 1}.1", f"Stichting Wijkkracht {n % 17}"]
        for n in range(39)
    ]
    before = _state()

    response = _upload(client, west, rows)
    html = response.content.decode()

    assert [g.title for g in _plan(response).groups] == [
        "12 operationele doelstellingen bestaan nog niet (rijen 2\N{EN DASH}40)",
        "17 organisaties zijn nog geen partner (rijen 2\N{EN DASH}40)",
    ]
    assert not response.context["page"].errors
    assert (
        "12 operationele doelstellingen bestaan nog niet (rijen 2\N{EN DASH}40)</h3></legend>"
        in html
    )
    assert '<caption class="utrecht-table__caption">Nieuwe operationele doelstellingen' in html
    assert _state() == before


def test_a_goal_named_in_several_rows_is_one_new_goal_with_its_rows(client, leider, west):
    client.force_login(leider)

    response = _upload(
        client,
        west,
        [
            ["A1", "Actie", "Een", "1.1 Kinderen groeien gezond op", ""],
            ["A2", "Actie", "Twee", "2.1", ""],
            ["A3", "Actie", "Drie", "1.1", ""],
        ],
    )

    table = _group(response, "doelen").table
    assert [row[:3] for row in table.rows] == [
        ("1.1", "Kinderen groeien gezond op", "rijen 2, 4"),
        ("2.1", "Operationele doelstelling 2.1", "rij 3"),
    ]


# -- creating the missing goals ---------------------------------------------------------------


def test_new_goals_are_created_under_the_strategic_goal_chosen_in_the_preview(
    client, cast, prog, two_goals
):
    _opgroeien, werk = two_goals
    client.force_login(cast["leider"])
    preview = _upload(
        client,
        prog,
        [
            ["W1", "Actie", "Banenmarkt", "3.1 Werk voor iedereen", ""],
            ["W2", "Onderzoeken", "Loopbaanonderzoek", "3.2; 3.1", ""],
        ],
    )

    # Two strategic goals: the preview proposes none and asks.
    assert not _plan(preview).ready
    assert "Wijzigingen doorvoeren" not in preview.content.decode()
    assert _choice(preview, "Waar komen ze onder?").options[1:3] == (
        (f"sd-{two_goals[0].pk}", "1 Kansrijk opgroeien"),
        (f"sd-{werk.pk}", "2 Werk en inkomen"),
    )

    checked = _check(client, prog, preview, {"keuze-doelen-onder": f"sd-{werk.pk}"})

    assert _plan(checked).ready
    assert [row[3] for row in _group(checked, "doelen").table.rows] == ["2 Werk en inkomen"] * 2
    assert not OperationeelDoel.objects.filter(code="3.1").exists()

    done = _apply(client, prog, checked)

    assert done.status_code == 302
    goals = OperationeelDoel.objects.filter(strategisch_doel=werk).order_by("code")
    assert list(goals.values_list("code", "titel")) == [
        ("3.1", "Werk voor iedereen"),
        ("3.2", "Operationele doelstelling 3.2"),
    ]
    assert list(Inspanning.objects.get(code="W2").doelen.order_by("code").values_list("code")) == [
        ("3.1",),
        ("3.2",),
    ]
    record = goals[0].history.get()
    assert (record.history_change_reason, record.history_user) == ("Excel-import", cast["leider"])


@pytest.mark.parametrize("column", ["Thema", "Strategisch doel"])
def test_new_goals_go_under_the_strategic_goals_the_optional_column_names(client, cast, column):
    prog = builders.programma(
        slug="kop",
        label_strategisch_doel="Thema",
        label_strategisch_doel_mv="Thema's",
        label_operationeel_doel="Doelstelling",
        label_operationeel_doel_mv="Doelstellingen",
    )
    leider = builders.member(prog, "programmaleider")
    ambitie = builders.ambitie(prog, titel="Iedereen doet mee")
    werk = builders.strategisch_doel(ambitie, titel="Werk", code="2")
    client.force_login(leider)

    preview = _upload(
        client,
        prog,
        [
            ["P1", "Project", "Banen", "4.1 Werk vinden", "", "2 Werk"],
            ["P2", "Actie", "Sport", "5.1 Gezond leven", "", "Gezondheid"],
            ["P3", "Actie", "Eten", "5.1", "", "gezondheid"],
        ],
        header=[*HEADER, column],
    )

    # The column is there, and there is one ambitie: nothing left to choose.
    assert _plan(preview).ready
    assert _choice(preview, "Waar komen ze onder?").value == "kolom"
    assert [row[3] for row in _group(preview, "doelen").table.rows] == [
        "2 Werk",
        "Gezondheid (nieuw)",
    ]

    _apply(client, prog, preview)

    gezondheid = StrategischDoel.objects.get(ambitie=ambitie, titel="Gezondheid")
    assert OperationeelDoel.objects.get(code="4.1").strategisch_doel == werk
    assert OperationeelDoel.objects.get(code="5.1").strategisch_doel == gezondheid
    assert gezondheid.history.get().history_change_reason == "Excel-import"


def test_a_column_that_disagrees_about_a_goal_asks_for_one_strategic_goal(
    client, cast, prog, two_goals
):
    client.force_login(cast["leider"])
    header = [*HEADER, "Strategische doelstelling"]
    preview = _upload(
        client,
        prog,
        [
            ["A1", "Actie", "Een", "5.1 Gezond leven", "", "Gezondheid"],
            ["A2", "Actie", "Twee", "5.1", "", "Werk en inkomen"],
        ],
        header=header,
    )

    assert not _plan(preview).ready
    assert _choice(preview, "Waar komen ze onder?").errors == (
        "5.1 Gezond leven staat in rij 2 onder 'Gezondheid' en in rij 3 onder 'Werk en "
        "inkomen'. Maak dat in het bestand gelijk, of kies hier één strategische doelstelling.",
    )

    checked = _check(client, prog, preview, {"keuze-doelen-onder": f"sd-{two_goals[1].pk}"})

    assert _plan(checked).ready


# -- creating the missing partners ------------------------------------------------------------


def test_new_partners_are_an_existing_organisation_or_a_new_one(client, cast, prog):
    goal = builders.goal_chain(prog, code="1.7")
    hanze = builders.organisatie(naam="Hanzehogeschool Groningen")  # not a partner yet
    organisations = Organisatie.objects.count()
    client.force_login(cast["leider"])
    preview = _upload(
        client,
        prog,
        [["U1", "Uitproberen", "Pilot", "1.7", "Hanzehogeschool (trekker); Buurtteam Noord"]],
    )

    hanze_choice = _choice(preview, "„Hanzehogeschool”")
    assert hanze_choice.kind == "radio"
    assert hanze_choice.options == (
        (f"org-{hanze.pk}", "Hanzehogeschool Groningen"),
        ("nieuw", "Nieuwe organisatie „Hanzehogeschool” aanmaken"),
    )
    assert hanze_choice.value == ""  # only similar: the leader must say which it is
    assert _choice(preview, "„Buurtteam Noord”").value == "nieuw"  # nothing like it exists
    assert not _plan(preview).ready

    checked = _check(client, prog, preview, {hanze_choice.name: f"org-{hanze.pk}"})
    assert "Hanzehogeschool Groningen (trekker)" in checked.content.decode()
    done = _apply(client, prog, checked)

    assert done.status_code == 302
    assert Organisatie.objects.count() == organisations + 1
    buurtteam = Organisatie.objects.get(naam="Buurtteam Noord")
    assert set(
        Partnerschap.objects.filter(programma=prog, beeindigd_op=None).values_list(
            "organisatie", flat=True
        )
    ) == {hanze.pk, buurtteam.pk}
    pilot = Inspanning.objects.get(code="U1")
    assert sorted(pilot.partnerrollen.values_list("organisatie__naam", "rol")) == [
        ("Buurtteam Noord", "betrokken"),
        ("Hanzehogeschool Groningen", "trekker"),
    ]
    assert list(pilot.doelen.all()) == [goal]


def test_a_former_partner_may_stay_but_a_new_role_makes_it_partner_again(client, cast, prog):
    goal = builders.goal_chain(prog, code="1.7")
    ggd = builders.partner(prog, naam="GGD")
    builders.inspanning(
        prog, code="A1", titel="Wijkzorg", doelen=[goal], partners=[(ggd, "betrokken")]
    )
    partner_services.end_partner(Partnerschap.objects.get(organisatie=ggd))
    client.force_login(cast["leider"])

    unchanged = _upload(client, prog, [["A1", "Actie", "Wijkzorg", "1.7", "GGD (betrokken)"]])
    assert not _plan(unchanged).groups
    assert [r.action for r in _plan(unchanged).rows] == ["ongewijzigd"]

    preview = _upload(client, prog, [["A1", "Actie", "Wijkzorg", "1.7", "GGD (trekker)"]])
    assert [g.title for g in _plan(preview).groups] == ["1 organisatie is nog geen partner (rij 2)"]
    assert _choice(preview, "„GGD”").value == f"org-{ggd.pk}"  # the same name: proposed

    _apply(client, prog, preview)

    assert Partnerschap.objects.get(organisatie=ggd).beeindigd_op is None
    assert list(Inspanning.objects.get(code="A1").partnerrollen.values_list("rol")) == [
        ("trekker",)
    ]


# -- the choices are part of the plan ---------------------------------------------------------


@pytest.fixture
def ggd_sheet(cast, prog):
    builders.goal_chain(prog, code="1.7")
    ggd = builders.organisatie(naam="GGD Hollands Noorden")
    return ggd, [["G1", "Actie", "Gezonde school", "1.7", "GGD Hollands Noorden (trekker)"]]


def test_choices_changed_after_the_preview_are_refused_and_shown_again(
    client, cast, prog, ggd_sheet
):
    ggd, rows = ggd_sheet
    client.force_login(cast["leider"])
    preview = _upload(client, prog, rows)
    name = _choice(preview, "„GGD Hollands Noorden”").name
    assert _plan(preview).ready  # the exact name is proposed
    before = _state()

    refused = _apply(client, prog, preview, {name: "nieuw"})

    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Uw keuzes wijken af van de voorvertoning." in html
    assert _state() == before
    assert _choice(refused, "„GGD Hollands Noorden”").value == "nieuw"

    _apply(client, prog, refused)

    assert Organisatie.objects.filter(naam="GGD Hollands Noorden").count() == 2
    assert not Partnerschap.objects.filter(organisatie=ggd).exists()


def test_another_strategic_goal_than_previewed_is_refused(client, cast, prog, two_goals):
    opgroeien, werk = two_goals
    client.force_login(cast["leider"])
    preview = _upload(client, prog, [["W1", "Actie", "Banenmarkt", "3.1 Werk voor iedereen", ""]])
    checked = _check(client, prog, preview, {"keuze-doelen-onder": f"sd-{opgroeien.pk}"})
    before = _state()

    # The rows are the same either way; only where the new goal goes differs.
    refused = _apply(client, prog, checked, {"keuze-doelen-onder": f"sd-{werk.pk}"})

    assert "Uw keuzes wijken af van de voorvertoning." in refused.content.decode()
    assert _state() == before

    _apply(client, prog, refused)

    assert OperationeelDoel.objects.get(code="3.1").strategisch_doel == werk


def test_a_forged_choice_with_the_old_token_is_refused(client, cast, prog, ggd_sheet):
    _ggd, rows = ggd_sheet
    other = builders.organisatie(naam="Iets Anders")
    client.force_login(cast["leider"])
    preview = _upload(client, prog, rows)
    name = _choice(preview, "„GGD Hollands Noorden”").name
    before = _state()

    refused = _apply(client, prog, preview, {name: f"org-{other.pk}"})

    assert _state() == before
    assert _choice(refused, "„GGD Hollands Noorden”").errors == (
        "Die organisatie is niet (meer) te kiezen; kies opnieuw voor „GGD Hollands Noorden”.",
    )
    assert "Wijzigingen doorvoeren" not in refused.content.decode()


def test_data_changed_after_the_preview_is_refused_with_the_new_preview(
    client, cast, prog, ggd_sheet
):
    ggd, rows = ggd_sheet
    client.force_login(cast["leider"])
    preview = _upload(client, prog, rows)
    partner_services.add_partner(prog, ggd)  # a colleague, meanwhile
    before = _state()

    refused = _apply(client, prog, preview)

    assert "De doelenboom is gewijzigd sinds de voorvertoning." in refused.content.decode()
    assert _state() == before
    assert not _plan(refused).groups

    _apply(client, prog, refused)

    assert Inspanning.objects.get(code="G1").partnerrollen.get().organisatie == ggd


# -- all or nothing ---------------------------------------------------------------------------


def test_a_failure_at_the_last_row_writes_nothing_history_included(
    client, leider, west, monkeypatch
):
    client.force_login(leider)
    preview = _upload(
        client,
        west,
        [
            ["A1", "Actie", "Eerste rij", "1.1 Kinderen groeien gezond op", "Buurtteam (trekker)"],
            ["A2", "Actie", "Tweede rij", "1.2", "Bibliotheek"],
            ["A3", "Actie", "Laatste rij", "1.1", "Buurtteam"],
        ],
    )
    checked = _check(
        client,
        west,
        preview,
        {"keuze-doelen-nieuw": "Gezond opgroeien", "keuze-ambitie-titel": "Iedereen telt mee"},
    )
    assert _plan(checked).ready
    before = _state()

    clean = Inspanning.clean

    def refuse_the_last_row(self):
        clean(self)
        if self.titel == "Laatste rij":
            raise ValidationError({"titel": "Geweigerd in deze test."})

    monkeypatch.setattr(Inspanning, "clean", refuse_the_last_row)
    response = _apply(client, west, checked)

    assert response.status_code == 200
    assert response.context["page"].errors == [
        "Blad 'Inspanningen', rij 4: Geweigerd in deze test."
    ]
    assert 'role="alert"' in response.content.decode()
    assert _state() == before
    assert not Organisatie.objects.filter(naam="Buurtteam").exists()


# -- what the preview lists -------------------------------------------------------------------


def test_more_than_fifty_row_errors_list_fifty_and_count_the_rest(client, cast, prog):
    client.force_login(cast["leider"])
    rows = [["", "Feest", f"Rij {n}", "", ""] for n in range(73)]

    response = _upload(client, prog, rows)
    html = response.content.decode()

    assert len(response.context["page"].errors) == 73
    assert "Verbeter deze 73 fouten" in html
    assert "rij 51, cel B51" in html
    assert "rij 52, cel B52" not in html
    assert "en nog 23 fouten" in html


def test_only_rows_that_change_are_listed_and_the_others_counted(client, cast, prog):
    goal = builders.goal_chain(prog, code="1.7")
    for n in range(4):
        builders.inspanning(prog, code=f"A{n}", titel=f"Inspanning {n}", doelen=[goal])
    rows = sheets.export_rows(prog)
    rows[2][2] = "Een nieuwe titel"
    client.force_login(cast["leider"])

    response = _upload(client, prog, rows)
    html = response.content.decode()

    assert [r.code for r in _plan(response).changed_rows] == ["A2"]
    assert html.count('<tr class="utrecht-table__row">\n              <td') == 1
    assert "Inspanning 0" not in html
    assert "3 rijen ongewijzigd" in html


def test_partner_changes_are_shown_one_line_per_partner(client, cast, prog):
    goal = builders.goal_chain(prog, code="1.7")
    hanze = builders.partner(prog, naam="Hanzehogeschool")
    ggd = builders.partner(prog, naam="GGD")
    builders.partner(prog, naam="Gemeente Den Helder")
    builders.inspanning(
        prog,
        code="A1",
        titel="Wijkzorg",
        doelen=[goal],
        partners=[(hanze, "betrokken"), (ggd, "betrokken")],
    )
    client.force_login(cast["leider"])

    response = _upload(
        client,
        prog,
        [
            [
                "A1",
                "Actie",
                "Wijkzorg",
                "1.7",
                "Hanzehogeschool (kennispartner); Gemeente Den Helder (trekker)",
            ]
        ],
    )

    (row,) = _plan(response).rows
    (change,) = row.changes
    assert change.lines == (
        "Hanzehogeschool: betrokken → kennispartner",
        "+ Gemeente Den Helder (trekker)",
        f"{MINUS} GGD (betrokken)",
    )
    html = response.content.decode()
    for line in change.lines:
        assert f"<li>{line}</li>" in html


@pytest.mark.parametrize(
    ("username", "slug", "names"),
    [
        (
            "leider.avk",
            "avk",
            [
                "Inspanningen importeren uit Excel",
                "1 operationele doelstelling bestaat nog niet (rij 2)",
                "Waar komen ze onder? Kies een strategische doelstelling.",
                "Wat de import met elke gewijzigde rij doet (inspanningen)",
            ],
        ),
        (
            "leider.kvnh",
            "kvnh",
            [
                "Projecten importeren uit Excel",
                "1 doelstelling bestaat nog niet (rij 2)",
                "Waar komen ze onder? Kies een thema.",
                "Wat de import met elke gewijzigde rij doet (projecten)",
            ],
        ),
    ],
)
def test_the_page_speaks_the_programmes_own_level_names(client, demo, username, slug, names):
    client.force_login(get_user_model().objects.get(username=username))
    prog = Programma.objects.get(slug=slug)

    assert names[0] in client.get(_url(prog)).content.decode()

    html = _upload(client, prog, [["Z9", "Actie", "Iets nieuws", "99.9 Nieuw doel", ""]])
    html = html.content.decode()
    for name in names:
        assert name in html


def test_unanswered_choices_are_summarised_with_links_to_their_fields(client, leider, west):
    builders.organisatie(naam="Hanzehogeschool Groningen")
    client.force_login(leider)
    preview = _upload(client, west, [["A1", "Actie", "Een", "1.1", "Hanze"]])

    checked = _check(client, west, preview)
    html = checked.content.decode()

    partner = _choice(checked, "„Hanze”").name
    assert '<h2 class="utrecht-heading-2" id="keuzefouten-kop">Controleer uw keuzes</h2>' in html
    assert 'href="#keuze-doelen-nieuw"' in html
    assert 'href="#keuze-ambitie-titel"' in html
    assert f'href="#{partner}-0"' in html
    assert f'id="{partner}-0"' in html
    assert 'aria-describedby="keuze-doelen-nieuw-hulp keuze-doelen-nieuw-fout"' in html
    assert "<title>Fout:" in html
    assert "Wijzigingen doorvoeren" not in html


def test_preview_queries_do_not_grow_with_rows_naming_missing_things(prog):
    builders.ambitie(prog)

    def queries(n: int) -> int:
        rows = [[f"N{i}", "Actie", f"Nieuw {i}", "8.1 Nieuw", "Nieuwe Stichting"] for i in range(n)]
        parsed = sheets.parse_sheet(builders.xlsx(rows))
        plan, count = count_queries(lambda: sheets.plan_import(prog, parsed))
        assert len(plan.groups) == 2
        return count

    assert queries(1) == queries(30)


# -- a new region, start to finish -------------------------------------------------------------


def test_a_fresh_programme_gets_its_goal_tree_from_the_sheet(client, leider, west):
    builders.organisatie(naam="Gemeente Den Helder")  # known from another programme
    client.force_login(leider)
    rows = [
        [
            "A1",
            "Actie",
            "Vroegsignalering",
            "1.1 Huishoudens zijn in beeld",
            "Gemeente Den Helder (trekker); Buurtteam Noord",
        ],
        [
            "A2",
            "Onderzoeken",
            "Monitor",
            "1.1; 1.2 Kinderen groeien gezond op",
            "Buurtteam Noord (kennispartner)",
        ],
        ["A3", "Structureel", "Netwerk", "1.2", ""],
    ]

    preview = _upload(client, west, rows)
    assert [g.title for g in _plan(preview).groups] == [
        "2 operationele doelstellingen bestaan nog niet (rijen 2\N{EN DASH}4)",
        "2 organisaties zijn nog geen partner (rijen 2\N{EN DASH}3)",
    ]
    checked = _check(
        client,
        west,
        preview,
        {"keuze-doelen-nieuw": "Bestaanszekerheid", "keuze-ambitie-titel": "Niemand in armoede"},
    )
    done = _apply(client, west, checked)

    assert done.status_code == 302
    message = client.get(done["Location"]).content.decode()
    assert (
        "Excel-import doorgevoerd: 3 toegevoegd, 0 gewijzigd, 0 ongewijzigd. Aangemaakt: "
        "1 ambitie, 1 strategische doelstelling, 2 operationele doelstellingen, "
        "1 nieuwe organisatie, 2 nieuwe partners."
    ) in message
    (ambitie,) = Ambitie.objects.filter(programma=west)
    assert ambitie.titel == "Niemand in armoede"
    (sd,) = ambitie.strategische_doelen.all()
    assert sd.titel == "Bestaanszekerheid"
    assert list(sd.operationele_doelen.values_list("code", "titel")) == [
        ("1.1", "Huishoudens zijn in beeld"),
        ("1.2", "Kinderen groeien gezond op"),
    ]
    assert sorted(west.organisaties.values_list("naam", flat=True)) == [
        "Buurtteam Noord",
        "Gemeente Den Helder",
    ]
    monitor = Inspanning.objects.get(programma=west, code="A2")
    assert sorted(monitor.doelen.values_list("code", flat=True)) == ["1.1", "1.2"]
    for item in (ambitie, sd, *sd.operationele_doelen.all(), monitor):
        assert item.history.get().history_change_reason == "Excel-import"
