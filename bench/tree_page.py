"""Benchmark: server time and query count of the main pages at 1x and Kx data.

The goal-tree page promises "one fixed set of queries, whatever the tree's size"
(doelenboom/queries.py); this checks that promise and the other pages' against a database
holding K programmes of AVK size, and then times the goal tree of one programme with N
inspanningen of its own. Runs on a throwaway SQLite file, never on db.sqlite3.

    .venv/bin/python bench/tree_page.py [--scale 20] [--requests 30] [--inspanningen 1000]

Exits 1 when the number of queries of any page grows with the data. Prints whether the goal
tree's medians stay within their budgets (AVK under 100 ms, the long tree under 1 s).
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
USERNAME = "leider.avk"
PAGES = [
    ("goal tree", "/programmas/avk/doelenboom/"),
    ("overview", "/programmas/avk/"),
    ("programme list", "/programmas/"),
    ("partner list", "/programmas/avk/partners/"),
    ("partner page", "/programmas/avk/partners/hanzehogeschool/"),
    ("item history", "/programmas/avk/doelenboom/inspanning/{a1}/geschiedenis/"),
    ("recent changes", "/programmas/avk/wijzigingen/"),
]
LONG_TREE = ("goal tree", "/programmas/groot/doelenboom/")  # made by scale_data --inspanningen
WARM_UP = 3
BUDGET_MS = {"/programmas/avk/doelenboom/": 100.0, LONG_TREE[1]: 1000.0}


@dataclass(frozen=True)
class Measurement:
    page: str
    path: str
    scale: str
    median_ms: float
    min_ms: float
    queries: int
    kilobytes: float


def _setup_django(tmp: str) -> None:
    # Settings read these when django.setup() imports them, so they go first.
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "avk.settings"
    os.environ["DJANGO_ENV"] = "development"
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG would record every query and slow pages down
    sys.path.insert(0, str(BASE_DIR))
    # WhiteNoise warns that STATIC_ROOT was never collected; irrelevant here.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()


def _measure(client, scale: str, requests: int, pages=PAGES) -> list[Measurement]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from doelenboom.models import Inspanning
    from programmes.models import Programma

    print(
        f"{scale}: {Programma.objects.count()} programmes, "
        f"{Inspanning.objects.count()} inspanningen in the database."
    )
    results = []
    a1 = Inspanning.objects.get(programma__slug="avk", code="A1").pk
    for page, template in pages:
        path = template.format(a1=a1)
        for _ in range(WARM_UP):
            _get(client, path)
        timings = []
        for _ in range(requests):
            start = time.perf_counter()
            _get(client, path)
            timings.append((time.perf_counter() - start) * 1000)
        # Counted on a separate request so that recording the queries does not skew timings.
        with CaptureQueriesContext(connection) as captured:
            response = _get(client, path)
        results.append(
            Measurement(
                page=page,
                path=path,
                scale=scale,
                median_ms=statistics.median(timings),
                min_ms=min(timings),
                queries=len(captured.captured_queries),
                kilobytes=len(response.content) / 1024,
            )
        )
    return results


def _get(client, path: str):
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}, expected 200.")
    return response


def _print_table(results: list[Measurement]) -> None:
    header = ("Page", "Path", "Scale", "Median ms", "Min ms", "Queries", "KB")
    rows = [
        (
            r.page,
            r.path,
            r.scale,
            f"{r.median_ms:.1f}",
            f"{r.min_ms:.1f}",
            str(r.queries),
            f"{r.kilobytes:.0f}",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    numeric = {2, 3, 4, 5, 6}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            cell.rjust(w) if i in numeric else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        )

    print(line(header))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def _grow_history(scale: int) -> None:
    """Edit A1 `scale` times, so its history and the recent changes grow with the data too."""
    from doelenboom.models import Inspanning
    from doelenboom.services import update_item

    a1 = Inspanning.objects.get(programma__slug="avk", code="A1")
    original = a1.titel
    for n in range(scale):
        a1, _ = update_item(
            a1,
            {"titel": f"{original} ({n})" if n < scale - 1 else original},
            expected_versie=a1.versie,
            reason="benchmark",
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=int, default=20, help="programmes of AVK size in total (default 20)"
    )
    parser.add_argument(
        "--requests", type=int, default=30, help="timed requests per page and scale (default 30)"
    )
    parser.add_argument(
        "--inspanningen",
        type=int,
        default=1000,
        help="inspanningen in the long tree's programme (default 1000)",
    )
    args = parser.parse_args()
    if args.scale < 2 or args.requests < 1 or args.inspanningen < 1:
        parser.error("--scale, --requests and --inspanningen must be at least 2, 1 and 1")

    with tempfile.TemporaryDirectory(prefix="koers-bench-") as tmp:
        _setup_django(tmp)
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from avk.demo import load_demo

        print(f"Database: {connection.settings_dict['NAME']}")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        load_demo()
        print(f"Migrated and loaded the demo in {time.perf_counter() - started:.1f} s.")

        # Not "testserver": setup_test_environment() would allow it, but also instrument
        # template rendering, which costs time on every page.
        client = Client(HTTP_HOST="localhost")
        client.force_login(get_user_model().objects.get(username=USERNAME))

        results = _measure(client, "1x", args.requests)
        started = time.perf_counter()
        call_command("scale_data", programmes=args.scale - 1, stdout=io.StringIO())
        print(
            f"scale_data --programmes {args.scale - 1} took {time.perf_counter() - started:.1f} s."
        )
        _grow_history(args.scale)
        results += _measure(client, f"{args.scale}x", args.requests)
        started = time.perf_counter()
        call_command(
            "scale_data",
            programmes=args.scale - 1,
            inspanningen=args.inspanningen,
            stdout=io.StringIO(),
        )
        print(
            f"scale_data --inspanningen {args.inspanningen} took "
            f"{time.perf_counter() - started:.1f} s."
        )
        long_tree = _measure(client, f"{args.inspanningen} insp.", args.requests, [LONG_TREE])
        connection.close()

    print(f"\nMedian and fastest of {args.requests} requests after {WARM_UP} warm-up requests.\n")
    # Stable sort: each page's rows stay in the order measured (1x, Kx).
    _print_table(sorted(results, key=lambda r: [n for n, _ in PAGES].index(r.page)) + long_tree)
    print()
    for r in [*results, *long_tree]:
        budget = BUDGET_MS.get(r.path)
        if budget is not None:
            verdict = "within" if r.median_ms < budget else "OVER"
            print(
                f"{r.page} ({r.path}, {r.scale}): median {r.median_ms:.1f} ms, "
                f"{verdict} its budget of {budget:.0f} ms."
            )
    grew = False
    for page, _template in PAGES:
        small, large = (r.queries for r in results if r.page == page)
        path = next(r.path for r in results if r.page == page)
        if large == small:
            print(f"{page} ({path}): query count the same at 1x and {args.scale}x ({small}).")
        else:
            grew = grew or large > small
            print(
                f"{page} ({path}): query count CHANGED from {small} at 1x "
                f"to {large} at {args.scale}x."
            )
    # The tree's own size must not move its query count either.
    avk_tree = next(r.queries for r in results if r.path == PAGES[0][1])
    long_queries = long_tree[0].queries
    grew = grew or long_queries > avk_tree
    same = "the same as" if long_queries == avk_tree else "CHANGED from"
    print(
        f"goal tree with {args.inspanningen} inspanningen: query count {same} AVK's "
        f"({avk_tree} → {long_queries})."
    )
    return 1 if grew else 0


if __name__ == "__main__":
    sys.exit(main())
