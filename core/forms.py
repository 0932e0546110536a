"""Form plumbing shared by every app."""

from collections.abc import Callable

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


def save_or_conflict[T](
    form: forms.BaseForm, save: Callable[[], T], stored_form: Callable[[], forms.BaseForm]
) -> tuple[T | None, forms.BaseForm, str]:
    """Run `save`, a version-checked service call, for a valid `form`.

    Answers (result, form, conflict). A refusal lands on `form` (result None). A stale edit
    (a ValidationError with code "conflict") answers a form of what is stored now, built by
    `stored_form`, and the conflict's message, so the user re-enters their change on top of it.
    """
    try:
        return save(), form, ""
    except ValidationError as error:
        if getattr(error, "code", None) != "conflict":
            show_errors(form, error)
            return None, form, ""
        return None, stored_form(), " ".join(error.messages)
