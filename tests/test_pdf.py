"""PDFs fetch the project's own static files and nothing else: no network, no local files."""

import logging
from pathlib import Path

import pytest
from django.conf import settings

from core.pdf import RefusedURL, StaticFilesFetcher, render_pdf

BASE = "http://testserver/"


@pytest.fixture
def fetcher():
    return StaticFilesFetcher(BASE)


def test_serves_a_static_file_with_its_mime_type(fetcher):
    response = fetcher.fetch(f"{BASE}static/css/koers.css")

    assert response.content_type == "text/css"
    assert response.read() == (Path(settings.BASE_DIR) / "static/css/koers.css").read_bytes()


def test_serves_inline_data_urls(fetcher):
    response = fetcher.fetch("data:text/plain;base64,a29lcnM=")

    assert response.read() == b"koers"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/static/css/koers.css",  # another origin, even for a static path
        "https://example.org/logo.png",
        "file:///etc/passwd",
        f"{BASE}static/../avk/settings.py",
        f"{BASE}static/%2e%2e/avk/settings.py",
        f"{BASE}static/css/..%2F..%2Favk%2Fsettings.py",
        f"{BASE}static//etc/passwd",
        f"{BASE}programmas/",  # a page of the site itself, not a static file
        f"{BASE}static/css/bestaat-niet.css",
    ],
)
def test_refuses_every_other_url(fetcher, url):
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)


def test_rendering_refuses_what_a_page_links_to_elsewhere_and_still_makes_a_pdf(caplog):
    html = (
        '<link rel="stylesheet" href="file:///etc/passwd">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/kwaad.css">'
        '<link rel="stylesheet" href="/static/css/koers.css">'
        "<p>Praatplaat</p>"
    )

    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        pdf = render_pdf(html, base_url=BASE)

    assert pdf.startswith(b"%PDF-")
    refused = [r.getMessage() for r in caplog.records]
    assert len(refused) == 2, refused
    assert "file:///etc/passwd" in refused[0]
    assert "127.0.0.1" in refused[1]
