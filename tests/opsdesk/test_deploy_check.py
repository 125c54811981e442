"""Production settings pass Django's deployment checks; without a SECRET_KEY the web server
refuses to start and the deployment check fails.

Each check runs `manage.py` in a fresh process with exactly the environment given (a settings
module is configured once per process). A developer's local .env is ignored, as in the image,
which has none (.dockerignore): the result must not depend on whose machine runs the suite.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.opsdesk.test_compose import _container_environment

ROOT = Path(__file__).resolve().parents[2]
# Check message IDs such as security.W004, fields.E300, django_rq.W001.
CHECK_ID = re.compile(r"\b[a-z_]+(?:\.[a-z_]+)*\.[CEW]\d{3}\b")
# manage.py, with settings' read_env() of the local .env turned off.
MANAGE_PY_WITHOUT_DOTENV = """\
import runpy, sys
import environ
environ.Env.read_env = classmethod(lambda cls, *args, **kwargs: None)
sys.argv = ["manage.py", *sys.argv[1:]]
runpy.run_path("manage.py", run_name="__main__")
"""


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", MANAGE_PY_WITHOUT_DOTENV, *args],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _assert_deploy_check_passes(env: dict[str, str]) -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = result.stdout + result.stderr
    assert CHECK_ID.findall(output) == [], output
    assert result.returncode == 0, output


def test_production_settings_pass_check_deploy(tmp_path):
    _assert_deploy_check_passes(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),  # 67 characters
            "ALLOWED_HOSTS": "opsdesk.example.com",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        }
    )


@pytest.mark.parametrize("service", ["web", "worker"])
def test_compose_configuration_passes_check_deploy(service):
    """What a container of docker-compose.yml gets: .env.example (secrets filled in) plus compose's
    environment. check does not connect to PostgreSQL or Redis."""
    _assert_deploy_check_passes(_container_environment(service))


@pytest.mark.parametrize(
    "env",
    [{}, {"DEBUG": "false"}, {"DEBUG": "false", "SECRET_KEY": ""}],
    ids=["nothing set", "DEBUG false", "SECRET_KEY blank as in .env.example"],
)
def test_deploy_check_fails_without_secret_key(env):
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "opsdesk.E001" in result.stderr


def test_the_web_server_refuses_to_start_without_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", "import opsdesk.wsgi"],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DEBUG": "false"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_development_tools_run_without_any_environment():
    """`makemigrations --check` (the before-stop hook) needs no key: it signs nothing."""
    result = _manage("makemigrations", "--check", "--dry-run", env={})
    assert result.returncode == 0, result.stderr
