"""Load the demo programmes from fixtures/*.json (format: fixtures/SCHEMA.md).

Each app loads its own part (programmes.demo, doelenboom.demo, fasering.demo). Idempotent:
everything is matched on natural keys (slugs and codes) and saved only when a value differs, so
a second load writes nothing — not even history rows.
"""

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from core.loading import LoadReport
from doelenboom.demo import load_tree
from fasering.demo import load_fasering
from programmes.demo import DEMO_ADMIN, DEMO_PASSWORD, DEMO_USERS, load_programme, load_users

__all__ = ["DEMO_ADMIN", "DEMO_FILES", "DEMO_PASSWORD", "DEMO_USERS", "load_demo"]

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_FILES = ["avk.json", "kvnh.json"]


@transaction.atomic
def load_demo(files: list[str] | None = None) -> LoadReport:
    """Create or update the demo programmes, their tree and the demo accounts.

    Side effects: writes organisations, programmes, groups, the goal tree and users;
    removes links (goals, partners, steps) that the fixture no longer lists.
    """
    report = LoadReport()
    for name in files or DEMO_FILES:
        data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
        loaded = load_programme(data, report)
        load_tree(data, loaded, report)
        load_fasering(data, loaded, report)
    load_users(report)
    return report
