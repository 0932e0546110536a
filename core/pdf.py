"""HTML to PDF with WeasyPrint, fetching nothing but the project's own static files.

WeasyPrint fetches every stylesheet, image and font a page links to. Its default fetcher
follows any URL: the network, and file: URLs anywhere on disk. Pages rendered to PDF carry
user-written text, so the fetcher here is locked: it serves `/static/...` on the page's own
base URL from the static files (finders, or STATIC_ROOT after collectstatic), allows inline
data: URLs, and refuses everything else.
"""

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Root-relative links (`/static/...`) need a base URL to resolve against. Nothing is ever
# fetched from it: the fetcher answers for this origin itself. `.invalid` never resolves.
DEFAULT_BASE_URL = "https://koers.invalid/"


class RefusedURL(ValueError):
    """A URL the PDF renderer may not fetch."""


class StaticFilesFetcher(URLFetcher):
    """Serves the project's static files on `base_url`'s origin; refuses every other URL."""

    def __init__(self, base_url: str = DEFAULT_BASE_URL) -> None:
        super().__init__(allowed_protocols={"data"})
        base = urlsplit(base_url)
        self._origin = (base.scheme.lower(), base.netloc.lower())
        self._prefix = "/" + settings.STATIC_URL.strip("/") + "/"

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme.lower() == "data":
            # Decoded in memory by urllib's DataHandler; `allowed_protocols` keeps it at that.
            return super().fetch(url, headers)
        if (parts.scheme.lower(), parts.netloc.lower()) != self._origin:
            raise RefusedURL(f"Alleen eigen statische bestanden; geweigerd: {url}")
        path = self._static_file(unquote(parts.path))
        mime_type, _encoding = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            url,
            path.read_bytes(),
            {"Content-Type": mime_type or "application/octet-stream"},
        )

    def _static_file(self, path: str) -> Path:
        if not path.startswith(self._prefix):
            raise RefusedURL(f"Geen statisch bestand: {path}")
        relative = path.removeprefix(self._prefix)
        # Refuse rather than normalise: a static URL never needs "..", "." or "//".
        segments = relative.split("/")
        if any(s in ("", ".", "..") or "\\" in s or "\0" in s for s in segments):
            raise RefusedURL(f"Ongeldig pad: {path}")
        relative = posixpath.join(*segments)
        found = finders.find(relative)
        if found:
            return Path(found)
        if settings.STATIC_ROOT:
            root = Path(settings.STATIC_ROOT).resolve()
            candidate = (root / relative).resolve()
            if candidate.is_relative_to(root) and candidate.is_file():
                return candidate
        raise RefusedURL(f"Statisch bestand bestaat niet: {path}")


def render_document(html: str, *, base_url: str = DEFAULT_BASE_URL) -> Document:
    """Lay `html` out as print pages; `document.pages` holds their number and size."""
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher(base_url)).render()


def render_pdf(html: str, *, base_url: str = DEFAULT_BASE_URL) -> bytes:
    """`html` as PDF bytes."""
    return render_document(html, base_url=base_url).write_pdf()
