"""Benchmark: server time and query count of the faseplan, planning and compare pages.

The faseplan and planning pages promise a fixed number of queries whatever the size of the plan
or the number of projects; this checks that promise by measuring each page twice, with a small
and with a large amount of data, and prints whether the faseplan page of AVK size stays under
its budget of 150 ms. Runs on a throwaway SQLite file, never on db.sqlite3.

    .venv/bin/python bench/faseplan_pages.py [--requests 30] [--projects 40]

Data, on top of the demo:
- AVK "Faseplan 2" (concept, live content), first with 5 of AVK's operational goals and their
  inspanningen, then with all 26 goals and every inspanning that serves them: the size of a plan
  that takes up the whole tree. Faseplan 1 (the demo's, adopted) is rendered from its snapshot.
- The compare page compares Faseplan 1 (snapshot) with Faseplan 2 (live), at both sizes.
- KvNH's planning: its five projects given start months (benchmark data, not the documents'),
  then `--projects` more projects with four steps each, chained two by two with "start na".

Exits 1 when the number of queries of any page grows with the data.
"""

import argparse
import datetime
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass

from tree_page import WARM_UP, _get, _setup_django

BUDGET_MS = 150.0


@dataclass(frozen=True)
class Measurement:
    page: str
    path: str
    size: str
    median_ms: float
    min_ms: float
    queries: int
    kilobytes: float


def _measure(client, page: str, path: str, size: str, requests: int) -> Measurement:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        _get(client, path)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        _get(client, path)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        response = _get(client, path)
    return Measurement(
        page,
        path,
        size,
        statistics.median(timings),
        min(timings),
        len(captured.captured_queries),
        len(response.content) / 1024,
    )


def _plan_with_goals(programma, goal_ids: list[int]):
    """Faseplan 2 of AVK taking up these goals with every inspanning that serves them."""
    from doelenboom.models import OperationeelDoel
    from fasering import services
    from fasering.models import Faseplan

    plan = Faseplan.objects.filter(programma=programma, nummer=2).first()
    if plan is None:
        plan = services.create_faseplan(
            programma,
            nummer=2,
            titel="Faseplan 2 (benchmark)",
            start=datetime.date(2024, 8, 1),
            eind=datetime.date(2025, 7, 1),
        )
        services.add_fase(
            plan,
            services.FaseValues("Fase A", datetime.date(2024, 8, 1), datetime.date(2024, 12, 1)),
        )
        services.add_fase(
            plan,
            services.FaseValues("Fase B", datetime.date(2025, 1, 1), datetime.date(2025, 7, 1)),
        )
    services.set_goals(plan, goal_ids, reason="benchmark")
    for goal in OperationeelDoel.objects.filter(pk__in=goal_ids).prefetch_related("inspanningen"):
        services.set_inspanningen(
            plan, goal, [i.pk for i in goal.inspanningen.all()], reason="benchmark"
        )
    return plan


