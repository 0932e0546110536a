"""Benchmark: server time, query count and size of the programme dashboard and progress list.

The dashboard (the programme page with its "Voortgang") and the progress list promise a fixed
number of queries whatever the number of inspanningen and updates; this checks that promise
at demo size and at 20 times the data, each inspanning with 20 updates, and prints whether
the dashboard stays under its budget of 150 ms. Runs on a throwaway SQLite file, never on
db.sqlite3.

    .venv/bin/python bench/dashboard_page.py [--requests 30] [--scale 20] [--updates 20]

Data, on top of the demo (benchmark data, not the documents'):
- 1x: AVK's 65 inspanningen and KvNH's 5 projects, each with `--updates` status updates
  (bench/progress_data.py); KvNH's projects get start months around today, so some run,
  one starts within the quarter and the dashboard has every figure to show.
- Nx: "groot", AVK's inspanningen repeated to N x 65 (`manage.py scale_data --inspanningen`),
  and KvNH with N x 5 projects (4 steps each, starts spread around today); again each with
  `--updates` updates.

Exits 1 when the number of queries of any page grows with the data.
"""

import datetime
import io
import sys
import tempfile
import time

from faseplan_pages import Measurement, _measure
from progress_data import arguments
from tree_page import WARM_UP, _setup_django

BUDGET_MS = 150.0


def _first_of_month(today: datetime.date, months: int) -> datetime.date:
    from fasering.planning import add_months

    return add_months(today.replace(day=1), months)


def _plan_projects(programma, today: datetime.date) -> None:
    """Start months around today for the programme's projects: every fourth month back from a
    year ago, the last two months ahead (in the quarter to ask capacity for)."""
    from doelenboom.models import Inspanning
    from fasering.planning import set_project_planning

    projects = list(
        Inspanning.objects.filter(programma=programma, stappen__isnull=False)
        .distinct()
        .order_by("pk")
    )
    for n, project in enumerate(projects):
        months = 2 if n == len(projects) - 1 else -12 + 4 * (n % 4)
        current = getattr(project, "planning", None)
        set_project_planning(
            project,
            start=_first_of_month(today, months),
            start_na=None,
            expected_versie=current.versie if current else 0,
        )


def _more_projects(programma, count: int, today: datetime.date) -> None:
    """`count` projects of four three-month steps, starting from two years ago to a year ahead."""
    from simple_history.utils import bulk_create_with_history

    from doelenboom.models import Inspanning, Stap
    from fasering.models import Projectplanning

    groep = programma.groepen.order_by("pk").first()
    projects = bulk_create_with_history(
        [
            Inspanning(
                programma=programma,
                code=f"B{n}",
                titel=f"Benchmarkproject {n}",
                categorie=Inspanning.Categorie.PROJECT,
                groep=groep,
                volgorde=1000 + n,
                indicatieve_ondersteuning="Benchmark: 0,2 fte projectleiding.",
            )
            for n in range(count)
        ],
        Inspanning,
    )
    bulk_create_with_history(
        [
            Stap(inspanning=p, volgorde=v, naam=f"Stap {v}", doorlooptijd_maanden=3)
            for p in projects
            for v in range(1, 5)
        ],
        Stap,
    )
    bulk_create_with_history(
        [
            Projectplanning(inspanning=p, start=_first_of_month(today, -24 + n % 36))
            for n, p in enumerate(projects)
        ],
        Projectplanning,
    )


def main() -> int:
    args = arguments(__doc__.splitlines()[0])

    with tempfile.TemporaryDirectory(prefix="koers-bench-") as tmp:
        _setup_django(tmp)
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.utils import timezone
        from progress_data import add_status_updates, migrate_and_load_demo

        from fasering.models import Statusupdate
        from programmes.models import Programma

        migrate_and_load_demo()
        today = timezone.localdate()
        users = get_user_model().objects
        avk = Client(HTTP_HOST="localhost")
        avk.force_login(users.get(username="leider.avk"))
        kvnh = Client(HTTP_HOST="localhost")
        kvnh.force_login(users.get(username="leider.kvnh"))
        kvnh_programme = Programma.objects.get(slug="kvnh")

        _plan_projects(kvnh_programme, today)
        made = add_status_updates(Programma.objects.get(slug="avk"), args.updates, today)
        made += add_status_updates(kvnh_programme, args.updates, today)
        print(f"1x: {made} updates added.")

        def pages(avk_slug: str) -> list[tuple[str, Client, str]]:
            return [
                ("dashboard AVK", avk, f"/programmas/{avk_slug}/"),
                ("progress list AVK", avk, f"/programmas/{avk_slug}/voortgang/"),
                ("list AVK, stale", avk, f"/programmas/{avk_slug}/voortgang/?stil=1"),
                ("dashboard KvNH", kvnh, "/programmas/kvnh/"),
                ("progress list KvNH", kvnh, "/programmas/kvnh/voortgang/"),
            ]

        results: list[Measurement] = [
            _measure(client, page, path, "1x", args.requests) for page, client, path in pages("avk")
        ]

        started = time.perf_counter()
        call_command("scale_data", programmes=0, inspanningen=65 * args.scale, stdout=io.StringIO())
        groot = Programma.objects.get(slug="groot")
        kvnh_projects = kvnh_programme.inspanningen.count()
        _more_projects(kvnh_programme, kvnh_projects * (args.scale - 1), today)
        made = add_status_updates(groot, args.updates, today)
        # Every KvNH project again: the new ones get their first `--updates`, the first five
        # twice as many.
        made += add_status_updates(kvnh_programme, args.updates, today)
        print(
            f"{args.scale}x: {groot.inspanningen.count()} inspanningen in 'groot', "
            f"{kvnh_programme.inspanningen.count()} projects in KvNH, {made} updates added, "
            f"{Statusupdate.objects.count()} in all ({time.perf_counter() - started:.1f} s)."
        )
        results += [
            _measure(client, page, path, f"{args.scale}x", args.requests)
            for page, client, path in pages("groot")
        ]
        connection.close()

    print(f"\nMedian and fastest of {args.requests} requests after {WARM_UP} warm-up requests.\n")
    print(f"{'Page':20} {'Size':5} {'Median ms':>10} {'Min ms':>8} {'Queries':>8} {'KB':>6}")
    for r in results:
        print(
            f"{r.page:20} {r.size:5} {r.median_ms:10.1f} {r.min_ms:8.1f} "
            f"{r.queries:8d} {r.kilobytes:6.0f}"
        )
    print()
    grew = False
    for page, _client, _path in pages("avk"):
        small, large = (r for r in results if r.page == page)
        grew = grew or large.queries > small.queries
        if small.queries == large.queries:
            same = "the same"
        elif large.queries < small.queries:
            # 'groot' copies no accounts into its groups, so the programme page's group
            # section has one query fewer than AVK's.
            same = "fewer"
        else:
            same = "GREW"
        print(f"{page}: query count {same} ({small.queries} → {large.queries}).")
    for r in results:
        if r.page.startswith("dashboard"):
            verdict = "within" if r.median_ms < BUDGET_MS else "OVER"
            print(
                f"{r.page} ({r.size}): median {r.median_ms:.1f} ms, "
                f"{verdict} its budget of {BUDGET_MS:.0f} ms."
            )
    return 1 if grew else 0


if __name__ == "__main__":
    sys.exit(main())
