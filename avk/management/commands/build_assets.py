"""Build static/dist/koers.css: NL Design System tokens and components plus our own theme.

One stylesheet for browser and PDF. The npm packages are installed by `./koers setup`;
nothing from node_modules is served directly.

The Utrecht component library ships every component (about 400 KiB of CSS); Koers uses a
handful. So the build takes only the components whose classes appear in our templates,
scripts and Python (template tags that write HTML), each from its own npm package, and only
the design tokens that this CSS actually reads. A new class in a template is picked up at the
next build; a class of no known component stops the build, so a typo can't go unstyled.
"""

import json
import os
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

TOKENS = "node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css"
LIBRARY = "node_modules/@utrecht/component-library-css"
OWN = [
    "static/css/koers.css",
    "static/css/praatplaat.css",
    "static/css/fasering.css",
    "static/css/voortgang.css",
    "static/css/dashboard.css",
    "static/css/mijn-werk.css",
    "static/css/reflectie.css",
]

# Where classes are written. Tests are left out: they may name classes on purpose.
SCAN_SUFFIXES = {".html", ".js", ".py"}
SKIP_DIRS = {".git", ".venv", "node_modules", "staticfiles", "dist", "tests", "__pycache__"}

# A class such as utrecht-form-field__label or utrecht-button--primary-action; not a custom
# property (--utrecht-link-color), which belongs to the tokens, not to a component.
UTRECHT_CLASS = re.compile(r"(?<![\w-])utrecht-([a-z0-9]+(?:-[a-z0-9]+)*)")
VAR_USE = re.compile(r"var\(\s*(--[\w-]+)")
DECLARATION = re.compile(r"(--[\w-]+)\s*:\s*([^;]*);")
CHARSET = re.compile(r'@charset\s+"[^"]*";\s*')


def used_blocks(base: Path) -> dict[str, set[str]]:
    """Each utrecht-* block name used in our sources, with the files that use it."""
    blocks: dict[str, set[str]] = {}
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)  # never walk node_modules
        for filename in files:
            path = Path(folder, filename)
            if path.suffix not in SCAN_SUFFIXES:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for name in UTRECHT_CLASS.findall(text):
                block = re.split(r"__|--", name)[0]
                blocks.setdefault(block, set()).add(str(path.relative_to(base)))
    return blocks


def component_css(base: Path, package: str) -> Path | None:
    """dist/index.css of an @utrecht/*-css package, hoisted or nested under the library."""
    for root in (base / LIBRARY / "node_modules", base / "node_modules"):
        path = root / package / "dist" / "index.css"
        if path.is_file():
            return path
    return None


def select_components(base: Path, blocks: dict[str, set[str]]) -> list[str]:
    """The library's packages that style the used blocks, in the library's own order.

    A block belongs to the package of its longest matching name: utrecht-form-field-
    error-message to form-field-error-message-css, utrecht-table-container to table-css.
    """
    library = json.loads((base / LIBRARY / "package.json").read_text(encoding="utf-8"))
    packages = [p for p in library["dependencies"] if p.startswith("@utrecht/")]
    available = {p.removeprefix("@utrecht/").removesuffix("-css"): p for p in packages}
    wanted, unknown = set(), []
    for block, files in sorted(blocks.items()):
        parts = block.split("-")
        match = next(
            (
                "-".join(parts[:n])
                for n in range(len(parts), 0, -1)
                if "-".join(parts[:n]) in available
            ),
            None,
        )
        if match is None:
            unknown.append(f"utrecht-{block} (in {', '.join(sorted(files))})")
        else:
            wanted.add(available[match])
    if unknown:
        raise CommandError(
            "Deze classes horen bij geen enkel component van "
            f"@utrecht/component-library-css: {'; '.join(unknown)}"
        )
    return [p for p in packages if p in wanted]


def used_tokens(theme: str, css: str) -> str:
    """The token sheet with only the custom properties `css` reads, directly or via tokens.

    Custom properties nobody reads change nothing on the page; the voorbeeld theme defines
    thousands, for every component of every NL Design System library.
    """
    head, brace, rest = theme.partition("{")
    body, close, tail = rest.rpartition("}")
    if not brace or not close or "{" in body or tail.strip():
        return theme  # not the one flat rule this expects: keep it whole rather than guess
    tokens = dict(DECLARATION.findall(body))
    needed, todo = set(), set(VAR_USE.findall(css))
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        todo.update(VAR_USE.findall(tokens.get(name, "")))
    kept = "".join(f"  {name}: {value};\n" for name, value in tokens.items() if name in needed)
    return f"{head}{{\n{kept}}}\n"


class Command(BaseCommand):
    help = "Bouwt static/dist/koers.css uit de NL Design System-pakketten en ons eigen thema."

    def handle(self, *args: object, **options: object) -> None:
        base = Path(settings.BASE_DIR)
        for rel in (TOKENS, f"{LIBRARY}/package.json", *OWN):
            if not (base / rel).is_file():
                raise CommandError(
                    f"{rel} ontbreekt; draai eerst 'npm ci' (./koers setup doet dat)."
                )
        packages = select_components(base, used_blocks(base))
        parts = []
        for package in packages:
            path = component_css(base, package)
            if path is None:
                raise CommandError(f"{package} ontbreekt; draai eerst 'npm ci'.")
            parts.append((package, path.read_text(encoding="utf-8")))
        parts += [(rel, (base / rel).read_text(encoding="utf-8")) for rel in OWN]
        theme = used_tokens(
            (base / TOKENS).read_text(encoding="utf-8"), "\n".join(css for _, css in parts)
        )
        parts.insert(0, (TOKENS.removeprefix("node_modules/"), theme))
        # @charset counts only as the very first rule, so once, at the top.
        css = '@charset "UTF-8";\n' + "\n".join(
            f"/* ---- {name} ---- */\n{CHARSET.sub('', text)}" for name, text in parts
        )
        out = base / "static" / "dist" / "koers.css"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(css, encoding="utf-8")
        self.stdout.write(
            f"{out.relative_to(base)} gebouwd ({out.stat().st_size // 1024} KiB, "
            f"{len(packages)} NL Design System-componenten)."
        )
