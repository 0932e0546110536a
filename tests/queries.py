"""Counting database queries, for the tests that pin a page's query count."""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(action: Callable[[], Any]) -> tuple[Any, int]:
    """Run `action`; return what it returned and how many queries it made."""
    with CaptureQueriesContext(connection) as ctx:
        result = action()
    return result, len(ctx.captured_queries)


def page_queries(client, url: str, **kwargs) -> int:
    """How many queries one GET of `url` makes; the page must answer 200."""
    response, count = count_queries(lambda: client.get(url, **kwargs))
    assert response.status_code == 200, (url, response.status_code)
    return count
