"""Build static/dist/koers.css: NL Design System tokens and components plus our own theme.

One stylesheet for browser and PDF. The npm packages are installed by `./koers setup`;
nothing from node_modules is served directly.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SOURCES = [
    "node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css",
    "node_modules/@utrecht/component-library-css/dist/index.css",
    "static/css/koers.css",
    "static/css/praatplaat.css",
]


class Command(BaseCommand):
    help = "Bouwt static/dist/koers.css uit de NL Design System-pakketten en ons eigen thema."

    def handle(self, *args: object, **options: object) -> None:
        base = Path(settings.BASE_DIR)
        parts = []
        for rel in SOURCES:
            path = base / rel
            if not path.is_file():
                raise CommandError(
                    f"{rel} ontbreekt; draai eerst 'npm ci' (./koers setup doet dat)."
                )
            parts.append(f"/* ---- {rel} ---- */\n{path.read_text(encoding='utf-8')}")
        out = base / "static" / "dist" / "koers.css"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(parts), encoding="utf-8")
        self.stdout.write(f"{out.relative_to(base)} gebouwd ({out.stat().st_size // 1024} KiB).")
