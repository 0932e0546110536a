"""Two people edit the same item: their changes are merged, and where both changed a field the
second editor chooses per field (keep mine, take theirs, edit) before anything is saved."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from doelenboom import services
from doelenboom.models import Inspanning
from tests import builders

HTMX = {"HX-Request": "true"}


class _FormValues(HTMLParser):
    """What a browser posts for the edit form in a page: its fields as they are filled in."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and "koers-edit" in (a.get("class") or ""):
            self._in_form = True
        if not self._in_form or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in a:
                return
            self.values.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[a["name"]] = [""]
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = [a.get("value") or ""]

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_as_shown(html: str, **changes: str) -> dict:
    parser = _FormValues()
    parser.feed(html)
    data = {
        name: values if len(values) > 1 else values[0] for name, values in parser.values.items()
    }
    data.update(changes)
    return data


@pytest.fixture
def setup(prog, cast):
    goal = builders.goal_chain(prog, titel="Huishoudens zijn vroegtijdig in beeld", code="1.1")
    obj = builders.inspanning(
        prog,
        titel="Inzetten op vroegsignalering",
        code="A1",
        omschrijving="De oorspronkelijke omschrijving.",
        doelen=[goal],
    )
    url = reverse("doelenboom:edit", args=[prog.slug, "inspanning", obj.pk])
    leider, team = Client(), Client()
    leider.force_login(cast["leider"])
    team.force_login(cast["team"])
    # Both opened the form at version 1.
    return {"obj": obj, "url": url, "leider": leider, "team": team, "start": _data(obj)}


def _data(obj: Inspanning, **changes) -> dict:
    return builders.inspanning_form_data(obj, **changes)


def _key(obj: Inspanning, name: str) -> str:
    return f"inspanning-{obj.pk}-{name}"


