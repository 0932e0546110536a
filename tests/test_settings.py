"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "KOERS_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_ENV="production", DJANGO_ALLOWED_HOSTS="koers.example.nl")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is verplicht" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", DJANGO_ENV="production", DJANGO_SECRET_KEY="x" * 60)

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is verplicht" in result.stderr


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="k3#" + "p9Xq" * 20,
        DJANGO_ALLOWED_HOSTS="koers.example.nl",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def _show(name: str, **env: str) -> str:
    code = f"from django.conf import settings; print('{name}', settings.{name})"
    return _manage("shell", "-c", code, **env).stdout


def test_debug_is_off_unless_asked():
    assert "DEBUG False" in _show("DEBUG")
    assert "DEBUG True" in _show("DEBUG", DJANGO_DEBUG="true")


def test_production_ignores_a_request_for_debug():
    production = {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "koers.example.nl",
    }

    assert "DEBUG False" in _show("DEBUG", DJANGO_DEBUG="true", **production)


def test_programme_creation_is_for_site_administrators_unless_opened():
    assert "KOERS_OPEN_PROGRAMME_CREATION False" in _show("KOERS_OPEN_PROGRAMME_CREATION")
    opened = _show("KOERS_OPEN_PROGRAMME_CREATION", KOERS_OPEN_PROGRAMME_CREATION="true")
    assert "KOERS_OPEN_PROGRAMME_CREATION True" in opened
