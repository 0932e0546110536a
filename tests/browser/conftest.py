"""Browser tests: Debian's chromium driven by Playwright (pytest-playwright), never a download.

Every page a test checks with `assert_accessible` gets axe-core (WCAG 2.1 A/AA) at once and
the Nu HTML Checker at the end of the session; every console error or uncaught exception in
any browser test fails that test.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# tests themselves are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    # A best-practice rule outside the WCAG tags: the tree names one landmark per item, and two
    # items with the same title must still be told apart.
    "rules": {"landmark-unique": {"enabled": True}},
}

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Bare hx-* is invalid HTML (data-hx-* is the valid spelling); the end-of-session run must
# report it, or the checker is not really checking.
VNU_CANARY = '<!DOCTYPE html><html lang="nl"><title>x</title><p hx-get="/">x</p></html>'


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.exit(
            "Debian's chromium ontbreekt: 'apt-get install chromium chromium-driver' "
            "(./koers test doet dat).",
            returncode=1,
        )
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": _chromium(),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


class ConsoleErrors:
    """Console errors and uncaught exceptions of every browser context a test opens."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self._allowed: list[tuple[re.Pattern[str], str]] = []

    def watch(self, context) -> None:
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.errors.append(f"pageerror: {error.error}"))

    def allow(self, pattern: str, url: str = "") -> None:
        """Expect errors matching `pattern` (from a resource whose URL contains `url`)."""
        self._allowed.append((re.compile(pattern), url))

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        if any(p.search(message.text) and url in source for p, url in self._allowed):
            return
        self.errors.append(f"console: {message.text} ({source})")


@pytest.fixture(autouse=True)
def console_errors():
    """Fails the test on any console error or page error it did not `allow()`."""
    watcher = ConsoleErrors()
    yield watcher
    if watcher.errors:
        pytest.fail("Fouten in de browserconsole:\n" + "\n".join(watcher.errors), pytrace=False)


@pytest.fixture
def new_context(new_context, console_errors):
    """pytest-playwright's factory, with every context watched for console errors.

    Tests that need a context of their own (JavaScript off) use this, not browser.new_context.
    """

    def _new_context(**kwargs):
        context = new_context(**kwargs)
        console_errors.watch(context)
        return context

    return _new_context


def _log_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    # A login lands on Mijn werk.
    page.wait_for_url(f"{live_server.url}/mijn-werk/")


@pytest.fixture
def login(page, live_server):
    def _login(username: str, password: str = "geheim-wachtwoord") -> None:
        _log_in(page, live_server, username, password)

    return _login


@pytest.fixture
def page_without_javascript(new_context, live_server):
    """A page in a context with JavaScript off, logged in as `username`."""

    def _page(username: str, password: str = "geheim-wachtwoord"):
        page = new_context(java_script_enabled=False).new_page()
        _log_in(page, live_server, username, password)
        return page

    return _page


@pytest.fixture(scope="session")
def axe():
    return Axe()


class HtmlPages:
    """The HTML of every page checked, validated in one Nu HTML Checker run (one JVM start)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.origin: dict[str, str] = {}

    def save(self, html: str, where: str) -> None:
        path = self.folder / f"pagina-{len(self.origin) + 1:03d}.html"
        path.write_text(html, encoding="utf-8")
        self.origin[path.name] = where

    def check(self) -> list[str]:
        if not VNU_JAR.is_file() or not shutil.which("java"):
            return [
                "De Nu HTML Checker ontbreekt: 'npm ci' en 'apt-get install "
                "default-jre-headless' (./koers test doet beide)."
            ]
        canary = self.folder / "canary.html"
        canary.write_text(VNU_CANARY, encoding="utf-8")
        files = [canary, *(self.folder / name for name in self.origin)]
        result = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        try:
            messages = json.loads(result.stderr)["messages"]
        except (ValueError, KeyError):
            return [f"De Nu HTML Checker gaf geen JSON: {result.stderr[-2000:]}"]
        problems, canary_seen = [], False
        for m in messages:
            name = m.get("url", "").rsplit("/", 1)[-1]
            if name == canary.name:
                canary_seen = True
                continue
            line = f"{m.get('lastLine', '?')}:{m.get('firstColumn', '?')}"
            problems.append(
                f"{self.origin.get(name, name)} regel {line}: {m.get('message')}\n"
                f"    {m.get('extract', '').strip()}"
            )
        if not canary_seen:
            problems.append("De Nu HTML Checker vond de fout in een bewust ongeldige pagina niet.")
        return problems


@pytest.fixture(scope="session")
def html_pages(tmp_path_factory):
    """Collects pages during the session; at its end, every error fails the run."""
    pages = HtmlPages(tmp_path_factory.mktemp("nu-html-checker"))
    yield pages
    if pages.origin:
        problems = pages.check()
        if problems:
            pytest.fail(
                f"Nu HTML Checker: {len(problems)} fout(en)\n" + "\n".join(problems), pytrace=False
            )


@pytest.fixture
def assert_accessible(page, axe, html_pages, request):
    """Run axe-core (WCAG 2.1 A and AA rules) on the current page: zero violations.

    The page's HTML, as it stands (after htmx swaps too), goes to the Nu HTML Checker.
    """

    def _check() -> None:
        results = axe.run(page, options=WCAG_21_AA)
        assert results.violations_count == 0, results.generate_report()
        html_pages.save(page.content(), f"{request.node.nodeid} {page.url}")

    return _check