def _both_rename(setup) -> str:
    """The leader saves a new title and description; then the team saves its own title."""
    obj = setup["obj"]
    setup["leider"].post(
        setup["url"],
        {
            **setup["start"],
            _key(obj, "titel"): "Titel van de leider",
            _key(obj, "omschrijving"): "Omschrijving van de leider.",
        },
    )
    response = setup["team"].post(
        setup["url"], {**setup["start"], _key(obj, "titel"): "Titel van het team"}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_changes_to_different_fields_are_merged_without_asking(setup):
    obj = setup["obj"]
    setup["leider"].post(
        setup["url"], {**setup["start"], _key(obj, "omschrijving"): "Door de leider."}
    )

    response = setup["team"].post(
        setup["url"], {**setup["start"], _key(obj, "titel"): "Titel van het team"}
    )

    assert response.status_code == 302
    obj.refresh_from_db()
    assert (obj.titel, obj.omschrijving, obj.versie) == ("Titel van het team", "Door de leider.", 3)


def test_conflict_shows_each_field_with_their_value_and_yours_and_saves_nothing(setup):
    html = _both_rename(setup)

    obj = setup["obj"]
    obj.refresh_from_db()
    assert obj.titel == "Titel van de leider"
    assert "leider heeft dit intussen gewijzigd" in html
    assert '<legend class="utrecht-form-fieldset__legend">Titel</legend>' in html
    assert "<dt>Versie van leider</dt><dd>Titel van de leider</dd>" in html
    assert "<dt>Uw versie</dt><dd>Titel van het team</dd>" in html
    for label in ("Mijn versie houden", "Hun versie overnemen", "Zelf aanpassen"):
        assert label in html
    # The description only the leader changed is no question: it is listed and kept.
    assert "<dt>Omschrijving</dt><dd>Omschrijving van de leider.</dd>" in html
    assert "Omschrijving van de leider.</textarea>" in html


def test_resubmitting_the_conflict_form_without_choices_is_refused(setup):
    html = _both_rename(setup)

    response = setup["team"].post(setup["url"], form_as_shown(html))

    obj = setup["obj"]
    obj.refresh_from_db()
    assert (obj.titel, obj.versie) == ("Titel van de leider", 2)
    page = response.content.decode()
    assert "Niet opgeslagen: kies eerst bij elk veld wat er blijft." in page
    assert "Kies wat er met “titel” gebeurt." in page


@pytest.mark.parametrize(
    ("choice", "box", "saved"),
    [
        ("mijn", "Titel van het team", "Titel van het team"),
        ("hun", "Titel van het team", "Titel van de leider"),
        ("bewerk", "Titel van ons samen", "Titel van ons samen"),
        # "Keep mine" is what the editor had entered, even if the box was changed since.
        ("mijn", "Halverwege aangepast", "Titel van het team"),
    ],
)
def test_each_choice_is_applied_and_the_untouched_field_keeps_their_value(
    setup, choice, box, saved
):
    obj = setup["obj"]
    html = _both_rename(setup)

    response = setup["team"].post(
        setup["url"],
        form_as_shown(html, **{_key(obj, "keuze_titel"): choice, _key(obj, "titel"): box}),
    )

    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.titel == saved
    assert obj.omschrijving == "Omschrijving van de leider."
    assert obj.versie == (2 if saved == "Titel van de leider" else 3)


def test_a_choice_made_before_a_third_save_does_not_count(setup, cast):
    obj = setup["obj"]
    html = _both_rename(setup)
    obj.refresh_from_db()
    services.update_item(obj, {"titel": "Derde titel"}, expected_versie=2)

    response = setup["team"].post(
        setup["url"], form_as_shown(html, **{_key(obj, "keuze_titel"): "mijn"})
    )

    obj.refresh_from_db()
    assert obj.titel == "Derde titel"
    page = response.content.decode()
    assert "<dt>Versie van systeem</dt><dd>Derde titel</dd>" in page
    assert "Niet opgeslagen: kies eerst" not in page  # a new question, not a missed one
    assert f'value="mijn" id="id_inspanning-{obj.pk}-keuze_titel_0">' in page  # not checked


def test_conflict_in_the_tree_moves_focus_to_the_explanation(setup):
    obj = setup["obj"]
    setup["leider"].post(setup["url"], {**setup["start"], _key(obj, "titel"): "Door de leider"})

    response = setup["team"].post(
        setup["url"], {**setup["start"], _key(obj, "titel"): "Door het team"}, headers=HTMX
    )

    html = response.content.decode()
    assert "<html" not in html
    assert f'id="fout-inspanning-{obj.pk}"' in html
    assert f"#fout-inspanning-{obj.pk}" in response["HX-Trigger-After-Settle"]


def test_an_import_or_script_without_a_merge_is_still_refused_for_any_newer_version(setup):
    obj = setup["obj"]
    services.update_item(obj, {"omschrijving": "Door een collega."}, expected_versie=1)

    with pytest.raises(services.EditConflict):
        services.update_item(obj, {"titel": "Andere titel"}, expected_versie=1)


def test_a_checkbox_only_the_other_changed_stays_as_they_left_it(prog, cast):
    ambitie = builders.ambitie(prog, code="1", titel="Geen armoede", eigenaar="Wethouder A")
    url = reverse("doelenboom:edit", args=[prog.slug, "ambitie", ambitie.pk])
    key = f"ambitie-{ambitie.pk}"
    start = {f"{key}-versie": 1, f"{key}-code": "1", f"{key}-titel": "Geen armoede"}
    start |= {f"{key}-eigenaar": "Wethouder A", f"{key}-uitgewerkt": "on"}
    leider, team = Client(), Client()
    leider.force_login(cast["leider"])
    team.force_login(cast["team"])
    leider_data = {**start, f"{key}-eigenaar": "Wethouder B"}
    del leider_data[f"{key}-uitgewerkt"]
    leider.post(url, leider_data)

    html = team.post(url, {**start, f"{key}-eigenaar": "Wethouder C"}).content.decode()
    shown = form_as_shown(html)
    assert f"{key}-uitgewerkt" not in shown  # unticked, as the leader left it
    team.post(url, {**shown, f"{key}-keuze_eigenaar": "hun"})

    ambitie.refresh_from_db()
    assert (ambitie.eigenaar, ambitie.uitgewerkt, ambitie.versie) == ("Wethouder B", False, 2)
