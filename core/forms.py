"""Form plumbing shared by every app."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def show_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on top.

    A model's `clean` may name a field the form does not have (e.g. "organisatie" on a partner
    link); `form.add_error` would raise for that, so such messages go above the form.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        known = name in form.fields and name != NON_FIELD_ERRORS
        form.add_error(name if known else None, errors)
