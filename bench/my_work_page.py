"""Benchmark: server time, query count and size of Mijn werk, and the time of send_reminders.

Mijn werk promises a fixed number of queries whatever the number of programmes, inspanningen
and updates (fasering/my_work.py); this checks that promise for a user whose groups carry
many inspanningen, at demo size and at 20 times the data, every inspanning with 20 status
updates, and prints whether the page stays under its budget of 150 ms. Runs on a throwaway
SQLite file, never on db.sqlite3.

    .venv/bin/python bench/my_work_page.py [--requests 30] [--scale 20] [--updates 20]

Data, on top of the demo (benchmark data, not the documents'):
- 1x: kartrekker.avk joins every AVK group that carries inspanningen (15 of AVK's 65) and
  leaves one open remark on AVK's Faseplan 1; every AVK and KvNH inspanning gets `--updates`
  status updates (bench/progress_data.py), about half of them stale.
- Nx: `manage.py scale_data --programmes N-1` copies AVK N-1 times; kartrekker.avk becomes
  coalitielid of each copy, joins the same groups there and leaves a remark in each; every
  copy's inspanningen get `--updates` updates too. So the page lists N x 15 inspanningen.

Then it times `send_reminders` on the large data (mail kept in memory, not sent), twice: the
second run on the same day must send nothing.

Exits 1 when the number of queries of the page grows with the data.
"""

import io
import sys
import tempfile
import time

from faseplan_pages import Measurement, _measure
from progress_data import arguments
from tree_page import WARM_UP, _setup_django

BUDGET_MS = 150.0
USERNAME = "kartrekker.avk"
PATH = "/mijn-werk/"


def _join_carrying_groups(user, programmas) -> int:
    """Make `user` coalitielid of each programme (where not yet a member) and a member of
    every group there that carries an inspanning; leave one open remark on
    each Faseplan 1 (the copies have none)."""
    from simple_history.utils import bulk_create_with_history

    from doelenboom.models import Inspanning
    from fasering.models import Faseplan, Opmerking
    from fasering.progress import carried_by
    from programmes.models import Groep, GroepLid, Lidmaatschap, Rol

    ids = [p.pk for p in programmas]
    member_of = set(
        Lidmaatschap.objects.filter(user=user, programma_id__in=ids).values_list(
            "programma_id", flat=True
        )
    )
    bulk_create_with_history(
        [
            Lidmaatschap(user=user, programma_id=pk, rol=Rol.COALITIELID)
            for pk in ids
            if pk not in member_of
        ],
        Lidmaatschap,
    )
    already = set(GroepLid.objects.filter(user=user).values_list("groep_id", flat=True))
    groepen = (
        Groep.objects.filter(programma_id__in=ids, inspanningen__isnull=False)
        .exclude(pk__in=already)
        .distinct()
    )
    bulk_create_with_history(
        [GroepLid(groep=g, user=user) for g in groepen], GroepLid, default_change_reason="Bench"
    )
    plans = Faseplan.objects.filter(programma_id__in=ids, nummer=1)
    bulk_create_with_history(
        [
            Opmerking(
                faseplan=plan,
                sectie="begroting",
                tekst="Benchmark: een open opmerking (geen echte).",
                auteur=user,
            )
            for plan in plans
        ],
        Opmerking,
    )
    return Inspanning.objects.filter(carried_by(user), programma_id__in=ids).count()


def main() -> int:
    args = arguments(__doc__.splitlines()[0])

    with tempfile.TemporaryDirectory(prefix="koers-bench-") as tmp:
        _setup_django(tmp)
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import override_settings
        from django.utils import timezone
        from progress_data import add_status_updates, migrate_and_load_demo

        from fasering.models import Herinnering, Statusupdate
        from programmes.models import Programma

        migrate_and_load_demo()
        today = timezone.localdate()
        user = get_user_model().objects.get(username=USERNAME)
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)

        avk = Programma.objects.get(slug="avk")
        carried = _join_carrying_groups(user, [avk])
        made = add_status_updates(avk, args.updates, today)
        made += add_status_updates(Programma.objects.get(slug="kvnh"), args.updates, today)
        print(f"1x: {USERNAME} carries {carried} inspanningen; {made} updates added.")
        results: list[Measurement] = [_measure(client, "Mijn werk", PATH, "1x", args.requests)]

        started = time.perf_counter()
        call_command("scale_data", programmes=args.scale - 1, stdout=io.StringIO())
        copies = list(Programma.objects.filter(slug__startswith="schaal-"))
        carried = _join_carrying_groups(user, [avk, *copies])
        made = sum(add_status_updates(copy, args.updates, today) for copy in copies)
        print(
            f"{args.scale}x: {len(copies) + 2} programmes; {USERNAME} carries {carried} "
            f"inspanningen in {len(copies) + 1}; {made} updates added, "
            f"{Statusupdate.objects.count()} in all ({time.perf_counter() - started:.1f} s)."
        )
        results.append(_measure(client, "Mijn werk", PATH, f"{args.scale}x", args.requests))

        runs = []
        with override_settings(
            MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}},
            KOERS_SITE_URL="https://koers.example.nl",
        ):
            for _ in range(2):
                out = io.StringIO()
                started = time.perf_counter()
                call_command("send_reminders", stdout=out)
                runs.append((time.perf_counter() - started, out.getvalue().strip()))
        mentioned = Herinnering.objects.count()
        connection.close()

    print(f"\nMedian and fastest of {args.requests} requests after {WARM_UP} warm-up requests.\n")
    print(f"{'Page':10} {'Size':5} {'Median ms':>10} {'Min ms':>8} {'Queries':>8} {'KB':>6}")
    for r in results:
        print(
            f"{r.page:10} {r.size:5} {r.median_ms:10.1f} {r.min_ms:8.1f} "
            f"{r.queries:8d} {r.kilobytes:6.0f}"
        )
    print()
    for n, (seconds, said) in enumerate(runs, start=1):
        print(f"send_reminders at {args.scale}x, run {n}: {seconds:.2f} s — {said}")
    print(f"Herinnering rows after both runs: {mentioned}.")
    small, large = results
    same = "the same" if small.queries == large.queries else "CHANGED"
    print(f"Mijn werk: query count {same} ({small.queries} → {large.queries}).")
    for r in results:
        verdict = "within" if r.median_ms < BUDGET_MS else "OVER"
        print(f"Mijn werk ({r.size}): median {r.median_ms:.1f} ms, {verdict} {BUDGET_MS:.0f} ms.")
    return 1 if large.queries > small.queries else 0


if __name__ == "__main__":
    sys.exit(main())
