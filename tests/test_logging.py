"""Log output: every line once, at the level DJANGO_LOG_LEVEL names."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = (
    "import django, logging; django.setup(); "
    "logging.getLogger('django.request').warning('regel-een'); "
    "logging.getLogger('koers').info('regel-twee'); "
    "logging.getLogger('django.server').info('GET /regel-drie', "
    "extra={'status_code': 200, 'server_time': 'nu'})"
)


def _log(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "avk.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stderr


def test_a_django_log_line_appears_once_also_with_debug_on():
    # `./koers run` serves with DEBUG on, where Django adds a console handler of its own.
    assert _log(DJANGO_DEBUG="true").count("regel-een") == 1


def test_runserver_access_log_shows_each_request_once():
    assert _log(DJANGO_DEBUG="true").count("GET /regel-drie") == 1


def test_log_level_comes_from_the_environment():
    assert "regel-twee" not in _log()
    assert "regel-twee" in _log(DJANGO_LOG_LEVEL="info")
