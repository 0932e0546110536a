"""Benchmark data for the progress pages: status updates for every inspanning of a programme.

Used by bench/dashboard_page.py and by other benchmarks that need a long status history
(`from progress_data import add_status_updates`). Benchmark data, not the documents': the
texts say so, and the spread is chosen to exercise every figure of the dashboard.

Expects Django to be set up (the benchmark scripts do that before importing this).
"""

import argparse
import datetime
import time

STEP_DAYS = 14  # between two updates of one inspanning
OLDEST_LATEST_DAYS = 180  # the latest updates are spread over this many days before today


def add_status_updates(programma, per_inspanning: int = 20, today=None) -> int:
    """Give every inspanning of `programma` `per_inspanning` updates; return how many were made.

    Inspanning n (in order of pk) has its latest update (n * 7) mod 180 days before `today`
    and each earlier one 14 days before the next, so about half of them are stale (no update
    in 90 days). The lights take turns; a project's updates walk through its steps and its
    latest reports the step n mod (number of steps), so some projects are behind their plan.
    The author is the programme's first member. Bulk inserts, with history rows.
    """
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from doelenboom.models import Inspanning
    from fasering.models import Licht, Statusupdate
    from programmes.models import Lidmaatschap

    if per_inspanning < 1:
        return 0
    today = today or timezone.localdate()
    lights = [Licht.OP_KOERS, Licht.AANDACHT, Licht.RISICO]
    member = (
        Lidmaatschap.objects.filter(programma=programma).order_by("pk").values("user_id").first()
    )
    auteur_id = member["user_id"] if member else None
    inspanningen = Inspanning.objects.filter(programma=programma).order_by("pk")
    updates = []
    for n, inspanning in enumerate(inspanningen.prefetch_related("stappen")):
        steps = sorted(inspanning.stappen.all(), key=lambda s: (s.volgorde, s.pk))
        latest = today - datetime.timedelta(days=(n * 7) % OLDEST_LATEST_DAYS)
        for k in range(per_inspanning):
            back = per_inspanning - 1 - k  # k = 0 is the oldest
            stap = steps[(n + k - per_inspanning + 1) % len(steps)] if steps else None
            updates.append(
                Statusupdate(
                    inspanning=inspanning,
                    datum=latest - datetime.timedelta(days=STEP_DAYS * back),
                    stap=stap,
                    licht=lights[(n + k) % len(lights)],
                    voortgang=min(100, 5 * (k + 1)),
                    gebeurd=f"Benchmarkupdate {k + 1} van {per_inspanning} (geen echte stand).",
                    volgende_stappen="Benchmark: volgende stappen.",
                    auteur_id=auteur_id,
                )
            )
    if not updates:
        return 0
    bulk_create_with_history(
        updates, Statusupdate, batch_size=500, default_change_reason="Benchmarkdata"
    )
    return len(updates)


def arguments(description: str) -> argparse.Namespace:
    """The options both progress benchmarks take: requests, scale and updates per inspanning."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--scale", type=int, default=20, help="how many times the data (20)")
    parser.add_argument("--updates", type=int, default=20, help="updates per inspanning (20)")
    args = parser.parse_args()
    if args.requests < 1 or args.scale < 2 or args.updates < 1:
        parser.error("--requests, --scale and --updates must be at least 1, 2 and 1")
    return args


def migrate_and_load_demo() -> None:
    """A fresh database with the demo data (Django set up already)."""
    from django.core.management import call_command

    from avk.demo import load_demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_demo()
    print(f"Migrated and loaded the demo in {time.perf_counter() - started:.1f} s.")
