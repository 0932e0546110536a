"""The small form per project on the planning page: start month and "start na"."""

import datetime

from babel.dates import format_date
from django import forms
from django.utils.translation import gettext_lazy as _

from core.formats import LOCALE


def month_choices(first_year: int, last_year: int, extra=()) -> list[tuple[str, str]]:
    """Every month of the years, as ("2025-09", "september 2025"), plus months in `extra`."""
    days = {datetime.date(y, m, 1) for y in range(first_year, last_year + 1) for m in range(1, 13)}
    days.update(day for day in extra if day is not None)
    return [("", _("geen vaste maand"))] + [
        (day.strftime("%Y-%m"), format_date(day, "MMMM y", locale=LOCALE)) for day in sorted(days)
    ]


class ProjectplanningForm(forms.Form):
    start = forms.ChoiceField(label=_("Startmaand"), required=False)
    start_na = forms.TypedChoiceField(
        label=_("Start na"), required=False, coerce=int, empty_value=None
    )
    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, months, projects, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].choices = months
        self.fields["start_na"].choices = [("", _("geen ander project")), *projects]
        self.fields["start"].widget.attrs["class"] = "utrecht-select utrecht-select--html-select"
        self.fields["start_na"].widget.attrs["class"] = "utrecht-select utrecht-select--html-select"

    def clean_start(self) -> datetime.date | None:
        value = self.cleaned_data["start"]
        if not value:
            return None
        year, month = value.split("-")
        return datetime.date(int(year), int(month), 1)