def _plan_projects(programma) -> None:
    """Start months for KvNH's projects (benchmark data: the documents give none)."""
    from doelenboom.models import Inspanning
    from fasering.planning import set_project_planning

    projects = Inspanning.objects.filter(programma=programma, stappen__isnull=False).distinct()
    for n, project in enumerate(projects.order_by("code")):
        current = getattr(project, "planning", None)
        set_project_planning(
            project,
            start=datetime.date(2025 + n // 3, 1 + (n % 3) * 4, 1),
            start_na=None,
            expected_versie=current.versie if current else 0,
        )


def _more_projects(programma, count: int) -> None:
    """`count` projects with four steps each, every second one starting after the one before."""
    from doelenboom.models import Inspanning, Stap
    from fasering.models import Projectplanning

    projects = Inspanning.objects.bulk_create(
        Inspanning(
            programma=programma,
            code=f"B{n}",
            titel=f"Benchmarkproject {n}",
            categorie=Inspanning.Categorie.PROJECT,
            volgorde=1000 + n,
        )
        for n in range(count)
    )
    Stap.objects.bulk_create(
        Stap(inspanning=p, volgorde=v, naam=f"Stap {v}", doorlooptijd_maanden=3)
        for p in projects
        for v in range(1, 5)
    )
    Projectplanning.objects.bulk_create(
        Projectplanning(
            inspanning=p,
            start=datetime.date(2025, 1, 1) if n % 2 == 0 else None,
            start_na=projects[n - 1] if n % 2 else None,
        )
        for n, p in enumerate(projects)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--projects", type=int, default=40, help="projects added to KvNH's planning (default 40)"
    )
    args = parser.parse_args()
    if args.requests < 1 or args.projects < 1:
        parser.error("--requests and --projects must be at least 1")

    with tempfile.TemporaryDirectory(prefix="koers-bench-") as tmp:
        _setup_django(tmp)
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from avk.demo import load_demo
        from doelenboom.models import OperationeelDoel
        from programmes.models import Programma

        call_command("migrate", verbosity=0)
        load_demo()
        users = get_user_model().objects
        avk = Client(HTTP_HOST="localhost")
        avk.force_login(users.get(username="leider.avk"))
        kvnh = Client(HTTP_HOST="localhost")
        kvnh.force_login(users.get(username="leider.kvnh"))
        avk_programme = Programma.objects.get(slug="avk")
        kvnh_programme = Programma.objects.get(slug="kvnh")
        goals = list(
            OperationeelDoel.objects.filter(strategisch_doel__ambitie__programma=avk_programme)
            .order_by("code")
            .values_list("pk", flat=True)
        )

        results = []
        pages = [
            ("faseplan list", avk, "/programmas/avk/faseplannen/"),
            ("faseplan 1 (adopted)", avk, "/programmas/avk/faseplannen/1/"),
            ("faseplan 2 (live)", avk, "/programmas/avk/faseplannen/2/"),
            ("compare 1 with 2", avk, "/programmas/avk/faseplannen/1/vergelijken/2/"),
            ("planning", kvnh, "/programmas/kvnh/planning/"),
        ]
        _plan_with_goals(avk_programme, goals[:5])
        _plan_projects(kvnh_programme)
        for page, client, path in pages:
            results.append(_measure(client, page, path, "small", args.requests))
        plan = _plan_with_goals(avk_programme, goals)
        _more_projects(kvnh_programme, args.projects)
        for page, client, path in pages:
            results.append(_measure(client, page, path, "large", args.requests))
        items = plan.items.count()
        connection.close()

    print(f"\nMedian and fastest of {args.requests} requests after {WARM_UP} warm-up requests.")
    print(
        f"Large: Faseplan 2 with {len(goals)} goals ({items} items); "
        f"KvNH planning with {args.projects} more projects.\n"
    )
    print(f"{'Page':22} {'Size':6} {'Median ms':>10} {'Min ms':>8} {'Queries':>8} {'KB':>6}")
    for r in results:
        print(
            f"{r.page:22} {r.size:6} {r.median_ms:10.1f} {r.min_ms:8.1f} "
            f"{r.queries:8d} {r.kilobytes:6.0f}"
        )
    print()
    grew = False
    for page, _client, _path in pages:
        small, large = (r for r in results if r.page == page)
        same = small.queries == large.queries
        grew = grew or large.queries > small.queries
        print(
            f"{page}: query count {'the same' if same else 'CHANGED'} "
            f"({small.queries} → {large.queries})."
        )
    large_plan = next(r for r in results if r.page == "faseplan 2 (live)" and r.size == "large")
    verdict = "within" if large_plan.median_ms < BUDGET_MS else "OVER"
    print(
        f"faseplan page of AVK size: median {large_plan.median_ms:.1f} ms, "
        f"{verdict} its budget of {BUDGET_MS:.0f} ms."
    )
    return 1 if grew else 0


if __name__ == "__main__":
    sys.exit(main())
